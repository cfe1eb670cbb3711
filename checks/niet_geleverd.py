"""NIET-GELEVERD: care declared that, by the materiële controle, was not delivered.

**What it finds.** The gemeente's materiële controle (BADO D: `pgb-audit steekproef
materieel`) asks sampled budgethouders, by telephone or at a house visit, whether the care
declared per zorgverlener, product and month was delivered. Their answers, imported with
`steekproef materieel --importeer`, are the optional file `materiele_controle.csv` in the
batch folder. Per answer `niet geleverd` one finding for the declaration lines of that
budgethouder, zorgverlener, product and month; per answer `gedeeltelijk geleverd` with the
hours that were delivered (`uren_geleverd`) one finding for the part not delivered.

**Why it matters.** A pgb pays for care that was given. Declared care that was not given is
money not spent on the care granted; the college may check the spending of pgb's,
"al dan niet steekproefsgewijs", and these answers are that check's result.

**Article.** The regeling's `[artikelen].NIET-GELEVERD` (Losser: art. 8.1 lid 4 sub a,
"de besteding van pgb's, al dan niet steekproefsgewijs, controleren en beoordelen"; the
grond for opschorting is art. 8.1.4 lid 1 sub a Jeugdwet, declared care that was not given
being incorrect information).

**financieel_effect.** `niet geleverd`: the `bedrag` of the lines of that month.
`gedeeltelijk geleverd`: that `bedrag` times (declared hours - delivered hours) / declared
hours, rounded half away from zero to the cent.

**Niet toetsbaar.** An answer `onbekend` (not reached, did not know), an answer
`gedeeltelijk geleverd` without `uren_geleverd`, and an answer that matches no declared care
in the batch: the delivery is not established; the reason says what to do.

**The answers file** (`materiele_controle.csv`, UTF-8, comma-separated, written by the
import): `budgethouder_id`, `zorgverlener_id`, `product_code`, `maand` (JJJJ-MM, the month of
`datum_van`), `antwoord` (`geleverd`, `niet geleverd`, `gedeeltelijk geleverd`, `onbekend`),
`uren_geleverd` (plain decimal, optional), `soort_controle`, `datum_controle`, `toelichting`.
Without the file the check finds nothing.

Fires: the budgethouder says Z1's begeleiding in 2025-03 was not given; the two lines of
116,28 in that month: a finding of 232,56.
Does not fire: the answer `geleverd`; or no answers file.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame
from auditor.materiele_controle import TABEL, leeg

CODE = "NIET-GELEVERD"


@check(CODE, soort="fout", titel="Zorg niet geleverd (materiële controle)")
def run(ctx: Context) -> CheckResult:
    """Care the budgethouder says was not (fully) delivered, from the materiële controle's answers."""
    antw = ctx.tables.get(TABEL, leeg().lazy())
    keys = ["budgethouder_id", "zorgverlener_id", "product_code", "maand"]
    groups = (ctx.lines.with_columns(pl.col("datum_van").dt.strftime("%Y-%m").alias("maand"))
              .group_by(keys).agg(
                  pl.col("declaratie_id").sort().alias("declaratie_ids"),
                  pl.col("datum_van").min().alias("periode_van"), pl.col("datum_tot").max().alias("periode_tot"),
                  pl.col("bedrag_ct").sum().alias("bedrag_betrokken_ct"), pl.col("aantal_e4").sum().alias("_aantal"),
                  pl.col("eenheid").drop_nulls().first().alias("_eenheid"),
                  pl.col("regeling_id").drop_nulls().first(), pl.col("toekenning_id").drop_nulls().first(),
                  pl.col("zorgovereenkomst_id").drop_nulls().first()))
    j = antw.join(groups, on=keys, how="left")
    niet = pl.col("antwoord") == "niet geleverd"
    deels = (pl.col("antwoord") == "gedeeltelijk geleverd") & pl.col("uren_geleverd_e4").is_not_null()
    gevonden = pl.col("bedrag_betrokken_ct").is_not_null()
    ontbrekend = pl.max_horizontal(pl.col("_aantal") - pl.col("uren_geleverd_e4"), pl.lit(0))
    effect = pl.when(niet).then(pl.col("bedrag_betrokken_ct")).otherwise(
        money.prorata("bedrag_betrokken_ct", ontbrekend, "_aantal"))
    uren = formatting.fmt_qty_nl("_aantal")
    findings = j.filter(gevonden & (niet | (deels & (pl.col("uren_geleverd_e4") < pl.col("_aantal"))))).select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        "declaratie_ids", "periode_van", "periode_tot", "bedrag_betrokken_ct", effect.alias("financieel_effect_ct"),
        pl.concat_str([
            pl.lit("Bij de materiële controle ("), pl.col("soort_controle").fill_null("controle"),
            pl.lit(" "), pl.col("datum_controle").fill_null("zonder datum"),
            pl.lit(") gaf de budgethouder aan dat de zorg van zorgverlener "), pl.col("zorgverlener_id"),
            pl.lit(" (product "), pl.col("product_code"), pl.lit(", "), pl.col("maand"),
            pl.lit(", "), uren, pl.lit(" "), pl.col("_eenheid").fill_null("eenheden"), pl.lit(" gedeclareerd) "),
            pl.when(niet).then(pl.lit("niet is geleverd"))
            .otherwise(pl.concat_str([pl.lit("maar dat maar "), formatting.fmt_qty_nl("uren_geleverd_e4"),
                                      pl.lit(" "), pl.col("_eenheid").fill_null("eenheden"),
                                      pl.lit(" is geleverd")])),
            pl.lit("; "), formatting.fmt_nl(effect), pl.lit(" euro is betaald voor zorg die niet is gegeven."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("antwoord="), pl.col("antwoord"), pl.lit(";maand="), pl.col("maand")]).alias("details"),
    )
    sleutel = pl.concat_str([pl.col(c) for c in keys], separator="/").alias("sleutel")
    nt = j.filter(
        (pl.col("antwoord") != "geleverd") & (
            ~gevonden | (pl.col("antwoord") == "onbekend")
            | ((pl.col("antwoord") == "gedeeltelijk geleverd") & pl.col("uren_geleverd_e4").is_null()))
    ).select(sleutel, pl.when(~gevonden).then(pl.lit(
        "Het antwoord van de materiële controle hoort bij geen gedeclareerde zorg in deze batch: controleer "
        "budgethouder, zorgverlener, product en maand in het antwoordenblad."))
        .when(pl.col("antwoord") == "onbekend").then(pl.lit(
            "De levering is bij de materiële controle niet vastgesteld (antwoord onbekend): bel opnieuw of leg "
            "een huisbezoek af en importeer het antwoord."))
        .otherwise(pl.lit("Antwoord 'gedeeltelijk geleverd' zonder het aantal geleverde uren: vul uren_geleverd "
                          "in het antwoordenblad in en importeer opnieuw.")).alias("reden"))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
