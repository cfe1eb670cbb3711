"""Planted cases of TARIEF."""

from __future__ import annotations

from auditor.samples.model import BH, L_AANTAL, L_BEDRAG, L_FROZEN, L_OMS, L_TAG, L_TARIEF
from auditor.samples.plants._base import Planter, plant


@plant("TARIEF", "zzp_boven_norm", needs=lambda r: r.pgb.get("percentage_professioneel") is not None)
@plant("TARIEF", "sn_boven_norm")
def plant_tarief(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the TARIEF plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng


    if variant == "zzp_boven_norm":
        a = p.zzp_afspraak(bh)

        def f():
            norm = r.norm_ct(a.product, False)
            lns = p.pick_lines(a, 3, month=rng.randint(3, 10)) or p.pick_lines(a, 3)
            for ln in lns:
                ln[L_TARIEF] = norm + 1250
                ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                ln[L_OMS] = "avond- en weekendtarief"
                ln[L_TAG], ln[L_FROZEN] = "TARIEF", True
            g.truth_add("TARIEF", bh, f"zzp'er declareert {len(lns)} regels boven de pgb-norm", lns)
            # the declared tarief is above the agreed one too (the agreement is at or below the norm)
            g.truth_add("AFSPRAAK", bh, "tarief boven het afgesproken tarief", lns)
        bh.plants.append(f)
    else:
        a = p.sn_afspraak(bh, kind="oma" if variant == "sn_boven_norm" else "buur")

        def f():
            norm = r.norm_ct(a.product, True)
            lns = p.pick_lines(a, 4, month=rng.randint(2, 11)) or p.pick_lines(a, 4)
            for ln in lns:
                ln[L_TARIEF] = max(norm + 500, 2500)
                ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                ln[L_TAG], ln[L_FROZEN] = "TARIEF", True
            g.truth_add("TARIEF", bh, "sociaal netwerk tegen een beroepstarief boven de norm", lns)
            g.truth_add("AFSPRAAK", bh, "tarief boven het afgesproken tarief", lns)
        bh.plants.append(f)
