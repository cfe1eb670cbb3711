"""Build the bundled letter templates from one wording: run `python templates/maak_briefsjablonen.py`.

Each letter kind (`verzoek_svb`, `kennisgeving`) is written as a list of blocks below, with jinja2
tags in its text. From the same blocks this script writes

* `brief_<kind>.html.j2`: the HTML (print, A4) template, rendered with jinja2 (autoescape on);
* `brief_<kind>.docx`: the Word template with the same tags, rendered with docxtpl; a gemeente
  opens it in Word, puts its letterhead and wording in it and passes its folder with
  `--briefsjabloon DIR`.

So the bundled .html and .docx letters hold the same sentences (tests/test_brieven.py checks
it). The generated files are committed; re-run this script after changing a sentence here.
Developer tool: not imported by the auditor.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HIER = Path(__file__).resolve().parent

# block kinds: ("p", text[, if-condition]), ("h1"/"h2", text), ("concept", text), ("kop", [lines]),
# ("lijst", loop, text), ("tabel", loop, [(header, cell, align)], totaal-row or None)
ONDERTEKENING = [
    ("p", "Met vriendelijke groet,"),
    ("p", "het college van burgemeester en wethouders van {{ gemeente }},"),
    ("p", "namens dezen,"),
    ("p", "........................................"),
    ("p", "(naam en functie)"),
]
CONCEPT = ("concept", "CONCEPT, opgesteld met pgb-audit: een medewerker van de gemeente beoordeelt dit voorstel "
                      "en beslist of de brief wordt verstuurd.")
BIJLAGE = [
    ("h2", "Bijlage: de bevindingen afzonderlijk"),
    ("tabel", "b in bijlage", [("Periode", "{{ b.periode }}", "l", 12), ("Bevinding", "{{ b.bevinding }}", "l", 17),
                               ("Zorgverlener en toelichting", "{{ b.toelichting }}", "l", 60),
                               ("Bedrag", "{{ b.bedrag }}", "r", 11)],
     ("Totaal", "{{ totaal }}")),
]

VERZOEK_SVB = [
    CONCEPT,
    ("kop", ["Sociale Verzekeringsbank", "Afdeling pgb"]),
    ("kop", ["Datum: {{ datum }}",
             "Betreft: verzoek tot opschorting van betalingen uit een persoonsgebonden budget jeugdhulp",
             "Klantnummer SVB: {{ klantnummer }}"]),
    ("p", "Budgethouder: {{ bh_naam }}", "bh_naam"),
    ("p", "BSN: {{ bsn }}", "bsn"),
    ("h1", "Verzoek tot opschorting van betalingen"),
    ("p", "Geachte heer, mevrouw,"),
    ("p", "Het college van burgemeester en wethouders van {{ gemeente }} verzoekt de Sociale Verzekeringsbank "
          "de betalingen uit het persoonsgebonden budget jeugdhulp met klantnummer {{ klantnummer }} op te "
          "schorten. Het verzoek betreft {{ omvang_svb }}."),
    ("p", "Wij verzoeken u de betalingen op te schorten van {{ van }} tot en met {{ tot }}: {{ weken }} weken, "
          "gerekend vanaf de dag waarop het college de jeugdige of zijn ouders schriftelijk over het vermoeden "
          "heeft ingelicht. De jeugdige of zijn ouders ontvangen daarover een brief met dezelfde datum als deze "
          "brief. {{ termijn_zin }}"),
    ("h2", "Waarom wij dit vragen"),
    ("p", "Bij een controle van de declaraties tot en met {{ peildatum }} heeft het college het volgende "
          "gevonden. Daardoor bestaat een gegrond vermoeden dat niet of onvoldoende wordt voldaan aan de "
          "verplichtingen die voortvloeien uit artikel 8.1.4, eerste lid, van de Jeugdwet: het vermoeden "
          "dat"),
    ("lijst", "g in gronden", "{{ g.letter }}. {{ g.wet }}"),
    ("tabel", "s in samenvatting", [("Bevinding", "{{ s.bevinding }}", "l", 36), ("Aantal", "{{ s.aantal }}", "r", 9),
                                    ("Periode", "{{ s.periode }}", "l", 22),
                                    ("Artikel 8.1.4 lid 1 Jeugdwet", "onder {{ s.grond }}", "l", 18),
                                    ("Bedrag", "{{ s.bedrag }}", "r", 15)],
     ("Totaal", "{{ totaal }}")),
    ("p", "Elke bevinding staat afzonderlijk in de bijlage."),
    ("h2", "Grondslag"),
    ("p", "Dit verzoek steunt op {{ opschorting_artikel }}. De Sociale Verzekeringsbank kan de betaling op "
          "verzoek van het college opschorten op grond van artikel 8b, vierde lid, onder f, van de Regeling "
          "Jeugdwet."),
    ("h2", "Onderzoek"),
    ("p", "Tijdens de opschorting onderzoekt {{ onderzoeker }} of het vermoeden juist is{{ onderzoek_bron }}. "
          "De jeugdige of zijn ouders en de betrokken zorgverlener krijgen de gelegenheid hun kant toe te "
          "lichten. Het college laat u voor {{ tot }} weten of de opschorting eindigt. Blijkt het vermoeden "
          "eerder ongegrond, dan vraagt het college u de betalingen direct te hervatten."),
    *ONDERTEKENING,
    *BIJLAGE,
]

KENNISGEVING = [
    CONCEPT,
    ("kop", ["Aan de jeugdige of zijn ouders, budgethouder van het pgb jeugdhulp"]),
    ("p", "{{ bh_naam }}", "bh_naam"),
    ("kop", ["Datum: {{ datum }}",
             "Betreft: betalingen uit uw pgb tijdelijk stopgezet",
             "Klantnummer SVB: {{ klantnummer }}"]),
    ("h1", "Wij hebben de SVB gevraagd betalingen uit uw pgb tijdelijk stop te zetten"),
    ("p", "Beste heer, mevrouw,"),
    ("p", "U hebt een persoonsgebonden budget (pgb) voor jeugdhulp. Wij hebben de declaraties van uw pgb "
          "gecontroleerd tot en met {{ peildatum }}. Daarbij hebben wij dingen gevonden die wij moeten "
          "onderzoeken. Daardoor hebben wij een gegrond vermoeden dat niet of niet genoeg wordt voldaan aan "
          "de regels voor het pgb (artikel 8.1.4, eerste lid, van de Jeugdwet). Het gaat om het vermoeden dat"),
    ("lijst", "g in gronden", "{{ g.gewoon }}"),
    ("h2", "Wat wij hebben gevonden"),
    ("tabel", "s in samenvatting", [("Bevinding", "{{ s.bevinding }}", "l", 46), ("Aantal", "{{ s.aantal }}", "r", 10),
                                    ("Periode", "{{ s.periode }}", "l", 26), ("Bedrag", "{{ s.bedrag }}", "r", 18)],
     ("Totaal", "{{ totaal }}")),
    ("p", "In de bijlage staat elke bevinding afzonderlijk."),
    ("h2", "Wat betekent dit voor u?"),
    ("p", "Wij hebben de Sociale Verzekeringsbank (SVB) gevraagd {{ omvang_u }} tijdelijk niet te betalen. "
          "Dat heet opschorten. De SVB doet dit op verzoek van het college. De opschorting gaat in op "
          "{{ van }}, de datum van deze brief, en duurt ten hoogste {{ weken }} weken: tot en met {{ tot }}."),
    ("h2", "Wat gebeurt er nu?"),
    ("p", "Tijdens de opschorting onderzoeken wij of ons vermoeden klopt{{ onderzoek_bron }}. Wij kunnen u "
          "daarvoor om gegevens of een gesprek vragen. Blijkt het vermoeden niet juist, dan vragen wij de SVB "
          "de betalingen meteen te hervatten."),
    ("h2", "Wilt u reageren?"),
    ("p", "Dat kan. Neem contact met ons op; onze gegevens staan bovenaan deze brief. Noem daarbij uw "
          "klantnummer {{ klantnummer }}. U kunt ook stukken sturen, bijvoorbeeld bewijs dat de zorg is "
          "geleverd of dat de kosten kloppen. Wij nemen uw reactie mee in het onderzoek."),
    ("h2", "Dit is geen besluit over uw pgb"),
    ("p", "Met deze brief verandert uw pgb niet: het is niet herzien en niet ingetrokken. Pas na het onderzoek "
          "beslist het college of er iets verandert. Krijgt u dan een besluit over uw pgb, dan staat daarin "
          "hoe u bezwaar kunt maken."),
    *ONDERTEKENING,
    *BIJLAGE,
]

KINDS = {"verzoek_svb": (VERZOEK_SVB, "Verzoek tot opschorting van betalingen"),
         "kennisgeving": (KENNISGEVING, "Betalingen uit uw pgb tijdelijk stopgezet")}

CSS = """@page { size: A4; margin: 20mm 20mm 20mm 25mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111;
       max-width: 165mm; margin: 0 auto; }
