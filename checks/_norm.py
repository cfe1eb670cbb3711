"""Helpers shared by the checks that judge amounts against the pgb norm (TARIEF, BUDGET,
SN-CATEGORIE): one definition of "above the norm", of which sociaal-netwerk care is not
allowed, and of the Dutch wording of units and norms. Not a check (the leading underscore
keeps it out of the registry)."""

from __future__ import annotations

import polars as pl

from auditor import formatting, money


def boven_norm(lf: pl.LazyFrame, *, sleutel: str, aantal: str, bedrag: str) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Rows whose `bedrag` exceeds `aantal x norm_ct`, with `_toegestaan_ct` (the allowed
    amount, rounded to the cent first, so the toelichting's "ten hoogste" matches the
    effect) and `_effect_ct` (the excess); and the niet-toetsbaar rows (no norm), keyed by
    `sleutel` with the norm's reason."""
    nt = lf.filter(pl.col("norm_ct").is_null()).select(
        pl.col(sleutel).alias("sleutel"),
        pl.concat_str([pl.lit("geen pgb-norm: "), pl.col("norm_reden").fill_null("onbekende reden")]).alias("reden"))
    judged = (lf.filter(pl.col("norm_ct").is_not_null())
              .with_columns(money.qty_x_price(aantal, "norm_ct").alias("_toegestaan_ct"))
              .with_columns((pl.col(bedrag) - pl.col("_toegestaan_ct")).alias("_effect_ct"))
              .filter(pl.col("_effect_ct") > 0))
    return judged, nt


EENHEID_TEKST = {
    "uur": ("uur", "uur"), "dagdeel": ("dagdeel", "dagdelen"), "etmaal": ("etmaal", "etmalen"),
    "rit": ("rit", "ritten"), "km": ("km", "km"), "stuk": ("stuk", "stuks"), "maand": ("maand", "maanden"),
}


#: said in every toelichting whose euros rest on an example value (checks.md, "Example values")
VOORBEELD_TEKST = " Dit bedrag is berekend op basis van een voorbeeldtarief uit de regeling, niet uit het Financieel besluit."


def voorbeeld_tekst(col: str = "norm_voorbeeld") -> pl.Expr:
    """The example-value sentence where the norm rests on a voorbeeldwaarde, else ''."""
    return pl.when(pl.col(col).fill_null(False)).then(pl.lit(VOORBEELD_TEKST)).otherwise(pl.lit(""))


def voorbeeld_kolom(col: str = "norm_voorbeeld") -> pl.Expr:
    """findings' `voorbeeldwaarde`: 'ja' where the norm rests on a voorbeeldwaarde, else 'nee'."""
    return pl.when(pl.col(col).fill_null(False)).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("voorbeeldwaarde")


def eenheid_enkelvoud() -> pl.Expr:
    return pl.col("eenheid").replace_strict({k: v[0] for k, v in EENHEID_TEKST.items()}, default=pl.col("eenheid"),
                                            return_dtype=pl.String)


def aantal_met_eenheid(aantal_col: str = "aantal_e4") -> pl.Expr:
    """'2 uur', '1 etmaal', '3 etmalen', '2,5 uur'."""
    meervoud = pl.col("eenheid").replace_strict({k: v[1] for k, v in EENHEID_TEKST.items()}, default=pl.col("eenheid"),
                                                return_dtype=pl.String)
    eenh = pl.when(pl.col(aantal_col) == money.QTY_SCALE).then(eenheid_enkelvoud()).otherwise(meervoud)
    return pl.concat_str([formatting.fmt_qty_nl(aantal_col), pl.lit(" "), eenh])


def norm_uitleg_kort() -> pl.Expr:
    """How the norm was computed, for a budgethouder: `norm_uitleg` up to its first ';'
    (what follows is a technical remark such as "sociaal_netwerk_uurloon ontbreekt ...")."""
    return pl.col("norm_uitleg").str.split(";").list.first().str.strip_chars()


def wie_tekst(soort_col: str = "zorgverlener_soort") -> pl.Expr:
    """Who delivers, as the toelichting names it."""
    return (pl.when(pl.col(soort_col) == "sociaal_netwerk").then(pl.lit("zorg uit het sociaal netwerk"))
            .when(pl.col("zv_soort") == "zzp").then(pl.lit("een zzp'er"))
            .when(pl.col("zv_soort") == "instelling").then(pl.lit("een zorginstelling"))
            .otherwise(pl.lit("een professionele zorgverlener")))


def sn_niet_toegestaan(lines: pl.LazyFrame, params: pl.DataFrame) -> pl.LazyFrame:
    """Adds Boolean `_sn_verboden`: sociaal-netwerk care in a category the line's regeling
    does not allow for the sociaal netwerk (False where the regeling has no list). Shared
    with SN-CATEGORIE so both checks draw the same line."""
    p = params.lazy().select("regeling_id", pl.col("sn_toegestane_categorieen").alias("_sn_toegestaan"),
                             pl.col("km_tarief_ct4").is_not_null().alias("_sn_vervoer_regels"))
    # Transport where the regeling has [vervoer] rules is governed by them (De Ronde Venen
    # art. 6: a parent accompanying the child on the OV, art. 6.2 onder 2, is allowed), not by
    # the sociaal-netwerk categories (art. 4.3).
    vervoer = pl.col("categorie").eq("vervoer") & pl.col("_sn_vervoer_regels").fill_null(False)
    return (lines.join(p, on="regeling_id", how="left")
            .with_columns((pl.col("zorgverlener_soort").eq("sociaal_netwerk")
                           & pl.col("_sn_toegestaan").is_not_null()
                           & ~vervoer
                           & ~pl.col("_sn_toegestaan").list.contains(pl.col("categorie")).fill_null(False))
                          .fill_null(False).alias("_sn_verboden"))
            .drop("_sn_vervoer_regels"))


#: the Dutch words for a categorie code, as a budgethouder reads them
CATEGORIE_TEKST = {
    "begeleiding_individueel": "individuele begeleiding", "persoonlijke_verzorging": "persoonlijke verzorging",
    "behandeling_individueel": "individuele behandeling", "begeleiding_groep": "begeleiding in een groep",
    "behandeling_groep": "behandeling in een groep", "kortdurend_verblijf": "kortdurend verblijf (logeren)",
    "wonen_verblijf": "wonen en verblijf", "vervoer": "vervoer", "crisis": "crisishulp", "overig": "overige zorg",
}


def categorie_tekst(col: pl.Expr | str = "categorie") -> pl.Expr:
    """A categorie code (or a list of them) in Dutch words."""
    e = pl.col(col) if isinstance(col, str) else col
    return e.replace_strict(CATEGORIE_TEKST, default=e.str.replace_all("_", " "), return_dtype=pl.String)
