"""rapport.xlsx for people who live in Excel: one sheet per subject, Dutch column names, real
Excel tables (filter buttons, banded rows), wrapped text, A4 print setup with the header row
repeated on every page, money and counts as numbers, dates as dates (`dd-mm-jjjj`).

Written with xlsxwriter (column by column). Every text goes in as a string: the workbook is
opened with `strings_to_formulas`, `strings_to_numbers` and `strings_to_urls` off, so a value
that starts with `=`, `+`, `-` or `@` stays text and never becomes a formula. (xlsxwriter's
constant_memory mode would save memory but does not allow Excel tables, so it is not used.)

In two steps: `plan(m, guard)` turns every sheet into plain Python values (`Blad`), the polars
work, with every text of the workbook through the privacy guard there (the guard cannot run on
the bytes: `write_reports` writes the workbook in a forked second process, which runs no
polars); `schrijf(bladen)` makes the workbook with xlsxwriter.

The controller's sheets (Rechtmatigheid, Budgetconfirmatie, Uitnutting: auditor/reports/rechtmatigheid.py)
and the case register's (Zaken, Opgelost, Trend with a werkruimte: auditor/reports/zaakregister.py)
come as rows of Python values and go through `Werkboek.rijen`, which types each cell by its value.
Sheets of other reports register in `EXTRA_BLADEN`: a function `(Werkboek, Model) -> None` that
calls `Werkboek.blad(...)` or `Werkboek.rijen(...)`; they come before Verantwoording.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl
import xlsxwriter

from auditor.audit import meldingen
from auditor.privacy import Bewaker
from auditor.reports.common import mask_text
from auditor.reports.model import Model
from auditor.reports.rechtmatigheid import bladen as rechtmatigheid_bladen, samenvatting_rijen as rechtmatigheid_samenvatting
from auditor.reports.svg import mask_iban
from auditor.reports.zaakregister import sheets as zaakregister_sheets

EURO_FMT = '"€" #,##0.00;-"€" #,##0.00'
DATUM = "dd-mm-yyyy"
PCT = "0.00%"
SHEETS = ["Samenvatting", "Bevindingen", "Casussen", "Zorgverleners", "Netwerken", "Opschorting",
          "Rechtmatigheid", "Budgetconfirmatie", "Uitnutting", "Aansluiting", "Quarantaine", "Verantwoording"]
MAX_TEKST = 32_000                       # Excel's cell limit is 32,767 characters
_ONGELDIG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: column types: tekst (wrapped when lang), geld (cents -> euros), getal, datum, pct (fraction), sec
Kolom = tuple[str, str, str, int]        # (Dutch header, column of the frame, type, width)


@dataclass(frozen=True)
class Pct:
    """A share (fraction) for `Werkboek.rijen`: written as a number in percent format."""
    v: Decimal | float | None


@dataclass
class Blad:
    """One sheet as plain Python values, ready for xlsxwriter (no polars: `schrijf` may run in a
    forked second process). `cellen`: per column (format, writer, values) for a frame's sheet,
    or None for a sheet of rows (`rijen`, each cell typed by its value)."""
    naam: str
    koppen: list[str]
    breedtes: list[tuple[int, str]]                      # (width, format) per column
    liggend: bool
    kolommen: list[tuple[str, str, list]] | None = None  # (format, writer, values) per column
    rijen: list[list] | None = None
    lang: list[bool] | None = None


@dataclass
class Werkboek:
    """The sheets of rapport.xlsx as they are planned: `blad` and `rijen` turn frames and rows into
    `Blad`s (polars work, with every text through the privacy guard `guard`, when given); `schrijf`
    then writes them with xlsxwriter (pure Python)."""
    guard: Bewaker | None = None
    bladen: list[Blad] = field(default_factory=list)

    def blad(self, naam: str, df: pl.DataFrame, kolommen: list[Kolom], liggend: bool = True) -> None:
        n = df.height
        df = df.with_columns([pl.lit(None).alias(col) for _, col, _, _ in kolommen if col not in df.columns])
        exprs = []
        for kop, col, typ, _ in kolommen:
            e = pl.col(col)
            if typ == "geld":
                e = e.cast(pl.Int64) / 100
            elif typ == "datum":
                e = e.cast(pl.Date)
            elif typ == "tekst":     # what _tekst does, for the whole column at once; then the guard
                e = e.cast(pl.String).str.replace_all(_ONGELDIG.pattern, "").str.slice(0, MAX_TEKST)
                if self.guard is not None:
                    e = self.guard.expr(e).str.slice(0, MAX_TEKST)
            exprs.append(e.alias(f"k{len(exprs)}"))
        cols = df.select(exprs) if exprs else pl.DataFrame()
        cellen = []
        for i, (kop, col, typ, breed) in enumerate(kolommen):
            schrijver = "string" if typ == "tekst" else "datetime" if typ == "datum" else "number"
            cellen.append((_fmt(typ, breed), schrijver, cols[f"k{i}"].to_list() if n else []))
        self.bladen.append(Blad(naam, [k[0] for k in kolommen], [(k[3], _fmt(k[2], k[3])) for k in kolommen],
                                liggend, kolommen=cellen))

    def rijen(self, naam: str, koppen: list[str], rows: list[list], breedtes: list[int] | None = None,
              liggend: bool = True) -> None:
        """A sheet from rows of Python values, each cell typed by its value: Decimal euros, `Pct`,
        int, date, bool (ja/nee), text."""
        rows = [[v if v is None or isinstance(v, (str, Pct, Decimal, bool, int, float, date)) else str(v) for v in r]
                for r in rows]
        if self.guard is not None:
            rows = self.guard.waarden(rows)
        br = []
        for c, kop in enumerate(koppen):
            if breedtes:
                breed = breedtes[c]
            else:
                breed = len(kop) + 2
                for r in rows[:300]:
                    breed = max(breed, min(60, _len(r[c] if c < len(r) else None) + 2))
            br.append((breed, "lang" if breed >= 30 else "tekst"))
        lang = [(breedtes[c] if breedtes else 0) >= 30 for c in range(len(koppen))]
        self.bladen.append(Blad(naam, koppen, br, liggend, rijen=rows, lang=lang))


def _fmt(typ: str, breed: int) -> str:
    return "lang" if typ == "tekst" and breed >= 30 else typ


def schrijf(bladen: list[Blad]) -> bytes:
    """The workbook's bytes (xlsxwriter, column by column; no polars)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False, "default_date_format": DATUM})
    fmt = {
        "kop": wb.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"}),
        "tekst": wb.add_format({"valign": "top"}),
        "lang": wb.add_format({"valign": "top", "text_wrap": True}),
        "geld": wb.add_format({"num_format": EURO_FMT, "valign": "top"}),
        "getal": wb.add_format({"num_format": "#,##0", "valign": "top"}),
        "datum": wb.add_format({"num_format": DATUM, "valign": "top", "align": "left"}),
        "pct": wb.add_format({"num_format": PCT, "valign": "top"}),
        "sec": wb.add_format({"num_format": "0.000", "valign": "top"}),
    }
    for t, b in enumerate(bladen, start=1):
        ws = wb.add_worksheet(b.naam)
        for c, (breed, f) in enumerate(b.breedtes):
            ws.set_column(c, c, breed, fmt[f])
        if b.kolommen is not None:
            n = 0
            for c, (f, schrijver, vals) in enumerate(b.kolommen):
                write, cf = getattr(ws, "write_" + schrijver), fmt[f]
                n = max(n, len(vals))
                for r, v in enumerate(vals, start=1):
                    if v is not None:
                        write(r, c, v, cf)
        else:
            n = len(b.rijen)
            for r, row in enumerate(b.rijen, start=1):
                for c, v in enumerate(row):
                    _cel(ws, fmt, r, c, v, b.lang[c] if c < len(b.lang) else False)
        _af(ws, fmt, t, n, b.koppen, b.liggend)
    wb.close()
    return buf.getvalue()


