"""Issue 17 item 5, input that guides: near matches in missing-column messages, title rows
above the header, a workbook's sheets listed, SVB/iPgb aliases, an import definition
(`--kolommen`) and its draft (`kolommen voorstel`), the shipped input specification
(`invoer uitleg`), and `validate` with row numbers."""

from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import polars as pl

from auditor.cli import invoke
from auditor.kolommen import laad_kolommen
from auditor.load import load_batch
from auditor.validate import validate
from tests.builders import make_batch

ROOT = Path(__file__).resolve().parent.parent


def _rename_csv(path: Path, mapping: dict[str, str]) -> None:
    df = pl.read_csv(path, infer_schema=False)
    df.rename(mapping).write_csv(path)


def _err(capsys) -> str:
    return capsys.readouterr().err


def test_renamed_column_is_answered_with_its_name_as_near_match(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    _rename_csv(batch / "declaraties.csv", {"bedrag": "Bedrag (EUR)"})
    assert invoke(["validate", str(batch)]) == 2
    err = _err(capsys)
    assert "'bedrag' ontbreekt ('Bedrag (EUR)' lijkt erop)" in err
    assert "gevonden kolommen: declaratie_id, budgethouder_id" in err
    assert "--kolommen" in err and "declaraties.csv" in err


def test_title_rows_above_the_header_are_skipped(tmp_path: Path, capsys):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "bedrag": "x"}])
    body = (batch / "declaraties.csv").read_text()
    (batch / "declaraties.csv").write_text("Export declaraties SVB januari 2025\n\n" + body)
    raw = load_batch(batch)
    assert raw["declaraties"].titelrijen == 2
    v = validate(raw)
    # header on line 3, D1 on line 4, D2 on line 5 (as the user sees it in Excel)
    assert v.quarantine["rij"].to_list() == [5]
    assert invoke(["validate", str(batch)]) == 0
    out = capsys.readouterr().out
    assert "2 titelrij(en) boven de kopregel overgeslagen" in out
    assert "(rij 5)" in out


def test_title_row_in_a_workbook_is_skipped(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False)
    (batch / "declaraties.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Overzicht declaraties"])
    ws.append([c.upper() for c in df.columns])
    for r in df.iter_rows():
        ws.append(list(r))
    wb.save(batch / "declaraties.xlsx")
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    assert v.tables["declaraties"]["_rij"].to_list() == [3]


