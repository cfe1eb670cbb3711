"""BUITEN-PERIODE: care on days the pgb does not cover.

**What it finds.** A declaration line with one or more days (calendar days, both ends
included) outside the period in which the pgb may pay for it:

- before the `ingangsdatum` or after the `einddatum` of the line's toekenning;
- before the toekenning's `aanvraagdatum` (Losser art. 7.1 lid 5 sub a: always, with or
  without permission);
- from the `aanvraagdatum` up to the day before the `besluitdatum`, unless
  `toestemming_eerder_starten` is true (sub b: "tenzij het college [...] schriftelijk
  toestemming heeft verleend");
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
model agreement). Art. 7.1 lid 5 refuses a pgb for care realised before the aanvraag (sub a)
and, without written permission, for care realised after the aanvraag but before the
college decided (sub b); the toelichting: "niet met terugwerkende kracht". After the
budgethouder's death there is nobody to give care to.

**Article.** The regeling's `[artikelen].BUITEN-PERIODE` (Losser: art. 7.1 lid 5 and the
beschikking).

**financieel_effect.** The euros of the days outside, pro rata:
`money.prorata(bedrag, days outside, dagen)`, rounded half away from zero to the cent.

**Choices where the spec is silent (docs).**
- *Aanvraag and besluit.* The article wins over an earlier reading: a toekenning whose
  `ingangsdatum` lies before its `besluitdatum` does not make the days before the besluit
  payable without `toestemming_eerder_starten`; the days before the aanvraag are never
  payable, permission or not.
- *No aanvraagdatum / besluitdatum.* A missing date makes only its own bound niet toetsbaar:
  the line is still judged on every other bound and is listed as niet toetsbaar with the
  reason (no besluitdatum matters only without permission).
- *No zorgovereenkomst.* The SVB pays only under an approved agreement; a line for which
  none is named or resolved lies outside every agreement, so its whole `bedrag` counts.
- *Resolution by `datum_van`.* A line that names no toekenning (or agreement) is matched on
  its `datum_van` (checks.md). A line starting one day before its toekenning and naming none
  therefore has no toekenning and counts in full; name the toekenning in the export to get
  the pro rata effect.
- *No regeling.* The check uses no value from the regeling, so lines no regeling covers are
  judged too (the article is then the budgethouder's gemeente's). The aanvraag and besluit
  bounds are applied under every regeling: the De Ronde Venen 2026 nadere regels do not
  regulate the aanvraag and its verordening is not among the sources, so its `[artikelen]`
  cites the beschikking.

Fires: toekenning T1 from 01-03-2025, line D1 28-02-2025 t/m 06-03-2025 (7 days) naming T1
for 105,00: 1 day outside, 105,00 x 1 / 7 = 15,00.
Does not fire: the same line from 01-03-2025; a line on the day the budgethouder died;
care between aanvraag and besluit with `toestemming_eerder_starten` = ja.
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
    """Care on days outside the toekenning, before the aanvraag, between aanvraag and besluit
    without permission, outside the zorgovereenkomst, after the budgethouder's death, or
    without any toekenning."""
    toek = ctx.t("toekenningen").select(
        "toekenning_id", pl.col("ingangsdatum").alias("_t_van"), pl.col("einddatum").alias("_t_tot"),
        pl.col("aanvraagdatum").alias("_aanvraag"), pl.col("besluitdatum").alias("_besluit"),
        pl.col("toestemming_eerder_starten").alias("_toestemming"))
    zo = ctx.t("zorgovereenkomsten").select(
        "zorgovereenkomst_id", pl.col("ingangsdatum").alias("_z_van"), pl.col("einddatum").alias("_z_tot"))
    bh = ctx.t("budgethouders").select("budgethouder_id", pl.col("overlijdensdatum").alias("_dood"))

    van, tot, dagen = pl.col("datum_van"), pl.col("datum_tot"), pl.col("dagen")
    een = pl.duration(days=1)
    geen_toek = pl.col("toekenning_id").is_null()
    geen_zo = pl.col("zorgovereenkomst_id").is_null()
    toestemming = pl.col("_toestemming").fill_null(False)

    # item 7: a line across back-to-back toekenningen/agreements is judged per part (Context.toekenning_delen)
    lf = (ctx.toekenning_delen().join(toek, on="toekenning_id", how="left")
          .join(zo, on="zorgovereenkomst_id", how="left")
          .join(bh, on="budgethouder_id", how="left")
          # sub a: the aanvraag always bounds the period; sub b: so does the besluit, unless the
          # college gave written permission to start earlier
          .with_columns(pl.col("_aanvraag").alias("_a_van"),
                        pl.when(toestemming).then(None).otherwise(pl.col("_besluit")).alias("_b_van")))

    # inside = the intersection of the line with every period; null bounds are ignored
    start = pl.max_horizontal(van, pl.col("_t_van"), pl.col("_a_van"), pl.col("_b_van"), pl.col("_z_van"))
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

    prod = pl.col("product_code")
    heel = _reeks(van, tot)
    # sub b counts only the days from the aanvraag on (the days before it are sub a's)
    b_dagen = pl.max_horizontal(pl.lit(0, dtype=pl.Int64),
                                _voor(pl.col("_b_van")) - _voor(pl.col("_a_van")))
    b_van = pl.max_horizontal(van, pl.col("_a_van"))
    redenen = [
        (pl.when(geen_toek).then(dagen).otherwise(0), heel,
         pl.concat_str([pl.lit("buiten elke toekenning (er is geen toekenning voor product "), prod,
                        pl.lit(" die "), _dag(van), pl.lit(" omvat)")])),
        (pl.when(geen_zo).then(dagen).otherwise(0), heel,
         pl.concat_str([pl.lit("buiten elke zorgovereenkomst (er is geen zorgovereenkomst met deze zorgverlener "
                               "voor product "), prod, pl.lit(" die "), _dag(van), pl.lit(" omvat)")])),
        voor("_t_van", pl.lit("voor de ingangsdatum van de toekenning")),
        na("_t_tot", pl.lit("na de einddatum van de toekenning")),
        voor("_a_van", pl.lit("voor de datum van de aanvraag")),
        (b_dagen, _reeks(b_van, pl.min_horizontal(tot, pl.col("_b_van") - een)),
         pl.concat_str([pl.lit("na de aanvraag maar voor het besluit van het college ("), _dag(pl.col("_b_van")),
                        pl.lit("), zonder schriftelijke toestemming om eerder te beginnen")])),
        voor("_z_van", pl.lit("voor de ingangsdatum van de zorgovereenkomst")),
        na("_z_tot", pl.lit("na de einddatum van de zorgovereenkomst")),
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
    staart = pl.concat_str([pl.lit(". Het pgb dekt daarom "), formatting.fmt_nl("_effect"), pl.lit(" euro van de "),
                            formatting.fmt_nl("bedrag_ct"), pl.lit(" euro van deze declaratie niet.")])
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

    met_toek = ctx.toekenning_delen().join(toek, on="toekenning_id", how="inner")
    nt = pl.concat([
        met_toek.filter(pl.col("_aanvraag").is_null()).select(
            pl.col("declaratie_id").alias("sleutel"),
            pl.lit("de toekenning heeft geen aanvraagdatum: niet getoetst of de zorg voor de aanvraag lag").alias("reden")),
        met_toek.filter(pl.col("_besluit").is_null() & ~toestemming).select(
            pl.col("declaratie_id").alias("sleutel"),
            pl.lit("de toekenning heeft geen besluitdatum en geen toestemming om eerder te beginnen: niet getoetst "
                   "of de zorg voor het besluit lag").alias("reden")),
    ]).unique(maintain_order=True)
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
