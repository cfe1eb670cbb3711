"""Planted cases: the `@plant` registry and the `Planter` helpers the plants share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from auditor.samples.generator import Generator
from auditor.samples.model import Afspraak, BH, L_TAG, L_VAN, Zorgverlener
from auditor.samples.people import OMS
from auditor.samples.regeling import Product


# --------------------------------------------------------------------------------------
# Plants
# --------------------------------------------------------------------------------------

@dataclass
class Plant:
    """One planted case: `check`, its `variant`, how many budgethouders it needs, and whether
    the regeling allows it (`needs(reg)`)."""
    check: str
    variant: str
    budgethouders: int
    needs: Any
    fn: Any = None


#: every registered plant, in the order the modules of `plants/` declare them
PLANTS: list[Plant] = []
_PENDING: list[Plant] = []


def plant(check: str, variant: str, budgethouders: int = 1, needs=None):
    """Register `fn(p, variant, bhs)` as the spec-level part of the planted case (check, variant).
    Stack one decorator per variant; they register top to bottom (the order they are planted in)."""
    entry = Plant(check, variant, budgethouders, needs or (lambda r: True))
    PLANTS.append(entry)
    _PENDING.append(entry)

    def deco(fn):
        while _PENDING:
            _PENDING.pop().fn = fn
        return fn
    return deco


class Planter:
    """Applies the plants. Spec-level plants run before line generation (`spec_*`), line-level
    ones after it (`lines_*`)."""

    def __init__(self, g: Generator):
        self.g = g
        self.r = g.reg

    # helpers
    def sn_uur_product(self) -> Product | None:
        for cat in ("begeleiding_individueel", "persoonlijke_verzorging"):
            p = self.r.product(cat, "uur")
            if p is not None and self.r.sn_allowed(p.categorie) and self.r.norm_ct(p, True) is not None:
                return p
        return None

    def free_product(self, bh: BH, *cands: Product | None) -> Product | None:
        used = {t.product.code for t in bh.toekenningen} | {a.product.code for a in bh.afspraken}
        for p in cands:
            if p is not None and p.code not in used:
                return p
        return None

    def sn_afspraak(self, bh: BH, kind: str = "oma", tarief: int | None = None, **kw) -> Afspraak:
        g = self.g
        pr = self.free_product(bh, self.sn_uur_product(), self.r.product("persoonlijke_verzorging", "uur"))
        tk = g.toekenning(bh, pr, True, kw.pop("ingang", g.ys), kw.pop("einde", g.ye))
        zv, rel = g.sn_person(bh, kind)
        return g.afspraak(bh, zv, tk, pr, rel, "familiehulp" if rel != "bekende" else "arbeidsovereenkomst",
                          tarief if tarief is not None else g.line_tarief(tk.tarief_ct, True), kw.pop("mode", "sessies"),
                          (100, 150, 200, 300), OMS["sn"], per_week=2, **kw)

    def zzp_afspraak(self, bh: BH, zv: Zorgverlener | None = None, **kw) -> Afspraak:
        g = self.g
        pr = self.free_product(bh, self.r.product("begeleiding_individueel", "uur"),
                               self.r.product("persoonlijke_verzorging", "uur"),
                               self.r.product("overig", "uur"))
        tk = g.toekenning(bh, pr, False, kw.pop("ingang", g.ys), kw.pop("einde", g.ye))
        zv = zv or g.zzp(dedicated=True)
        per_week = kw.pop("per_week", 2)
        return g.afspraak(bh, zv, tk, pr, "geen", "opdracht", kw.pop("tarief", None) or g.line_tarief(tk.tarief_ct, False),
                          kw.pop("mode", "sessies"), (100, 150, 200, 250), OMS["zzp"], per_week=per_week, **kw)

    def pick_lines(self, a: Afspraak, k: int, month: int | None = None) -> list:
        lns = [ln for ln in a.lines if not ln[L_TAG] and (month is None or date.fromordinal(ln[L_VAN]).month == month)]
        if len(lns) <= k:
            return lns
        step = len(lns) / k
        return [lns[int(i * step)] for i in range(k)]
