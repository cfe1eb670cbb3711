"""Masking personal data in human-readable outputs.

BSNs and names are personal data (AVG): reports, letters and the quarantine list show a
BSN as `*****6789` and a person's name as initials unless the user asks for them
(`--toon-bsn`, `--toon-namen`). Nothing personal is ever logged.
"""

from __future__ import annotations

import polars as pl


def mask_naam_expr(col: str = "naam", toon: bool = False, alleen_personen: pl.Expr | None = None) -> pl.Expr:
    """A person's name as initials (`Thijs van der Meer` -> `T.v.d.M.`), unless `toon`.

    Names are personal data: the reports and letters identify a budgethouder by klantnummer
    and show initials, so a report can be shared inside the gemeente. `alleen_personen` is
    a condition that limits masking to natural persons (an instelling's name is not
    personal data)."""
    c = pl.col(col)
    if toon:
        return c
    initials = pl.concat_str([c.str.extract_all(r"(?:^|[\s\-'])(\w)").list.eval(
        pl.element().str.strip_chars(" -'")).list.join("."), pl.lit(".")])
    masked = pl.when(c.is_null()).then(None).otherwise(initials)
    if alleen_personen is not None:
        masked = pl.when(alleen_personen).then(masked).otherwise(c)
    return masked.alias(col)


def mask_naam(naam: str | None, toon: bool = False) -> str:
    if naam is None:
        return ""
    return pl.DataFrame({"naam": [naam]}).select(mask_naam_expr("naam", toon)).item()




def _elfproef(d: pl.Expr) -> pl.Expr:
    """9 digits (text) pass the BSN elfproef: 9*d1 + ... + 2*d8 - d9 divisible by 11, not 0."""
    digit = [d.str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(9)]
    som = pl.sum_horizontal([(9 - i) * digit[i] for i in range(8)]) - digit[8]
    return (som % 11 == 0) & (d != "000000000")


def mask_bsn_tekst_expr(col: str | pl.Expr) -> pl.Expr:
    """Free text with every BSN-like number masked: a run of exactly 9 digits (not part of a
    longer number) passing the elfproef becomes `*****6782`, as a BSN column is shown.

    Used for text that may hold a BSN in the wrong place (a shifted row in the quarantine,
    a BSN typed into `omschrijving`). Vectorised: the text is cut into digit and non-digit
    runs, the 9-digit runs are judged, and the runs are joined back."""
    c = pl.col(col) if isinstance(col, str) else col
    e = pl.element()
    stuk = pl.when(e.str.contains(r"^\d{9}$") & _elfproef(e)).then(
        pl.concat_str([pl.lit("*****"), e.str.slice(5, 4)])).otherwise(e)
    masked = c.str.extract_all(r"\d+|\D+").list.eval(stuk).list.join("")
    # only texts with 9 consecutive digits are cut up (most have none)
    return pl.when(c.str.contains(r"\d{9}")).then(masked).otherwise(c)


def mask_bsn_tekst(tekst: str | None) -> str | None:
    """`mask_bsn_tekst_expr` for one Python string (messages, tests)."""
    if tekst is None:
        return None
    return pl.DataFrame({"t": [tekst]}).select(mask_bsn_tekst_expr("t")).item()
