"""rapport.xlsx for people who live in Excel: one sheet per subject, Dutch column names, real
Excel tables (filter buttons, banded rows), wrapped text, A4 print setup with the header row
repeated on every page, money and counts as numbers, dates as dates (`dd-mm-jjjj`).

Written with xlsxwriter (column by column). Every text goes in as a string: the workbook is
opened with `strings_to_formulas`, `strings_to_numbers` and `strings_to_urls` off, so a value
that starts with `=`, `+`, `-` or `@` stays text and never becomes a formula. (xlsxwriter's
constant_memory mode would save memory but does not allow Excel tables, so it is not used.)

Sheets of other reports (issues 16, 18) register in `EXTRA_BLADEN`: a function
`(Werkboek, Model) -> None` that calls `Werkboek.blad(...)`; they come before Verantwoording.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import xlsxwriter

from auditor.audit import meldingen
from auditor.formatting import pct
from auditor.reports.common import mask_text
from auditor.reports.model import Model
from auditor.reports.svg import mask_iban

EURO_FMT = '"€" #,##0.00;-"€" #,##0.00'
DATUM = "dd-mm-yyyy"
PCT = "0.00%"
SHEETS = ["Samenvatting", "Bevindingen", "Casussen", "Zorgverleners", "Netwerken", "Opschorting",
          "Rechtmatigheid", "Aansluiting", "Quarantaine", "Verantwoording"]
MAX_TEKST = 32_000                       # Excel's cell limit is 32,767 characters
_ONGELDIG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: column types: tekst (wrapped when lang), geld (cents -> euros), getal, datum, pct (fraction), sec
Kolom = tuple[str, str, str, int]        # (Dutch header, column of the frame, type, width)


@dataclass
class Werkboek:
    wb: xlsxwriter.Workbook

    def __post_init__(self):
        wb = self.wb
        self.fmt = {
            "kop": wb.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"}),
            "tekst": wb.add_format({"valign": "top"}),
            "lang": wb.add_format({"valign": "top", "text_wrap": True}),
            "geld": wb.add_format({"num_format": EURO_FMT, "valign": "top"}),
            "getal": wb.add_format({"num_format": "#,##0", "valign": "top"}),
            "datum": wb.add_format({"num_format": DATUM, "valign": "top", "align": "left"}),
            "pct": wb.add_format({"num_format": PCT, "valign": "top"}),
            "sec": wb.add_format({"num_format": "0.000", "valign": "top"}),
        }
        self.tabellen = 0

    def blad(self, naam: str, df: pl.DataFrame, kolommen: list[Kolom], liggend: bool = True) -> None:
        ws = self.wb.add_worksheet(naam)
        n = df.height
        for c, (kop, col, typ, breed) in enumerate(kolommen):
            fmt = self.fmt["lang" if typ == "tekst" and breed >= 30 else typ]
            ws.set_column(c, c, breed, fmt)
            s = df[col] if col in df.columns else pl.Series(col, [None] * n)
            if typ == "geld":
                vals = (s.cast(pl.Int64) / 100).to_list()
            elif typ in ("getal", "pct", "sec"):
                vals = s.to_list()
            elif typ == "datum":
                vals = s.cast(pl.Date).to_list()
            else:
                vals = [None if v is None else _tekst(v) for v in s.cast(pl.String).to_list()]
            if typ == "tekst":
                for r, v in enumerate(vals, start=1):
                    if v is not None:
                        ws.write_string(r, c, v, fmt)
            elif typ == "datum":
                for r, v in enumerate(vals, start=1):
                    if v is not None:
                        ws.write_datetime(r, c, v, fmt)
            else:
                for r, v in enumerate(vals, start=1):
                    if v is not None:
                        ws.write_number(r, c, v, fmt)
        self.tabellen += 1
        ws.add_table(0, 0, max(1, n), len(kolommen) - 1, {
            "name": f"Tabel{self.tabellen}", "style": "Table Style Medium 2",
            "columns": [{"header": kop, "header_format": self.fmt["kop"]} for kop, _, _, _ in kolommen]})
        ws.freeze_panes(1, 0)
        ws.set_paper(9)                  # A4
        if liggend:
            ws.set_landscape()
        ws.repeat_rows(0)                # the header row on every printed page
        ws.fit_to_pages(1, 0)            # as wide as one page, as long as needed
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&L&A&RPagina &P van &N")


def _tekst(v: str) -> str:
    return _ONGELDIG.sub("", v)[:MAX_TEKST]


#: sheets of other reports: one line each, e.g. `EXTRA_BLADEN.append(rechtmatigheid_blad)`
EXTRA_BLADEN: list[Callable[[Werkboek, Model], None]] = []


def _samenvatting(m: Model, r) -> pl.DataFrame:
    a, f = m.a, m.findings
    rijen: list[tuple] = [
        ("Peildatum", None, a.peildatum, None, ""),
        ("Eerste dag van de declaraties", None, m.periode[0], None, ""),
        ("Laatste dag van de declaraties", None, m.periode[1], None, ""),
        ("Batch", m.run["batch"], None, None, ""),
        ("pgb-audit versie", m.run["version"], None, None, ""),
        ("Gemeenten", ", ".join(g for g in m.gemeenten["gemeente_code"].to_list() if g), None, None, ""),
        *[("Regeling " + x.id, x.naam, None, None, "SHA-256 " + x.sha256) for x in m.regelingen],
        ("Declaratieregels gecontroleerd", None, None, m.lines.height, ""),
        ("Gedeclareerd", None, None, None, "som van bedrag van de gecontroleerde declaratieregels", m.bedragen["gedeclareerd_ct"]),
        ("Betaald", None, None, None, "som van de gecontroleerde betalingen", m.bedragen["betaald_ct"]),
        ("Toegekend", None, None, None, "som van budget van de gecontroleerde toekenningen", m.bedragen["toegekend_ct"]),
        ("Rijen in quarantaine", None, None, m.quarantaine.height, "zie het blad Quarantaine"),
        ("Bevindingen", None, None, f.height, ""),
        ("Financieel effect (som)", None, None, None, "som van alle bevindingen", int(f["financieel_effect_ct"].fill_null(0).sum())),
        ("Voorstellen tot opschorting", None, None, len(m.opschorting.voorstellen), "zie het blad Opschorting en de map brieven/"),
        ("Rechtmatigheid", r.oordeel, None, None, f"fouten en onzekerheden {pct(r.totaal_ct, r.lasten_ct)} van de lasten; "
                                                  f"grens {pct(int(r.grens * 10000), 10000)}"),
        *[(f"Controle {x['check']} ({x['titel']})", None, None, x["bevindingen"],
           f"{x['niet_toetsbaar']} regels niet toetsbaar", x["effect_ct"]) for x in m.per_check.iter_rows(named=True)],
        *[("Let op", x, None, None, "") for x in meldingen(m.a)],
    ]
    rijen = [t if len(t) == 6 else (*t, None) for t in rijen]
    return pl.DataFrame(rijen, schema={"onderwerp": pl.String, "tekst": pl.String, "datum": pl.Date,
                                       "aantal": pl.Int64, "toelichting": pl.String, "bedrag": pl.Int64}, orient="row")


def build(m: Model) -> bytes:
    a = m.a
    toon = a.toon_bsn
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False, "default_date_format": DATUM})
    w = Werkboek(wb)
    r = m.rechtmatigheid
    aan = m.aansluiting
    f = m.findings

    w.blad("Samenvatting", _samenvatting(m, r), [
        ("Onderwerp", "onderwerp", "tekst", 44), ("Waarde", "tekst", "tekst", 36), ("Datum", "datum", "datum", 12),
        ("Aantal", "aantal", "getal", 12), ("Bedrag", "bedrag", "geld", 16), ("Toelichting", "toelichting", "tekst", 60)],
        liggend=False)

    ws_status = a.werkruimte.status if a.werkruimte is not None else None
    fb = f.with_columns(pl.col("check").cast(pl.String), pl.col("declaratie_ids").list.join(";"))
    kol: list[Kolom] = [
        ("Kenmerk", "finding_id", "tekst", 18), ("Controle", "check", "tekst", 16), ("Soort", "soort", "tekst", 12),
        ("Ernst", "ernst", "tekst", 9), ("Budgethouder", "budgethouder_id", "tekst", 14),
        ("Zorgverlener", "zorgverlener_id", "tekst", 14), ("Toekenning", "toekenning_id", "tekst", 14),
        ("Zorgovereenkomst", "zorgovereenkomst_id", "tekst", 14), ("Declaraties", "declaratie_ids", "tekst", 18),
        ("Periode van", "periode_van", "datum", 12), ("Periode tot en met", "periode_tot", "datum", 12),
        ("Betrokken bedrag", "bedrag_betrokken_ct", "geld", 14), ("Financieel effect", "financieel_effect_ct", "geld", 14),
        ("Artikel", "artikel", "tekst", 30), ("Toelichting", "toelichting", "tekst", 70)]
    if ws_status is not None:
        fb = fb.join(ws_status.select("finding_id", "status"), on="finding_id", how="left")
        kol.append(("Status", "status", "tekst", 12))
    w.blad("Bevindingen", fb, kol)

    w.blad("Casussen", m.casussen.with_columns(pl.col("checks").str.replace_all(";", ", ")), [
        ("Rang", "rang", "getal", 7), ("Klantnummer", "budgethouder_id", "tekst", 14), ("Naam", "naam", "tekst", 20),
        ("Gemeente", "gemeente_code", "tekst", 10), ("Financieel effect", "effect_ct", "geld", 16),
        ("Bevindingen", "bevindingen", "getal", 12), ("Zorgverleners", "zorgverleners", "getal", 12),
        ("Controles", "checks", "tekst", 40), ("Voorstel opschorting", "voorstel", "tekst", 16)])

    w.blad("Zorgverleners", m.zorgverleners.with_columns(pl.col("checks").str.replace_all(";", ", ")), [
        ("Rang", "rang", "getal", 7), ("Zorgverlener", "zorgverlener_id", "tekst", 14), ("Naam", "naam", "tekst", 24),
        ("Soort", "soort", "tekst", 14), ("Financieel effect", "effect_ct", "geld", 16),
        ("Bevindingen", "bevindingen", "getal", 12), ("Budgethouders met bevinding", "budgethouders_met_bevinding", "getal", 14),
        ("Budgethouders", "budgethouders", "getal", 13), ("Gedeclareerd", "gedeclareerd_ct", "geld", 16),
        ("Controles", "checks", "tekst", 40)])

    c = m.clusters if m.clusters is not None else pl.DataFrame(
        schema={"cluster_id": pl.String, "node_type": pl.String, "node_id": pl.String, "label": pl.String})
    c = c.with_columns(pl.col("node_id").map_elements(lambda v: mask_iban(mask_text(v, toon), toon), return_dtype=pl.String),
                       pl.col("label").map_elements(lambda v: mask_iban(mask_text(v, toon), toon), return_dtype=pl.String),
                       pl.col("node_type").str.replace_all("_", " "))
    w.blad("Netwerken", c, [("Cluster", "cluster_id", "tekst", 12), ("Soort knoop", "node_type", "tekst", 16),
                            ("Knoop", "node_id", "tekst", 30), ("Omschrijving", "label", "tekst", 40)], liggend=False)

    vs = pl.DataFrame([(v.budgethouder_id, v.zorgverlener_id, v.omvang, v.ingangsdatum, v.einddatum, v.weken,
                        ", ".join(v.checks), v.financieel_effect_ct, v.grondslag) for v in m.opschorting.voorstellen],
                      schema={"b": pl.String, "z": pl.String, "o": pl.String, "i": pl.Date, "e": pl.Date, "w": pl.Int64,
                              "c": pl.String, "f": pl.Int64, "g": pl.String}, orient="row")
    w.blad("Opschorting", vs, [("Klantnummer", "b", "tekst", 14), ("Zorgverlener", "z", "tekst", 14), ("Omvang", "o", "tekst", 12),
                               ("Ingangsdatum", "i", "datum", 12), ("Einddatum", "e", "datum", 12), ("Weken", "w", "getal", 8),
                               ("Controles", "c", "tekst", 30), ("Financieel effect", "f", "geld", 16),
                               ("Grondslag", "g", "tekst", 70)])

    lasten = r.lasten_ct
    aandeel = (lambda ct: None if not lasten or ct is None else ct / lasten)
    rm = [(x["check"], x["titel"], x["soort"], x["bevindingen"], x["effect_ct"], aandeel(x["effect_ct"]),
           "ja" if x["telt_mee"] else "nee") for x in r.per_check.iter_rows(named=True)]
    rm += [
        ("", "Pgb-lasten (som gecontroleerde declaratieregels)", "", r.regels, lasten, aandeel(lasten), ""),
        ("", "Som fouten (findings.csv)", "fout", None, r.som_fouten_ct, aandeel(r.som_fouten_ct), ""),
        ("", "Som onzekerheden (findings.csv)", "onzekerheid", None, r.som_onzekerheden_ct, aandeel(r.som_onzekerheden_ct), ""),
        ("", "af: geen last (BUDGET)", "", None, r.buiten_lasten_ct, None, ""),
        ("", "af: meer dan eens geteld (fouten)", "fout", None, r.dubbel_fouten_ct, None, ""),
        ("", "af: meer dan eens geteld (onzekerheden)", "onzekerheid", None, r.dubbel_onzekerheden_ct, None, ""),
        ("", "Fouten, elke regel een keer", "fout", None, r.fouten_ct, aandeel(r.fouten_ct), ""),
        ("", "Onzekerheden, elke regel een keer", "onzekerheid", None, r.onzekerheden_ct, aandeel(r.onzekerheden_ct), ""),
        ("", "Totaal fouten en onzekerheden", "", None, r.totaal_ct, aandeel(r.totaal_ct), ""),
        ("", "Verantwoordingsgrens", "", None, int(r.grens * lasten), float(r.grens), ""),
        ("", "Oordeel", r.oordeel, None, None, None, ""),
    ]
    w.blad("Rechtmatigheid", pl.DataFrame(rm, schema={"c": pl.String, "o": pl.String, "s": pl.String, "n": pl.Int64,
                                                      "b": pl.Int64, "p": pl.Float64, "t": pl.String}, orient="row"),
           [("Controle", "c", "tekst", 16), ("Omschrijving", "o", "tekst", 46), ("Soort", "s", "tekst", 28),
            ("Bevindingen", "n", "getal", 12), ("Bedrag", "b", "geld", 16), ("Aandeel van de lasten", "p", "pct", 12),
            ("Telt mee in het totaal", "t", "tekst", 12)])

    an = aan.tabel.select("gemeente_code", "wet", "categorie", "toegekend_ct", "gedeclareerd_ct", "betaald_ct")
    tot = pl.DataFrame([("Totaal", "", "", aan.toegekend_ct, aan.gedeclareerd_ct, aan.betaald_ct),
                        ("Invoer", "", "", aan.invoer["toegekend_ct"], aan.invoer["gedeclareerd_ct"], aan.invoer["betaald_ct"])],
                       schema=an.schema, orient="row")
    an = pl.concat([an, tot]).with_columns((pl.col("toegekend_ct") - pl.col("gedeclareerd_ct")).alias("v1"),
                                           (pl.col("gedeclareerd_ct") - pl.col("betaald_ct")).alias("v2"),
                                           pl.col("categorie").str.replace_all("_", " "))
    w.blad("Aansluiting", an, [("Gemeente", "gemeente_code", "tekst", 10), ("Wet", "wet", "tekst", 18),
                               ("Categorie", "categorie", "tekst", 26), ("Toegekend", "toegekend_ct", "geld", 16),
                               ("Gedeclareerd", "gedeclareerd_ct", "geld", 16), ("Betaald", "betaald_ct", "geld", 16),
                               ("Toegekend min gedeclareerd", "v1", "geld", 16), ("Gedeclareerd min betaald", "v2", "geld", 16)])

    w.blad("Quarantaine", m.quarantaine.with_columns(pl.col("rij").cast(pl.Int64)),
           [("Tabel", "tabel", "tekst", 16), ("Rij", "rij", "getal", 8), ("Redenen", "redenen", "tekst", 70),
            ("Inhoud", "inhoud", "tekst", 70)])

    if a.werkruimte is not None:
        o = a.werkruimte.opgelost.with_columns(pl.col("check").cast(pl.String))
        w.blad("Opgelost", o, [("Controle", "check", "tekst", 16), ("Budgethouder", "budgethouder_id", "tekst", 14),
                               ("Zorgverlener", "zorgverlener_id", "tekst", 14), ("Periode van", "periode_van", "datum", 12),
                               ("Periode tot en met", "periode_tot", "datum", 12),
                               ("Financieel effect", "financieel_effect_ct", "geld", 16),
                               ("Laatst gezien in run", "laatst_gezien_run", "getal", 10), ("Toelichting", "toelichting", "tekst", 70)])

    for extra in EXTRA_BLADEN:
        extra(w, m)

    ver = [(i["table"], i["path"], i["sha256"], i["rows_read"], i["rows_audited"], i["rows_quarantined"], None)
           for i in m.run["inputs"]]
    ver += [("regeling " + x["id"], x["path"], x["sha256"], None, None, None, None) for x in m.run["regelingen"]]
    ver += [("stap " + k, "", "", None, None, None, float(v)) for k, v in m.run.get("stages_seconds", {}).items()]
    ver += [("run", f"pgb-audit {m.run['version']}", f"gestart {m.run['started']}, klaar {m.run['ended']}, "
                                                     f"peildatum {m.run['peildatum']}", None, None, None, None)]
    w.blad("Verantwoording", pl.DataFrame(ver, schema={"t": pl.String, "b": pl.String, "h": pl.String, "r": pl.Int64,
                                                       "a": pl.Int64, "q": pl.Int64, "s": pl.Float64}, orient="row"),
           [("Onderdeel", "t", "tekst", 22), ("Bestand", "b", "tekst", 30), ("SHA-256", "h", "tekst", 40),
            ("Rijen gelezen", "r", "getal", 12), ("Rijen gecontroleerd", "a", "getal", 12),
            ("Rijen in quarantaine", "q", "getal", 12), ("Seconden", "s", "sec", 10)])
    wb.close()
    return buf.getvalue()


def write(m: Model, path: Path, writer) -> Path:
    writer(path, build(m))
    return path
