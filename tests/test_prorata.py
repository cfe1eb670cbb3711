"""Pro-rata euros of BUITEN-PERIODE, exact to the cent, on multi-day lines that cross a
month, a year, a leap day and a death date; rounding is half away from zero (never half to
even). Every expected amount is computed by hand in the comment above it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from auditor import money
from tests.builders import effect, run_check

CODE = "BUITEN-PERIODE"


def _line(van: str, tot: str, bedrag: str, dagen: int) -> dict:
    # aantal = days, tarief chosen so that aantal x tarief is not needed: only bedrag counts
    return {"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": van, "datum_tot": tot,
            "aantal": str(dagen), "tarief": "1.00", "bedrag": bedrag}


def test_crossing_a_month(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, toekenningen=[{"einddatum": "2025-03-31"}],
                        declaraties=[_line("2025-03-29", "2025-04-04", "100.00", 7)])
    # 29-03 t/m 04-04 = 3 + 4 = 7 days; 01..04-04 outside = 4 days: 100,00 x 4 / 7 = 57,142857.. -> 57,14
    assert effect(f) == 5714


def test_crossing_a_year_rounds_half_away_from_zero(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, declaraties=[_line("2025-12-29", "2026-01-03", "123.45", 6)])
    # T1 ends 31-12-2025; 29-12 t/m 03-01 = 3 + 3 = 6 days; 3 outside: 123,45 x 3 / 6 = 61,725 -> 61,73
    # (half to even would give 61,72)
    assert effect(f) == 6173
    assert (f["periode_van"][0].isoformat(), f["periode_tot"][0].isoformat()) == ("2026-01-01", "2026-01-03")


def test_crossing_a_death_date(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, budgethouders=[{"overlijdensdatum": "2025-02-28"}],
                        declaraties=[_line("2025-02-27", "2025-03-02", "100.01", 4)])
    # 2025 is no leap year: 27-02, 28-02, 01-03, 02-03 = 4 days; the death day 28-02 is inside,
    # 01-03 and 02-03 outside: 100,01 x 2 / 4 = 50,005 -> 50,01
    assert effect(f) == 5001
    assert "2 van de 4 dagen (01-03-2025 t/m 02-03-2025) vallen na de overlijdensdatum" in f["toelichting"][0]


def test_crossing_a_leap_day(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        toekenningen=[{"ingangsdatum": "2028-01-01", "einddatum": "2028-02-28",
                                       "aanvraagdatum": "2027-12-01", "besluitdatum": "2027-12-15"}],
                        declaraties=[_line("2028-02-27", "2028-03-01", "0.03", 4)])
    # 2028 is a leap year: 27-02, 28-02, 29-02, 01-03 = 4 days; 29-02 and 01-03 outside:
    # 0,03 x 2 / 4 = 0,015 -> 0,02 (no regeling covers 2028; BUITEN-PERIODE needs none)
    assert effect(f) == 2


def test_whole_line_outside_is_the_whole_bedrag(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, toekenningen=[{"einddatum": "2025-03-31"}],
                        declaraties=[_line("2025-04-01", "2025-04-03", "100.01", 3)])
    # T1 named; all 3 days after 31-03: 100,01 x 3 / 3 = 100,01 (not 3 x 33,34 = 100,02)
    assert effect(f) == 10001


def test_money_prorata_rounds_half_away_from_zero():
    df = pl.DataFrame({"a": [10001, 12345, 3, -10001, 10000]}, schema={"a": pl.Int64}).with_columns(
        pl.Series("p", [1, 3, 2, 1, 4]), pl.Series("w", [2, 6, 4, 2, 7]))
    out = df.select(money.prorata("a", "p", "w")).to_series().to_list()
    # 100,01/2 = 50,005 -> 50,01; 123,45x3/6 = 61,725 -> 61,73; 0,03x2/4 = 0,015 -> 0,02;
    # -100,01/2 = -50,005 -> -50,01; 100,00x4/7 = 57,1428.. -> 57,14
    assert out == [5001, 6173, 2, -5001, 5714]
