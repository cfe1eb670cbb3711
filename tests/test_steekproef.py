"""Monetary-unit sampling: size, interval, top stratum, reproducibility per seed."""

from __future__ import annotations

import json
from decimal import Decimal

import polars as pl
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.reports.steekproef import betrouwbaarheidsfactor, trek
from tests.builders import make_batch


def decl(bedragen_ct: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"declaratie_id": [f"D{i:04d}" for i in range(len(bedragen_ct))],
                         "bedrag_ct": bedragen_ct}, schema={"declaratie_id": pl.String, "bedrag_ct": pl.Int64})


def test_reliability_factors_match_the_table():
    assert betrouwbaarheidsfactor(0.95) == Decimal("3.00")   # -ln(0.05) = 2.9957 -> 3.00
    assert betrouwbaarheidsfactor(0.90) == Decimal("2.31")   # -ln(0.10) = 2.3026 -> 2.31
    assert betrouwbaarheidsfactor(0.99) == Decimal("4.61")   # -ln(0.01) = 4.6052 -> 4.61


def test_size_interval_and_top_stratum():
    # 10 lines of 1,000.00: total 10,000.00; n = ceil(10,000 x 3.00 / 1,000) = 30; interval 333.33;
    # every line (1,000.00 >= 333.33) is in the top stratum and holds 3 of the 30 units
    s = trek(decl([100_000] * 10), materialiteit_ct=100_000, betrouwbaarheid=0.95, seed=7)
    assert s.meta["n"] == 30 and s.meta["interval"] == "333.33"
    assert s.regels.height == 10
    assert set(s.regels["bovenste_laag"]) == {"ja"}
    assert s.regels["treffers"].sum() == 30


def test_big_line_always_selected_and_hits_add_up():
    # 200 lines of 10.00 and one of 500.00: total 2,500.00; materialiteit 300.00 ->
    # n = ceil(2,500 x 3 / 300) = 25, interval 100.00: the 500.00 line holds 5 units, whatever the seed
    pop = decl([1000] * 200 + [50_000])
    for seed in range(20):
        s = trek(pop, 30_000, 0.95, seed)
        assert s.meta["n"] == 25
        big = s.regels.filter(pl.col("bedrag_ct") == 50_000)
        assert big.height == 1 and big["bovenste_laag"][0] == "ja" and big["treffers"][0] == 5
        assert s.regels["treffers"].sum() == 25


def test_same_seed_same_sample_other_seed_other_sample():
    pop = decl([1000 + (i * 37) % 900 for i in range(500)])
    a, b, c = (trek(pop, 50_000, 0.95, s) for s in (1, 1, 2))
    assert a.regels.equals(b.regels) and a.meta == b.meta
    assert not a.regels["declaratie_id"].equals(c.regels["declaratie_id"])


def test_non_positive_lines_are_outside_the_population():
    s = trek(decl([0, -500, 10_000]), 1_000, 0.95, 1)
    assert s.meta["populatie_regels"] == 1 and s.meta["buiten_populatie_regels"] == 2
    assert s.regels["declaratie_id"].to_list() == ["D0002"]


def test_cli_reproducible(tmp_path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": f"D{i}", "aantal": "1", "bedrag": f"{50 + i}.00"}
                                              for i in range(60)])
    runner = CliRunner()

    def run(seed, name):
        out = tmp_path / name
        res = runner.invoke(main, ["steekproef", "trek", str(batch), "--materialiteit", "1.000,00", "--betrouwbaarheid",
                                   "0.95", "--seed", str(seed), "--out", str(out)])
        assert res.exit_code == 0, res.output
        return out

    a, b, c = run(11, "a.csv"), run(11, "b.csv"), run(12, "c.csv")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    meta = json.loads((tmp_path / "a.meta.json").read_text(encoding="utf-8"))
    # total = sum(50..109) = 60 x 79.5 = 4,770.00; n = ceil(4,770 x 3.00 / 1,000) = ceil(14.31) = 15
    assert meta["seed"] == 11 and meta["n"] == 15 and meta["populatie_bedrag"] == "4770.00"
    assert meta["interval"] == "318.00" and "monetary unit sampling" in meta["methode"]
    rows = pl.read_csv(a, infer_schema=False, separator=";")
    assert set(rows["seed"]) == {"11"} and set(rows["n"]) == {"15"}


def test_cli_rejects_bad_materialiteit(tmp_path):
    batch = make_batch(tmp_path)
    res = CliRunner().invoke(main, ["steekproef", "trek", str(batch), "--materialiteit", "nul", "--seed", "1",
                                    "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "geen getal" in res.output


@pytest.mark.parametrize("conf", [0.0, 1.0])
def test_betrouwbaarheid_bounds(conf):
    with pytest.raises(ValueError):
        betrouwbaarheidsfactor(conf)
