"""BUITEN-PERIODE: care on days the pgb does not cover.

**What it finds.** A declaration line with one or more days (calendar days, both ends
included) outside the period in which the pgb may pay for it:

- before the `ingangsdatum` or after the `einddatum` of the line's toekenning;
- before the toekenning's `aanvraagdatum` when `toestemming_eerder_starten` is not true;
- before the `ingangsdatum` or after the `einddatum` of the line's zorgovereenkomst
  (`einddatum` empty = open-ended);
- after the day the budgethouder died (`overlijdensdatum`; that day itself still counts as
  inside);
- a line with no toekenning at all, or with no zorgovereenkomst at all (after the
  resolution of checks.md, "A line belongs to ..."): all its days are outside.

A day outside for several reasons counts once: the days inside are the intersection
`[max(starts), min(ends)]` of the line with every period above, and the days outside are
`dagen - days inside`.

**Why it matters.** A pgb pays for the care the beschikking grants, in the period it grants
it, to a zorgverlener the SVB approved an agreement with (Losser art. 7.1 lid 4: the SVB
model agreement), and not for care realised before the aanvraag (art. 7.1 lid 5 sub a).
After the budgethouder's death there is nobody to give care to.

**Article.** The regeling's `[artikelen].BUITEN-PERIODE` (Losser: art. 7.1 lid 5 and the
beschikking).

**financieel_effect.** The euros of the days outside, pro rata:
`money.prorata(bedrag, days outside, dagen)`, rounded half away from zero to the cent.

**Choices where the spec is silent (docs).**
- *Aanvraag and besluit.* checks.md: "before the aanvraagdatum without
  toestemming_eerder_starten" — implemented exactly so: with `toestemming_eerder_starten`
  true the aanvraagdatum is not a bound. Art. 7.1 lid 5 sub b (care between aanvraag and
  besluit without written permission) is NOT checked: a toekenning whose `ingangsdatum`
  lies before its `besluitdatum` is the normal result of a decision with retroactive effect
  the college itself took, and the beschikking's ingangsdatum already bounds the period.
- *No aanvraagdatum.* When the toekenning has no `aanvraagdatum` and no permission, the
  aanvraag bound cannot be judged: the line is still judged on every other bound and is
  listed as niet toetsbaar (for the aanvraag part) with that reason.
- *No zorgovereenkomst.* The SVB pays only under an approved agreement; a line for which
  none is named or resolved lies outside every agreement, so its whole `bedrag` counts.
- *Resolution by `datum_van`.* A line that names no toekenning (or agreement) is matched on
  its `datum_van` (checks.md). A line starting one day before its toekenning and naming none
  therefore has no toekenning and counts in full; name the toekenning in the export to get
  the pro rata effect.
- *No regeling.* The check uses no value from the regeling, so lines no regeling covers are
  judged too (the article is then the budgethouder's gemeente's).

Fires: toekenning T1 from 01-03-2025, line D1 28-02-2025 t/m 06-03-2025 (7 days) naming T1
for 105,00: 1 day outside, 105,00 x 1 / 7 = 15,00.
Does not fire: the same line from 01-03-2025; a line on the day the budgethouder died;
care before the aanvraagdatum with `toestemming_eerder_starten` = ja.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "BUITEN-PERIODE"

_D = formatting.DATUM_NL


def _dag(e: pl.Expr) -> pl.Expr:
    return e.dt.strftime(_D)


def _reeks(van: pl.Expr, tot: pl.Expr) -> pl.Expr:
    """'03-03-2025' or '28-02-2025 t/m 02-03-2025'."""
    return pl.when(van == tot).then(_dag(van)).otherwise(pl.concat_str([_dag(van), pl.lit(" t/m "), _dag(tot)]))


def _dagen_tekst(n: pl.Expr) -> pl.Expr:
    return pl.concat_str([n.cast(pl.String), pl.when(n == 1).then(pl.lit(" dag")).otherwise(pl.lit(" dagen"))])


def _days(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """b - a in days (Int64)."""
    return (b - a).dt.total_days().cast(pl.Int64)


def _voor(grens: pl.Expr) -> pl.Expr:
    """Days of the line before `grens` (0 when `grens` is null)."""
    n = pl.min_horizontal(pl.col("dagen"), pl.max_horizontal(pl.lit(0, dtype=pl.Int64),
                                                           _days(pl.col("datum_van"), grens)))
    return pl.when(grens.is_null()).then(0).otherwise(n)


def _na(grens: pl.Expr) -> pl.Expr:
    """Days of the line after `grens` (0 when `grens` is null)."""
    n = pl.min_horizontal(pl.col("dagen"), pl.max_horizontal(pl.lit(0, dtype=pl.Int64),
                                                           _days(grens, pl.col("datum_tot"))))
    return pl.when(grens.is_null()).then(0).otherwise(n)


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """Care on days outside the toekenning, before the aanvraag without permission, outside
    the zorgovereenkomst, after the budgethouder's death, or without any toekenning."""
    toek = ctx.t("toekenningen").select(
        "toekenning_id", pl.col("ingangsdatum").alias("_t_van"), pl.col("einddatum").alias("_t_tot"),
        pl.col("aanvraagdatum").alias("_aanvraag"), pl.col("toestemming_eerder_starten").alias("_toestemming"))
    zo = ctx.t("zorgovereenkomsten").select(
        "zorgovereenkomst_id", pl.col("ingangsdatum").alias("_z_van"), pl.col("einddatum").alias("_z_tot"))
    bh = ctx.t("budgethouders").select("budgethouder_id", pl.col("overlijdensdatum").alias("_dood"))

    van, tot, dagen = pl.col("datum_van"), pl.col("datum_tot"), pl.col("dagen")
    een = pl.duration(days=1)
    geen_toek = pl.col("toekenning_id").is_null()
    geen_zo = pl.col("zorgovereenkomst_id").is_null()

    # item 7: a line across back-to-back toekenningen/agreements is judged per part (Context.toekenning_delen)
    lf = (ctx.toekenning_delen().join(toek, on="toekenning_id", how="left")
          .join(zo, on="zorgovereenkomst_id", how="left")
          .join(bh, on="budgethouder_id", how="left")
          # the aanvraag bounds the period unless written permission to start earlier was given
          .with_columns(pl.when(pl.col("_toestemming").fill_null(False)).then(None)
                        .otherwise(pl.col("_aanvraag")).alias("_a_van")))

    # inside = the intersection of the line with every period; null bounds are ignored
    start = pl.max_horizontal(van, pl.col("_t_van"), pl.col("_a_van"), pl.col("_z_van"))
    eind = pl.min_horizontal(tot, pl.col("_t_tot"), pl.col("_z_tot"), pl.col("_dood"))
    binnen = pl.when(geen_toek | geen_zo).then(pl.lit(0, dtype=pl.Int64)).otherwise(
        pl.max_horizontal(pl.lit(0, dtype=pl.Int64), _days(start, eind) + 1))
    lf = (lf.with_columns(start.alias("_start"), eind.alias("_eind"), binnen.alias("_binnen"))
          .with_columns((dagen - pl.col("_binnen")).alias("_buiten"))
          .filter(pl.col("_buiten") > 0))

    # ---- the reasons, each as (days, range of those days, phrase)
    def voor(col: str, wat: pl.Expr):
        g = pl.col(col)
        return _voor(g), _reeks(van, pl.min_horizontal(tot, g - een)), \
            pl.concat_str([wat, pl.lit(" ("), _dag(g), pl.lit(")")])

    def na(col: str, wat: pl.Expr):
        g = pl.col(col)
        return _na(g), _reeks(pl.max_horizontal(van, g + een), tot), \
            pl.concat_str([wat, pl.lit(" ("), _dag(g), pl.lit(")")])

    toek_id, zo_id, prod = pl.col("toekenning_id"), pl.col("zorgovereenkomst_id"), pl.col("product_code")
    heel = _reeks(van, tot)
    redenen = [
        (pl.when(geen_toek).then(dagen).otherwise(0), heel,
         pl.concat_str([pl.lit("buiten elke toekenning (er is geen toekenning voor product "), prod,
                        pl.lit(" die "), _dag(van), pl.lit(" omvat)")])),
        (pl.when(geen_zo).then(dagen).otherwise(0), heel,
         pl.concat_str([pl.lit("buiten elke zorgovereenkomst (er is geen zorgovereenkomst met deze zorgverlener "
                               "voor product "), prod, pl.lit(" die "), _dag(van), pl.lit(" omvat)")])),
        voor("_t_van", pl.concat_str([pl.lit("voor de ingangsdatum van toekenning "), toek_id])),
        na("_t_tot", pl.concat_str([pl.lit("na de einddatum van toekenning "), toek_id])),
        voor("_a_van", pl.concat_str([pl.lit("voor de aanvraagdatum van toekenning "), toek_id,
                                      pl.lit(" zonder toestemming om eerder te beginnen")])),
        voor("_z_van", pl.concat_str([pl.lit("voor de ingangsdatum van zorgovereenkomst "), zo_id])),
        na("_z_tot", pl.concat_str([pl.lit("na de einddatum van zorgovereenkomst "), zo_id])),
        na("_dood", pl.lit("na de overlijdensdatum van de budgethouder")),
    ]
    vol = pl.concat_list([pl.when(n > 0).then(pl.concat_str([_dagen_tekst(n), pl.lit(" ("), r, pl.lit(") "), w]))
                          for n, r, w in redenen]).list.drop_nulls()
    werkw = pl.when(pl.col("_buiten") == 1).then(pl.lit(") valt ")).otherwise(pl.lit(") vallen "))
    enkel = pl.concat_list([pl.when(n > 0).then(pl.concat_str([pl.lit("("), r, werkw, w]))
                            for n, r, w in redenen]).list.drop_nulls()

    lf = lf.with_columns(vol.alias("_vol"), enkel.alias("_enkel"),
                         money.prorata("bedrag_ct", "_buiten", "dagen").alias("_effect"))
    kop = (pl.when(dagen == 1).then(pl.lit("De zorgdag"))
           .when(pl.col("_buiten") == dagen).then(pl.concat_str([pl.lit("Alle "), dagen.cast(pl.String),
                                                                  pl.lit(" dagen")]))
           .otherwise(pl.concat_str([pl.col("_buiten").cast(pl.String), pl.lit(" van de "), dagen.cast(pl.String),
                                     pl.lit(" dagen")])))
    staart = pl.concat_str([pl.lit(": "), formatting.fmt_nl("_effect"), pl.lit(" van "), formatting.fmt_nl("bedrag_ct"),
                            pl.lit(" euro van declaratie "), pl.col("declaratie_id"), pl.lit(".")])
    toel = (pl.when(pl.col("_vol").list.len() == 1)
            .then(pl.concat_str([kop, pl.lit(" "), pl.col("_enkel").list.first(), staart]))
            .otherwise(pl.concat_str([kop, werkw.str.strip_prefix(")"),
                                      pl.lit("buiten de periode die het pgb dekt: "),
                                      pl.col("_vol").list.join(", "), staart])))

    # period of the finding: first and last day outside
    eerste = pl.when((pl.col("_binnen") == 0) | (pl.col("_start") > van)).then(van).otherwise(pl.col("_eind") + een)
    laatste = pl.when((pl.col("_binnen") == 0) | (pl.col("_eind") < tot)).then(tot).otherwise(pl.col("_start") - een)

    findings = lf.select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        pl.concat_list([pl.col("declaratie_id")]).alias("declaratie_ids"),
        eerste.alias("periode_van"), laatste.alias("periode_tot"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"), pl.col("_effect").alias("financieel_effect_ct"),
        toel.alias("toelichting"),
        pl.concat_str([pl.lit("dagen_buiten="), pl.col("_buiten").cast(pl.String), pl.lit("/"),
                       dagen.cast(pl.String)]).alias("details"),
    )

    nt = (ctx.toekenning_delen().join(toek, on="toekenning_id", how="inner")
          .filter(pl.col("_aanvraag").is_null() & ~pl.col("_toestemming").fill_null(False))
          .select(pl.col("declaratie_id").alias("sleutel"),
                  pl.lit("De toekenning heeft geen aanvraagdatum en geen toestemming om eerder te beginnen: "
                                 "niet getoetst of de zorg voor de aanvraag lag.").alias("reden")))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
