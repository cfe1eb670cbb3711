"""Aansluiting for the accountant: toegekend, gedeclareerd and betaald per gemeente, wet, categorie.

* toegekend   = `budget` of the audited toekenningen, by the toekenning's wet and categorie and
                the budgethouder's gemeente;
* gedeclareerd = `bedrag` of the audited declaration lines, by the line's categorie (regeling
                product table, else the toekenning's) and the wet of the toekenning the line
                belongs to (`(geen toekenning)` when none);
* betaald     = `bedrag` of the audited betalingen, by the keys of the line paid; a payment
                without (a known) declaration gets wet and categorie `(geen declaratie)`.

Each column's total equals the sum over its input table (tested); rows in quarantine are not
in the audit and are shown with their count.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from auditor.audit import Audit

KEYS = ["gemeente_code", "wet", "categorie"]
GEEN_TOEKENNING = "(geen toekenning)"
GEEN_DECLARATIE = "(geen declaratie)"
ONBEKEND = "(onbekend)"


@dataclass
class Aansluiting:
    tabel: pl.DataFrame           # gemeente_code, wet, categorie, toegekend_ct, gedeclareerd_ct, betaald_ct
    toegekend_ct: int
    gedeclareerd_ct: int
    betaald_ct: int
    invoer: dict[str, int]        # the same totals straight from the input tables
    counts: dict[str, dict[str, int]]


def bereken(a: Audit) -> Aansluiting:
    ctx = a.ctx
    bh = ctx.t("budgethouders").select("budgethouder_id", "gemeente_code")
    toek = (ctx.t("toekenningen").join(bh, on="budgethouder_id", how="left")
            .group_by(KEYS).agg(pl.col("budget_ct").fill_null(0).sum().alias("toegekend_ct")))
    wet = ctx.t("toekenningen").select("toekenning_id", pl.col("wet").alias("_wet"))
    lines = (ctx.lines.join(wet, on="toekenning_id", how="left")
             .with_columns(pl.col("_wet").fill_null(GEEN_TOEKENNING).alias("wet"))
             .select("declaratie_id", "gemeente_code", "wet", "categorie", "bedrag_ct"))
    decl = lines.group_by(KEYS).agg(pl.col("bedrag_ct").fill_null(0).sum().alias("gedeclareerd_ct"))
    bet = (ctx.t("betalingen").join(bh.rename({"gemeente_code": "_g"}), on="budgethouder_id", how="left")
           .join(lines.select("declaratie_id", "gemeente_code", "wet", "categorie"), on="declaratie_id", how="left")
           .with_columns(pl.coalesce("gemeente_code", "_g").alias("gemeente_code"),
                         pl.col("wet").fill_null(GEEN_DECLARATIE), pl.col("categorie").fill_null(GEEN_DECLARATIE))
           .group_by(KEYS).agg(pl.col("bedrag_ct").fill_null(0).sum().alias("betaald_ct")))
    t = (toek.with_columns([pl.col(k).cast(pl.String) for k in KEYS])
         .join(decl.with_columns([pl.col(k).cast(pl.String) for k in KEYS]), on=KEYS, how="full", coalesce=True, nulls_equal=True)
         .join(bet.with_columns([pl.col(k).cast(pl.String) for k in KEYS]), on=KEYS, how="full", coalesce=True, nulls_equal=True)
         .with_columns([pl.col(k).fill_null(ONBEKEND) for k in KEYS])
         .with_columns([pl.col(c).fill_null(0) for c in ("toegekend_ct", "gedeclareerd_ct", "betaald_ct")])
         .group_by(KEYS).agg(pl.col("toegekend_ct").sum(), pl.col("gedeclareerd_ct").sum(), pl.col("betaald_ct").sum())
         .sort(KEYS).collect())
    invoer = {
        "toegekend_ct": int(ctx.t("toekenningen").select(pl.col("budget_ct").fill_null(0).sum()).collect().item()),
        "gedeclareerd_ct": int(ctx.t("declaraties").select(pl.col("bedrag_ct").fill_null(0).sum()).collect().item()),
        "betaald_ct": int(ctx.t("betalingen").select(pl.col("bedrag_ct").fill_null(0).sum()).collect().item()),
    }
    return Aansluiting(t, int(t["toegekend_ct"].sum()), int(t["gedeclareerd_ct"].sum()), int(t["betaald_ct"].sum()),
                       invoer, a.validated.counts)
