"""BUDGET: a toekenning granted above `omvang x norm`.

**What it finds.** A toekenning whose `budget` is more than its `omvang` times the pgb norm
per unit for its own `categorie`, `product_code`, `eenheid` and `zorgverlener_soort` (the
basis the budget was calculated on: professioneel or sociaal netwerk), computed as for
declaration lines (regeling.md "The pgb norm per unit"). The regeling is the one of the
budgethouder's gemeente valid on the toekenning's `ingangsdatum` (or the `--regeling` file).

**Why it matters.** A budget above the norm lets the budgethouder pay above the norm
without ever exceeding the budget. This is an error of the beschikking (the gemeente's
decision), not of the budgethouder: the toelichting says so, and the bundled regelingen
exclude BUDGET from opschorting (`[opschorting].uitgesloten`).

**Article.** The regeling's `[artikelen].BUDGET` (Losser: art. 7.4).

**financieel_effect.** `budget - omvang x norm` where positive. `omvang x norm` is rounded
to the cent first (`money.qty_x_price`), as in TARIEF. One finding per toekenning; the
`periode` is the toekenning's period, `bedrag_betrokken` its budget.

**Niet toetsbaar.** A toekenning without a norm: no regeling for the gemeente and
ingangsdatum, product not in `[zin_tarieven]`, a unit that differs from the ZIN tariff's,
a percentage or sociaal-netwerk amount missing (reason from `voeg_norm_toe`).

Fires: Losser 2025, 200 uur 45A48 professioneel with a budget of 12.000,00: norm 58,14,
200 x 58,14 = 11.628,00, effect 372,00.
Does not fire: the same toekenning with a budget of 11.628,00.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor import regeling as reg
from auditor.engine import CheckResult, Context, check, finding_frame
from checks._norm import aantal_met_eenheid, boven_norm, eenheid_enkelvoud, norm_uitleg_kort, voorbeeld_kolom, voorbeeld_tekst

CODE = "BUDGET"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A toekenning granted above omvang x norm for its categorie and zorgverlener_soort (an error of the beschikking)."""
    toek = reg.voeg_norm_toe(ctx.toekenningen(), ctx.regelingen, soort_col="zorgverlener_soort")

    judged, nt = boven_norm(toek, sleutel="toekenning_id", aantal="omvang_e4", bedrag="budget_ct")

    wie = pl.when(pl.col("zorgverlener_soort") == "sociaal_netwerk").then(pl.lit("zorg uit het sociaal netwerk")) \
        .otherwise(pl.lit("een professionele zorgverlener"))
    uitleg = pl.when(pl.col("norm_uitleg").is_not_null()).then(
        pl.concat_str([pl.lit(" ("), norm_uitleg_kort(), pl.lit(")")])).otherwise(pl.lit(""))
    toelichting = pl.concat_str([
        pl.lit("De beschikking kent voor toekenning "), pl.col("toekenning_id"), pl.lit(" "), formatting.fmt_nl("budget_ct"),
        pl.lit(" euro toe voor "), aantal_met_eenheid("omvang_e4"), pl.lit(", maar de pgb-norm voor "), wie,
        pl.lit(" is "), formatting.fmt_nl("norm_ct"), pl.lit(" euro per "), eenheid_enkelvoud(), uitleg,
        pl.lit(", dus ten hoogste "), formatting.fmt_nl("_toegestaan_ct"), pl.lit(" euro: "), formatting.fmt_nl("_effect_ct"),
        pl.lit(" euro te veel toegekend, een fout in de beschikking van de gemeente en niet van de budgethouder."),
        voorbeeld_tekst(),
    ])
    findings = judged.select(
        "budgethouder_id", "toekenning_id", "regeling_id",
        pl.col("ingangsdatum").alias("periode_van"), pl.col("einddatum").alias("periode_tot"),
        pl.col("budget_ct").alias("bedrag_betrokken_ct"), pl.col("_effect_ct").alias("financieel_effect_ct"),
        toelichting.alias("toelichting"), voorbeeld_kolom(),
        pl.concat_str([pl.lit("norm_ct="), pl.col("norm_ct").cast(pl.String), pl.lit(";soort="),
                       pl.col("zorgverlener_soort")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
