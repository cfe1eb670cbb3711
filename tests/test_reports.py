"""rapport.html, rapport.xlsx, rechtmatigheid and aansluiting on hand-made batches."""

from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest

from auditor.write import write_outputs
from auditor import rechtmatigheid
from auditor.reports import aansluiting
from auditor.reports.xlsx import SHEETS
from tests.builders import make_batch, run_batch

HOSTILE = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1:A9)"]


def tarief_en_dubbel(tmp_path, **extra):
    # D1 and D2: 2 uur x 70.00 = 140.00 each; norm 58.14/uur (0.85 x 68.40), so
    # TARIEF on each line: 140.00 - 2 x 58.14 = 23.72; DUBBEL on D2 (the copy): 140.00.
    return run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "tarief": "70.00", "bedrag": "140.00"},
        {"declaratie_id": "D2", "tarief": "70.00", "bedrag": "140.00"},
    ], **extra), checks=["TARIEF", "DUBBEL"])


def test_rechtmatigheid_counts_each_line_once_and_reconciles(tmp_path):
    a = tarief_en_dubbel(tmp_path)
    out = tmp_path / "out"
    write_outputs(a, out)
    with (out / "findings.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    per_csv: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        per_csv[(r["check"], r["soort"])] = per_csv.get((r["check"], r["soort"]), Decimal(0)) + Decimal(r["financieel_effect"])
    r = rechtmatigheid.bereken(a)
    per_rep = {(x["check"], x["soort"]): Decimal(x["effect_ct"]) / 100 for x in r.per_check.iter_rows(named=True)}
    assert per_rep == per_csv
    som_fout = sum((v for (c, s), v in per_csv.items() if s == "fout"), Decimal(0))
    assert Decimal(r.som_fouten_ct) / 100 == som_fout == Decimal("187.44")     # 23.72 + 23.72 + 140.00
    # by hand: D1 counts 23.72; D2 counts max(23.72, 140.00) = 140.00 -> 163.72 once
    # (more cases, the verdict and the grens: tests/test_rechtmatigheid.py)
    assert r.gedeclareerd_ct == 28000
    assert r.fouten_ct == 16372 and r.onzekerheden_ct == 0
    assert r.binnen is None                      # no verdict without --totale-lasten
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert "€ 163,72" in html and "58,47%" in html and "Geen oordeel" in html


def test_aansluiting_reconciles_to_input(tmp_path):
    a = run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "bedrag": "116.28"},
        {"declaratie_id": "D2", "bedrag": "58.14", "aantal": "1", "product_code": "99X99"},  # no toekenning
    ], betalingen=[
        {"betaling_id": "P1", "declaratie_id": "D1", "bedrag": "116.28"},
        {"betaling_id": "P2", "declaratie_id": None, "bedrag": "10.00"},                    # no declaration
    ]), checks=["DUBBEL"])
    s = aansluiting.bereken(a)
    assert (s.toegekend_ct, s.gedeclareerd_ct, s.betaald_ct) == (1162800, 17442, 12628)
    assert s.invoer == {"toegekend_ct": 1162800, "gedeclareerd_ct": 17442, "betaald_ct": 12628}
    rows = {(r["wet"], r["categorie"]): r for r in s.tabel.iter_rows(named=True)}
    assert rows[("jeugdwet", "begeleiding_individueel")]["gedeclareerd_ct"] == 11628
    assert rows[("(geen toekenning)", "overig")]["gedeclareerd_ct"] == 5814
    assert rows[("(geen declaratie)", "(geen declaratie)")]["betaald_ct"] == 1000


def hostile_audit(tmp_path, toon_bsn=False, toon_namen=True):
    a = run_batch(make_batch(
        tmp_path,
        budgethouders=[{"naam": HOSTILE[0]}],
        relaties=[{"naam": "<img src=x onerror=alert(1)>", "bsn": "123456782"}],
        zorgverleners=[{"naam": HOSTILE[3]}],
        declaraties=[{"declaratie_id": "D1", "omschrijving": HOSTILE[1]},
                     {"declaratie_id": "D2", "omschrijving": HOSTILE[2]},
                     {"declaratie_id": "D3", "omschrijving": "<script>alert('x')</script>", "bedrag": "=1+1"}]),
        checks=["DUBBEL"], allow_quarantine=True)
    a.toon_bsn = toon_bsn
    a.toon_namen = toon_namen   # names shown, so the escaping of hostile names is what is tested
    return a


