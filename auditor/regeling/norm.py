"""The pgb norm per unit (regeling.md, "The pgb norm per unit"), computed in Decimal once per
(regeling, product, categorie, eenheid, soort) and joined onto the lines."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from auditor.formatting import eur_tekst, pct_tekst
from auditor.money import round_cents
from auditor.regeling.frames import categorie_frame
from auditor.regeling.loading import Regeling
from auditor.regeling.schema import CATEGORIEEN, EENHEDEN, INDIVIDUEEL, MAXIMUM_EENHEID, OVERIG_PROF, SOORTEN, VERBLIJF, _PRODUCT, _ZONDER_ZIN


# ---------------------------------------------------------------------------------------
# The pgb norm per unit (regeling.md, "The pgb norm per unit")


@dataclass(frozen=True)
class _Uitkomst:
    waarde: Decimal | None
    uitleg: str | None
    reden: str | None
    voorbeeld: bool = False  # the value rests on a [bronnen] entry marked voorbeeldwaarde


def is_voorbeeld(r: Regeling, *sleutels: str) -> bool:
    """Whether any of these dotted keys has a [bronnen] entry (its own or its section's) that
    marks it as an example value (regeling.md: the word ``voorbeeldwaarde``)."""
    return any("voorbeeldwaarde" in (r.bron(k) or "").lower() for k in sleutels)


_CAT_TEKST = {"vervoer": "vervoer", "crisis": "crisishulp", "overig": "overige jeugdhulp"}


def _zin_norm(r: Regeling, pct_sleutel: str, zin: dict | None, eenheid: str, code: str | None = None) -> _Uitkomst:
    """percentage x ZIN tarief, or why not."""
    if zin is None:
        return _Uitkomst(None, None, f"product {_PRODUCT} staat niet in de zin_tarieven van {r.id}")
    if zin["eenheid"] != eenheid:
        return _Uitkomst(
            None, None, f"eenheid {eenheid} wijkt af van de eenheid {zin['eenheid']} van het zin_tarief van product {_PRODUCT}"
        )
    pct = r.waarde(pct_sleutel)
    if pct is None:
        return _Uitkomst(None, None, f"{pct_sleutel.split('.')[-1]} ontbreekt in de regeling {r.id}")
    tarief = Decimal(zin["tarief"])
    zin_sleutel = f"zin_tarieven.{code}" if code else "zin_tarieven"
    return _Uitkomst(Decimal(pct) * tarief, f"{pct_tekst(pct)} van het ZIN-tarief van {eur_tekst(tarief)} euro", None,
                     is_voorbeeld(r, pct_sleutel, zin_sleutel))


def _sn_basis(r: Regeling, categorie: str, zin: dict | None, eenheid: str, code: str | None = None) -> _Uitkomst:
    """The sociaal-netwerk amount before the cap."""
    if categorie in VERBLIJF:
        return _zin_norm(r, "pgb.percentage_wonen_verblijf", zin, eenheid, code)
    if categorie in INDIVIDUEEL:
        uurloon = r.waarde("pgb.sociaal_netwerk_uurloon")
        vt = r.waarde("pgb.vakantietoeslag")
        if uurloon is None:
            return _Uitkomst(None, None, f"sociaal_netwerk_uurloon ontbreekt in de regeling {r.id}")
        if vt is None:
            return _Uitkomst(None, None, f"vakantietoeslag ontbreekt in de regeling {r.id}")
        if eenheid != "uur":
            return _Uitkomst(None, None, f"eenheid {eenheid} wijkt af van de eenheid uur van het uurloon sociaal netwerk")
        return _Uitkomst(
            Decimal(uurloon) * (1 + Decimal(vt)),
            f"uurloon sociaal netwerk {eur_tekst(uurloon)} euro + {pct_tekst(vt)} vakantietoeslag",
            None,
            is_voorbeeld(r, "pgb.sociaal_netwerk_uurloon", "pgb.vakantietoeslag"),
        )
    # GROEP
    dagdeel = r.waarde("pgb.sociaal_netwerk_dagdeel")
    if dagdeel is None:
        return _Uitkomst(None, None, f"sociaal_netwerk_dagdeel ontbreekt in de regeling {r.id}")
    if eenheid != "dagdeel":
        return _Uitkomst(None, None, f"eenheid {eenheid} wijkt af van de eenheid dagdeel van het dagdeelbedrag sociaal netwerk")
    return _Uitkomst(Decimal(dagdeel), f"dagdeelbedrag sociaal netwerk {eur_tekst(dagdeel)} euro", None,
                     is_voorbeeld(r, "pgb.sociaal_netwerk_dagdeel"))


def _norm(r: Regeling, categorie: str, eenheid: str, soort: str, zin: dict | None, code: str | None = None) -> _Uitkomst:
    """The norm table of regeling.md for one (categorie, eenheid, soort, ZIN product)."""
    if soort == "professioneel":
        pct = "pgb.percentage_wonen_verblijf" if categorie in VERBLIJF else "pgb.percentage_professioneel"
        return _zin_norm(r, pct, zin, eenheid, code)
    maximum = r.waarde(f"sociaal_netwerk.maxima.{categorie}")
    max_vb = is_voorbeeld(r, f"sociaal_netwerk.maxima.{categorie}")
    if categorie in OVERIG_PROF:
        # the percentage of art. 7.4 lid 5 (Losser) is for professionals only: the sociaal netwerk
        # has the category's maximum where the regeling gives one, otherwise no norm
        if maximum is None:
            return _Uitkomst(None, None, f"de regeling geeft geen tarief voor {_CAT_TEKST.get(categorie, categorie)} "
                                         "door het sociaal netwerk (het percentage van het ZIN-tarief geldt alleen "
                                         "voor professionals)")
        if eenheid != MAXIMUM_EENHEID[categorie]:
            return _Uitkomst(None, None, f"eenheid {eenheid} wijkt af van de eenheid {MAXIMUM_EENHEID[categorie]} van "
                                         f"het maximum sociaal netwerk voor {_CAT_TEKST.get(categorie, categorie)}")
        return _Uitkomst(Decimal(maximum), f"maximum sociaal netwerk van {eur_tekst(maximum)} euro per "
                                           f"{MAXIMUM_EENHEID[categorie]}", None, max_vb)
    # sociaal netwerk, capped by the maximum for the category
    basis = _sn_basis(r, categorie, zin, eenheid, code)
    if maximum is None:
        return basis
    max_eenheid = MAXIMUM_EENHEID[categorie]
    maximum = Decimal(maximum)
    if eenheid != max_eenheid:
        return _Uitkomst(
            None,
            None,
            f"eenheid {eenheid} wijkt af van de eenheid {max_eenheid} van het maximum sociaal netwerk voor {categorie}",
        )
    if basis.waarde is None:
        return _Uitkomst(
            maximum, f"maximum sociaal netwerk {eur_tekst(maximum)} euro per {max_eenheid}; {basis.reden}", None, max_vb
        )
    # the lower of the two: the outcome rests on both values
    if maximum < basis.waarde:
        return _Uitkomst(maximum, f"{basis.uitleg}, begrensd op {eur_tekst(maximum)} euro", None,
                         max_vb or basis.voorbeeld)
    return _Uitkomst(basis.waarde, basis.uitleg, None, max_vb or basis.voorbeeld)


@functools.lru_cache(maxsize=64)
def _norm_rijen(r: Regeling) -> tuple[tuple, ...]:
    """Every (product key, categorie, eenheid, soort) of one regeling with its norm."""
    producten: list[tuple[str, dict | None]] = [(c, p) for c, p in r.data.get("zin_tarieven", {}).items()]
    producten.append((_ZONDER_ZIN, None))
    rijen = []
    for code, zin in producten:
        for cat in CATEGORIEEN:
            for eenheid in EENHEDEN:
                for soort in SOORTEN:
                    u = _norm(r, cat, eenheid, soort, zin, None if zin is None else code)
                    ct = None if u.waarde is None else round_cents(u.waarde)
                    rijen.append((r.id, code, cat, eenheid, soort, ct, u.uitleg, u.reden,
                                  u.voorbeeld and u.waarde is not None))
    return tuple(rijen)


def norm_frame(regelingen: list[Regeling]) -> pl.DataFrame:
    """The norm lookup: regeling_id, product_key (the product code, or \\x00 for a product
    not in [zin_tarieven]), categorie, eenheid, soort, norm_ct, uitleg, reden. Reasons and
    explanations may contain the placeholder ``{product}``."""
    rijen = [rij for r in regelingen for rij in _norm_rijen(r)]
    return pl.DataFrame(
        rijen,
        schema={
            "regeling_id": pl.String,
            "product_key": pl.String,
            "categorie": pl.String,
            "eenheid": pl.String,
            "soort": pl.String,
            "norm_ct": pl.Int64,
            "uitleg": pl.String,
            "reden": pl.String,
            "voorbeeld": pl.Boolean,
        },
        orient="row",
    )


def voeg_norm_toe(
    lf: pl.LazyFrame,
    regelingen: list[Regeling],
    *,
    soort_col: str = "zorgverlener_soort",
    prefix: str = "norm",
) -> pl.LazyFrame:
    """Add ``{prefix}_ct`` (Int64 cents per unit, null when not judgeable),
    ``{prefix}_uitleg`` (Dutch: how it was computed), ``{prefix}_reden`` (Dutch: why not
    judgeable) and ``{prefix}_voorbeeld`` (Boolean: the norm rests on a value [bronnen] marks
    as voorbeeldwaarde). ``lf`` needs ``regeling_id``, ``product_code``, ``categorie``, ``eenheid``
    and ``soort_col`` ('professioneel' | 'sociaal_netwerk')."""
    ct, uitleg, reden, vb = f"{prefix}_ct", f"{prefix}_uitleg", f"{prefix}_reden", f"{prefix}_voorbeeld"
    nf = norm_frame(regelingen).lazy().rename(
        {"norm_ct": "__n_ct", "uitleg": "__n_uitleg", "reden": "__n_reden", "voorbeeld": "__n_vb", "regeling_id": "__n_reg",
         "categorie": "__n_cat", "eenheid": "__n_eenh", "soort": "__n_soort"}
    )
    zin = categorie_frame(regelingen).lazy().select(
        pl.col("regeling_id").alias("__z_reg"),
        pl.col("product_code").alias("__z_prod"),
        pl.col("product_code").alias("__n_pk"),
    )
    product = pl.col("product_code").cast(pl.String)
    # The norm depends on these five values only: it is computed once per distinct
    # combination (a few hundred for millions of lines) and joined back in lf's order, so the
    # texts are not rebuilt per line and the lines share their strings.
    sleutels = ["regeling_id", "product_code", "categorie", "eenheid", soort_col]
    alle, lf = lf, lf.select(sleutels).unique()
    uit = (
        lf.join(
            zin,
            left_on=[pl.col("regeling_id"), product],
            right_on=["__z_reg", "__z_prod"],
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("__n_pk").fill_null(_ZONDER_ZIN))
        .join(
            nf,
            left_on=[
                pl.col("regeling_id"),
                pl.col("__n_pk"),
                pl.col("categorie").cast(pl.String),
                pl.col("eenheid").cast(pl.String),
                pl.col(soort_col).cast(pl.String),
            ],
            right_on=["__n_reg", "product_key", "__n_cat", "__n_eenh", "__n_soort"],
            how="left",
            maintain_order="left",
        )
    )
    leeg = pl.lit("(leeg)")
    prod_tekst = product.fill_null(leeg)
    onbekend = pl.concat_str(
        [
            pl.lit("categorie "),
            pl.col("categorie").cast(pl.String).fill_null(leeg),
            pl.lit(", eenheid "),
            pl.col("eenheid").cast(pl.String).fill_null(leeg),
            pl.lit(" of soort zorgverlener "),
            pl.col(soort_col).cast(pl.String).fill_null(leeg),
            pl.lit(" is onbekend"),
        ]
    )
    uit = (
        uit.with_columns(
            pl.col("__n_ct").alias(ct),
            pl.col("__n_uitleg").str.replace(_PRODUCT, prod_tekst, literal=True).alias(uitleg),
            pl.when(pl.col("regeling_id").is_null())
            .then(pl.lit("geen regeling voor deze gemeente en datum"))
            .when(~pl.col("regeling_id").is_in([r.id for r in regelingen]))
            .then(pl.concat_str([pl.lit("regeling "), pl.col("regeling_id"), pl.lit(" is niet geladen")]))
            .when(pl.col("__n_ct").is_null() & pl.col("__n_reden").is_null())
            .then(onbekend)
            .otherwise(pl.col("__n_reden").str.replace(_PRODUCT, prod_tekst, literal=True))
            .alias(reden),
            pl.col("__n_vb").fill_null(False).alias(vb),
        )
        .select(*sleutels, ct, uitleg, reden, vb)
    )
    return alle.join(uit, on=sleutels, how="left", nulls_equal=True, maintain_order="left")


def norm_per_eenheid(r: Regeling, product_code: str, soort: str) -> Decimal | None:
    """The pgb norm per unit in euros (exact Decimal, not yet rounded) of one `[zin_tarieven]`
    product for `soort` (`professioneel` / `sociaal_netwerk`); None when not judgeable."""
    zin = (r.data.get("zin_tarieven") or {}).get(product_code)
    if zin is None:
        return None
    return _norm(r, zin["categorie"], zin["eenheid"], soort, zin, product_code).waarde
