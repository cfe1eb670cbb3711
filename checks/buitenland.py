"""BUITENLAND: more care abroad in a calendar year than the regeling allows.

**What it finds.** A budgethouder with more than `max_weken_buitenland x 7` distinct days
of care abroad (`land` not `NL`) in one calendar year. One finding per budgethouder per
year.

**Why it matters.** The pgb may be spent abroad for a limited time only (Losser art. 7.3
lid 5: at most six weeks per calendar year outside the Netherlands); care abroad past that
is not a permitted use of the pgb.

**Article.** The regeling's `[artikelen].BUITENLAND`.

**financieel_effect.** The euros of the days past the limit, counted in date order: per
line, `prorata(bedrag, days of the line past the limit in that year, days of the line)`,
summed over the lines of the budgethouder and year.

**Semantics (where the spec is silent).**
- Lines are expanded to days (`pl.date_ranges` + explode). Days are counted distinct per
  budgethouder and year (`rank("dense")` of the date): two lines abroad on the same day
  (two zorgverleners, or a line and a correction) are one day. When such a day is past
  the limit, *every* line's share of that day is past the limit (each line paid for that
  day abroad); when it is within the limit, none is.
- A line crossing New Year is split per year: its days in each year count toward that
  year's limit, and each year's finding holds `prorata(bedrag, days past in that year,
  all days of the line)`. (The two years' cents are rounded separately.)
- The limit of a year comes from the regeling of the budgethouder's gemeente in force on
  the first day of care abroad in that year (`kies_regeling`; a forced `--regeling`
  applies to every year). Not the line's own regeling, which is chosen on `datum_van` and
  would judge the January days of a line crossing New Year under last year's rules.
- `bedrag_betrokken` is the full `bedrag` of the lines that have days past the limit;
  `periode_van/tot` the first and last day past the limit.
- Niet toetsbaar (per declaratie_id with days abroad in that year): no regeling for the
  gemeente in that year, or a regeling without `pgb.max_weken_buitenland`.

Fires: Losser (6 weeks = 42 days): 36 days in Spain in July-August, then 8 days in France
from 1 September (100,02 euro): days 43 and 44 are past the limit, 100,02 x 2/8 = 25,005
-> 25,01 euro.
Does not fire: exactly 42 distinct days abroad; days in the Netherlands never count.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor import regeling as reg
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "BUITENLAND"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """More than max_weken_buitenland x 7 distinct days of care abroad per budgethouder per calendar year."""
    dagen = (ctx.lines.filter(pl.col("land") != "NL")
             .select("declaratie_id", "budgethouder_id", "zorgverlener_id", "gemeente_code", "datum_van", "datum_tot",
                     "dagen", "bedrag_ct")
             .with_columns(pl.date_ranges("datum_van", "datum_tot").alias("_dag"))
             .explode("_dag")
             .with_columns(pl.col("_dag").dt.year().alias("_jaar")))

    jaren = (dagen.group_by("budgethouder_id", "_jaar")
             .agg(pl.col("gemeente_code").first(), pl.col("_dag").min().alias("_eerste")))
    jaren = reg.kies_regeling(jaren, ctx.regelingen, datum_col="_eerste", geforceerd=ctx.geforceerd)
    jaren = jaren.join(ctx.params.lazy().select("regeling_id", "max_weken_buitenland"), on="regeling_id", how="left")
    dagen = dagen.join(jaren.select("budgethouder_id", "_jaar", "regeling_id", "max_weken_buitenland"),
                       on=["budgethouder_id", "_jaar"], how="left")

    onbekend = pl.col("max_weken_buitenland").is_null()
    nt = (dagen.filter(onbekend)
          .select(pl.col("declaratie_id").alias("sleutel"),
                  pl.when(pl.col("regeling_id").is_null())
                  .then(pl.lit("geen regeling voor de gemeente in dat jaar"))
                  .otherwise(pl.lit("de regeling noemt geen maximum aantal weken zorg in het buitenland "
                                    "(pgb.max_weken_buitenland)")).alias("reden"))
          .unique(maintain_order=True).sort("sleutel"))

    bh_jaar = ["budgethouder_id", "_jaar"]
    geteld = (dagen.filter(~onbekend)
              .with_columns((pl.col("max_weken_buitenland") * 7).alias("_grens"),
                            pl.col("_dag").rank("dense").over(bh_jaar).cast(pl.Int64).alias("_nr"),
                            )
              .with_columns(pl.col("_nr").max().over(bh_jaar).alias("_totaal"),
                            (pl.col("_nr") > pl.col("_grens")).alias("_over")))
    per_regel = (geteld.group_by([*bh_jaar, "declaratie_id"])
                 .agg(pl.col("_over").sum().cast(pl.Int64).alias("_dagen_over"),
                      pl.col("_dag").filter(pl.col("_over")).min().alias("_van"),
                      pl.col("_dag").filter(pl.col("_over")).max().alias("_tot"),
                      pl.col("dagen").first(), pl.col("bedrag_ct").first(), pl.col("zorgverlener_id").first(),
                      pl.col("regeling_id").first(), pl.col("_grens").first(), pl.col("_totaal").first(),
                      pl.col("max_weken_buitenland").first())
                 .filter(pl.col("_dagen_over") > 0)
                 .with_columns(money.prorata("bedrag_ct", "_dagen_over", "dagen").alias("_effect")))
    per_jaar = (per_regel.sort("declaratie_id").group_by(bh_jaar)
                .agg(pl.col("declaratie_id").alias("declaratie_ids"), pl.col("_effect").sum(),
                     pl.col("bedrag_ct").sum().alias("_betrokken"), pl.col("_van").min(), pl.col("_tot").max(),
                     pl.col("zorgverlener_id").unique().alias("_zv"), pl.col("regeling_id").first(),
                     pl.col("_grens").first(), pl.col("_totaal").first(), pl.col("max_weken_buitenland").first()))
    datum = formatting.fmt_datum_nl
    weken = pl.col("max_weken_buitenland").cast(pl.String)
    findings = per_jaar.select(
        "budgethouder_id", "regeling_id", "declaratie_ids",
        pl.when(pl.col("_zv").list.len() == 1).then(pl.col("_zv").list.first()).alias("zorgverlener_id"),
        pl.col("_van").alias("periode_van"), pl.col("_tot").alias("periode_tot"),
        pl.col("_betrokken").alias("bedrag_betrokken_ct"), pl.col("_effect").alias("financieel_effect_ct"),
        pl.concat_str([
            pl.lit("In "), pl.col("_jaar").cast(pl.String), pl.lit(" kreeg de budgethouder op "),
            pl.col("_totaal").cast(pl.String), pl.lit(" dagen zorg buiten Nederland, terwijl de regeling ten hoogste "),
            weken, pl.when(pl.col("max_weken_buitenland") == 1).then(pl.lit(" week (")).otherwise(pl.lit(" weken (")),
            pl.col("_grens").cast(pl.String), pl.lit(" dagen) per kalenderjaar toestaat; de zorg op de "),
            (pl.col("_totaal") - pl.col("_grens")).cast(pl.String),
            pl.when(pl.col("_totaal") - pl.col("_grens") == 1).then(pl.lit(" dag daarna (")).otherwise(
                pl.lit(" dagen daarna (")),
            pl.when(pl.col("_van") == pl.col("_tot")).then(datum("_van")).otherwise(
                pl.concat_str([pl.lit("van "), datum("_van"), pl.lit(" t/m "), datum("_tot")])),
            pl.lit(") kost "), formatting.fmt_nl("_effect"), pl.lit(" euro en mag niet uit het pgb worden betaald."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("jaar="), pl.col("_jaar").cast(pl.String), pl.lit(";dagen="),
                       pl.col("_totaal").cast(pl.String), pl.lit(";grens="), pl.col("_grens").cast(pl.String)]
                      ).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
