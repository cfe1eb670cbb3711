"""SN-CATEGORIE: sociaal-netwerk care in a category the regeling does not allow for it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.builders import effect, run_check
from tests.test_check_tarief import B_DRV, SN, ZZP, regeling_file


def test_sociaal_netwerk_behandeling_fires_for_the_whole_bedrag(tmp_path):
    f, nt, _ = run_check(tmp_path, "SN-CATEGORIE", zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "45A10", "aantal": "2", "tarief": "30.00", "bedrag": "60.00"}])
    # Losser allows no behandeling by the sociaal netwerk (art. 7.3 lid 3): effect = bedrag = 60.00
    assert f.height == 1 and nt.height == 0
    r = f.row(0, named=True)
    assert r["financieel_effect_ct"] == 6000 and r["bedrag_betrokken_ct"] == 6000
    assert r["declaratie_ids"] == ["D1"] and r["regeling_id"] == "losser-2025"
    assert r["artikel"] == "art. 7.3 lid 3 Verordening jeugdhulp Losser 2025"
    assert "behandeling individueel" in r["toelichting"] and "60,00" in r["toelichting"]


def test_allowed_category_or_professional_does_not_fire(tmp_path):
    f, nt, _ = run_check(tmp_path, "SN-CATEGORIE", zorgverleners=[SN, dict(ZZP, zorgverlener_id="Z2")], declaraties=[
        {"declaratie_id": "D1", "zorgverlener_id": "Z1", "product_code": "45A48", "bedrag": "40.00"},  # SN, begeleiding
        {"declaratie_id": "D2", "zorgverlener_id": "Z2", "product_code": "45A10", "bedrag": "200.00"},  # zzp, behandeling
    ])
    assert f.height == 0 and nt.height == 0


def test_relatie_ouder_and_crisis(tmp_path):
    f, _, _ = run_check(tmp_path, "SN-CATEGORIE", zorgverleners=[ZZP],
                        zorgovereenkomsten=[{"relatie_tot_budgethouder": "ouder", "soort": "familiehulp",
                                             "product_code": "47A02"}],
                        declaraties=[{"declaratie_id": "D1", "product_code": "47A02", "aantal": "1", "bedrag": "118.00"}])
    # a parent (relatie ouder) counts as sociaal netwerk; crisis is not allowed for it in Losser: 118.00
    assert effect(f) == 11800


def test_de_ronde_venen_vervoer_not_allowed_but_km_claim_left_to_km(tmp_path):
    f, nt, _ = run_check(tmp_path, "SN-CATEGORIE", budgethouders=[B_DRV], zorgverleners=[SN],
                         toekenningen=[{"budgethouder_id": "B2"}],
                         zorgovereenkomsten=[{"budgethouder_id": "B2", "toekenning_id": None}], declaraties=[
        {"declaratie_id": "D1", "budgethouder_id": "B2", "datum_van": "2026-02-02", "product_code": "48A01",
         "eenheid": "rit", "aantal": "2", "bedrag": "30.00"},
        {"declaratie_id": "D2", "budgethouder_id": "B2", "datum_van": "2026-02-03", "product_code": "48A01",
         "eenheid": "rit", "aantal": "2", "bedrag": "30.00", "km_enkele_reis": "20"},
    ])
    # De Ronde Venen allows the sociaal netwerk only begeleiding, verzorging, kortdurend verblijf:
    # D1 (vervoer per rit) 30.00; D2 is a km claim, judged by KM only
    assert f["declaratie_ids"].to_list() == [["D1"]] and effect(f) == 3000 and nt.height == 0


def test_niet_toetsbaar_without_regeling_or_list(tmp_path):
    f, nt, _ = run_check(tmp_path, "SN-CATEGORIE", zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "45A10", "datum_van": "2024-05-01", "bedrag": "60.00"}])
    assert f.height == 0 and nt["sleutel"].to_list() == ["D1"] and "geen regeling" in nt["reden"][0]

    reg = regeling_file(tmp_path, "losser-2025-zonder-lijst", zonder=("sociaal_netwerk.toegestane_categorieen",))
    tekst = re.sub(r'(?ms)^    "begeleiding_individueel",.*?^\]\n', "", Path(reg).read_text(encoding="utf-8"))
    Path(reg).write_text(tekst, encoding="utf-8")
    f, nt, _ = run_check(tmp_path / "b", "SN-CATEGORIE", regeling=reg, zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "45A10", "bedrag": "60.00"}])
    assert f.height == 0 and nt["sleutel"].to_list() == ["D1"]
    assert "noemt geen toegestane categorieën" in nt["reden"][0]
