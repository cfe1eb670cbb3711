"""Reading a batch folder: every table as a frame of text, exactly as the user has it.

A batch is a folder with one file per table (`declaraties.csv`, `.xlsx`, `.parquet`, ...)
or a workbook whose sheets are named after the tables. Everything is read as text: the
types are decided by `auditor.validate`, so nothing is coerced or dropped here.

CSV flavour (never asked of the user):
  * encoding: UTF-8 with or without BOM, else cp1252;
  * delimiter: the one of `;`, `,`, tab, `|` that splits the header into the most fields;
  * decimal separator: `,` for `;`/tab files, `.` for `,` files (see `validate.parse_amount`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from auditor.errors import InvoerFout
from auditor.tables import TABLES, normalise_header

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")
csv.field_size_limit(2**31 - 1)  # a 1 MB description is data, not an error


@dataclass
class RawTable:
    """One table as read: text columns named as in the contract, plus `_rij`."""

    name: str
    path: str                       # relative to the batch folder, for run.json
    sha256: str
    frame: pl.DataFrame             # String columns + `_rij` (row number in its file; header = 1)
    decimal: str = ","              # the file's decimal separator
    encoding: str = "utf-8"
    delimiter: str | None = None
    sheet: str | None = None
    headers: dict[str, str] = field(default_factory=dict)   # contract name -> header as written
    extra_columns: list[str] = field(default_factory=list)

    read_rows: int | None = None    # set by `release`: the rows read, once `frame` is cut down

    @property
    def rows(self) -> int:
        return self.read_rows if self.read_rows is not None else self.frame.height

    @property
    def released(self) -> bool:
        return self.read_rows is not None

    def release(self, keep: pl.Series) -> None:
        """Once validated, keep only the rows whose `_rij` is in `keep` (the quarantined
        ones): the text of a 10M-line batch is gigabytes nobody reads again."""
        self.read_rows = self.frame.height
        self.frame = self.frame.filter(pl.col("_rij").is_in(keep.implode()))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: UTF-16 with BOM (Excel's 'Unicode-tekst'), UTF-8 (BOM or not), else
    cp1252 (Excel's 'CSV (gescheiden door lijstscheidingsteken)'); latin-1 as the last
    resort, which never fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] > 0 else ";"


def _frame_from_rows(header: list[str], rows: list[list[str]], where: str) -> pl.DataFrame:
    """Python fallback for files polars refuses (ragged rows): a row with more fields than
    the header keeps the surplus in `_overtollig` so validation can quarantine it."""
    n = len(header)
    cols: dict[str, list] = {h: [] for h in header}
    extra: list[str | None] = []
    for r in rows:
        for i, h in enumerate(header):
            v = r[i] if i < len(r) else None
            cols[h].append(v if v != "" else None)
        extra.append(";".join(r[n:]) if len(r) > n and any(x.strip() for x in r[n:]) else None)
    df = pl.DataFrame(cols, schema={h: pl.String for h in header})
    return df.with_columns(pl.Series("_overtollig", extra, dtype=pl.String))


def _utf8_bytes(data: bytes) -> tuple[bytes, str] | None:
    """The file as UTF-8 bytes without BOM, and its encoding, when it is UTF-8 (with or
    without BOM); None for anything `decode` would read otherwise. Validates without
    keeping a decoded copy around."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    enc = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8-sig"
    # validated in 16 MB pieces: the same verdict as data.decode("utf-8") without holding a
    # decoded copy of a gigabyte file
    if data.isascii():          # ASCII is UTF-8 (and bytes.isascii is a fast scan)
        return data, enc
    dec = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for i in range(0, len(view), 1 << 24):
            dec.decode(view[i:i + (1 << 24)])
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return data, enc


def _stripped_len(b: bytes) -> int:
    """len(b.strip()) without copying a large file (only its edges are looked at)."""
    ws = b" \t\n\r\x0b\x0c"
    i, j = 0, len(b)
    while i < j and b[i] in ws:
        i += 1
        if i > 1 << 16:                  # a file of mostly blanks: let bytes.strip do it
            return len(b.strip())
    while j > i and b[j - 1] in ws:
        j -= 1
        if len(b) - j > 1 << 16:
            return len(b.strip())
    return j - i


