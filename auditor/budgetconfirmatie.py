"""BADO B, budgetconfirmatie (sampling.md, "The BADO controls"; docs/rechtmatigheid.md).

Per toekenning what the gemeente granted (`toekenningen.budget`), what the SVB holds
(the optional `budgetten` table) and what the SVB paid (betalingen of the toekenning's lines);
every difference is listed with its cause:

* a budget row is matched to a toekenning by `toekenning_id` (the SVB's budgetidentificatie);
  a row without one by budgethouder, product_code and ingangsdatum;
* causes: the SVB holds another amount, another period, or it is another budgethouder's;
  the toekenning has no SVB budget; the SVB holds a budget the gemeente did not grant; the
  SVB paid more than the budget it holds (or, without an SVB budget, more than was granted).

Without a budgetten table there is nothing to confirm: `aanwezig` is False and the
rechtmatigheid view says the table is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from auditor.audit import Audit

OORZAKEN = {
    "bedrag": "de SVB houdt een ander budget aan dan de gemeente toekende",
    "periode": "de SVB houdt het budget aan voor een andere periode dan de toekenning",
    "budgethouder": "de SVB houdt het budget aan bij een andere budgethouder dan de toekenning",
    "geen_svb": "de SVB houdt voor deze toekenning geen budget aan",
    "geen_toekenning": "de SVB houdt een budget aan waar de gemeente geen toekenning voor heeft",
    "boven_svb": "de SVB betaalde meer dan het budget dat zij aanhoudt",
    "boven_toegekend": "de SVB betaalde meer dan de gemeente toekende",
}
VERSCHIL_SCHEMA = {"toekenning_id": pl.String, "budgethouder_id": pl.String, "toegekend_ct": pl.Int64,
                   "svb_ct": pl.Int64, "betaald_ct": pl.Int64, "verschil_ct": pl.Int64, "soort": pl.String,
                   "oorzaak": pl.String}


@dataclass
class Budgetconfirmatie:
    aanwezig: bool
    per_toekenning: pl.DataFrame    # toekenning_id, budgethouder_id, toegekend_ct, svb_ct, betaald_ct, ...
    verschillen: pl.DataFrame       # VERSCHIL_SCHEMA, one row per difference


def bereken(a: Audit) -> Budgetconfirmatie:
    ctx = a.ctx
    toek = ctx.t("toekenningen").select("toekenning_id", "budgethouder_id", "product_code", "budget_ct",
                                        "ingangsdatum", "einddatum")
    bud = ctx.t("budgetten").select(pl.col("toekenning_id").alias("_tid"), pl.col("budgethouder_id").alias("svb_bh"),
                                    pl.col("product_code").alias("_pc"), pl.col("budget_ct").alias("svb_ct"),
                                    pl.col("ingangsdatum").alias("svb_van"), pl.col("einddatum").alias("svb_tot"))
    # rows without toekenning_id: the toekenning of the same budgethouder, product and start
    zonder_id = (bud.filter(pl.col("_tid").is_null())
                 .join(toek.select("toekenning_id", "budgethouder_id", "product_code", "ingangsdatum"),
                       left_on=["svb_bh", "_pc", "svb_van"], right_on=["budgethouder_id", "product_code", "ingangsdatum"],
                       how="left")
                 .with_columns(pl.col("toekenning_id").alias("_tid")).drop("toekenning_id"))
    bud = pl.concat([bud.filter(pl.col("_tid").is_not_null()), zonder_id], how="diagonal_relaxed")
    bet = (ctx.t("betalingen").join(ctx.lines.select("declaratie_id", "toekenning_id"), on="declaratie_id", how="inner")
           .group_by("toekenning_id").agg(pl.col("bedrag_ct").sum().alias("betaald_ct")))
    t = (toek.join(bud, left_on="toekenning_id", right_on="_tid", how="full", coalesce=True)
         .join(bet, on="toekenning_id", how="left")
         .with_columns(pl.col("betaald_ct").fill_null(0),
                       pl.coalesce("budgethouder_id", "svb_bh").alias("budgethouder_id"))
         .sort("toekenning_id", "budgethouder_id", nulls_last=True).collect())
    aanwezig = "budgetten" in a.raw
    if not aanwezig:
        return Budgetconfirmatie(False, t, pl.DataFrame(schema=VERSCHIL_SCHEMA))
    heeft_toek, heeft_svb = pl.col("budget_ct").is_not_null(), pl.col("svb_ct").is_not_null()
    regels = [
        ("bedrag", heeft_toek & heeft_svb & (pl.col("svb_ct") != pl.col("budget_ct")), pl.col("svb_ct") - pl.col("budget_ct")),
        ("periode", heeft_toek & heeft_svb & ((pl.col("svb_van") != pl.col("ingangsdatum"))
                                              | (pl.col("svb_tot") != pl.col("einddatum"))), pl.lit(0)),
        ("budgethouder", heeft_toek & heeft_svb & (pl.col("svb_bh") != pl.col("budgethouder_id")), pl.lit(0)),
        ("geen_svb", heeft_toek & ~heeft_svb, -pl.col("budget_ct")),
        ("geen_toekenning", ~heeft_toek & heeft_svb, pl.col("svb_ct")),
        ("boven_svb", heeft_svb & (pl.col("betaald_ct") > pl.col("svb_ct")), pl.col("betaald_ct") - pl.col("svb_ct")),
        ("boven_toegekend", heeft_toek & ~heeft_svb & (pl.col("betaald_ct") > pl.col("budget_ct")),
         pl.col("betaald_ct") - pl.col("budget_ct")),
    ]
    parts = [t.filter(cond).select(
        "toekenning_id", "budgethouder_id", pl.col("budget_ct").alias("toegekend_ct"), "svb_ct", "betaald_ct",
        verschil.cast(pl.Int64).alias("verschil_ct"), pl.lit(soort).alias("soort"), pl.lit(OORZAKEN[soort]).alias("oorzaak"))
        for soort, cond, verschil in regels]
    v = pl.concat(parts).sort("budgethouder_id", "toekenning_id", "soort", nulls_last=True)
    return Budgetconfirmatie(True, t, v)
