"""Planted cases of ZZP-LINK."""

from __future__ import annotations

from auditor.samples.model import BH, Persoon
from auditor.samples.people import _fmt_mobiel, _iban_spaced
from auditor.samples.plants._base import Planter, plant


@plant("ZZP-LINK", "iban")
@plant("ZZP-LINK", "adres")
@plant("ZZP-LINK", "telefoon")
def plant_zzp_link(p: Planter, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of the ZZP-LINK plants; stores a closure for the line-level part in bh.plants."""
    g = p.g
    bh = bhs[0]
    rng = g.rng


    m = bh.moeder
    zv = g.zzp(dedicated=True)
    if variant == "iban":
        zv.iban = _iban_spaced(m.iban, lower=rng.random() < 0.5)
        txt = "zzp'er wordt betaald op het IBAN van de moeder"
    elif variant == "adres":
        import re as _re
        mt = _re.match(r"^(.*?)\s+(\d+)", m.straat)
        street, num = mt.group(1), mt.group(2)
        m.straat = f"{street} {num}a"
        bh.kind.straat = m.straat
        for rol, pers, _ in bh.relaties:
            if isinstance(pers, Persoon) and pers.postcode == m.postcode:
                pers.straat = m.straat
        zv.straat = f"{street} {num} A"
        zv.postcode = m.postcode.replace(" ", "").lower() if " " in m.postcode else m.postcode[:4] + " " + m.postcode[4:]
        zv.woonplaats = m.woonplaats
        txt = "zzp'er woont op het adres van de budgethouder"
    else:
        digits = "6" + "".join(ch for ch in m.telefoon if ch.isdigit())[-8:]
        m.telefoon = _fmt_mobiel(digits, 0)
        bh.kind.telefoon = m.telefoon
        zv.telefoon = _fmt_mobiel(digits, 3)
        txt = "zzp'er heeft het telefoonnummer van de moeder"
    a = p.zzp_afspraak(bh, zv=zv)

    def f():
        g.truth_add("ZZP-LINK", bh, txt, list(a.lines))
    bh.plants.append(f)
