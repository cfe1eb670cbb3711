"""KM: a kilometre claim above aantal x km_tarief x max(0, km_enkele_reis - drempel)."""

from __future__ import annotations

from tests.builders import effect, run_check
from tests.test_check_tarief import B_DRV, SN, regeling_file

# De Ronde Venen 2026: 0.23 per km above 6 km single trip
DRV = dict(budgethouders=[B_DRV], zorgverleners=[SN], toekenningen=[{"budgethouder_id": "B2"}],
           zorgovereenkomsten=[{"budgethouder_id": "B2", "toekenning_id": None}])


def km(did: str, aantal: str, km_: str, bedrag: str, **kw) -> dict:
    return dict({"declaratie_id": did, "budgethouder_id": "B2", "datum_van": "2026-02-02", "product_code": "48A01",
                 "eenheid": "rit", "aantal": aantal, "tarief": "1.00", "bedrag": bedrag, "km_enkele_reis": km_}, **kw)


def test_first_six_km_are_not_paid(tmp_path):
    f, nt, _ = run_check(tmp_path, "KM", declaraties=[km("D1", "10", "6", "13.80")], **DRV)
    # 10 x 0.23 x max(0, 6 - 6) = 0.00 allowed: all 13.80 is excess
    assert effect(f) == 1380 and nt.height == 0
    r = f.row(0, named=True)
    assert r["regeling_id"] == "de-ronde-venen-2026" and r["declaratie_ids"] == ["D1"]
    assert r["artikel"] == "art. 6.2 onder 3 en art. 6.4 Nadere regels jeugdhulp De Ronde Venen 2026"
    assert "0,23 per km boven 6 km" in r["toelichting"] and "13,80 euro te veel" in r["toelichting"]


def test_within_and_above_the_allowance(tmp_path):
    f, _, _ = run_check(tmp_path, "KM", declaraties=[
        km("D1", "10", "16", "23.00"),                              # 10 x 0.23 x 10 = 23.00: exactly, no finding
        km("D2", "10", "16", "30.00", datum_van="2026-02-03"),      # 30.00 - 23.00 = 7.00
        km("D3", "4", "5", "0.00", datum_van="2026-02-04"),         # below the threshold, nothing claimed
    ], **DRV)
    assert f["declaratie_ids"].to_list() == [["D2"]] and effect(f) == 700


def test_fractional_km_rounded_once_half_away_from_zero(tmp_path):
    f, _, _ = run_check(tmp_path, "KM", declaraties=[km("D1", "3", "12.5", "5.00")], **DRV)
    # 3 x 0.23 x (12.5 - 6) = 4.485 -> 4.49 allowed; 5.00 - 4.49 = 0.51
    assert effect(f) == 51


def test_losser_has_no_km_allowance_niet_toetsbaar(tmp_path):
    f, nt, _ = run_check(tmp_path, "KM", zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "48A01", "eenheid": "rit", "aantal": "10", "bedrag": "99.00",
         "km_enkele_reis": "20"},
        {"declaratie_id": "D2", "datum_van": "2024-03-01", "product_code": "48A01", "eenheid": "rit", "aantal": "1",
         "bedrag": "9.00", "km_enkele_reis": "20"},
        {"declaratie_id": "D3", "bedrag": "500.00"},                 # not a km claim: not KM's business
    ])
    assert f.height == 0
    redenen = dict(zip(nt["sleutel"], nt["reden"]))
    assert redenen == {"D1": "de regeling losser-2025 kent geen kilometervergoeding",
                       "D2": "geen regeling voor deze gemeente en datum"}


def test_km_tariff_without_threshold_pays_every_km(tmp_path):
    reg = regeling_file(tmp_path, "losser-2025-km", extra="[vervoer]\nkm_tarief = 0.19\n")
    f, _, _ = run_check(tmp_path, "KM", regeling=reg, zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "48A01", "eenheid": "rit", "aantal": "2", "bedrag": "5.00",
         "km_enkele_reis": "10"}])
    # no threshold rule: 2 x 0.19 x 10 = 3.80 allowed; 5.00 - 3.80 = 1.20
    assert effect(f) == 120
