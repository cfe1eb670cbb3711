"""BUITEN-PERIODE: care on days outside the toekenning, before the aanvraag without permission,
outside the zorgovereenkomst, after the budgethouder's death, or without any toekenning."""

from __future__ import annotations

from pathlib import Path

from tests.builders import effect, run_check

CODE = "BUITEN-PERIODE"


def test_days_before_the_ingangsdatum_count_pro_rata(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, toekenningen=[{"ingangsdatum": "2025-03-01"}], declaraties=[
        {"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": "2025-02-26", "datum_tot": "2025-03-04",
         "aantal": "7", "tarief": "15.00", "bedrag": "105.00"}])
    # 26-02 t/m 04-03 = 7 days; 26, 27, 28 February lie before 01-03: 105,00 x 3 / 7 = 45,00
    assert effect(f) == 4500
    assert f["declaratie_ids"].to_list() == [["D1"]]
    assert (f["periode_van"][0].isoformat(), f["periode_tot"][0].isoformat()) == ("2025-02-26", "2025-02-28")
    assert f["toelichting"][0] == ("3 van de 7 dagen (26-02-2025 t/m 28-02-2025) vallen voor de ingangsdatum van "
                                   "toekenning T1 (01-03-2025): 45,00 van 105,00 euro van declaratie D1.")
    assert f["artikel"][0].startswith("art. 7.1 lid 5") and f["soort"][0] == "fout"
    assert nt.height == 0


def test_near_miss_first_day_of_the_toekenning(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, toekenningen=[{"ingangsdatum": "2025-03-01"}], declaraties=[
        {"toekenning_id": "T1", "datum_van": "2025-03-01", "datum_tot": "2025-03-07"}])
    assert f.height == 0


def test_days_after_the_einddatum(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, toekenningen=[{"einddatum": "2025-06-30"}], declaraties=[
        {"toekenning_id": "T1", "datum_van": "2025-06-28", "datum_tot": "2025-07-02", "aantal": "5",
         "tarief": "20.00", "bedrag": "100.00"}])
    # 28-06 t/m 02-07 = 5 days; 1 and 2 July after 30-06: 100,00 x 2 / 5 = 40,00
    assert effect(f) == 4000
    assert "na de einddatum van toekenning T1 (30-06-2025)" in f["toelichting"][0]


def test_death_day_itself_is_inside(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, budgethouders=[{"overlijdensdatum": "2025-03-05"}], declaraties=[
        {"declaratie_id": "D1", "datum_van": "2025-03-03", "datum_tot": "2025-03-07", "aantal": "5",
         "tarief": "20.00", "bedrag": "100.00"},
        {"declaratie_id": "D2", "datum_van": "2025-03-05"}])
    # D1: 03..07-03 = 5 days, 06 and 07 after the death on 05-03: 100,00 x 2 / 5 = 40,00; D2 on the day itself: none
    assert f["declaratie_ids"].to_list() == [["D1"]]
    assert effect(f) == 4000
    assert "na de overlijdensdatum van de budgethouder (05-03-2025)" in f["toelichting"][0]


def test_before_the_aanvraag_without_permission(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, toekenningen=[
        {"toekenning_id": "T1", "aanvraagdatum": "2025-01-10", "besluitdatum": "2025-01-20"},
        {"toekenning_id": "T2", "product_code": "45A51", "categorie": "persoonlijke_verzorging",
         "aanvraagdatum": "2025-01-10", "besluitdatum": "2025-01-20", "toestemming_eerder_starten": "ja"},
    ], zorgovereenkomsten=[{"zorgovereenkomst_id": "O1"},
                           {"zorgovereenkomst_id": "O2", "toekenning_id": "T2", "product_code": "45A51"}],
        declaraties=[
        {"declaratie_id": "D1", "datum_van": "2025-01-08", "datum_tot": "2025-01-11", "aantal": "4",
         "tarief": "20.00", "bedrag": "80.00"},
        # between aanvraag and besluit without permission: not checked (documented choice)
        {"declaratie_id": "D2", "datum_van": "2025-01-12"},
        # before the aanvraag, but with toestemming_eerder_starten: inside
        {"declaratie_id": "D3", "product_code": "45A51", "datum_van": "2025-01-05", "tarief": "47.77",
         "bedrag": "95.54"},
    ])
    # D1: 08..11-01 = 4 days, 08 and 09 before the aanvraag of 10-01: 80,00 x 2 / 4 = 40,00
    assert f["declaratie_ids"].to_list() == [["D1"]]
    assert effect(f) == 4000
    assert "voor de aanvraagdatum van toekenning T1 zonder toestemming" in f["toelichting"][0]
    assert nt.height == 0


