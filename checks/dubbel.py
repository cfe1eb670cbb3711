"""DUBBEL: a declaration line declared again.

**What it finds.** Two or more lines of the same budgethouder and zorgverlener for the same
product, the same days (`datum_van` and `datum_tot`), the same `aantal` and the same
`bedrag`. The first line (earliest `ingediend_op`, then lowest `declaratie_id`) is the
original; every later copy is a finding.

**Why it matters.** The pgb pays care once. A copy is paid twice unless the SVB catches it.

**Article.** The regeling's `[artikelen].DUBBEL` (Losser: art. 8.1 lid 4 sub a, the
college's power to check the spending of pgb's).

**financieel_effect.** The `bedrag` of every copy after the first.

Fires: D1 and D2 both 01-03-2025, 2,5 uur, 145,35 for the same budgethouder, zorgverlener
and product: D2 is a finding of 145,35.
Does not fire: the same care on another day, or the same day with another aantal.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings

KEYS = ["budgethouder_id", "zorgverlener_id", "product_code", "datum_van", "datum_tot", "aantal_e4", "bedrag_ct"]


@check("DUBBEL")
def run(ctx: Context) -> CheckResult:
    """A line declared again: same budgethouder, zorgverlener, product, days, aantal and bedrag."""
    # Only lines whose keys occur more than once can be copies: find those groups with one
    # hash aggregation, then sort and number just them (a few hundred of a million lines).
    herhaald = ctx.lines.group_by(KEYS).agg(pl.len().alias("_n")).filter(pl.col("_n") > 1).drop("_n")
    kandidaten = ctx.lines.join(herhaald, on=KEYS, how="semi", nulls_equal=True)
    lines = (kandidaten.sort(["ingediend_op", "declaratie_id"], nulls_last=True)
             .with_columns(
                 pl.int_range(pl.len()).over(KEYS).alias("_volgnr"),
                 pl.col("declaratie_id").first().over(KEYS).alias("_origineel"),
             ))
    copies = lines.filter(pl.col("_volgnr") > 0)
    datum = formatting.fmt_datum_nl("datum_van")
    periode = pl.when(pl.col("datum_van") == pl.col("datum_tot")).then(datum).otherwise(
        pl.concat_str([datum, pl.lit(" t/m "), formatting.fmt_datum_nl("datum_tot")]))
    findings = line_findings(
        copies, pl.col("bedrag_ct"),
        pl.concat_str([
            pl.lit("Declaratie "), pl.col("declaratie_id"), pl.lit(" herhaalt declaratie "), pl.col("_origineel"),
            pl.lit(" (zelfde zorgverlener, product "), pl.col("product_code"), pl.lit(", "), periode,
            pl.lit(", aantal "), formatting.fmt_qty_nl("aantal_e4"), pl.lit("), zodat "),
            formatting.fmt_nl("bedrag_ct"), pl.lit(" euro dubbel is gedeclareerd."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("origineel="), pl.col("_origineel")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, "DUBBEL"))
