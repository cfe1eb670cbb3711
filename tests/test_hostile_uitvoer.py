"""Issue 14, round two (output side): no leak, the right exit code, a werkruimte that recovers.

Each test here reproduced its break before the fix (see docs/robustness.md): the privacy
guard over every output, natural-person zorgverleners in the quarantine, separate --toon-*
switches, one formula guard for every CSV cell, exit 2 for the user's mistakes, an atomic
first werkruimte run, a damaged werkruimte. The generated cases are in
tests/test_fuzz_hostile.py.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

import auditor.files as files
from auditor import werkruimte as ws
from auditor.cli import invoke
from auditor.load import load_batch
from auditor.validate import validate
from tests.builders import make_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "losser-2025"


def _code(args: list[str], capsys) -> tuple[int, str]:
    rc = invoke(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return rc, err


# --------------------------------------------------------------------------- item 13/14: exit codes

def test_out_below_a_file_is_exit_2(tmp_path, capsys):
    batch = make_batch(tmp_path)
    (tmp_path / "bestand").write_text("x")
    rc, err = _code(["run", str(batch), "--out", str(tmp_path / "bestand" / "uit"), "--peildatum", "2026-01-31",
                     "--stil", "--controles", "DUBBEL"], capsys)
    assert rc == 2 and "geen map" in err


@pytest.mark.parametrize("nummer, tekst", [(errno.ENOSPC, "schijf is vol"), (errno.EROFS, "alleen-lezen"),
                                           (errno.EACCES, "schrijfrechten")])
def test_disk_full_or_read_only_out_is_exit_2(tmp_path, capsys, monkeypatch, nummer, tekst):
    batch = make_batch(tmp_path)

    def weigert(path, data):
        raise OSError(nummer, os.strerror(nummer))
    monkeypatch.setattr("auditor.write._atomic_write", weigert)
    rc, err = _code(["run", str(batch), "--out", str(tmp_path / "uit"), "--peildatum", "2026-01-31", "--stil",
                     "--controles", "DUBBEL"], capsys)
    assert rc == 2 and tekst in err, err


@pytest.mark.parametrize("extra, tekst", [
    (["--peildatum", "9999-12-31"], "ligt niet tussen"),
    (["--peildatum", "0001-01-01"], "ligt niet tussen"),
    (["--verantwoordingsgrens", "nan"], "geen aandeel"),
    (["--verantwoordingsgrens", "inf"], "geen aandeel"),
    (["--verantwoordingsgrens", "-1"], "aandeel tussen 0 en 1"),
    (["--totale-lasten", "nan"], "geen bedrag"),
    (["--controles", ",,,"], "geen controle genoemd"),
    (["--regelingen", "/bestaat/niet"], "bestaat niet"),
])
def test_usage_mistakes_of_run_are_exit_2(tmp_path, capsys, extra, tekst):
    batch = make_batch(tmp_path)
    args = ["run", str(batch), "--out", str(tmp_path / "uit"), "--stil"]
    if "--peildatum" not in extra:
        args += ["--peildatum", "2026-01-31"]
    rc, err = _code(args + extra, capsys)
    assert rc == 2 and tekst in err, err


def test_a_toml_nested_5000_deep_is_exit_2(tmp_path, capsys):
    p = tmp_path / "diep.toml"
    p.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    for args in (["regeling", "controleer", str(p)], ["regeling", "toon", str(p)],
                 ["run", str(make_batch(tmp_path)), "--out", str(tmp_path / "uit"), "--regeling", str(p),
                  "--peildatum", "2026-01-31", "--stil"]):
        rc, err = _code(args, capsys)
        assert rc == 2 and "te diep genest" in err, (args, err)


def test_regeling_controleer_and_toon_on_a_broken_file_are_exit_2(tmp_path, capsys):
    p = tmp_path / "kapot.toml"
    p.write_text('id = "x"\n[a\n')
    for cmd in ("controleer", "toon"):
        rc, err = _code(["regeling", cmd, str(p)], capsys)
        assert rc == 2 and "geen geldige TOML" in err


@pytest.mark.parametrize("args, tekst", [
    (["samples", "genereer", "--jaar", "1", "-n", "1"], "geen jaar"),
    (["steekproef", "plan", "--materialiteit", "nan"], "geen getal"),
    (["steekproef", "plan", "--materialiteit", "inf"], "geen getal"),
])
def test_usage_mistakes_of_other_commands_are_exit_2(tmp_path, capsys, args, tekst):
    if args[0] == "samples":
        args = args + ["--out", str(tmp_path / "s")]
    rc, err = _code(args, capsys)
    assert rc == 2 and tekst in err, err


# --------------------------------------------------------------------------- items 1, 2: the quarantine

ZZP = {"zorgverlener_id": "Z9", "naam": "Thijs van der Meer", "soort": "zzp", "kvk_nummer": "1234",
       "bsn": "111222333", "iban": "NL20INGB0001234567"}


@pytest.mark.parametrize("soort", ["zzp", "sociaal_netwerk", "onbekend"])
def test_a_quarantined_natural_person_zorgverlener_is_masked(tmp_path, soort):
    batch = make_batch(tmp_path, zorgverleners=[{}, dict(ZZP, soort=soort)])
    q = validate(load_batch(batch)).quarantine
    text = " ".join(q["inhoud"].to_list() + q["redenen"].to_list())
    assert "Z9" in text or q.height
    assert "Thijs van der Meer" not in text and "T.v.d.M." in text
    assert "111222333" not in text


def test_an_instelling_keeps_its_name_in_the_quarantine(tmp_path):
    batch = make_batch(tmp_path, zorgverleners=[{}, dict(ZZP, soort="instelling", naam="Zorg West B.V.")])
    q = validate(load_batch(batch)).quarantine
    assert "Zorg West B.V." in " ".join(q["inhoud"].to_list())


def test_toon_bsn_and_toon_namen_are_separate_switches(tmp_path, capsys):
    batch = make_batch(tmp_path, zorgverleners=[{}, ZZP])
    for flags, bsn_shown, naam_shown in ((["--toon-bsn"], True, False), (["--toon-namen"], False, True),
                                         ([], False, False), (["--toon-bsn", "--toon-namen"], True, True)):
        out = tmp_path / ("uit" + "".join(flags))
        rc, _ = _code(["run", str(batch), "--out", str(out), "--peildatum", "2026-01-31", "--stil",
                       "--controles", "DUBBEL", *flags], capsys)
        assert rc == 0
        text = _alle_uitvoer(out)
        assert ("111222333" in text) == bsn_shown, flags
        assert ("Thijs van der Meer" in text) == naam_shown, flags
        rc, _ = _code(["validate", str(batch), *flags], capsys)
        assert rc == 0


# --------------------------------------------------------------------------- item 6: one CSV guard

def test_every_csv_cell_goes_through_the_formula_guard(tmp_path, capsys):
    """A workbook named like a formula: its name is in quarantaine.csv's `bestand` column."""
    openpyxl = pytest.importorskip("openpyxl")
    batch = make_batch(tmp_path)
    naam = '=HYPERLINK("http:evil.example","klik")'
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "declaraties"
    with (batch / "declaraties.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows.append(list(rows[1]))
    rows[-1][0] = "D99"
    rows[-1][rows[0].index("datum_van")] = "geen datum"
    for r in rows:
        sh.append(r)
    (batch / "declaraties.csv").unlink()
    wb.save(batch / f"{naam}.xlsx")
    out = tmp_path / "uit"
    rc, err = _code(["run", str(batch), "--out", str(out), "--peildatum", "2026-01-31", "--stil",
                     "--controles", "DUBBEL"], capsys)
    assert rc == 0, err
    q = (out / "quarantaine.csv").read_text(encoding="utf-8")
    assert "HYPERLINK" in q
    for p in out.rglob("*.csv"):
        for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8"))):
            for cell in row:
                assert not re.match(r"[=+@\t\r]", cell), (p.name, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-\d+(?:[.,]\d+)?", cell), (p.name, cell)


def test_csv_bytes_neutralises_every_text_column_but_keeps_negative_amounts():
    df = pl.DataFrame({"a": ["=1+1", "-12.50", "-x", "@SUM(A1)", "ok"], "n": [1, 2, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(files.csv_bytes(df).decode())))[1:]
    assert [r[0] for r in rows] == ["'=1+1", "-12.50", "'-x", "'@SUM(A1)", "ok"]


# --------------------------------------------------------------------------- item 4 and the guard

def _alle_uitvoer(out: Path) -> str:
    """Every output as text: csv, html, json, and the XML inside xlsx and docx."""
    parts = []
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        if p.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(p) as z:
                parts += [z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")]
        else:
            parts.append(p.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def vijandige_sample(tmp_path_factory):
    """The Losser sample with a BSN typed into a VERBODEN omschrijving, a quarantined zzp'er,
    a relatie whose unquoted comma shifts the BSN, and the run's outputs."""
    root = tmp_path_factory.mktemp("sample")
    batch = root / "batch"
    shutil.copytree(SAMPLE, batch)
    d = (batch / "declaraties.csv").read_text(encoding="utf-8").splitlines()
    kop = d[0].split(";")
    velden = d[1].split(";")
    velden[kop.index("omschrijving")] = "bemiddeling voor bsn 772161975 (Luuk Dekker)"
    d[1] = ";".join(velden)
    (batch / "declaraties.csv").write_text("\n".join(d) + "\n", encoding="utf-8")
    z = (batch / "zorgverleners.csv").read_text(encoding="utf-8").replace(",Tess Bos,zzp,86443072,", ",Tess Bos,zzp,8644307X,")
    (batch / "zorgverleners.csv").write_text(z, encoding="utf-8")
    r = (batch / "relaties.csv").read_text(encoding="utf-8").replace(",ouder,Floor Kroon,", ",ouder,Kroon, Floor,")
    (batch / "relaties.csv").write_text(r, encoding="utf-8")
    out = root / "uit"
    rc = invoke(["run", str(batch), "--out", str(out), "--peildatum", "2025-12-31", "--stil"])
    assert rc == 0
    return batch, out


def _persoonsgegevens(batch: Path) -> dict[str, set[str]]:
    def lees(naam):
        return pl.read_csv(batch / f"{naam}.csv", separator=";" if naam == "budgethouders" else ",",
                           infer_schema=False, truncate_ragged_lines=True)
    bh = lees("budgethouders").rename(lambda c: c.lower().replace(" ", "_").replace("-", ""))
    rel, zv = lees("relaties"), lees("zorgverleners")
    zv_p = zv.filter(pl.col("soort") != "instelling")
    pick = lambda *cols: {v for df, c in cols for v in df[c].drop_nulls().to_list() if v and len(v) >= 5}  # noqa: E731
    return {
        "bsn": pick((bh, "bsn"), (rel, "bsn"), (zv, "bsn")),
        "naam": pick((bh, "naam"), (rel, "naam"), (zv_p, "naam")),
        "iban": pick((rel, "iban"), (zv, "iban"), (bh, "iban")),
        "email": pick((bh, "email"), (rel, "email"), (zv, "email")),
        "telefoon": pick((bh, "telefoon"), (rel, "telefoon"), (zv, "telefoon")),
    }


def test_no_personal_data_in_any_output_of_a_hostile_sample(vijandige_sample):
    batch, out = vijandige_sample
    text = _alle_uitvoer(out)
    assert "bemiddeling voor bsn" in text          # the VERBODEN finding quotes the omschrijving
    assert "Tess Bos" not in text and "T.B." in text
    gegevens = _persoonsgegevens(batch)
    assert all(len(v) > 20 for v in gegevens.values()), {k: len(v) for k, v in gegevens.items()}
    lekken = {soort: sorted(v for v in waarden if v in text) for soort, waarden in gegevens.items()}
    assert not any(lekken.values()), {k: v[:5] for k, v in lekken.items()}


def test_the_guard_is_one_function_over_the_text_written():
    from auditor.privacy import Bewaker
    b = Bewaker(["Luuk Dekker", "Sanne O'Brien", "Tess Bos"], ["06-96207290"])
    s = b.tekst("Luuk Dekker (bsn 772161975) belt 06-96207290, f.kroon@outlook.com, NL21KNAB0924895497; "
                "Sanne O&#39;Brien; 123456789 is geen BSN; sha " + "1234567890abcdef" * 4)
    assert "Luuk Dekker" not in s and "L.D." in s and "*****1975" in s
    assert "06-96207290" not in s and "outlook" not in s and "KNAB" not in s and "O&#39;Brien" not in s
    assert "123456789" in s and "1234567890abcdef" * 4 in s
    assert Bewaker(["Luuk Dekker"], toon_bsn=True, toon_namen=True).tekst("Luuk Dekker 772161975") == \
        "Luuk Dekker 772161975"


def test_the_guard_leaves_identifiers_whole():
    """A finding id is 16 hex characters; `37d370790674b0ac` holds 370790674, which passes
    the elfproef (9*3+8*7+7*0+6*7+5*9+4*0+3*6+2*7-4 = 198 = 18*11). The first guard masked it
    in findings.csv (`37d*****0674b0ac`), so a finding could no longer be found by its id."""
    from auditor.privacy import Bewaker
    assert Bewaker().tekst("37d370790674b0ac,DUBBEL") == "37d370790674b0ac,DUBBEL"
    # a 9-digit klantnummer that passes the elfproef is no BSN when the batch says so
    assert Bewaker(ids=["772161975"]).tekst("budgethouder 772161975") == "budgethouder 772161975"
    assert Bewaker().tekst("budgethouder 772161975") == "budgethouder *****1975"


def test_finding_ids_in_every_output_are_the_ids_of_the_run(vijandige_sample):
    batch, out = vijandige_sample
    ids = pl.read_csv(out / "findings.csv", infer_schema=False)["finding_id"]
    assert ids.str.contains(r"^[0-9a-f]{16}$").all(), ids.filter(~ids.str.contains(r"^[0-9a-f]{16}$")).to_list()[:3]


@pytest.mark.parametrize("apart", [False, True])
def test_the_guard_covers_the_letters_rendered_in_a_second_process(tmp_path, monkeypatch, apart):
    """The letters are written as new files, from a few proposals on (BRIEVEN_APART) also by a forked process: the guard
    runs over every value they are filled with. A letter writer that forgot to mask (simulated:
    a budgethouder's full name and BSN put into every appendix row) still writes neither."""
    import auditor.reports as reports
    from auditor.reports import letters
    from auditor.pipeline import audit
    from auditor.write import write_outputs
    from datetime import date
    echt = letters.letter_context

    def lek(*args, **kw):
        ctx = echt(*args, **kw)
        for b in ctx.get("bijlage", []):
            b["toelichting"] = "Dirk Bouzid (bsn 781446557) " + str(b.get("toelichting", ""))
        return ctx
    monkeypatch.setattr(letters, "letter_context", lek)
    monkeypatch.setattr(reports, "BRIEVEN_APART", 1 if apart else 10**6)
    a = audit(SAMPLE, peildatum=date(2025, 12, 31))
    out = tmp_path / "uit"
    write_outputs(a, out)
    brieven = sorted((out / "brieven").iterdir())
    assert brieven
    for p in brieven:
        tekst = p.read_text(encoding="utf-8") if p.suffix == ".html" else "".join(
            zipfile.ZipFile(p).read(n).decode("utf-8") for n in zipfile.ZipFile(p).namelist() if n.endswith(".xml"))
        assert "Dirk Bouzid" not in tekst and "781446557" not in tekst, p.name
    assert any("D.B. (bsn *****6557)" in p.read_text(encoding="utf-8") for p in brieven if p.suffix == ".html")


def test_the_guard_covers_the_workbook_written_in_a_second_process(tmp_path, monkeypatch):
    """rapport.xlsx is written by a forked process from values planned here: the guard runs over
    every text of every sheet, of a frame's sheet and of a sheet of rows alike. Sheet writers that
    forgot to mask (simulated: a budgethouder's full name and BSN in the summary and in an extra
    sheet of rows) still write neither; the numbers stay numbers."""
    import openpyxl
    import polars as pl
    from auditor.reports import xlsx
    from auditor.pipeline import audit
    from auditor.write import write_outputs
    from datetime import date
    lek = "Dirk Bouzid (bsn 781446557)"
    echt_samenvatting, echt_bladen = xlsx._samenvatting, xlsx.rechtmatigheid_bladen

    def samenvatting(m):
        df = echt_samenvatting(m)
        return pl.concat([df, pl.DataFrame({"onderwerp": ["Lek"], "tekst": [lek]})], how="diagonal_relaxed")

    def bladen(m, rijen, pct):
        echt_bladen(m, rijen, pct)
        rijen("Lek", ["Tekst", "Bedrag"], [[lek, 12]])
    monkeypatch.setattr(xlsx, "_samenvatting", samenvatting)
    monkeypatch.setattr(xlsx, "rechtmatigheid_bladen", bladen)
    a = audit(SAMPLE, peildatum=date(2025, 12, 31))
    out = tmp_path / "uit"
    write_outputs(a, out)
    with zipfile.ZipFile(out / "rapport.xlsx") as z:
        tekst = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "Dirk Bouzid" not in tekst and "781446557" not in tekst
    wb = openpyxl.load_workbook(out / "rapport.xlsx")
    assert [r for r in wb["Lek"].iter_rows(values_only=True)] == [("Tekst", "Bedrag"), ("D.B. (bsn *****6557)", 12)]
    assert "D.B. (bsn *****6557)" in [r[1] for r in wb["Samenvatting"].iter_rows(values_only=True)]


# --------------------------------------------------------------------------- items 11, 12: werkruimte

KILL_SCRIPT = """
import os, signal, sys
import auditor.werkruimte as ws
from auditor.cli import invoke
echt = ws._schrijf_voorstellen
def sterf(*a):
    echt(*a)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
ws._schrijf_voorstellen = sterf
sys.exit(invoke(sys.argv[2:]))
"""


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_signal_during_the_first_werkruimte_run_leaves_it_usable(tmp_path, capsys, sig):
    batch = make_batch(tmp_path)
    wsd = tmp_path / "ws"
    args = ["run", str(batch), "--out", str(tmp_path / "uit"), "--peildatum", "2026-01-31", "--stil",
            "--controles", "DUBBEL", "--werkruimte", str(wsd)]
    p = subprocess.run([sys.executable, "-c", KILL_SCRIPT, sig, *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert not (wsd / ws.DB_NAAM).exists()
    rc, err = _code(args, capsys)
    assert rc == 0, err
    assert ws.lees(wsd).runs.height == 1


def test_an_empty_werkruimte_file_from_an_older_killed_run_counts_as_none(tmp_path, capsys):
    batch = make_batch(tmp_path)
    wsd = tmp_path / "ws"
    wsd.mkdir()
    (wsd / ws.DB_NAAM).write_bytes(b"")
    rc, err = _code(["run", str(batch), "--out", str(tmp_path / "uit"), "--peildatum", "2026-01-31", "--stil",
                     "--controles", "DUBBEL", "--werkruimte", str(wsd)], capsys)
    assert rc == 0, err
    assert ws.lees(wsd).runs.height == 1


@pytest.fixture(scope="module")
def werkruimte(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    batch = make_batch(root)
    wsd = root / "ws"
    assert invoke(["run", str(batch), "--out", str(root / "uit"), "--peildatum", "2026-01-31", "--stil",
                   "--controles", "DUBBEL", "--werkruimte", str(wsd)]) == 0
    return batch, wsd


def _tabellen(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    finally:
        con.close()


SCHADE = [("versie", "UPDATE meta SET waarde = 'x' WHERE sleutel = 'schema_versie'", "onbekende versie"),
          ("versie-weg", "DELETE FROM meta", "onbekende versie"),
          ("json-runs", "UPDATE runs SET rijen = '{kapot'", "geen geldige JSON"),
          ("peildatum", "UPDATE runs SET peildatum = 'gisteren'", "beschadigd")]


@pytest.mark.parametrize("wat, sql, tekst", SCHADE + [
    (f"drop-{t}", f'DROP TABLE "{t}"', "ontbreekt") for t in ("meta", "runs", "bevindingen", "voorstellen",
                                                              "t_declaraties", "t_budgethouders")])
def test_a_damaged_werkruimte_is_exit_2_saying_what_to_do(werkruimte, tmp_path, capsys, wat, sql, tekst):
    batch, wsd = werkruimte
    kopie = tmp_path / "ws"
    shutil.copytree(wsd, kopie)
    con = sqlite3.connect(kopie / ws.DB_NAAM)
    assert con.execute(sql).rowcount != 0 or sql.startswith("DROP"), "the damage must change something"
    con.commit()
    con.close()
    if wat == "drop-meta":
        tekst = "geen werkruimte van pgb-audit"
    for args in (["run", str(batch), "--out", str(tmp_path / "uit"), "--peildatum", "2026-02-28", "--stil",
                  "--controles", "DUBBEL", "--werkruimte", str(kopie)], ["werkruimte", "toon", str(kopie)]):
        if wat == "json-runs" and args[0] == "run":
            continue    # a run does not read the stored counts per run; `werkruimte toon` does
        rc, err = _code(args, capsys)
        assert rc == 2, (wat, args[0], err)
        assert tekst in err, (wat, err)
