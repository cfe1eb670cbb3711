"""BUDGET: a toekenning granted above omvang x norm (an error of the beschikking)."""

from __future__ import annotations

from tests.builders import effect, run_check
from tests.test_check_tarief import B_DRV, regeling_file


def test_budget_above_norm_fires(tmp_path):
    f, nt, _ = run_check(tmp_path, "BUDGET", toekenningen=[{"toekenning_id": "T1", "budget": "12000.00"}])
    # 200 uur x (0.85 x 68.40 = 58.14) = 11628.00; 12000.00 - 11628.00 = 372.00
    assert f.height == 1 and nt.height == 0
    r = f.row(0, named=True)
    assert r["financieel_effect_ct"] == 37200 and r["bedrag_betrokken_ct"] == 1200000
    assert r["toekenning_id"] == "T1" and r["budgethouder_id"] == "B1" and r["declaratie_ids"] == []
    assert str(r["periode_van"]) == "2025-01-01" and str(r["periode_tot"]) == "2025-12-31"
    assert r["regeling_id"] == "losser-2025" and r["artikel"] == "art. 7.4 Verordening jeugdhulp Losser 2025"
    t = r["toelichting"]
    assert "beschikking" in t and "niet van de budgethouder" in t
    assert "11.628,00" in t and "372,00" in t and "58,14 per uur" in t and "200 uur" in t


def test_budget_at_norm_does_not_fire(tmp_path):
    f, nt, _ = run_check(tmp_path, "BUDGET", toekenningen=[{"toekenning_id": "T1", "budget": "11628.00"},
                                                           {"toekenning_id": "T2", "budget": "11000.00"}])
    assert f.height == 0 and nt.height == 0


def test_wonen_at_100_percent(tmp_path):
    f, _, _ = run_check(tmp_path, "BUDGET", toekenningen=[
        {"toekenning_id": "T1"},
        {"toekenning_id": "T2", "product_code": "43A03", "categorie": "wonen_verblijf", "eenheid": "etmaal",
         "omvang": "30", "tarief": "190.00", "budget": "5700.00"}])
    # 30 etmalen x 186.50 (100%) = 5595.00; 5700.00 - 5595.00 = 105.00
    assert f["toekenning_id"].to_list() == ["T2"] and effect(f) == 10500


def test_sociaal_netwerk_basis_per_gemeente(tmp_path):
    f, nt, _ = run_check(tmp_path, "BUDGET", budgethouders=[{}, B_DRV], toekenningen=[
        {"toekenning_id": "T1"},
        {"toekenning_id": "T2", "zorgverlener_soort": "sociaal_netwerk", "omvang": "100", "tarief": "21.00",
         "budget": "2100.00"},
        {"toekenning_id": "T3", "budgethouder_id": "B2", "zorgverlener_soort": "sociaal_netwerk", "omvang": "100",
         "tarief": "21.00", "budget": "2100.00", "ingangsdatum": "2026-01-01", "einddatum": "2026-12-31"},
    ])
    # T2 Losser: 100 x 20.10 (18.61 x 1.08) = 2010.00 -> 90.00
    # T3 De Ronde Venen: 100 x 20.00 (maximum) = 2000.00 -> 100.00
    per = {r["toekenning_id"]: (r["financieel_effect_ct"], r["regeling_id"]) for r in f.iter_rows(named=True)}
    assert per == {"T2": (9000, "losser-2025"), "T3": (10000, "de-ronde-venen-2026")}
    assert nt.height == 0


def test_forced_regeling_with_cap(tmp_path):
    reg = regeling_file(tmp_path, "losser-2025-maximum", extra="[sociaal_netwerk.maxima]\nbegeleiding_individueel = 20.00\n")
    f, _, _ = run_check(tmp_path, "BUDGET", regeling=reg, toekenningen=[
        {"toekenning_id": "T1", "zorgverlener_soort": "sociaal_netwerk", "omvang": "100", "budget": "2010.00"}])
    # capped at 20.00: 100 x 20.00 = 2000.00; 2010.00 - 2000.00 = 10.00
    assert effect(f) == 1000 and f["regeling_id"][0] == "losser-2025-maximum"


def test_niet_toetsbaar(tmp_path):
    f, nt, _ = run_check(tmp_path, "BUDGET", budgethouders=[{}, B_DRV], toekenningen=[
        {"toekenning_id": "T1", "budget": "99999.00", "ingangsdatum": "2024-01-01", "einddatum": "2024-12-31"},
        {"toekenning_id": "T2", "budgethouder_id": "B2", "budget": "99999.00", "ingangsdatum": "2026-01-01",
         "einddatum": "2026-12-31"},
        {"toekenning_id": "T3", "product_code": "99X99", "budget": "99999.00"},
    ], zorgovereenkomsten=[{"toekenning_id": None}])
    assert f.height == 0
    redenen = dict(zip(nt["sleutel"], nt["reden"]))
    assert set(redenen) == {"T1", "T2", "T3"}
    assert "geen regeling" in redenen["T1"]
    assert "percentage_professioneel" in redenen["T2"]          # De Ronde Venen 2026 gives no percentages
    assert "99X99" in redenen["T3"]
