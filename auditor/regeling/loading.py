"""The `Regeling` object: loading one file, the bundled regelingen, finding one by id or path."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from auditor.errors import RegelingFout
from auditor.regeling.schema import _Fout, _ONTBREEKT, _valideer, _zoek


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
    except RecursionError:
        raise RegelingFout(f"Regeling {naam}: de TOML is te diep genest (lijsten of tabellen in elkaar); "
                           "een regeling heeft hooguit een paar niveaus.") from None
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
    """A regeling from a file path, or from the id of a bundled one (``losser-2025``, in any case)."""
    p = Path(naam_of_pad)
    if p.exists() or p.suffix == ".toml" or len(p.parts) > 1:
        return laad_regeling(p)
    for r in gebundelde_regelingen():
        if r.id.casefold() == str(naam_of_pad).strip().casefold():
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
