"""Planted cases of BETALING."""

from __future__ import annotations

from datetime import date

from auditor.samples.model import BH, L_FROZEN, L_PAY
from auditor.samples.people import _iban
from auditor.samples.plants._base import Planter, plant


@plant("BETALING", "ander_iban")
@plant("BETALING", "zonder_declaratie_en_te_veel")
def plant_betaling(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the BETALING plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    rng = g.rng

    a = p.zzp_afspraak(bh)

    def f():
        lns = p.pick_lines(a, 2)
        if variant == "ander_iban":
            other = _iban(rng, g.used_iban)
            lns[0][L_PAY] = ("iban", other)
            lns[0][L_FROZEN] = True
            g.truth_add("BETALING", bh, "betaling naar een IBAN dat niet van de zorgverlener is", [lns[0]])
        else:
            lns[0][L_PAY] = ("meer", 1000 + 100 * rng.randint(0, 9))
            lns[0][L_FROZEN] = True
            d = date(g.jaar, 11, 14)
            g.extra_betalingen.append([bh.id, a.zv.id, "", a.zv.iban, 45000, d])
            g.truth_add("BETALING", bh, "betaling zonder declaratie en een betaling hoger dan gedeclareerd", [lns[0]])
    bh.plants.append(f)
