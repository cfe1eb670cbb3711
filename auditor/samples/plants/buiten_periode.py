"""Planted cases of BUITEN-PERIODE."""

from __future__ import annotations

from datetime import date, timedelta

from auditor.samples.model import BH, L_FROZEN, L_TAG, L_TK, L_TOT, L_VAN
from auditor.samples.people import OMS
from auditor.samples.plants._base import Planter, plant


@plant("BUITEN-PERIODE", "voor_ingang_na_einde")
@plant("BUITEN-PERIODE", "voor_aanvraag")
@plant("BUITEN-PERIODE", "voor_aanvraag_met_toestemming")
@plant("BUITEN-PERIODE", "na_overlijden")
@plant("BUITEN-PERIODE", "geen_toekenning")
def plant_buiten_periode(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the BUITEN-PERIODE plants; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]


    if variant == "voor_ingang_na_einde":
        a = p.zzp_afspraak(bh, ingang=date(g.jaar, 3, 1), einde=date(g.jaar, 9, 30))
        a.tk.aanvraag = date(g.jaar, 1, 20)
        a.tk.besluit = date(g.jaar, 2, 12)
        a.zo_ingang, a.zo_einde = date(g.jaar, 2, 10), None
        a.fill_tk = 1.0

        def f():
            lns = [g._line(a, date(g.jaar, 2, d), date(g.jaar, 2, d), 200, tag="BUITEN-PERIODE", frozen=True)
                   for d in (17, 24)]
            lns += [g._line(a, date(g.jaar, 10, d), date(g.jaar, 10, d), 150, tag="BUITEN-PERIODE", frozen=True)
                    for d in (6, 13, 20)]
            a.lines[:0] = lns[:2]
            a.lines.extend(lns[2:])
            g.truth_add("BUITEN-PERIODE", bh, "zorg voor de ingangsdatum en na de einddatum van de toekenning", lns)
        bh.plants.append(f)
    elif variant in ("voor_aanvraag", "voor_aanvraag_met_toestemming"):
        # Losser art. 7.1 lid 5: sub a (before the aanvraag) always; sub b (after the aanvraag,
        # before the besluit) unless written permission was given
        met = variant == "voor_aanvraag_met_toestemming"
        a = p.zzp_afspraak(bh, ingang=date(g.jaar, 4, 1), einde=g.ye, start=date(g.jaar, 4, 2))
        a.tk.aanvraag = date(g.jaar, 4, 14)
        a.tk.besluit = date(g.jaar, 5, 2)
        a.tk.toestemming = met
        a.zo_ingang = date(g.jaar, 4, 1)

        def f():
            grens = a.tk.aanvraag if met else a.tk.besluit
            lns = [ln for ln in a.lines if ln[L_VAN] < grens.toordinal()]
            if len(lns) < 2:
                have = {ln[L_VAN] for ln in lns}
                for d in (date(g.jaar, 4, 3), date(g.jaar, 4, 9)):
                    if d.toordinal() not in have:
                        ln = g._line(a, d, d, 150)
                        a.lines.append(ln)
                        lns.append(ln)
                a.lines.sort(key=lambda x: x[L_VAN])
            for ln in lns:
                ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
            g.truth_add("BUITEN-PERIODE", bh, "zorg voor de aanvraag (ook met toestemming)" if met
                        else "zorg voor de aanvraag en voor het besluit, zonder toestemming", lns)
        bh.plants.append(f)
    elif variant == "na_overlijden":
        bh.overleden = None  # lines run on; the death is set after generation

        def f():
            dood = date(g.jaar, 8, 13)
            bh.overleden = dood
            lns = []
            for b in bh.afspraken:
                # stop care a little after the death, keep a weekly line that crosses it
                b.lines[:] = [ln for ln in b.lines if ln[L_VAN] <= dood.toordinal() + 12]
                for ln in b.lines:
                    if ln[L_TOT] > dood.toordinal():
                        ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
                        lns.append(ln)
            if not lns:
                b = bh.afspraken[0]
                d = dood + timedelta(days=3)
                ln = g._line(b, d, d, b.aantallen[0], tag="BUITEN-PERIODE", frozen=True)
                b.lines.append(ln)
                lns.append(ln)
            g.truth_add("BUITEN-PERIODE", bh, "zorg gedeclareerd na de overlijdensdatum", lns)
        bh.plants.append(f)
    else:  # geen_toekenning
        pr = p.free_product(bh, r.product("persoonlijke_verzorging", "uur"), r.product("overig", "uur"),
                            r.product("begeleiding_individueel", "uur"))
        zv = g.zzp(dedicated=True)
        tarief = g.line_tarief(r.price_ct(pr, False), False)
        a = g.afspraak(bh, zv, None, pr, "geen", "opdracht", tarief, "sessies", (100, 150, 200), OMS["zzp"],
                       per_week=1, start=date(g.jaar, 6, 2), end=date(g.jaar, 6, 30))
        a.zo_ingang, a.zo_einde = date(g.jaar, 6, 1), date(g.jaar, 6, 30)

        def f():
            for ln in a.lines:
                ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
                ln[L_TK] = ""
            g.truth_add("BUITEN-PERIODE", bh, "zorg zonder toekenning voor dit product", list(a.lines))
        bh.plants.append(f)
