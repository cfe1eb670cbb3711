"""Shared helpers for the reports: privacy masks for BSNs in cells and free text."""

from __future__ import annotations

import re
import polars as pl

from auditor.privacy import mask_naam, mask_naam_expr  # noqa: F401  (re-exported for the reports)

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
