"""ONMOGELIJKE-UREN: one natural person declaring more than max_uren_per_dag (24) hours on a
day across all budgethouders; the excess euros shared pro rata to each budgethouder's hours."""

from __future__ import annotations

from pathlib import Path

from tests.builders import effect, run_check

CODE = "ONMOGELIJKE-UREN"


def _batch(zv_soort: str = "zzp", n_bh: int = 2) -> dict:
    """Z1 (of `zv_soort`) works for B1..Bn under Losser 2025."""
    bhs = [{"budgethouder_id": f"B{i}", "bsn": None} for i in range(1, n_bh + 1)]
    return {
        "budgethouders": bhs,
        "zorgverleners": [{"zorgverlener_id": "Z1", "soort": zv_soort, "kvk_nummer": None}],
        "toekenningen": [{"toekenning_id": f"T{i}", "budgethouder_id": f"B{i}"} for i in range(1, n_bh + 1)],
        "zorgovereenkomsten": [{"zorgovereenkomst_id": f"O{i}", "budgethouder_id": f"B{i}"}
                               for i in range(1, n_bh + 1)],
    }


def _l(did: str, bh: str, uren: str, bedrag: str, van: str = "2025-03-03", tot: str | None = None, **kw) -> dict:
    return dict({"declaratie_id": did, "budgethouder_id": bh, "aantal": uren, "bedrag": bedrag, "tarief": "50.00",
                 "datum_van": van, "datum_tot": tot or van}, **kw)


def test_excess_shared_over_budgethouders_pro_rata(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, **_batch(), declaraties=[
        _l("D1", "B1", "20", "1000.00"), _l("D2", "B2", "10", "600.00")])
    # 03-03-2025: 20 + 10 = 30 uur, 6 past 24.
    # B1: 1.000,00 x 6/30 = 200,00; B2: 600,00 x 6/30 = 120,00; together 320,00 = the excess euros
    assert effect(f, budgethouder_id="B1") == 20000
    assert effect(f, budgethouder_id="B2") == 12000
    assert f.height == 2 and f["zorgverlener_id"].unique().to_list() == ["Z1"]
    b1 = f.filter(f["budgethouder_id"] == "B1").row(0, named=True)
    assert b1["declaratie_ids"] == ["D1"] and b1["bedrag_betrokken_ct"] == 100000
    assert b1["periode_van"].isoformat() == b1["periode_tot"].isoformat() == "2025-03-03"
    assert "meer dan 24 uur per dag, in totaal 6 uur te veel" in b1["toelichting"]
    assert "200,00 van 1.000,00 euro" in b1["toelichting"]
    assert b1["artikel"].startswith("art. 8.1 lid 4 sub a") and nt.height == 0


def test_near_misses(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, **_batch(), declaraties=[
        # exactly 24 uur on 03-03
        _l("D1", "B1", "14", "700.00"), _l("D2", "B2", "10", "500.00"),
        # 30 units on 04-03, but dagdelen are not hours
        _l("D3", "B1", "20", "1000.00", van="2025-03-04"),
        _l("D4", "B2", "10", "526.00", van="2025-03-04", product_code="45A49", eenheid="dagdeel", tarief="52.60"),
    ])
    assert f.height == 0 and nt.height == 0


def test_instelling_is_never_judged(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, **_batch("instelling"), declaraties=[
        _l("D1", "B1", "20", "1000.00"), _l("D2", "B2", "10", "600.00")])
    assert f.height == 0


def test_multi_day_line_spread_evenly(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, **_batch("sociaal_netwerk", 1), declaraties=[
        _l("D1", "B1", "60", "900.00", van="2025-03-03", tot="2025-03-05"),
        _l("D2", "B1", "10", "150.00", van="2025-03-04")])
    # D1: 60 uur / 3 days = 20 uur and 300,00 per day. 04-03: 20 + 10 = 30 uur, 6 past 24;
    # euros that day 300,00 + 150,00 = 450,00; 450,00 x 6/30 = 90,00. 03-03 and 05-03: 20 uur, fine.
    assert effect(f) == 9000
    r = f.row(0, named=True)
    assert r["declaratie_ids"] == ["D1", "D2"] and r["bedrag_betrokken_ct"] == 45000
    assert r["periode_van"].isoformat() == r["periode_tot"].isoformat() == "2025-03-04"


def test_rounded_once_per_finding_half_away_from_zero(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, **_batch("overig_niet_professioneel"), declaraties=[
        _l("D1", "B1", "16", "10.02", tarief="0.63"), _l("D2", "B2", "16", "10.02", tarief="0.63"),
        _l("D3", "B1", "16", "10.02", van="2025-03-04", tarief="0.63"),
        _l("D4", "B2", "16", "20.00", van="2025-03-04", tarief="1.25")])
    # each day 16 + 16 = 32 uur, 8 past 24: share = euros x 8/32 = euros / 4.
    # B1: 10,02/4 + 10,02/4 = 2,505 + 2,505 = 5,01 (rounding per day would give 2,51 + 2,51 = 5,02)
    # B2: 10,02/4 + 20,00/4 = 2,505 + 5,00 = 7,505 -> 7,51 (half away from zero)
    assert effect(f, budgethouder_id="B1") == 501
    assert effect(f, budgethouder_id="B2") == 751
    b1 = f.filter(f["budgethouder_id"] == "B1").row(0, named=True)
    assert b1["declaratie_ids"] == ["D1", "D3"]
    assert (b1["periode_van"].isoformat(), b1["periode_tot"].isoformat()) == ("2025-03-03", "2025-03-04")
    assert "op 2 dagen tussen 03-03-2025 en 04-03-2025" in b1["toelichting"]


def test_line_without_regeling_is_niet_toetsbaar(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, **_batch(n_bh=1), declaraties=[
        _l("D1", "B1", "30", "1500.00", van="2024-06-03")])
    # no regeling covers Losser 2024: no limit, so niet toetsbaar (not silently passed)
    assert f.height == 0
    assert nt["sleutel"].to_list() == ["D1"] and "Geen regeling" in nt["reden"][0]
