"""`pgb-audit steekproef`: a reproducible monetary-unit sample of declaration lines."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from auditor import __version__
from auditor.errors import InvoerFout
from auditor.files import atomic_write, csv_bytes
from auditor.load import load_batch
from auditor.money import round_cents
from auditor.reports.steekproef import csv_frame, trek
from auditor.validate import empty_typed, validate


def _bedrag_ct(ctx, param, value: str) -> int:
    s = value.strip().replace("€", "").replace(" ", "")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise click.BadParameter(f"'{value}' is geen bedrag; bijvoorbeeld 25000 of 25.000,00.")
    if d <= 0:
        raise click.BadParameter("de materialiteit moet groter dan 0 zijn.")
    return round_cents(d)


@click.command("steekproef")
@click.argument("batch_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--materialiteit", required=True, callback=_bedrag_ct,
              help="Materialiteit in euro's (bijvoorbeeld 25000 of 25.000,00).")
@click.option("--betrouwbaarheid", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Gewenste betrouwbaarheid (0.95 = 95%).")
@click.option("--seed", type=int, required=True, help="Startgetal van de toevalsgenerator (leg vast in het dossier).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("steekproef.csv"),
              show_default=True, help="CSV-bestand voor de steekproef; ernaast komt <naam>.meta.json.")
def steekproef(batch_dir: Path, materialiteit: int, betrouwbaarheid: float, seed: int, out_file: Path):
    """Trek een reproduceerbare monetary-unit-steekproef uit de declaratieregels."""
    raw = load_batch(batch_dir)
    v = validate(raw)
    decl = v.tables.get("declaraties", empty_typed("declaraties"))
    try:
        s = trek(decl, materialiteit, betrouwbaarheid, seed)
    except ValueError as e:
        raise InvoerFout(str(e))
    meta = dict(s.meta, tool="pgb-audit", version=__version__, batch=batch_dir.name,
                declaraties={"path": raw["declaraties"].path, "sha256": raw["declaraties"].sha256,
                             **v.counts["declaraties"]})
    atomic_write(out_file, csv_bytes(csv_frame(s)))
    meta_file = out_file.with_name(out_file.stem + ".meta.json")
    atomic_write(meta_file, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    click.echo(f"Steekproef: n = {s.meta['n']}, interval {s.meta['interval']} euro, "
               f"{s.meta['geselecteerde_regels']} regels geselecteerd (seed {seed}).")
    click.echo(f"Uitvoer in {out_file} en {meta_file}")
