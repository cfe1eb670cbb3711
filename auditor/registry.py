"""The check table: every check's code, soort and titel, in report order.

This is the one place a check's identity lives. The order is the order of checks.md; the
reports, findings.csv and run.json list checks in it, and the `check` column of every finding
frame is `CHECK_ENUM` (a `pl.Enum` of the codes in this order), so sorting on it follows the
table. The regeling's allowed codes, the sample generator's list, the catalogue and the engine
all derive from `CHECKS`.

Each check module under `checks/` registers its function with `@check(CODE)`; the decorator
refuses a code that is not in the table, or a soort/titel that disagrees with it.

Foundation layer: imports nothing from pgb-audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import polars as pl


@dataclass(frozen=True)
class CheckInfo:
    code: str
    soort: str          # fout / onzekerheid / signaal (the check's main kind)
    titel: str          # short Dutch title for reports
    module: str         # the module under checks/ that implements it


CHECKS: tuple[CheckInfo, ...] = (
    CheckInfo("TARIEF", "fout", "Boven de pgb-norm per eenheid", "checks.tarief"),
    CheckInfo("AFSPRAAK", "fout", "Boven het afgesproken tarief of rekenfout", "checks.afspraak"),
    CheckInfo("BUDGET", "fout", "Toekenning boven de pgb-norm", "checks.budget"),
    CheckInfo("SN-CATEGORIE", "fout", "Sociaal netwerk in een niet-toegestane categorie", "checks.sn_categorie"),
    CheckInfo("VERBODEN", "fout", "Verboden besteding", "checks.verboden"),
    CheckInfo("VAST-MAANDBEDRAG", "fout", "Vast maandbedrag", "checks.vast_maandbedrag"),
    CheckInfo("BUITENLAND", "fout", "Zorg in het buitenland boven de termijn", "checks.buitenland"),
    CheckInfo("BUITEN-PERIODE", "fout", "Zorg buiten de toegekende periode", "checks.buiten_periode"),
    CheckInfo("OVERLAP", "fout", "Dezelfde dagen twee keer gedeclareerd", "checks.overlap"),
    CheckInfo("OVERSCHRIJDING", "fout", "Budget overschreden", "checks.overschrijding"),
    CheckInfo("AANWENDING", "signaal", "Pgb niet op tijd aangewend", "checks.aanwending"),
    CheckInfo("KWALITEIT", "fout", "Zorgverlener voldoet niet aan de kwaliteitseisen", "checks.kwaliteit"),
    CheckInfo("DUBBEL", "fout", "Dubbel gedeclareerd", "checks.dubbel"),
    CheckInfo("ONMOGELIJKE-UREN", "fout", "Onmogelijk veel uren op een dag", "checks.onmogelijke_uren"),
    CheckInfo("BETALING", "fout", "Betaling klopt niet", "checks.betaling"),
    CheckInfo("ZZP-LINK", "onzekerheid", "Zzp'er of instelling gelieerd aan de budgethouder", "checks.zzp_link"),
    CheckInfo("DUBBELROL", "fout", "Vertegenwoordiger is ook zorgverlener", "checks.dubbelrol"),
    CheckInfo("NETWERK", "signaal", "Netwerk rond vertegenwoordiger of rekening", "checks.netwerk"),
    CheckInfo("KM", "fout", "Kilometervergoeding te hoog", "checks.km"),
    CheckInfo("NIET-GELEVERD", "fout", "Zorg niet geleverd (materiële controle)", "checks.niet_geleverd"),
)

CHECK_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS)
CHECK_BY_CODE: dict[str, CheckInfo] = {c.code: c for c in CHECKS}
CHECK_TITELS: dict[str, str] = {c.code: c.titel for c in CHECKS}
#: dtype of every `check` column: sorting on it follows the table's order
CHECK_ENUM = pl.Enum(list(CHECK_CODES))


def check_rank(code: str) -> int:
    """Position of a check in report order (unknown codes last)."""
    return CHECK_CODES.index(code) if code in CHECK_BY_CODE else len(CHECK_CODES)


def sort_codes(codes) -> list[str]:
    """Check codes in report order (unknown codes last, alphabetically)."""
    return sorted(codes, key=lambda c: (check_rank(c), c))


@dataclass(frozen=True)
class CheckSpec:
    code: str
    func: Callable
    soort: str
    titel: str
    module: str

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


#: code -> the registered check function, filled by the `checks` package as it is imported
REGISTRY: dict[str, CheckSpec] = {}


def check(code: str, *, soort: str | None = None, titel: str | None = None):
    """Register a check function under its code (which must be in `CHECKS`)."""
    info = CHECK_BY_CODE.get(code)
    if info is None:
        raise ValueError(f"check {code} is not in auditor.registry.CHECKS")
    if (soort is not None and soort != info.soort) or (titel is not None and titel != info.titel):
        raise ValueError(f"check {code}: soort/titel differ from auditor.registry.CHECKS")

    def deco(fn):
        REGISTRY[code] = CheckSpec(code, fn, info.soort, info.titel, fn.__module__)
        return fn
    return deco


def registered() -> dict[str, CheckSpec]:
    """The registered checks in report order."""
    return {c: REGISTRY[c] for c in CHECK_CODES if c in REGISTRY}
