"""AFSPRAAK: a line declared above what was agreed, or whose bedrag is not aantal x tarief.

**What it finds.** (a) A declaration line whose declared `tarief` is above the `tarief` of
its zorgovereenkomst (the agreement it names, else the one of the same budgethouder,
zorgverlener and product whose period holds `datum_van`), in the same unit (`eenheid`),
under a `per_eenheid` agreement. (b) A line whose `bedrag` differs from `aantal x tarief`
(rounded to the cent) by more than one cent.

**Why it matters.** The SVB pays what the budgethouder agreed with the zorgverlener, and a
declaration whose sum does not add up is paid for care nobody declared. These are the
controls an auditor of any payment process runs (checks.md), independent of the pgb norm
(TARIEF judges the norm, this check the agreement).

**Article.** The regeling's `[artikelen].AFSPRAAK` (Losser: art. 8.1 lid 4 sub a, the
college's power to check the spending of the pgb against the zorgovereenkomst).

**financieel_effect.** (a) `max(0, bedrag - aantal x agreed tarief)`; (b) `max(0, bedrag -
aantal x tarief)` (a bedrag below the sum is a fout of 0 euro: the declaration is wrong,
the pgb paid no more than declared). A line with both gets one finding with the larger
amount. `aantal x tarief` is rounded to the cent first (`money.qty_x_price`).

**Niet toetsbaar.** For (a): a line without a zorgovereenkomst ("de declaratie hoort bij
geen zorgovereenkomst"), a line in another unit than its agreement, a line under a
`vast_maandbedrag` agreement (no tarief per unit agreed: VAST-MAANDBEDRAG judges it).
(b) is judged for every line.

Fires: agreed 58,14 per uur, declared 2 uur at 60,00 for 120,00: 120,00 - 2 x 58,14 =
3,72; declared 2 uur at 58,14 for 126,28: 126,28 - 116,28 = 10,00.
Does not fire: 2 uur at 58,14 for 116,28; 3 x 33,33 for 100,00 (one cent off is rounding).
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings
from checks._norm import aantal_met_eenheid, eenheid_enkelvoud

CODE = "AFSPRAAK"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A line above the agreed tarief of its zorgovereenkomst, or whose bedrag is not aantal x tarief."""
    zo = ctx.t("zorgovereenkomsten").select("zorgovereenkomst_id", pl.col("tarief_ct").alias("_zo_tarief"),
                                            pl.col("eenheid").alias("_zo_eenheid"), "werkafspraak")
    lines = ctx.lines.join(zo, on="zorgovereenkomst_id", how="left")
    nt_reden = (pl.when(pl.col("zorgovereenkomst_id").is_null())
                .then(pl.lit("de declaratie hoort bij geen zorgovereenkomst: het afgesproken tarief is onbekend"))
                .when(pl.col("werkafspraak") == "vast_maandbedrag")
                .then(pl.lit("de zorgovereenkomst spreekt een vast maandbedrag af, geen tarief per eenheid"))
                .when(pl.col("_zo_eenheid") != pl.col("eenheid"))
                .then(pl.lit("de eenheid van de declaratie is een andere dan die van de zorgovereenkomst")))
    lines = lines.with_columns(nt_reden.alias("_nt"))
    som = money.qty_x_price("aantal_e4", "tarief_ct")
    afgesproken = money.qty_x_price("aantal_e4", "_zo_tarief")
    lines = lines.with_columns(
        som.alias("_som_ct"), afgesproken.alias("_afgesproken_ct"),
        (pl.col("_nt").is_null() & (pl.col("tarief_ct") > pl.col("_zo_tarief"))).alias("_boven"),
        ((pl.col("bedrag_ct") - som).abs() > 1).alias("_reken"))
    lines = lines.with_columns(pl.max_horizontal(
        pl.when(pl.col("_boven")).then(pl.max_horizontal(pl.col("bedrag_ct") - pl.col("_afgesproken_ct"), pl.lit(0))),
        pl.when(pl.col("_reken")).then(pl.max_horizontal(pl.col("bedrag_ct") - pl.col("_som_ct"), pl.lit(0))),
    ).alias("_effect_ct"))
    judged = lines.filter(pl.col("_boven") | pl.col("_reken"))

    boven = pl.concat_str([
        pl.lit("het gedeclareerde tarief "), formatting.fmt_nl("tarief_ct"), pl.lit(" euro per "), eenheid_enkelvoud(),
        pl.lit(" is hoger dan de "), formatting.fmt_nl("_zo_tarief"), pl.lit(" euro per "), eenheid_enkelvoud(),
        pl.lit(" uit de zorgovereenkomst, dus mocht ten hoogste "), formatting.fmt_nl("_afgesproken_ct"),
        pl.lit(" euro gedeclareerd worden")])
    reken = pl.concat_str([
        pl.lit("het bedrag is niet het aantal maal het tarief ("), aantal_met_eenheid(), pl.lit(" x "),
        formatting.fmt_nl("tarief_ct"), pl.lit(" euro = "), formatting.fmt_nl("_som_ct"), pl.lit(" euro)")])
    redenen = pl.concat_list([pl.when(pl.col("_boven")).then(boven), pl.when(pl.col("_reken")).then(reken)]
                             ).list.drop_nulls().list.join(", en ")
    toelichting = pl.concat_str([
        pl.lit("Gedeclareerd "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro voor "), aantal_met_eenheid(),
        pl.lit(": "), redenen,
        pl.when(pl.col("_effect_ct") > 0).then(pl.concat_str([
            pl.lit("; "), formatting.fmt_nl("_effect_ct"), pl.lit(" euro is te veel gedeclareerd.")]))
        .otherwise(pl.lit("; er is niet meer gedeclareerd dan het aantal maal het tarief, maar de declaratie klopt niet.")),
    ])
    findings = line_findings(
        judged, pl.col("_effect_ct"), toelichting.alias("toelichting"),
        pl.concat_str([pl.lit("boven_afspraak="), pl.col("_boven").cast(pl.String), pl.lit(";rekenfout="),
                       pl.col("_reken").cast(pl.String)]).alias("details"))
    nt = lines.filter(pl.col("_nt").is_not_null()).select(pl.col("declaratie_id").alias("sleutel"),
                                                          pl.col("_nt").alias("reden"))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
