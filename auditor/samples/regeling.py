"""The regeling as the sample generator sees it: products, parameters, the pgb norm, and
which checks a planted case can be judged by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from auditor.money import round_cents
from auditor.regeling import Regeling
from auditor.regeling.norm import norm_per_eenheid
from auditor.registry import CHECK_CODES


# --------------------------------------------------------------------------------------
# Regeling
# --------------------------------------------------------------------------------------

#: the checks the generator plants, in report order (the check table)
ALL_CHECKS = CHECK_CODES

_D = Decimal


def _cents(v: Decimal) -> int:
    return round_cents(v)


@dataclass
class Product:
    code: str
    categorie: str
    eenheid: str
    zin: Decimal
    omschrijving: str


class Reg:
    """The parts of a regeling the generator needs, read with the project's own loader
    (`auditor.regeling`), and its pgb norm (`auditor.regeling.norm`)."""

    def __init__(self, regeling: Regeling):
        self.regeling = regeling
        self.raw: dict[str, Any] = regeling.data
        self.id = regeling.id
        r = self.raw.get("regeling", {})
        self.gemeente_code: str = str(r.get("gemeente_code", "0000"))
        self.gemeente: str = str(r.get("gemeente", ""))
        self.naam: str = str(r.get("naam", self.id))
        self.geldig_van: date | None = r.get("geldig_van")
        self.geldig_tot: date | None = r.get("geldig_tot")
        self.pgb: dict = self.raw.get("pgb", {})
        sn = self.raw.get("sociaal_netwerk", {})
        self.sn_toegestaan: list[str] | None = sn.get("toegestane_categorieen")
        self.dubbelrol: list[str] | None = sn.get("dubbelrol_rollen")
        self.maxima: dict = sn.get("maxima", {}) or {}
        self.vervoer: dict | None = self.raw.get("vervoer")
        self.verboden: dict | None = self.raw.get("verboden_bestedingen") or None
        self.netwerk_min: int | None = (self.raw.get("netwerk") or {}).get("min_budgethouders")
        self.products: dict[str, Product] = {}
        for code, p in (self.raw.get("zin_tarieven") or {}).items():
            self.products[str(code)] = Product(str(code), p["categorie"], p["eenheid"],
                                               _D(str(p["tarief"])), str(p.get("omschrijving", code)))

    # -- helpers ------------------------------------------------------------------------
    def p(self, key: str):
        """A [pgb] value, or a [kwaliteit] one (older files keep vog_max_jaren under [pgb])."""
        v = self.pgb.get(key)
        return v if v is not None else (self.raw.get("kwaliteit") or {}).get(key)

    def product(self, categorie: str, eenheid: str | None = None) -> Product | None:
        for pr in self.products.values():
            if pr.categorie == categorie and (eenheid is None or pr.eenheid == eenheid):
                return pr
        return None

    def sn_allowed(self, categorie: str) -> bool:
        return self.sn_toegestaan is None or categorie in self.sn_toegestaan

    def norm_ct(self, pr: Product, sn: bool) -> int | None:
        """The pgb norm per unit in cents (regeling.md), None when not judgeable: the same norm
        the checks use (`auditor.regeling.norm`)."""
        v = norm_per_eenheid(self.regeling, pr.code, "sociaal_netwerk" if sn else "professioneel")
        return None if v is None else _cents(v)

    def price_ct(self, pr: Product, sn: bool) -> int:
        """The tariff a beschikking uses: the norm, or a realistic stand-in where the regeling
        gives none (the line is then not judgeable anyway)."""
        n = self.norm_ct(pr, sn)
        if n is not None:
            return n
        if sn:
            return 2000 if pr.eenheid == "uur" else (2500 if pr.eenheid == "dagdeel" else 5000)
        pct = _D("1.00") if pr.categorie in ("wonen_verblijf", "kortdurend_verblijf") else _D("0.85")
        return _cents(pct * pr.zin)

    def possible(self, check: str) -> bool:
        """Can this regeling judge a planted case of `check`?"""
        pg = self.pgb
        if check == "NIET-GELEVERD":
            # judged only on the answers of a materiële controle (steekproef materieel), which
            # a generated export does not hold
            return False
        if check == "VERBODEN":
            return bool(self.verboden)
        if check == "VAST-MAANDBEDRAG":
            # both the agreement and the monthly pattern are only judged where the regeling
            # forbids fixed monthly amounts
            return pg.get("vast_maandbedrag_toegestaan") is False
        if check == "BUITENLAND":
            return pg.get("max_weken_buitenland") is not None
        if check == "AANWENDING":
            return pg.get("aanwenden_binnen_maanden") is not None
        if check == "KWALITEIT":
            # only the rules the regeling's [kwaliteit] makes (absent key: no such rule)
            return any(self.p(k) is not None for k in ("min_opleidingsniveau", "vog_max_jaren",
                                                       "vog_max_maanden_voor_start"))
        if check == "DUBBELROL":
            return bool(self.dubbelrol)
        if check == "KM":
            return bool(self.vervoer) and "km_tarief" in self.vervoer
        if check == "NETWERK":
            return self.netwerk_min is not None
        if check == "ONMOGELIJKE-UREN":
            return pg.get("max_uren_per_dag") is not None
        if check == "SN-CATEGORIE":
            return self.sn_toegestaan is not None and any(
                not self.sn_allowed(p.categorie) for p in self.products.values())
        if check in ("TARIEF", "BUDGET"):
            b = self.product("begeleiding_individueel", "uur")
            return b is not None and self.norm_ct(b, True) is not None
        return True
