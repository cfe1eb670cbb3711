"""`pgb-audit validate` and `pgb-audit run`: reading a batch, and the whole audit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.types import DATUM
from auditor.cli.kolommen import kolommen_optie, laad, toon_validatie
from auditor.cli.rechtmatigheid_opties import rechtmatigheid_opties, zet as zet_controller
from auditor.errors import InvoerFout
from auditor.formatting import eur_nl
from auditor.load import load_batch
from auditor.audit import meldingen
from auditor.pipeline import audit
from auditor.registry import CHECK_CODES
from auditor.validate import validate as do_validate
from auditor.write import check_out_dir, write_outputs


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
@click.option("--toon-namen", is_flag=True, help="Toon namen van personen in de quarantaine voluit (standaard: initialen).")
@kolommen_optie
def validate(batch_dir: Path, toon_bsn: bool, toon_namen: bool, kolommen_pad: Path | None):
    """Lees en valideer een map met exportbestanden, zonder controles."""

    raw = load_batch(batch_dir, laad(kolommen_pad))
    toon_validatie(raw, do_validate(raw, mask_personal=not toon_bsn, mask_namen=not toon_namen))


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
@click.option("--briefdatum", type=DATUM, default=None,
              help="Datum van de brieven en eerste dag van een opschorting (standaard: vandaag; niet in het "
                   "verleden en na de peildatum).")
@click.option("--briefsjabloon", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Map met eigen briefsjablonen (brief_verzoek_svb.docx, brief_kennisgeving.docx en/of de "
                   ".html.j2-bestanden) in plaats van de meegeleverde.")
@click.option("--controles", default=None, help="Alleen deze controles, gescheiden door komma's (bijv. DUBBEL,TARIEF).")
@click.option("--toon-bsn", is_flag=True, help="Toon BSN's onversleuteld in rapporten en brieven.")
@click.option("--toon-namen", is_flag=True,
              help="Toon namen van personen voluit in rapporten en brieven (standaard: initialen).")
@rechtmatigheid_opties
@click.option("--werkruimte", "--workspace", "werkruimte", type=click.Path(path_type=Path), default=None,
              help="Map met de geschiedenis (wordt aangemaakt): controles over deze batch samen met eerdere "
                   "runs, status nieuw/terugkerend en opgelost.csv.")
@click.option("--stil", is_flag=True, help="Geen voortgang tonen.")
@kolommen_optie
def run(batch_dir, out_dir, regeling, regelingen_map, peildatum, briefdatum, briefsjabloon, controles, toon_bsn,
        toon_namen, verantwoordingsgrens, werkruimte, stil, kolommen_pad, **controller):
    """Voer een volledige controle uit op een map met exportbestanden."""

    codes = None
    if controles:
        known = CHECK_CODES
        codes = [c.strip().upper() for c in controles.split(",") if c.strip()]
        if not codes:
            raise InvoerFout(f"--controles: geen controle genoemd; noem er een of meer, gescheiden door komma's "
                             f"(bekend zijn {', '.join(known)}), of laat --controles weg voor alle controles.")
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvoerFout(f"--controles: onbekende controle {', '.join(unknown)}; bekend zijn {', '.join(known)}.")
    check_out_dir(out_dir, batch_dir)
    stage = Stage(stil)
    a = audit(batch_dir, peildatum=peildatum, regeling=regeling, regelingen_map=regelingen_map, checks=codes,
              toon_bsn=toon_bsn, verantwoordingsgrens=verantwoordingsgrens, progress=stage,
              werkruimte=werkruimte, toon_namen=toon_namen, kolommen=laad(kolommen_pad), briefdatum=briefdatum)
    zet_controller(a, **controller)
    a.briefsjabloon = briefsjabloon
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
            zs = w.zaken["status"]
            n_opgelost = w.opgelost["zaak_id"].n_unique()
            click.echo(f"Werkruimte {werkruimte}: run {w.run_id}; {nieuw} nieuwe en {gewijzigd} gewijzigde rijen; "
                       f"zaken: {int((zs == 'nieuw').sum())} nieuw, {int((zs == 'gewijzigd').sum())} gewijzigd, "
                       f"{int((zs == 'terugkerend').sum())} terugkerend, {n_opgelost} opgelost.")
    if a.opschorting is not None and a.opschorting.voorstellen:
        click.echo(f"{len(a.opschorting.voorstellen)} voorstellen tot opschorting; de brieven zijn gedateerd "
                   f"{a.briefdatum.strftime('%d-%m-%Y')} (eerste dag van de opschorting).")
    click.echo(f"Uitvoer in {out_dir}")
