"""Planted cases of KM."""

from __future__ import annotations

from auditor.samples.model import BH, L_AANTAL, L_BEDRAG, L_FROZEN, L_KM, L_TAG, L_TARIEF
from auditor.samples.plants._base import Planter, plant
from auditor.samples.regeling import _D, _cents


@plant("KM", "hele_afstand")
@plant("KM", "onder_drempel")
@plant("KM", "eigen_rit", needs=lambda r: bool((r.vervoer or {}).get("eigen_ritten_per_week")))
def plant_km(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the KM plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]

    a = g.scenario(bh, "km", zv=g.sn_person(bh, "oma"))
    v = r.vervoer
    kmt = _D(str(v["km_tarief"]))
    drempel = _D(str(v["km_drempel_enkele_reis"]))

    def f():
        lns = p.pick_lines(a, 3)
        for ln in lns:
            if variant == "eigen_rit":
                # the week's own trips (art. 6.1) claimed as well: every trip at the full allowance
                per_trip = _cents(kmt * _D(max(0, ln[L_KM] - int(drempel * 10))) / 10)
                ln[L_TARIEF] = per_trip
                ln[L_BEDRAG] = ln[L_AANTAL] * per_trip // 100
                ln[L_TAG], ln[L_FROZEN] = "KM", True
                continue
            if variant == "hele_afstand":
                km = ln[L_KM]
            else:
                km = int(drempel * 10) - 15   # below the threshold: nothing may be paid
                ln[L_KM] = km
            per_trip = _cents(kmt * _D(km) / 10)
            ln[L_TARIEF] = per_trip
            ln[L_BEDRAG] = ln[L_AANTAL] * per_trip // 100
            ln[L_TAG], ln[L_FROZEN] = "KM", True
        g.truth_add("KM", bh, {"hele_afstand": "kilometervergoeding zonder aftrek van de drempel",
                               "onder_drempel": "kilometervergoeding voor ritten onder de drempel",
                               "eigen_rit": "kilometervergoeding ook voor de eigen rit heen en terug van de week"}[variant],
                    lns)
    bh.plants.append(f)
