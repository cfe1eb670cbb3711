"""Issue 14, input side: hostile and clumsy input in the load and validate layers.

Each test reproduces a break found by the issue's attack (it failed before the fix):
item 3 (a shifted BSN shown in full), 5 (a value from the file named as a column),
7 (two files holding one table), 8 (two-digit years), 9 (float money), 10 (huge numbers),
13 (unreadable workbooks and Parquet types) and 15 (XLSX bombs)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from auditor.cli import invoke
from auditor.load import load_batch
from auditor.validate import validate
from tests.builders import make_batch

BSN = "123456782"          # passes the elfproef: 9*1+8*2+7*3+6*4+5*5+4*6+3*7+2*8-2 = 154 = 14*11


def _q(v, table: str) -> pl.DataFrame:
    return v.quarantine.filter(pl.col("tabel") == table)


# --------------------------------------------------------------------------- item 3

def test_shifted_bsn_is_masked_in_reasons_and_row_as_read(tmp_path: Path):
    batch = make_batch(tmp_path, relaties=[{"relatie_id": "R1"}])
    # an unquoted comma in the name: 'de Vries, Anna' shifts the BSN into geboortedatum
    (batch / "relaties.csv").write_text(
        "relatie_id,budgethouder_id,rol,naam,bsn,geboortedatum\n"
        f"R1,B1,ouder,de Vries, Anna,{BSN},1985-06-01\n", encoding="utf-8")
    v = validate(load_batch(batch))
    q = _q(v, "relaties")
    assert q.height == 1
    text = q["redenen"][0] + " " + q["inhoud"][0]
    assert BSN not in text
    assert "*****6782" in text
    # asked for: --toon-bsn shows it
    v2 = validate(load_batch(batch), mask_personal=False)
    assert BSN in _q(v2, "relaties")["redenen"][0] + _q(v2, "relaties")["inhoud"][0]


def test_bsn_mask_in_free_text_only_elfproef_numbers():
    from auditor.privacy import mask_bsn_tekst
    assert mask_bsn_tekst(f"zie {BSN}, tel 0612345678") == "zie *****6782, tel 0612345678"
    assert mask_bsn_tekst("123456789") == "123456789"            # fails the elfproef: not a BSN
    assert mask_bsn_tekst(f"x{BSN}1") == f"x{BSN}1"               # part of a longer number
    assert mask_bsn_tekst(f"{BSN}{BSN}") == f"{BSN}{BSN}"
    assert mask_bsn_tekst(None) is None


# --------------------------------------------------------------------------- item 5

def test_headerless_file_is_not_named_by_its_values(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    # no header row: the first data row repeats a name
    (batch / "zorgverleners.csv").write_text(
        "Z1;Luuk Dekker;zzp;Luuk Dekker\nZ2;Anna Bos;zzp;Anna Bos\n", encoding="utf-8")
    code = invoke(["validate", str(batch)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Luuk Dekker" not in err and "Z1" not in err
    assert "zorgverleners.csv" in err and "kopregel" in err


# --------------------------------------------------------------------------- item 7

def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def _rows(batch: Path, table: str) -> list[list]:
    df = pl.read_csv(batch / f"{table}.csv", infer_schema=False)
    return [df.columns] + [list(r) for r in df.iter_rows()]


def test_two_workbooks_with_one_table_exit_2_naming_both(tmp_path: Path, capsys):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    rows = _rows(batch, "declaraties")
    (batch / "declaraties.csv").unlink()
    _workbook(batch / "export januari.xlsx", {"declaraties": rows})
    _workbook(batch / "export februari.xlsx", {"declaraties": rows})
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "export januari.xlsx" in err and "export februari.xlsx" in err and "declaraties" in err


def test_workbook_sheet_next_to_a_csv_exit_2(tmp_path: Path, capsys):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    _workbook(batch / "export.xlsx", {"declaraties": _rows(batch, "declaraties")})
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "declaraties.csv" in err and "export.xlsx" in err


# --------------------------------------------------------------------------- item 8

@pytest.mark.parametrize("datum", ["10-01-25", "10-01-0025", "10-01-1850", "01-01-2150", "0025-01-10"])
def test_two_digit_or_implausible_year_is_quarantined(tmp_path: Path, datum: str):
    goed = "2025-03-03" if datum.startswith("00") else "03-03-2025"      # the column's format
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1", "datum_van": goed, "datum_tot": goed},
                                              {"declaratie_id": "D2", "datum_van": datum, "datum_tot": datum}])
    v = validate(load_batch(batch))
    q = _q(v, "declaraties")
    assert q["rij"].to_list() == [3]
    assert "jaartal" in q["redenen"][0] and "1900" in q["redenen"][0] and "2100" in q["redenen"][0]


# --------------------------------------------------------------------------- item 9

def test_float_money_from_parquet_is_that_cent(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": f"D{i}"} for i in range(1, 4)])
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False)
    (batch / "declaraties.csv").unlink()
    # 0.1 + 0.2 style floats: 87.21000000000001 and 116.27999999999999 are 87,21 and 116,28;
    # 12.345 is not within a millionth of a cent of any cent
    df = df.with_columns(pl.Series("bedrag", [29.07 * 3, 116.28 - 1e-13, 12.345]),
                         pl.Series("tarief", [29.07, 58.14, 12.345]),
                         pl.Series("aantal", [3.0, 2.0, 1.0]))
    assert df["bedrag"][0] != 87.21
    df.write_parquet(batch / "declaraties.parquet")
    v = validate(load_batch(batch))
    d = v.tables["declaraties"].sort("declaratie_id")
    assert d["bedrag_ct"].to_list() == [8721, 11628]
    q = _q(v, "declaraties")
    assert q["rij"].to_list() == [4] and "bedrag" in q["redenen"][0]


def test_float_money_from_an_excel_formula_is_that_cent(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    rows = _rows(batch, "declaraties")
    (batch / "declaraties.csv").unlink()
    i = rows[0].index("bedrag")
    rows[1][i] = 87.21000000000001          # what Excel stores for =29,07*3
    rows[1][rows[0].index("tarief")] = 29.07
    rows[1][rows[0].index("aantal")] = 3
    _workbook(batch / "declaraties.xlsx", {"declaraties": rows})
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    assert v.tables["declaraties"]["bedrag_ct"].to_list() == [8721]


# --------------------------------------------------------------------------- item 10

def test_huge_amounts_and_quantities_are_quarantined(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1"},
        {"declaratie_id": "D2", "aantal": "99999999999", "tarief": "99999999999.99", "bedrag": "116.28"},
        {"declaratie_id": "D3", "bedrag": "1000000000.01"},     # just over 10^9 euro
        {"declaratie_id": "D4", "bedrag": "1000000000.00"},     # the bound itself is allowed
    ])
    v = validate(load_batch(batch))
    q = _q(v, "declaraties").sort("rij")
    assert q["rij"].to_list() == [3, 4]
    assert "aantal" in q["redenen"][0] and "tarief" in q["redenen"][0] and "grens" in q["redenen"][0]
    assert "bedrag" in q["redenen"][1] and "1.000.000.000" in q["redenen"][1]


def test_products_at_the_bounds_do_not_overflow():
    from auditor import money
    # 1,000,000 units (the bound, in ten-thousandths) x 1,000,000,000.00 euro (the bound, in cents)
    df = pl.DataFrame({"q": [10**6 * 10**4], "p": [10**11]}).select(money.qty_x_price("q", "p").alias("ct"))
    assert df["ct"][0] == 10**17     # 10^6 x 10^9 euro = 10^15 euro = 10^17 cents


# --------------------------------------------------------------------------- item 13

def test_truncated_xlsx_sheet_is_exit_2(tmp_path: Path, capsys):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    rows = _rows(batch, "declaraties")
    (batch / "declaraties.csv").unlink()
    good = tmp_path / "good.xlsx"
    _workbook(good, {"declaraties": rows})
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(batch / "declaraties.xlsx", "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "declaraties.xlsx" in err and "Traceback" not in err


@pytest.mark.parametrize("kolom", [
    pl.Series("omschrijving", [["a", "b"]]),
    pl.Series("omschrijving", [dt.timedelta(hours=2)]),
    pl.Series("omschrijving", [b"\x00\x01"]),
    pl.Series("extra", [[1, 2]]),            # outside the contract as well
])
def test_parquet_with_list_duration_or_binary_column_is_exit_2(tmp_path: Path, capsys, kolom):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    df = pl.read_csv(batch / "declaraties.csv", infer_schema=False)
    (batch / "declaraties.csv").unlink()
    df.with_columns(kolom).write_parquet(batch / "declaraties.parquet")
    code = invoke(["validate", str(batch)])
    err = capsys.readouterr().err
    if kolom.name == "extra":          # outside the contract: left out, the run goes on
        assert code == 0, err
    else:
        assert code == 2, err
        assert "declaraties.parquet" in err and kolom.name in err


def test_unreadable_file_is_exit_2(tmp_path: Path, capsys, monkeypatch):
    batch = make_batch(tmp_path)
    target = batch / "declaraties.csv"
    real = Path.read_bytes

    def no_access(self):          # EACCES as a non-root user gets it (the suite may run as root)
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", no_access)
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "declaraties.csv" in err and "leesrechten" in err


def test_unreadable_file_as_a_folder_is_exit_2(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").unlink()
    (batch / "declaraties.csv").mkdir()     # a name that cannot be read as a file
    (batch / "declaraties.xlsx").write_bytes(b"")
    assert invoke(["validate", str(batch)]) == 2
    assert "declaraties.xlsx" in capsys.readouterr().err


# --------------------------------------------------------------------------- item 15

def _bomb_rows(path: Path, rows: int) -> None:
    """A workbook that declares `rows` rows in its dimension (0.4 MB in the issue)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "declaraties"
    ws.append(["declaratie_id"])
    ws.append(["D1"])
    wb.save(path)
    with zipfile.ZipFile(path) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    import re
    sheet, n = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:A{rows}"/>', sheet)
    assert n == 1, "the test workbook has no dimension to inflate"
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def test_xlsx_declaring_millions_of_rows_is_refused_before_reading(tmp_path: Path, capsys):
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").unlink()
    _bomb_rows(batch / "declaraties.xlsx", 3_000_000)
    # refused on the sheet's declared dimension, before any cell is read (no timing asserted:
    # a 3-million-row sheet read cell by cell would take minutes, not fail on its dimension)
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "declaraties.xlsx" in err and "rijen" in err


def test_xlsx_with_gigabytes_of_whitespace_is_refused_before_reading(tmp_path: Path, capsys, monkeypatch):
    import auditor.werkmap as werkmap
    monkeypatch.setattr(werkmap, "MAX_UITGEPAKT", 20_000_000)    # the same rule, a smaller bound
    batch = make_batch(tmp_path)
    (batch / "declaraties.csv").unlink()
    good = tmp_path / "good.xlsx"
    _workbook(good, {"declaraties": [["declaratie_id"], ["D1"]]})
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(batch / "declaraties.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 30_000_000)
            zout.writestr(info.filename, data)
    assert (batch / "declaraties.xlsx").stat().st_size < 1_000_000
    assert invoke(["validate", str(batch)]) == 2
    err = capsys.readouterr().err
    assert "declaraties.xlsx" in err and "uitgepakt" in err
