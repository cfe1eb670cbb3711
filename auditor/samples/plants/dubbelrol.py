"""Planted cases of DUBBELROL."""

from __future__ import annotations

from datetime import date

from auditor.samples.model import BH, Persoon
from auditor.samples.people import OMS, _iban
from auditor.samples.plants._base import Planter, plant


@plant("DUBBELROL", "naam_geboortedatum")
@plant("DUBBELROL", "bsn")
def plant_dubbelrol(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the DUBBELROL plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng


    if variant == "naam_geboortedatum":
        # the representative (mother) is also the caregiver, registered under a misspelt name
        pr = p.sn_uur_product()
        pr = p.free_product(bh, pr, r.product("persoonlijke_verzorging", "uur"))
        tk = g.toekenning(bh, pr, True, g.ys, g.ye)
        m = bh.moeder
        bh.relaties[0] = ("wettelijk_vertegenwoordiger", m, {})
        an = m.achternaam
        if "ss" not in an and "s" in an:
            fout = an.replace("s", "ss", 1)          # Jansen -> Janssen
        elif "ij" in an:
            fout = an.replace("ij", "y", 1)          # Dijkstra -> Dykstra
        elif "ss" in an:
            fout = an.replace("ss", "s", 1)
        else:
            fout = an + an[-1]                       # Kok -> Kokk
        zv = g.new_zv("sociaal_netwerk", f"{m.voornaam} {fout}", persoon=None, vog=None,
                      iban=_iban(rng, g.used_iban), capaciteit=1)
        zv.persoon = Persoon(m.voornaam, fout, m.geboortedatum)
        a = g.afspraak(bh, zv, tk, pr, "ouder", "familiehulp", g.line_tarief(tk.tarief_ct, True), "sessies",
                       (100, 150, 200), OMS["sn"], per_week=2)
        txt = f"wettelijk vertegenwoordiger is ook zorgverlener ('{m.naam}' / '{zv.naam}', zelfde geboortedatum)"
    else:
        p2 = g.persoon(False, date(1960, 1, 1), date(1985, 12, 31), contact=False)
        bh.relaties.append(("bewindvoerder", p2, {"alleen_naam_bsn": True}))
        zv = g.zzp(dedicated=True)
        zv.naam = f"{p2.voornaam[0]}. {p2.achternaam}"
        zv.persoon.bsn = p2.bsn
        zv.persoon.geboortedatum = p2.geboortedatum
        a = p.zzp_afspraak(bh, zv=zv)
        txt = "bewindvoerder is ook de zzp-zorgverlener (zelfde BSN)"

    def f():
        g.truth_add("DUBBELROL", bh, txt, list(a.lines))
    bh.plants.append(f)