def _cel(ws, f: dict, r: int, c: int, v, lang: bool) -> None:
    if v is None:
        return
    if isinstance(v, Pct):
        if v.v is not None:
            ws.write_number(r, c, float(v.v), f["pct"])
    elif isinstance(v, Decimal):
        ws.write_number(r, c, float(v), f["geld"])
    elif isinstance(v, bool):
        ws.write_string(r, c, "ja" if v else "nee", f["tekst"])
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v, f["getal"])
    elif isinstance(v, date):
        ws.write_datetime(r, c, v, f["datum"])
    else:
        ws.write_string(r, c, _tekst(str(v)), f["lang" if lang else "tekst"])


def _af(ws, fmt: dict, tabel: int, n: int, koppen: list[str], liggend: bool) -> None:
    """A real Excel table over the data, frozen header, A4 print setup with the header repeated."""
    ws.add_table(0, 0, max(1, n), len(koppen) - 1, {
        "name": f"Tabel{tabel}", "style": "Table Style Medium 2",
        "columns": [{"header": kop, "header_format": fmt["kop"]} for kop in koppen]})
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


def _len(v) -> int:
    if v is None:
        return 0
    if isinstance(v, Decimal):
        return len(f"{v:,.2f}") + 2
    if isinstance(v, (date, Pct)):
        return 10
    return len(str(v))


