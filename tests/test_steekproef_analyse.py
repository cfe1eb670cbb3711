"""Data analytics: stratification, ageing, jfa's digit_test and repeated_test, figures by hand."""

from __future__ import annotations

import json
import math
from datetime import date

import polars as pl
import pytest
from click.testing import CliRunner
from scipy import stats

from auditor.cli import main
from auditor.steekproef import analyse as an
from tests.builders import make_batch


def test_digit_test_uniform_1_to_9_as_jfa():
    # jfa test-digit-test.R: digit_test(x = 1:9, check = "first", reference = "uniform"):
    # n = 9, statistic = 0, parameter = 8, p.value = 1
    r = an.digit_test(pl.Series([100 * i for i in range(1, 10)]), "first", "uniform")
    assert (r["n"], r["statistic"], r["df"], r["p_value"]) == (9, 0.0, 8, 1.0)
    assert r["mad"] == 0.0 and not r["cijfers"]["afwijking"].any()


def test_digit_test_benford_by_hand():
    # 6 amounts starting with 1 and 4 with 2: expected 10 x log10(2) = 3.0103 ones, 1.7609 twos, ...
    vals = pl.Series([12_345, 150_000, 1_999, 10_000, 17_50, 1_00] + [2_00, 25_00, 29_999, 2_000_000])
    r = an.digit_test(vals, "first", "benford")
    p = [math.log10(1 + 1 / d) for d in range(1, 10)]
    obs = [6, 4, 0, 0, 0, 0, 0, 0, 0]
    hand = sum((o - 10 * q) ** 2 / (10 * q) for o, q in zip(obs, p))
    assert r["n"] == 10 and r["statistic"] == pytest.approx(hand, rel=1e-12)
    assert r["p_value"] == pytest.approx(stats.chi2.sf(hand, 8), rel=1e-12)
    assert r["mad"] == pytest.approx(sum(abs(o / 10 - q) for o, q in zip(obs, p)) / 9, rel=1e-12)
    # digit 1: 6 of 10 against 0.301: interval qbeta(0.025, 6, 5) .. qbeta(0.975, 7, 4) = 0.2624 .. 0.8784
    d1 = r["cijfers"].row(0, named=True)
    assert d1["ondergrens"] == pytest.approx(0.26238, abs=1e-4) and d1["bovengrens"] == pytest.approx(0.87845, abs=1e-4)
    assert d1["afwijking"] is False


def test_digits_as_jfa_extract_digits():
    # first: trunc(10^-floor(log10 x) * x); first two: times 10; last: trailing zeros of the text removed
    v = pl.Series([12_000, 8_720, 10_050, 10_000, 12_345, 5, 0])     # 120,00 87,20 100,50 100,00 123,45 0,05 0
    assert an.cijfers(v, "first").to_list() == [1, 8, 1, 1, 1, 5]
    assert an.cijfers(v, "firsttwo").to_list() == [12, 87, 10, 10, 12, 50]
    assert an.cijfers(v, "last").to_list() == [2, 2, 5, 1, 5, 5]


def test_average_frequency_and_simulated_p_value():
    # 1,00 1,00 2,00 3,05 3,05 3,05 4,15: counts 2, 1, 3, 1 -> AF = (4 + 1 + 9 + 1) / 7 = 15 / 7
    x = pl.Series([100, 100, 200, 305, 305, 305, 415])
    assert an.average_frequency(x.to_numpy()) == pytest.approx(15 / 7)
    a, b = an.repeated_test(x, "last", 500, 9), an.repeated_test(x, "last", 500, 9)
    assert a == b and a["statistic"] == pytest.approx(15 / 7) and 0 <= a["p_value"] <= 1
    # all amounts equal: shuffling their (equal) cent digits changes nothing, every AF = 5: p = 1
    assert an.repeated_test(pl.Series([1234] * 5), "last", 100, 1)["p_value"] == 1.0
    # all distinct amounts with the same cents: AF = 1, simulations give 1 too: p = 1
    assert an.repeated_test(pl.Series([100, 200, 300]), "lasttwo", 50, 1)["statistic"] == 1.0


