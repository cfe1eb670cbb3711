"""Dutch (and machine) text for numbers, amounts and dates: the only place that formats them.

Polars expressions (`fmt_nl`, `fmt_csv`, `fmt_qty_nl`) for frames, and Python functions
(`eur_nl`, `eur_csv`, `eur`, `pct`, `nl_datum`, `eur_tekst`, `pct_tekst`) for single values.
Dutch text uses a dot for thousands and a comma for decimals (`1.299,99`); machine text is
`1234.56`. Dates for people are `31-12-2025`.

Foundation layer: imports only `auditor.money`.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from auditor.money import QTY_SCALE, _e, cents_to_decimal


#: dates for people: 31-12-2025
DATUM_NL = "%d-%m-%Y"


def fmt_datum_nl(col: pl.Expr | str) -> pl.Expr:
    """A date column as Dutch text for people (`31-12-2025`)."""
    c = pl.col(col) if isinstance(col, str) else col
    return c.dt.strftime(DATUM_NL)


def fmt_csv(ct: pl.Expr | str) -> pl.Expr:
    """Cents as `1234.56` (machine-readable outputs)."""
    c = _e(ct)
    a = c.abs()
    sign = pl.when(c < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.when(c.is_null()).then(None).otherwise(
        pl.concat_str([sign, (a // 100).cast(pl.String), pl.lit("."), (a % 100).cast(pl.String).str.zfill(2)])
    )


def fmt_nl(ct: pl.Expr | str) -> pl.Expr:
    """Cents as Dutch text `1.299,99` (for toelichtingen and reports)."""
    c = _e(ct)
    a = c.abs()
    euros = (a // 100).cast(pl.String)
    # thousands dots: reverse, group by 3, join with '.', reverse back
    grouped = euros.str.reverse().str.replace_all(r"(\d{3})", "$1.").str.strip_suffix(".").str.reverse()
    grouped = grouped.str.strip_prefix(".")
    sign = pl.when(c < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.when(c.is_null()).then(None).otherwise(
        pl.concat_str([sign, grouped, pl.lit(","), (a % 100).cast(pl.String).str.zfill(2)])
    )


def fmt_qty_nl(q_e4: pl.Expr | str) -> pl.Expr:
    """A quantity in ten-thousandths as Dutch text without trailing zeros (`2,5`)."""
    q = _e(q_e4)
    a = q.abs()
    frac = (a % QTY_SCALE).cast(pl.String).str.zfill(4).str.strip_chars_end("0")
    sign = pl.when(q < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    whole = pl.concat_str([sign, (a // QTY_SCALE).cast(pl.String)])
    return pl.when(q.is_null()).then(None).when(frac == "").then(whole).otherwise(
        pl.concat_str([whole, pl.lit(","), frac])
    )


def qty_nl(e4: int | None) -> str:
    """Python-side Dutch quantity from ten-thousandths without trailing zeros (`2,5`)."""
    if e4 is None:
        return ""
    s = "-" if e4 < 0 else ""
    a = abs(e4)
    frac = f"{a % QTY_SCALE:04d}".rstrip("0")
    return f"{s}{a // QTY_SCALE}" + (f",{frac}" if frac else "")


def eur_nl(ct: int) -> str:
    """Python-side Dutch formatting of cents (letters, reports)."""
    sign = "-" if ct < 0 else ""
    a = abs(ct)
    return f"{sign}{a // 100:,}".replace(",", ".") + f",{a % 100:02d}"


def eur_csv(ct: int) -> str:
    """Python-side machine formatting of cents (`1234.56`)."""
    sign = "-" if ct < 0 else ""
    a = abs(ct)
    return f"{sign}{a // 100}.{a % 100:02d}"


def eur(ct: int | None) -> str:
    """Cents as Dutch euros for people: `€ 1.299,99`."""
    if ct is None:
        return ""
    return "€ " + eur_nl(int(ct))


def dec(ct: int | None) -> Decimal | None:
    """Cents as an exact Decimal number of euros (for Excel number cells)."""
    return None if ct is None else cents_to_decimal(int(ct))


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


def nl_datum(d) -> str:
    """A date for people: `31-12-2025` (empty for none)."""
    return "" if d is None else d.strftime(DATUM_NL)


def _decimalen(v: Decimal | int) -> int:
    if isinstance(v, int):
        return 0
    exp = v.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 99


def eur_tekst(v: Decimal | int) -> str:
    """Euros as Dutch text with at least two decimals: 68.4 -> '68,40', 0.2300 -> '0,23'."""
    d = Decimal(v)
    if _decimalen(d) <= 2:
        d = d.quantize(Decimal("0.01"))
    else:
        d = d.normalize()
    teken = "-" if d < 0 else ""
    geheel, _, frac = f"{abs(d):f}".partition(".")
    geheel = f"{int(geheel):,}".replace(",", ".")
    return f"{teken}{geheel},{frac}"


def pct_tekst(v: Decimal | int) -> str:
    """A fraction as Dutch percentage: 0.85 -> '85%', 0.875 -> '87,5%'."""
    d = (Decimal(v) * 100).normalize()
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.replace(".", ",") + "%"
