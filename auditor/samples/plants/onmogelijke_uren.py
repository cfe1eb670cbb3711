"""Planted cases of ONMOGELIJKE-UREN."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_TOT, L_VAN
from auditor.samples.plants._base import Planter, plant


@plant("ONMOGELIJKE-UREN", "zzp_twee_bh", budgethouders=2)
def plant_onmogelijke_uren(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the ONMOGELIJKE-UREN plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]


    zv = g.zzp(dedicated=True)
    zv.capaciteit = 2
    afs = [p.zzp_afspraak(b, zv=zv, per_week=1) for b in bhs]
    mx = int(g.max_uren)

    def f():
        days = []
        for m, dd in ((5, 6), (6, 11), (9, 17)):
            d = date(g.jaar, m, dd)
            while d.weekday() > 4:
                d += timedelta(days=1)
            days.append(d)
        # clear those days, so the planted lines are the only ones
        for a in afs:
            a.lines[:] = [ln for ln in a.lines
                          if not any(ln[L_VAN] <= d.toordinal() <= ln[L_TOT] for d in days)]
        uren = (round(mx * 0.6), mx - round(mx * 0.6) + 3)
        for b, a, u in zip(bhs, afs, uren):
            lns = []
            for d in days:
                ln = g._line(a, d, d, u * 100, oms="hele dag begeleiding", tag="ONMOGELIJKE-UREN", frozen=True)
                a.lines.append(ln)
                lns.append(ln)
            a.lines.sort(key=lambda x: x[L_VAN])
            g.truth_add("ONMOGELIJKE-UREN", b, f"zzp'er declareert op één dag {sum(uren)} uur bij twee budgethouders", lns)
    bh.plants.append(f)
