"""The command line speaks Dutch (outputs.md): click's own messages, --help, dates as
dd-mm-jjjj or ISO, numbers with comma or point, regeling names in any case, scope notices."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from auditor.cli.types import parse_datum, parse_getal
from tests.builders import make_batch

ENGLISH = ("Usage:", "Missing option", "Show this message", "Error:", "is not a valid", "Try '", "Options:",
           "No such option", "[default:", "[required]", " TEXT", " PATH", "DIRECTORY")


def pgb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=300)


def no_english(text: str) -> None:
    for w in ENGLISH:
        assert w not in text, (w, text)


def test_run_without_out_prints_dutch_usage_and_exits_2(tmp_path):
    p = pgb("run", str(tmp_path))
    assert p.returncode == 2
    assert "Gebruik:" in p.stderr and "Ontbrekende optie '--out'" in p.stderr
    no_english(p.stderr)


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["steekproef", "--help"], ["samples", "genereer", "--help"]])
def test_help_is_dutch(args):
    p = pgb(*args)
    assert p.returncode == 0 and "Gebruik:" in p.stdout and "Toon deze hulp en stop." in p.stdout
    no_english(p.stdout)


def test_bad_number_and_unknown_option_are_dutch(tmp_path):
    p = pgb("run", str(tmp_path), "--out", str(tmp_path / "o"), "--verantwoordingsgrens", "drie")
    assert p.returncode == 2 and "'drie' is geen aandeel" in p.stderr
    p = pgb("run", str(tmp_path), "--uit", "x")
    assert p.returncode == 2 and "Onbekende optie '--uit'" in p.stderr
    no_english(p.stderr)


def test_dates_numbers_and_regeling_case(tmp_path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2"}])
    out = tmp_path / "out"
    p = pgb("run", str(batch), "--out", str(out), "--peildatum", "31-12-2025", "--verantwoordingsgrens", "0,03",
            "--regeling", "Losser-2025")
    assert p.returncode == 0, p.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["peildatum"] == "2025-12-31" and run["regelingen"][0]["id"] == "losser-2025"
    assert run["rechtmatigheid"]["verantwoordingsgrens"] == "0.03"


def test_scope_notices_on_console(tmp_path):
    # the builder's lines run into 2025; a peildatum in January lies before the last declared day
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    p = pgb("run", str(batch), "--out", str(tmp_path / "out"), "--peildatum", "2025-01-02", "--controles", "DUBBEL")
    assert p.returncode == 0, p.stderr
    assert "let op: De peildatum 02-01-2025 ligt vóór de laatste gedeclareerde dag" in p.stdout
    assert "Niet uitgevoerde controles:" in p.stdout and "TARIEF" in p.stdout


def test_parse_datum_and_getal():
    assert parse_datum("31-12-2025") == parse_datum("2025-12-31") == date(2025, 12, 31)
    assert parse_datum("1-2-2025") == date(2025, 2, 1)
    for bad in ("31-13-2025", "2025/12/31", "gisteren"):
        with pytest.raises(ValueError):
            parse_datum(bad)
    assert parse_getal("3,0") == parse_getal("3.0") == Decimal("3.0")
    assert parse_getal("25.000,00") == parse_getal("25,000.00") == Decimal("25000.00")
    assert parse_getal("1.000.000") == Decimal("1000000")
    for bad in ("drie", "1,2,3", "nan", "inf"):
        with pytest.raises(ValueError):
            parse_getal(bad)
