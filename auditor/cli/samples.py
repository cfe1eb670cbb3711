"""``pgb-audit samples genereer``: write a synthetic batch with planted cases.

The command is a thin Dutch front-end over ``auditor.samples.genereer``.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from auditor.samples import ALL_CHECKS, genereer as _genereer
from auditor.validate import JAAR_MAX, JAAR_MIN


@click.group("samples", help="Voorbeeldbatches maken: verzonnen, maar geldige pgb-gegevens met bewust geplante fouten.")
def samples() -> None:
    pass


def _jaar(v: int | None) -> int | None:
    if v is not None and not JAAR_MIN <= v <= JAAR_MAX:
        raise click.BadParameter(f"{v} is geen jaar tussen {JAAR_MIN} en {JAAR_MAX}; geef bijvoorbeeld 2025.")
    return v


@samples.command("genereer", help=(
    "Maak een batch in het invoerformaat (zeven tabellen), met per controle een paar geplante "
    "gevallen en ground_truth.csv: welke (controle, budgethouder) de controles MOETEN melden. "
    "Zelfde --seed geeft byte voor byte dezelfde bestanden."))
@click.option("--budgethouders", "-n", type=click.IntRange(min=1), default=50, show_default=True,
              help="Aantal budgethouders (ongeveer 200 declaratieregels per budgethouder).")
@click.option("--seed", "-s", type=int, default=1, show_default=True, help="Startwaarde van de toevalsgenerator.")
@click.option("--out", "-o", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Map waarin de batch komt (wordt aangemaakt; bestaande bestanden worden overschreven).")
@click.option("--regeling", "-r", default="losser-2025", show_default=True,
              help="Id van een gebundelde regeling (losser-2025, de-ronde-venen-2026) of een pad naar een TOML-bestand.")
@click.option("--jaar", type=int, default=None, callback=lambda ctx, param, v: _jaar(v), help="Kalenderjaar van de zorg (standaard: het jaar van de regeling).")
@click.option("--regels-per-budgethouder", type=click.IntRange(min=10), default=200, show_default=True,
              help="Gemiddeld aantal declaratieregels per budgethouder.")
@click.option("--dichtheid", type=click.FloatRange(min=0, max=0.8), default=None,
              help="Deel van de budgethouders met geplante gevallen (bijvoorbeeld 0.6 voor een jaar met veel "
                   "bevindingen). Standaard: elk geval een paar keer.")
def genereer(budgethouders: int, seed: int, out: Path, regeling: str, jaar: int | None,
             regels_per_budgethouder: int, dichtheid: float | None) -> None:
    t0 = time.perf_counter()
    # an unknown or broken regeling raises RegelingFout (exit 2 in auditor.cli)
    res = _genereer(out, budgethouders=budgethouders, seed=seed, regeling=regeling, jaar=jaar,
                    regels_per_budgethouder=regels_per_budgethouder, dichtheid=dichtheid)
    sec = time.perf_counter() - t0
    click.echo(f"Voorbeeldbatch geschreven naar {out} (regeling {res['regeling']}, jaar {res['jaar']}, "
               f"seed {seed}) in {sec:.1f} s.")
    click.echo("Tabellen:")
    for naam, n in res["tabellen"].items():
        click.echo(f"  {naam:<20} {n:>10,}".replace(",", "."))
    click.echo("Geplante gevallen (budgethouders per controle, zie ground_truth.csv):")
    for code in ALL_CHECKS:
        if code in res["checks"]:
            click.echo(f"  {code:<18} {res['checks'][code]}")
    if res["niet_geplant"]:
        click.echo("Niet geplant (deze regeling stelt die regel niet, of de controle vraagt gegevens die de "
                   "batch niet heeft): " + ", ".join(res["niet_geplant"]))
