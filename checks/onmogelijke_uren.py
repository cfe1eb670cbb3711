"""ONMOGELIJKE-UREN: one person declaring more hours on a day than a day can hold.

**What it finds.** A natural person (zorgverlener `soort` `zzp`, `sociaal_netwerk` or
`overig_niet_professioneel`) whose declared hours on one calendar day, across all
budgethouders, exceed `max_uren_per_dag` (`max_uren_per_dag_e4` of the regeling).
One finding per zorgverlener per budgethouder, over all the days past the limit.

**Why it matters.** Hours that cannot have been worked were not delivered: declaring them
is giving incorrect information (art. 8.1.4 lid 1 sub a Jeugdwet). One person working for
several budgethouders is only visible when their lines are added up across budgethouders.

**Article.** The regeling's `[artikelen].ONMOGELIJKE-UREN` (Losser: art. 8.1 lid 4 sub a,
the college's power to check the spending).

**financieel_effect.** The euros of the hours past the limit, shared over the budgethouders
pro rata to their hours that day: per line-day `euros x excess hours / total hours` of that
day; summed per budgethouder over the days and rounded once, half away from zero, to the
cent. The shares of all budgethouders add up to the day's excess euros up to that one
rounding per finding.

**Choices where the spec is silent (docs).**
- *Who counts.* `overig_niet_professioneel` is a natural person too (regeling.md counts it
  with the sociaal netwerk; KWALITEIT calls it a natural person), so it is included. An
  `instelling` is an organisation with many workers and is never judged. The person is the
  `zorgverlener_id` (the same person under two ids is NETWERK's and DUBBELROL's concern).
- *Which lines.* Only lines with `eenheid = uur`: a dagdeel, etmaal, rit or stuk has no
  fixed number of hours, so it cannot be added up to hours. Every status counts (as in
  DUBBEL): a line declared is a statement about hours worked.
- *Multi-day lines.* Their hours are spread evenly in whole ten-thousandths of an hour:
  `aantal_e4 // dagen` per day, the remainder one ten-thousandth at a time to the first days
  (date order). Their euros are spread the same way in whole cents. All sums are then exact
  integers; the spread changes a day's hours by at most 0,0001 uur per line.
- *Limit per day.* The lowest `max_uren_per_dag` of the regelingen of that day's lines (the
  lines of one day may fall under different gemeenten).
- *Rounding.* A line-day share is kept to 10^-4 cent (`div_round(ct x excess x 10^4,
  total)`), summed per finding and rounded once to the cent.
- *bedrag_betrokken* = the budgethouder's euros on the days past the limit (line-day cents).
- *Niet toetsbaar*: an hour line of a natural person whose regeling is missing or has no
  `max_uren_per_dag`. Its hours still count on days where another line's regeling gives a
  limit.

Fires: zzp'er Z1 on 03-03-2025: 20 uur for B1 (1.000,00) and 10 uur for B2 (600,00): 30 uur,
6 past 24. B1: 1.000,00 x 6/30 = 200,00; B2: 600,00 x 6/30 = 120,00.
Does not fire: exactly 24 uur on a day; 30 uur of an instelling; 30 dagdelen.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "ONMOGELIJKE-UREN"

NATUURLIJK = ("zzp", "sociaal_netwerk", "overig_niet_professioneel")
SCHAAL = 10_000   # line-day shares are kept in 10^-4 cent before the one rounding per finding


def _verdeel(totaal: str, n: pl.Expr, idx: pl.Expr) -> pl.Expr:
    """`totaal` spread evenly over `n` days in whole units, the remainder to the first days."""
    return pl.col(totaal) // n + (idx < pl.col(totaal) % n).cast(pl.Int64)


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """One natural person declaring more than max_uren_per_dag hours on a day, across all
    budgethouders; the excess euros shared pro rata to each budgethouder's hours."""
    par = ctx.params.lazy().select("regeling_id", pl.col("max_uren_per_dag_e4").alias("_max"))
    uren = (ctx.lines.filter((pl.col("eenheid") == "uur") & pl.col("zv_soort").is_in(NATUURLIJK))
            .join(par, on="regeling_id", how="left"))

    nt = uren.filter(pl.col("_max").is_null()).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null())
        .then(pl.lit("Geen regeling voor deze gemeente en datum: niet getoetst hoeveel uur per dag mogelijk is."))
        .otherwise(pl.lit("De regeling noemt geen maximum aantal uren per dag (pgb.max_uren_per_dag)."))
        .alias("reden"))

    # one row per line per day
    dagen = (uren.with_columns(pl.date_ranges("datum_van", "datum_tot").alias("_dag")).explode("_dag")
             .with_columns(((pl.col("_dag") - pl.col("datum_van")).dt.total_days()).cast(pl.Int64).alias("_i")))
    dagen = dagen.with_columns(
        _verdeel("aantal_e4", pl.col("dagen"), pl.col("_i")).alias("_u"),
        _verdeel("bedrag_ct", pl.col("dagen"), pl.col("_i")).alias("_ct"),
    )
    per_dag = ["zorgverlener_id", "_dag"]
    dagen = dagen.with_columns(
        pl.col("_u").sum().over(per_dag).alias("_totaal"),
        pl.col("_max").min().over(per_dag).alias("_grens"),
    ).filter(pl.col("_grens").is_not_null() & (pl.col("_totaal") > pl.col("_grens")))
    dagen = dagen.with_columns((pl.col("_totaal") - pl.col("_grens")).alias("_teveel"))

    # per zorgverlener, budgethouder and day: the budgethouder's hours, euros and share
    bh_dag = (dagen.group_by("zorgverlener_id", "budgethouder_id", "_dag")
              .agg(pl.col("_u").sum().alias("_u"), pl.col("_ct").sum().alias("_ct"),
                   pl.col("_totaal").first(), pl.col("_grens").first(), pl.col("_teveel").first(),
                   pl.col("declaratie_id"), pl.col("regeling_id"), pl.col("toekenning_id"),
                   pl.col("zorgovereenkomst_id"))
              .with_columns(money.div_round(pl.col("_ct").cast(pl.Int128) * pl.col("_teveel") * SCHAAL, "_totaal")
                            .alias("_aandeel")))   # Int128: euros x hours x 10^4 passes 2^63 at the input bounds

    def enig(col: str) -> pl.Expr:   # the one value of col, or null when several
        v = pl.col(col).list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique()
        return pl.when(v.len() == 1).then(v.first()).otherwise(None).alias(col)

    f = (bh_dag.group_by("zorgverlener_id", "budgethouder_id")
         .agg(pl.col("declaratie_id").list.explode(keep_nulls=False, empty_as_null=False).unique().alias("declaratie_ids"),
              pl.col("_dag").min().alias("periode_van"), pl.col("_dag").max().alias("periode_tot"),
              pl.col("_dag").n_unique().alias("_n"),
              pl.col("_ct").sum().alias("bedrag_betrokken_ct"),
              money.div_round(pl.col("_aandeel").sum(), SCHAAL).alias("financieel_effect_ct"),
              pl.col("_teveel").sum().alias("_teveel"), pl.col("_u").sum().alias("_u"),
              pl.col("_grens").min().alias("_grens"),
              pl.col("regeling_id").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().min().alias("regeling_id"),
              enig("toekenning_id"), enig("zorgovereenkomst_id")))

    d = formatting.DATUM_NL
    wanneer = pl.when(pl.col("_n") == 1).then(
        pl.concat_str([pl.lit("op "), pl.col("periode_van").dt.strftime(d)])).otherwise(
        pl.concat_str([pl.lit("op "), pl.col("_n").cast(pl.String), pl.lit(" dagen tussen "),
                       pl.col("periode_van").dt.strftime(d), pl.lit(" en "), pl.col("periode_tot").dt.strftime(d)]))
    toel = pl.concat_str([
        pl.lit("Zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" declareerde "), wanneer,
        pl.lit(" bij alle budgethouders samen meer dan "), formatting.fmt_qty_nl("_grens"),
        pl.lit(" uur per dag, in totaal "), formatting.fmt_qty_nl("_teveel"),
        pl.lit(" uur te veel; naar rato van de "), formatting.fmt_qty_nl("_u"),
        pl.lit(" uur van deze budgethouder op "),
        pl.when(pl.col("_n") == 1).then(pl.lit("die dag")).otherwise(pl.lit("die dagen")), pl.lit(" is "), formatting.fmt_nl("financieel_effect_ct"),
        pl.lit(" van "), formatting.fmt_nl("bedrag_betrokken_ct"), pl.lit(" euro te veel gedeclareerd."),
    ])
    findings = f.select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        "declaratie_ids", "periode_van", "periode_tot", "bedrag_betrokken_ct", "financieel_effect_ct",
        toel.alias("toelichting"),
        pl.concat_str([pl.lit("dagen="), pl.col("_n").cast(pl.String), pl.lit(";uren_te_veel_e4="),
                       pl.col("_teveel").cast(pl.String)]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
