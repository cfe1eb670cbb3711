"""DUBBEL: a line declared again (same budgethouder, zorgverlener, product, days, aantal, bedrag)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import effect, run_check


def test_copies_after_the_first_fire_with_their_bedrag(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, "DUBBEL", declaraties=[
        {"declaratie_id": "D1", "ingediend_op": "2025-03-10"},
        {"declaratie_id": "D2", "ingediend_op": "2025-03-12"},
        {"declaratie_id": "D0", "ingediend_op": "2025-03-20"},   # lower id, but submitted last
    ])
    # D1 is the original (submitted first); D2 and D0 are copies of 116,28 each = 232,56
    assert sorted(x[0] for x in f["declaratie_ids"].to_list()) == ["D0", "D2"]
    assert effect(f) == 2 * 11628
    assert f["soort"].unique().to_list() == ["fout"]
    assert f["artikel"][0].startswith("art. 8.1 lid 4 sub a")
    assert "herhaalt declaratie D1" in f["toelichting"][0] and "116,28" in f["toelichting"][0]
    assert nt.height == 0


def test_multi_day_copy(tmp_path: Path):
    line = {"datum_van": "2025-03-03", "datum_tot": "2025-03-09", "aantal": "10", "bedrag": "581.40"}
    f, _, _ = run_check(tmp_path, "DUBBEL", declaraties=[dict(line, declaratie_id="D1"),
                                                         dict(line, declaratie_id="D2")])
    assert effect(f) == 58140 and f["periode_van"][0].isoformat() == "2025-03-03"
    assert "03-03-2025 t/m 09-03-2025" in f["toelichting"][0]


@pytest.mark.parametrize("change", [
    {"datum_van": "2025-03-04"},                       # another day
    {"aantal": "2.5", "bedrag": "145.35"},             # another aantal and bedrag
    {"bedrag": "116.27"},                              # one cent less
    {"zorgverlener_id": "Z2"},                         # another zorgverlener
    {"product_code": "45A51", "eenheid": "uur"},       # another product
])
def test_near_misses_do_not_fire(tmp_path: Path, change: dict):
    f, _, _ = run_check(
        tmp_path, "DUBBEL",
        zorgverleners=[{"zorgverlener_id": "Z1"}, {"zorgverlener_id": "Z2", "kvk_nummer": "87654321"}],
        declaraties=[{"declaratie_id": "D1"}, dict({"declaratie_id": "D2"}, **change)],
    )
    assert f.height == 0


def test_same_care_for_two_budgethouders_is_not_a_copy(tmp_path: Path):
    f, _, _ = run_check(
        tmp_path, "DUBBEL",
        budgethouders=[{"budgethouder_id": "B1"}, {"budgethouder_id": "B2", "bsn": None}],
        declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "budgethouder_id": "B2"}],
    )
    assert f.height == 0


def test_rejected_lines_are_not_judged(tmp_path: Path):
    # D2 is a copy, but the SVB refused it (status afgekeurd): nothing was paid twice
    f, _, a = run_check(tmp_path, "DUBBEL", declaraties=[
        {"declaratie_id": "D1"}, {"declaratie_id": "D2", "status": "afgekeurd"}])
    assert f.height == 0
    assert a.validated.counts["declaraties"]["rows_audited"] == 2
