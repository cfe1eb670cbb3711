"""Loading: CSV flavours, XLSX, Parquet and header matching give the same audited rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from auditor.errors import InvoerFout
from auditor.load import load_batch, sniff_delimiter
from auditor.validate import parse_scaled, validate
from tests.builders import make_batch

BH = "budgethouder_id;naam;gemeente_code;bsn;postcode;iban;geboortedatum\n"


def _dutch_excel(src: Path, dst: Path) -> None:
    """Rewrite a plain CSV batch as Excel would: `;`, decimal comma, cp1252, dd-mm-jjjj, euro signs."""
    dst.mkdir()
    for f in src.glob("*.csv"):
        df = pl.read_csv(f, infer_schema=False)
        out = []
        for c in df.columns:
            s = pl.col(c)
            if c in ("bedrag", "tarief", "budget", "omvang", "aantal", "vast_maandbedrag", "km_enkele_reis"):
                s = s.str.replace(r"\.", ",")
                if c == "bedrag":
                    s = pl.concat_str([pl.lit("€ "), s])
            elif "datum" in c or c in ("datum_van", "datum_tot", "ingediend_op"):
                s = s.str.strptime(pl.Date, "%Y-%m-%d", strict=False).dt.strftime("%d-%m-%Y")
            out.append(s.alias(c))
        text = df.select(out).write_csv(separator=";")
        (dst / f.name).write_bytes(text.encode("cp1252"))


def _xlsx(src: Path, dst: Path, one_workbook: bool) -> None:
    dst.mkdir()
    wb_all = openpyxl.Workbook()
    wb_all.remove(wb_all.active)
    for f in sorted(src.glob("*.csv")):
        df = pl.read_csv(f, infer_schema=False)
        wb = wb_all if one_workbook else openpyxl.Workbook()
        ws = wb.create_sheet(f.stem) if one_workbook else wb.active
        ws.append([c.upper().replace("_", " ") for c in df.columns])  # Excel-style headers
        for row in df.iter_rows():
            cells = []
            for c, v in zip(df.columns, row):
                if v is not None and c in ("bedrag", "aantal", "tarief", "budget", "omvang"):
                    cells.append(float(v))  # real numeric cells, as Excel stores them
                else:
                    cells.append(v)
            ws.append(cells)
        if not one_workbook:
            wb.save(dst / f"{f.stem}.xlsx")
    if one_workbook:
        wb_all.save(dst / "export.xlsx")


def _parquet(src: Path, dst: Path) -> None:
    dst.mkdir()
    for f in src.glob("*.csv"):
        pl.read_csv(f, infer_schema=False).write_parquet(dst / f"{f.stem}.parquet")


def _audited(batch: Path) -> dict[str, pl.DataFrame]:
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0, v.quarantine
    return {k: df.drop("_rij").sort(df.columns[1]) for k, df in v.tables.items()}


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    return make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "aantal": "2.5", "bedrag": "1299.99", "tarief": "519.99"},
        {"declaratie_id": "D2", "datum_van": "2025-03-30", "datum_tot": "2025-04-02", "aantal": "1.125",
         "tarief": "58.14", "bedrag": "65.41"},
    ], betalingen=[{"declaratie_id": "D1", "bedrag": "1299.99"}])


@pytest.mark.parametrize("flavour", ["dutch_excel", "xlsx_per_table", "xlsx_workbook", "parquet"])
def test_flavours_give_the_same_audited_rows(plain: Path, tmp_path: Path, flavour: str):
    other = tmp_path / flavour
    {"dutch_excel": _dutch_excel, "parquet": _parquet,
     "xlsx_per_table": lambda s, d: _xlsx(s, d, False),
     "xlsx_workbook": lambda s, d: _xlsx(s, d, True)}[flavour](plain, other)
    a, b = _audited(plain), _audited(other)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name
    assert int(a["declaraties"].filter(pl.col("declaratie_id") == "D1")["bedrag_ct"][0]) == 129999
    assert int(a["declaraties"].filter(pl.col("declaratie_id") == "D2")["aantal_e4"][0]) == 11250


def test_encodings_and_bom(tmp_path: Path):
    base = make_batch(tmp_path)
    text = BH + "B1;Zoë Ünal;0168;;;;01-02-2015\n"
    for enc, prefix in (("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")):
        (base / "budgethouders.csv").write_bytes(prefix + text.encode(enc))
        raw = load_batch(base)
        assert raw["budgethouders"].frame["naam"][0] == "Zoë Ünal"
        assert raw["budgethouders"].frame.columns[1] == "budgethouder_id"


def test_headers_match_case_and_separator_insensitively(tmp_path: Path):
    base = make_batch(tmp_path)
    (base / "budgethouders.csv").write_text("Budgethouder ID;NAAM;gemeente-code\nB1;Jan;0168\n")
    df = load_batch(base)["budgethouders"].frame
    assert df["budgethouder_id"].to_list() == ["B1"] and df["gemeente_code"].to_list() == ["0168"]


def test_missing_required_column_names_file_and_column(tmp_path: Path):
    base = make_batch(tmp_path)
    (base / "budgethouders.csv").write_text("budgethouder_id;gemeente_code\nB1;0168\n")
    with pytest.raises(InvoerFout, match=r"budgethouders\.csv.*'naam' ontbreekt"):
        load_batch(base)


def test_missing_required_file(tmp_path: Path):
    base = make_batch(tmp_path)
    (base / "toekenningen.csv").unlink()
    with pytest.raises(InvoerFout, match="tabel toekenningen ontbreekt"):
        load_batch(base)


def test_delimiter_sniffing():
    assert sniff_delimiter("a;b;c\n1;2;3") == ";"
    assert sniff_delimiter("a,b,c\n") == ","
    assert sniff_delimiter("a\tb\n") == "\t"


@pytest.mark.parametrize("text,decimal,cents", [
    ("€ 1.299,99", ",", 129999), ("1299,99", ",", 129999), ("1.299", ",", 129900), ("12.50", ",", 1250),
    ("1,299.99", ".", 129999), ("1299.99", ".", 129999), ("12,5", ".", 1250), ("-12,5", ",", -1250),
    ("0,005", ",", None), ("twaalf", ",", None), ("12,50 ", ",", 1250), ("€\u00a0 7,00", ",", 700),
    ("1.299,990", ",", 129999),
])
def test_amount_parsing(text, decimal, cents):
    got = pl.DataFrame({"a": [text]}).select(parse_scaled("a", 2, decimal)).item()
    assert got == cents


def test_leading_zeros_are_kept(tmp_path: Path):
    base = make_batch(tmp_path, zorgverleners=[{"kvk_nummer": "01234567"}])
    v = validate(load_batch(base))
    assert v.tables["zorgverleners"]["kvk_nummer"][0] == "01234567"


def test_unknown_files_are_ignored(tmp_path: Path):
    base = make_batch(tmp_path)
    shutil.copy(base / "budgethouders.csv", base / "ground_truth.csv")
    assert "ground_truth" not in load_batch(base)