def lines(bedragen_ct, **cols):
    n = len(bedragen_ct)
    return pl.DataFrame({"declaratie_id": [f"D{i}" for i in range(n)], "zorgverlener_id": ["Z1"] * n,
                         "bedrag_ct": bedragen_ct, **cols})


def test_stratification_by_hand():
    s = an.stratificatie(lines([1_000, 4_999, 5_000, 30_000, 600_000]))
    rows = {r["stratum"]: r for r in s.to_dicts()}
    assert rows["< 50"]["regels"] == 2 and rows["< 50"]["bedrag"] == 59.99          # 10,00 + 49,99
    assert rows["50 - 100"]["regels"] == 1 and rows["250 - 500"]["bedrag"] == 300.0
    assert rows[">= 5000"]["regels"] == 1 and rows[">= 5000"]["aandeel_bedrag"] == round(600_000 / 640_999, 4)
    assert s["regels"].sum() == 5 and s.height == 8


def test_ageing_by_hand():
    tot = [date(2025, 3, 31)] * 4
    ing = [date(2025, 3, 30), date(2025, 4, 10), date(2025, 7, 31), None]          # -1, 10, 122 days, unknown
    a = an.ouderdom(lines([100, 200, 300, 400], datum_tot=tot, ingediend_op=ing))
    rows = {r["bucket"]: r for r in a.to_dicts()}
    assert rows["voor einde zorg"]["regels"] == 1
    assert rows["0 - 30 dagen"]["regels"] == 1 and rows["0 - 30 dagen"]["mediaan_dagen"] == 10
    assert rows["91 - 180 dagen"]["regels"] == 1 and rows["91 - 180 dagen"]["bedrag"] == 3.0
    assert rows["onbekend (geen ingediend_op)"]["regels"] == 1


def test_hours_times_tariff_is_not_benford_data():
    # 60 lines of k x 0,5 uur x 58,14: every bedrag is aantal x tarief
    d = lines([round(k * 5_000 * 5_814 / 10_000) for k in range(1, 61)],
              aantal_e4=[k * 5_000 for k in range(1, 61)], tarief_ct=[5_814] * 60)
    ok, reden = an.toepasbaarheid(d, 50)
    assert not ok and "aantal x vast tarief" in reden and "Benford" in reden
    assert an.toepasbaarheid(d.head(10), 50) == (False, "te weinig regels (10; minimaal 50)")
    wide = lines([10 ** (2 + (i % 5)) + i for i in range(60)], aantal_e4=[None] * 60, tarief_ct=[None] * 60)
    assert an.toepasbaarheid(wide.with_columns(pl.col("aantal_e4").cast(pl.Int64), pl.col("tarief_ct").cast(pl.Int64)),
                             50) == (True, "toepasbaar")


def test_cli_analyse_writes_its_tables_and_says_when_a_test_does_not_apply(tmp_path):
    decl = [{"declaratie_id": f"D{i:03d}", "aantal": str(1 + i % 4), "bedrag": f"{58.14 * (1 + i % 4):.2f}",
             "ingediend_op": "2025-03-20"} for i in range(60)]
    batch = make_batch(tmp_path, declaraties=decl)
    out = tmp_path / "an"
    r = CliRunner().invoke(main, ["steekproef", "analyse", str(batch), "--out", str(out), "--simulaties", "200",
                                  "--json"])
    assert r.exit_code == 0, r.output
    j = json.loads(r.output)
    assert j["regels"] == 60 and j["benford_toepasbaar"] is False and j["zorgverleners_getoetst"] == 1
    assert {c["toets"] for c in j["cijfertoets"]} == {"first", "firsttwo", "last"}
    assert all(not c["toepasbaar"] and "vast tarief" in c["toelichting"] for c in j["cijfertoets"])
    # 4 distinct amounts, 15 lines each: AF = 4 x 15^2 / 60 = 15
    assert j["herhaling"][0]["af"] == 15.0
    for f in ("stratificatie.csv", "ouderdom.csv", "cijfertoets.csv", "herhaling.csv", "analyse.json"):
        assert (out / f).is_file()
    o = pl.read_csv(out / "ouderdom.csv")
    assert o.filter(pl.col("bucket") == "0 - 30 dagen")["regels"][0] == 60        # 17 days after 03-03
