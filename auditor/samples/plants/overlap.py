"""Planted cases of OVERLAP: a weekend stay (per etmaal) declared a second time with other
amounts (not an exact copy, so not DUBBEL's)."""

from __future__ import annotations

from auditor.samples.model import BH, L_AANTAL, L_BEDRAG, L_FROZEN, L_TAG, L_TARIEF, L_VAN
from auditor.samples.plants._base import Planter, plant


@plant("OVERLAP", "tweede_verblijf", needs=lambda r: r.product("kortdurend_verblijf") is not None)
def plant_overlap(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the OVERLAP plant; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    a = g.scenario(bh, "logeren")

    def f():
        if a is None:
            return
        lns = p.pick_lines(a, 1)
        nieuw = []
        for ln in lns:
            c = list(ln)
            # the same nights at a lower tarief: not a copy, and within the agreement and the norm
            c[L_TARIEF] = max(100, ln[L_TARIEF] - 500)
            c[L_BEDRAG] = (c[L_AANTAL] * c[L_TARIEF] + 50) // 100
            c[L_TAG], c[L_FROZEN] = "OVERLAP", True
            ln[L_FROZEN] = True
            a.lines.append(c)
            nieuw.append(c)
        a.lines.sort(key=lambda x: x[L_VAN])
        g.truth_add("OVERLAP", bh, "dezelfde verblijfsnachten nog eens gedeclareerd", nieuw)
    bh.plants.append(f)
