"""`pgb-audit werkruimte toon WS_DIR`: what a werkruimte holds (runs, periods, rows, open
findings, running opschorting proposals), in Dutch."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.beoordeling import toon as _toon


@click.group("werkruimte", help="De werkruimte met de geschiedenis van eerdere runs bekijken.")
def werkruimte() -> None:
    pass


@werkruimte.command("toon", help=(
    "Toon wat de werkruimte bevat: de runs, de periode van de declaraties, rijen per tabel, "
    "openstaande bevindingen per controle, lopende en afgelopen opschortingsvoorstellen en de zaken per "
    "status en oordeel."))
@click.argument("ws_dir", type=click.Path(file_okay=False, path_type=Path))
def toon(ws_dir: Path) -> None:
    click.echo(_toon(ws_dir), nl=False)
