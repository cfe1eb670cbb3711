"""Small frames of the regelingen to join on `regeling_id` (parameters, articles, categories, banned spending)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from auditor.money import round_cents
from auditor.regeling.loading import Regeling


# ---------------------------------------------------------------------------------------
# Frames


def _int_schaal(v: Any, schaal: int) -> int | None:
    if v is None:
        return None
    return int(Decimal(v) * schaal)


def regeling_frame(regelingen: list[Regeling]) -> pl.DataFrame:
    """One row per regeling with every scalar parameter the checks need (see module doc)."""
    rijen = []
    for r in regelingen:
        w = r.waarde
        vb = w("verboden_bestedingen")
        rijen.append(
            {
                "regeling_id": r.id,
                "naam": r.naam,
                "gemeente": r.gemeente,
                "gemeente_code": r.gemeente_code,
                "geldig_van": r.geldig_van,
                "geldig_tot": r.geldig_tot,
                "max_weken_buitenland": w("pgb.max_weken_buitenland"),
                "vast_maandbedrag_toegestaan": w("pgb.vast_maandbedrag_toegestaan"),
                "aanwenden_binnen_maanden": w("pgb.aanwenden_binnen_maanden"),
                # [kwaliteit]; older files keep vog_max_jaren under [pgb] (regeling.md)
                "vog_max_jaren": w("kwaliteit.vog_max_jaren", w("pgb.vog_max_jaren")),
                "vog_max_maanden_voor_start": w("kwaliteit.vog_max_maanden_voor_start"),
                "min_opleidingsniveau": w("kwaliteit.min_opleidingsniveau"),
                "registratie_vereist": w("kwaliteit.registratie_vereist"),
                "kvk_vereist": w("kwaliteit.kvk_vereist"),
                "max_uren_per_dag_e4": _int_schaal(w("pgb.max_uren_per_dag"), 10_000),
                "km_tarief_ct4": _int_schaal(w("vervoer.km_tarief"), 10_000),
                "km_drempel_e4": _int_schaal(w("vervoer.km_drempel_enkele_reis"), 10_000),
                "km_eigen_ritten_per_week": w("vervoer.eigen_ritten_per_week"),
                "netwerk_min_budgethouders": w("netwerk.min_budgethouders"),
                "opschorting_max_weken": w("opschorting.max_weken"),
                "opschorting_drempel_ct": _int_schaal(w("opschorting.drempel"), 100),
                "opschorting_altijd": w("opschorting.altijd"),
                "opschorting_uitgesloten": w("opschorting.uitgesloten"),
                "sn_toegestane_categorieen": w("sociaal_netwerk.toegestane_categorieen"),
                "dubbelrol_rollen": w("sociaal_netwerk.dubbelrol_rollen"),
                "heeft_verboden_bestedingen": bool(vb),
            }
        )
    schema = {
        "regeling_id": pl.String,
        "naam": pl.String,
        "gemeente": pl.String,
        "gemeente_code": pl.String,
        "geldig_van": pl.Date,
        "geldig_tot": pl.Date,
        "max_weken_buitenland": pl.Int64,
        "vast_maandbedrag_toegestaan": pl.Boolean,
        "aanwenden_binnen_maanden": pl.Int64,
        "vog_max_jaren": pl.Int64,
        "vog_max_maanden_voor_start": pl.Int64,
        "min_opleidingsniveau": pl.String,
        "registratie_vereist": pl.Boolean,
        "kvk_vereist": pl.Boolean,
        "max_uren_per_dag_e4": pl.Int64,
        "km_tarief_ct4": pl.Int64,
        "km_drempel_e4": pl.Int64,
        "km_eigen_ritten_per_week": pl.Int64,
        "netwerk_min_budgethouders": pl.Int64,
        "opschorting_max_weken": pl.Int64,
        "opschorting_drempel_ct": pl.Int64,
        "opschorting_altijd": pl.List(pl.String),
        "opschorting_uitgesloten": pl.List(pl.String),
        "sn_toegestane_categorieen": pl.List(pl.String),
        "dubbelrol_rollen": pl.List(pl.String),
        "heeft_verboden_bestedingen": pl.Boolean,
    }
    return pl.DataFrame(rijen, schema=schema, orient="row") if rijen else pl.DataFrame(schema=schema)


def artikelen_frame(regelingen: list[Regeling]) -> pl.DataFrame:
    """regeling_id, check, artikel, grondslag (null where the regeling has none)."""
    rijen = []
    for r in regelingen:
        codes = list(dict.fromkeys([*r.data.get("artikelen", {}), *r.data.get("grondslag", {})]))
        for c in codes:
            rijen.append((r.id, c, r.artikel(c), r.grondslag(c)))
    return pl.DataFrame(
        rijen,
        schema={"regeling_id": pl.String, "check": pl.String, "artikel": pl.String, "grondslag": pl.String},
        orient="row",
    )


def categorie_frame(regelingen: list[Regeling]) -> pl.DataFrame:
    """regeling_id, product_code, categorie, eenheid, zin_tarief_ct, omschrijving."""
    rijen = []
    for r in regelingen:
        for code, p in r.data.get("zin_tarieven", {}).items():
            rijen.append((r.id, code, p["categorie"], p["eenheid"], round_cents(Decimal(p["tarief"])), p.get("omschrijving")))
    return pl.DataFrame(
        rijen,
        schema={
            "regeling_id": pl.String,
            "product_code": pl.String,
            "categorie": pl.String,
            "eenheid": pl.String,
            "zin_tarief_ct": pl.Int64,
            "omschrijving": pl.String,
        },
        orient="row",
    )


def verboden_frame(regelingen: list[Regeling]) -> pl.DataFrame:
    """regeling_id, categorie, term: the banned-spending search terms."""
    rijen = [
        (r.id, cat, term)
        for r in regelingen
        for cat, termen in r.data.get("verboden_bestedingen", {}).items()
        for term in termen
    ]
    return pl.DataFrame(
        rijen, schema={"regeling_id": pl.String, "categorie": pl.String, "term": pl.String}, orient="row"
    )