#: sheets of other reports: one line each, e.g. `EXTRA_BLADEN.append(rechtmatigheid_blad)`
EXTRA_BLADEN: list[Callable[[Werkboek, Model], None]] = []


def _samenvatting(m: Model) -> pl.DataFrame:
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
        *[(onderwerp, waarde, None, None, toelichting) for onderwerp, waarde, toelichting in rechtmatigheid_samenvatting(m)],
        *[(f"Controle {x['check']} ({x['titel']})", None, None, x["bevindingen"],
           f"{x['niet_toetsbaar']} regels niet toetsbaar", x["effect_ct"]) for x in m.per_check.iter_rows(named=True)],
        *[("Let op", x, None, None, "") for x in meldingen(m.a)],
    ]
    rijen = [t if len(t) == 6 else (*t, None) for t in rijen]
    return pl.DataFrame(rijen, schema={"onderwerp": pl.String, "tekst": pl.String, "datum": pl.Date,
                                       "aantal": pl.Int64, "toelichting": pl.String, "bedrag": pl.Int64}, orient="row")


def plan(m: Model, guard: Bewaker | None = None) -> list[Blad]:
    """Every sheet of rapport.xlsx as plain values (the polars work), texts through `guard`."""
    a = m.a
    toon = a.toon_bsn
    w = Werkboek(guard)
    aan = m.aansluiting
    f = m.findings

    w.blad("Samenvatting", _samenvatting(m), [
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
        ("Artikel", "artikel", "tekst", 30), ("Toelichting", "toelichting", "tekst", 70),
        ("Voorbeeldwaarde", "voorbeeldwaarde", "tekst", 10)]
    if ws_status is not None:
        fb = fb.join(ws_status.select("finding_id", "zaak_id", "status"), on="finding_id", how="left",
                     maintain_order="left")
        kol += [("Zaak", "zaak_id", "tekst", 18), ("Status", "status", "tekst", 12)]
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

    rechtmatigheid_bladen(m, w.rijen, Pct)     # Rechtmatigheid, Budgetconfirmatie, Uitnutting

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

    for naam, kop, rijen in zaakregister_sheets(m):   # Zaken, Opgelost, Trend (with a werkruimte)
        w.rijen(naam, kop, rijen)

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
    return w.bladen

