"""The workbook of a sample: written by `trek`, filled in by the accountant, read by `evalueer`.

Sheet `steekproef`: one row per selected line with `boekwaarde` (euros, a number) and
`treffers`, and the empty columns `controlewaarde` and `toelichting` to fill in. Sheet
`toelichting`: the draw (method, units, seed, n, interval, start, population) as
`gegeven` / `waarde`, so `evalueer` knows the population's size and book value.

Reading accepts .xlsx and .csv, amounts in Dutch (`1.234,56`) or plain (`1234.56`) notation.
Input text is written as text, never as a formula or link.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from auditor.errors import InvoerFout
from auditor.load import read_csv_text, read_xlsx_sheets
from auditor.tables import normalise_header
from auditor.validate import parse_scaled

KOLOMMEN = ["volgnummer", "declaratie_id", "budgethouder_id", "zorgverlener_id", "datum_van", "datum_tot",
            "product_code", "omschrijving", "boekwaarde", "treffers", "bovenste_laag", "controlewaarde",
            "toelichting"]


def schrijf(path: Path, regels: pl.DataFrame, meta: dict) -> None:
    """`regels`: the selected lines (declaratie_id, ..., bedrag_ct, treffers, bovenste_laag)."""
    d = regels.with_row_index("volgnummer", offset=1)
    text = {c: (d[c].cast(pl.String) if c in d.columns else pl.Series(c, [None] * d.height, dtype=pl.String))
            for c in ("declaratie_id", "budgethouder_id", "zorgverlener_id", "product_code", "omschrijving",
                      "bovenste_laag")}
    dates = {c: d[c].dt.strftime("%Y-%m-%d") if c in d.columns else pl.Series(c, [None] * d.height, dtype=pl.String)
             for c in ("datum_van", "datum_tot")}
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    try:
        kop = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        eur = wb.add_format({"num_format": "#,##0.00"})
        invul = wb.add_format({"num_format": "#,##0.00", "bg_color": "#FFF2CC", "border": 1})
        ws = wb.add_worksheet("steekproef")
        ws.write_row(0, 0, KOLOMMEN, kop)
        cols = {"volgnummer": d["volgnummer"].to_list(), **{k: v.to_list() for k, v in text.items()},
                **{k: v.to_list() for k, v in dates.items()},
                "boekwaarde": (d["bedrag_ct"] / 100).round(2).to_list(), "treffers": d["treffers"].to_list()}
        for j, name in enumerate(KOLOMMEN):
            if name in ("controlewaarde", "toelichting"):
                continue            # left empty for the accountant; the column is coloured below
            if name == "boekwaarde":
                ws.write_column(1, j, cols[name], eur)
            else:
                ws.write_column(1, j, ["" if v is None else v for v in cols[name]])
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(d.height, 1), len(KOLOMMEN) - 1)
        ws.set_column(0, len(KOLOMMEN) - 1, 15)
        ws.set_column(KOLOMMEN.index("omschrijving"), KOLOMMEN.index("omschrijving"), 30)
        ws.set_column(KOLOMMEN.index("controlewaarde"), KOLOMMEN.index("controlewaarde"), 15, invul)
        ws.set_column(KOLOMMEN.index("toelichting"), KOLOMMEN.index("toelichting"), 40, invul)
        mt = wb.add_worksheet("toelichting")
        mt.write_row(0, 0, ["gegeven", "waarde"], kop)
        for i, (k, v) in enumerate(meta.items(), start=1):
            mt.write_string(i, 0, str(k))
            mt.write_string(i, 1, "" if v is None else str(v))
        mt.write_string(len(meta) + 2, 0, "Vul per regel de controlewaarde in (het bedrag dat na controle juist "
                                          "is; gelijk aan de boekwaarde als er geen fout is) en een toelichting.")
        mt.set_column(0, 0, 26)
        mt.set_column(1, 1, 60)
    finally:
        wb.close()


def _pick(sheets: dict[str, pl.DataFrame], name: str) -> tuple[str, pl.DataFrame] | None:
    for s, df in sheets.items():
        if normalise_header(s) == normalise_header(name):
            return s, df
    return None


def lees(path: Path) -> tuple[pl.DataFrame, dict]:
    """(items with boekwaarde_ct, controlewaarde_ct, treffers, _rij; meta). Raises
    `InvoerFout` naming file, row and column for anything the user must fix."""
    if not path.is_file():
        raise InvoerFout(f"{path}: dit bestand bestaat niet; geef de ingevulde steekproef (.xlsx of .csv).")
    meta: dict = {}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path)
        found = _pick(sheets, "steekproef") or next(
            ((s, df) for s, df in sheets.items()
             if {"boekwaarde", "controlewaarde"} <= {normalise_header(c) for c in df.columns}), None)
        if found is None:
            raise InvoerFout(f"{path.name}: geen blad met de kolommen boekwaarde en controlewaarde gevonden.")
        sheet, df = found
        where = f"{path.name} (blad {sheet})"
        dec = ","
        mt = _pick(sheets, "toelichting")
        if mt is not None and {"gegeven", "waarde"} <= set(mt[1].columns):
            meta = dict(zip(mt[1]["gegeven"].to_list(), mt[1]["waarde"].to_list()))
    else:
        df, _, delim, _ = read_csv_text(path, path.read_bytes())
        where, dec = path.name, ("." if delim == "," else ",")
    names = {normalise_header(c): c for c in df.columns}
    for need in ("boekwaarde", "controlewaarde"):
        if need not in names:
            raise InvoerFout(f"{where}: de kolom '{need}' ontbreekt; verwacht de kolommen boekwaarde en "
                             "controlewaarde (euro's).")
    sel = [pl.col(names["boekwaarde"]).alias("boekwaarde"), pl.col(names["controlewaarde"]).alias("controlewaarde")]
    sel.append(pl.col(names["treffers"]).alias("treffers") if "treffers" in names else pl.lit("1").alias("treffers"))
    sel += [pl.col(names[c]).alias(c) for c in ("declaratie_id", "toelichting") if c in names]
    df = df.with_row_index("_rij", offset=2).select(pl.col("_rij").cast(pl.Int64), *sel)
    df = df.filter(~pl.all_horizontal(pl.col("boekwaarde", "controlewaarde").str.strip_chars().replace("", None)
                                      .is_null()))
    parsed = df.with_columns(
        parse_scaled("boekwaarde", 2, dec).alias("boekwaarde_ct"),
        parse_scaled("controlewaarde", 2, dec).alias("controlewaarde_ct"),
        pl.col("treffers").str.strip_chars().str.replace(r",0+$", "").cast(pl.Int64, strict=False).alias("_tr"),
    )
    for col, what in (("boekwaarde", "een bedrag in euro's groter dan 0, bijvoorbeeld 145,35"),
                      ("controlewaarde", "een bedrag in euro's, bijvoorbeeld 145,35 (0 als niets juist is)")):
        bad = parsed.filter(pl.col(f"{col}_ct").is_null() | ((pl.col(f"{col}_ct") <= 0) if col == "boekwaarde"
                                                              else (pl.col(f"{col}_ct") < 0)))
        if bad.height:
            r = bad.row(0, named=True)
            leeg = r[col] is None or str(r[col]).strip() == ""
            raise InvoerFout(f"{where}, rij {r['_rij']}, kolom {col}: "
                             + ("de cel is leeg" if leeg else f"'{r[col]}' is geen geldig bedrag")
                             + f"; verwacht {what}. Vul de cel in en probeer opnieuw.")
    bad = parsed.filter(pl.col("_tr").is_null() | (pl.col("_tr") < 1))
    if bad.height:
        r = bad.row(0, named=True)
        raise InvoerFout(f"{where}, rij {r['_rij']}, kolom treffers: '{r['treffers']}' is geen geheel getal van 1 "
                         "of meer; laat de kolom staan zoals getrokken.")
    if parsed.height == 0:
        raise InvoerFout(f"{where}: de steekproef bevat geen regels.")
    out = parsed.drop("treffers").rename({"_tr": "treffers"})
    return out.select("_rij", *[c for c in ("declaratie_id",) if c in out.columns], "boekwaarde_ct",
                      "controlewaarde_ct", "treffers", *[c for c in ("toelichting",) if c in out.columns]), meta
