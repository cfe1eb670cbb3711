"""Planted cases of SN-CATEGORIE."""

from __future__ import annotations

from auditor.samples.model import BH
from auditor.samples.plants._base import Planter, plant


@plant("SN-CATEGORIE", "sn_behandeling")
@plant("SN-CATEGORIE", "sn_tweede")
def plant_sn_categorie(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the SN-CATEGORIE plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]


    bad = [pr for pr in r.products.values() if not r.sn_allowed(pr.categorie)]
    pref = ["behandeling_individueel", "behandeling_groep", "vervoer", "crisis", "wonen_verblijf"]
    bad.sort(key=lambda pr: pref.index(pr.categorie) if pr.categorie in pref else 99)
    pr = bad[0] if variant == "sn_behandeling" else (bad[1] if len(bad) > 1 else bad[0])
    if pr.code in {t.product.code for t in bh.toekenningen}:
        pr = bad[-1]
    tk = g.toekenning(bh, pr, True, g.ys, g.ye)
    zv, rel = g.sn_person(bh, "tante")
    norm = r.norm_ct(pr, True)
    tarief = min(norm, 2000) if norm is not None else (2000 if pr.eenheid == "uur" else 1500)
    tk.tarief_ct = norm if norm is not None else tarief
    aant = (100, 150, 200) if pr.eenheid == "uur" else (100, 200)
    a = g.afspraak(bh, zv, tk, pr, rel, "familiehulp", tarief, "sessies", aant,
                   ("therapie thuis oefenen", "behandeling door tante", "oefeningen uit de therapie", ""),
                   per_week=1)

    def f():
        g.truth_add("SN-CATEGORIE", bh, f"sociaal netwerk levert {pr.categorie}", list(a.lines))
    bh.plants.append(f)
