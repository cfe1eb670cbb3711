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
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import polars as pl

from auditor.cli import invoke
from auditor.tables import TABLES
from tests.builders import make_batch

# PGB_FUZZ_EXAMPLES raises the bound for a long local run (the CI bound is 25 per property)
FUZZ = settings(max_examples=int(os.environ.get("PGB_FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = [
    "", " ", "=1+1", "+31612345678", "-12", "@SUM(A1)", "\t=cmd", "'quoted", '"', '""', 'a"b', "a;b", "a,b",
    "line\nbreak", "\r\n", "31-02-2025", "2025-02-30", "00-00-0000", "9999-12-31", "1-1-1", "0000123",
    "€ -1.299,99", "1e308", "NaN", "inf", "-0", "99999999999999999999", "0,001", "1.2.3", "١٢٣",
    "Zoë", "\u00a0", "\ufeffB1", "<script>alert(1)</script>", "NULL", "None", "ja", "x" * 300,
    # issue 14: two-digit and implausible years, float noise, numbers beyond the bounds, a BSN
    "10-01-25", "01-01-2150", "1850-01-01", "87.21000000000001", "116.27999999999999", "12.345",
    "99999999999", "99999999999.99", "1000000000.01", "123456782", "zie 123456782",
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


CORPUS.update({
    "two-digit years": (_csv([_header("declaraties"), ["D1", "B1", "Z1", "", "", "03-03-25", "03-03-25", "45A48",
                                                         "uur", "2", "58,14", "116,28", "", "", "", "", ""]]), 0),
    "title rows and trailing empty rows": (b"Export declaraties\n\n" + _csv([_header("declaraties")])
                                           + b";;;;;;\n\n;;\n", 0),
    "headerless with a repeated value": (b"D1;Luuk Dekker;Luuk Dekker\n", 2),
    "renamed required column": (_csv([[h if h != "bedrag" else "Bedrag (EUR)" for h in _header("declaraties")]]), 2),
})


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



# --------------------------------------------------------------------------- issue 14 (input side)

def _bsn(draw_digits: list[int]) -> str:
    """Eight digits completed to a 9-digit number passing the elfproef (or None-free retry)."""
    som = sum((9 - i) * d for i, d in enumerate(draw_digits))
    last = som % 11
    if last == 10:
        draw_digits = [(draw_digits[0] + 1) % 10] + draw_digits[1:]
        return _bsn(draw_digits)
    return "".join(map(str, draw_digits)) + str(last)


bsns = st.lists(st.integers(0, 9), min_size=8, max_size=8).map(_bsn).filter(lambda b: b != "000000000")
names = st.text(st.sampled_from("abcdeijklmnorstvAB ,'-"), min_size=1, max_size=16)


def _all_text(out: Path) -> str:
    parts = []
    for p in out.rglob("*"):
        if p.is_file() and p.suffix in (".csv", ".json", ".html", ".txt"):
            parts.append(p.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


@FUZZ
@given(rows=st.lists(st.tuples(names, bsns), min_size=1, max_size=4))
def test_shifted_columns_never_show_a_bsn(tmp_path_factory, capsys, rows):
    """Issue 14 item 3: an unquoted comma in a relatie's name shifts the BSN into another
    column; whatever is quarantined, no output or message shows the BSN in full."""
    from auditor.load import load_batch
    from auditor.validate import validate
    tmp = tmp_path_factory.mktemp("shift")
    batch = make_batch(tmp, relaties=[{"relatie_id": "R1"}])
    lines = ["relatie_id,budgethouder_id,rol,naam,bsn,geboortedatum"]
    lines += [f"R{i},B1,ouder,{naam},{bsn},1985-06-01" for i, (naam, bsn) in enumerate(rows)]
    (batch / "relaties.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the quarantine as every output shows it (quarantaine.csv and the reports are written from it)
    v = validate(load_batch(batch))
    text = "\n".join(v.quarantine["redenen"].to_list() + v.quarantine["inhoud"].to_list())
    for _, bsn in rows:
        assert bsn not in text


@FUZZ
@given(jaar=st.integers(0, 9999), fmt=st.sampled_from(["%d-%m-%Y", "%Y-%m-%d", "%d-%m-%y"]))
def test_implausible_years_are_never_audited(tmp_path_factory, jaar, fmt):
    """Issue 14 item 8: a date outside 1900-2100 (or with a two-digit year) is quarantined."""
    from datetime import date

    from auditor.load import load_batch
    from auditor.validate import validate
    tmp = tmp_path_factory.mktemp("jaar")
    d = date(max(jaar, 1), 3, 3)
    text = d.strftime(fmt) if fmt != "%Y-%m-%d" else f"{d.year:04d}-03-03"
    if fmt == "%d-%m-%Y":
        text = f"03-03-{d.year:04d}"
    same = "03-03-2025" if fmt != "%Y-%m-%d" else "2025-03-03"
    batch = make_batch(tmp, declaraties=[{"declaratie_id": "D1", "datum_van": same, "datum_tot": same},
                                         {"declaratie_id": "D2", "datum_van": text, "datum_tot": text}])
    v = validate(load_batch(batch))
    audited = v.tables["declaraties"]
    assert audited.height + v.quarantine.filter(pl.col("tabel") == "declaraties").height == 2
    assert audited["datum_van"].dt.year().is_between(1900, 2100).all()
    if fmt == "%d-%m-%y" or not 1900 <= d.year <= 2100:
        assert "D2" not in audited["declaratie_id"].to_list()


@FUZZ
@given(cents=st.lists(st.integers(0, 10**11), min_size=1, max_size=5), k=st.integers(1, 9))
def test_float_money_is_the_cent_it_stands_for(tmp_path_factory, cents, k):
    """Issue 14 item 9: money computed as floats (x / k * k, as a formula would) is read as
    the cent it stands for, never quarantined for float noise."""
    from auditor.load import load_batch
    from auditor.validate import validate
    tmp = tmp_path_factory.mktemp("float")
    batch = make_batch(tmp, declaraties=[{"declaratie_id": f"D{i}"} for i in range(len(cents))])
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False)
    (batch / "declaraties.csv").unlink()
    floats = [c / 100 / k * k for c in cents]
    df.with_columns(pl.Series("bedrag", floats, dtype=pl.Float64)).write_parquet(batch / "declaraties.parquet")
    v = validate(load_batch(batch))
    d = v.tables["declaraties"].sort("declaratie_id")
    got = dict(zip(d["declaratie_id"].to_list(), d["bedrag_ct"].to_list()))
    for i, c in enumerate(cents):
        if c <= 10**11:    # the bound: 1.000.000.000 euro
            assert got.get(f"D{i}") == c, (c, floats[i], v.quarantine)


@FUZZ
@given(aantal=st.integers(0, 10**13), tarief=st.integers(0, 10**14))
def test_huge_numbers_are_bounded_and_never_overflow(tmp_path_factory, capsys, aantal, tarief):
    """Issue 14 item 10: any aantal and tarief; the run ends in 0 with every audited value
    within the bounds, and TARIEF's effect never exceeds what the numbers allow."""
    from auditor.pipeline import audit
    tmp = tmp_path_factory.mktemp("huge")
    t = f"{tarief // 100}.{tarief % 100:02d}"
    batch = make_batch(tmp, declaraties=[{"declaratie_id": "D1", "aantal": str(aantal), "tarief": t,
                                          "bedrag": t}])
    a = audit(batch, checks=["TARIEF", "BUDGET", "OVERSCHRIJDING"])
    c = a.validated.counts["declaraties"]
    assert c["rows_read"] == c["rows_audited"] + c["rows_quarantined"] == 1
    d = a.validated.tables["declaraties"]
    assert (d["aantal_e4"] <= 10**10).all() and (d["tarief_ct"] <= 10**11).all()
    eff = a.result.findings["financieel_effect_ct"].drop_nulls()
    assert (eff.abs() <= 10**17).all()      # 10^6 units x 10^9 euro: no wrapped Int64


@FUZZ
@given(titles=st.lists(st.text(st.sampled_from("Export SVB januari 2025:;, "), min_size=1, max_size=30),
                       max_size=4))
def test_title_rows_above_the_header(tmp_path_factory, capsys, titles):
    """Issue 17: title rows above the header are skipped; the row numbers stay the file's."""
    tmp = tmp_path_factory.mktemp("titel")
    batch = make_batch(tmp, declaraties=[{"declaratie_id": "D1"}])
    body = (batch / "declaraties.csv").read_text()
    (batch / "declaraties.csv").write_text("".join(t + "\n" for t in titles) + body)
    from auditor.load import load_batch
    from auditor.validate import validate
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    assert v.tables["declaraties"]["_rij"].to_list() == [len(titles) + 2]


@FUZZ
@given(values=st.lists(st.text(st.sampled_from("abcdeklmnorsLDK "), min_size=3, max_size=12), min_size=3,
                       max_size=6))
def test_headerless_files_never_show_their_cells(tmp_path_factory, capsys, values):
    """Issue 14 item 5: a file without header (its first row is data, values repeated) is
    exit 2, and the message names no cell of it."""
    tmp = tmp_path_factory.mktemp("koploos")
    batch = make_batch(tmp)
    row = ";".join(values + values[:1])
    (batch / "zorgverleners.csv").write_text(row + "\n" + row + "\n", encoding="utf-8")
    code = invoke(["validate", str(batch)])
    err = capsys.readouterr().err
    assert code == 2
    for v in values:
        if len(v.strip()) >= 3:
            assert f"'{v}'" not in err and f"'{v.strip()}'" not in err

