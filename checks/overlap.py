"""OVERLAP: the same days of care per etmaal (or maand) declared twice.

**What it finds.** Lines in `etmaal` or `maand` units of one budgethouder and product whose
days overlap, while they are not exact copies (same zorgverlener, days, aantal and bedrag:
those are `DUBBEL`'s, and of each set of copies only the first takes part here). A
budgethouder has one etmaal per day: a day declared by two such lines is paid twice. The
lines are ordered by `datum_van`, then `declaratie_id`; on every day the first line that
declares it is the original and every later line's share of that day overlaps.

**Why it matters.** Stay, wonen and verblijf are paid per day (per etmaal); two providers,
or one provider twice with different amounts, cannot both have cared for the jeugdige that
night. DUBBEL does not see it because the lines differ.

**Article.** The regeling's `[artikelen].OVERLAP` (Losser: art. 8.1 lid 4 sub a, the
college's power to check the spending of the pgb).

**financieel_effect.** Per line after the first, the euros of its overlapping days pro rata:
`money.prorata(bedrag, overlapping days, days of the line)`. One finding per line.

Fires: D1 01-03..10-03-2025 (10 etmalen, 500,00) and D2 06-03..15-03-2025 (10 etmalen,
480,00) for the same budgethouder and product: D2 overlaps on 5 days, 480,00 x 5 / 10 =
240,00.
Does not fire: D2 from 11-03-2025; an exact copy of D1 (DUBBEL's); hours (`uur`) on the
same days; another product.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings


CODE = "OVERLAP"
EENHEDEN = ("etmaal", "maand")
#: an exact copy, as DUBBEL defines it (checks/dubbel.py KEYS)
KOPIE = ["budgethouder_id", "zorgverlener_id", "product_code", "datum_van", "datum_tot", "aantal_e4", "bedrag_ct"]


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """Days of care in etmaal/maand units declared twice for one budgethouder and product,
    by lines that are not exact copies; the euros of the overlapping days after the first line."""
    per_dag = ctx.lines.filter(pl.col("eenheid").is_in(EENHEDEN))
    # of a set of exact copies only the first (as DUBBEL orders them) takes part
    per_dag = (per_dag.sort(["ingediend_op", "declaratie_id"], nulls_last=True)
               .filter(pl.int_range(pl.len()).over(KOPIE) == 0))
    dagen = (per_dag.select("declaratie_id", "budgethouder_id", "product_code", "datum_van",
                            pl.date_ranges("datum_van", "datum_tot").alias("_dag")).explode("_dag")
             .sort("budgethouder_id", "product_code", "_dag", "datum_van", "declaratie_id")
             .with_columns(pl.col("declaratie_id").first().over("budgethouder_id", "product_code", "_dag")
                           .alias("_eerste")))
    dubbel = (dagen.filter(pl.col("declaratie_id") != pl.col("_eerste"))
              .group_by("declaratie_id").agg(pl.len().cast(pl.Int64).alias("_overlap"),
                                              pl.col("_eerste").unique().sort().alias("_met"),
                                              pl.col("_dag").min().alias("_o_van"), pl.col("_dag").max().alias("_o_tot")))
    lines = (per_dag.join(dubbel, on="declaratie_id", how="inner")
             .with_columns(money.prorata("bedrag_ct", "_overlap", "dagen").alias("_effect_ct")))
    periode = pl.when(pl.col("_o_van") == pl.col("_o_tot")).then(formatting.fmt_datum_nl("_o_van")).otherwise(
        pl.concat_str([formatting.fmt_datum_nl("_o_van"), pl.lit(" t/m "), formatting.fmt_datum_nl("_o_tot")]))
    dag_tekst = pl.when(pl.col("_overlap") == 1).then(pl.lit(" dag")).otherwise(pl.lit(" dagen"))
    toelichting = pl.concat_str([
        pl.lit("Declaratie "), pl.col("declaratie_id"), pl.lit(" rekent "), pl.col("_overlap").cast(pl.String), dag_tekst,
        pl.lit(" ("), periode, pl.lit(") die declaratie "), pl.col("_met").list.join(", "),
        pl.lit(" voor hetzelfde product al rekent; een jeugdige heeft één etmaal per dag, dus "),
        formatting.fmt_nl("_effect_ct"), pl.lit(" euro van de "), formatting.fmt_nl("bedrag_ct"),
        pl.lit(" euro is dubbel gedeclareerd."),
    ])
    findings = line_findings(
        lines, pl.col("_effect_ct"), toelichting.alias("toelichting"),
        pl.concat_str([pl.lit("overlap_dagen="), pl.col("_overlap").cast(pl.String), pl.lit(";met="),
                       pl.col("_met").list.join(",")]).alias("details"))
    return CheckResult(findings=finding_frame(findings, ctx, CODE))
