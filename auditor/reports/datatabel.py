"""Big tables of rapport.html as compact JSON that the page renders itself, one page at a time
(rapport.js): no 300,000 rows of markup, and no cap that hides the largest rows.

A table is column-oriented: `{"koppen": [...], "typen": [...], "kolommen": [...]}`. A text
column with many repeats is stored as a dictionary (`{"w": [words], "i": [indices]}`); money
is integer cents (`geld`), counts are integers (`getal`), dates ISO text (`datum`, shown as
dd-mm-jjjj). The JSON is embedded in `<script type="application/json">` with `<`, `>` and `&`
escaped, so no input text can close the script or become markup; the page writes every cell
with `textContent`.
"""

from __future__ import annotations

import json

import polars as pl

TYPEN = ("tekst", "geld", "getal", "datum")


def _kolom(s: pl.Series, typ: str):
    if typ == "geld" or typ == "getal":
        return s.cast(pl.Int64).to_list()
    if typ == "datum":
        return s.cast(pl.Date).cast(pl.String).to_list()
    s = s.cast(pl.String)
    if s.len() > 50:
        uniek = s.unique(maintain_order=True)
        if uniek.len() * 2 < s.len():
            idx = s.to_frame("v").join(uniek.to_frame("v").with_row_index("i"), on="v", how="left",
                                       nulls_equal=True, maintain_order="left")["i"]
            return {"w": uniek.to_list(), "i": idx.to_list()}
    return s.to_list()


def tabel(df: pl.DataFrame, kolommen: list[tuple[str, str, str]], **extra) -> dict:
    """`kolommen`: (kop, column of df, type). `extra` goes along (e.g. `groep` per row)."""
    return {"koppen": [k for k, _, _ in kolommen], "typen": [t for _, _, t in kolommen],
            "kolommen": [_kolom(df[c], t) for _, c, t in kolommen], "rijen": df.height, **extra}


def script(data: dict) -> str:
    """JSON safe inside `<script type="application/json">` (no `<`, `>` or `&` left)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
