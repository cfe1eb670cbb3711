"""`pgb-audit zaak beoordeel | lijst | importeer`: the case register of a werkruimte
(docs/workspace.md). Names given with --door (or in the Door column) are stored, never echoed."""

from __future__ import annotations

from pathlib import Path

import click

from auditor import werkmap
from auditor.beoordeling import beoordeel as _beoordeel
from auditor.beoordeling import importeer as _importeer
from auditor.beoordeling import lijst as _lijst
from auditor.beoordeling import lijst_tekst
from auditor.errors import InvoerFout
from auditor.files import csv_bytes, inert
from auditor.formatting import fmt_csv
from auditor.reports.zaakregister import ZAKEN_SHEET
from auditor.zaken import OORDELEN, STATUSSEN

_WS = click.argument("ws_dir", type=click.Path(file_okay=False, path_type=Path))


@click.group("zaak", help="Zaken in de werkruimte bekijken en beoordelen.")
def zaak() -> None:
    pass


@zaak.command("beoordeel", help=(
    "Leg een oordeel over een zaak vast (met tijd; eerdere oordelen blijven bewaard). Een zaak met "
    "oordeel onterecht of afgedaan telt niet mee voor een voorstel tot opschorting, tot ze wijzigt."))
@_WS
@click.argument("zaak_id")
@click.option("--oordeel", required=True, type=click.Choice(OORDELEN), help="Het oordeel.")
@click.option("--notitie", default=None, help="Toelichting bij het oordeel.")
@click.option("--door", default=None, help="Wie het oordeel geeft (wordt bewaard, niet getoond).")
def beoordeel(ws_dir: Path, zaak_id: str, oordeel: str, notitie: str | None, door: str | None) -> None:
    n = _beoordeel(ws_dir, zaak_id, oordeel, notitie, door)
    click.echo(f"Zaak {zaak_id}: oordeel {oordeel} vastgelegd." if n else
               f"Zaak {zaak_id}: dit oordeel stond al vast; niets gewijzigd.")


@zaak.command("lijst", help="Toon de zaken van de laatste run met hun status en laatste oordeel.")
@_WS
@click.option("--status", type=click.Choice(STATUSSEN), default=None, help="Alleen zaken met deze status.")
@click.option("--oordeel", type=click.Choice((*OORDELEN, "geen")), default=None,
              help="Alleen zaken met dit laatste oordeel (geen: nog niet beoordeeld).")
@click.option("--csv", "als_csv", is_flag=True, help="Als CSV (voor scripts) in plaats van tekst.")
def lijst(ws_dir: Path, status: str | None, oordeel: str | None, als_csv: bool) -> None:
    df = _lijst(ws_dir, status, oordeel)
    if als_csv:
        df = df.with_columns(inert("notitie"), fmt_csv("financieel_effect_ct").alias("financieel_effect_ct")).rename(
            {"financieel_effect_ct": "financieel_effect"})   # money as 1234.56, input text inert
        click.echo(csv_bytes(df).decode("utf-8"), nl=False)
    else:
        click.echo(lijst_tekst(df), nl=False)


@zaak.command("importeer", help=(
    "Lees de oordelen uit het tabblad Zaken van rapport.xlsx (kolommen Oordeel, Notitie en Door, "
    "ingevuld in Excel) en leg ze vast. Rijen zonder oordeel worden overgeslagen."))
@_WS
@click.argument("werkmap_pad", metavar="RAPPORT_XLSX", type=click.Path(dir_okay=False, path_type=Path))
def importeer(ws_dir: Path, werkmap_pad: Path) -> None:
    if not werkmap_pad.is_file():
        raise InvoerFout(f"{werkmap_pad}: bestand niet gevonden.")
    bladen = werkmap.read_sheets(werkmap_pad, only={ZAKEN_SHEET})
    rows = bladen.get(ZAKEN_SHEET)
    if not rows:
        raise InvoerFout(f"{werkmap_pad.name}: geen tabblad {ZAKEN_SHEET}; gebruik de rapport.xlsx van een run "
                         "met --werkruimte.")
    kop = [(h or "").strip() for h in rows[0]]
    kop = ["zaak_id" if h in ("Zaak", "zaak_id") else h for h in kop]   # "Zaak"; "zaak_id" in older workbooks
    for k in ("zaak_id", "Oordeel", "Notitie", "Door"):
        if k not in kop:
            raise InvoerFout(f"{werkmap_pad.name} (blad {ZAKEN_SHEET}): kolom {'Zaak' if k == 'zaak_id' else k} ontbreekt; "
                             "gebruik het tabblad zoals pgb-audit het schreef.")
    i = {k: kop.index(k) for k in ("zaak_id", "Oordeel", "Notitie", "Door")}

    def waarde(r: list, k: str) -> str | None:
        return r[i[k]] if i[k] < len(r) else None

    rijen = [(f"{werkmap_pad.name} (blad {ZAKEN_SHEET}, rij {n}, kolom Oordeel)", waarde(r, "zaak_id"),
              waarde(r, "Oordeel"), waarde(r, "Notitie"), waarde(r, "Door"))
             for n, r in enumerate(rows[1:], start=2) if (waarde(r, "Oordeel") or "").strip()]
    vast, over = _importeer(ws_dir, rijen)
    click.echo(f"{vast} oordelen vastgelegd, {over} ongewijzigd overgeslagen.")
