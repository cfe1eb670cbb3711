"""AANWENDING: Losser 2025 aanwenden_binnen_maanden = 3; start = later of ingangsdatum and besluitdatum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from tests.builders import run_check

ROOT = Path(__file__).resolve().parents[1]


def test_boundary_day_exactly(tmp_path):
    # T1: ingangsdatum 01-01-2025, besluit 15-12-2024 -> start 01-01-2025; + 3 months = 01-04-2025.
    # T2: ingangsdatum 01-01-2025, besluit 31-01-2025 -> start 31-01-2025; + 3 months = 30-04-2025 (April has 30).
    toek = [{"toekenning_id": "T1"},
            {"toekenning_id": "T2", "product_code": "45A51", "categorie": "persoonlijke_verzorging",
             "besluitdatum": "2025-01-31"},
            {"toekenning_id": "T3", "besluitdatum": "2025-01-31"}]
    findings, nt, _ = run_check(tmp_path, "AANWENDING", toekenningen=toek, declaraties=[
        {"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": "2025-04-01"},   # on the grensdatum: late
        {"declaratie_id": "D2", "toekenning_id": "T1", "datum_van": "2025-05-01"},
        {"declaratie_id": "D3", "toekenning_id": "T2", "datum_van": "2025-04-29", "product_code": "45A51"},  # in time
        {"declaratie_id": "D4", "toekenning_id": "T3", "datum_van": "2025-04-30"},   # on T3's grensdatum: late
    ])
    assert nt.height == 0
    assert sorted(findings["toekenning_id"].to_list()) == ["T1", "T3"]
    f1 = findings.filter(pl.col("toekenning_id") == "T1").row(0, named=True)
    assert f1["soort"] == "signaal" and f1["financieel_effect_ct"] == 0
    assert f1["bedrag_betrokken_ct"] == 1162800                         # budget 11.628,00
    assert f1["declaratie_ids"] == ["D1"]
    assert str(f1["periode_van"]) == "2025-01-01" and str(f1["periode_tot"]) == "2025-03-31"
    assert f1["details"] == "grensdatum=2025-04-01;eerste_zorg=2025-04-01"
    assert f1["artikel"] == "art. 7.3 lid 10 Verordening jeugdhulp Losser 2025"
    assert f1["toelichting"] == ("Het pgb van toekenning T1 kon vanaf 01-01-2025 worden gebruikt en moet volgens de "
                                 "regeling binnen 3 maanden worden aangewend (vóór 01-04-2025), maar de eerste "
                                 "gedeclareerde zorg is van 01-04-2025.")
    f3 = findings.filter(pl.col("toekenning_id") == "T3").row(0, named=True)
    assert f3["details"] == "grensdatum=2025-04-30;eerste_zorg=2025-04-30"


def test_day_before_boundary_is_in_time(tmp_path):
    findings, nt, _ = run_check(tmp_path, "AANWENDING", declaraties=[
        {"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": "2025-03-31"},   # grensdatum 01-04-2025
        {"declaratie_id": "D2", "toekenning_id": "T1", "datum_van": "2025-06-02"},
    ])
    assert findings.height == 0
    assert nt.height == 0


def test_no_care_and_the_peildatum(tmp_path):
    toek = [{"toekenning_id": "T1", "ingangsdatum": "2025-10-01", "besluitdatum": None}]  # grensdatum 01-01-2026
    rows = [{"declaratie_id": "D1", "toekenning_id": None, "datum_van": "2025-03-03", "product_code": "45A51"}]
    # peildatum on the grensdatum: the signaal is due
    findings, _, _ = run_check(tmp_path / "a", "AANWENDING", toekenningen=toek, declaraties=rows,
                               peildatum=date(2026, 1, 1))
    assert findings.height == 1
    f = findings.row(0, named=True)
    assert f["declaratie_ids"] == []
    assert f["toelichting"] == ("Het pgb van toekenning T1 kon vanaf 01-10-2025 worden gebruikt en moet volgens de "
                                "regeling binnen 3 maanden worden aangewend (vóór 01-01-2026), maar tot de peildatum "
                                "01-01-2026 is er geen zorg gedeclareerd.")
    # the day before: still time
    findings, _, _ = run_check(tmp_path / "b", "AANWENDING", toekenningen=toek, declaraties=rows,
                               peildatum=date(2025, 12, 31))
    assert findings.height == 0


def test_end_of_month_arithmetic_31_jan_plus_1_month(tmp_path):
    toml = (ROOT / "tariffs" / "losser-2025.toml").read_text(encoding="utf-8")
    eigen = tmp_path / "losser-1-maand.toml"
    eigen.write_text(toml.replace("aanwenden_binnen_maanden = 3", "aanwenden_binnen_maanden = 1"), encoding="utf-8")
    toek = [{"toekenning_id": "T1", "ingangsdatum": "2025-01-31", "besluitdatum": "2025-01-20"},
            {"toekenning_id": "T2", "ingangsdatum": "2025-01-31", "besluitdatum": "2025-01-20",
             "product_code": "45A51", "categorie": "persoonlijke_verzorging"}]
    # 31-01-2025 + 1 month = 28-02-2025 (clipped): care from 27-02 is in time, from 28-02 is late
    findings, nt, _ = run_check(tmp_path, "AANWENDING", regeling=str(eigen), toekenningen=toek, declaraties=[
        {"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": "2025-02-27"},
        {"declaratie_id": "D2", "toekenning_id": "T2", "datum_van": "2025-02-28", "product_code": "45A51"},
    ])
    assert nt.height == 0
    assert findings["toekenning_id"].to_list() == ["T2"]
    assert findings["details"].to_list() == ["grensdatum=2025-02-28;eerste_zorg=2025-02-28"]
    assert "binnen 1 maand worden aangewend" in findings["toelichting"][0]


def test_niet_toetsbaar(tmp_path):
    findings, nt, _ = run_check(
        tmp_path, "AANWENDING",
        budgethouders=[{"budgethouder_id": "B1"}, {"budgethouder_id": "B2", "bsn": None, "gemeente_code": "0736"}],
        toekenningen=[{"toekenning_id": "T1", "ingangsdatum": "2027-01-01", "einddatum": "2027-12-31"},
                      {"toekenning_id": "T2", "budgethouder_id": "B2", "ingangsdatum": "2026-01-01",
                       "einddatum": "2026-12-31", "besluitdatum": "2025-12-15", "aanvraagdatum": "2025-12-01"}],
        declaraties=[{"declaratie_id": "D1", "toekenning_id": None}])
    assert findings.height == 0
    reden = dict(zip(nt["sleutel"].to_list(), nt["reden"].to_list()))
    assert reden == {"T1": "geen regeling voor de gemeente op de ingangsdatum",
                     "T2": "aanwenden_binnen_maanden ontbreekt in de regeling de-ronde-venen-2026"}
