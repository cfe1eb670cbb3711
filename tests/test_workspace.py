"""The werkruimte: history-aware checks, idempotent imports, one transaction, the case register.

The monthly test splits a generated year (auditor.samples) the way real exports come: the
declaraties by month of datum_van, the betalingen by month of betaaldatum, every other table in
full each month; audited month by month with a werkruimte, the last run must report exactly
the findings of one run over the whole year.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from auditor.errors import InvoerFout

from auditor import werkruimte as ws
from auditor.cli import invoke
from auditor.load import load_batch
from auditor.write import write_outputs
from auditor.pipeline import audit
from auditor.samples import genereer
from auditor.validate import parse_table
from tests.builders import make_batch

KEY = ["finding_id", "check", "budgethouder_id", "financieel_effect_ct"]


def month_end(ym: str) -> date:
    y, m = map(int, ym.split("-"))
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def split_monthly(src: Path, root: Path) -> list[Path]:
    """One batch folder per month (YYYY-MM), each file in its original delimiter (so the
    decimal separator keeps its meaning)."""
    raw = load_batch(src)
    by = {"declaraties": "datum_van", "betalingen": "betaaldatum"}
    months = {}
    for name, col in by.items():
        typed, _ = parse_table(raw[name])
        months[name] = typed.select("_rij", pl.col(col).dt.strftime("%Y-%m").alias("m"))
    keys = sorted(set().union(*(set(m["m"].to_list()) for m in months.values())))
    out = []
    for k in keys:
        d = root / k
        d.mkdir(parents=True)
        for name, r in raw.items():
            f = r.frame
            if name in months:
                f = f.filter(pl.col("_rij").is_in(months[name].filter(pl.col("m") == k)["_rij"].implode()))
            f.select([c for c in f.columns if not c.startswith("_")]).write_csv(
                d / f"{name}.csv", separator=r.delimiter or ",")
        out.append(d)
    return out


def db_state(ws_dir: Path) -> tuple[bytes, list[str]]:
    db = ws.db_pad(ws_dir)
    con = sqlite3.connect(db)
    try:
        dump = list(con.iterdump())
    finally:
        con.close()
    return db.read_bytes(), dump


def findings_key(a) -> pl.DataFrame:
    return a.result.findings.select(KEY).sort(KEY)


# --------------------------------------------------------------------------- a year, month by month

@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("jaar")
    src = root / "jaar"
    genereer(src, budgethouders=30, seed=3, regeling="losser-2025", regels_per_budgethouder=30)
    months = split_monthly(src, root / "maanden")
    wsd = root / "ws"
    runs = []
    for m in months:
        a = audit(m, peildatum=month_end(m.name), werkruimte=wsd)
        assert a.validated.quarantine.height == 0, a.validated.quarantine
        write_outputs(a, root / "out" / m.name)
        runs.append(a)
    whole = audit(src, peildatum=month_end(months[-1].name))
    return src, months, wsd, runs, whole, root


def test_monthly_runs_give_the_findings_of_the_whole_year(year):
    src, months, wsd, runs, whole, root = year
    last = runs[-1]
    assert findings_key(last).equals(findings_key(whole))
    codes = set(whole.result.findings["check"].to_list())
    assert {"BUITENLAND", "VAST-MAANDBEDRAG", "OVERSCHRIJDING"} <= codes
    # the history matters: the months alone (no werkruimte) miss findings that span months
    alone = set()
    for m in months:
        a = audit(m, peildatum=month_end(m.name), checks=["BUITENLAND", "VAST-MAANDBEDRAG", "OVERSCHRIJDING"])
        alone |= set(a.result.findings.select("check", "budgethouder_id").rows())
    spanning = set(whole.result.findings.filter(pl.col("check").is_in(
        ["BUITENLAND", "VAST-MAANDBEDRAG", "OVERSCHRIJDING"])).select("check", "budgethouder_id").rows())
    assert spanning - alone, "every spanning finding was visible in one month: the test proves nothing"
    # every month was stored once; the werkruimte holds the year's rows
    snap = ws.lees(wsd)
    assert snap.runs["run_id"].to_list() == list(range(1, len(months) + 1))
    for name, df in whole.validated.tables.items():
        assert snap.rijen[name].height == df.height, name
    assert sum(json.loads(r)["declaraties"]["nieuw"] for r in snap.runs["rijen"]) == whole.validated.tables[
        "declaraties"].height


def test_round_trip_of_the_typed_rows_is_exact(year):
    src, months, wsd, runs, whole, root = year
    snap = ws.lees(wsd)
    from auditor.tables import TABLES
    for name, df in whole.validated.tables.items():
        key = TABLES[name].key
        assert snap.rijen[name].drop("_rij", "_hash").sort(key).equals(df.drop("_rij").sort(key)), name


def test_rerunning_a_month_changes_nothing(year):
    src, months, wsd, runs, whole, root = year
    before = db_state(wsd)
    m = months[2]
    a = audit(m, peildatum=month_end(m.name), werkruimte=wsd)
    assert a.werkruimte.herhaling_van == 3
    write_outputs(a, root / "opnieuw")
    assert db_state(wsd) == before
    assert findings_key(a).equals(findings_key(whole))
    run = json.loads((root / "opnieuw" / "run.json").read_text())
    assert run["werkruimte"]["herhaling_van"] == 3
    assert all(t["nieuw"] == 0 and t["gewijzigd"] == 0 for t in run["werkruimte"]["rijen"].values())


def test_a_killed_run_leaves_the_werkruimte_unchanged(year, monkeypatch):
    src, months, _, runs, whole, root = year
    calls = {"n": 0}
    real = ws._naar_sql

    def dies_on_second_table(df, name):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed mid-import")
        return real(df, name)

    # a fresh werkruimte with January; February dies while its rows are being stored
    wsd = root / "ws-dood"
    write_outputs(audit(months[0], peildatum=month_end(months[0].name), werkruimte=wsd), root / "dood0")
    before = db_state(wsd)
    a = audit(months[1], peildatum=month_end(months[1].name), werkruimte=wsd)
    assert a.werkruimte.plan.rijen["declaraties"].height > 0
    monkeypatch.setattr(ws, "_naar_sql", dies_on_second_table)
    with pytest.raises(RuntimeError):
        write_outputs(a, root / "dood")
    assert calls["n"] == 2
    assert db_state(wsd) == before
    # failing later, while writing the outputs, rolls back too
    monkeypatch.setattr(ws, "_naar_sql", real)
    import auditor.write as write

    def no_run_json(a, out_dir, reports=True):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(write, "_write_outputs", no_run_json)
    # a full disk is the user's to fix: exit 2 (InvoerFout), and the werkruimte is unchanged
    with pytest.raises(InvoerFout, match="schijf is vol"):
        write_outputs(a, root / "dood2")
    assert db_state(wsd) == before


def test_first_run_that_fails_leaves_no_werkruimte(tmp_path, monkeypatch):
    batch = make_batch(tmp_path)
    wsd = tmp_path / "ws"
    a = audit(batch, peildatum=date(2026, 1, 31), checks=["DUBBEL"], werkruimte=wsd)

    def boom(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(ws, "_schrijf_run", boom)
    with pytest.raises(RuntimeError):
        write_outputs(a, tmp_path / "out")
    assert not ws.db_pad(wsd).exists()


# --------------------------------------------------------------------------- the case register

def dup(ids: tuple[str, str], dag: str) -> list[dict]:
    return [{"declaratie_id": i, "datum_van": dag} for i in ids]


def cli_run(tmp_path: Path, name: str, wsd: Path, peildatum: str, flag: str = "--werkruimte", **tables) -> Path:
    batch = make_batch(tmp_path / name, **tables)
    out = tmp_path / f"out-{name}"
    rc = invoke(["run", str(batch), "--out", str(out), "--peildatum", peildatum, "--controles", "DUBBEL",
                 flag, str(wsd), "--stil"])
    assert rc == 0
    return out


def read(out: Path, f: str) -> pl.DataFrame:
    return pl.read_csv(out / f, infer_schema=False)


def test_statuses_and_opgelost(tmp_path):
    """Statuses are per zaak (check, budgethouder, zorgverlener, toekenning): D2 and D4 below are
    both DUBBEL at B1 / Z1 / T1, so they are one zaak that grows, shrinks and vanishes."""
    wsd = tmp_path / "ws"
    # run 1: D2 copies D1 (2025-03-03) -> one DUBBEL finding on D2, a new zaak
    o1 = cli_run(tmp_path, "r1", wsd, "2025-03-31", declaraties=dup(("D1", "D2"), "2025-03-03"))
    f1 = read(o1, "findings.csv")
    assert f1.columns[-2:] == ["zaak_id", "status"] and f1.columns[0] == "finding_id"
    assert f1.select("declaratie_ids", "status").rows() == [("D2", "nieuw")]
    assert read(o1, "opgelost.csv").height == 0
    fa, zaak = f1["finding_id"][0], f1["zaak_id"][0]
    # run 2 (--workspace alias): only April's lines: D4 copies D3; D1/D2 come from the history.
    # The zaak grew by D4's finding: gewijzigd (both its findings), not nieuw
    o2 = cli_run(tmp_path, "r2", wsd, "2025-04-30", "--workspace", declaraties=dup(("D3", "D4"), "2025-04-07"))
    f2 = read(o2, "findings.csv")
    assert sorted(f2.select("declaratie_ids", "zaak_id", "status").rows()) == [
        ("D2", zaak, "gewijzigd"), ("D4", zaak, "gewijzigd")]
    assert read(o2, "opgelost.csv").height == 0
    fd4 = f2.filter(pl.col("declaratie_ids") == "D4")["finding_id"][0]
    # run 3: D2 corrected (another day): the zaak shrinks to D4's finding: gewijzigd, never opgelost
    o3 = cli_run(tmp_path, "r3", wsd, "2025-05-31", declaraties=[{"declaratie_id": "D2", "datum_van": "2025-03-05"}])
    f3 = read(o3, "findings.csv")
    assert f3.select("declaratie_ids", "zaak_id", "status").rows() == [("D4", zaak, "gewijzigd")]
    assert read(o3, "opgelost.csv").height == 0
    run3 = json.loads((o3 / "run.json").read_text())["werkruimte"]
    assert run3["run_id"] == 3 and run3["herhaling_van"] is None
    assert run3["rijen"]["declaraties"] == {"nieuw": 0, "gewijzigd": 1, "ongewijzigd": 0, "uit_historie": 3}
    assert run3["rijen"]["budgethouders"] == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 1, "uit_historie": 0}
    con = sqlite3.connect(ws.db_pad(wsd))
    wz = con.execute("SELECT run_id, tabel, sleutel, oude_hash != nieuwe_hash FROM wijzigingen").fetchall()
    con.close()
    assert wz == [(3, "declaraties", "D2", 1)]
    # run 3b: the same again (a new peildatum): the zaak repeats unchanged -> terugkerend
    o3b = cli_run(tmp_path, "r3b", wsd, "2025-06-15", declaraties=[{"declaratie_id": "D2", "datum_van": "2025-03-05"}])
    assert read(o3b, "findings.csv").select("declaratie_ids", "status").rows() == [("D4", "terugkerend")]
    # run 3c: D4 corrected too: the zaak vanished -> opgelost, with its last findings
    o3c = cli_run(tmp_path, "r3c", wsd, "2025-06-20", declaraties=[{"declaratie_id": "D4", "datum_van": "2025-04-09"}])
    assert read(o3c, "findings.csv").height == 0
    op = read(o3c, "opgelost.csv")
    assert op.select("zaak_id", "finding_id", "check", "declaratie_ids", "financieel_effect", "laatst_gezien_run",
                     "laatst_gezien_peildatum").rows() == [(zaak, fd4, "DUBBEL", "D4", "116.28", "4", "2025-06-15")]
    html = (o3c / "rapport.html").read_text()
    assert "Geschiedenis (werkruimte)" in html and "Opgelost sinds de vorige run" in html
    html3 = (o3 / "rapport.html").read_text()
    assert '"Status"' in html3 and '"gewijzigd"' in html3           # the findings table's data (datatabel)
    wb = openpyxl.load_workbook(o3 / "rapport.xlsx")
    kop = [c.value for c in wb["Bevindingen"][1]]
    assert kop[-2:] == ["Zaak", "Status"] and [c.value for c in wb["Bevindingen"][2]][-2:] == [zaak, "gewijzigd"]
    wb = openpyxl.load_workbook(o3c / "rapport.xlsx")
    opg = [[c.value for c in r] for r in wb["Opgelost"].iter_rows()]
    assert opg[0][:3] == ["Zaak", "Controle", "Budgethouder"] and opg[1][:3] == [zaak, "DUBBEL", "B1"]
    # run 4: D2 and D4 back on their days: the zaak returns, other than when last seen (D4's finding
    # alone, in the run before the one that solved it) -> gewijzigd
    o4 = cli_run(tmp_path, "r4", wsd, "2025-06-30", declaraties=[{"declaratie_id": "D2", "datum_van": "2025-03-03"},
                                                                 {"declaratie_id": "D4", "datum_van": "2025-04-07"}])
    f4 = read(o4, "findings.csv")
    assert sorted(f4.select("finding_id", "zaak_id", "status").rows()) == sorted(
        [(fa, zaak, "gewijzigd"), (fd4, zaak, "gewijzigd")])
    assert read(o4, "opgelost.csv").height == 0
    # the werkruimte is private
    assert stat.S_IMODE(os.stat(wsd).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(ws.db_pad(wsd)).st_mode) == 0o600
    # same rows in other bytes (reversed order): a new run, nothing new stored, same findings
    before = ws.lees(wsd)
    o5 = cli_run(tmp_path, "r5", wsd, "2025-06-30",
                 declaraties=list(reversed(dup(("D1", "D2"), "2025-03-03") + dup(("D3", "D4"), "2025-04-07"))))
    r5 = json.loads((o5 / "run.json").read_text())["werkruimte"]
    assert r5["run_id"] == 7 and all(t["nieuw"] == 0 and t["gewijzigd"] == 0 for t in r5["rijen"].values())
    assert sorted(read(o5, "findings.csv")["finding_id"].to_list()) == sorted(f4["finding_id"].to_list())
    after = ws.lees(wsd)
    for name in before.rijen:
        assert after.rijen[name].equals(before.rijen[name])
    # the same batch again: a herhaling, byte for byte the same outputs and werkruimte
    state = db_state(wsd)
    batch = tmp_path / "r5" / "batch"
    rc = invoke(["run", str(batch), "--out", str(tmp_path / "o5b"), "--peildatum", "2025-06-30",
                 "--controles", "DUBBEL", "--werkruimte", str(wsd), "--stil"])
    assert rc == 0
    assert db_state(wsd) == state
    assert (tmp_path / "o5b" / "findings.csv").read_bytes() == (o5 / "findings.csv").read_bytes()


def test_without_werkruimte_the_columns_stay(tmp_path):
    batch = make_batch(tmp_path, declaraties=dup(("D1", "D2"), "2025-03-03"))
    out = tmp_path / "out"
    assert invoke(["run", str(batch), "--out", str(out), "--controles", "DUBBEL", "--stil"]) == 0
    assert "status" not in read(out, "findings.csv").columns
    assert not (out / "opgelost.csv").exists()
    assert "werkruimte" not in json.loads((out / "run.json").read_text())


def test_toon(tmp_path, capsys):
    wsd = tmp_path / "ws"
    cli_run(tmp_path, "r1", wsd, "2026-01-31",
            declaraties=[{"declaratie_id": f"D{i}", "bedrag": "250.00", "datum_van": "2025-03-03"} for i in range(3)])
    capsys.readouterr()
    assert invoke(["werkruimte", "toon", str(wsd)]) == 0
    out = capsys.readouterr().out
    assert "Runs (1):" in out
    assert "Periode van de declaraties: 03-03-2025 t/m 03-03-2025" in out
    assert "declaraties                  3" in out
    assert "DUBBEL" in out and "2 bevindingen (2 nieuw)" in out and "500,00 euro" in out
    assert "Lopende opschortingsvoorstellen (op 01-02-2026): 1" in out
    # no --briefdatum: the window starts today (the peildatum lies in the past), 90 days more
    van, tot = date.today(), date.today() + timedelta(days=90)
    assert f"B1: gedeeltelijk, zorgverlener Z1, {van:%d-%m-%Y} t/m {tot:%d-%m-%Y} (13 weken)" in out
    assert invoke(["werkruimte", "toon", str(tmp_path / "leeg")]) == 2


# --------------------------------------------------------------------------- opschorting with history

def three(prefix: str, dag: str) -> list[dict]:
    # 3 identical lines of 250.00: 2 copies -> DUBBEL 500.00 = Losser's drempel -> a proposal
    return [{"declaratie_id": f"{prefix}{i}", "bedrag": "250.00", "datum_van": dag} for i in range(3)]


def run_ws(tmp_path, name, wsd, peildatum, **tables):
    """One werkruimte run whose letters are dated the day after its peildatum."""
    a = audit(make_batch(tmp_path / name, **tables), peildatum=peildatum, checks=["DUBBEL"], werkruimte=wsd,
              briefdatum=peildatum + timedelta(days=1))
    write_outputs(a, tmp_path / f"out-{name}")
    return a


def test_opschorting_respects_earlier_windows(tmp_path):
    wsd = tmp_path / "ws"
    # the letters are never dated in the past: the runs' peildata lie after today (P), each run's
    # briefdatum is its peildatum + 1. Run 1: window P+1 .. P+1 + 90 days = P+91
    p = date.today() + timedelta(days=10)
    d = lambda n: p + timedelta(days=n)  # noqa: E731
    a1 = run_ws(tmp_path, "r1", wsd, p, declaraties=three("A", "2025-03-03"))
    (v1,) = a1.opschorting.voorstellen
    assert (v1.ingangsdatum, v1.einddatum, v1.financieel_effect_ct) == (d(1), d(91), 50000)
    # run 2, peildatum P+28: the window runs on its briefdatum P+29 -> no new proposal, listed as running
    a2 = run_ws(tmp_path, "r2", wsd, d(28), declaraties=three("A", "2025-03-03"))
    o2 = a2.opschorting
    assert o2.voorstellen == []
    assert o2.lopend.select("budgethouder_id", "ingangsdatum", "einddatum", "run_id").rows() == [
        ("B1", d(1), d(91), 1)]
    assert read(tmp_path / "out-r2", "opschorting_voorstellen.csv").height == 0
    assert "Lopende opschortingen uit eerdere runs" in (tmp_path / "out-r2" / "rapport.html").read_text()
    # run 3, peildatum P+91: its briefdatum P+92 is after the window, but the same findings were
    # behind it: they cannot ground a new proposal
    a3 = run_ws(tmp_path, "r3", wsd, d(91), declaraties=three("A", "2025-03-03"))
    assert a3.opschorting.voorstellen == []
    assert a3.opschorting.lopend.height == 0
    # run 4, peildatum P+150: new copies on another day (2 x 250.00 = 500.00 new euros) ground
    # a new proposal over only the new findings: P+151 .. P+151 + 90 days
    a4 = run_ws(tmp_path, "r4", wsd, d(150), declaraties=three("B", "2025-04-07"))
    (v4,) = a4.opschorting.voorstellen
    assert (v4.ingangsdatum, v4.einddatum, v4.weken, v4.financieel_effect_ct) == (d(151), d(241), 13, 50000)
    assert set(v4.findings["declaratie_ids"].list.join(";").to_list()) == {"B1", "B2"}
    snap = ws.lees(wsd)
    assert snap.voorstellen.select("run_id", "ingangsdatum").rows() == [(1, d(1)), (4, d(151))]
