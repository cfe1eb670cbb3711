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


