"""TARIEF: a line paid above aantal x pgb norm. Euros computed by hand in the comments."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from tests.builders import effect, run_check

LOSSER = Path(__file__).resolve().parents[1] / "tariffs" / "losser-2025.toml"
SN = {"zorgverlener_id": "Z1", "naam": "Tante Truus", "soort": "sociaal_netwerk", "kvk_nummer": None}
ZZP = {"zorgverlener_id": "Z1", "naam": "J. Jansen", "soort": "zzp"}
B_DRV = {"budgethouder_id": "B2", "naam": "Sam Bakker", "bsn": None, "gemeente_code": "0736",
         "postcode": "3641 AA", "woonplaats": "Mijdrecht"}


def regeling_file(tmp_path: Path, naam: str, *, zonder: tuple[str, ...] = (), extra: str = "") -> str:
    """A copy of Losser 2025 with keys removed (and their [bronnen] entries) and text appended."""
    tekst = LOSSER.read_text(encoding="utf-8")
    for key in zonder:
        kort = key.split(".")[-1]
        tekst = re.sub(rf"(?m)^{re.escape(kort)} = .*\n", "", tekst)
        tekst = re.sub(rf'(?m)^"{re.escape(key)}" = .*\n', "", tekst)
    p = tmp_path / f"{naam}.toml"
    p.write_text(tekst + "\n" + extra, encoding="utf-8")
    return str(p)


def one(findings: pl.DataFrame) -> dict:
    assert findings.height == 1, findings
    return findings.row(0, named=True)


def test_zzp_above_norm_fires(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", zorgverleners=[ZZP], declaraties=[
        {"declaratie_id": "D1", "aantal": "2", "tarief": "60.00", "bedrag": "120.00"}])
    # norm zzp'er Losser 45A48: 0.85 x 68.40 = 58.14/uur; 2 x 58.14 = 116.28; 120.00 - 116.28 = 3.72
    r = one(f)
    assert r["financieel_effect_ct"] == 372
    assert r["bedrag_betrokken_ct"] == 12000
    assert r["declaratie_ids"] == ["D1"] and r["soort"] == "fout"
    assert r["regeling_id"] == "losser-2025"
    assert r["artikel"] == "art. 7.4 lid 2 t/m 5 Verordening jeugdhulp Losser 2025"
    t = r["toelichting"]
    assert "zzp'er" in t and "58,14 per uur" in t and "85% van 68,40" in t and "3,72 euro te veel" in t
    assert "116,28" in t and "60,00 per uur" in t
    assert nt.height == 0


def test_exactly_at_norm_and_below_do_not_fire(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", declaraties=[
        {"declaratie_id": "D1", "aantal": "2", "bedrag": "116.28"},    # 2 x 58.14 exactly
        {"declaratie_id": "D2", "aantal": "2", "bedrag": "100.00"},    # below
    ])
    assert f.height == 0 and nt.height == 0


def test_fractional_hours_and_one_cent_over(tmp_path):
    f, _, _ = run_check(tmp_path, "TARIEF", declaraties=[
        {"declaratie_id": "D1", "aantal": "2.5", "bedrag": "145.36"},   # 2.5 x 58.14 = 145.35 -> 0.01 over
        {"declaratie_id": "D2", "aantal": "2.5", "bedrag": "145.35"},   # exactly -> nothing
    ])
    assert effect(f) == 1 and f["declaratie_ids"].to_list() == [["D1"]]


def test_allowed_amount_rounded_to_the_cent_first(tmp_path):
    f, _, _ = run_check(tmp_path, "TARIEF", declaraties=[{"declaratie_id": "D1", "aantal": "0.25", "bedrag": "15.00"}])
    # 0.25 x 58.14 = 14.535 -> 14.54 (half away from zero); 15.00 - 14.54 = 0.46
    assert effect(f) == 46


def test_wonen_verblijf_at_100_percent(tmp_path):
    f, _, _ = run_check(tmp_path, "TARIEF", declaraties=[
        {"declaratie_id": "D1", "product_code": "43A03", "eenheid": "etmaal", "aantal": "2", "tarief": "190.00",
         "bedrag": "380.00"},
        {"declaratie_id": "D2", "product_code": "43A03", "eenheid": "etmaal", "aantal": "2", "bedrag": "373.00"},
    ])
    # wonen_verblijf: 1.00 x 186.50 = 186.50/etmaal (not 85%: that would be 158.53); 2 x 186.50 = 373.00
    # D1: 380.00 - 373.00 = 7.00; D2 exactly at the norm
    r = one(f)
    assert r["financieel_effect_ct"] == 700 and r["declaratie_ids"] == ["D1"]
    assert "100% van 186,50" in r["toelichting"] and "2 etmalen" in r["toelichting"]


def test_sociaal_netwerk_fwg_norm_losser(tmp_path):
    f, _, _ = run_check(tmp_path, "TARIEF", zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "aantal": "3", "tarief": "21.50", "bedrag": "64.50"}])
    # 18.61 x 1.08 = 20.0988 -> 20.10/uur; 3 x 20.10 = 60.30; 64.50 - 60.30 = 4.20
    r = one(f)
    assert r["financieel_effect_ct"] == 420
    assert "sociaal netwerk" in r["toelichting"] and "20,10 per uur" in r["toelichting"]


def test_sociaal_netwerk_cap_below_fwg_norm(tmp_path):
    reg = regeling_file(tmp_path, "losser-2025-maximum", extra="[sociaal_netwerk.maxima]\nbegeleiding_individueel = 20.00\n")
    f, _, _ = run_check(tmp_path, "TARIEF", regeling=reg, zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "aantal": "3", "tarief": "21.50", "bedrag": "64.50"},
        {"declaratie_id": "D2", "aantal": "3", "tarief": "20.00", "bedrag": "60.00", "datum_van": "2025-03-04"},
    ])
    # FWG norm 20.10 capped by the maximum 20.00 -> 20.00/uur; D1: 64.50 - 3 x 20.00 = 4.50; D2 exactly 60.00
    r = one(f)
    assert r["financieel_effect_ct"] == 450 and r["regeling_id"] == "losser-2025-maximum"
    assert "begrensd op 20,00" in r["toelichting"]


def test_sociaal_netwerk_cap_where_fwg_value_absent(tmp_path):
    reg = regeling_file(tmp_path, "losser-2025-zonder-fwg", zonder=("pgb.sociaal_netwerk_uurloon",),
                        extra="[sociaal_netwerk.maxima]\nbegeleiding_individueel = 20.00\n")
    f, nt, _ = run_check(tmp_path, "TARIEF", regeling=reg, zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "aantal": "3", "tarief": "21.50", "bedrag": "64.50"}])
    # no uurloon: the maximum alone, 20.00/uur; 64.50 - 60.00 = 4.50
    assert effect(f) == 450 and nt.height == 0
    assert "maximum sociaal netwerk 20,00" in one(f)["toelichting"]


def test_de_ronde_venen_sociaal_netwerk_cap_20(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", budgethouders=[B_DRV], zorgverleners=[SN],
                         zorgovereenkomsten=[{"budgethouder_id": "B2", "toekenning_id": None, "ingangsdatum": "2026-01-01"}],
                         toekenningen=[{"budgethouder_id": "B2"}], declaraties=[
        {"declaratie_id": "D1", "budgethouder_id": "B2", "datum_van": "2026-02-02", "aantal": "2", "bedrag": "45.00"}])
    # De Ronde Venen 2026 has no FWG amount; maximum 20.00/uur; 2 x 20.00 = 40.00; 45.00 - 40.00 = 5.00
    r = one(f)
    assert r["financieel_effect_ct"] == 500 and r["regeling_id"] == "de-ronde-venen-2026"
    assert r["artikel"].startswith("art. 4.3 Nadere regels jeugdhulp De Ronde Venen 2026")


def test_relatie_familie_makes_it_sociaal_netwerk(tmp_path):
    f, _, _ = run_check(tmp_path, "TARIEF", zorgverleners=[ZZP],
                        zorgovereenkomsten=[{"relatie_tot_budgethouder": "familie", "soort": "familiehulp"}],
                        declaraties=[{"declaratie_id": "D1", "aantal": "2", "bedrag": "50.00"}])
    # zzp'er who is family: sociaal-netwerk norm 20.10; 2 x 20.10 = 40.20; 50.00 - 40.20 = 9.80
    # (as a plain zzp'er it would be allowed 116.28 and not fire)
    assert effect(f) == 980


def test_km_claim_is_left_to_km(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", declaraties=[
        {"declaratie_id": "D1", "product_code": "48A01", "eenheid": "rit", "aantal": "10", "tarief": "50.00",
         "bedrag": "500.00", "km_enkele_reis": "12"}])
    # as a ride it would be above 0.85 x 24.40 = 20.74/rit, but km claims are KM's
    assert f.height == 0 and nt.height == 0


def test_sociaal_netwerk_in_forbidden_category_left_to_sn_categorie(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "45A10", "aantal": "2", "bedrag": "60.00"}])
    # behandeling_individueel is not allowed for the sociaal netwerk in Losser: SN-CATEGORIE takes all 60.00
    assert f.height == 0 and nt.height == 0


def test_sociaal_netwerk_category_judged_when_regeling_has_no_list(tmp_path):
    reg = regeling_file(tmp_path, "losser-2025-zonder-lijst", zonder=("sociaal_netwerk.toegestane_categorieen",))
    # remove the multi-line list itself as well
    tekst = Path(reg).read_text(encoding="utf-8")
    tekst = re.sub(r'(?ms)^    "begeleiding_individueel",.*?^\]\n', "", tekst)
    Path(reg).write_text(tekst, encoding="utf-8")
    f, _, _ = run_check(tmp_path, "TARIEF", regeling=reg, zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "product_code": "45A10", "aantal": "2", "bedrag": "60.00"}])
    # no list: SN-CATEGORIE cannot judge, so TARIEF does: SN norm 20.10; 60.00 - 40.20 = 19.80
    assert effect(f) == 1980


def test_niet_toetsbaar(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", budgethouders=[{}, B_DRV], declaraties=[
        {"declaratie_id": "D1", "product_code": "99X99", "bedrag": "999.00"},               # not in zin_tarieven
        {"declaratie_id": "D2", "datum_van": "2024-06-03", "bedrag": "999.00"},             # no regeling for 2024
        {"declaratie_id": "D3", "budgethouder_id": "B2", "datum_van": "2026-02-02",
         "bedrag": "999.00"},                                                               # DRV: no percentage
        {"declaratie_id": "D4", "eenheid": "dagdeel", "bedrag": "999.00"},                  # unit differs
    ])
    assert f.height == 0
    redenen = dict(zip(nt["sleutel"], nt["reden"]))
    assert set(redenen) == {"D1", "D2", "D3", "D4"}
    assert "99X99" in redenen["D1"] and "zin_tarieven" in redenen["D1"]
    assert "geen regeling" in redenen["D2"]
    assert "percentage_professioneel" in redenen["D3"]
    assert "eenheid dagdeel" in redenen["D4"]


def test_two_gemeenten_two_years_pick_their_own_regeling(tmp_path):
    f, nt, _ = run_check(tmp_path, "TARIEF", budgethouders=[{}, B_DRV], zorgverleners=[SN], declaraties=[
        {"declaratie_id": "D1", "budgethouder_id": "B1", "datum_van": "2025-03-03", "aantal": "3", "bedrag": "64.50"},
        {"declaratie_id": "D2", "budgethouder_id": "B2", "datum_van": "2026-03-02", "aantal": "3", "bedrag": "64.50"},
        {"declaratie_id": "D3", "budgethouder_id": "B2", "datum_van": "2025-03-03", "aantal": "3", "bedrag": "64.50"},
        {"declaratie_id": "D4", "budgethouder_id": "B1", "datum_van": "2026-03-02", "aantal": "3", "bedrag": "64.50"},
    ])
    # D1 Losser 2025: 20.10/uur -> 64.50 - 60.30 = 4.20
    # D2 De Ronde Venen 2026: 20.00/uur -> 64.50 - 60.00 = 4.50
    # D3 (0736 in 2025) and D4 (0168 in 2026): no regeling -> niet toetsbaar
    per = {r["declaratie_ids"][0]: (r["financieel_effect_ct"], r["regeling_id"]) for r in f.iter_rows(named=True)}
    assert per == {"D1": (420, "losser-2025"), "D2": (450, "de-ronde-venen-2026")}
    assert sorted(nt["sleutel"]) == ["D3", "D4"]
