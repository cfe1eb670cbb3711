"""Inline SVG drawings for rapport.html: bar charts and network clusters.

Every text that goes into an SVG is escaped here (`html.escape`), and the result is wrapped in
`markupsafe.Markup` so the template inserts it as is.
"""

from __future__ import annotations

import math
import re
from html import escape

from markupsafe import Markup

from auditor.formatting import eur
from auditor.reports.common import mask_text

KLEUREN = {"budgethouder": "#1f5fa8", "zorgverlener": "#c0392b", "relatie": "#2e8b57", "iban": "#8e44ad",
           "adres": "#d68910", "persoon": "#2e8b57"}
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}[A-Z0-9]{6,26})([A-Z0-9]{4})\b")


def _t(s) -> str:
    return escape("" if s is None else str(s), quote=True)


def mask_iban(text: str, toon: bool) -> str:
    return text if toon else _IBAN.sub(lambda m: m.group(1)[:4] + "*" * 6 + m.group(2), text)


def staafdiagram(rijen: list[tuple[str, int]], titel: str) -> Markup:
    """Horizontal bars (label, cents)."""
    rijen = [r for r in rijen if r[1] > 0]
    if not rijen:
        return Markup("")
    hoogste = max(v for _, v in rijen)
    h = 22 * len(rijen) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" viewBox="0 0 760 {h}" '
             f'width="760" height="{h}"><title>{_t(titel)}</title>']
    for i, (label, v) in enumerate(rijen):
        y = 10 + i * 22
        w = max(1, round(420 * v / hoogste))
        parts.append(f'<text x="170" y="{y + 14}" text-anchor="end" class="lbl">{_t(label)}</text>'
                     f'<rect x="178" y="{y + 2}" width="{w}" height="16" fill="#1f5fa8"><title>{_t(label)}: {_t(eur(v))}</title></rect>'
                     f'<text x="{184 + w}" y="{y + 14}" class="val">{_t(eur(v))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def cluster(nodes: list[dict], edges: list[tuple[str, str]], titel: str, toon: bool) -> Markup:
    """A circular layout: budgethouders on an inner ring, everything else on an outer ring.

    nodes: dicts with `id` (unique key), `type`, `label`; edges: pairs of node ids."""
    n = len(nodes)
    size = 420 if n <= 14 else 560
    c = size / 2
    marge = 170                      # room for labels left and right
    binnen = [x for x in nodes if x["type"] == "budgethouder"]
    buiten = [x for x in nodes if x["type"] != "budgethouder"]
    pos = {}
    for ring, r in ((binnen, c * 0.42 if buiten else c * 0.7), (buiten, c * 0.78)):
        for i, x in enumerate(ring):
            a = 2 * math.pi * i / max(1, len(ring)) - math.pi / 2
            pos[x["id"]] = (marge + c + r * math.cos(a), c + r * math.sin(a))
    if len(binnen) == 1 and buiten:
        pos[binnen[0]["id"]] = (marge + c, c)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="netwerk" role="img" viewBox="0 0 {size + 2 * marge} {size}" '
             f'width="{size + 2 * marge}" height="{size}"><title>{_t(titel)}</title>']
    for a_, b_ in edges:
        if a_ in pos and b_ in pos:
            (x1, y1), (x2, y2) = pos[a_], pos[b_]
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" stroke-width="1"/>')
    for x in nodes:
        px, py = pos[x["id"]]
        kleur = KLEUREN.get(x["type"], "#555")
        label = mask_iban(mask_text(str(x["label"]), toon), toon)
        anchor = "start" if px >= marge + c else "end"
        dx = 9 if px >= marge + c else -9
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="7" fill="{kleur}"><title>{_t(x["type"])}: {_t(label)}</title></circle>'
                     f'<text x="{px + dx:.1f}" y="{py + 4:.1f}" text-anchor="{anchor}" class="nlbl">{_t(label[:28])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
