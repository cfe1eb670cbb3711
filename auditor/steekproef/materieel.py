"""BADO D, materiële controle: was the care delivered?

1. `trek`: a seeded sample of budgethouders with declared care in the batch (audited lines
   that were not rejected), drawn without replacement from the budgethouders sorted by id
   (numpy's generator with the seed): the same batch and seed give the same budgethouders.
2. `schrijf`: per budgethouder a vragenlijst (xlsx) with its zorgverleners and the care
   declared per zorgverlener, product and month (hours/units, amounts, the questions to ask),
   and one `antwoorden.xlsx` to record the answers (drop-down lists for the answer and the
   kind of check).
3. `importeer`: the filled-in answers, validated, to `materiele_controle.csv` in the batch
   folder; the next `pgb-audit run` turns `niet geleverd` into NIET-GELEVERD findings
   (checks/niet_geleverd.py; the file is defined in auditor/materiele_controle.py).

Names of natural persons are initials and phone numbers are left out unless `toon_namen`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from auditor import formatting
from auditor.errors import InvoerFout
from auditor.load import read_csv_text, read_xlsx_sheets
from auditor.files import atomic_write, csv_bytes, inert
from auditor.privacy import mask_naam_expr
from auditor.tables import normalise_header
from auditor import materiele_controle as ng

VRAGEN = (
    "Wie heeft de zorg gegeven, en is dat de zorgverlener die in de lijst staat?",
    "Waar en op welke dagen en tijden werd de zorg gegeven?",
    "Is per regel hieronder de zorg in die maand geleverd? Zo nee of gedeeltelijk: hoeveel uren wel?",
    "Heeft u de declaraties of urenbriefjes gezien en goedgekeurd voordat ze werden ingediend?",
    "Is de zorgverlener familie, huisgenoot of bekende van u of van de jeugdige?",
    "Betaalt u (of iemand anders) de zorgverlener ook buiten het pgb om?",
)
PERSOON_SOORTEN = ("zzp", "sociaal_netwerk", "overig_niet_professioneel")
ANTWOORD_KOLOMMEN = ["budgethouder_id", "zorgverlener_id", "zorgverlener", "product_code", "maand", "eenheid",
                     "aantal_gedeclareerd", "bedrag_gedeclareerd", "regels", "antwoord", "uren_geleverd",
                     "soort_controle", "datum_controle", "toelichting"]


def zorg_per_maand(lines: pl.DataFrame, zorgverleners: pl.DataFrame, toon_namen: bool = False) -> pl.DataFrame:
    """The declared care per budgethouder, zorgverlener, product and month."""
    zv = zorgverleners.select("zorgverlener_id", mask_naam_expr("naam", toon_namen, pl.col("soort").is_in(
        list(PERSOON_SOORTEN))).alias("zorgverlener"))
    return (lines.with_columns(pl.col("datum_van").dt.strftime("%Y-%m").alias("maand"))
            .group_by("budgethouder_id", "zorgverlener_id", "product_code", "maand")
            .agg(pl.col("eenheid").drop_nulls().first(), pl.col("aantal_e4").sum(), pl.col("bedrag_ct").sum(),
                 pl.len().alias("regels"),
                 pl.col("omschrijving").drop_nulls().unique().sort().str.join("; ").alias("omschrijving"))
            .join(zv, on="zorgverlener_id", how="left")
            .sort("budgethouder_id", "zorgverlener_id", "product_code", "maand"))


def trek(tables: dict[str, pl.DataFrame], aantal: int, seed: int) -> pl.DataFrame:
    """The sampled budgethouders (typed budgethouders rows), sorted by id."""
    if aantal <= 0:
        raise ValueError("het aantal budgethouders moet groter dan 0 zijn")
    decl = tables["declaraties"].filter(pl.col("status").is_null() | (pl.col("status") != "afgekeurd"))
    ids = decl.select(pl.col("budgethouder_id").unique().sort()).to_series()
    if ids.len() == 0:
        raise ValueError("de batch bevat geen gedeclareerde zorg")
    idx = np.sort(np.random.default_rng(seed).choice(ids.len(), size=min(aantal, ids.len()), replace=False))
    gekozen = ids.gather(idx)
    return tables["budgethouders"].filter(pl.col("budgethouder_id").is_in(gekozen.implode())).sort("budgethouder_id")


def _tabel(zorg: pl.DataFrame) -> pl.DataFrame:
    return zorg.select(
        "budgethouder_id", "zorgverlener_id", pl.col("zorgverlener").fill_null(""), "product_code", "maand",
        pl.col("eenheid").fill_null(""), formatting.fmt_qty_nl("aantal_e4").alias("aantal_gedeclareerd"),
        formatting.fmt_nl("bedrag_ct").alias("bedrag_gedeclareerd"), pl.col("regels"),
        pl.col("omschrijving").fill_null(""))


def schrijf(out_dir: Path, budgethouders: pl.DataFrame, zorg: pl.DataFrame, seed: int,
            toon_namen: bool = False) -> list[Path]:
    """Write vragenlijst-<id>.xlsx per budgethouder and antwoorden.xlsx; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    bh = budgethouders.select("budgethouder_id", mask_naam_expr("naam", toon_namen).alias("naam"), "woonplaats",
                              (pl.col("telefoon") if toon_namen else pl.lit("(zie dossier)")).alias("telefoon"))
    zorg = zorg.join(bh.select("budgethouder_id"), on="budgethouder_id", how="semi")
    tabel = _tabel(zorg)
    paths = []
    opts = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    for rij in bh.iter_rows(named=True):           # one workbook per sampled budgethouder
        eigen = tabel.filter(pl.col("budgethouder_id") == rij["budgethouder_id"])
        p = out_dir / f"vragenlijst-{rij['budgethouder_id']}.xlsx"
        wb = xlsxwriter.Workbook(str(p), opts)
        try:
            vet = wb.add_format({"bold": True})
            kop = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
            ws = wb.add_worksheet("vragenlijst")
            ws.write_string(0, 0, "Materiële controle pgb: vragenlijst", vet)
            info = [("Budgethouder", rij["budgethouder_id"]), ("Naam", rij["naam"] or ""),
                    ("Woonplaats", rij["woonplaats"] or ""), ("Telefoon", rij["telefoon"] or ""),
                    ("Steekproef (seed)", str(seed)), ("Controle", "telefonisch / huisbezoek (doorhalen)"),
                    ("Datum en medewerker", "")]
            for i, (k, v) in enumerate(info, start=2):
                ws.write_string(i, 0, k, vet)
                ws.write_string(i, 1, str(v))
            r0 = len(info) + 3
            ws.write_string(r0, 0, "Vragen", vet)
            for i, vraag in enumerate(VRAGEN, start=1):
                ws.write_string(r0 + i, 0, f"{i}. {vraag}")
            t0 = r0 + len(VRAGEN) + 2
            cols = ["zorgverlener_id", "zorgverlener", "product_code", "omschrijving", "maand", "eenheid",
                    "aantal_gedeclareerd", "bedrag_gedeclareerd", "regels", "antwoord", "uren_geleverd", "toelichting"]
            ws.write_row(t0, 0, cols, kop)
            for j, c in enumerate(cols):
                if c in eigen.columns:
                    ws.write_column(t0 + 1, j, [str(v) for v in eigen[c].to_list()])
            ws.set_column(0, len(cols) - 1, 16)
            ws.set_column(3, 3, 30)
            ws.set_column(0, 0, 22)
        finally:
            wb.close()
        paths.append(p)
    p = out_dir / "antwoorden.xlsx"
    wb = xlsxwriter.Workbook(str(p), opts)
    try:
        kop = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        invul = wb.add_format({"bg_color": "#FFF2CC", "border": 1})
        ws = wb.add_worksheet("antwoorden")
        ws.write_row(0, 0, ANTWOORD_KOLOMMEN, kop)
        for j, c in enumerate(ANTWOORD_KOLOMMEN):
            if c in tabel.columns:
                ws.write_column(1, j, [str(v) for v in tabel[c].to_list()])
            else:
                ws.set_column(j, j, 18, invul)
        last = max(tabel.height, 1)
        ws.data_validation(1, ANTWOORD_KOLOMMEN.index("antwoord"), last, ANTWOORD_KOLOMMEN.index("antwoord"),
                           {"validate": "list", "source": list(ng.ANTWOORDEN)})
        ws.data_validation(1, ANTWOORD_KOLOMMEN.index("soort_controle"), last,
                           ANTWOORD_KOLOMMEN.index("soort_controle"),
                           {"validate": "list", "source": ["telefonisch", "huisbezoek"]})
        ws.freeze_panes(1, 0)
        ws.set_column(0, 8, 16)
        ws.set_column(ANTWOORD_KOLOMMEN.index("toelichting"), ANTWOORD_KOLOMMEN.index("toelichting"), 40, invul)
    finally:
        wb.close()
    paths.append(p)
    return paths


