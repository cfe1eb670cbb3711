"""Planted cases of DUBBEL."""

from __future__ import annotations

from auditor.samples.model import BH, L_FROZEN, L_OMS, L_TAG, L_VAN
from auditor.samples.plants._base import Planter, plant


@plant("DUBBEL", "kopie")
def plant_dubbel(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the DUBBEL plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]

    a = p.zzp_afspraak(bh)

    def f():
        src = p.pick_lines(a, 2)
        lns = []
        for k, ln in enumerate(src):
            for _ in range(1 if k == 0 else 2):
                c = list(ln)
                c[L_TAG], c[L_FROZEN] = "DUBBEL", True
                c[L_OMS] = ln[L_OMS]
                a.lines.append(c)
                lns.append(c)
            ln[L_FROZEN] = True
        a.lines.sort(key=lambda x: x[L_VAN])
        g.truth_add("DUBBEL", bh, "dezelfde zorg twee of drie keer gedeclareerd", lns)
    bh.plants.append(f)
