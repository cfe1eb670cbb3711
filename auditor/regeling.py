"""Regeling files: loading, strict validation, picking the regeling per line, the pgb norm.

A regeling is a TOML file (format: ``docs/regelingen.md`` and the contract
``regeling.md``) with every rule value of one gemeente for one period. The bundled ones
live in the ``tariffs`` package. Floats in the TOML are parsed as ``Decimal`` so that no
binary float ever holds an amount; ``Regeling.data`` therefore contains ``Decimal``,
``int``, ``bool``, ``str``, ``date``, lists and dicts.

Public API
----------
``laad_regeling(path)``            load and validate one file; ``RegelingFout`` (Dutch, names
                                   file and key) when it cannot be used.
``vind_regeling(naam_of_pad)``     a file path or the id of a bundled regeling (``losser-2025``).
``gebundelde_regelingen()``        every bundled regeling, sorted by id.
``kies_regeling(lf, regelingen)``  adds ``regeling_id`` per row.
``voeg_norm_toe(lf, regelingen)``  adds ``{prefix}_ct``, ``{prefix}_uitleg``, ``{prefix}_reden``.
``regeling_frame``, ``artikelen_frame``, ``categorie_frame``, ``verboden_frame``: small frames
                                   to join on ``regeling_id``.

``regeling_frame(regelingen)`` columns (one row per regeling; null = absent in the file,
which means "niet toetsbaar" for the check that needs it, except where noted):

=============================  =============  ==================================================
column                         dtype          meaning
=============================  =============  ==================================================
regeling_id                    String         file stem, e.g. ``losser-2025``
naam, gemeente                 String         ``[regeling]``
gemeente_code                  String         CBS code, 4 digits
geldig_van, geldig_tot         Date           validity, both inclusive; geldig_tot null = open
max_weken_buitenland           Int64          ``pgb.max_weken_buitenland`` (weeks per calendar year)
vast_maandbedrag_toegestaan    Boolean        ``pgb.vast_maandbedrag_toegestaan``
aanwenden_binnen_maanden       Int64          ``pgb.aanwenden_binnen_maanden``
vog_max_jaren                  Int64          ``pgb.vog_max_jaren``
max_uren_per_dag_e4            Int64          ``pgb.max_uren_per_dag`` x 10^4 (24 -> 240000)
km_tarief_ct4                  Int64          ``vervoer.km_tarief`` in euros x 10^4 (0.23 -> 2300);
                                              null = the gemeente has no km rule
km_drempel_e4                  Int64          ``vervoer.km_drempel_enkele_reis`` x 10^4 (6 -> 60000)
netwerk_min_budgethouders      Int64          ``netwerk.min_budgethouders``
opschorting_max_weken          Int64          ``opschorting.max_weken``
opschorting_drempel_ct         Int64          ``opschorting.drempel`` in cents
opschorting_altijd             List[String]   ``opschorting.altijd`` (check codes)
opschorting_uitgesloten        List[String]   ``opschorting.uitgesloten`` (check codes)
sn_toegestane_categorieen      List[String]   ``sociaal_netwerk.toegestane_categorieen``
dubbelrol_rollen               List[String]   ``sociaal_netwerk.dubbelrol_rollen``
heeft_verboden_bestedingen     Boolean        ``[verboden_bestedingen]`` present and not empty
=============================  =============  ==================================================

``artikelen_frame``: regeling_id, check, artikel, grondslag (String; union of the codes of
``[artikelen]`` and ``[grondslag]``, including ``OPSCHORTING``).

``categorie_frame``: regeling_id, product_code, categorie, eenheid, zin_tarief_ct (Int64),
omschrijving (String, may be null): the ``[zin_tarieven]`` table.

``verboden_frame``: regeling_id, categorie, term: one row per banned-spending search term.

The norm (``voeg_norm_toe``) follows the table of regeling.md exactly; see ``_norm``. It is
computed in ``Decimal`` once per (regeling, product, categorie, eenheid, soort) into a
small lookup frame, rounded to the cent half away from zero, and joined onto the lines.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import polars as pl

from auditor.errors import RegelingFout
from auditor.money import round_cents

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
CHECK_CODES = (
    "TARIEF",
    "BUDGET",
    "SN-CATEGORIE",
    "VERBODEN",
    "VAST-MAANDBEDRAG",
    "BUITENLAND",
    "BUITEN-PERIODE",
    "OVERSCHRIJDING",
    "AANWENDING",
    "KWALITEIT",
    "DUBBEL",
    "ONMOGELIJKE-UREN",
    "BETALING",
    "ZZP-LINK",
    "DUBBELROL",
    "NETWERK",
    "KM",
    "NIET-GELEVERD",
)
#: codes allowed in [artikelen] besides the checks
EXTRA_ARTIKELEN = ("OPSCHORTING",)
GRONDSLAG_LETTERS = ("a", "b", "c", "d", "e")

VERBLIJF = ("wonen_verblijf", "kortdurend_verblijf")
INDIVIDUEEL = ("begeleiding_individueel", "persoonlijke_verzorging", "behandeling_individueel")
GROEP = ("begeleiding_groep", "behandeling_groep")
OVERIG_PROF = ("vervoer", "crisis", "overig")
#: the unit a [sociaal_netwerk.maxima] amount is expressed in, per category
MAXIMUM_EENHEID = {
    **{c: "uur" for c in INDIVIDUEEL},
    **{c: "dagdeel" for c in GROEP},
    **{c: "etmaal" for c in VERBLIJF},
}

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
    "sociaal_netwerk": {
        "toegestane_categorieen": _lijst(CATEGORIEEN, "categorie"),
        "dubbelrol_rollen": _lijst(ROLLEN, "rol"),
        # "maxima" is a sub-table, checked separately
    },
    "vervoer": {
        "km_tarief": _bedrag(4),
        "km_drempel_enkele_reis": _aantal(4, 0),
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


# ---------------------------------------------------------------------------------------
# The Regeling object


@dataclass(frozen=True)
class Regeling:
    id: str
    path: Path
    sha256: str
    naam: str
    gemeente: str
    gemeente_code: str
    geldig_van: date
    geldig_tot: date | None
    data: dict = field(repr=False, compare=False, hash=False)

    def waarde(self, dotted: str, default=None):
        """The value at a dotted key (``"pgb.max_weken_buitenland"``), or ``default``."""
        v = _zoek(self.data, dotted)
        return default if v is _ONTBREEKT else v

    def artikel(self, check: str) -> str | None:
        return self.data.get("artikelen", {}).get(check)

    def grondslag(self, check: str) -> str | None:
        return self.data.get("grondslag", {}).get(check)

    def geldig_op(self, d: date) -> bool:
        return self.geldig_van <= d and (self.geldig_tot is None or d <= self.geldig_tot)

    def bron(self, dotted: str) -> str | None:
        """The [bronnen] entry for a key, or for its nearest enclosing section."""
        bronnen = self.data.get("bronnen", {})
        delen = dotted.split(".")
        for j in range(len(delen), 0, -1):
            k = ".".join(delen[:j])
            if k in bronnen:
                return bronnen[k]
        return None


def _laad_bytes(inhoud: bytes, path: Path) -> Regeling:
    naam = path.name
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegelingFout(f"Regeling {naam}: het bestand is geen UTF-8-tekst.") from None
    try:
        data = tomllib.loads(tekst, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        waar = f" (regel {m.group(1)}, kolom {m.group(2)})" if m else ""
        raise RegelingFout(f"Regeling {naam}: geen geldige TOML{waar}: {e}.") from None
    try:
        _valideer(data)
    except _Fout as e:
        raise RegelingFout(f"Regeling {naam}: {e}.") from None
    reg = data["regeling"]
    return Regeling(
        id=path.stem,
        path=path,
        sha256=hashlib.sha256(inhoud).hexdigest(),
        naam=reg["naam"],
        gemeente=reg["gemeente"],
        gemeente_code=reg["gemeente_code"],
        geldig_van=reg["geldig_van"],
        geldig_tot=reg.get("geldig_tot"),
        data=data,
    )


def laad_regeling(path: str | Path) -> Regeling:
    """Load and validate one regeling file. Raises ``RegelingFout`` with one Dutch message
    naming the file and the key."""
    p = Path(path)
    try:
        inhoud = p.read_bytes()
    except FileNotFoundError:
        raise RegelingFout(f"Regeling {p}: bestand niet gevonden.") from None
    except OSError as e:
        raise RegelingFout(f"Regeling {p}: kan het bestand niet lezen ({e.strerror}).") from None
    return _laad_bytes(inhoud, p)


@functools.lru_cache(maxsize=1)
def _gebundeld() -> tuple[Regeling, ...]:
    out = []
    for t in importlib.resources.files("tariffs").iterdir():
        if t.name.endswith(".toml") and t.is_file():
            p = t if isinstance(t, Path) else Path(t.name)
            out.append(_laad_bytes(t.read_bytes(), p))
    return tuple(sorted(out, key=lambda r: r.id))


def gebundelde_regelingen() -> list[Regeling]:
    """Every regeling bundled in the ``tariffs`` package, sorted by id."""
    return list(_gebundeld())


def vind_regeling(naam_of_pad: str | Path) -> Regeling:
    """A regeling from a file path, or from the id of a bundled one (``losser-2025``)."""
    p = Path(naam_of_pad)
    if p.exists() or p.suffix == ".toml" or len(p.parts) > 1:
        return laad_regeling(p)
    for r in gebundelde_regelingen():
        if r.id == str(naam_of_pad):
            return r
    ids = ", ".join(r.id for r in gebundelde_regelingen())
    raise RegelingFout(f"Regeling {naam_of_pad}: geen bestand en geen meegeleverde regeling (meegeleverd: {ids}).")


def ontbrekende_bronnen(r: Regeling) -> list[str]:
    """Dotted keys of values that have no [bronnen] entry (for themselves or a section)."""
    out = []

    def loop(prefix: str, d: dict) -> None:
        for k, v in d.items():
            sleutel = f"{prefix}.{k}" if prefix else k
            if sleutel == "bronnen":
                continue
            if isinstance(v, dict):
                if r.bron(sleutel) is None:
                    loop(sleutel, v)
            elif r.bron(sleutel) is None:
                out.append(sleutel)

    loop("", r.data)
    return out


# ---------------------------------------------------------------------------------------
# Picking the regeling per line


def kies_regeling(
    lf: pl.LazyFrame,
    regelingen: list[Regeling],
    *,
    gemeente_col: str = "gemeente_code",
    datum_col: str = "datum_van",
    geforceerd: Regeling | None = None,
) -> pl.LazyFrame:
    """Add ``regeling_id`` (String): the regeling whose gemeente_code matches and whose
    validity holds the date; null when none does. Where several match, the one with the
    latest ``geldig_van`` wins (then the highest id). With ``geforceerd``: that one for
    every row. Vectorised: an inner join with a small frame, reduced per row index."""
    if geforceerd is not None:
        return lf.with_columns(regeling_id=pl.lit(geforceerd.id, dtype=pl.String))
    rf = pl.LazyFrame(
        {
            "__gem": [r.gemeente_code for r in regelingen],
            "__van": [r.geldig_van for r in regelingen],
            "__tot": [r.geldig_tot for r in regelingen],
            "regeling_id": [r.id for r in regelingen],
        },
        schema={"__gem": pl.String, "__van": pl.Date, "__tot": pl.Date, "regeling_id": pl.String},
    )
    # Join on the keys, never on a row number: polars does not keep row order through a
    # join, so a row index taken twice from one lazy frame can differ between the copies.
    sleutels = [pl.col(gemeente_col).cast(pl.String).alias("__gem"), pl.col(datum_col).cast(pl.Date).alias("__datum")]
    kandidaten = (
        lf.select(sleutels).unique()
        .join(rf, on="__gem", how="inner")
        .filter((pl.col("__datum") >= pl.col("__van")) & (pl.col("__tot").is_null() | (pl.col("__datum") <= pl.col("__tot"))))
        .sort(["__gem", "__datum", "__van", "regeling_id"], descending=[False, False, True, True])
        .group_by(["__gem", "__datum"])
        .agg(pl.col("regeling_id").first())
    )
    return (
        lf.with_columns(sleutels)
        .join(kandidaten, on=["__gem", "__datum"], how="left", maintain_order="left")
        .drop("__gem", "__datum")
    )


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
                "vog_max_jaren": w("pgb.vog_max_jaren"),
                "max_uren_per_dag_e4": _int_schaal(w("pgb.max_uren_per_dag"), 10_000),
                "km_tarief_ct4": _int_schaal(w("vervoer.km_tarief"), 10_000),
                "km_drempel_e4": _int_schaal(w("vervoer.km_drempel_enkele_reis"), 10_000),
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
        "max_uren_per_dag_e4": pl.Int64,
        "km_tarief_ct4": pl.Int64,
        "km_drempel_e4": pl.Int64,
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


# ---------------------------------------------------------------------------------------
# The pgb norm per unit (regeling.md, "The pgb norm per unit")


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


@dataclass(frozen=True)
class _Uitkomst:
    waarde: Decimal | None
    uitleg: str | None
    reden: str | None


def _zin_norm(r: Regeling, pct_sleutel: str, zin: dict | None, eenheid: str) -> _Uitkomst:
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
    return _Uitkomst(Decimal(pct) * tarief, f"{pct_tekst(pct)} van {eur_tekst(tarief)}", None)


def _sn_basis(r: Regeling, categorie: str, zin: dict | None, eenheid: str) -> _Uitkomst:
    """The sociaal-netwerk amount before the cap."""
    if categorie in VERBLIJF:
        return _zin_norm(r, "pgb.percentage_wonen_verblijf", zin, eenheid)
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
            f"uurloon sociaal netwerk {eur_tekst(uurloon)} + {pct_tekst(vt)} vakantietoeslag",
            None,
        )
    # GROEP
    dagdeel = r.waarde("pgb.sociaal_netwerk_dagdeel")
    if dagdeel is None:
        return _Uitkomst(None, None, f"sociaal_netwerk_dagdeel ontbreekt in de regeling {r.id}")
    if eenheid != "dagdeel":
        return _Uitkomst(None, None, f"eenheid {eenheid} wijkt af van de eenheid dagdeel van het dagdeelbedrag sociaal netwerk")
    return _Uitkomst(Decimal(dagdeel), f"dagdeelbedrag sociaal netwerk {eur_tekst(dagdeel)}", None)


def _norm(r: Regeling, categorie: str, eenheid: str, soort: str, zin: dict | None) -> _Uitkomst:
    """The norm table of regeling.md for one (categorie, eenheid, soort, ZIN product)."""
    if categorie in OVERIG_PROF or soort == "professioneel":
        pct = "pgb.percentage_wonen_verblijf" if categorie in VERBLIJF else "pgb.percentage_professioneel"
        return _zin_norm(r, pct, zin, eenheid)
    # sociaal netwerk, capped by the maximum for the category
    basis = _sn_basis(r, categorie, zin, eenheid)
    maximum = r.waarde(f"sociaal_netwerk.maxima.{categorie}")
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
            maximum, f"maximum sociaal netwerk {eur_tekst(maximum)} per {max_eenheid}; {basis.reden}", None
        )
    if maximum < basis.waarde:
        return _Uitkomst(maximum, f"{basis.uitleg}, begrensd op {eur_tekst(maximum)}", None)
    return basis


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
                    u = _norm(r, cat, eenheid, soort, zin)
                    ct = None if u.waarde is None else round_cents(u.waarde)
                    rijen.append((r.id, code, cat, eenheid, soort, ct, u.uitleg, u.reden))
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
    ``{prefix}_uitleg`` (Dutch: how it was computed) and ``{prefix}_reden`` (Dutch: why not
    judgeable). ``lf`` needs ``regeling_id``, ``product_code``, ``categorie``, ``eenheid``
    and ``soort_col`` ('professioneel' | 'sociaal_netwerk')."""
    ct, uitleg, reden = f"{prefix}_ct", f"{prefix}_uitleg", f"{prefix}_reden"
    nf = norm_frame(regelingen).lazy().rename(
        {"norm_ct": "__n_ct", "uitleg": "__n_uitleg", "reden": "__n_reden", "regeling_id": "__n_reg",
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
        )
        .select(*sleutels, ct, uitleg, reden)
    )
    return alle.join(uit, on=sleutels, how="left", nulls_equal=True, maintain_order="left")
