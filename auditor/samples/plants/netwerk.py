"""Planted cases of NETWERK."""

from __future__ import annotations

from auditor.samples.model import BH
from auditor.samples.people import _iban, _iban_spaced
from auditor.samples.plants._base import Planter, plant


@plant("NETWERK", "bureau_drie_bh", budgethouders=3)
@plant("NETWERK", "gedeeld_iban", budgethouders=2)
def plant_netwerk(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the NETWERK plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    rng = g.rng


    if variant == "bureau_drie_bh":
        bureau = g.bureau(voor_netwerk=True)
        zv = g.zzp(dedicated=True)
        zv.capaciteit = len(bhs)
        afs = []
        for b in bhs:
            b.relaties = [x for x in b.relaties if x[0] not in ("gemachtigde", "bewindvoerder")]
            b.relaties.append(("gemachtigde", bureau, {}))
            afs.append(p.zzp_afspraak(b, zv=zv, per_week=1))

        def f():
            for b, a in zip(bhs, afs):
                g.truth_add("NETWERK", b, f"gemachtigde '{bureau['naam']}' voor {len(bhs)} budgethouders met dezelfde zorgverlener",
                            list(a.lines))
        bh.plants.append(f)
    else:
        shared = _iban(rng, g.used_iban)
        afs = []
        for k, b in enumerate(bhs):
            zv = g.zzp(dedicated=True)
            zv.iban = shared if k == 0 else _iban_spaced(shared)
            afs.append(p.zzp_afspraak(b, zv=zv))

        def f():
            for b, a in zip(bhs, afs):
                g.truth_add("NETWERK", b, "meerdere zorgverleners worden op één IBAN betaald", list(a.lines))
        bh.plants.append(f)
