"""BUITENLAND: Losser 2025 allows max_weken_buitenland = 6 weeks = 42 distinct days per year."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.builders import effect, run_check

LOSSER = str(Path(__file__).resolve().parents[1] / "tariffs" / "losser-2025.toml")


def _r(did, van, tot, bedrag, land="ES", **kw):
    return {"declaratie_id": did, "datum_van": van, "datum_tot": tot, "bedrag": bedrag, "land": land, **kw}


def test_line_crossing_the_limit_pro_rata_to_the_cent(tmp_path):
    findings, nt, _ = run_check(tmp_path, "BUITENLAND", declaraties=[
        _r("D1", "2025-07-01", "2025-08-05", "3600.00"),             # 31 + 5 = 36 days: days 1..36
        _r("D3", "2025-07-01", "2025-07-01", "50.00"),               # same day as D1's first: still day 1
        _r("D5", "2025-08-10", "2025-08-20", "500.00", land="NL"),   # in the Netherlands: never counts
        _r("D2", "2025-09-01", "2025-09-08", "100.02", land="FR"),   # 8 days: days 37..44
        _r("D4", "2025-09-08", "2025-09-08", "80.00"),               # same day as D2's last: day 44
    ])
    assert nt.height == 0
    assert findings.height == 1
    f = findings.row(0, named=True)
    # limit 6 x 7 = 42; days 43 (7 Sep) and 44 (8 Sep) are past it.
    # D2: 100,02 x 2/8 = 25,005 -> 25,01 (half away from zero); D4: its one day is day 44 -> 80,00.
    # total 25,01 + 80,00 = 105,01
    assert f["financieel_effect_ct"] == 2501 + 8000
    assert f["declaratie_ids"] == ["D2", "D4"]
    assert f["bedrag_betrokken_ct"] == 10002 + 8000
    assert str(f["periode_van"]) == "2025-09-07" and str(f["periode_tot"]) == "2025-09-08"
    assert f["zorgverlener_id"] == "Z1"
    assert f["regeling_id"] == "losser-2025"
    assert f["toelichting"] == ("In 2025 kreeg de budgethouder op 44 dagen zorg buiten Nederland, terwijl de "
                                "regeling ten hoogste 6 weken (42 dagen) per kalenderjaar toestaat; de zorg op de "
                                "2 dagen daarna (van 07-09-2025 t/m 08-09-2025) kost 105,01 euro en mag niet uit "
                                "het pgb worden betaald.")


def test_exactly_the_limit_does_not_fire(tmp_path):
    findings, nt, _ = run_check(tmp_path, "BUITENLAND", declaraties=[
        _r("D1", "2025-07-01", "2025-08-05", "3600.00"),             # 36 days
        _r("D2", "2025-09-01", "2025-09-06", "600.00", land="FR"),   # 6 days: 42 in all
        _r("D3", "2025-09-06", "2025-09-06", "80.00"),               # same day again: still 42
        _r("D4", "2025-10-01", "2025-10-31", "3100.00", land="NL"),
    ])
    assert findings.height == 0
    assert nt.height == 0


def test_line_crossing_new_year_is_split_per_year(tmp_path):
    findings, nt, _ = run_check(tmp_path, "BUITENLAND", regeling=LOSSER, declaraties=[
        # 10 Nov 2025 .. 20 Jan 2026: 21 + 31 = 52 days in 2025, 20 days in 2026, 72 days, 10,00 a day
        _r("D1", "2025-11-10", "2026-01-20", "720.00", land="BE"),
        # 2026: 20 days of D1 + 31 days of D2 = 51 > 42
        _r("D2", "2026-03-01", "2026-03-31", "310.00", land="BE"),
    ])
    assert nt.height == 0
    per_jaar = {str(r["periode_van"])[:4]: r for r in findings.iter_rows(named=True)}
    assert set(per_jaar) == {"2025", "2026"}
    # 2025: 52 days, 10 past the limit (22..31 Dec): 720,00 x 10/72 = 100,00
    assert per_jaar["2025"]["financieel_effect_ct"] == 10000
    assert per_jaar["2025"]["declaratie_ids"] == ["D1"]
    assert str(per_jaar["2025"]["periode_van"]) == "2025-12-22"
    # 2026: 51 days, 9 past the limit (23..31 Mar, all of D2): 310,00 x 9/31 = 90,00
    assert per_jaar["2026"]["financieel_effect_ct"] == 9000
    assert per_jaar["2026"]["declaratie_ids"] == ["D2"]
    assert str(per_jaar["2026"]["periode_van"]) == "2026-03-23"
    assert effect(findings) == 19000


def test_niet_toetsbaar(tmp_path):
    findings, nt, _ = run_check(
        tmp_path, "BUITENLAND",
        budgethouders=[{"budgethouder_id": "B1"}, {"budgethouder_id": "B2", "bsn": None, "gemeente_code": "0736"}],
        declaraties=[
            # without a forced regeling Losser has none for 2026: the 2026 days cannot be judged
            _r("D1", "2025-12-20", "2026-01-05", "170.00", land="BE"),
            _r("D2", "2026-02-01", "2026-02-10", "100.00", budgethouder_id="B2"),   # DRV: no max_weken_buitenland
            _r("D3", "2026-02-01", "2026-02-10", "100.00", budgethouder_id="B2", land="NL"),  # NL: not judged here
        ])
    assert findings.height == 0
    reden = sorted(zip(nt["sleutel"].to_list(), nt["reden"].to_list()))
    assert reden == [("D1", "geen regeling voor de gemeente in 2026"),
                     ("D2", "max_weken_buitenland ontbreekt in de regeling de-ronde-venen-2026")]