def read_csv_text(path: Path, data: bytes) -> tuple[pl.DataFrame, str, str]:
    # Fast path for UTF-8 (nearly every export): work on the bytes, so a 1 GB file is not
    # decoded to text, rewritten and encoded back. Line endings are normalised on the bytes
    # (CR and LF are single bytes in UTF-8), which is exactly the text path's result.
    fast = _utf8_bytes(data)
    if fast is not None:
        body, encoding = fast
        del fast, data        # the caller's bytes are freed once `body` replaces them (memory)
        if b"\x00" in body:
            raise InvoerFout(f"{path.name}: het bestand bevat NUL-tekens; verwacht een tekstbestand (CSV), "
                             "geen binair bestand.")
        if b"\r" in body and (b'"' in body or body.count(b"\r") != body.count(b"\r\n")):
            body = body.replace(b"\r\n", b"\n")
            if b"\r" in body:              # a lone CR (old Mac): a second pass only then
                body = body.replace(b"\r", b"\n")
        # else every CR is part of a CRLF and no field is quoted (so none holds a line break):
        # polars reads CRLF exactly as LF, and a gigabyte file is not copied to normalise it
        text = None
        if _stripped_len(body) < 64 and not body.decode("utf-8").strip():
            raise InvoerFout(f"{path.name}: het bestand is leeg; verwacht een kopregel met kolomnamen.")
    else:
        text, encoding = decode(data)
        if "\x00" in text:
            raise InvoerFout(f"{path.name}: het bestand bevat NUL-tekens; verwacht een tekstbestand (CSV), "
                             "geen binair bestand.")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise InvoerFout(f"{path.name}: het bestand is leeg; verwacht een kopregel met kolomnamen.")
        body = text.encode("utf-8")
    # the header is in the first record: a bounded head is enough to sniff and read it
    head = (body[: 1 << 20].decode("utf-8", errors="ignore").replace("\r\n", "\n") if text is None
            else text[: 1 << 20])
    delim = sniff_delimiter(head)
    try:
        header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delim))
    except (csv.Error, StopIteration):
        raise InvoerFout(f"{path.name}: de kopregel kan niet worden gelezen; verwacht kolomnamen "
                         f"gescheiden door '{delim}'.") from None
    _check_duplicate_headers(path.name, header)
    try:
        df = pl.read_csv(
            body, separator=delim, infer_schema=False,
            quote_char='"', has_header=True, raise_if_empty=False,
        )
        if df.width != len(header):
            raise pl.exceptions.ComputeError("header width")
    except (pl.exceptions.ComputeError, pl.exceptions.ShapeError, pl.exceptions.NoDataError):
        if text is None:
            text = body.decode("utf-8").replace("\r\n", "\n")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            rows = list(reader)
        except csv.Error:
            raise InvoerFout(f"{path.name}: rij {reader.line_num} kan niet worden gelezen "
                             "(aanhalingstekens of scheidingstekens kloppen niet).") from None
        df = _frame_from_rows(rows[0], rows[1:], path.name)
    return df, encoding, delim


def _check_duplicate_headers(where: str, header: list[str]) -> None:
    seen: dict[str, str] = {}
    for h in header:
        k = normalise_header(h)
        if k and k in seen:
            raise InvoerFout(
                f"{where}: de kolom '{h}' staat twee keer in de kopregel (ook als '{seen[k]}'); "
                "verwacht elke kolom één keer."
            )
        seen[k] = h


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        # Excel numbers are doubles: shortest round-trip text, decimal comma (never a
        # thousands separator, so 1.125 hours cannot become 1125).
        return (str(int(v)) if v.is_integer() else repr(v)).replace(".", ",")
    s = str(v)
    return s


