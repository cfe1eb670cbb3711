"""TARIEF: a declaration line paid above the pgb norm per unit.

**What it finds.** A line whose `bedrag` is more than `aantal x norm`, where the norm is the
highest tariff per unit a pgb may pay for the line's category and for who delivers the care
(`zorgverlener_soort`: professioneel or sociaal netwerk), as regeling.md "The pgb norm per
unit" computes it (`norm_ct` of the enriched lines, e.g. 85% of the ZIN tarief for a zzp'er,
100% for wonen en verblijf, the uurloon sociaal netwerk plus vakantietoeslag capped by the
gemeente's maximum for the sociaal netwerk).

**Why it matters.** The budget was granted for care at most at the norm; what is paid above
it is not spent on the care the pgb is meant for.

**Article.** The regeling's `[artikelen].TARIEF` (Losser: art. 7.4 lid 2 t/m 5; De Ronde
Venen: art. 4.3 Nadere regels).

**financieel_effect.** `max(0, bedrag - aantal x norm)`, in cents. `aantal x norm` is the
allowed amount and is itself rounded to the cent (half away from zero, `money.qty_x_price`)
before it is subtracted, so the toelichting's "ten hoogste" amount and the effect add up.

**Lines TARIEF leaves to another check (not counted twice, not "niet toetsbaar").**
- Kilometre claims (`km_enkele_reis` filled) by the sociaal netwerk are judged by `KM`,
  whose rule is per km rather than per unit. A km claim by a professional is not the km
  allowance (De Ronde Venen art. 6.2 onder 3 is for "de ouders of iemand uit het sociaal
  netwerk"): TARIEF judges it against its product norm like any line, niet toetsbaar where
  there is none.
- Care by the sociaal netwerk in a category the regeling does not allow for the sociaal
  netwerk (not in `sn_toegestane_categorieen`) is judged by `SN-CATEGORIE`, which already
  counts the whole `bedrag`; TARIEF skips these lines so the same euros are not counted
  twice. Where the regeling has no such list, SN-CATEGORIE cannot judge the line and TARIEF
  judges it against its norm as usual.

**Niet toetsbaar.** Every other line without a norm (`norm_ct` null): no regeling for the
gemeente and date, product not in `[zin_tarieven]`, a unit that differs from the ZIN
tariff's unit, a percentage or sociaal-netwerk amount missing from the regeling (De Ronde
Venen 2026 has no percentages, so its professional lines are niet toetsbaar); the reason is
`norm_reden`.

Fires: Losser 2025, a zzp'er declares 2 uur 45A48 for 120,00: norm 0,85 x 68,40 = 58,14,
allowed 116,28, effect 3,72.
Does not fire: the same line for 116,28 (exactly the norm), a km claim by the sociaal netwerk, a line below
the norm.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings
from checks._norm import (aantal_met_eenheid, boven_norm, eenheid_enkelvoud, norm_uitleg_kort,
                          sn_niet_toegestaan, voorbeeld_kolom, voorbeeld_tekst, wie_tekst)

CODE = "TARIEF"

#: unit -> (singular, plural) for toelichtingen
@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A line paid above `aantal x norm`: the pgb norm per unit for its category and who delivers."""
    lines = sn_niet_toegestaan(ctx.lines.filter(pl.col("km_enkele_reis_e4").is_null()
                                                | (pl.col("zorgverlener_soort") != "sociaal_netwerk")), ctx.params)
    lines = lines.filter(~pl.col("_sn_verboden"))

    judged, nt = boven_norm(lines, sleutel="declaratie_id", aantal="aantal_e4", bedrag="bedrag_ct")

    per_eenheid = pl.when(pl.col("aantal_e4") > 0).then(pl.concat_str([
        pl.lit(" ("), formatting.fmt_nl(money.div_round(pl.col("bedrag_ct") * money.QTY_SCALE, pl.col("aantal_e4"))),
        pl.lit(" euro per "), eenheid_enkelvoud(), pl.lit(")")])).otherwise(pl.lit(""))
    uitleg = pl.when(pl.col("norm_uitleg").is_not_null()).then(
        pl.concat_str([pl.lit(" ("), norm_uitleg_kort(), pl.lit(")")])).otherwise(pl.lit(""))
    toelichting = pl.concat_str([
        pl.lit("Gedeclareerd "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro voor "), aantal_met_eenheid(), per_eenheid,
        pl.lit("; de pgb-norm voor "), wie_tekst(), pl.lit(" is "), formatting.fmt_nl("norm_ct"), pl.lit(" euro per "),
        eenheid_enkelvoud(), uitleg, pl.lit(", dus mocht ten hoogste "), formatting.fmt_nl("_toegestaan_ct"),
        pl.lit(" euro gedeclareerd worden en is "), formatting.fmt_nl("_effect_ct"), pl.lit(" euro te veel gedeclareerd."),
        voorbeeld_tekst(),
    ])
    findings = line_findings(
        judged, pl.col("_effect_ct"),
        toelichting.alias("toelichting"), voorbeeld_kolom(),
        pl.concat_str([pl.lit("norm_ct="), pl.col("norm_ct").cast(pl.String), pl.lit(";soort="),
                       pl.col("zorgverlener_soort"), pl.lit(";categorie="), pl.col("categorie")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
