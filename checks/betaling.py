"""BETALING: a payment that does not match a declaration or the zorgverlener's account.

**What it finds.** Per payment (table `betalingen`):
- paid to an IBAN that is not the zorgverlener's IBAN;
- paid without a declaration (`declaratie_id` empty);
- the part of the payments of one declaration above the declared `bedrag`.
One finding per payment, naming every reason.

**Why it matters.** The SVB pays the zorgverlener for declared care. Money to another
account, money for nothing declared, and money above the declaration are the classic leaks
of any payment process; all three are spending not on the care granted (art. 8.1.4 lid 1
sub e Jeugdwet).

**Article.** The regeling's `[artikelen].BETALING` (Losser: art. 8.1 lid 4 sub a). A payment
has no line, so the regeling is the budgethouder's gemeente's on the peildatum.

**financieel_effect.** Wrong IBAN or no declaration: the payment. Above the declaration: the
part above.

**Choices where the spec is silent (docs).**
- *Which zorgverlener.* The IBAN is compared with the IBAN of the zorgverlener of the
  declaration paid (the one who delivered the care) or, for a payment without a
  declaration, of the payment's zorgverlener. Both are normalised (no spaces, upper case).
  A zorgverlener without IBAN: the IBAN cannot be judged, the payment is niet toetsbaar
  for that reason (its other reasons are still judged).
- *Above the declaration, per payment.* Per declaration the payments are added up (refunds,
  negative amounts, subtract). Where the net total is above the declared `bedrag`, the excess
  is attributed to the LAST positive payments (by `betaaldatum`, then `betaling_id`): the
  payment that made the total too high is the one too many. The shares add up to the excess
  exactly. Payments already counted in full for a wrong IBAN are left out of that total, so
  no euro is counted twice (a declaration of 100,00 paid 100,00 to a wrong account and
  100,00 to the right one: 100,00 for the wrong account, nothing above the declaration).
- *Refunds.* A payment of 0 or less (a correction) is never a finding itself; it only nets
  the total of its declaration.
- *Toelichting.* IBANs are masked: only the last 4 characters are shown.

Fires: declaration D1 of 116,28 paid 116,28 on 20-03 and 116,28 on 21-03: the second
payment is 116,28 above the declaration. A payment of 50,00 to an account ending in 9999 while the
zorgverlener's IBAN ends in 4567: 50,00.
Does not fire: one payment of 116,28 to the zorgverlener's IBAN for D1; two payments of
58,14 for D1.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "BETALING"


def _masker(col: str) -> pl.Expr:
    """'eindigend op 4567': never more than the last 4 characters of an IBAN."""
    return pl.concat_str([pl.lit("eindigend op "), pl.col(col).str.slice(-4)])


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A payment to an IBAN not the zorgverlener's, without a declaration, or above the
    declared bedrag."""
    zv = ctx.t("zorgverleners").select("zorgverlener_id", pl.col("iban").alias("_zv_iban"))
    decl = ctx.t("declaraties").select("declaratie_id", pl.col("bedrag_ct").alias("_decl_ct"),
                                       pl.col("zorgverlener_id").alias("_decl_zv"))
    b = (ctx.t("betalingen").join(decl, on="declaratie_id", how="left")
         .with_columns(pl.coalesce("_decl_zv", "zorgverlener_id").alias("_zv"))
         .join(zv, left_on="_zv", right_on="zorgverlener_id", how="left"))

    positief = pl.col("bedrag_ct") > 0
    geen_decl = pl.col("declaratie_id").is_null()
    fout_iban = pl.col("_zv_iban").is_not_null() & (pl.col("iban") != pl.col("_zv_iban"))
    b = b.with_columns(geen_decl.alias("_geen_decl"), fout_iban.alias("_fout_iban"))

    # Above the declaration: net total of the payments to the right (or unknown) account; the
    # excess goes to the last positive payments.
    telt = ~geen_decl & ~(pl.col("_fout_iban") & positief)
    b = b.with_columns(pl.when(telt).then(pl.col("bedrag_ct")).otherwise(0).alias("_telt_ct"))
    b = b.with_columns(
        pl.max_horizontal(pl.lit(0, dtype=pl.Int64),
                          pl.col("_telt_ct").sum().over("declaratie_id") - pl.col("_decl_ct")).alias("_overschot"))
    pos = telt & positief
    later = (pl.when(pos).then(pl.col("bedrag_ct")).otherwise(0)
             .cum_sum(reverse=True).over("declaratie_id", order_by=["betaaldatum", "betaling_id"])
             - pl.when(pos).then(pl.col("bedrag_ct")).otherwise(0))   # positive payments after this one
    boven = pl.when(pos & ~geen_decl).then(
        pl.min_horizontal(pl.col("bedrag_ct"),
                          pl.max_horizontal(pl.lit(0, dtype=pl.Int64), pl.col("_overschot") - later))).otherwise(0)
    # the ordered window only for the payments of declaraties paid above their bedrag (few);
    # every other payment has nothing above the declaration
    boven_deel = pl.col("_overschot").fill_null(0) > 0
    b = pl.concat([
        b.filter(boven_deel).with_columns(boven.fill_null(0).alias("_boven")),
        b.filter(~boven_deel).with_columns(pl.lit(0, dtype=pl.Int64).alias("_boven")),
    ])

    volledig = positief & (pl.col("_geen_decl") | pl.col("_fout_iban"))
    effect = pl.when(volledig).then(pl.col("bedrag_ct")).otherwise(pl.col("_boven"))
    b = b.with_columns(effect.alias("_effect")).filter(pl.col("_effect") > 0)

    redenen = pl.concat_list([
        pl.when(pl.col("_fout_iban")).then(pl.concat_str([
            pl.lit("ging naar rekening "), _masker("iban"), pl.lit(" en niet naar de rekening "), _masker("_zv_iban"),
            pl.lit(" van zorgverlener "), pl.col("_zv")])),
        pl.when(pl.col("_geen_decl")).then(pl.lit("hoort bij geen enkele declaratie")),
        pl.when(pl.col("_boven") > 0).then(pl.concat_str([
            pl.lit("brengt het betaalde voor declaratie "), pl.col("declaratie_id"), pl.lit(" boven het gedeclareerde "),
            formatting.fmt_nl("_decl_ct"), pl.lit(" euro")])),
    ]).list.drop_nulls()
    n = redenen.list.len()
    opsomming = pl.when(n == 1).then(redenen.list.first()).otherwise(
        pl.concat_str([redenen.list.head(n - 1).list.join(", "), pl.lit(" en "), redenen.list.last()]))
    toel = pl.concat_str([
        pl.lit("Betaling "), pl.col("betaling_id"), pl.lit(" van "), formatting.fmt_nl("bedrag_ct"),
        pl.lit(" euro op "), formatting.fmt_datum_nl("betaaldatum"), pl.lit(" "), opsomming,
        pl.lit(", dus "), formatting.fmt_nl("_effect"), pl.lit(" euro is ten onrechte betaald."),
    ])
    findings = b.select(
        "budgethouder_id", pl.col("_zv").alias("zorgverlener_id"),
        pl.when(geen_decl).then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(pl.concat_list([pl.col("declaratie_id")])).alias("declaratie_ids"),
        pl.col("betaaldatum").alias("periode_van"), pl.col("betaaldatum").alias("periode_tot"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"), pl.col("_effect").alias("financieel_effect_ct"),
        toel.alias("toelichting"),
        pl.concat_str([pl.lit("betaling="), pl.col("betaling_id")]).alias("details"),
    )

    nt = (ctx.t("betalingen").join(decl, on="declaratie_id", how="left")
          .with_columns(pl.coalesce("_decl_zv", "zorgverlener_id").alias("_zv"))
          .join(zv, left_on="_zv", right_on="zorgverlener_id", how="left")
          .filter(pl.col("_zv_iban").is_null() & (pl.col("bedrag_ct") > 0))
          .select(pl.col("betaling_id").alias("sleutel"),
                  pl.lit("De zorgverlener heeft geen IBAN: niet getoetst of de betaling naar de juiste rekening ging.")
                  .alias("reden")))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
