"""rapport.xlsx: one sheet per subject, formatted, with every input text written as text.

Money is written as exact `Decimal` euros (from integer cents) with the format `€ #,##0.00`;
dates as dates (`dd-mm-jjjj`); every string cell gets data type `s` explicitly, so a value that
starts with `=`, `+`, `-` or `@` stays text and never becomes a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from auditor.findings import CSV_COLUMNS, FIELDS
from auditor.formatting import dec
from auditor.reports.common import mask_text
from auditor.reports.model import Model
from auditor.reports.rechtmatigheid import bladen as rechtmatigheid_bladen, samenvatting_rijen as rechtmatigheid_samenvatting
from auditor.reports.svg import mask_iban
from auditor.reports.zaakregister import sheets as zaakregister_sheets

EURO = '"€" #,##0.00;-"€" #,##0.00'
EURO_FMT = "€ #,##0.00"
DATUM = "dd-mm-yyyy"
PCT = "0.00%"
SHEETS = ["Samenvatting", "Bevindingen", "Casussen", "Zorgverleners", "Netwerken", "Opschorting",
          "Rechtmatigheid", "Budgetconfirmatie", "Uitnutting", "Aansluiting", "Quarantaine", "Verantwoording"]


@dataclass(frozen=True)
class Pct:
    v: Decimal | None


class Sheet:
    def __init__(self, wb: Workbook, name: str, headers: list[str], rows: list[list], widths: list[int] | None = None):
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        ncol = len(headers)
        sample = rows[:300]
        for i, h in enumerate(headers):
            w = len(h) + 2
            for r in sample:
                v = r[i] if i < len(r) else None
                w = max(w, min(60, _len(v) + 2))
            ws.column_dimensions[get_column_letter(i + 1)].width = (widths[i] if widths else w)
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDE6F0")
        head = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.data_type = "s"
            c.font = bold
            c.fill = fill
            c.alignment = Alignment(vertical="top")
            head.append(c)
        ws.append(head)
        for r in rows:
            ws.append([_cell(ws, v) for v in r])
        last = max(1, len(rows) + 1)
        ws.auto_filter.ref = f"A1:{get_column_letter(ncol)}{last}"


def _len(v) -> int:
    if v is None:
        return 0
    if isinstance(v, Decimal):
        return len(f"{v:,.2f}") + 2
    if isinstance(v, date):
        return 10
    if isinstance(v, Pct):
        return 8
    return len(str(v))


def _cell(ws, v):
    if isinstance(v, Pct):
        c = WriteOnlyCell(ws, value=v.v)
        c.number_format = PCT
        return c
    if isinstance(v, Decimal):
        c = WriteOnlyCell(ws, value=v)
        c.number_format = EURO_FMT
        return c
    if isinstance(v, bool):
        c = WriteOnlyCell(ws, value="ja" if v else "nee")
        c.data_type = "s"
        return c
    if isinstance(v, int):
        c = WriteOnlyCell(ws, value=v)
        c.number_format = "0"
        return c
    if isinstance(v, date):
        c = WriteOnlyCell(ws, value=v)
        c.number_format = DATUM
        return c
    if v is None:
        return WriteOnlyCell(ws, value=None)
    s = ILLEGAL_CHARACTERS_RE.sub("", str(v))[:32_000]
    c = WriteOnlyCell(ws, value=s)
    c.data_type = "s"          # text, never a formula, whatever it starts with
    return c


def build(m: Model) -> bytes:
    a = m.a
    toon = a.toon_bsn
    wb = Workbook(write_only=True)
    aan = m.aansluiting
    f = m.findings

    samen = [
        ["Peildatum", a.peildatum, ""],
        ["Eerste dag van de declaraties", m.periode[0], ""],
        ["Laatste dag van de declaraties", m.periode[1], ""],
        ["Batch", m.run["batch"], ""],
        ["pgb-audit versie", m.run["version"], ""],
        ["Gemeenten", ", ".join(g for g in m.gemeenten["gemeente_code"].to_list() if g), ""],
        *[["Regeling " + x.id, x.naam, "sha256 " + x.sha256] for x in m.regelingen],
        ["Declaratieregels gecontroleerd", m.lines.height, ""],
        ["Gedeclareerd", dec(m.bedragen["gedeclareerd_ct"]), "som van bedrag van de gecontroleerde declaratieregels"],
        ["Betaald", dec(m.bedragen["betaald_ct"]), "som van de gecontroleerde betalingen"],
        ["Toegekend", dec(m.bedragen["toegekend_ct"]), "som van budget van de gecontroleerde toekenningen"],
        ["Rijen in quarantaine", m.quarantaine.height, "zie het blad Quarantaine"],
        ["Bevindingen", f.height, ""],
        ["Financieel effect (som)", dec(int(f["financieel_effect_ct"].fill_null(0).sum())), "som van alle bevindingen"],
        ["Voorstellen tot opschorting", len(m.opschorting.voorstellen), "zie het blad Opschorting en de map brieven/"],
        *rechtmatigheid_samenvatting(m),
        *[[f"Controle {x['check']} ({x['titel']})", dec(x["effect_ct"]),
           f"{x['bevindingen']} bevindingen, {x['niet_toetsbaar']} niet toetsbaar"] for x in m.per_check.iter_rows(named=True)],
    ]
    Sheet(wb, "Samenvatting", ["Onderwerp", "Waarde", "Toelichting"], samen, widths=[44, 36, 70])

    # the columns of findings.csv (auditor.findings), money as numbers
    Sheet(wb, "Bevindingen", CSV_COLUMNS,
          [[_cel(c, x[c]) for c in PUBLISHED] for x in f.iter_rows(named=True)])

    Sheet(wb, "Casussen", ["rang", "budgethouder_id", "naam", "gemeente_code", "financieel_effect", "bevindingen",
                           "zorgverleners", "checks", "voorstel_opschorting"],
          [[x["rang"], x["budgethouder_id"], x["naam"], x["gemeente_code"], dec(x["effect_ct"]), x["bevindingen"],
            x["zorgverleners"], x["checks"], x["voorstel"]] for x in m.casussen.iter_rows(named=True)])

    Sheet(wb, "Zorgverleners", ["rang", "zorgverlener_id", "naam", "soort", "financieel_effect", "bevindingen",
                                "budgethouders_met_bevinding", "budgethouders", "gedeclareerd", "checks"],
          [[x["rang"], x["zorgverlener_id"], x["naam"], x["soort"], dec(x["effect_ct"]), x["bevindingen"],
            x["budgethouders_met_bevinding"], x["budgethouders"], dec(x["gedeclareerd_ct"]), x["checks"]]
           for x in m.zorgverleners.iter_rows(named=True)])

    c = m.clusters if m.clusters is not None else pl.DataFrame(
        schema={"cluster_id": pl.String, "node_type": pl.String, "node_id": pl.String, "label": pl.String})
    Sheet(wb, "Netwerken", ["cluster_id", "node_type", "node_id", "label"],
          [[x["cluster_id"], x["node_type"], mask_iban(mask_text(x["node_id"], toon), toon),
            mask_iban(mask_text(x["label"], toon), toon)] for x in c.iter_rows(named=True)])

    Sheet(wb, "Opschorting", ["budgethouder_id", "zorgverlener_id", "omvang", "ingangsdatum", "einddatum", "weken",
                              "checks", "financieel_effect", "grondslag"],
          [[v.budgethouder_id, v.zorgverlener_id, v.omvang, v.ingangsdatum, v.einddatum, v.weken, ";".join(v.checks),
            dec(v.financieel_effect_ct), v.grondslag] for v in m.opschorting.voorstellen])

    rechtmatigheid_bladen(m, lambda *x, **k: Sheet(wb, *x, **k), Pct)

    an = [[x["gemeente_code"], x["wet"], x["categorie"], dec(x["toegekend_ct"]), dec(x["gedeclareerd_ct"]),
           dec(x["betaald_ct"]), dec(x["toegekend_ct"] - x["gedeclareerd_ct"]), dec(x["gedeclareerd_ct"] - x["betaald_ct"])]
          for x in aan.tabel.iter_rows(named=True)]
    an += [["Totaal", "", "", dec(aan.toegekend_ct), dec(aan.gedeclareerd_ct), dec(aan.betaald_ct),
            dec(aan.toegekend_ct - aan.gedeclareerd_ct), dec(aan.gedeclareerd_ct - aan.betaald_ct)],
           ["Invoer", "", "", dec(aan.invoer["toegekend_ct"]), dec(aan.invoer["gedeclareerd_ct"]),
            dec(aan.invoer["betaald_ct"]), None, None]]
    Sheet(wb, "Aansluiting", ["gemeente_code", "wet", "categorie", "toegekend", "gedeclareerd", "betaald",
                              "toegekend_min_gedeclareerd", "gedeclareerd_min_betaald"], an)

    q = m.quarantaine
    Sheet(wb, "Quarantaine", ["tabel", "rij", "redenen", "inhoud"],
          [[x["tabel"], x["rij"], x["redenen"], x["inhoud"]] for x in q.iter_rows(named=True)] if q.height else [],
          widths=[16, 8, 80, 80])

    ver = [[i["table"], i["path"], i["sha256"], i["rows_read"], i["rows_audited"], i["rows_quarantined"]]
           for i in m.run["inputs"]]
    ver += [["regeling " + x["id"], x["path"], x["sha256"], None, None, None] for x in m.run["regelingen"]]
    ver += [["stap " + k, "", f"{v} s", None, None, None] for k, v in m.run.get("stages_seconds", {}).items()]
    ver += [["run", f"pgb-audit {m.run['version']}", f"gestart {m.run['started']}, klaar {m.run['ended']}, "
                                                     f"peildatum {m.run['peildatum']}", None, None, None]]
    Sheet(wb, "Verantwoording", ["tabel", "bestand", "sha256", "rows_read", "rows_audited", "rows_quarantined"], ver)
    for naam, kop, rijen in zaakregister_sheets(m):   # Zaken, Opgelost, Trend (with a werkruimte)
        Sheet(wb, naam, kop, rijen)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


#: internal columns behind CSV_COLUMNS, in order
PUBLISHED = ["finding_id"] + [name for name, _, pub in FIELDS if pub]


def _cel(col: str, v):
    if col.endswith("_ct"):
        return dec(v)
    if col == "declaratie_ids":
        return ";".join(v or [])
    return v


def write(m: Model, path: Path, writer) -> Path:
    writer(path, build(m))
    return path
