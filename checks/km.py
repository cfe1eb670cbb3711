"""KM: a kilometre claim above what the regeling's km allowance pays.

**What it finds.** A kilometre claim (a line with `km_enkele_reis` filled; `aantal` is the
number of single trips) whose `bedrag` is more than
`aantal x km_tarief x max(0, km_enkele_reis - km_drempel_enkele_reis)`: only the kilometres
of a single trip above the threshold are paid (De Ronde Venen 2026: 0,23 per km above 6 km).

**Why it matters.** What is claimed above the allowance is not spent on what the pgb pays for.

**Article.** The regeling's `[artikelen].KM` (De Ronde Venen: art. 6.2 onder 3 and art. 6.4
Nadere regels).

**financieel_effect.** `bedrag - allowed` where positive. The allowed amount is computed
exactly in integers: `aantal_e4 x km_tarief_ct4 x km_e4` has scale 10^4 x 10^4 x 10^4 of
euros, i.e. 10^10 of cents, and is rounded to the cent once (`money.div_round`, half away
from zero). A product that would not fit in Int64 (absurd trips x km) is niet toetsbaar
rather than wrong.

**Absent values.** regeling.md says an absent `[vervoer]` means "this gemeente has no such
rule". Without a km tariff there is no amount to compare the claim with, so the claim is
*niet toetsbaar* ("de regeling kent geen kilometervergoeding"), not a finding (Losser 2025
has no `[vervoer]`: its transport falls under the per-ride norm of art. 7.4 lid 5). A
regeling with a km tariff but no `km_drempel_enkele_reis` has no threshold rule: the
threshold is 0.

**Scope decisions.** `TARIEF` and `SN-CATEGORIE` leave km claims to this check.

Fires: De Ronde Venen 2026, 10 trips of 6 km for 13,80: allowed 10 x 0,23 x 0 = 0,00, effect
13,80; 10 trips of 16 km for 30,00: allowed 10 x 0,23 x 10 = 23,00, effect 7,00.
Does not fire: 10 trips of 16 km for 23,00.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings

CODE = "KM"
SCHAAL = 10**10          # aantal_e4 x km_tarief_ct4 x km_e4 -> cents
INT64_MAX = 2**63 - 1


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A km claim above aantal x km_tarief x max(0, km_enkele_reis - km_drempel_enkele_reis)."""
    p = ctx.params.lazy().select("regeling_id", "km_tarief_ct4", "km_drempel_e4")
    lines = (ctx.lines.filter(pl.col("km_enkele_reis_e4").is_not_null())
             .join(p, on="regeling_id", how="left")
             .with_columns(
                 pl.max_horizontal(pl.col("km_enkele_reis_e4") - pl.col("km_drempel_e4").fill_null(0), pl.lit(0))
                 .alias("_km_e4"))
             .with_columns((pl.col("aantal_e4").cast(pl.Int128) * pl.col("km_tarief_ct4").cast(pl.Int128)
                            * pl.col("_km_e4").cast(pl.Int128) <= INT64_MAX).alias("_past")))

    nt = lines.filter(pl.col("regeling_id").is_null() | pl.col("km_tarief_ct4").is_null() | ~pl.col("_past")).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null()).then(pl.lit("geen regeling voor deze gemeente en datum"))
        .when(pl.col("km_tarief_ct4").is_null()).then(pl.concat_str([
            pl.lit("de regeling "), pl.col("regeling_id"), pl.lit(" kent geen kilometervergoeding")]))
        .otherwise(pl.lit("aantal ritten x kilometers is te groot om te berekenen")).alias("reden"))

    judged = (lines.filter(pl.col("km_tarief_ct4").is_not_null() & pl.col("_past"))
              .with_columns(money.div_round(pl.col("aantal_e4") * pl.col("km_tarief_ct4") * pl.col("_km_e4"), SCHAAL)
                            .alias("_toegestaan_ct"))
              .with_columns((pl.col("bedrag_ct") - pl.col("_toegestaan_ct")).alias("_effect_ct"))
              .filter(pl.col("_effect_ct") > 0))

    ritten = pl.concat_str([formatting.fmt_qty_nl("aantal_e4"),
                            pl.when(pl.col("aantal_e4") == money.QTY_SCALE).then(pl.lit(" rit")).otherwise(pl.lit(" ritten"))])
    toelichting = pl.concat_str([
        pl.lit("Gedeclareerd "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro voor "), ritten, pl.lit(" van "),
        formatting.fmt_qty_nl("km_enkele_reis_e4"), pl.lit(" km enkele reis; de regeling vergoedt "),
        # km_tarief_ct4 is euros x 10^4: shown as cents when it is a whole number of cents
        pl.when(pl.col("km_tarief_ct4") % 100 == 0).then(formatting.fmt_nl(pl.col("km_tarief_ct4") // 100))
        .otherwise(formatting.fmt_qty_nl("km_tarief_ct4")),
        pl.lit(" per km boven "), formatting.fmt_qty_nl(pl.col("km_drempel_e4").fill_null(0)),
        pl.lit(" km enkele reis, dus mocht ten hoogste "), formatting.fmt_nl("_toegestaan_ct"),
        pl.lit(" euro gedeclareerd worden en is "), formatting.fmt_nl("_effect_ct"), pl.lit(" euro te veel gedeclareerd."),
    ])
    findings = line_findings(
        judged, pl.col("_effect_ct"),
        toelichting.alias("toelichting"),
        pl.concat_str([pl.lit("toegestaan_ct="), pl.col("_toegestaan_ct").cast(pl.String)]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