def test_xlsx_sheets_formats_and_no_formula(tmp_path):
    a = hostile_audit(tmp_path)
    write_outputs(a, tmp_path / "out")
    wb = openpyxl.load_workbook(tmp_path / "out" / "rapport.xlsx")
    assert wb.sheetnames == SHEETS
    texts = []
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        (tabel,) = ws.tables.values()                             # a real Excel table with filter buttons
        assert tabel.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        assert ws.print_title_rows in ("1:1", "$1:$1") and ws.page_setup.paperSize == 9, ws.title   # A4, header repeated
        for c in ws[1]:                                           # Dutch column names, no snake_case
            assert c.value and "_" not in c.value and c.value[0].isupper(), (ws.title, c.value)
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
    for h in (HOSTILE[0], HOSTILE[3]):
        assert h in texts, h                                  # written as text, unchanged
    assert any("=1+1" in t for t in texts)                    # the quarantined row, as text
    bev = wb["Bevindingen"]
    head = [c.value for c in bev[1]]
    eff = bev.cell(row=2, column=head.index("Financieel effect") + 1)
    assert eff.value == pytest.approx(116.28) and "€" in eff.number_format
    d = bev.cell(row=2, column=head.index("Periode van") + 1)
    assert d.is_date and d.number_format == "dd-mm-yyyy"
    assert head[14] == "Toelichting" and bev.column_dimensions["O"].width >= 20     # toelichting gets room
    assert bev.cell(row=2, column=15).alignment.wrap_text                          # and wraps
    ver = wb["Verantwoording"]
    secs = [r[6].value for r in ver.iter_rows(min_row=2) if str(r[0].value).startswith("stap ")]
    assert secs and all(isinstance(x, (int, float)) for x in secs)                  # timings as numbers
    rm = wb["Rechtmatigheid"]
    assert any(isinstance(c.value, str) and "Geen oordeel" in c.value for row in rm.iter_rows() for c in row)


def test_html_escapes_and_masks(tmp_path):
    a = hostile_audit(tmp_path)
    out = tmp_path / "out"
    write_outputs(a, out)
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace("http://x", "")
    for f in [out / "rapport.html", out / "opschorting_voorstellen.csv", out / "rapport.xlsx", *((out / "brieven").iterdir() if (out / "brieven").exists() else [])]:
        data = f.read_bytes()
        assert b"111222333" not in data and b"123456782" not in data, f.name
    assert "*****6782" in html                                # relatie BSN, masked, in the dossier


def test_toon_bsn_shows_bsn(tmp_path):
    a = hostile_audit(tmp_path, toon_bsn=True)
    write_outputs(a, tmp_path / "out")
    assert "123456782" in (tmp_path / "out" / "rapport.html").read_text(encoding="utf-8")


def test_html_has_all_sections_and_no_external_resources(tmp_path):
    a = tarief_en_dubbel(tmp_path)
    write_outputs(a, tmp_path / "out")
    html = (tmp_path / "out" / "rapport.html").read_text(encoding="utf-8")
    for sec in ("samenvatting", "casussen", "zorgverleners", "netwerken", "opschorting", "rechtmatigheid",
                "aansluiting", "bevindingen", "verantwoording"):
        assert f'id="{sec}"' in html
    assert "<link" not in html and " src=" not in html
    assert a.raw["declaraties"].sha256 in html                # audit trail
    assert "losser-2025" in html and "<svg" in html


def test_names_are_initials_unless_asked(tmp_path):
    a = run_batch(make_batch(tmp_path, budgethouders=[{"naam": "Lieke van der Schipper"}],
                             relaties=[{"naam": "Anna de Vries"}],
                             zorgverleners=[{"naam": "Karin Bos", "soort": "zzp", "skj_nummer": "110012345"}],
                             declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2"}]), checks=["DUBBEL"])
    out = tmp_path / "out"
    write_outputs(a, out)
    texts = [p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".csv", ".json")]
    texts += [zipped_xml(out / "rapport.xlsx")]
    for name in (b"Lieke", b"Schipper", b"Anna", b"Karin Bos"):
        assert not any(name in t for t in texts), name
    assert any(b"L.v.d.S." in t for t in texts)


def zipped_xml(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())
