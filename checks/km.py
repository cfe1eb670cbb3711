"""KM: a kilometre claim by the sociaal netwerk above what the regeling's km allowance pays.

**What it finds.** A kilometre claim (a line with `km_enkele_reis` filled; `aantal` is the
number of single trips) by the sociaal netwerk (the parents or someone from the sociaal
netwerk, `zorgverlener_soort` = `sociaal_netwerk`) whose `bedrag` is more than the allowance:
`betaalde ritten x km_tarief x max(0, km_enkele_reis - km_drempel_enkele_reis)`: only the
kilometres of a single trip above the threshold are paid (De Ronde Venen 2026: 0,23 per km
above 6 km, art. 6.2 onder 3 and 6.4).

**Own effort per week.** De Ronde Venen art. 6.1: "1 keer (heen en terug) per week zelf
brengen en halen ... [wordt] in ieder geval beschouwd als behorend tot de eigen
mogelijkheden", and art. 6.4 pays only "mits voldaan wordt aan de criteria beschreven in
artikel 6.1". So per budgethouder and ISO week the first `eigen_ritten_per_week` single trips
(2: once there and back) are the parents' own and not paid. The trips of a line are spread
evenly over its days and counted in date order (then by `declaratie_id`); a line's unpaid
trips are the own-effort trips that fall on it. A regeling without `eigen_ritten_per_week`
has no such rule (0).

**Why it matters.** What is claimed above the allowance is not spent on what the pgb pays for.

**Article.** The regeling's `[artikelen].KM` (De Ronde Venen: art. 6.1, 6.2 onder 3 and 6.4
Nadere regels).

**financieel_effect.** `bedrag - allowed` where positive. The allowed amount is computed
in integers: `betaalde ritten_e4 x km_tarief_ct4 x km_e4` has scale 10^10 of cents and is
rounded to the cent once (`money.div_round`, half away from zero); the unpaid trips of a line
are rounded to 10^-4 trip first. A product that would not fit in Int64 (absurd trips x km) is
niet toetsbaar rather than wrong.

**Absent values.** regeling.md says an absent `[vervoer]` means "this gemeente has no such
rule". Without a km tariff there is no amount to compare the claim with, so the claim is
*niet toetsbaar* ("de regeling kent geen kilometervergoeding"), not a finding (Losser 2025
has no `[vervoer]`: its transport falls under the per-ride norm of art. 7.4 lid 5). A
regeling with a km tariff but no `km_drempel_enkele_reis` has no threshold rule: the
threshold is 0.

**Scope decisions.** `SN-CATEGORIE` leaves km claims to this check. A km claim by a
professional is not the km allowance of art. 6.2 onder 3 (that is for "de ouders of iemand
uit het sociaal netwerk"): `TARIEF` judges it against its product norm where there is one,
otherwise it is niet toetsbaar there; KM leaves it alone.

Fires: De Ronde Venen 2026, 10 trips of 6 km for 13,80: allowed 0,00, effect 13,80; one
line of 10 trips of 16 km on one day for 30,00: 2 own trips, 8 x 0,23 x 10 = 18,40 allowed,
effect 11,60.
Does not fire: 10 trips of 16 km on one day for 18,40; a second line in the same week for
8 trips of 16 km for 18,40 (the own trips were on the first line).
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings

CODE = "KM"
SCHAAL = 10**10          # ritten_e4 x km_tarief_ct4 x km_e4 -> cents
INT64_MAX = 2**63 - 1


def eigen_ritten(lines: pl.LazyFrame) -> pl.LazyFrame:
    """declaratie_id -> `_eigen_e4`: the single trips of the line (x 10^4) that are the
    parents' own effort: per budgethouder and ISO week the first `_eigen_per_week` trips,
    the trips of a line spread evenly over its days, counted in date order."""
    dagen = (lines.select("declaratie_id", "budgethouder_id", "aantal_e4", "_eigen_per_week",
                          pl.date_ranges("datum_van", "datum_tot").alias("_dag"))
             .explode("_dag")
             .with_columns((pl.col("aantal_e4") / pl.len().over("declaratie_id")).alias("_ritten_e4"),
                           pl.col("_dag").dt.iso_year().alias("_jaar"), pl.col("_dag").dt.week().alias("_week"))
             .sort("budgethouder_id", "_dag", "declaratie_id"))
    week = ["budgethouder_id", "_jaar", "_week"]
    voor = pl.col("_ritten_e4").cum_sum().over(week) - pl.col("_ritten_e4")
    rest = (pl.col("_eigen_per_week") * money.QTY_SCALE - voor).clip(lower_bound=0)
    return (dagen.with_columns(pl.min_horizontal(pl.col("_ritten_e4"), rest).alias("_eigen"))
            .group_by("declaratie_id").agg(pl.col("_eigen").sum().round(0).cast(pl.Int64).alias("_eigen_e4")))


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A sociaal-netwerk km claim above betaalde ritten x km_tarief x max(0, km_enkele_reis -
    km_drempel_enkele_reis), the first eigen_ritten_per_week trips a week being the parents' own."""
    p = ctx.params.lazy().select("regeling_id", "km_tarief_ct4", "km_drempel_e4",
                                 pl.col("km_eigen_ritten_per_week").fill_null(0).alias("_eigen_per_week"))
    lines = (ctx.lines.filter(pl.col("km_enkele_reis_e4").is_not_null()
                              & (pl.col("zorgverlener_soort") == "sociaal_netwerk"))
             .join(p, on="regeling_id", how="left")
             .with_columns(
                 pl.max_horizontal(pl.col("km_enkele_reis_e4") - pl.col("km_drempel_e4").fill_null(0), pl.lit(0))
                 .alias("_km_e4"))
             .with_columns((pl.col("aantal_e4").cast(pl.Int128) * pl.col("km_tarief_ct4").cast(pl.Int128)
                            * pl.col("_km_e4").cast(pl.Int128) <= INT64_MAX).alias("_past")))

    nt = lines.filter(pl.col("regeling_id").is_null() | pl.col("km_tarief_ct4").is_null() | ~pl.col("_past")).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null()).then(pl.lit("geen regeling voor deze gemeente en datum"))
        .when(pl.col("km_tarief_ct4").is_null()).then(pl.lit("de regeling kent geen kilometervergoeding"))
        .otherwise(pl.lit("aantal ritten x kilometers is te groot om te berekenen")).alias("reden"))

    ok = lines.filter(pl.col("km_tarief_ct4").is_not_null() & pl.col("_past"))
    judged = (ok.join(eigen_ritten(ok), on="declaratie_id", how="left")
              .with_columns(pl.col("_eigen_e4").fill_null(0).clip(upper_bound=pl.col("aantal_e4")))
              .with_columns((pl.col("aantal_e4") - pl.col("_eigen_e4")).alias("_betaald_e4"))
              .with_columns(money.div_round(pl.col("_betaald_e4") * pl.col("km_tarief_ct4") * pl.col("_km_e4"), SCHAAL)
                            .alias("_toegestaan_ct"))
              .with_columns((pl.col("bedrag_ct") - pl.col("_toegestaan_ct")).alias("_effect_ct"))
              .filter(pl.col("_effect_ct") > 0))

    def ritten(col: str) -> pl.Expr:
        return pl.concat_str([formatting.fmt_qty_nl(col),
                              pl.when(pl.col(col) == money.QTY_SCALE).then(pl.lit(" rit")).otherwise(pl.lit(" ritten"))])
    eigen = pl.when(pl.col("_eigen_e4") > 0).then(pl.concat_str([
        pl.lit("; "), ritten("_eigen_e4"),
        pl.lit(" daarvan vallen onder de eigen inzet van de ouders (de eerste "),
        pl.col("_eigen_per_week").cast(pl.String), pl.lit(" enkele ritten per week"),
        pl.when(pl.col("_eigen_per_week") == 2).then(pl.lit(", één keer heen en terug")).otherwise(pl.lit("")),
        pl.lit(") en worden niet vergoed")])).otherwise(pl.lit(""))
    toelichting = pl.concat_str([
        pl.lit("Gedeclareerd "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro voor "), ritten("aantal_e4"), pl.lit(" van "),
        formatting.fmt_qty_nl("km_enkele_reis_e4"), pl.lit(" km enkele reis"), eigen,
        pl.lit("; de regeling vergoedt "),
        # km_tarief_ct4 is euros x 10^4: shown as cents when it is a whole number of cents
        pl.when(pl.col("km_tarief_ct4") % 100 == 0).then(formatting.fmt_nl(pl.col("km_tarief_ct4") // 100))
        .otherwise(formatting.fmt_qty_nl("km_tarief_ct4")),
        pl.lit(" euro per km boven "), formatting.fmt_qty_nl(pl.col("km_drempel_e4").fill_null(0)),
        pl.lit(" km enkele reis, dus mocht ten hoogste "), formatting.fmt_nl("_toegestaan_ct"),
        pl.lit(" euro gedeclareerd worden en is "), formatting.fmt_nl("_effect_ct"), pl.lit(" euro te veel gedeclareerd."),
    ])
    findings = line_findings(
        judged, pl.col("_effect_ct"),
        toelichting.alias("toelichting"),
        pl.concat_str([pl.lit("toegestaan_ct="), pl.col("_toegestaan_ct").cast(pl.String),
                       pl.lit(";eigen_ritten_e4="), pl.col("_eigen_e4").cast(pl.String)]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
