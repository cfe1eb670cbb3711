"""Attacking the readers and validators: every input ends in exit 0 (with quarantine) or
exit 2 (with a Dutch message), never an internal error, and rows read = audited +
quarantined always holds.

Bounded for CI: a few dozen hypothesis examples per property plus a fixed corpus of nasty
files (`tests/corpus/`, generated below so its construction is readable).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import invoke
from auditor.tables import TABLES
from tests.builders import DEFAULTS, make_batch

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = [
    "", " ", "=1+1", "+31612345678", "-12", "@SUM(A1)", "\t=cmd", "'quoted", '"', '""', 'a"b', "a;b", "a,b",
    "line\nbreak", "\r\n", "31-02-2025", "2025-02-30", "00-00-0000", "9999-12-31", "1-1-1", "0000123",
    "€ -1.299,99", "1e308", "NaN", "inf", "-0", "99999999999999999999", "0,001", "1.2.3", "١٢٣",
    "Zoë", "\u00a0", "\ufeffB1", "<script>alert(1)</script>", "NULL", "None", "ja", "x" * 300,
]


def _run(batch: Path, out: Path, capsys) -> int:
    code = invoke(["run", str(batch), "--out", str(out), "--peildatum", "2025-12-31", "--stil"])
    err = capsys.readouterr().err
    assert code in (0, 2), f"exit {code}: {err}"
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("fout: ") or "Error" in err, err
    else:
        run = json.loads((out / "run.json").read_text())
        for t in run["inputs"]:
            assert t["rows_read"] == t["rows_audited"] + t["rows_quarantined"], t
    return code


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_a_table(tmp_path_factory, capsys, data):
    tmp = tmp_path_factory.mktemp("bytes")
    batch = make_batch(tmp)
    (batch / "declaraties.csv").write_bytes(data)
    _run(batch, tmp / "out", capsys)


@FUZZ
@given(data=st.data())
def test_truncated_and_mutated_files(tmp_path_factory, capsys, data):
    tmp = tmp_path_factory.mktemp("trunc")
    batch = make_batch(tmp, declaraties=[{"declaratie_id": f"D{i}"} for i in range(5)])
    path = batch / data.draw(st.sampled_from(sorted(p.name for p in batch.iterdir())))
    raw = path.read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    insert = data.draw(st.sampled_from([b"", b'"', b";", b",", b"\n", b"\r", b"\xff\xfe", b"\x00", b"\xef\xbb\xbf"]))
    path.write_bytes(raw[:cut] + insert + raw[cut:][: data.draw(st.integers(0, len(raw)))])
    _run(batch, tmp / "out", capsys)


cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))


@FUZZ
@given(rows=st.lists(st.dictionaries(st.sampled_from([c.name for c in TABLES["declaraties"].cols]), cell,
                                     max_size=6), min_size=1, max_size=6))
def test_wrong_values_in_every_column(tmp_path_factory, capsys, rows):
    tmp = tmp_path_factory.mktemp("cells")
    batch = make_batch(tmp, declaraties=rows)
    code = _run(batch, tmp / "out", capsys)
    assert code == 0   # bad values are quarantined, never a reason to stop


def _csv(rows: list[list[str]], delimiter: str = ";") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _header(table: str) -> list[str]:
    return [c.name for c in TABLES[table].cols]


CORPUS: dict[str, tuple[bytes, int]] = {
    "empty file": (b"", 2),
    "only a BOM": (b"\xef\xbb\xbf", 2),
    "header only": (_csv([_header("declaraties")]), 0),
    "duplicate headers": (_csv([_header("declaraties") + ["bedrag"], ["D1"] * 18]), 2),
    "extra columns": (_csv([_header("declaraties") + ["opmerking"], ["x"] * 18]), 0),
    "mixed delimiters": (b"declaratie_id;budgethouder_id,zorgverlener_id\nD1;B1,Z1\n", 2),
    "quote and newline inside a field": (
        _csv([_header("declaraties"), ["D1", "B1", "Z1", "", "", "01-03-2025", "01-03-2025", "45A48", "uur", "2",
                                        "58,14", "116,28", 'zei "hallo"\nen ging', "", "", "", ""]]), 0),
    "unterminated quote": (_csv([_header("declaraties")]) + b'D1;B1;Z1;;;"01-03-2025;01-03-2025\n', 0),
    "one megabyte cell": (_csv([_header("declaraties"), ["D1", "B1", "Z1", "", "", "01-03-2025", "01-03-2025",
                                                         "45A48", "uur", "2", "58,14", "116,28", "x" * 1_000_000,
                                                         "", "", "", ""]]), 0),
    "NUL bytes": (_csv([_header("declaraties")]) + b"D1\x00;B1\n", 2),
    "cp1252 with euro": (("declaratie_id;bedrag\nD1;€ 5\n").encode("cp1252"), 2),
    "utf-16 with a missing column": ("declaratie_id;budgethouder_id\n".encode("utf-16"), 2),
    "ragged rows": (_csv([_header("declaraties"), ["D1", "B1"], ["D2"] * 30]), 0),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_of_nasty_files(tmp_path: Path, capsys, name: str):
    data, expected = CORPUS[name]
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").write_bytes(data)
    assert _run(batch, tmp_path / "out", capsys) == expected


def test_xlsx_that_is_not_a_workbook(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").unlink()
    (batch / "declaraties.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert _run(batch, tmp_path / "out", capsys) == 2


def test_parquet_that_is_not_parquet(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").unlink()
    (batch / "declaraties.parquet").write_bytes(b"PAR1 nope")
    assert _run(batch, tmp_path / "out", capsys) == 2
