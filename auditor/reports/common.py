"""Shared helpers for the reports: privacy masks, money for people, check titles."""

from __future__ import annotations

import re
from decimal import Decimal

import polars as pl

from auditor import money
from auditor.privacy import mask_naam, mask_naam_expr  # noqa: F401  (re-exported for the reports)
from auditor.engine import CHECK_ORDER, REGISTRY, load_checks

BSN_MASK_PREFIX = "*****"
_BSN_IN_TEXT = re.compile(r"(?<!\d)\d{5}(\d{4})(?!\d)")


def mask_bsn(bsn: str | None, toon: bool = False) -> str:
    """`123456789` -> `*****6789` (the last four digits only), unless `toon`."""
    if bsn is None or bsn == "":
        return ""
    if toon:
        return bsn
    return BSN_MASK_PREFIX + bsn[-4:]


def mask_bsn_expr(col: str, toon: bool = False) -> pl.Expr:
    c = pl.col(col)
    if toon:
        return c
    return pl.when(c.is_null()).then(None).otherwise(pl.concat_str([pl.lit(BSN_MASK_PREFIX), c.str.slice(-4)])).alias(col)


def mask_text(text: str | None, toon: bool = False) -> str:
    """Masks anything that looks like a BSN (9 digits standing alone) inside free text."""
    if text is None:
        return ""
    if toon:
        return text
    return _BSN_IN_TEXT.sub(lambda m: BSN_MASK_PREFIX + m.group(1), text)


def eur(ct: int | None) -> str:
    """Cents as Dutch euros for people: `€ 1.299,99`."""
    if ct is None:
        return ""
    return "€ " + money.eur_nl(int(ct))


def dec(ct: int | None) -> Decimal | None:
    """Cents as an exact Decimal number of euros (for Excel number cells)."""
    return None if ct is None else money.cents_to_decimal(int(ct))


def pct(part: int, whole: int) -> str:
    """Share as Dutch percentage with two decimals (`2,35%`); `-` when the whole is 0."""
    if not whole:
        return "-"
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
    return f"{q}".replace(".", ",") + "%"


def share(part: int, whole: int) -> Decimal | None:
    """Share as a Decimal fraction (0.0235), 6 decimals; None when the whole is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.000001"))


def check_titels() -> dict[str, str]:
    load_checks()
    return {c: s.titel for c, s in REGISTRY.items()}


def check_order_key(code: str) -> tuple[int, str]:
    order = {c: i for i, c in enumerate(CHECK_ORDER)}
    return (order.get(code, 99), code)


def nl_datum(d) -> str:
    return "" if d is None else d.strftime("%d-%m-%Y")
