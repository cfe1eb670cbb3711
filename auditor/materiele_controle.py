"""The materiële controle's answers (BADO D): the optional file `materiele_controle.csv`.

`pgb-audit steekproef materieel --importeer` writes it into the batch folder from the filled-in
answer sheet; `pipeline.audit` reads it here (the load side: no check reads a file) and puts
the typed frame in the Context under `TABEL`, where `checks/niet_geleverd.py` judges it.

The file (UTF-8, comma-separated): `budgethouder_id`, `zorgverlener_id`, `product_code`,
`maand` (JJJJ-MM, the month of `datum_van`), `antwoord` (`geleverd`, `niet geleverd`,
`gedeeltelijk geleverd`, `onbekend`), `uren_geleverd` (plain decimal, optional),
`soort_controle`, `datum_controle`, `toelichting`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from auditor.errors import InvoerFout
from auditor.validate import parse_scaled

TABEL = "materiele_controle"                 # the key under which the pipeline puts the answers
BESTAND = "materiele_controle.csv"
ANTWOORDEN = ("geleverd", "niet geleverd", "gedeeltelijk geleverd", "onbekend")
KOLOMMEN = ("budgethouder_id", "zorgverlener_id", "product_code", "maand", "antwoord", "uren_geleverd",
            "soort_controle", "datum_controle", "toelichting")
SCHEMA = {"budgethouder_id": pl.String, "zorgverlener_id": pl.String, "product_code": pl.String,
          "maand": pl.String, "antwoord": pl.String, "uren_geleverd_e4": pl.Int64, "soort_controle": pl.String,
          "datum_controle": pl.String, "toelichting": pl.String}


def leeg() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def valideer(df: pl.DataFrame, waar: str, rij_offset: int = 2, decimal: str = ",") -> pl.DataFrame:
    """Text answers (columns KOLOMMEN) to the typed frame SCHEMA; raises `InvoerFout` naming
    file, row and column for the first bad cell. Rows without an answer are skipped."""
    missing = [c for c in ("budgethouder_id", "zorgverlener_id", "product_code", "maand", "antwoord")
               if c not in df.columns]
    if missing:
        raise InvoerFout(f"{waar}: de kolom '{missing[0]}' ontbreekt; gebruik het antwoordenblad van "
                         "'steekproef materieel'.")
    d = df.with_row_index("_rij", offset=rij_offset).with_columns(
        [pl.col(c).cast(pl.String).str.strip_chars().replace("", None) if c in df.columns
         else pl.lit(None, dtype=pl.String).alias(c) for c in KOLOMMEN])
    d = d.with_columns(pl.col("antwoord").str.to_lowercase().str.replace_all(r"\s+", " "))
    d = d.filter(pl.col("antwoord").is_not_null())
    d = d.with_columns(parse_scaled("uren_geleverd", 4, decimal).alias("uren_geleverd_e4"))
    regels = [
        ("antwoord", ~pl.col("antwoord").is_in(list(ANTWOORDEN)),
         f"verwacht een van: {', '.join(ANTWOORDEN)}"),
        ("maand", ~pl.col("maand").str.contains(r"^\d{4}-(0[1-9]|1[0-2])$").fill_null(False),
         "verwacht een maand als JJJJ-MM, bijvoorbeeld 2025-03"),
        ("uren_geleverd", pl.col("uren_geleverd").is_not_null() & pl.col("uren_geleverd_e4").is_null(),
         "verwacht een aantal uren, bijvoorbeeld 2,5"),
    ] + [(c, pl.col(c).is_null(), "de cel is leeg; laat de gegevens van de vragenlijst staan")
         for c in ("budgethouder_id", "zorgverlener_id", "product_code")]
    for col, cond, wat in regels:
        bad = d.filter(cond)
        if bad.height:
            r = bad.row(0, named=True)
            raise InvoerFout(f"{waar}, rij {r['_rij']}, kolom {col}: '{r[col] or ''}' is niet geldig; {wat}.")
    return d.select(list(SCHEMA)).sort("budgethouder_id", "zorgverlener_id", "product_code", "maand")


def lees_antwoorden(batch_dir: str | Path) -> pl.DataFrame:
    """The imported answers of the batch (`materiele_controle.csv`), or an empty frame."""
    path = Path(batch_dir) / BESTAND
    if not path.is_file():
        return leeg()
    try:
        df = pl.read_csv(path, infer_schema=False)
    except Exception as exc:
        raise InvoerFout(f"{BESTAND}: dit bestand kan niet worden gelezen ({type(exc).__name__}); importeer de "
                         "antwoorden opnieuw met 'steekproef materieel --importeer'.") from None
    return valideer(df, BESTAND, decimal=".")