def importeer(antwoorden: Path, batch_dir: Path) -> tuple[Path, dict[str, int]]:
    """Validate the filled-in answers and write them to the batch's `materiele_controle.csv`."""
    if not antwoorden.is_file():
        raise InvoerFout(f"{antwoorden}: dit bestand bestaat niet; geef het ingevulde antwoordenblad.")
    if antwoorden.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(antwoorden)
        name = next((s for s in sheets if normalise_header(s) == "antwoorden"), next(iter(sheets), None))
        if name is None:
            raise InvoerFout(f"{antwoorden.name}: de werkmap bevat geen blad 'antwoorden'.")
        df, waar, dec = sheets[name], f"{antwoorden.name} (blad {name})", ","
    else:
        df, _, delim, _ = read_csv_text(antwoorden, antwoorden.read_bytes())
        waar, dec = antwoorden.name, ("." if delim == "," else ",")
    df = df.rename({c: normalise_header(c) for c in df.columns})
    want = {normalise_header(c): c for c in ng.KOLOMMEN}
    df = df.rename({c: want[c] for c in df.columns if c in want})
    typed = ng.valideer(df, waar, decimal=dec)
    out = typed.select(
        *[c for c in ng.KOLOMMEN if c != "uren_geleverd"][:5],
        (pl.col("uren_geleverd_e4") // 10_000).cast(pl.String).alias("_i"),
        (pl.col("uren_geleverd_e4") % 10_000).cast(pl.String).str.pad_start(4, "0").str.strip_chars_end("0")
        .alias("_f"),
        "soort_controle", "datum_controle", "toelichting",
    ).with_columns(pl.when(pl.col("_f") == "").then(pl.col("_i")).otherwise(pl.concat_str(["_i", pl.lit("."), "_f"]))
                   .alias("uren_geleverd")).select(list(ng.KOLOMMEN))
    path = Path(batch_dir) / ng.BESTAND
    out = out.with_columns([inert(c) for c in ("toelichting", "soort_controle", "datum_controle")])
    atomic_write(path, csv_bytes(out))
    telling = dict(out.group_by("antwoord").len().sort("antwoord").iter_rows())
    return path, telling
