"""`pgb-audit validate` and `pgb-audit run`: reading a batch, and the whole audit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.types import DATUM, GETAL
from auditor.cli.kolommen import kolommen_optie, laad, toon_validatie
from auditor.errors import InvoerFout
from auditor.formatting import eur_nl
from auditor.load import load_batch
from auditor.audit import meldingen
from auditor.pipeline import audit
from auditor.registry import CHECK_CODES
from auditor.validate import validate as do_validate
from auditor.write import write_outputs


class Stage:
    """The stage and a progress bar on stderr, only when stderr is a terminal (off with
    --stil), so a user of a long run knows it is working. Progress is by stage, and per
    check within the checks."""

    SPAN = {"inlezen": (0.0, 0.1), "valideren": (0.1, 0.3), "verrijken": (0.3, 0.4),
            "controles": (0.4, 0.9), "rapporten": (0.9, 1.0)}
    WIDTH = 24

    def __init__(self, stil: bool):
        self.on = not stil and sys.stderr.isatty()

    def __call__(self, stage: str, fraction: float = 0.0, detail: str = "") -> None:
        if not self.on:
            return
        lo, hi = self.SPAN.get(stage, (0.0, 1.0))
        done = lo + (hi - lo) * max(0.0, min(1.0, fraction))
        filled = int(round(done * self.WIDTH))
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        click.echo(f"\r\x1b[2K[{bar}] {done:4.0%} {stage}{': ' + detail if detail else ''}", err=True, nl=False)

    def done(self) -> None:
        if self.on:
            click.echo("\r\x1b[2K", err=True, nl=False)


@click.command()
@click.argument("batch_dir", metavar="BATCHMAP", type=click.Path(file_okay=False, path_type=Path))
@click.option("--toon-bsn", is_flag=True, help="Toon BSN's en IBAN's in de quarantaine onversleuteld.")
@kolommen_optie
def validate(batch_dir: Path, toon_bsn: bool, kolommen_pad: Path | None):
    """Lees en valideer een map met exportbestanden, zonder controles."""

    raw = load_batch(batch_dir, laad(kolommen_pad))
    toon_validatie(raw, do_validate(raw, mask_personal=not toon_bsn))


@click.command()
@click.argument("batch_dir", metavar="BATCHMAP", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Map voor de uitvoer (findings.csv, rapport.html, ...).")
@click.option("--regeling", type=str, default=None,
              help="Gebruik deze regeling (TOML-bestand of id zoals losser-2025) voor de hele batch.")
@click.option("--regelingen", "regelingen_map", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met eigen regelingen (TOML), naast de meegeleverde.")
@click.option("--peildatum", type=DATUM, default=None,
              help="Peildatum dd-mm-jjjj of jjjj-mm-dd (standaard: vandaag).")
@click.option("--controles", default=None, help="Alleen deze controles, gescheiden door komma's (bijv. DUBBEL,TARIEF).")
@click.option("--toon-bsn", is_flag=True, help="Toon BSN's onversleuteld in rapporten en brieven.")
@click.option("--toon-namen", is_flag=True,
              help="Toon namen van personen voluit in rapporten en brieven (standaard: initialen).")
@click.option("--verantwoordingsgrens", type=GETAL, default=3.0, show_default=True,
              help="Verantwoordingsgrens rechtmatigheid in procenten van de lasten.")
@click.option("--werkruimte", "--workspace", "werkruimte", type=click.Path(path_type=Path), default=None,
              help="Map met de geschiedenis (wordt aangemaakt): controles over deze batch samen met eerdere "
                   "runs, status nieuw/terugkerend en opgelost.csv.")
@click.option("--stil", is_flag=True, help="Geen voortgang tonen.")
@kolommen_optie
def run(batch_dir, out_dir, regeling, regelingen_map, peildatum, controles, toon_bsn, toon_namen,
        verantwoordingsgrens, werkruimte, stil, kolommen_pad):
    """Voer een volledige controle uit op een map met exportbestanden."""

    codes = None
    if controles:
        known = CHECK_CODES
        codes = [c.strip().upper() for c in controles.split(",") if c.strip()]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvoerFout(f"--controles: onbekende controle {', '.join(unknown)}; bekend zijn {', '.join(known)}.")
    stage = Stage(stil)
    a = audit(batch_dir, peildatum=peildatum, regeling=regeling, regelingen_map=regelingen_map, checks=codes,
              toon_bsn=toon_bsn, verantwoordingsgrens=verantwoordingsgrens / 100, progress=stage,
              werkruimte=werkruimte, toon_namen=toon_namen, kolommen=laad(kolommen_pad))
    stage("rapporten")
    write_outputs(a, out_dir)
    stage.done()
    for melding in meldingen(a):          # the scope of the run, also in the reports
        click.echo(f"let op: {melding}")
    f = a.result.findings
    q = a.validated.quarantine.height
    read = sum(c["rows_read"] for c in a.validated.counts.values())
    click.echo(f"{read} rijen gelezen, {q} in quarantaine; {f.height} bevindingen, "
               f"financieel effect {eur_nl(int(f['financieel_effect_ct'].fill_null(0).sum()))} euro.")
    w = a.werkruimte
    if w is not None:
        t = w.plan.telling
        nieuw = sum(x["nieuw"] for x in t.values())
        gewijzigd = sum(x["gewijzigd"] for x in t.values())
        if w.herhaling_van is not None:
            click.echo(f"Werkruimte {werkruimte}: herhaling van run {w.herhaling_van}; niets nieuws vastgelegd.")
        else:
            nst = int((w.status["status"] == "nieuw").sum())
            click.echo(f"Werkruimte {werkruimte}: run {w.run_id}; {nieuw} nieuwe en {gewijzigd} gewijzigde rijen; "
                       f"{nst} nieuwe en {f.height - nst} terugkerende bevindingen, {w.opgelost.height} opgelost.")
    click.echo(f"Uitvoer in {out_dir}")
