"""Money as integer cents, quantities as integer ten-thousandths.

Every amount in pgb-audit is an `Int64` number of cents; every quantity (aantal, omvang,
km) an `Int64` number of ten-thousandths. Integer arithmetic is exact, so the only place
where rounding happens is `div_round`, which rounds half away from zero (never half to
even: that is wrong for money). Writing amounts as text lives in `auditor.formatting`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

QTY_SCALE = 10_000  # quantities are stored x 10^4
CENT = Decimal("0.01")


def _e(x: pl.Expr | str | int) -> pl.Expr:
    if isinstance(x, pl.Expr):
        return x
    if isinstance(x, str):
        return pl.col(x)
    return pl.lit(x, dtype=pl.Int64)


def div_round(num: pl.Expr | str | int, den: pl.Expr | str | int) -> pl.Expr:
    """`num / den` as Int64, rounded half away from zero. `den` must be positive.

    Computed in Int128: `num` is often a product (quantity x price, amount x days) that
    can pass 2^63 at the input bounds of `auditor.validate` even when the quotient fits."""
    n, d = _e(num).cast(pl.Int128), _e(den).cast(pl.Int128)
    mag = ((n.abs() * 2 + d) // (d * 2)).cast(pl.Int64)
    return pl.when(n < 0).then(-mag).otherwise(mag)


def _i128(x: pl.Expr | str | int) -> pl.Expr:
    return _e(x).cast(pl.Int128)


def qty_x_price(qty_e4: pl.Expr | str, price_ct: pl.Expr | str) -> pl.Expr:
    """Cents of `quantity x price per unit`, rounded to the cent (half away from zero).

    Exact in Int64 for every validated input (quantity <= 10^10 ten-thousandths, price <=
    10^11 cents, `auditor.validate`): with |q| = a x 10^4 + b (b < 10^4), |q x p| / 10^4
    = a x |p| + b x |p| / 10^4, and a x |p| <= 10^17, b x |p| < 10^15. (The product q x p
    itself, up to 10^21, would wrap Int64; Int128 gives the same result ten times slower.)"""
    q, p = _e(qty_e4).cast(pl.Int64), _e(price_ct).cast(pl.Int64)
    aq, ap = q.abs(), p.abs()
    mag = (aq // QTY_SCALE) * ap + ((aq % QTY_SCALE) * ap * 2 + QTY_SCALE) // (QTY_SCALE * 2)
    return pl.when((q < 0) != (p < 0)).then(-mag).otherwise(mag)


def prorata(amount_ct: pl.Expr | str, part: pl.Expr | str | int, whole: pl.Expr | str | int) -> pl.Expr:
    """`amount x part / whole` in cents, rounded to the cent (e.g. euros of the days
    outside a period: `prorata("bedrag_ct", "dagen_buiten", "dagen")`)."""
    return div_round(_i128(amount_ct) * _i128(part), whole)


def round_cents(value: Decimal) -> int:
    """A Decimal number of euros to integer cents, half away from zero."""
    return int((value.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def cents_to_decimal(ct: int) -> Decimal:
    return (Decimal(ct) / 100).quantize(CENT)
