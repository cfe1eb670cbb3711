"""Command line for input that guides: `pgb-audit kolommen voorstel`, `pgb-audit invoer
uitleg`, the `--kolommen` option of `run` and `validate`, and the `validate` overview."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click
import polars as pl

from auditor.errors import InvoerFout
from auditor.kolommen import Kolommen, laad_kolommen
from auditor.voorstel import voorstel

MAX_RIJNUMMERS = 8      # row numbers shown per reason in `validate`


def kolommen_optie(f):
    """`--kolommen MAPPING.toml` for `run` and `validate`."""
    return click.option(
        "--kolommen", "kolommen_pad", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Importdefinitie (TOML) die de kolomnamen van uw export koppelt aan die van pgb-audit; "
             "een voorstel maakt u met 'pgb-audit kolommen voorstel MAP'.")(f)


def laad(pad: Path | None) -> Kolommen | None:
    """The import definition of `--kolommen`, or None."""
    if pad is None:
        return None
    if not pad.is_file():
        raise InvoerFout(f"--kolommen {pad}: dit bestand bestaat niet; maak er een met "
                         "'pgb-audit kolommen voorstel MAP --uit MAPPING.toml'.")
    return laad_kolommen(pad)


@click.group("kolommen")
def kolommen():
    """Koppel de kolommen van uw export aan die van pgb-audit (importdefinitie)."""


@kolommen.command("voorstel")
@click.argument("batch_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--uit", "uit", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Schrijf het voorstel naar dit TOML-bestand (standaard: op het scherm). "
                   "Een bestaand bestand wordt niet overschreven.")
def voorstel_cmd(batch_dir: Path, uit: Path | None):
    """Maak een eerste versie van een importdefinitie voor de bestanden in BATCH_DIR."""

    tekst = voorstel(batch_dir)
    if uit is None:
        click.echo(tekst, nl=False)
        return
    if uit.exists():
        raise InvoerFout(f"--uit {uit}: dit bestand bestaat al; kies een andere naam of verwijder het eerst.")
    try:
        uit.write_text(tekst, encoding="utf-8")
    except OSError as e:
        raise InvoerFout(f"--uit {uit}: kan niet worden geschreven ({e.strerror}).") from None
    click.echo(f"Voorstel geschreven naar {uit}. Controleer het en gebruik het met --kolommen {uit}.")


@click.group("invoer")
def invoer():
    """Over de invoer: welke bestanden en kolommen pgb-audit verwacht."""


@invoer.command("uitleg")
def uitleg():
    """Toon de invoerspecificatie: tabellen, kolommen, formaten en importdefinitie."""
    click.echo(resources.files("auditor").joinpath("invoer.md").read_text(encoding="utf-8"), nl=False)


def toon_validatie(raw: dict, v) -> None:
    """The `validate` overview: per table the counts, title rows skipped, and the most common
    quarantine reasons with the row numbers they occur on."""
    click.echo(f"{'tabel':<20} {'bestand':<28} {'gelezen':>9} {'in orde':>9} {'quarantaine':>12}")
    for name, c in v.counts.items():
        click.echo(f"{name:<20} {raw[name].path:<28} {c['rows_read']:>9} {c['rows_audited']:>9} "
                   f"{c['rows_quarantined']:>12}")
    for name, r in raw.items():
        if getattr(r, "titelrijen", 0):
            click.echo(f"{r.path}: {r.titelrijen} titelrij(en) boven de kopregel overgeslagen.")
    if not v.quarantine.height:
        click.echo("\nAlle rijen zijn in orde.")
        return
    per = (v.quarantine.select("bestand", "rij", pl.col("redenen").str.split(" | ").alias("reden")).explode("reden")
           .with_columns(pl.col("reden").str.replace_all(r"'[^']*'", "…"))
           .group_by("bestand", "reden")
           .agg(pl.len().alias("n"), pl.col("rij").unique().sort().head(MAX_RIJNUMMERS).alias("rijen"))
           .sort(["n", "bestand", "reden"], descending=[True, False, False]).head(15))
    click.echo("\nMeest voorkomende redenen voor quarantaine (met rijnummers in het bestand):")
    for bestand, reden, n, rijen in per.iter_rows():
        meer = ", ..." if n > len(rijen) else ""
        click.echo(f"  {n:>6} x {bestand}: {reden} (rij {', '.join(str(x) for x in rijen)}{meer})")
