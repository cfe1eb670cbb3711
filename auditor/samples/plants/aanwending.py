"""Planted cases of AANWENDING."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH
from auditor.samples.people import _add_months
from auditor.samples.plants._base import Planter, plant


@plant("AANWENDING", "laat_begonnen")
@plant("AANWENDING", "laat_na_besluit")
def plant_aanwending(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the AANWENDING plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng


    n_m = int(r.p("aanwenden_binnen_maanden"))
    if variant == "laat_begonnen":
        a = p.zzp_afspraak(bh, ingang=g.ys, einde=g.ye)
        a.tk.besluit = g.ys - timedelta(days=10)
        a.start = _add_months(g.ys, n_m) + timedelta(days=rng.randint(10, 40))
        g.truth_add("AANWENDING", bh, f"eerste zorg meer dan {n_m} maanden na de ingangsdatum")
    else:
        a = p.sn_afspraak(bh, kind="oma", ingang=g.ys, einde=g.ye)
        a.tk.besluit = date(g.jaar, 2, 14)
        a.tk.aanvraag = g.ys - timedelta(days=30)
        a.start = _add_months(a.tk.besluit, n_m) + timedelta(days=rng.randint(8, 20))
        g.truth_add("AANWENDING", bh, f"eerste zorg meer dan {n_m} maanden na de besluitdatum")