def read_xlsx_sheets(path: Path) -> dict[str, pl.DataFrame]:
    """Every sheet of a workbook as text frames (openpyxl, values only)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InvoerFout(f"{path.name}: dit Excel-bestand kan niet worden gelezen ({type(exc).__name__}).") from None
    out: dict[str, pl.DataFrame] = {}
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            header_row = next(it, None)
            if header_row is None:
                continue
            header = [str(h).strip() if h is not None else "" for h in header_row]
            while header and header[-1] == "":
                header.pop()
            _check_duplicate_headers(f"{path.name} (blad {ws.title})", [h for h in header if h])
            rows = []
            for r in it:
                cells = [_cell_text(v) for v in r]
                if all(c is None or str(c).strip() == "" for c in cells):
                    rows.append([None] * len(header))  # an empty row still counts as read
                    continue
                rows.append(cells)
            # trailing empty rows of a worksheet are formatting, not data
            while rows and all(c is None for c in rows[-1]):
                rows.pop()
            names = [h if h else f"kolom{i + 1}" for i, h in enumerate(header)]
            df = _frame_from_rows(names, [[("" if c is None else c) for c in r] for r in rows], path.name)
            if df["_overtollig"].null_count() == df.height:
                df = df.drop("_overtollig")
            out[ws.title] = df
    finally:
        wb.close()
    return out


def read_parquet(path: Path) -> pl.DataFrame:
    try:
        df = pl.read_parquet(path)
    except Exception as exc:
        raise InvoerFout(f"{path.name}: dit Parquet-bestand kan niet worden gelezen ({type(exc).__name__}).") from None
    casts = []
    for name, dtype in df.schema.items():
        if dtype == pl.Date:
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Datetime:
            casts.append(pl.col(name).dt.date().dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            casts.append(pl.when(pl.col(name)).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias(name))
        else:
            casts.append(pl.col(name).cast(pl.String))
    return df.select(casts)


def _find_files(batch: Path) -> tuple[dict[str, Path], list[Path]]:
    if not batch.is_dir():
        raise InvoerFout(f"{batch}: deze map bestaat niet; verwacht een map met de exportbestanden.")
    per_table: dict[str, Path] = {}
    workbooks: list[Path] = []
    for p in sorted(batch.iterdir()):
        if not p.is_file() or p.name.startswith((".", "~$")) or p.suffix.lower() not in SUFFIXES:
            continue
        stem = normalise_header(p.stem)
        match = next((t for t in TABLES if normalise_header(t) == stem), None)
        if match:
            if match in per_table:
                raise InvoerFout(
                    f"{batch}: de tabel {match} staat in twee bestanden ({per_table[match].name} en {p.name}); "
                    "verwacht één bestand per tabel."
                )
            per_table[match] = p
        elif p.suffix.lower() in (".xlsx", ".xlsm"):
            workbooks.append(p)
    return per_table, workbooks


def _rename(df: pl.DataFrame, table: str, where: str) -> tuple[pl.DataFrame, dict[str, str], list[str]]:
    spec = TABLES[table]
    want = {normalise_header(c.name): c.name for c in spec.cols}
    mapping: dict[str, str] = {}
    extra: list[str] = []
    for h in df.columns:
        if h == "_overtollig":
            continue
        k = normalise_header(h)
        if k in want and want[k] not in mapping.values():
            mapping[h] = want[k]
        else:
            extra.append(h)
    missing = [c.name for c in spec.cols if c.required and c.name not in mapping.values()]
    if missing:
        raise InvoerFout(
            f"{where}: de verplichte kolom '{missing[0]}' ontbreekt"
            + (f" (en ook {', '.join(missing[1:])})" if len(missing) > 1 else "")
            + f"; verwacht de kolommen van de tabel {table} (zie de invoerspecificatie)."
        )
    out = df.rename(mapping).select(
        [pl.col(c.name) if c.name in mapping.values() else pl.lit(None, dtype=pl.String).alias(c.name)
         for c in spec.cols]
        + ([pl.col("_overtollig")] if "_overtollig" in df.columns else [])
    )
    headers = {v: k for k, v in mapping.items()}
    return out, headers, extra


def _finish(df: pl.DataFrame) -> pl.DataFrame:
    # Row numbers as a user sees them in Excel: header is row 1.
    return df.with_row_index("_rij", offset=2).with_columns(pl.col("_rij").cast(pl.Int64))


def load_batch(batch_dir: str | Path) -> dict[str, RawTable]:
    """Read every table of the batch. Raises `InvoerFout` for a missing required file or
    column or an unreadable file; never for a bad value (that is validation's job)."""
    batch = Path(batch_dir)
    per_table, workbooks = _find_files(batch)
    tables: dict[str, RawTable] = {}
    for name, path in per_table.items():
        data_sha = _sha256(path)
        suf = path.suffix.lower()
        if suf in (".csv", ".txt"):
            df, enc, delim = read_csv_text(path, path.read_bytes())
            dec = "." if delim == "," else ","
            df, headers, extra = _rename(df, name, path.name)
            tables[name] = RawTable(name, path.name, data_sha, _finish(df), dec, enc, delim,
                                    headers=headers, extra_columns=extra)
        elif suf == ".parquet":
            df, headers, extra = _rename(read_parquet(path), name, path.name)
            tables[name] = RawTable(name, path.name, data_sha, _finish(df), ".", "parquet",
                                    headers=headers, extra_columns=extra)
        else:
            sheets = read_xlsx_sheets(path)
            sheet = next((s for s in sheets if normalise_header(s) == normalise_header(name)), None)
            sheet = sheet or next(iter(sheets), None)
            if sheet is None:
                raise InvoerFout(f"{path.name}: de werkmap bevat geen gegevens; verwacht een blad met de tabel {name}.")
            df, headers, extra = _rename(sheets[sheet], name, f"{path.name} (blad {sheet})")
            tables[name] = RawTable(name, path.name, data_sha, _finish(df), ",", "xlsx", None, sheet,
                                    headers, extra)
    for wb in workbooks:
        sheets = None
        for name in TABLES:
            if name in tables:
                continue
            sheets = sheets if sheets is not None else read_xlsx_sheets(wb)
            sheet = next((s for s in sheets if normalise_header(s) == normalise_header(name)), None)
            if sheet is None:
                continue
            df, headers, extra = _rename(sheets[sheet], name, f"{wb.name} (blad {sheet})")
            tables[name] = RawTable(name, wb.name, _sha256(wb), _finish(df), ",", "xlsx", None, sheet,
                                    headers, extra)
    for name, spec in TABLES.items():
        if spec.required and name not in tables:
            raise InvoerFout(
                f"{batch}: het bestand voor de tabel {name} ontbreekt; verwacht {name}.csv, "
                f"{name}.xlsx of {name}.parquet, of een werkmap met een blad '{name}'."
            )
    return tables
