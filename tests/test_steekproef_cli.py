"""`pgb-audit steekproef plan | trek | evalueer`: the worked example of docs/steekproef.md
end to end, figures by hand, and the command line's contract (spec sampling.md)."""

from __future__ import annotations

import json
import math

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner
from scipy import stats

from auditor.cli import main
from auditor.steekproef.trek import selecteer
from tests.builders import make_batch


def cli(*args: str):
    res = CliRunner().invoke(main, ["steekproef", *args])
    return res


@pytest.fixture
def voorbeeld(tmp_path):
    """The worked example: 120 lines D001..D120 of 2,5 uur x 50,00 = 125,00 euro; 15.000,00 euro."""
    rows = [{"declaratie_id": f"D{i:03d}", "aantal": "2.5", "tarief": "50.00", "bedrag": "125.00"}
            for i in range(1, 121)]
    return make_batch(tmp_path, declaraties=rows)


def test_worked_example_plan_trek_evalueer(voorbeeld, tmp_path):
    # 1. plan: materialiteit 750 euro of 15.000 = 5%; Poisson, 95%, no expected errors.
    #    The smallest n with qgamma(0.95, 1, n) = -ln(0.05) / n < 0.05 is n = 60 (2.9957 / 59 = 0.0508;
    #    2.9957 / 60 = 0.049929), as jfa's planning(materiality = 0.05) = 60.
    res = cli("plan", "--materialiteit", "750", "--populatie", str(voorbeeld), "--json")
    assert res.exit_code == 0, res.output
    p = json.loads(res.output)
    assert p["methode"] == "poisson" and p["n"] == 60 and p["x"] == 0
    assert p["ub"] == pytest.approx(math.log(20) / 60, rel=1e-12)
    assert math.log(20) / 59 >= 0.05

    # 2. trek: interval J = 15.000 / 60 = 250,00 euro; seed 7 gives the start u = 106,12 euro
    #    (random.Random(7).randint(1, 25000) = 10612 cents). Units 106,12 + k x 250 fall in line
    #    floor((106,12 + 250k) / 125) + 1 = 2k + 1: the odd lines D001, D003, ..., D119, one hit each.
    out = tmp_path / "steekproef.xlsx"
    res = cli("trek", str(voorbeeld), "--n", "60", "--seed", "7", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "n = 60, interval 250.00 euro, 60 regels" in res.output
    wb = openpyxl.load_workbook(out)
    ws = wb["steekproef"]
    kop = [c.value for c in ws[1]]
    ids = [ws.cell(r, kop.index("declaratie_id") + 1).value for r in range(2, ws.max_row + 1)]
    assert ids == [f"D{i:03d}" for i in range(1, 120, 2)]
    meta = {r[0]: r[1] for r in wb["toelichting"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert meta["start"] == "106.12" and meta["interval"] == "250.00" and meta["populatie_bedrag"] == "15000.00"

    # 3. the accountant fills in: D001 not delivered (controlewaarde 0: taint 1), D003 2 of the
    #    2,5 uur (100,00: taint 25 / 125 = 0,2); the other 58 are right.
    bw, cw = kop.index("boekwaarde") + 1, kop.index("controlewaarde") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, cw).value = ws.cell(r, bw).value
    ws.cell(2, cw).value = 0
    ws.cell(3, cw).value = "100,00"        # typed as Dutch text
    wb.save(out)

    # 4. evalueer (Stringer, binomial): n = 60, x = 2, t = 1,2, mle = 1,2 / 60 = 0,02;
    #    ub = q0 + 1,0 x (q1 - q0) + 0,2 x (q2 - q1), q0 = 1 - 0,05^(1/60) = 0,048703,
    #    q1 = qbeta(0,95; 2, 59) = 0,076640, q2 = qbeta(0,95; 3, 58) = 0,101236
    #    -> ub = 0,076640 + 0,2 x 0,024596 = 0,081559 = 1.223,39 euro of 15.000 >= 750: niet goedkeurend.
    q0 = 1 - 0.05 ** (1 / 60)
    q1, q2 = stats.beta.ppf(0.95, 2, 59), stats.beta.ppf(0.95, 3, 58)
    hand = q0 + 1.0 * (q1 - q0) + 0.2 * (q2 - q1)
    assert hand == pytest.approx(0.081559, abs=5e-7)
    res = cli("evalueer", str(out), "--materialiteit", "750", "--json")
    assert res.exit_code == 0, res.output
    e = json.loads(res.output)
    assert set(e) == {"methode", "n", "x", "t", "mle", "ub", "ub_euro", "materialiteit", "conclusie"}
    assert e["methode"] == "stringer" and e["n"] == 60 and e["x"] == 2
    assert e["t"] == pytest.approx(1.2) and e["mle"] == pytest.approx(0.02)
    assert e["ub"] == pytest.approx(hand, rel=1e-12)
    assert e["ub_euro"] == pytest.approx(1223.39, abs=0.005)
    assert e["materialiteit"] == pytest.approx(0.05) and e["conclusie"] == "niet goedkeurend"

    # the same workbook under Poisson: qgamma(0,95; 1 + 1,2; 60) = 0,084414 = 1.266,21 euro
    res = cli("evalueer", str(out), "--materialiteit", "0,05", "--methode", "poisson", "--json")
    e = json.loads(res.output)
    assert e["ub"] == pytest.approx(0.084414, abs=5e-7) and e["ub_euro"] == pytest.approx(1266.21, abs=0.005)
    # and for people, in Dutch
    res = cli("evalueer", str(out), "--materialiteit", "750")
    assert res.exit_code == 0
    assert "bovengrens 8,1559% = 1.223,39 euro" in res.output and "niet goedkeurend" in res.output


def test_plan_json_as_spec():
    # spec sampling.md: Poisson, 1% materiality, 95%, no expected errors: n = 300; 5%: n = 60
    assert json.loads(cli("plan", "--materialiteit", "0,01", "--json").output)["n"] == 300
    assert json.loads(cli("plan", "--materialiteit", "0.05", "--betrouwbaarheid", "0.95", "--json").output)["n"] == 60
    out = json.loads(cli("plan", "--materialiteit", "0,05", "--verwachte-fout", "0,025", "--methode", "binomiaal",
                         "--json").output)
    assert out == {"methode": "binomiaal", "n": 234, "x": 6.0, "ub": pytest.approx(0.0499784, rel=1e-5)}


def test_evalueer_summary_statistics():
    # jfa evaluation(x = 0, n = 60, method = "poisson"): ub = qgamma(0.95, 1, 60) = 0.04992887
    e = json.loads(cli("evalueer", "--n", "60", "--fouten", "0", "--materialiteit", "0,05", "--methode", "poisson",
                       "--json").output)
    assert e["ub"] == pytest.approx(0.04992887, rel=1e-7) and e["conclusie"] == "goedkeurend"
    assert e["ub_euro"] is None
    # one error in 60: qbeta(0.95, 2, 59) = 0.076640 >= 0.05
    e = json.loads(cli("evalueer", "--n", "60", "--fouten", "1", "--materialiteit", "0,05", "--methode", "binomiaal",
                       "--json").output)
    assert e["ub"] == pytest.approx(0.0766400, abs=5e-7) and e["conclusie"] == "niet goedkeurend"


@pytest.mark.parametrize("args,bericht", [
    (["plan", "--materialiteit", "nul"], "geen getal"),
    (["plan", "--materialiteit", "0,05", "--methode", "hypergeometrisch"], "omvang van de populatie"),
    (["plan", "--materialiteit", "750"], "boekwaarde"),
    (["plan", "--materialiteit", "0,05", "--verwachte-fout", "0,06"], "kleiner"),
    (["evalueer", "--materialiteit", "0,05"], "--n en --fouten"),
    (["evalueer", "--n", "60", "--fouten", "1", "--materialiteit", "0,05"], "werkmap"),
])
def test_bad_input_is_a_dutch_message_and_exit_2(args, bericht):
    from auditor.cli import invoke
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = invoke(["steekproef", *args])
    assert rc == 2 and bericht in err.getvalue(), err.getvalue()


def test_workbook_with_empty_controlewaarde_names_row_and_column(voorbeeld, tmp_path):
    out = tmp_path / "s.xlsx"
    assert cli("trek", str(voorbeeld), "--n", "10", "--seed", "1", "--out", str(out)).exit_code == 0
    res = cli("evalueer", str(out), "--materialiteit", "0,05")
    assert res.exit_code != 0
    assert "rij 2, kolom controlewaarde: de cel is leeg" in str(res.exception) + res.output


def decl(bedragen: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"declaratie_id": [f"D{i:04d}" for i in range(len(bedragen))], "bedrag_ct": bedragen})


@pytest.mark.parametrize("methode", ["interval", "cel", "willekeurig"])
@pytest.mark.parametrize("eenheden", ["euros", "regels"])
def test_selection_methods_are_seeded_and_count_n_units(methode, eenheden):
    pop = decl([1000 + (i * 37) % 900 for i in range(500)] + [0, -50])
    a, b = (selecteer(pop, 40, methode, eenheden, s) for s in (3, 3))
    assert a.regels.equals(b.regels)
    anders = {tuple(selecteer(pop, 40, methode, eenheden, s).regels["declaratie_id"]) for s in range(1, 6)}
    assert len(anders) > 1
    assert int(a.regels["treffers"].sum()) == 40
    assert a.meta["populatie_regels"] == 500 and a.meta["buiten_populatie_regels"] == 2
    if eenheden == "regels" and methode != "willekeurig":
        assert a.regels.height == 40 and set(a.regels["treffers"]) == {1}   # one per interval/cell


def test_interval_records_by_hand():
    # 10 lines, n = 5: interval 2 records; seed 7: u = random.Random(7).randint(1, 2) = 2 -> positions
    # ceil(2 + 2k) = 2, 4, 6, 8, 10 (1-based) -> D0001, D0003, ..., D0009
    s = selecteer(decl([100] * 10), 5, "interval", "regels", 7)
    assert s.meta["start"] == "2" and s.meta["interval"] == "2.00"
    assert s.regels["declaratie_id"].to_list() == ["D0001", "D0003", "D0005", "D0007", "D0009"]


def test_cel_euros_big_line_in_every_cell_it_spans():
    # one line of 900,00 and ten of 10,00: total 1.000,00, n = 10, cells of 100,00: the first nine
    # cells lie inside the big line, so it gets 9 hits; the last cell falls in one of the small lines
    s = selecteer(decl([90_000] + [1_000] * 10), 10, "cel", "euros", 5)
    big = s.regels.filter(pl.col("bedrag_ct") == 90_000)
    assert big["treffers"][0] == 9 and big["bovenste_laag"][0] == "ja"
    assert s.regels.height == 2


def test_trek_old_draw_with_materialiteit_as_euros_or_share(voorbeeld, tmp_path):
    # the old draw: n = ceil(15.000 x 3,00 / 750) = 60, whether 750 euro or 0,05 x 15.000 is given
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli("trek", str(voorbeeld), "--materialiteit", "750", "--seed", "7", "--out", str(a)).exit_code == 0
    assert cli("trek", str(voorbeeld), "--materialiteit", "0,05", "--seed", "7", "--out", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    meta = json.loads((tmp_path / "a.meta.json").read_text(encoding="utf-8"))
    assert meta["n"] == 60 and meta["interval"] == "250.00" and meta["start"] == "106.12"
    # the same units as the new draw with --n 60 (same start, same interval): the odd lines
    assert pl.read_csv(a, infer_schema=False, separator=";")["declaratie_id"].to_list() == [f"D{i:03d}" for i in range(1, 120, 2)]
