"""Planted cases of BUDGET."""

from __future__ import annotations

from auditor.samples.model import BH
from auditor.samples.people import OMS
from auditor.samples.plants._base import Planter, plant
from auditor.samples.regeling import _cents


@plant("BUDGET", "sn_budget_te_hoog")
@plant("BUDGET", "prof_100_procent", needs=lambda r: r.pgb.get("percentage_professioneel") is not None)
def plant_budget(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the BUDGET plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]


    if variant == "sn_budget_te_hoog":
        a = p.sn_afspraak(bh, kind="tante")
        a.tk.budget_tarief_ct = r.norm_ct(a.product, True) + 250
        a.tk.tarief_ct = a.tk.budget_tarief_ct
        g.truth_add("BUDGET", bh, "toekenning sociaal netwerk berekend boven de norm per uur")
    else:
        pr = p.free_product(bh, r.product("behandeling_individueel", "uur"), r.product("begeleiding_groep"))
        tk = g.toekenning(bh, pr, False, g.ys, g.ye)
        tk.budget_tarief_ct = _cents(pr.zin)   # 100% of the ZIN tariff instead of the pgb percentage
        tk.tarief_ct = tk.budget_tarief_ct
        zv = g.instelling(pr.categorie)
        g.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", r.norm_ct(pr, False), "sessies",
                   (100,) if pr.eenheid != "uur" else (75, 100), OMS["behandeling"], per_week=1)
        g.truth_add("BUDGET", bh, "toekenning professioneel berekend op 100% van het ZIN-tarief")
