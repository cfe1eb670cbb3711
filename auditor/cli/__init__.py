"""The `pgb-audit` command line (Dutch for users): one module per command group.

| command | module |
|---|---|
| `validate`, `run` | `auditor/cli/controle.py` |
| `regeling toon`, `regeling controleer` | `auditor/cli/regeling.py` |
| `samples genereer` | `auditor/cli/samples.py` |
| `steekproef` | `auditor/cli/steekproef.py` |
| `werkruimte toon` | `auditor/cli/werkruimte.py` |
| `zaak beoordeel`, `zaak lijst`, `zaak importeer` | `auditor/cli/zaak.py` |
| `kolommen voorstel`, `invoer uitleg`, the `--kolommen` option | `auditor/cli/kolommen.py` |
| click's own messages in Dutch | `auditor/cli/nl.py` |
| shared parameter types `DATUM`, `GETAL` (dd-mm-jjjj or ISO; comma or point) | `auditor/cli/types.py` |

One error path, `invoke()`: exit 0 when the command completed; 2 for bad input or usage (an
`InvoerFout` or a click usage error: a Dutch message, no traceback); 1 for a fault of
pgb-audit itself. Commands never choose an exit code themselves: they raise.
"""

from __future__ import annotations

import os
import sys
import traceback

import click

from auditor import __version__
from auditor.cli import controle, kolommen, nl, regeling, samples, steekproef, werkruimte, zaak
from auditor.cli.controle import Stage
from auditor.errors import InvoerFout

__all__ = ["Stage", "entry", "invoke", "main"]


nl.install()     # click's own messages in Dutch (auditor/cli/nl.py)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]",
             subcommand_metavar="COMMANDO [ARGUMENTEN]...")
@click.version_option(__version__, prog_name="pgb-audit")
def main():
    """pgb-audit: controle van persoonsgebonden budgetten (pgb) jeugdhulp."""


for _command in (controle.validate, controle.run, regeling.regeling, samples.samples, steekproef.steekproef,
                 werkruimte.werkruimte, zaak.zaak, kolommen.kolommen, kolommen.invoer):
    main.add_command(_command)
nl.nl_commands(main)   # Dutch help formatting for every command


def invoke(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: Dutch messages, no traceback for the user."""
    try:
        rc = main.main(args=args, standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        return 2
    except InvoerFout as e:
        click.echo(f"fout: {e}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("Afgebroken.", err=True)
        return 2
    except Exception:
        if os.environ.get("PGB_AUDIT_DEBUG"):
            traceback.print_exc()
        click.echo("interne fout in pgb-audit: dit is een fout van het programma, niet van uw bestanden. "
                   "Zet PGB_AUDIT_DEBUG=1 voor details en meld het aan de beheerder.", err=True)
        return 1
    # without standalone mode click returns the code of `ctx.exit(n)` (--help, --version)
    return rc if isinstance(rc, int) else 0


def entry() -> None:
    """Console-script entry point: the exit codes of outputs.md. Every output is written and
    closed when `invoke` returns, so the process ends there: freeing the frames of a big batch
    one by one at interpreter exit took 0.6 s at 1M lines. (Under a profiler or tracer it
    exits normally, so they can write their results.)"""
    rc = invoke()
    if sys.getprofile() is None and sys.gettrace() is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    sys.exit(rc)
