"""The regeling vocabulary and the strict validation of a regeling file (docs/regelingen.md)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from auditor.registry import CHECK_CODES


# ---------------------------------------------------------------------------------------
# Vocabulary (input-contract.md, checks.md)

CATEGORIEEN = (
    "begeleiding_individueel",
    "persoonlijke_verzorging",
    "behandeling_individueel",
    "begeleiding_groep",
    "behandeling_groep",
    "kortdurend_verblijf",
    "wonen_verblijf",
    "vervoer",
    "crisis",
    "overig",
)
EENHEDEN = ("uur", "dagdeel", "etmaal", "rit", "km", "stuk", "maand")
ROLLEN = ("wettelijk_vertegenwoordiger", "ouder", "gemachtigde", "bewindvoerder", "curator", "mentor")
SOORTEN = ("professioneel", "sociaal_netwerk")
#: codes allowed in [artikelen] besides the checks
EXTRA_ARTIKELEN = ("OPSCHORTING",)
GRONDSLAG_LETTERS = ("a", "b", "c", "d", "e")

VERBLIJF = ("wonen_verblijf", "kortdurend_verblijf")
INDIVIDUEEL = ("begeleiding_individueel", "persoonlijke_verzorging", "behandeling_individueel")
GROEP = ("begeleiding_groep", "behandeling_groep")
OVERIG_PROF = ("vervoer", "crisis", "overig")
#: the unit a [sociaal_netwerk.maxima] amount is expressed in, per category (vervoer per rit,
#: crisis per etmaal, overig per uur: the units of the bundled ZIN products of those categories)
MAXIMUM_EENHEID = {
    **{c: "uur" for c in INDIVIDUEEL},
    **{c: "dagdeel" for c in GROEP},
    **{c: "etmaal" for c in VERBLIJF},
    "vervoer": "rit",
    "crisis": "etmaal",
    "overig": "uur",
}
#: education levels of [kwaliteit].min_opleidingsniveau, lowest first (zorgverleners.opleidingsniveau)
OPLEIDINGSNIVEAUS = ("mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo")

_ZONDER_ZIN = "\x00"  # product key of lines whose product is not in [zin_tarieven]
_PRODUCT = "{product}"  # placeholder in reasons, replaced by the line's product_code


# ---------------------------------------------------------------------------------------
# Validation schema

class _Fout(Exception):
    """Internal: a validation problem; turned into RegelingFout with the file name."""


def _is_getal(v: Any) -> bool:
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def _decimalen(v: Decimal | int) -> int:
    if isinstance(v, int):
        return 0
    exp = v.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 99


def _tekst(sleutel: str, v: Any) -> None:
    if not isinstance(v, str) or not v.strip():
        raise _Fout(f"'{sleutel}' moet een niet-lege tekst zijn, gevonden: {v!r}")


def _datum(sleutel: str, v: Any) -> None:
    if not isinstance(v, date) or isinstance(v, datetime):
        raise _Fout(f"'{sleutel}' moet een datum zijn (JJJJ-MM-DD, zonder aanhalingstekens), gevonden: {v!r}")


def _fractie(sleutel: str, v: Any) -> None:
    if not _is_getal(v) or not (0 <= v <= 1):
        raise _Fout(f"'{sleutel}' moet een getal tussen 0 en 1 zijn (0.85 = 85%), gevonden: {v!r}")


def _bedrag(max_dec: int | None = 2) -> Callable[[str, Any], None]:
    def f(sleutel: str, v: Any) -> None:
        if not _is_getal(v) or v < 0:
            raise _Fout(f"'{sleutel}' moet een bedrag van 0 of meer zijn, gevonden: {v!r}")
        if max_dec is not None and _decimalen(v) > max_dec:
            raise _Fout(f"'{sleutel}' mag hoogstens {max_dec} decimalen hebben, gevonden: {v}")

    return f


def _aantal(max_dec: int = 4, minimum: int = 0) -> Callable[[str, Any], None]:
    def f(sleutel: str, v: Any) -> None:
        if not _is_getal(v) or v < minimum:
            raise _Fout(f"'{sleutel}' moet een getal van {minimum} of meer zijn, gevonden: {v!r}")
        if _decimalen(v) > max_dec:
            raise _Fout(f"'{sleutel}' mag hoogstens {max_dec} decimalen hebben, gevonden: {v}")

    return f


def _geheel(minimum: int = 0) -> Callable[[str, Any], None]:
    def f(sleutel: str, v: Any) -> None:
        if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
            raise _Fout(f"'{sleutel}' moet een geheel getal van {minimum} of meer zijn, gevonden: {v!r}")

    return f


def _booleaans(sleutel: str, v: Any) -> None:
    if not isinstance(v, bool):
        raise _Fout(f"'{sleutel}' moet true of false zijn, gevonden: {v!r}")


def _lijst(toegestaan: tuple[str, ...] | None, wat: str) -> Callable[[str, Any], None]:
    def f(sleutel: str, v: Any) -> None:
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise _Fout(f"'{sleutel}' moet een lijst van teksten zijn, gevonden: {v!r}")
        if toegestaan is not None:
            for x in v:
                if x not in toegestaan:
                    raise _Fout(
                        f"'{sleutel}' bevat een onbekende {wat} '{x}'; toegestaan: {', '.join(toegestaan)}"
                    )
        if len(set(v)) != len(v):
            raise _Fout(f"'{sleutel}' bevat een waarde meer dan eens")

    return f


def _keuze(toegestaan: tuple[str, ...]) -> Callable[[str, Any], None]:
    def f(sleutel: str, v: Any) -> None:
        if v not in toegestaan:
            raise _Fout(f"'{sleutel}' moet een van {', '.join(toegestaan)} zijn, gevonden: {v!r}")

    return f


_GEMEENTE_CODE = re.compile(r"^\d{4}$")


def _gemeente_code(sleutel: str, v: Any) -> None:
    if not isinstance(v, str) or not _GEMEENTE_CODE.match(v):
        raise _Fout(f"'{sleutel}' moet een CBS-gemeentecode van 4 cijfers tussen aanhalingstekens zijn (\"0168\"), gevonden: {v!r}")


_SCHEMA: dict[str, dict[str, Callable[[str, Any], None]]] = {
    "regeling": {
        "naam": _tekst,
        "gemeente": _tekst,
        "gemeente_code": _gemeente_code,
        "geldig_van": _datum,
        "geldig_tot": _datum,
        "omschrijving": _tekst,
    },
    "pgb": {
        "percentage_professioneel": _fractie,
        "percentage_wonen_verblijf": _fractie,
        "sociaal_netwerk_uurloon": _bedrag(None),
        "vakantietoeslag": _fractie,
        "sociaal_netwerk_dagdeel": _bedrag(None),
        "max_weken_buitenland": _geheel(0),
        "vast_maandbedrag_toegestaan": _booleaans,
        "aanwenden_binnen_maanden": _geheel(0),
        "vog_max_jaren": _geheel(0),
        "max_uren_per_dag": _aantal(4, 0),
        "verboden_drempel": _fractie,   # VERBODEN: minimum similarity (0..1) for a banned term
    },
    "kwaliteit": {
        "min_opleidingsniveau": _keuze(OPLEIDINGSNIVEAUS),
        "vog_max_jaren": _geheel(0),
        "vog_max_maanden_voor_start": _geheel(0),
        "registratie_vereist": _booleaans,
        "kvk_vereist": _booleaans,
    },
    "sociaal_netwerk": {
        "toegestane_categorieen": _lijst(CATEGORIEEN, "categorie"),
        "dubbelrol_rollen": _lijst(ROLLEN, "rol"),
        # "maxima" is a sub-table, checked separately
    },
    "vervoer": {
        "km_tarief": _bedrag(4),
        "km_drempel_enkele_reis": _aantal(4, 0),
        "eigen_ritten_per_week": _geheel(0),   # KM: single trips a week that are the parents' own effort
    },
    "netwerk": {
        "min_budgethouders": _geheel(2),
    },
    "opschorting": {
        "max_weken": _geheel(1),
        "drempel": _bedrag(2),
        "altijd": _lijst(CHECK_CODES, "controlecode"),
        "uitgesloten": _lijst(CHECK_CODES, "controlecode"),
    },
}
_VRIJE_SECTIES = ("verboden_bestedingen", "grondslag", "artikelen", "zin_tarieven", "bronnen")
_SECTIES = (*_SCHEMA, *_VRIJE_SECTIES)
_VERPLICHT_REGELING = ("naam", "gemeente", "gemeente_code", "geldig_van")


def _valideer(data: dict) -> None:
    for sectie, inhoud in data.items():
        if sectie not in _SECTIES:
            raise _Fout(f"onbekende sectie [{sectie}] (sleutel '{sectie}'); toegestaan: {', '.join(_SECTIES)}")
        if not isinstance(inhoud, dict):
            raise _Fout(f"'{sectie}' moet een sectie [{sectie}] zijn, gevonden: {inhoud!r}")
    if "regeling" not in data:
        raise _Fout("de sectie [regeling] ontbreekt (sleutel 'regeling')")
    for k in _VERPLICHT_REGELING:
        if k not in data["regeling"]:
            raise _Fout(f"de verplichte sleutel 'regeling.{k}' ontbreekt")

    for sectie, regels in _SCHEMA.items():
        for k, v in data.get(sectie, {}).items():
            sleutel = f"{sectie}.{k}"
            if sectie == "sociaal_netwerk" and k == "maxima":
                _valideer_maxima(v)
                continue
            if k not in regels:
                raise _Fout(f"onbekende sleutel '{sleutel}'; toegestaan in [{sectie}]: {', '.join(regels)}")
            regels[k](sleutel, v)

    reg = data["regeling"]
    if "geldig_tot" in reg and reg["geldig_tot"] < reg["geldig_van"]:
        raise _Fout("'regeling.geldig_tot' ligt voor 'regeling.geldig_van'")

    for cat, termen in data.get("verboden_bestedingen", {}).items():
        sleutel = f"verboden_bestedingen.{cat}"
        _lijst(None, "zoekterm")(sleutel, termen)
        if not termen:
            raise _Fout(f"'{sleutel}' moet minstens een zoekterm bevatten")

    for code, letter in data.get("grondslag", {}).items():
        sleutel = f"grondslag.{code}"
        if code not in CHECK_CODES:
            raise _Fout(f"onbekende controlecode in '{sleutel}'; toegestaan: {', '.join(CHECK_CODES)}")
        if letter not in GRONDSLAG_LETTERS:
            raise _Fout(f"'{sleutel}' moet een letter van art. 8.1.4 lid 1 Jeugdwet zijn (a t/m e), gevonden: {letter!r}")

    for code, tekst in data.get("artikelen", {}).items():
        sleutel = f"artikelen.{code}"
        if code not in CHECK_CODES + EXTRA_ARTIKELEN:
            raise _Fout(
                f"onbekende controlecode in '{sleutel}'; toegestaan: {', '.join(CHECK_CODES + EXTRA_ARTIKELEN)}"
            )
        _tekst(sleutel, tekst)

    for code, product in data.get("zin_tarieven", {}).items():
        _valideer_product(code, product)

    for k, v in data.get("bronnen", {}).items():
        sleutel = f"bronnen.{k}"
        if not isinstance(v, str) or not v.strip():
            raise _Fout(f"'{sleutel}' moet een niet-lege tekst zijn, gevonden: {v!r}")
        if _zoek(data, k) is _ONTBREEKT:
            raise _Fout(f"'{sleutel}' verwijst naar een sleutel die niet in de regeling staat ('{k}')")


def _valideer_maxima(maxima: Any) -> None:
    if not isinstance(maxima, dict):
        raise _Fout(f"'sociaal_netwerk.maxima' moet een sectie [sociaal_netwerk.maxima] zijn, gevonden: {maxima!r}")
    for cat, v in maxima.items():
        sleutel = f"sociaal_netwerk.maxima.{cat}"
        if cat not in MAXIMUM_EENHEID:
            raise _Fout(
                f"onbekende categorie in '{sleutel}'; een maximum kan gelden voor: {', '.join(MAXIMUM_EENHEID)}"
            )
        _bedrag(2)(sleutel, v)


_PRODUCT_SLEUTELS = ("omschrijving", "categorie", "eenheid", "tarief")


def _valideer_product(code: str, product: Any) -> None:
    basis = f"zin_tarieven.{code}"
    if not code.strip() or code != code.strip():
        raise _Fout(f"productcode '{code}' in [zin_tarieven] is leeg of heeft spaties aan het begin of eind")
    if not isinstance(product, dict):
        raise _Fout(f"'{basis}' moet een sectie [zin_tarieven.\"{code}\"] zijn, gevonden: {product!r}")
    for k in product:
        if k not in _PRODUCT_SLEUTELS:
            raise _Fout(f"onbekende sleutel '{basis}.{k}'; toegestaan: {', '.join(_PRODUCT_SLEUTELS)}")
    for k in ("categorie", "eenheid", "tarief"):
        if k not in product:
            raise _Fout(f"de verplichte sleutel '{basis}.{k}' ontbreekt")
    if "omschrijving" in product:
        _tekst(f"{basis}.omschrijving", product["omschrijving"])
    if product["categorie"] not in CATEGORIEEN:
        raise _Fout(
            f"'{basis}.categorie' is onbekend: {product['categorie']!r}; toegestaan: {', '.join(CATEGORIEEN)}"
        )
    if product["eenheid"] not in EENHEDEN:
        raise _Fout(f"'{basis}.eenheid' is onbekend: {product['eenheid']!r}; toegestaan: {', '.join(EENHEDEN)}")
    _bedrag(2)(f"{basis}.tarief", product["tarief"])


_ONTBREEKT = object()


def _zoek(data: dict, dotted: str) -> Any:
    """Walk a dotted key. Product codes contain no dots, so a plain split is enough; a
    key that contains dots may also be given whole."""
    if dotted in data:
        return data[dotted]
    cur: Any = data
    delen = dotted.split(".")
    i = 0
    while i < len(delen):
        if not isinstance(cur, dict):
            return _ONTBREEKT
        # longest match first, so keys with dots still resolve
        for j in range(len(delen), i, -1):
            k = ".".join(delen[i:j])
            if k in cur:
                cur = cur[k]
                i = j
                break
        else:
            return _ONTBREEKT
    return cur
