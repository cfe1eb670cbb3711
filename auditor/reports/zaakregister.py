"""The case register in the reports (issue 18): the Zaken, Opgelost and Trend sheets of
rapport.xlsx and the zaken/trend section of rapport.html (templates/_zaken.html.j2).

Self-contained: `xlsx.plan` calls `sheets(m)` and `html.context` calls `html_context(m)`, each
once. The Zaken sheet is the one `pgb-audit zaak importeer` reads back: its columns `Oordeel`,
`Notitie` and `Door` are left empty to be filled in Excel (the latest judgement is shown beside
them). The name of whoever judged (Door) is not repeated in the reports.
"""

from __future__ import annotations

from html import escape

import polars as pl
from markupsafe import Markup

from auditor.formatting import dec, eur, nl_datum
from auditor.registry import check_rank
from auditor.reports.model import Model
from auditor.zaken import GEWIJZIGD_NA_BEOORDELING

ZAKEN_SHEET = "Zaken"
#: the Zaken sheet; `zaak importeer` reads Zaak (zaak_id in workbooks of before) and the last three
ZAKEN_KOLOMMEN = ["Zaak", "Controle", "Budgethouder", "Zorgverlener", "Toekenning", "Jaar", "Status",
                  "Bevindingen", "Financieel effect", "Periode van", "Periode tot", "Laatste oordeel",
                  "Laatste notitie", "Beoordeeld op", "Gewijzigd na beoordeling", "Oordeel", "Notitie", "Door"]
KLEUREN = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#d35400", "#2c3e50",
           "#b7950b", "#1abc9c", "#e74c3c"]


def _zaken(m: Model) -> pl.DataFrame | None:
    w = m.a.werkruimte
    if w is None:
        return None
    z = w.zaken
    return z.sort(pl.col("check").map_elements(check_rank, return_dtype=pl.Int64), "budgethouder_id", "zaak_id",
                  nulls_last=True) if z.height else z


def _opgelost_zaken(m: Model) -> pl.DataFrame:
    o = m.a.werkruimte.opgelost
    return (o.group_by("zaak_id").agg(pl.col("check").first(), pl.col("budgethouder_id").first(),
                                      pl.col("zorgverlener_id").first(), pl.col("toekenning_id").first(),
                                      pl.len().alias("bevindingen"), pl.col("financieel_effect_ct").fill_null(0).sum(),
                                      pl.col("periode_van").min(), pl.col("periode_tot").max(),
                                      pl.col("laatst_gezien_run").max(), pl.col("laatst_gezien_peildatum").max())
            .sort("check", "budgethouder_id", "zaak_id"))


def sheets(m: Model) -> list[tuple[str, list[str], list[list]]]:
    """(name, headers, rows) of the Zaken, Opgelost and Trend sheets; none without a werkruimte."""
    z = _zaken(m)
    if z is None:
        return []
    zaken = [[r["zaak_id"], r["check"], r["budgethouder_id"], r["zorgverlener_id"], r["toekenning_id"], r["jaar"],
              r["status"], r["bevindingen"], dec(r["financieel_effect_ct"]), r["periode_van"], r["periode_tot"],
              r["oordeel"], r["notitie"], (r["tijd"] or "")[:10] or None,
              GEWIJZIGD_NA_BEOORDELING if r["gewijzigd_na_beoordeling"] else None, None, None, None]
             for r in z.iter_rows(named=True)]
    opg = [[r["zaak_id"], r["check"], r["budgethouder_id"], r["zorgverlener_id"], r["toekenning_id"],
            r["bevindingen"], dec(r["financieel_effect_ct"]), r["periode_van"], r["periode_tot"],
            r["laatst_gezien_run"], r["laatst_gezien_peildatum"]] for r in _opgelost_zaken(m).iter_rows(named=True)]
    t = m.a.werkruimte.trends
    trend = [[r["run_id"], r["peildatum"], r["check"], r["bevindingen"], r["zaken"], dec(r["financieel_effect_ct"])]
             for r in t.iter_rows(named=True)]
    return [(ZAKEN_SHEET, ZAKEN_KOLOMMEN, zaken),
            ("Opgelost", ["Zaak", "Controle", "Budgethouder", "Zorgverlener", "Toekenning", "Bevindingen",
                          "Financieel effect", "Periode van", "Periode tot", "Laatst gezien in run",
                          "Laatst gezien peildatum"], opg),
            ("Trend", ["Run", "Peildatum", "Controle", "Bevindingen", "Zaken", "Financieel effect"], trend)]


