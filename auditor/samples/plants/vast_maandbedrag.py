"""Planted cases of VAST-MAANDBEDRAG."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_FROZEN, L_TAG, L_VAN
from auditor.samples.plants._base import Planter, plant


@plant("VAST-MAANDBEDRAG", "patroon")
@plant("VAST-MAANDBEDRAG", "vast_afspraak", needs=lambda r: r.pgb.get("vast_maandbedrag_toegestaan") is False)
def plant_vast_maandbedrag(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the VAST-MAANDBEDRAG plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    rng = g.rng


    if variant == "vast_afspraak":
        a = p.sn_afspraak(bh, kind="oma", mode="maand")
        a.werkafspraak = "vast_maandbedrag"
        uren = rng.choice((24, 30, 32, 40))
        a.aantallen = (uren * 100,)
        a.vast_ct = uren * a.tarief_ct
        a.fill_tk = a.fill_zo = 1.0

        def f():
            for ln in a.lines:
                ln[L_TAG], ln[L_FROZEN] = "VAST-MAANDBEDRAG", True
            g.truth_add("VAST-MAANDBEDRAG", bh, "zorgovereenkomst met een vast maandbedrag", list(a.lines))
        bh.plants.append(f)
    else:
        a = p.zzp_afspraak(bh, per_week=2)

        def f():
            m0 = rng.randint(3, 8)
            lns = []
            for m in (m0, m0 + 1, m0 + 2):
                mine = [ln for ln in a.lines if date.fromordinal(ln[L_VAN]).month == m]
                for ln in mine:
                    a.lines.remove(ln)
                first = date(g.jaar, m, 1)
                days = [first + timedelta(days=k) for k in range(31)
                        if (first + timedelta(days=k)).month == m and (first + timedelta(days=k)).weekday() in a.weekdays]
                for d in days[:8] if len(days) >= 8 else days + []:
                    ln = g._line(a, d, d, 200, oms="begeleiding", tag="VAST-MAANDBEDRAG", frozen=True)
                    a.lines.append(ln)
                    lns.append(ln)
                if len(days) < 8:  # pad with other weekdays to 8 lines
                    extra = [first + timedelta(days=k) for k in range(31)
                             if (first + timedelta(days=k)).month == m and (first + timedelta(days=k)).weekday() < 5
                             and (first + timedelta(days=k)) not in days][: 8 - len(days)]
                    for d in extra:
                        ln = g._line(a, d, d, 200, oms="begeleiding", tag="VAST-MAANDBEDRAG", frozen=True)
                        a.lines.append(ln)
                        lns.append(ln)
            a.lines.sort(key=lambda x: x[L_VAN])
            g.truth_add("VAST-MAANDBEDRAG", bh, "drie maanden achter elkaar precies 16 uur en hetzelfde bedrag", lns)
        bh.plants.append(f)
