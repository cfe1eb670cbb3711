"""Planted cases of KWALITEIT (the regeling's [kwaliteit]; Losser art. 7.2)."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_TAG, L_TOT, L_VAN
from auditor.samples.people import _add_months, _add_years
from auditor.samples.plants._base import Planter, plant


def _opleiding(r) -> bool:
    return r.p("min_opleidingsniveau") is not None


@plant("KWALITEIT", "opleiding_te_laag", needs=_opleiding)
@plant("KWALITEIT", "opleiding_onbekend", needs=_opleiding)
@plant("KWALITEIT", "vog_verlopen", needs=lambda r: r.p("vog_max_jaren") is not None)
@plant("KWALITEIT", "vog_ontbreekt", needs=lambda r: r.p("vog_max_jaren") is not None)
@plant("KWALITEIT", "vog_te_oud_bij_start", needs=lambda r: r.p("vog_max_maanden_voor_start") is not None)
def plant_kwaliteit(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the KWALITEIT plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]


    if variant in ("opleiding_te_laag", "opleiding_onbekend"):
        # a zzp'er without SKJ/BIG registration (Losser asks none) with a recent VOG
        zv = g.zzp(dedicated=True)
        zv.skj = zv.big = None
        zv.vog = g.vog_normaal()
        zv.opleiding = "mbo3" if variant == "opleiding_te_laag" else None
        a = p.zzp_afspraak(bh, zv=zv)

        def f():
            for ln in a.lines:
                ln[L_TAG] = "KWALITEIT"
            g.truth_add("KWALITEIT", bh, "zzp'er met een opleiding onder mbo 4" if variant == "opleiding_te_laag"
                        else "zzp'er zonder opgegeven opleidingsniveau", list(a.lines))
        bh.plants.append(f)
    elif variant == "vog_verlopen":
        n = int(r.p("vog_max_jaren"))
        a = p.sn_afspraak(bh, kind="tante")
        a.zv.vog = _add_years(date(g.jaar, 6, 16), -n)
        # the agreement began shortly after the VOG (so it was not too old when the care began)
        a.zo_ingang = a.zv.vog + timedelta(days=20)

        def f():
            exp = _add_years(a.zv.vog, n).toordinal()
            a.lines[:] = [ln for ln in a.lines if not (exp - 4 <= ln[L_VAN] <= exp + 4 or exp - 4 <= ln[L_TOT] <= exp + 4)]
            lns = [ln for ln in a.lines if ln[L_TOT] > exp]
            for ln in lns:
                ln[L_TAG] = "KWALITEIT"
            g.truth_add("KWALITEIT", bh, "VOG ouder dan toegestaan op de dag van de zorg", lns)
        bh.plants.append(f)
    elif variant == "vog_te_oud_bij_start":
        m = int(r.p("vog_max_maanden_voor_start"))
        a = p.sn_afspraak(bh, kind="oma")

        def f():
            a.zv.vog = _add_months(a.zo_ingang, -m) - timedelta(days=25)
            for ln in a.lines:
                ln[L_TAG] = "KWALITEIT"
            g.truth_add("KWALITEIT", bh, f"VOG bij de start van de zorg ouder dan {m} maanden", list(a.lines))
        bh.plants.append(f)
    else:  # vog_ontbreekt
        a = p.sn_afspraak(bh, kind="buur")
        a.zv.vog = None

        def f():
            for ln in a.lines:
                ln[L_TAG] = "KWALITEIT"
            g.truth_add("KWALITEIT", bh, "geen VOG van een zorgverlener uit het netwerk (geen ouder)", list(a.lines))
        bh.plants.append(f)
