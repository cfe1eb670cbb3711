"""NIET-GELEVERD: declared care the materiële controle found not delivered (Losser art. 8.1
lid 4 sub a: the college may check the spending of pgb's "al dan niet steekproefsgewijs"),
and `steekproef materieel` from the draw to the finding."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.errors import InvoerFout
from auditor import materiele_controle as ng
from tests.builders import effect, make_batch, run_batch

MAART = [{"declaratie_id": "D1", "datum_van": "2025-03-03"},     # 2 uur x 58,14 = 116,28 each
         {"declaratie_id": "D2", "datum_van": "2025-03-10"},
         {"declaratie_id": "D3", "datum_van": "2025-04-07"}]      # another month


def antwoorden(batch: Path, *rows: dict) -> None:
    with (batch / ng.BESTAND).open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ng.KOLOMMEN))
        w.writeheader()
        for r in rows:
            w.writerow({"budgethouder_id": "B1", "zorgverlener_id": "Z1", "product_code": "45A48",
                        "maand": "2025-03", "soort_controle": "telefonisch", "datum_controle": "2026-01-10", **r})


def audit_with(tmp_path: Path, *rows: dict):
    batch = make_batch(tmp_path, declaraties=MAART)
    if rows:
        antwoorden(batch, *rows)
    a = run_batch(batch, checks=["NIET-GELEVERD"], peildatum=date(2026, 1, 31))
    return a.result.findings, a.result.niet_toetsbaar["NIET-GELEVERD"]


def test_niet_geleverd_fires_for_the_lines_of_that_month(tmp_path):
    f, nt = audit_with(tmp_path, {"antwoord": "niet geleverd"})
    # D1 and D2 (March) of 116,28 each: 232,56; D3 (April) is not part of the answer
    assert f.height == 1 and f["declaratie_ids"][0].to_list() == ["D1", "D2"]
    assert effect(f) == 23256 and f["bedrag_betrokken_ct"][0] == 23256
    assert f["soort"][0] == "fout" and f["check"][0] == "NIET-GELEVERD"
    assert f["artikel"][0] == "art. 8.1 lid 4 sub a Verordening jeugdhulp Losser 2025"
    assert "4 uur gedeclareerd) niet is geleverd; 232,56 euro" in f["toelichting"][0]
    assert nt.height == 0


def test_gedeeltelijk_geleverd_gives_the_part_not_delivered(tmp_path):
    # 4 uur declared (232,56), 1,5 uur delivered: 232,56 x 2,5 / 4 = 145,35
    f, _ = audit_with(tmp_path, {"antwoord": "gedeeltelijk geleverd", "uren_geleverd": "1.5"})
    assert effect(f) == 14535
    assert "maar dat maar 1,5 uur is geleverd" in f["toelichting"][0]


@pytest.mark.parametrize("row", [
    {"antwoord": "geleverd"},
    {"antwoord": "gedeeltelijk geleverd", "uren_geleverd": "4"},   # all 4 hours delivered
])
def test_delivered_care_does_not_fire(tmp_path, row):
    f, nt = audit_with(tmp_path, row)
    assert f.height == 0 and nt.height == 0


def test_no_answers_file_finds_nothing(tmp_path):
    f, nt = audit_with(tmp_path)
    assert f.height == 0 and nt.height == 0


@pytest.mark.parametrize("row,reden", [
    ({"antwoord": "onbekend"}, "niet vastgesteld"),
    ({"antwoord": "gedeeltelijk geleverd"}, "zonder het aantal geleverde uren"),
    ({"antwoord": "niet geleverd", "maand": "2025-06"}, "hoort bij geen gedeclareerde zorg"),
])
def test_niet_toetsbaar_with_a_reason_to_act_on(tmp_path, row, reden):
    f, nt = audit_with(tmp_path, row)
    assert f.height == 0 and nt.height == 1 and reden in nt["reden"][0]
    assert "B1" not in nt["reden"][0] and "Z1" not in nt["reden"][0]       # no ids in reasons


def test_bad_answers_file_names_file_row_and_column(tmp_path):
    batch = make_batch(tmp_path, declaraties=MAART)
    antwoorden(batch, {"antwoord": "geleverd"}, {"antwoord": "misschien"})
    with pytest.raises(InvoerFout, match=r"materiele_controle.csv, rij 3, kolom antwoord: 'misschien'"):
        ng.lees_antwoorden(batch)


def test_materieel_draw_vragenlijst_import_and_run(tmp_path):
    decl = [{"declaratie_id": f"D{b}{i}", "budgethouder_id": f"B{b}", "datum_van": f"2025-0{3 + i}-03",
             "omschrijving": "begeleiding thuis"} for b in (1, 2, 3) for i in range(2)]
    bh = [{"budgethouder_id": f"B{b}", "bsn": None, "naam": f"Kim Jansen{b}"} for b in (1, 2, 3)]
    batch = make_batch(tmp_path, budgethouders=bh, declaraties=decl,
                       zorgovereenkomsten=[{"zorgovereenkomst_id": f"O{b}", "budgethouder_id": f"B{b}"}
                                           for b in (1, 2, 3)],
                       toekenningen=[{"toekenning_id": f"T{b}", "budgethouder_id": f"B{b}"} for b in (1, 2, 3)])
    out = tmp_path / "materieel"
    r = CliRunner().invoke(main, ["steekproef", "materieel", str(batch), "--aantal", "2", "--seed", "3",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    again = CliRunner().invoke(main, ["steekproef", "materieel", str(batch), "--aantal", "2", "--seed", "3",
                                      "--out", str(tmp_path / "m2")])
    assert again.exit_code == 0
    lijsten = sorted(p.name for p in out.glob("vragenlijst-*.xlsx"))
    assert len(lijsten) == 2 and lijsten == sorted(p.name for p in (tmp_path / "m2").glob("vragenlijst-*.xlsx"))
    gekozen = lijsten[0].removeprefix("vragenlijst-").removesuffix(".xlsx")
    vl = openpyxl.load_workbook(out / lijsten[0])["vragenlijst"]
    tekst = [c for row in vl.iter_rows(values_only=True) for c in row if c]
    assert "K.J." in tekst and not any("Jansen" in str(c) for c in tekst)     # initials, not the name
    assert any("geleverd" in str(c) for c in tekst)
    wb = openpyxl.load_workbook(out / "antwoorden.xlsx")
    ws = wb["antwoorden"]
    kop = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4                        # 2 budgethouders x 2 months
    eerste = next(i for i, r in enumerate(rows, start=2) if r[0] == gekozen)
    ws.cell(eerste, kop.index("antwoord") + 1).value = "Niet geleverd"
    ws.cell(eerste, kop.index("soort_controle") + 1).value = "huisbezoek"
    wb.save(out / "antwoorden.xlsx")
    r = CliRunner().invoke(main, ["steekproef", "materieel", str(batch), "--importeer", str(out / "antwoorden.xlsx")])
    assert r.exit_code == 0, r.output
    assert (batch / ng.BESTAND).is_file()
    a = run_batch(batch, checks=["NIET-GELEVERD"], peildatum=date(2026, 1, 31))
    f = a.result.findings
    # the one line of 116,28 of that budgethouder in that month
    assert f.height == 1 and f["budgethouder_id"][0] == gekozen and effect(f) == 11628
