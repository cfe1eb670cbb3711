"""Planted cases of VERBODEN."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_VAN
from auditor.samples.plants._base import Planter, plant


@plant("VERBODEN", "administratie_contributie")
@plant("VERBODEN", "woordvolgorde")
def plant_verboden(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the VERBODEN plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]

    a = p.zzp_afspraak(bh)
    texts = (("Adminstratiekosten PGB", "contributie Per Saldo") if variant == "administratie_contributie"
             else ("kosten administratie pgb", "Bemidelingskosten zorgbureau"))

    def f():
        lns = []
        taken = {ln[L_VAN] for ln in a.lines}
        for k, t in enumerate(texts):
            d = date(g.jaar, 3 + 4 * k, 28)
            while d.toordinal() in taken or d.weekday() > 4:
                d -= timedelta(days=1)
            taken.add(d.toordinal())
            ln = g._line(a, d, d, 100, oms=t, tag="VERBODEN", frozen=True)
            a.lines.append(ln)
            lns.append(ln)
        g.truth_add("VERBODEN", bh, "verboden besteding in de omschrijving: " + " / ".join(texts), lns)
    bh.plants.append(f)
