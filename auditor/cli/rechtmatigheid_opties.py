"""The controller's options of `pgb-audit run`: --totale-lasten, --rapporteringsgrens,
--verantwoordingsgrens (a share) and the uitnutting thresholds (BADO C).

Amounts and shares accept a decimal comma or point (`1.250.000,00`, `1250000.00`, `€ 1.250.000`);
a share may also be given as a percentage (`3%`)."""

from __future__ import annotations

import click

from auditor.cli.types import parse_getal
from auditor.money import round_cents


def _bedrag(ctx, param, value):
    if value is None:
        return None
    try:
        d = parse_getal(value, duizendtallen=True)
    except ValueError:
        raise click.BadParameter(f"'{value}' is geen bedrag; geef euro's, bijvoorbeeld 1250000,00.")
    if d < 0:
        raise click.BadParameter(f"'{value}' is negatief; geef een bedrag van 0 of meer.")
    return round_cents(d)


def _aandeel(ctx, param, value):
    if value is None:
        return None
    s = value.strip()
    procent = s.endswith("%")
    try:
        d = parse_getal(s.rstrip("%"), duizendtallen=True)
    except ValueError:
        raise click.BadParameter(f"'{value}' is geen aandeel; geef bijvoorbeeld 0,03 of 3%.")
    if procent:
        d = d / 100
    if d < 0 or (param.name == "verantwoordingsgrens" and d > 1):
        raise click.BadParameter(f"'{value}' kan niet: geef een aandeel tussen 0 en 1, bijvoorbeeld 0,03 "
                                 "(of een percentage, 3%).")
    return float(d)


def rechtmatigheid_opties(fn):
    """The options, stacked on a click command (its function gets the keyword arguments)."""
    opts = [
        click.option("--totale-lasten", "totale_lasten", callback=_bedrag, default=None,
                     help="Totale lasten van de gemeente in euro's (uit de jaarrekening); nodig voor een oordeel "
                          "over de verantwoordingsgrens."),
        click.option("--rapporteringsgrens", callback=_bedrag, default=None,
                     help="Bedrag in euro's waarboven het college een fout afzonderlijk rapporteert."),
        click.option("--verantwoordingsgrens", callback=_aandeel, default="0,03", show_default=True,
                     help="Verantwoordingsgrens als aandeel van de totale lasten (0,03 of 3%; ten hoogste 3%, "
                          "vastgesteld door de raad)."),
        click.option("--onderbenutting", callback=_aandeel, default="0,5", show_default=True,
                     help="Uitnutting per cliënt: sterke onderbenutting onder dit deel van het verwachte gebruik."),
        click.option("--overbenutting", callback=_aandeel, default="1,25", show_default=True,
                     help="Uitnutting per cliënt: sterke overbenutting boven dit deel van het verwachte gebruik."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def zet(a, *, totale_lasten=None, rapporteringsgrens=None, onderbenutting=0.5, overbenutting=1.25) -> None:
    """Put the controller's values on the Audit (read by auditor.rechtmatigheid and auditor.uitnutting)."""
    a.totale_lasten_ct = totale_lasten
    a.rapporteringsgrens_ct = rapporteringsgrens
    a.uitnutting_onder = onderbenutting
    a.uitnutting_boven = overbenutting