def test_workbook_with_an_unnamed_sheet_lists_workbook_and_sheets(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False)
    (batch / "declaraties.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Declaraties 2025"
    ws.append(df.columns)
    wb.create_sheet("Toelichting")
    wb.save(batch / "export svb.xlsx")
    assert invoke(["validate", str(batch)]) == 2
    err = _err(capsys)
    assert "export svb.xlsx (bladen: Declaraties 2025, Toelichting)" in err
    assert "'Declaraties 2025' lijkt erop" in err


def test_svb_and_ipgb_aliases(tmp_path: Path):
    batch = make_batch(tmp_path)
    _rename_csv(batch / "budgethouders.csv", {"budgethouder_id": "Klantnummer"})
    _rename_csv(batch / "toekenningen.csv", {"toekenning_id": "Budgetidentificatie", "categorie": "Zorgfunctie",
                                             "budget": "Functiebudget", "budgethouder_id": "klantnummer"})
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    t = v.tables["toekenningen"].row(0, named=True)
    assert (t["toekenning_id"], t["categorie"], t["budget_ct"]) == ("T1", "begeleiding_individueel", 1162800)


def _mapping_batch(tmp_path: Path) -> tuple[Path, Path]:
    """An export with its own names: a workbook 'Export declaraties SVB januari.xlsx' with
    renamed columns and 'Afgewezen' for afgekeurd."""
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1", "status": "Afgewezen"}])
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False).rename(
        {"bedrag": "Bedrag (EUR)", "budgethouder_id": "Klant", "datum_van": "Van", "datum_tot": "Tot",
         "status": "Stand"})
    (batch / "declaraties.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(df.columns)
    for r in df.iter_rows():
        ws.append(list(r))
    wb.save(batch / "Export declaraties SVB januari.xlsx")
    mapping = tmp_path / "koppeling.toml"
    mapping.write_text('''
[declaraties]
bestand = "Export declaraties SVB*.xlsx"
kolommen = { "Bedrag (EUR)" = "bedrag", "Klant" = "budgethouder_id", "Van" = "datum_van", "Tot" = "datum_tot", "Stand" = "status" }

[declaraties.waarden.status]
"Afgewezen" = "afgekeurd"
''', encoding="utf-8")
    return batch, mapping


def test_a_mapping_file_makes_a_renamed_export_run(tmp_path: Path, capsys):
    batch, mapping = _mapping_batch(tmp_path)
    assert invoke(["validate", str(batch)]) == 2          # without it: the table is not found
    capsys.readouterr()
    out = tmp_path / "out"
    code = invoke(["run", str(batch), "--out", str(out), "--peildatum", "2025-12-31", "--stil",
                   "--kolommen", str(mapping)])
    assert code == 0, _err(capsys)
    v = validate(load_batch(batch, laad_kolommen(mapping)))
    assert v.quarantine.height == 0
    d = v.tables["declaraties"].row(0, named=True)
    assert (d["bedrag_ct"], d["budgethouder_id"], d["status"]) == (11628, "B1", "afgekeurd")


def test_kolommen_voorstel_drafts_a_mapping_that_runs(tmp_path: Path, capsys):
    batch, _ = _mapping_batch(tmp_path)
    draft = tmp_path / "voorstel.toml"
    assert invoke(["kolommen", "voorstel", str(batch), "--uit", str(draft)]) == 0
    text = draft.read_text()
    data = tomllib.loads(text)
    assert data["declaraties"]["bestand"] == "Blad1"
    assert data["declaraties"]["kolommen"]["Bedrag (EUR)"] == "bedrag"
    assert data["declaraties"]["kolommen"]["declaratie_id"] == "declaratie_id"
    # near names are guessed and said to be guesses; 'Stand' is too far from any contract name
    assert data["declaraties"]["kolommen"]["Klant"] == "budgethouder_id"
    assert data["declaraties"]["kolommen"]["Van"] == "datum_van"
    assert '"Klant" = "budgethouder_id"   # lijkt erop' in text
    assert '# "Stand" = ""' in text
    # the draft as it is makes the batch readable
    assert invoke(["validate", str(batch), "--kolommen", str(draft)]) == 0
    # a second time: never overwritten
    assert invoke(["kolommen", "voorstel", str(batch), "--uit", str(draft)]) == 2


def test_bad_mapping_file_is_exit_2(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    for text, expected in [("[declaraties]\nkolommen = { \"x\" = \"geen_kolom\" }\n", "geen kolom van declaraties"),
                           ("[facturen]\n", "onbekende tabel [facturen]"),
                           ("[declaraties\n", "geen geldige TOML"),
                           ("[declaraties]\nbestand = \"bestaat-niet*.csv\"\n", "past op geen bestand"),
                           ("a = " + "[" * 5000 + "]" * 5000 + "\n", "--kolommen")]:
        m = tmp_path / "m.toml"
        m.write_text(text)
        assert invoke(["validate", str(batch), "--kolommen", str(m)]) == 2, text[:40]
        assert expected in _err(capsys)
    assert invoke(["validate", str(batch), "--kolommen", str(tmp_path / "nee.toml")]) == 2
    assert "bestaat niet" in _err(capsys)


def test_invoer_uitleg_prints_the_shipped_specification(capsys):
    assert invoke(["invoer", "uitleg"]) == 0
    out = capsys.readouterr().out
    assert "Invoer van pgb-audit" in out and "--kolommen" in out and "1.000.000.000 euro" in out
    from auditor.tables import TABLES
    for t, spec in TABLES.items():
        assert f"### {t}" in out
        for c in spec.cols:
            assert f"| {c.name} |" in out
    assert (ROOT / "docs" / "invoer.md").read_text() == (ROOT / "auditor" / "invoer.md").read_text()


def test_trailing_empty_row_is_not_a_lege_rij(tmp_path: Path, capsys):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    with (batch / "declaraties.csv").open("a") as f:
        f.write(",,,,,,,,,,,,,,,,\n\n,,,\n")
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    assert v.counts["declaraties"]["rows_read"] == 1
    # an empty row in the middle still counts, and is quarantined
    body = (batch / "declaraties.csv").read_text().splitlines()
    (batch / "declaraties.csv").write_text("\n".join([body[0], ",,,", body[1]]) + "\n")
    v = validate(load_batch(batch))
    assert v.quarantine["rij"].to_list() == [2] and v.quarantine["redenen"][0] == "lege rij"
