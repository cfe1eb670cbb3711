"""KWALITEIT: instelling/zzp without KvK, zzp without SKJ/BIG, natural person (not a parent,
no SKJ/BIG) without a VOG of at most vog_max_jaren (Losser: 3) years on the day of care."""

from __future__ import annotations

from pathlib import Path

from tests.builders import effect, run_check

CODE = "KWALITEIT"


def _zv(zid: str, **kw) -> dict:
    return dict({"zorgverlener_id": zid, "kvk_nummer": None, "iban": None}, **kw)


def _zo(oid: str, zid: str, **kw) -> dict:
    return dict({"zorgovereenkomst_id": oid, "zorgverlener_id": zid}, **kw)


def test_zzp_without_skj_and_with_old_vog_is_one_finding_with_both_reasons(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE,
                         zorgverleners=[_zv("Z1", soort="zzp", kvk_nummer="12345678", vog_datum="2021-01-01")],
                         declaraties=[{"declaratie_id": "D1"}])
    # one line of 2 x 58,14 = 116,28 on 03-03-2025: no SKJ/BIG, VOG older than 3 years -> 116,28
    assert f.height == 1 and effect(f) == 11628
    t = f["toelichting"][0]
    assert "geen SKJ- of BIG-registratie" in t and "VOG van 01-01-2021" in t and "ouder is dan 3 jaar" in t
    assert "KvK" not in t
    assert f["artikel"][0].startswith("art. 7.2") and nt.height == 0


def test_instelling_without_kvk(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, zorgverleners=[_zv("Z1", soort="instelling")],
                        declaraties=[{"declaratie_id": "D1", "aantal": "1", "bedrag": "58.14"}])
    # instelling needs no SKJ/BIG and no VOG; only the KvK is missing: 58,14
    assert effect(f) == 5814
    assert "geen KvK-nummer" in f["toelichting"][0] and "VOG" not in f["toelichting"][0]


def test_near_misses(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE,
                         zorgverleners=[
                             _zv("Z1", soort="instelling", kvk_nummer="12345678"),
                             # registered zzp'er: SKJ exempts from the VOG
                             _zv("Z2", soort="zzp", kvk_nummer="23456789", skj_nummer="100123456"),
                             # VOG exactly 3 years old on the day of care: still good
                             _zv("Z3", soort="sociaal_netwerk", vog_datum="2022-03-03"),
                             # a parent needs no VOG
                             _zv("Z4", soort="sociaal_netwerk"),
                             # BIG instead of SKJ
                             _zv("Z5", soort="zzp", kvk_nummer="34567890", big_nummer="19012345601"),
                         ],
                         zorgovereenkomsten=[_zo("O1", "Z1"), _zo("O2", "Z2"), _zo("O3", "Z3"),
                                             _zo("O4", "Z4", relatie_tot_budgethouder="ouder", soort="familiehulp"),
                                             _zo("O5", "Z5")],
                         declaraties=[{"declaratie_id": f"D{i}", "zorgverlener_id": f"Z{i}"} for i in range(1, 6)])
    assert f.height == 0 and nt.height == 0


def test_vog_one_day_too_old_and_vog_after_the_day_of_care(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        zorgverleners=[_zv("Z1", soort="sociaal_netwerk", vog_datum="2022-03-03"),
                                       _zv("Z2", soort="overig_niet_professioneel", vog_datum="2025-03-10")],
                        zorgovereenkomsten=[_zo("O1", "Z1", relatie_tot_budgethouder="familie"),
                                            _zo("O2", "Z2")],
                        declaraties=[{"declaratie_id": "D1", "zorgverlener_id": "Z1", "datum_van": "2025-03-04"},
                                     {"declaratie_id": "D2", "zorgverlener_id": "Z2", "datum_van": "2025-03-03",
                                      "aantal": "1", "bedrag": "20.10", "tarief": "20.10"}])
    # D1: VOG of 03-03-2022 is older than 3 years on 04-03-2025: 116,28 (an aunt is not a parent)
    # D2: VOG of 10-03-2025 did not exist on 03-03-2025: 20,10
    assert effect(f, budgethouder_id="B1") == 11628 + 2010
    by_line = {r["declaratie_ids"][0]: r["toelichting"] for r in f.iter_rows(named=True)}
    assert "ouder is dan 3 jaar" in by_line["D1"]
    assert "nog geen VOG (VOG van 10-03-2025)" in by_line["D2"]


def test_parent_still_needs_kvk_and_skj_as_zzp(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, zorgverleners=[_zv("Z1", soort="zzp")],
                        zorgovereenkomsten=[_zo("O1", "Z1", relatie_tot_budgethouder="ouder")],
                        declaraties=[{"declaratie_id": "D1"}])
    # parent: no VOG reason; but as zzp'er no KvK and no SKJ/BIG: 116,28
    t = f["toelichting"][0]
    assert effect(f) == 11628 and "geen KvK-nummer" in t and "SKJ" in t and "VOG" not in t


def test_one_finding_per_line(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, zorgverleners=[_zv("Z1", soort="sociaal_netwerk")],
                        zorgovereenkomsten=[_zo("O1", "Z1")],
                        declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "datum_van": "2025-03-04"}])
    # two lines of 116,28 each without VOG: 232,56
    assert f.height == 2 and effect(f) == 2 * 11628


def test_missing_vog_max_jaren_is_niet_toetsbaar_but_kvk_is_still_judged(tmp_path: Path):
    # De Ronde Venen 2026 has no pgb.vog_max_jaren
    f, nt, _ = run_check(tmp_path, CODE,
                         budgethouders=[{"gemeente_code": "0736"}],
                         toekenningen=[{"ingangsdatum": "2026-01-01", "einddatum": "2026-12-31"}],
                         zorgverleners=[_zv("Z1", soort="sociaal_netwerk"), _zv("Z2", soort="instelling")],
                         zorgovereenkomsten=[_zo("O1", "Z1", ingangsdatum="2026-01-01"),
                                             _zo("O2", "Z2", ingangsdatum="2026-01-01")],
                         declaraties=[{"declaratie_id": "D1", "zorgverlener_id": "Z1", "datum_van": "2026-03-02"},
                                      {"declaratie_id": "D2", "zorgverlener_id": "Z2", "datum_van": "2026-03-02"}])
    assert nt["sleutel"].to_list() == ["D1"] and "vog_max_jaren" in nt["reden"][0]
    # D2: an instelling without KvK needs no regeling value: 116,28
    assert f["declaratie_ids"].to_list() == [["D2"]] and effect(f) == 11628


def test_no_regeling_is_niet_toetsbaar_for_the_vog(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, zorgverleners=[_zv("Z1", soort="sociaal_netwerk")],
                         toekenningen=[{"ingangsdatum": "2024-01-01"}],
                         zorgovereenkomsten=[_zo("O1", "Z1", ingangsdatum="2024-01-01")],
                         declaraties=[{"declaratie_id": "D1", "datum_van": "2024-06-03"}])
    assert f.height == 0 and nt["sleutel"].to_list() == ["D1"] and "Geen regeling" in nt["reden"][0]