def trend_svg(t: pl.DataFrame) -> Markup:
    """Euros per check per run as lines (one colour per check), inline SVG; every text escaped."""
    if t.height == 0:
        return Markup("")
    runs = sorted(set(t["run_id"].to_list()))
    checks = sorted(set(t["check"].to_list()), key=lambda c: (check_rank(c), c))
    top = max(1, int(t["financieel_effect_ct"].max()))
    w, h, left, bottom = 760, 260, 90, 40
    step = (w - left - 20) / max(1, len(runs) - 1)

    def x(i: int) -> float:
        return left + (i * step if len(runs) > 1 else (w - left - 20) / 2)

    def y(v: int) -> float:
        return 20 + (h - 20 - bottom) * (1 - v / top)

    legend_h = 18 * len(checks)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" viewBox="0 0 {w} {h + legend_h}" '
             f'width="{w}" height="{h + legend_h}"><title>Financieel effect per controle per run</title>',
             f'<line x1="{left}" y1="{h - bottom}" x2="{w - 20}" y2="{h - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="24" text-anchor="end" font-size="11">{escape(eur(top))}</text>',
             f'<text x="{left - 6}" y="{h - bottom}" text-anchor="end" font-size="11">{escape(eur(0))}</text>']
    pd = dict(t.select("run_id", "peildatum").unique().iter_rows())
    for i, r in enumerate(runs):
        parts.append(f'<text x="{x(i):.1f}" y="{h - bottom + 16}" text-anchor="middle" font-size="11">'
                     f'run {r} ({escape(nl_datum(pd.get(r)))})</text>')
    for k, c in enumerate(checks):
        kleur = KLEUREN[k % len(KLEUREN)]
        per = dict(t.filter(pl.col("check") == c).select("run_id", "financieel_effect_ct").iter_rows())
        pts = " ".join(f"{x(i):.1f},{y(int(per.get(r, 0))):.1f}" for i, r in enumerate(runs))
        parts.append(f'<polyline fill="none" stroke="{kleur}" stroke-width="2" points="{pts}"/>')
        parts.append(f'<rect x="{left}" y="{h + 18 * k + 2}" width="12" height="12" fill="{kleur}"/>'
                     f'<text x="{left + 18}" y="{h + 18 * k + 12}" font-size="12">{escape(c)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def html_context(m: Model) -> dict | None:
    """What templates/_zaken.html.j2 shows: zaken per status and judgement, the trend chart and table."""
    z = _zaken(m)
    if z is None:
        return None
    telling = (z.group_by("status", pl.col("oordeel").fill_null("geen oordeel"))
               .agg(pl.len().alias("n"), pl.col("financieel_effect_ct").sum().alias("e")).sort("status", "oordeel"))
    t = m.a.werkruimte.trends
    return {
        "telling": [{"status": s, "oordeel": o, "n": n, "e": eur(e)} for s, o, n, e in telling.iter_rows()],
        "zaken": [{"zaak_id": r["zaak_id"], "check": r["check"], "bh": r["budgethouder_id"],
                   "zv": r["zorgverlener_id"] or "", "tk": r["toekenning_id"] or "", "status": r["status"],
                   "n": r["bevindingen"], "e": eur(r["financieel_effect_ct"]), "oordeel": r["oordeel"] or "",
                   "vlag": GEWIJZIGD_NA_BEOORDELING if r["gewijzigd_na_beoordeling"] else ""}
                  for r in z.head(2000).iter_rows(named=True)],
        "meer": max(0, z.height - 2000),
        "opgelost": _opgelost_zaken(m).height,
        "trend_svg": trend_svg(t),
        "trend": [{"run": r["run_id"], "peildatum": nl_datum(r["peildatum"]), "check": r["check"],
                   "n": r["bevindingen"], "zaken": r["zaken"], "e": eur(r["financieel_effect_ct"])}
                  for r in t.iter_rows(named=True)],
    }
