"""Parameter types shared by every command: dates as dd-mm-jjjj or jjjj-mm-dd, numbers with a
decimal comma or point (outputs.md). Use `DATUM` and `GETAL` as `type=` of a click option."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import click

from auditor.validate import JAAR_MAX, JAAR_MIN

_NL = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$")


def parse_datum(tekst: str) -> date:
    """`31-12-2025` or `2025-12-31` -> date; ValueError otherwise."""
    m = _NL.match(tekst)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return date.fromisoformat(tekst.strip())


def parse_getal(tekst: str, duizendtallen: bool = False) -> Decimal:
    """`3,0`, `3.0`, `25.000,00`, `25,000.00`, `1.5` -> Decimal; ValueError otherwise. A number
    with both a dot and a comma takes the last one as the decimal sign. `duizendtallen`: for
    amounts, `1.250` (groups of three after a dot) is 1250, not 1,25."""
    s = tekst.strip().replace(" ", "").replace("\u00a0", "").removeprefix("€").removesuffix("€")
    if "," in s and "." in s:
        dec_sign = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec_sign == "," else ",", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            raise ValueError(tekst)
        s = s.replace(",", ".")
    elif s.count(".") > 1 or (duizendtallen and re.fullmatch(r"\d{1,3}(\.\d{3})+", s)):   # thousands dots
        s = s.replace(".", "")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValueError(tekst) from None
    if not d.is_finite():
        raise ValueError(tekst)
    return d


# a date outside the years the input accepts is a typing error (validate quarantines it the same way)
DATUM_VAN, DATUM_TOT = date(JAAR_MIN, 1, 1), date(JAAR_MAX, 12, 31)


class DatumType(click.ParamType):
    name = "datum"

    def get_metavar(self, param, ctx=None) -> str:
        return "DATUM"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            d = parse_datum(str(value))
        except ValueError:
            self.fail(f"'{value}' is geen datum; schrijf dd-mm-jjjj (31-12-2025) of jjjj-mm-dd (2025-12-31).",
                      param, ctx)
        if not DATUM_VAN <= d <= DATUM_TOT:
            self.fail(f"'{value}' ligt niet tussen 01-01-{JAAR_MIN} en 31-12-{JAAR_MAX}; geef een datum als 31-12-2025.",
                      param, ctx)
        return d


class GetalType(click.ParamType):
    """A number as float (the option's unit is the caller's); comma or point."""
    name = "getal"

    def get_metavar(self, param, ctx=None) -> str:
        return "GETAL"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(parse_getal(str(value)))
        except ValueError:
            self.fail(f"'{value}' is geen getal; schrijf bijvoorbeeld 3,0 of 3.0.", param, ctx)


DATUM = DatumType()
GETAL = GetalType()

__all__ = ["DATUM", "GETAL", "parse_datum", "parse_getal"]
