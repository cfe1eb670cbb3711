"""OVERSCHRIJDING: a toekenning whose lines declare more than its budget."""

from __future__ import annotations

from datetime import date

from tests.builders import effect, run_check

# T1 (default): budget 11628.00, 45A48, 2025-01-01 .. 2025-12-31


def test_excess_over_budget_fires(tmp_path):
    f, nt, _ = run_check(tmp_path, "OVERSCHRIJDING", declaraties=[
        {"declaratie_id": "D3", "datum_van": "2025-09-01", "aantal": "17", "bedrag": "1000.00"},
        {"declaratie_id": "D1", "datum_van": "2025-03-03", "datum_tot": "2025-03-31", "aantal": "100", "bedrag": "6000.00",
         "toekenning_id": "T1"},
        {"declaratie_id": "D2", "datum_van": "2025-06-02", "aantal": "85", "bedrag": "5000.00"},
    ])
    # 6000.00 + 5000.00 + 1000.00 = 12000.00 > 11628.00: excess 372.00; passed with D3 (11000 -> 12000)
    assert f.height == 1 and nt.height == 0
    r = f.row(0, named=True)
    assert r["financieel_effect_ct"] == 37200 and r["bedrag_betrokken_ct"] == 1200000
    assert r["toekenning_id"] == "T1" and r["budgethouder_id"] == "B1" and r["zorgverlener_id"] == "Z1"
    assert r["declaratie_ids"] == ["D1", "D2", "D3"]
    assert r["periode_van"] == date(2025, 3, 3) and r["periode_tot"] == date(2025, 9, 1)
    assert r["artikel"] == "art. 7.4 lid 1 Verordening jeugdhulp Losser 2025 en de beschikking"
    assert "12.000,00" in r["toelichting"] and "11.628,00" in r["toelichting"] and "372,00" in r["toelichting"]
    assert "D3 van 01-09-2025" in r["toelichting"] and r["details"] == "overschreden_vanaf=D3"


def test_exactly_the_budget_does_not_fire(tmp_path):
    f, nt, _ = run_check(tmp_path, "OVERSCHRIJDING", declaraties=[
        {"declaratie_id": "D1", "aantal": "100", "bedrag": "6000.00"},
        {"declaratie_id": "D2", "datum_van": "2025-06-02", "aantal": "97", "bedrag": "5628.00"},
    ])
    # 6000.00 + 5628.00 = 11628.00 = budget
    assert f.height == 0 and nt.height == 0


def test_per_toekenning_and_several_zorgverleners(tmp_path):
    f, nt, _ = run_check(tmp_path, "OVERSCHRIJDING",
                         zorgverleners=[{"zorgverlener_id": "Z1"}, {"zorgverlener_id": "Z2", "naam": "Zorg West B.V."}],
                         toekenningen=[{"toekenning_id": "T1", "budget": "1000.00"},
                                       {"toekenning_id": "T2", "product_code": "45A51", "categorie": "persoonlijke_verzorging",
                                        "omvang": "10", "budget": "500.00"}],
                         declaraties=[
        {"declaratie_id": "D1", "zorgverlener_id": "Z1", "bedrag": "600.00"},
        {"declaratie_id": "D2", "zorgverlener_id": "Z2", "datum_van": "2025-04-01", "bedrag": "600.50"},
        {"declaratie_id": "D3", "product_code": "45A51", "bedrag": "499.99"},        # T2 within its budget
        {"declaratie_id": "D4", "product_code": "45A99", "bedrag": "10.00"},         # no toekenning
    ])
    # T1: 600.00 + 600.50 = 1200.50 - 1000.00 = 200.50; two zorgverleners -> no zorgverlener_id
    # T2: 499.99 <= 500.00; D4 belongs to no toekenning -> niet toetsbaar
    assert f["toekenning_id"].to_list() == ["T1"] and effect(f) == 20050
    assert f["zorgverlener_id"][0] is None and f["declaratie_ids"].to_list() == [["D1", "D2"]]
    assert nt["sleutel"].to_list() == ["D4"] and "geen toekenning" in nt["reden"][0]


def test_line_naming_the_toekenning_counts_even_outside_product_match(tmp_path):
    f, _, _ = run_check(tmp_path, "OVERSCHRIJDING", toekenningen=[{"toekenning_id": "T1", "budget": "100.00"}],
                        declaraties=[{"declaratie_id": "D1", "product_code": "45A51", "toekenning_id": "T1",
                                      "bedrag": "150.00"}])
    # the line names T1, so it belongs to T1 whatever its product: 150.00 - 100.00 = 50.00
    assert effect(f) == 5000
