"""Planted cases of BUITENLAND."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_TAG, L_TOT, L_VAN
from auditor.samples.people import _month_end
from auditor.samples.plants._base import Planter, plant


@plant("BUITENLAND", "weken_marokko")
@plant("BUITENLAND", "dagen_turkije")
def plant_buitenland(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the BUITENLAND plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng

    a = p.sn_afspraak(bh, kind="oma" if variant == "weken_marokko" else "tante")
    land = "MA" if variant == "weken_marokko" else "TR"
    limit = int(r.p("max_weken_buitenland")) * 7

    def f():
        van = date(g.jaar, 7, 5)
        tot = van + timedelta(days=limit + 8)
        # remove every line of this budgethouder in the stay (the child is abroad)
        for b in bh.afspraken:
            b.lines[:] = [ln for ln in b.lines if ln[L_TOT] < van.toordinal() or ln[L_VAN] > tot.toordinal()]
        new = []
        if variant == "weken_marokko":
            d = van
            while d <= tot:
                e = min(d + timedelta(days=6), tot, _month_end(d))
                new.append(g._line(a, d, e, rng.choice((8, 10, 12, 14)) * 100, oms="begeleiding tijdens verblijf",
                                   land=land, frozen=True))
                d = e + timedelta(days=1)
        else:
            d = van
            while d <= tot:
                new.append(g._line(a, d, d, rng.choice((200, 300, 400)), oms="opvang tijdens vakantie",
                                   land=land, frozen=True))
                d += timedelta(days=1)
        seen = 0
        tagged = []
        for ln in new:
            days = ln[L_TOT] - ln[L_VAN] + 1
            if seen + days > limit:
                ln[L_TAG] = "BUITENLAND"
                tagged.append(ln)
            seen += days
        a.lines.extend(new)
        a.lines.sort(key=lambda x: x[L_VAN])
        g.truth_add("BUITENLAND", bh, f"{seen} dagen zorg in {land}, meer dan {limit}", tagged)
    bh.plants.append(f)
