"""OVERSCHRIJDING: a toekenning whose lines declare more than its budget.

**What it finds.** Per toekenning, the sum of `bedrag` of the declaration lines that belong
to it (the toekenning a line names, or the one resolved per checks.md: same budgethouder
and product, period holding `datum_van`) above the toekenning's `budget`. One finding per
toekenning.

**Why it matters.** The pgb may not pay more than the beschikking grants.

**Article.** The regeling's `[artikelen].OVERSCHRIJDING` (Losser: art. 7.4 lid 1 and the
beschikking). The regeling is the one of the budgethouder's gemeente valid on the
toekenning's `ingangsdatum`, as for BUDGET.

**financieel_effect.** `sum(bedrag) - budget` where positive.

**Decisions.**
- Every line that belongs to the toekenning counts, whatever its dates or `status`: the
  spec speaks of the lines a toekenning "declares". Euros of lines outside the toekenning's
  period or of duplicated lines may therefore also appear in BUITEN-PERIODE or DUBBEL; the
  excess is a fact about the toekenning as a whole.
- `declaratie_ids` are all lines of the toekenning (the finding rests on their sum);
  `periode_van/tot` the earliest `datum_van` and latest `datum_tot` of those lines;
  `bedrag_betrokken` their sum. The toelichting and `details` name the line with which
  the budget was passed, counting in date order (`datum_van`, `datum_tot`,
  `declaratie_id`).
- `zorgverlener_id` is set when all lines of the toekenning are of one zorgverlener
  (so an opschorting can be `gedeeltelijk`), else empty.

**A line across toekenningen.** A line that names no toekenning and whose days fall under
two or more of the budgethouder's toekenningen of its product (back to back) counts in each
with the euros of its days there, pro rata (`Context.toekenning_delen`, checks.md "Which
toekenning and agreement").

**Niet toetsbaar.** A line that belongs to no toekenning (it cannot be counted against any
budget; BUITEN-PERIODE reports it as a fout).

Fires: Losser 2025, T1 budget 11.628,00, lines 6.000,00 + 5.000,00 + 1.000,00 = 12.000,00:
effect 372,00, passed with the third line.
Does not fire: lines that add up to exactly 11.628,00.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "OVERSCHRIJDING"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A toekenning whose lines declare more than its budget (one finding per toekenning)."""
    delen = ctx.toekenning_delen()   # a line across back-to-back toekenningen counts pro rata in each
    nt = delen.filter(pl.col("toekenning_id").is_null()).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.lit("de declaratie hoort bij geen toekenning, dus bij geen budget").alias("reden")).unique("sleutel")

    toek = ctx.toekenningen().select("toekenning_id", "budgethouder_id", "budget_ct", "regeling_id")
    lines = (delen.filter(pl.col("toekenning_id").is_not_null())
             .select("toekenning_id", "declaratie_id", "zorgverlener_id", "datum_van", "datum_tot", "bedrag_ct")
             .join(toek.select("toekenning_id", "budget_ct"), on="toekenning_id", how="inner")
             .sort(["toekenning_id", "datum_van", "datum_tot", "declaratie_id"])
             .with_columns(pl.col("bedrag_ct").cum_sum().over("toekenning_id").alias("_cum_ct")))
    per_toek = (lines.group_by("toekenning_id")
                .agg(pl.col("bedrag_ct").sum().alias("_som_ct"),
                     pl.col("declaratie_id").alias("declaratie_ids"),
                     pl.col("datum_van").min().alias("periode_van"),
                     pl.col("datum_tot").max().alias("periode_tot"),
                     pl.col("zorgverlener_id").unique().alias("_zv"),
                     pl.col("declaratie_id").filter(pl.col("_cum_ct") > pl.col("budget_ct")).first().alias("_vanaf"),
                     pl.col("datum_van").filter(pl.col("_cum_ct") > pl.col("budget_ct")).first().alias("_vanaf_datum"))
                .join(toek, on="toekenning_id", how="inner")
                .with_columns((pl.col("_som_ct") - pl.col("budget_ct")).alias("_effect_ct"))
                .filter(pl.col("_effect_ct") > 0))

    toelichting = pl.concat_str([
        pl.lit("Op toekenning "), pl.col("toekenning_id"), pl.lit(" is "), formatting.fmt_nl("_som_ct"),
        pl.lit(" euro gedeclareerd terwijl het budget "), formatting.fmt_nl("budget_ct"), pl.lit(" euro is, dus "),
        formatting.fmt_nl("_effect_ct"), pl.lit(" euro meer dan toegekend (het budget is overschreden met declaratie "),
        pl.col("_vanaf"), pl.lit(" van "), formatting.fmt_datum_nl("_vanaf_datum"), pl.lit(")."),
    ])
    findings = per_toek.select(
        "budgethouder_id", "toekenning_id", "regeling_id", "declaratie_ids", "periode_van", "periode_tot",
        pl.when(pl.col("_zv").list.len() == 1).then(pl.col("_zv").list.first()).otherwise(None).alias("zorgverlener_id"),
        pl.col("_som_ct").alias("bedrag_betrokken_ct"), pl.col("_effect_ct").alias("financieel_effect_ct"),
        toelichting.alias("toelichting"),
        pl.concat_str([pl.lit("overschreden_vanaf="), pl.col("_vanaf")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