def test_a_day_outside_for_several_reasons_counts_once(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, budgethouders=[{"overlijdensdatum": "2025-03-29"}],
                        toekenningen=[{"einddatum": "2025-03-31"}],
                        zorgovereenkomsten=[{"einddatum": "2025-03-30"}],
                        declaraties=[{"declaratie_id": "D1", "datum_van": "2025-03-28", "datum_tot": "2025-04-02",
                                      "aantal": "6", "tarief": "10.00", "bedrag": "60.00"}])
    # 28-03 t/m 02-04 = 6 days; inside: 28 and 29 (the death day); outside 30, 31, 1, 2 = 4 days,
    # not 3 + 4 + 2: 60,00 x 4 / 6 = 40,00
    assert effect(f) == 4000
    t = f["toelichting"][0]
    assert t.startswith("4 van de 6 dagen vallen buiten de periode die het pgb dekt: ")
    assert "2 dagen (01-04-2025 t/m 02-04-2025) na de einddatum van toekenning T1" in t
    assert "3 dagen (31-03-2025 t/m 02-04-2025) na de einddatum van zorgovereenkomst O1" in t
    assert "4 dagen (30-03-2025 t/m 02-04-2025) na de overlijdensdatum" in t


def test_line_without_toekenning_counts_whole(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        zorgovereenkomsten=[{"zorgovereenkomst_id": "O1"},
                                            {"zorgovereenkomst_id": "O2", "toekenning_id": None,
                                             "product_code": "45A51"}],
                        declaraties=[{"declaratie_id": "D1", "product_code": "45A51", "tarief": "47.77",
                                      "bedrag": "95.54"}])
    # T1 is for 45A48; no toekenning for 45A51: the whole 95,54
    assert effect(f) == 9554
    assert f["toekenning_id"][0] is None
    assert "buiten elke toekenning" in f["toelichting"][0]


def test_line_without_zorgovereenkomst_counts_whole(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        zorgverleners=[{"zorgverlener_id": "Z1"},
                                       {"zorgverlener_id": "Z2", "kvk_nummer": "87654321", "iban": None}],
                        declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "zorgverlener_id": "Z2"}])
    # D1 is under O1; D2 (Z2) has no agreement at all: the whole 116,28
    assert f["declaratie_ids"].to_list() == [["D2"]]
    assert effect(f) == 11628
    assert "buiten elke zorgovereenkomst" in f["toelichting"][0]


def test_open_ended_agreement_and_days_inside_do_not_fire(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, declaraties=[
        {"datum_van": "2025-12-01", "datum_tot": "2025-12-31", "aantal": "31", "tarief": "10.00", "bedrag": "310.00"}])
    assert f.height == 0 and nt.height == 0


def test_missing_aanvraagdatum_is_niet_toetsbaar_for_that_part(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, toekenningen=[{"aanvraagdatum": None, "einddatum": "2025-03-02"}],
                         declaraties=[{"declaratie_id": "D1", "datum_van": "2025-03-02", "datum_tot": "2025-03-03",
                                       "aantal": "2", "tarief": "50.00", "bedrag": "100.00"}])
    # still judged on the einddatum: 1 of 2 days after 02-03: 100,00 x 1 / 2 = 50,00
    assert effect(f) == 5000
    assert nt["sleutel"].to_list() == ["D1"]
    assert "aanvraagdatum" in nt["reden"][0]
