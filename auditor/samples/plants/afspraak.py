"""Planted cases of AFSPRAAK: a declared tarief above the agreed one, a bedrag that is not
aantal x tarief; both within the pgb norm, so only AFSPRAAK judges them."""

from __future__ import annotations

from auditor.samples.model import BH, L_AANTAL, L_BEDRAG, L_FROZEN, L_TAG, L_TARIEF
from auditor.samples.plants._base import Planter, plant

AFGESPROKEN_CT = 1500      # the agreed sociaal-netwerk tarief, below every bundled norm (20,00 / 20,10)
GEDECLAREERD_CT = 1900     # declared: above the agreement, within the norm


@plant("AFSPRAAK", "boven_afspraak")
@plant("AFSPRAAK", "rekenfout")
def plant_afspraak(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the AFSPRAAK plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    a = p.sn_afspraak(bh, kind="oma", tarief=AFGESPROKEN_CT)

    def f():
        lns = p.pick_lines(a, 3)
        # near miss on the other lines: one cent off is rounding, not an error
        rest = [ln for ln in p.pick_lines(a, 6) if ln not in lns][:1]
        for ln in rest:
            ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100 - 1
            ln[L_FROZEN] = True
        for ln in lns:
            if variant == "boven_afspraak":
                ln[L_TARIEF] = GEDECLAREERD_CT
                ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
            else:
                ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100 + 200
            ln[L_TAG], ln[L_FROZEN] = "AFSPRAAK", True
        g.truth_add("AFSPRAAK", bh, "tarief boven het afgesproken tarief" if variant == "boven_afspraak"
                    else "bedrag is niet aantal maal tarief", lns)
    bh.plants.append(f)
