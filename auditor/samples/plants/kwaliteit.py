"""Planted cases of KWALITEIT."""

from __future__ import annotations

from datetime import date

from auditor.samples.model import BH, L_TAG, L_TOT, L_VAN
from auditor.samples.people import _add_years
from auditor.samples.plants._base import Planter, plant


@plant("KWALITEIT", "zzp_zonder_kvk")
@plant("KWALITEIT", "zzp_zonder_skj")
@plant("KWALITEIT", "vog_verlopen", needs=lambda r: r.pgb.get("vog_max_jaren") is not None)
@plant("KWALITEIT", "vog_ontbreekt", needs=lambda r: r.pgb.get("vog_max_jaren") is not None)
def plant_kwaliteit(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the KWALITEIT plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng

    def later(fn):
        bh.plants.append(fn)

    if variant in ("zzp_zonder_kvk", "zzp_zonder_skj"):
        zv = g.zzp(dedicated=True)
        if variant == "zzp_zonder_kvk":
            zv.kvk = None
        else:
            zv.skj = zv.big = None
            zv.vog = g.vog_normaal()
        a = p.zzp_afspraak(bh, zv=zv)

        def f():
            g.truth_add("KWALITEIT", bh, "zzp'er zonder KvK-inschrijving" if variant == "zzp_zonder_kvk"
                        else "zzp'er zonder SKJ- of BIG-registratie", list(a.lines))
        later(f)
    else:
        n = int(r.p("vog_max_jaren"))
        a = p.sn_afspraak(bh, kind="tante" if variant == "vog_verlopen" else "buur")
        if variant == "vog_verlopen":
            a.zv.vog = _add_years(date(g.jaar, 6, 16), -n)
        else:
            a.zv.vog = None

        def f():
            if variant == "vog_verlopen":
                exp = _add_years(a.zv.vog, n).toordinal()
                a.lines[:] = [ln for ln in a.lines if not (exp - 4 <= ln[L_VAN] <= exp + 4 or exp - 4 <= ln[L_TOT] <= exp + 4)]
                lns = [ln for ln in a.lines if ln[L_TOT] > exp]
                txt = "VOG ouder dan toegestaan op de dag van de zorg"
            else:
                lns = list(a.lines)
                txt = "geen VOG van een zorgverlener uit het netwerk (geen ouder)"
            for ln in lns:
                ln[L_TAG] = "KWALITEIT"
            g.truth_add("KWALITEIT", bh, txt, lns)
        later(f)
