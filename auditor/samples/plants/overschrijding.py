"""Planted cases of OVERSCHRIJDING."""

from __future__ import annotations

from auditor.samples.model import BH
from auditor.samples.plants._base import Planter, plant


@plant("OVERSCHRIJDING", "meer_uren")
def plant_overschrijding(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the OVERSCHRIJDING plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]

    a = p.zzp_afspraak(bh, per_week=3)
    a.tk.omvang_factor = 0.8
    g.truth_add("OVERSCHRIJDING", bh, "meer gedeclareerd dan het budget van de toekenning")
