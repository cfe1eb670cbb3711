"""Generated hostile input, output side (issue 14 round two): no leak, no formula, no lost row,
exit 0 or 2 and never a traceback, a werkruimte that stays usable.

Bounded for CI by three hypothesis bounds: PGB_FUZZ_EXAMPLES for the cheap properties
(functions over generated text; default 100 each), PGB_FUZZ_TABLES for validate over a
generated batch (default 15) and PGB_FUZZ_RUNS for the properties that run the whole CLI
(default 5 each); about 70 s in all. A long local run (1,040 cases):
`PGB_FUZZ_EXAMPLES=480 PGB_FUZZ_TABLES=60 PGB_FUZZ_RUNS=10 pytest tests/test_fuzz_hostile.py
--hypothesis-show-statistics` (docs/robustness.md has the figures).
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import werkruimte as ws
from auditor.cli import invoke
from auditor.files import csv_bytes
from auditor.load import load_batch
from auditor.privacy import Bewaker
from auditor.validate import validate
from tests.builders import make_batch
from tests.test_hostile_uitvoer import _alle_uitvoer

_COMMON = dict(deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CHEAP = settings(max_examples=int(os.environ.get("PGB_FUZZ_EXAMPLES", "100")), **_COMMON)
RUNS = settings(max_examples=int(os.environ.get("PGB_FUZZ_RUNS", "5")), **_COMMON)
# a property over load + validate of a small batch: between the two
TABLES = settings(max_examples=int(os.environ.get("PGB_FUZZ_TABLES", "15")), **_COMMON)


def _bsn(digits: list[int]) -> str:
    """Eight digits completed to a 9-digit number passing the elfproef."""
    som = sum((9 - i) * d for i, d in enumerate(digits))
    last = som % 11
    if last == 10:
        return _bsn([(digits[0] + 1) % 10] + digits[1:])
    return "".join(map(str, digits)) + str(last)


def _elfproef(s: str) -> bool:
    return len(s) == 9 and s.isdigit() and s != "000000000" and \
        (sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])) % 11 == 0


bsns = st.lists(st.integers(0, 9), min_size=8, max_size=8).map(_bsn).filter(lambda b: b != "000000000")
voornaam = st.sampled_from(["Luuk", "Sanne", "Thijs", "Zoë", "Ahmed", "Floor", "Mila", "Jan-Willem", "Ïlse"])
achternaam = st.sampled_from(["Dekker", "van der Meer", "O'Brien", "de Vries", "Pasman", "Öztürk", "Kroon & Zn"])
persoonsnamen = st.builds(lambda v, a: f"{v} {a}", voornaam, achternaam)
telefoons = st.sampled_from(["06-96207290", "+31 6 4258 0007", "06 15 83 67 65", "053-1234567"])
emails = st.builds(lambda a, b: f"{a}@{b}.nl", st.from_regex(r"[a-z]{1,8}\.[a-z]{2,8}", fullmatch=True),
                   st.sampled_from(["outlook", "hetnet", "live", "ziggo"]))
ibans = st.sampled_from(["NL21KNAB0924895497", "NL47INGB0002212132", "NL11KNAB0846860341"])
filler = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Nd"]), max_size=12)
escape = st.sampled_from([lambda t: t, html.escape, lambda t: html.escape(t, quote=False)])


# --------------------------------------------------------------------------- the guard (cheap)

@CHEAP
@given(namen=st.lists(persoonsnamen, min_size=1, max_size=4), bsn=st.lists(bsns, min_size=1, max_size=3),
       tel=telefoons, mail=emails, iban=ibans, fill=st.lists(filler, min_size=6, max_size=6), esc=escape,
       niet_bsn=st.integers(100000000, 999999999).map(str).filter(lambda s: not _elfproef(s)))
def test_guard_leaves_no_personal_value_in_text(namen, bsn, tel, mail, iban, fill, esc, niet_bsn):
    """BSNs in free text, names (escaped as HTML/XML would), phones, e-mails and IBANs: none
    survives the guard; a 9-digit number failing the elfproef is left alone."""
    stukken = [esc(n) for n in namen] + bsn + [tel, mail, iban]
    tekst = " ".join(f"{f} {s}" for f, s in zip(fill * 3, stukken)) + f" ({niet_bsn})"
    uit = Bewaker(namen, [tel]).tekst(tekst)
    for s in stukken:
        assert s not in uit, (s, uit)
    assert niet_bsn in uit
    # with both switches nothing is masked but e-mail/IBAN stay as they are too
    assert Bewaker(namen, [tel], toon_bsn=True, toon_namen=True).tekst(tekst) == tekst


@CHEAP
@given(cellen=st.lists(st.one_of(filler, st.sampled_from(["=1+1", "+31612345678", "-12", "-12,50", "@SUM(A1)",
                                                          "\t=cmd", "\r=x", '=HYPERLINK("http:evil.example")',
                                                          "-x", "'quoted"])), min_size=1, max_size=8))
def test_no_csv_cell_is_ever_a_formula(cellen):
    """Every text cell of every CSV through the one guard; a plain number stays a number and
    the original text is the cell without the apostrophe."""
    df = pl.DataFrame({"bestand": cellen, "inhoud": list(reversed(cellen))})
    rows = list(csv.reader(io.StringIO(csv_bytes(df).decode("utf-8"), newline="")))[1:]
    assert len(rows) == len(cellen)
    for (a, b), orig in zip(rows, cellen):
        if re.fullmatch(r"-?\d+(?:[.,]\d+)?", orig):
            assert a == orig
        else:
            assert not re.match(r"[=+\-@\t\r]", a), a
            assert a in (orig, "'" + orig)


@TABLES
@given(rijen=st.lists(st.tuples(persoonsnamen, st.sampled_from(["zzp", "sociaal_netwerk", "instelling", "ZZP", ""]),
                                bsns, st.sampled_from(["12345678", "1234", "", "x"])), min_size=1, max_size=5))
def test_quarantine_masks_every_natural_person(tmp_path_factory, rijen):
    """Zorgverleners (quarantined or not) of every soort: a person's name never in the
    quarantine (an instelling's may be), no BSN, and no row lost."""
    tmp = tmp_path_factory.mktemp("zv")
    zv = [{}] + [{"zorgverlener_id": f"Z{i + 2}", "naam": n, "soort": s, "bsn": b, "kvk_nummer": k}
                 for i, (n, s, b, k) in enumerate(rijen)]
    raw = load_batch(make_batch(tmp, zorgverleners=zv))
    v = validate(raw)
    c = v.counts["zorgverleners"]
    assert c["rows_read"] == c["rows_audited"] + c["rows_quarantined"] == len(zv)
    tekst = " ".join(v.quarantine["inhoud"].to_list() + v.quarantine["redenen"].to_list())
    instellingen = {n for n, s, _, _ in rijen if s == "instelling"}
    for n, s, b, _ in rijen:
        assert b not in tekst
        if s != "instelling" and n not in instellingen:
            assert n not in tekst and html.escape(n) not in tekst


# --------------------------------------------------------------------------- whole runs (bounded)

naam_tekens = st.text(st.sampled_from("=+-@\t\"',;()|:/.\\ abcZë€<>&%"), min_size=1, max_size=24)


def _check_run(batch: Path, out: Path, capsys, *extra: str) -> tuple[int, str]:
    rc = invoke(["run", str(batch), "--out", str(out), "--peildatum", "2026-01-31", "--stil",
                 "--controles", "DUBBEL,VERBODEN", *extra])
    err = capsys.readouterr().err
    assert rc in (0, 2), err
    assert "Traceback" not in err
    if rc == 0:
        run = json.loads((out / "run.json").read_text())
        for t in run["inputs"]:
            assert t["rows_read"] == t["rows_audited"] + t["rows_quarantined"], t
        for p in out.rglob("*.csv"):
            for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8"), newline="")):
                for cell in row:
                    assert not re.match(r"[=+@\t\r]", cell), (p.name, cell)
    return rc, err


@RUNS
@given(naam=naam_tekens, bsn=bsns, woord=st.sampled_from(["bemiddeling", "administratie", "huiswerk"]))
def test_hostile_file_names_and_bsns_in_free_text(tmp_path_factory, capsys, naam, bsn, woord):
    """A workbook named like a formula or markup holding a quarantined row, and a BSN typed
    into an omschrijving: no formula in any CSV, the BSN in no output, no row lost."""
    import openpyxl
    tmp = tmp_path_factory.mktemp("naam")
    batch = make_batch(tmp, declaraties=[{"omschrijving": f"{woord} {bsn}"}, {"datum_van": "10-01-25"}])
    with (batch / "declaraties.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    wb.active.title = "declaraties"
    for r in rows:
        wb.active.append(r)
    (batch / "declaraties.csv").unlink()
    veilig = naam.replace("/", "_").replace("\\", "_").strip() or "x"
    try:
        wb.save(batch / f"{veilig}.xlsx")
    except OSError:
        return
    rc, err = _check_run(batch, tmp / "uit", capsys)
    if rc == 0:
        assert bsn not in _alle_uitvoer(tmp / "uit")


SCHADE_SQL = ["DELETE FROM meta", "UPDATE meta SET waarde = '2'", "UPDATE runs SET peildatum = 'x'",
              "UPDATE runs SET rijen = '{'", 'DROP TABLE "t_declaraties"', "DROP TABLE bevindingen",
              'ALTER TABLE "t_budgethouders" DROP COLUMN "naam"', "DROP TABLE runs", "DELETE FROM runs"]


@RUNS
@given(schade=st.lists(st.one_of(st.sampled_from(SCHADE_SQL),
                                 st.tuples(st.integers(0, 60000), st.binary(min_size=1, max_size=64))),
                       min_size=1, max_size=3))
def test_damaged_werkruimten_are_exit_0_or_2(tmp_path_factory, capsys, schade):
    """Hand-edited SQL or overwritten bytes: the run and `werkruimte toon` end in 0 or 2,
    never a traceback or an internal error."""
    tmp = tmp_path_factory.mktemp("schade")
    batch = make_batch(tmp)
    wsd = tmp / "ws"
    assert invoke(["run", str(batch), "--out", str(tmp / "u0"), "--peildatum", "2026-01-31", "--stil",
                   "--controles", "DUBBEL", "--werkruimte", str(wsd)]) == 0
    db = wsd / ws.DB_NAAM
    for s in schade:
        if isinstance(s, str):
            con = sqlite3.connect(db)
            try:
                con.execute(s)
                con.commit()
            except sqlite3.DatabaseError:
                pass
            finally:
                con.close()
        else:
            with db.open("r+b") as f:
                f.seek(s[0])
                f.write(s[1])
    capsys.readouterr()
    _check_run(batch, tmp / "u1", capsys, "--werkruimte", str(wsd))
    rc = invoke(["werkruimte", "toon", str(wsd)])
    err = capsys.readouterr().err
    assert rc in (0, 2) and "Traceback" not in err, err
    shutil.rmtree(tmp, ignore_errors=True)
