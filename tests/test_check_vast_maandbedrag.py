"""VAST-MAANDBEDRAG: fixed monthly amounts (Losser 2025: vast_maandbedrag_toegestaan = false)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.builders import effect, run_check

ROOT = Path(__file__).resolve().parents[1]

O_VAST = {"zorgovereenkomst_id": "O2", "werkafspraak": "vast_maandbedrag", "vast_maandbedrag": "1200.00",
          "eenheid": "maand", "tarief": "1200.00"}


def _maand(did: str, van: str, tot: str, aantal: str = "20", bedrag: str = "1162.80", **kw) -> dict:
    return {"declaratie_id": did, "datum_van": van, "datum_tot": tot, "aantal": aantal, "tarief": "58.14",
            "bedrag": bedrag, **kw}


def test_fout_vast_maandbedrag_agreement(tmp_path):
    findings, nt, _ = run_check(
        tmp_path, "VAST-MAANDBEDRAG",
        zorgovereenkomsten=[{}, O_VAST, dict(O_VAST, zorgovereenkomst_id="O3")],
        declaraties=[
            {"declaratie_id": "D1", "zorgovereenkomst_id": "O2", "datum_van": "2025-03-01", "datum_tot": "2025-03-31",
             "eenheid": "maand", "aantal": "1", "tarief": "1200.00", "bedrag": "1200.00"},
            {"declaratie_id": "D2", "zorgovereenkomst_id": "O2", "datum_van": "2025-04-01", "datum_tot": "2025-04-30",
             "eenheid": "maand", "aantal": "1", "tarief": "1200.00", "bedrag": "1200.00"},
            {"declaratie_id": "D3"},   # per_eenheid under O1, one month only: nothing
        ])
    assert nt.height == 0
    f = findings.filter(pl.col("zorgovereenkomst_id") == "O2").row(0, named=True)
    # 1.200,00 + 1.200,00 = 2.400,00 euro
    assert f["financieel_effect_ct"] == 240000
    assert f["soort"] == "fout"
    assert f["declaratie_ids"] == ["D1", "D2"]
    assert str(f["periode_van"]) == "2025-03-01" and str(f["periode_tot"]) == "2025-04-30"
    assert f["artikel"] == "art. 7.3 lid 9 Verordening jeugdhulp Losser 2025"
    assert f["toelichting"] == ("Zorgovereenkomst O2 spreekt een vast maandbedrag af (1.200,00 euro per maand), "
                                "terwijl de regeling alleen betaling per geleverde eenheid toestaat; de 2 declaraties "
                                "onder deze overeenkomst (2.400,00 euro) zijn daarom niet toegestaan.")
    # O3 has no lines: a finding of 0,00 (the agreement itself breaks the rule)
    f3 = findings.filter(pl.col("zorgovereenkomst_id") == "O3")
    assert f3.height == 1 and f3["financieel_effect_ct"][0] == 0
    assert findings.height == 2


def test_vast_maandbedrag_allowed_by_regeling_does_not_fire(tmp_path):
    toml = (ROOT / "tariffs" / "losser-2025.toml").read_text(encoding="utf-8")
    eigen = tmp_path / "losser-toegestaan.toml"
    eigen.write_text(toml.replace("vast_maandbedrag_toegestaan = false", "vast_maandbedrag_toegestaan = true"),
                     encoding="utf-8")
    findings, nt, _ = run_check(
        tmp_path, "VAST-MAANDBEDRAG", regeling=str(eigen),
        zorgovereenkomsten=[{}, O_VAST],
        declaraties=[
            {"declaratie_id": "D1", "zorgovereenkomst_id": "O2", "datum_van": "2025-03-01", "datum_tot": "2025-03-31",
             "eenheid": "maand", "aantal": "1", "tarief": "1200.00", "bedrag": "1200.00"},
            _maand("D2", "2025-03-03", "2025-03-28"), _maand("D3", "2025-04-01", "2025-04-28"),
            _maand("D4", "2025-05-01", "2025-05-28"),
        ])
    assert findings.height == 0
    assert nt.height == 0


def test_onzekerheid_three_equal_months(tmp_path):
    findings, nt, _ = run_check(tmp_path, "VAST-MAANDBEDRAG", declaraties=[
        # March in two lines: 10 + 10 uur, 581,40 + 581,40 = 1.162,80 -> same month total as April and May
        _maand("D1", "2025-03-03", "2025-03-14", aantal="10", bedrag="581.40"),
        _maand("D2", "2025-03-17", "2025-03-28", aantal="10", bedrag="581.40"),
        _maand("D3", "2025-04-01", "2025-04-30"),
        _maand("D4", "2025-05-01", "2025-05-30"),
    ])
    assert nt.height == 0
    assert findings.height == 1
    f = findings.row(0, named=True)
    # 3 months x 1.162,80 = 3.488,40 euro
    assert f["financieel_effect_ct"] == 348840
    assert f["soort"] == "onzekerheid"
    assert f["declaratie_ids"] == ["D1", "D2", "D3", "D4"]
    assert f["zorgovereenkomst_id"] == "O1"
    assert str(f["periode_van"]) == "2025-03-03" and str(f["periode_tot"]) == "2025-05-30"
    assert f["toelichting"] == ("Zorgverlener Z1 declareerde 3 maanden achter elkaar (maart 2025 t/m mei 2025) "
                                "elke maand precies 1.162,80 euro voor 20 uur; dat wijst op een vast maandbedrag, "
                                "dat de regeling niet toestaat (3.488,40 euro).")


def test_onzekerheid_runs_are_split_by_a_different_month(tmp_path):
    findings, _, _ = run_check(tmp_path, "VAST-MAANDBEDRAG", declaraties=[
        _maand("D1", "2025-01-06", "2025-01-31"), _maand("D2", "2025-02-03", "2025-02-28"),
        _maand("D3", "2025-03-03", "2025-03-31"), _maand("D4", "2025-04-01", "2025-04-30"),
        _maand("D5", "2025-05-01", "2025-05-30", aantal="19.5", bedrag="1133.73"),   # breaks the run
        _maand("D6", "2025-06-02", "2025-06-30"), _maand("D7", "2025-07-01", "2025-07-31"),
        _maand("D8", "2025-08-01", "2025-08-29"),
    ])
    # runs: Jan-Apr (4 months: 4 x 1.162,80 = 4.651,20) and Jun-Aug (3 x 1.162,80 = 3.488,40)
    assert findings.height == 2
    assert sorted(findings["financieel_effect_ct"].to_list()) == [348840, 465120]
    assert effect(findings) == 465120 + 348840


def test_near_misses(tmp_path):
    findings, nt, _ = run_check(tmp_path, "VAST-MAANDBEDRAG", declaraties=[
        # March, April, June: not consecutive
        _maand("D1", "2025-03-03", "2025-03-28"), _maand("D2", "2025-04-01", "2025-04-28"),
        _maand("D3", "2025-06-02", "2025-06-27"),
        # same euros, other aantal in one month (another zorgverlener's agreement is not needed:
        # same budgethouder/zorgverlener pair, months Sep-Nov)
        _maand("D4", "2025-09-01", "2025-09-26"), _maand("D5", "2025-10-01", "2025-10-31"),
        _maand("D6", "2025-11-03", "2025-11-28", aantal="20.0001"),
    ])
    assert findings.height == 0
    assert nt.height == 0


def test_niet_toetsbaar(tmp_path):
    findings, nt, _ = run_check(
        tmp_path, "VAST-MAANDBEDRAG",
        budgethouders=[{"budgethouder_id": "B1"}, {"budgethouder_id": "B2", "bsn": None, "gemeente_code": "0736"}],
        zorgovereenkomsten=[{}, dict(O_VAST, zorgovereenkomst_id="O2", budgethouder_id="B2", toekenning_id=None,
                                     ingangsdatum="2026-01-01")],
        declaraties=[
            _maand("D1", "2027-01-04", "2027-01-29"),            # no regeling covers 2027 for Losser
            {"declaratie_id": "D2", "budgethouder_id": "B2", "zorgovereenkomst_id": "O2", "datum_van": "2026-02-01",
             "datum_tot": "2026-02-28", "eenheid": "maand", "aantal": "1", "tarief": "1200.00", "bedrag": "1200.00"},
        ])
    assert findings.height == 0
    reden = dict(zip(nt["sleutel"].to_list(), nt["reden"].to_list()))
    assert reden == {
        "D1": "geen regeling voor deze gemeente en datum",
        "D2": "vast_maandbedrag_toegestaan ontbreekt in de regeling de-ronde-venen-2026",
    }
