"""Monetary-unit sampling (MUS) of declaration lines for the accountant's deelwaarneming.

Method (also in docs/reports.md):

* population: the audited declaration lines with `bedrag > 0`, ordered by `declaratie_id`
  (lines of 0 or less cannot be hit by a monetary unit; they are counted in the meta data);
* reliability factor R for zero expected errors: `-ln(1 - betrouwbaarheid)` rounded UP to two
  decimals, which gives the table values 3,00 (95%), 2,31 (90%) and 4,61 (99%);
* sample size `n = ceil(totaal x R / materialiteit)`; interval `J = totaal / n` (exact fraction
  of cents);
* systematic selection with a random start (`auditor.steekproef.trek.interval_euros`): `u` is drawn with `random.Random(seed)` from the
  cents 1 .. floor(J); the selected monetary units are `u + k x J` for k = 0 .. n-1; a line is
  selected when one of them falls in its cents (cumulative bedrag). A line of at least J is
  always hit (top stratum, `bovenste_laag = ja`). `treffers` is how many units fell in the line.

The same batch, materialiteit, betrouwbaarheid and seed give the same sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

import polars as pl

from auditor import formatting as money  # Dutch number formatting lives in auditor.formatting
from auditor.files import inert
from auditor.steekproef.trek import interval_euros

METHODE = ("monetary unit sampling (MUS), systematische selectie met willekeurig begin; "
           "populatie: declaratieregels met bedrag > 0 in volgorde van declaratie_id")


@dataclass
class Steekproef:
    regels: pl.DataFrame
    meta: dict


def betrouwbaarheidsfactor(betrouwbaarheid: float) -> Decimal:
    if not 0 < betrouwbaarheid < 1:
        raise ValueError("betrouwbaarheid moet tussen 0 en 1 liggen (bijvoorbeeld 0.95)")
    r = Decimal(repr(-math.log(1 - betrouwbaarheid)))
    return r.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def trek(decl: pl.DataFrame, materialiteit_ct: int, betrouwbaarheid: float, seed: int) -> Steekproef:
    """decl: typed declaraties (declaratie_id, bedrag_ct, ...)."""
    if materialiteit_ct <= 0:
        raise ValueError("materialiteit moet groter dan 0 zijn")
    r = betrouwbaarheidsfactor(betrouwbaarheid)
    pop = decl.filter(pl.col("bedrag_ct") > 0).sort("declaratie_id")
    rest = decl.filter(~(pl.col("bedrag_ct") > 0) | pl.col("bedrag_ct").is_null())
    totaal = int(pop["bedrag_ct"].sum()) if pop.height else 0
    meta = {
        "methode": METHODE, "seed": seed, "betrouwbaarheid": betrouwbaarheid,
        "betrouwbaarheidsfactor": str(r), "materialiteit": money.eur_csv(materialiteit_ct),
        "populatie_regels": pop.height, "populatie_bedrag": money.eur_csv(totaal),
        "buiten_populatie_regels": rest.height,
        "buiten_populatie_bedrag": money.eur_csv(int(rest["bedrag_ct"].fill_null(0).sum())),
    }
    if totaal == 0:
        meta.update(n=0, interval=None, start=None, geselecteerde_regels=0)
        return Steekproef(pop.head(0).with_columns(pl.lit(0).alias("treffers"), pl.lit("").alias("bovenste_laag")), meta)
    n = int((Decimal(totaal) * r / Decimal(materialiteit_ct)).to_integral_value(rounding=ROUND_CEILING))
    n = max(n, 1)
    sel, u, interval = interval_euros(pop, n, totaal, seed)
    sel = sel.filter(pl.col("treffers") > 0).with_columns(
        pl.when(pl.col("bedrag_ct") * n >= totaal).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("bovenste_laag"))
    interval_ct = Decimal(interval.numerator) / Decimal(interval.denominator)
    meta.update(n=n, interval=str((interval_ct / 100).quantize(Decimal("0.01"))), start=money.eur_csv(u),
                geselecteerde_regels=sel.height, volgorde="declaratie_id oplopend")
    return Steekproef(sel, meta)


CSV_COLUMNS = ["volgnummer", "declaratie_id", "budgethouder_id", "zorgverlener_id", "datum_van", "datum_tot",
               "product_code", "aantal", "bedrag", "omschrijving", "treffers", "bovenste_laag",
               "seed", "methode", "interval", "n"]


def csv_frame(s: Steekproef, methode: str = "MUS systematisch") -> pl.DataFrame:
    """The sample as text for people (written with `people_csv_bytes`: `;`, decimal comma,
    dd-mm-jjjj); seed, method, interval and n repeated on every row (self-describing)."""
    d = s.regels
    out = d.with_row_index("volgnummer", offset=1).select(
        pl.col("volgnummer").cast(pl.String), "declaratie_id", "budgethouder_id", "zorgverlener_id",
        pl.col("datum_van").dt.strftime("%d-%m-%Y"), pl.col("datum_tot").dt.strftime("%d-%m-%Y"),
        "product_code",
        money.fmt_qty_nl("aantal_e4").alias("aantal") if "aantal_e4" in d.columns
        else pl.lit(None, dtype=pl.String).alias("aantal"),
        money.fmt_csv("bedrag_ct").str.replace(".", ",", literal=True).alias("bedrag"),
        (pl.col("omschrijving") if "omschrijving" in d.columns else pl.lit(None, dtype=pl.String)).alias("omschrijving"),
        pl.col("treffers").cast(pl.String), "bovenste_laag",
        pl.lit(str(s.meta["seed"])).alias("seed"), pl.lit(methode).alias("methode"),
        pl.lit(s.meta["interval"] or "", dtype=pl.String).alias("interval"), pl.lit(str(s.meta["n"])).alias("n"))
    text = ["declaratie_id", "budgethouder_id", "zorgverlener_id", "product_code", "omschrijving"]
    return out.with_columns([inert(c) for c in text]).select(CSV_COLUMNS)
