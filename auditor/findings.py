"""The finding schema: one declaration from which every view of a finding derives.

`FIELDS` lists a finding's columns in order with their polars dtype and whether they are
published. From it come:

* `FINDING_SCHEMA`: the internal frame every check returns (through `finding_frame`);
* `CSV_COLUMNS`: the columns of findings.csv and of the report's Bevindingen sheet (money
  columns lose their `_ct` suffix and are written as `1234.56`);
* `STORED_COLUMNS` / `sql_columns()`: the werkruimte's `bevindingen` table;
* `OPGELOST_COLUMNS`: opgelost.csv (a subset plus when it was last seen).

Foundation layer: imports only the check table, formatting and file helpers.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.files import inert
from auditor.registry import CHECK_ENUM

# name, dtype, published (findings.csv, report sheet)
FIELDS: tuple[tuple[str, pl.DataType, bool], ...] = (
    ("check", CHECK_ENUM, True),
    ("soort", pl.String(), True),
    ("ernst", pl.String(), True),
    ("budgethouder_id", pl.String(), True),
    ("zorgverlener_id", pl.String(), True),
    ("toekenning_id", pl.String(), True),
    ("zorgovereenkomst_id", pl.String(), True),
    ("declaratie_ids", pl.List(pl.String()), True),
    ("periode_van", pl.Date(), True),
    ("periode_tot", pl.Date(), True),
    ("bedrag_betrokken_ct", pl.Int64(), True),
    ("financieel_effect_ct", pl.Int64(), True),
    ("artikel", pl.String(), True),
    ("toelichting", pl.String(), True),
    # "ja" when the euros rest on a value the regeling's [bronnen] marks as voorbeeldwaarde, else "nee"
    ("voorbeeldwaarde", pl.String(), True),
    ("regeling_id", pl.String(), False),
    ("details", pl.String(), False),
)

#: what a check returns (the engine adds `finding_id`)
FINDING_SCHEMA: dict[str, pl.DataType] = {name: dtype for name, dtype, _ in FIELDS}
NIET_TOETSBAAR_SCHEMA = {"sleutel": pl.String(), "reden": pl.String()}


def public_name(col: str) -> str:
    """`financieel_effect_ct` -> `financieel_effect` (money is published in euros)."""
    return col.removesuffix("_ct")


#: findings.csv (before the optional `status` of a werkruimte run)
CSV_COLUMNS: list[str] = ["finding_id"] + [public_name(n) for n, _, pub in FIELDS if pub]
#: the werkruimte's `bevindingen` table, after `run_id` and before `status`
STORED_COLUMNS: list[str] = ["finding_id"] + list(FINDING_SCHEMA)
_OPGELOST_FROM_FINDING = ("finding_id", "check", "soort", "budgethouder_id", "zorgverlener_id", "toekenning_id",
                          "zorgovereenkomst_id", "declaratie_ids", "periode_van", "periode_tot",
                          "financieel_effect_ct", "toelichting")
#: opgelost (internal; opgelost.csv publishes them with `public_name`)
OPGELOST_COLUMNS: list[str] = ["zaak_id"] + list(_OPGELOST_FROM_FINDING) + ["laatst_gezien_run",
                                                                           "laatst_gezien_peildatum"]


def _dtype(col: str) -> pl.DataType:
    return pl.String() if col == "finding_id" else FINDING_SCHEMA[col]


def opgelost_schema() -> dict[str, pl.DataType]:
    """Dtypes of the opgelost frame (the `check` column as stored: text)."""
    out = {c: (pl.String() if c == "check" else _dtype(c)) for c in _OPGELOST_FROM_FINDING}
    return {"zaak_id": pl.String(), **out, "laatst_gezien_run": pl.Int64(), "laatst_gezien_peildatum": pl.Date()}


def sql_type(dtype: pl.DataType) -> str:
    return "INTEGER" if dtype == pl.Int64() else "TEXT"


def stored_schema() -> dict[str, pl.DataType]:
    """Dtypes of `bevindingen` rows as read back from SQLite (dates and lists as text)."""
    return {c: (pl.Int64() if _dtype(c) == pl.Int64() else pl.String()) for c in STORED_COLUMNS}


def sql_columns() -> str:
    """The column definitions of the werkruimte's `bevindingen` table (after `run_id`)."""
    not_null = {"finding_id", "check", "declaratie_ids"}
    return ", ".join(f'"{c}" {sql_type(_dtype(c))}' + (" NOT NULL" if c in not_null else "") for c in STORED_COLUMNS)


def _money_and_dates(cols: list[str]) -> list[pl.Expr]:
    out = []
    for c in cols:
        dtype = _dtype(c)
        if c.endswith("_ct"):
            out.append(formatting.fmt_csv(c).alias(public_name(c)))
        elif dtype == pl.Date():
            out.append(pl.col(c).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.List):
            out.append(pl.col(c).list.join(";"))
        elif dtype == pl.Boolean():
            out.append(pl.when(pl.col(c)).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias(c))
        else:
            out.append(pl.col(c).cast(pl.String))
    return out


def findings_table(findings: pl.DataFrame, status: pl.DataFrame | None = None) -> pl.DataFrame:
    """Internal findings to the columns of findings.csv (money as `1234.56`, input text inert);
    with `status` (finding_id, then e.g. zaak_id, status) its other columns trail, in its order."""
    internal = ["finding_id"] + [n for n, _, pub in FIELDS if pub]
    out = findings.select(_money_and_dates(internal))
    text = [public_name(c) for c in internal[1:]
            if _dtype(c) not in (pl.Date(), pl.Boolean()) and not c.endswith("_ct")]
    out = out.with_columns([inert(c) for c in text]).select(CSV_COLUMNS)
    if status is not None:
        out = out.join(status, on="finding_id", how="left", maintain_order="left").select(
            CSV_COLUMNS + [c for c in status.columns if c != "finding_id"])
    return out


def opgelost_table(opgelost: pl.DataFrame) -> pl.DataFrame:
    """The findings of the previous run that no longer hold (opgelost.csv)."""
    cols = list(_OPGELOST_FROM_FINDING)
    out = opgelost.sort("check", "budgethouder_id", "zaak_id", "finding_id", nulls_last=True).select(
        ["zaak_id"] + _money_and_dates(cols) + ["laatst_gezien_run", pl.col("laatst_gezien_peildatum").dt.strftime("%Y-%m-%d")])
    text = [public_name(c) for c in cols[1:] if _dtype(c) != pl.Date() and not c.endswith("_ct")]
    return out.with_columns([inert(c) for c in text]).select(
        [public_name(c) for c in OPGELOST_COLUMNS])
