"""The command line: exit codes, Dutch messages, the outputs of a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl

from tests.builders import make_batch

FINDINGS_HEADER = ("finding_id,check,soort,ernst,budgethouder_id,zorgverlener_id,toekenning_id,"
                   "zorgovereenkomst_id,declaratie_ids,periode_van,periode_tot,bedrag_betrokken,"
                   "financieel_effect,artikel,toelichting,voorbeeldwaarde")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True)


def test_missing_column_exits_2_with_dutch_message(tmp_path: Path):
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").write_text("declaratie_id;budgethouder_id\nD1;B1\n")
    for cmd in (["validate", str(batch)], ["run", str(batch), "--out", str(tmp_path / "out")]):
        p = cli(*cmd)
        assert p.returncode == 2
        assert "declaraties.csv" in p.stderr and "zorgverlener_id" in p.stderr
        assert "Traceback" not in p.stderr


def test_bad_usage_exits_2(tmp_path: Path):
    batch = make_batch(tmp_path)
    p = cli("run", str(batch), "--out", str(tmp_path / "o"), "--peildatum", "31-13-2025")   # dd-mm-jjjj is accepted (outputs.md), month 13 is not
    assert p.returncode == 2 and "dd-mm-jjjj" in p.stderr
    p = cli("run", str(tmp_path / "bestaat-niet"), "--out", str(tmp_path / "o"))
    assert p.returncode == 2 and "bestaat niet" in p.stderr


def test_run_writes_outputs_and_reconciles(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1"}, {"declaratie_id": "D2"}, {"declaratie_id": "D3", "datum_van": "2025-13-01"},
    ])
    out = tmp_path / "out"
    p = cli("run", str(batch), "--out", str(out), "--peildatum", "2025-12-31", "--controles", "DUBBEL")
    assert p.returncode == 0, p.stderr
    assert (out / "findings.csv").read_text().splitlines()[0] == FINDINGS_HEADER
    f = pl.read_csv(out / "findings.csv", infer_schema=False)
    assert f.select("check", "declaratie_ids", "financieel_effect").rows() == [("DUBBEL", "D2", "116.28")]
    run = json.loads((out / "run.json").read_text())
    decl = next(i for i in run["inputs"] if i["table"] == "declaraties")
    assert (decl["rows_read"], decl["rows_audited"], decl["rows_quarantined"]) == (3, 2, 1)
    assert len(decl["sha256"]) == 64
    for i in run["inputs"]:
        assert i["rows_read"] == i["rows_audited"] + i["rows_quarantined"]
    assert run["peildatum"] == "2025-12-31"
    assert run["regelingen"][0]["id"] == "losser-2025" and len(run["regelingen"][0]["sha256"]) == 64
    assert run["checks"]["DUBBEL"] == {"findings": 1, "financieel_effect": "116.28", "niet_toetsbaar": 0,
                                       "niet_toetsbaar_redenen": {}}
    raw = (out / "quarantaine.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                  # BOM: Dutch Excel reads UTF-8
    assert raw[3:].split(b"\r\n")[0] == b"tabel;bestand;rij;redenen;inhoud"   # opens as columns
    q = pl.read_csv(out / "quarantaine.csv", infer_schema=False, separator=";", encoding="utf8-lossy")
    assert q["rij"].to_list() == ["4"]


def test_findings_csv_is_byte_identical_across_runs_and_row_orders(tmp_path: Path):
    rows = [{"declaratie_id": f"D{i}", "datum_van": f"2025-03-{1 + i % 3:02d}"} for i in range(12)]
    b1 = make_batch(tmp_path / "a", declaraties=rows)
    b2 = make_batch(tmp_path / "b", declaraties=list(reversed(rows)))
    outs = []
    for i, b in enumerate((b1, b1, b2)):
        out = tmp_path / f"out{i}"
        assert cli("run", str(b), "--out", str(out), "--peildatum", "2025-12-31").returncode == 0
        outs.append((out / "findings.csv").read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert outs[0].count(b"\n") > 1


def test_progress_only_on_a_terminal(tmp_path: Path, capsys):
    from auditor.cli import Stage

    batch = make_batch(tmp_path)
    p = cli("run", str(batch), "--out", str(tmp_path / "out"), "--peildatum", "2025-12-31")
    assert p.returncode == 0 and p.stderr == ""          # not a terminal: no progress
    s = Stage(stil=False)
    s.on = True                                          # as on a terminal
    s("controles", 0.5, "TARIEF")
    err = capsys.readouterr().err
    assert "65%" in err and "controles: TARIEF" in err   # 0.4 + 0.5 x 0.5 of the bar
    s2 = Stage(stil=True)
    s2("inlezen")
    assert capsys.readouterr().err == ""