p { margin: 0 0 6pt; }
.concept { border: 1.5pt solid #b00; color: #b00; padding: 3pt 6pt; font-weight: bold; font-size: 9pt; }
.kop { margin: 10pt 0; }
h1 { font-size: 13pt; margin: 12pt 0 8pt; }
h2 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
ul { margin: 0 0 6pt; padding-left: 16pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; line-height: 1.2; margin: 4pt 0 8pt;
        table-layout: fixed; }
th, td { border: 0.75pt solid #999; padding: 1.5pt 3pt; text-align: left; vertical-align: top; }
tfoot { display: table-row-group; }
.r { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
@media print { .concept { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _html(blocks: list, titel: str) -> str:
    out = ["<!DOCTYPE html>", '<html lang="nl">', "<head>", '<meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
           f"<title>{html.escape(titel)}, klantnummer {{{{ klantnummer }}}}</title>", "<style>", CSS.rstrip(),
           "</style>", "</head>", "<body>"]
    for b in blocks:
        kind = b[0]
        if kind == "concept":
            out.append(f'<p class="concept">{b[1]}</p>')
        elif kind == "kop":
            out.append('<div class="kop">' + "".join(f"<p>{x}</p>" for x in b[1]) + "</div>")
        elif kind in ("h1", "h2"):
            out.append(f"<{kind}>{b[1]}</{kind}>")
        elif kind == "p":
            p = f"<p>{b[1]}</p>"
            out.append(f"{{% if {b[2]} %}}{p}{{% endif %}}" if len(b) > 2 else p)
        elif kind == "lijst":
            out.append(f"<ul>{{% for {b[1]} %}}<li>{b[2]}</li>{{% endfor %}}</ul>")
        elif kind == "tabel":
            _, loop, cols, totaal = b
            cls = lambda a: ' class="r"' if a == "r" else ""  # noqa: E731
            out.append("<table><colgroup>" + "".join(f'<col style="width:{w}%">' for *_, w in cols) + "</colgroup>")
            out.append("<thead><tr>" + "".join(f"<th{cls(a)}>{h}</th>" for h, _, a, _w in cols) + "</tr></thead>")
            out.append(f"<tbody>{{% for {loop} %}}<tr>" + "".join(f"<td{cls(a)}>{c}</td>" for _, c, a, _w in cols)
                       + "</tr>{% endfor %}</tbody>")
            if totaal:
                out.append(f'<tfoot><tr><th colspan="{len(cols) - 1}">{totaal[0]}</th>'
                           f'<th class="r">{totaal[1]}</th></tr></tfoot>')
            out.append("</table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _repeat_header(row) -> None:
    """The header row repeats on every page (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell(cell, text: str, align: str, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    r = p.add_run(text)
    r.font.size = Pt(7.5)
    r.bold = bold
    if align == "r":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx(blocks: list, path: Path) -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = sec.right_margin = Mm(20)
    sec.left_margin = Mm(25)
    st = doc.styles["Normal"]
    st.font.name, st.font.size = "Arial", Pt(10.5)
    st.paragraph_format.space_after = Pt(6)
    for b in blocks:
        kind = b[0]
        if kind == "concept":
            r = doc.add_paragraph().add_run(b[1])
            r.bold = True
        elif kind == "kop":
            for x in b[1]:
                doc.add_paragraph(x).paragraph_format.space_after = Pt(0)
            doc.add_paragraph().paragraph_format.space_after = Pt(0)
        elif kind in ("h1", "h2"):
            doc.add_heading(b[1], level=1 if kind == "h1" else 2)
        elif kind == "p":
            if len(b) > 2:
                doc.add_paragraph(f"{{%p if {b[2]} %}}")
            doc.add_paragraph(b[1])
            if len(b) > 2:
                doc.add_paragraph("{%p endif %}")
        elif kind == "lijst":
            doc.add_paragraph(f"{{%p for {b[1]} %}}")
            doc.add_paragraph(b[2], style="List Bullet")
            doc.add_paragraph("{%p endfor %}")
        elif kind == "tabel":
            _, loop, cols, totaal = b
            t = doc.add_table(rows=4 + (1 if totaal else 0), cols=len(cols))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            t.autofit = False
            for i, (h, c, a, w) in enumerate(cols):
                t.columns[i].width = Mm(165 * w / 100)   # w:gridCol, which LibreOffice and Word follow
                for row in t.rows:
                    row.cells[i].width = Mm(165 * w / 100)
                _cell(t.rows[0].cells[i], h, a, bold=True)
                _cell(t.rows[2].cells[i], c, a)
            _repeat_header(t.rows[0])
            _cell(t.rows[1].cells[0], f"{{%tr for {loop} %}}", "l")
            _cell(t.rows[3].cells[0], "{%tr endfor %}", "l")
            if totaal:
                row = t.rows[4]
                first = row.cells[0].merge(row.cells[len(cols) - 2])
                _cell(first, totaal[0], "l", bold=True)
                _cell(row.cells[len(cols) - 1], totaal[1], "r", bold=True)
            doc.add_paragraph()
    doc.core_properties.author = "pgb-audit"
    doc.core_properties.title = path.stem
    doc.save(str(path))


def main(doel: Path = HIER) -> None:
    for kind, (blocks, titel) in KINDS.items():
        (doel / f"brief_{kind}.html.j2").write_text(_html(blocks, titel), encoding="utf-8")
        _docx(blocks, doel / f"brief_{kind}.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HIER)
