"""SN-CATEGORIE: care by the sociaal netwerk in a category the regeling does not allow for it.

**What it finds.** A declaration line delivered by the sociaal netwerk (`zorgverlener_soort`
of the enriched line is `sociaal_netwerk`: the zorgverlener's soort is `sociaal_netwerk` or
`overig_niet_professioneel`, or the zorgovereenkomst names the zorgverlener as `ouder`,
`familie`, `huisgenoot` or `bekende`) whose `categorie` is not in the regeling's
`[sociaal_netwerk].toegestane_categorieen` (e.g. behandeling or crisis in Losser 2025;
anything but begeleiding, persoonlijke verzorging and kortdurend verblijf in De Ronde
Venen 2026).

**Why it matters.** Such care may only be bought from a qualified professional; paid to
the sociaal netwerk it is not spent on care the pgb allows.

**Article.** The regeling's `[artikelen].SN-CATEGORIE` (Losser: art. 7.3 lid 3; De Ronde
Venen: art. 4.3 Nadere regels).

**financieel_effect.** The whole `bedrag` of the line. `TARIEF` skips these lines, so the
euros are not counted twice.

**Transport.** Where the regeling has `[vervoer]` rules (a km tariff), transport (categorie
`vervoer`) is governed by them and not judged here: De Ronde Venen art. 6 sets its own
forms of transport, among them "een vergoeding voor openbaar vervoer met begeleiding"
(art. 6.2 onder 2) and the km allowance when "de ouders of iemand uit het sociaal netwerk de
jeugdige zelf vervoeren" (onder 3), so a mother accompanying her child on the OV is no fout.
Art. 4.3's list is about the care itself. Without `[vervoer]` (Losser 2025) the categories
apply to transport as to any care.

**Scope decisions.** Kilometre claims (`km_enkele_reis` filled) are left to `KM`: the km
allowance is its own rule for travel (typically by the parents), judged per km, and
counting the claim here as well would count its euros twice.

**Niet toetsbaar.** Sociaal-netwerk lines without a regeling, or whose regeling has no
`toegestane_categorieen`.

Fires: Losser 2025, an aunt declares 2 uur 45A10 behandeling individueel for 60,00:
effect 60,00.
Does not fire: the aunt declaring begeleiding individueel; a professional declaring
behandeling; in De Ronde Venen, a mother accompanying her child on the OV.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings
from checks._norm import categorie_tekst, sn_niet_toegestaan

CODE = "SN-CATEGORIE"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """Care by the sociaal netwerk in a category not in the regeling's toegestane_categorieen."""
    lines = sn_niet_toegestaan(
        ctx.lines.filter((pl.col("zorgverlener_soort") == "sociaal_netwerk") & pl.col("km_enkele_reis_e4").is_null()),
        ctx.params)

    nt = lines.filter(pl.col("regeling_id").is_null() | pl.col("_sn_toegestaan").is_null()).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null()).then(pl.lit("geen regeling voor deze gemeente en datum"))
        .otherwise(pl.lit("de regeling noemt geen toegestane categorieën voor het sociaal netwerk"))
        .alias("reden"))

    cat = categorie_tekst("categorie")
    toegestaan = pl.col("_sn_toegestaan").list.eval(categorie_tekst(pl.element())).list.join(", ")
    findings = line_findings(
        lines.filter(pl.col("_sn_verboden")), pl.col("bedrag_ct"),
        pl.concat_str([
            pl.lit("Declaratie "), pl.col("declaratie_id"), pl.lit(" is zorg uit het sociaal netwerk in de categorie "),
            cat, pl.lit(", terwijl de regeling het sociaal netwerk alleen toestaat voor "), toegestaan,
            pl.lit(", dus de hele "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro mocht niet uit het pgb betaald worden."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("categorie="), pl.col("categorie")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
