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
import fnmatch
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from auditor import werkmap
from auditor.errors import InvoerFout
from auditor.kolommen import (MAX_TITELRIJEN, Kolommen, bekende_koppen, controleer_dubbel, geen_kopregel,
                              hernoem, kopregel_index, lijkt_op, sleutel)
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
    titelrijen: int = 0             # rows above the header that were skipped (titles)

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


def _records(head: str, delim: str, n: int) -> list[list[str]]:
    """The first `n` records of a CSV head (a broken quote ends the list, it is not an error here)."""
    out: list[list[str]] = []
    try:
        for r in csv.reader(io.StringIO(head, newline=""), delimiter=delim):
            out.append(r)
            if len(out) >= n:
                break
    except csv.Error:
        pass
    return out


def _sniff_header(head: str, bekend: dict[str, str]) -> tuple[str, int | None]:
    """Delimiter and header row: the delimiter under which some row among the first names the
    most known columns; else the one that splits the first line most (`sniff_delimiter`)."""
    beste: tuple[int, str, int] | None = None
    for d in (";", ",", "\t", "|"):
        rows = _records(head, d, MAX_TITELRIJEN + 1)
        i = kopregel_index(rows, bekend)
        if i is None:
            continue
        n = len({bekend[sleutel(c)] for c in rows[i] if sleutel(c) in bekend})
        if beste is None or n > beste[0]:
            beste = (n, d, i)
    if beste is None:
        return sniff_delimiter(head), None
    return beste[1], beste[2]


def read_csv_text(path: Path, data: bytes, bekend: dict[str, str] | None = None, tabel: str | None = None
                  ) -> tuple[pl.DataFrame, str, str, int]:
    """The file as a text frame, its encoding, its delimiter and the number of title rows
    skipped above the header. `bekend` (normalised header -> column) finds the header row;
    without it the first row is the header."""
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
    # the header is in the first records: a bounded head is enough to sniff and read it
    head = (body[: 1 << 20].decode("utf-8", errors="ignore").replace("\r\n", "\n") if text is None
            else text[: 1 << 20])
    if bekend:
        delim, skip = _sniff_header(head, bekend)
        if skip is None:
            raise geen_kopregel(path.name, tabel or "")
    else:
        delim, skip = sniff_delimiter(head), 0
    rows = _records(head, delim, skip + 1)
    if len(rows) <= skip:
        raise InvoerFout(f"{path.name}: de kopregel kan niet worden gelezen; verwacht kolomnamen "
                         f"gescheiden door '{delim}'.")
    header = rows[skip]
    controleer_dubbel(path.name, header, bekend or {})
    # title rows above the header are skipped as lines (a title with a line break inside
    # quotes gives another width: then the Python path below reads it)
    try:
        df = pl.read_csv(
            body, separator=delim, infer_schema=False, skip_rows=skip,
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
        df = _frame_from_rows(rows[skip], rows[skip + 1:], path.name)
    return df, encoding, delim, skip


def frame_from_sheet(rows: list[list[str | None]], waar: str, bekend: dict[str, str], tabel: str
                     ) -> tuple[pl.DataFrame, int]:
    """A sheet's rows (`werkmap.read_sheets`) as a text frame and the title rows skipped."""
    skip = kopregel_index(rows, bekend) if rows else None
    if skip is None:
        if not rows:
            raise InvoerFout(f"{waar}: het blad is leeg; verwacht een kopregel met de kolommen van de tabel {tabel}.")
        raise geen_kopregel(waar, tabel)
    header = [str(h).strip() if h is not None else "" for h in rows[skip]]
    while header and header[-1] == "":
        header.pop()
    controleer_dubbel(waar, header, bekend)
    names = [h if h else f"kolom{i + 1}" for i, h in enumerate(header)]
    data = [[("" if c is None else c) for c in r] for r in rows[skip + 1:]]
    df = _frame_from_rows(names, data, waar)
    if df["_overtollig"].null_count() == df.height:
        df = df.drop("_overtollig")
    return df, skip


def read_xlsx_sheets(path: Path) -> dict[str, pl.DataFrame]:
    """Every non-empty sheet of a workbook that is not a batch (a steekproef workbook, the
    answers of a materiële controle) as a text frame, its first row the header."""
    out: dict[str, pl.DataFrame] = {}
    for naam, rows in werkmap.read_sheets(path).items():
        if not rows:
            continue
        bekend = {normalise_header(str(h)): str(h).strip() for h in rows[0] if h is not None and str(h).strip()}
        out[naam], _ = frame_from_sheet(rows, f"{path.name} (blad {naam})", bekend, naam)
    return out


_ONLEESBAAR = (pl.List, pl.Array, pl.Struct, pl.Binary, pl.Duration, pl.Object)


def read_parquet(path: Path, bekend: dict[str, str] | None = None) -> pl.DataFrame:
    """A Parquet file as text columns. A contract column of a type that is no text, number,
    date or boolean (a list, a duration, binary data) is bad input; such a column outside
    the contract is left out."""
    try:
        df = pl.read_parquet(path)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:     # polars may raise a PanicException (a BaseException)
        raise InvoerFout(f"{path.name}: dit Parquet-bestand kan niet worden gelezen ({type(exc).__name__}); "
                         "maak het bestand opnieuw aan, of lever de tabel aan als CSV.") from None
    casts = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, _ONLEESBAAR) or dtype in _ONLEESBAAR:
            if bekend is None or sleutel(name) in bekend:
                raise InvoerFout(
                    f"{path.name}: de kolom '{name}' heeft het type {_soort(dtype)}, dat niet als tekst, getal of datum "
                    "kan worden gelezen; lever deze kolom als tekst of getal aan.")
            continue
        if dtype == pl.Date:
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Datetime:
            casts.append(pl.col(name).dt.date().dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            casts.append(pl.when(pl.col(name)).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias(name))
        else:
            casts.append(pl.col(name).cast(pl.String))
    try:
        return df.select(casts)
    except pl.exceptions.PolarsError as exc:
        raise InvoerFout(f"{path.name}: een kolom van dit Parquet-bestand kan niet als tekst worden gelezen "
                         f"({type(exc).__name__}); lever de kolommen als tekst, getal of datum aan.") from None


def _soort(dtype) -> str:
    base = dtype if isinstance(dtype, type) else type(dtype)
    return {pl.List: "lijst", pl.Array: "lijst", pl.Struct: "samengesteld", pl.Binary: "binair",
            pl.Duration: "tijdsduur", pl.Object: "object"}.get(base, str(dtype))


def _finish(df: pl.DataFrame, titelrijen: int = 0) -> pl.DataFrame:
    """Row numbers as a user sees them in Excel (the header is row 1 + the title rows above
    it); empty rows at the end of the file are formatting, not data, and are left out."""
    cols = [c for c in df.columns if c != "_overtollig"]
    if df.height and cols:
        gevuld = ~pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).cast(pl.String).str.strip_chars() == "")
                                     for c in cols])
        if "_overtollig" in df.columns:
            gevuld = gevuld | pl.col("_overtollig").is_not_null()
        k = 64                       # only the end is looked at (a 10M-row file is not scanned)
        while True:
            staart = df.tail(min(k, df.height))
            laatste = staart.select(gevuld.arg_true().max()).item()
            if laatste is not None or staart.height == df.height:
                leeg = staart.height if laatste is None else staart.height - 1 - laatste
                break
            k *= 16
        df = df.head(df.height - leeg)
    return df.with_row_index("_rij", offset=2 + titelrijen).with_columns(pl.col("_rij").cast(pl.Int64))


def _lees(path: Path) -> tuple[bytes]:
    """The file's bytes (in a 1-tuple, so a caller can pass them on without keeping them);
    an unreadable file is bad input (exit 2)."""
    try:
        return (path.read_bytes(),)
    except OSError as exc:
        raise InvoerFout(f"{path.name}: dit bestand kan niet worden gelezen ({_os_reden(exc)}); controleer het "
                         "bestand en de rechten.") from None


def _os_reden(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "geen leesrechten"
    if isinstance(exc, IsADirectoryError):
        return "het is een map"
    if isinstance(exc, FileNotFoundError):
        return "het bestand is weg"
    return "leesfout van het systeem"


def _lees_gehasht(path: Path, sha: list[str]) -> bytes:
    """The file's bytes (see `_lees`), their SHA-256 appended to `sha`: one read for both."""
    data = _lees(path)[0]
    sha.append(hashlib.sha256(data).hexdigest())
    return data


def _hash(path: Path) -> str:
    try:
        return _sha256(path)
    except OSError as exc:
        raise InvoerFout(f"{path.name}: dit bestand kan niet worden gelezen ({_os_reden(exc)}); controleer het "
                         "bestand en de rechten.") from None


@dataclass(frozen=True)
class _Bron:
    """Where a table is: a file, or a sheet of a workbook."""

    path: Path
    sheet: str | None = None      # for a workbook: the sheet; None = the sheet named after the table or the first

    def naam(self) -> str:
        return f"{self.path.name} (blad {self.sheet})" if self.sheet else self.path.name


def _kandidaten(batch: Path) -> list[Path]:
    if not batch.is_dir():
        raise InvoerFout(f"{batch}: deze map bestaat niet; verwacht een map met de exportbestanden.")
    try:
        paden = sorted(batch.iterdir())
    except OSError as exc:
        raise InvoerFout(f"{batch}: deze map kan niet worden gelezen ({_os_reden(exc)}).") from None
    return [p for p in paden if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() in SUFFIXES]


def _is_werkmap(p: Path) -> bool:
    return p.suffix.lower() in (".xlsx", ".xlsm")


def _bronnen(batch: Path, kolommen: Kolommen) -> tuple[dict[str, _Bron], dict[Path, list[str]]]:
    """Per table the one file or sheet that holds it; exit 2 when two do. Also every
    workbook's sheets (for messages)."""
    paden = _kandidaten(batch)
    bladen: dict[Path, list[str]] = {p: werkmap.sheet_names(p) for p in paden if _is_werkmap(p)}
    gevonden: dict[str, list[_Bron]] = {t: [] for t in TABLES}
    eigen = {p for p in paden for t in TABLES if normalise_header(p.stem) == normalise_header(t)}
    for p in paden:
        stem = normalise_header(p.stem)
        for t in TABLES:
            if stem == normalise_header(t):
                gevonden[t].append(_Bron(p))
    for p, namen in bladen.items():
        if p in eigen:
            continue
        for blad in namen:
            for t in TABLES:
                if normalise_header(blad) == normalise_header(t):
                    gevonden[t].append(_Bron(p, blad))
    for t, k in kolommen.tabellen.items():
        if not k.bestand:
            continue
        pat = k.bestand.lower()
        hits = [_Bron(p) for p in paden if fnmatch.fnmatchcase(p.name.lower(), pat)]
        hits += [_Bron(p, b) for p, namen in bladen.items() for b in namen if fnmatch.fnmatchcase(b.lower(), pat)]
        if not hits:
            raise InvoerFout(
                f"--kolommen: bestand = '{k.bestand}' voor de tabel {t} past op geen bestand of blad in {batch.name}; "
                f"gevonden: {', '.join(p.name for p in paden) or 'geen bestanden'}.")
        gevonden[t] = hits
    uit: dict[str, _Bron] = {}
    for t, lijst in gevonden.items():
        if len(lijst) > 1:
            raise InvoerFout(
                f"{batch}: de tabel {t} staat in meer dan één bestand of blad ({' en '.join(b.naam() for b in lijst)}); "
                "verwacht één bestand of blad per tabel. Verwijder of hernoem er één, of kies met --kolommen "
                "(bestand = ...) welke het is.")
        if lijst:
            uit[t] = lijst[0]
    return uit, bladen


def _ontbreekt(batch: Path, name: str, bladen: dict[Path, list[str]]) -> InvoerFout:
    tekst = (f"{batch}: het bestand voor de tabel {name} ontbreekt; verwacht {name}.csv, {name}.xlsx of "
             f"{name}.parquet, of een werkmap met een blad '{name}'.")
    if bladen:
        alle = [b for namen in bladen.values() for b in namen]
        bijna = lijkt_op(name, name, alle)
        tekst += " In de map staan de werkmappen " + "; ".join(
            f"{p.name} (bladen: {', '.join(namen) or 'geen'})" for p, namen in bladen.items()) + "."
        if bijna:
            tekst += (f" Het blad '{bijna}' lijkt erop: hernoem het naar '{name}', of leg het vast met --kolommen "
                      f"([{name}] bestand = \"{bijna}\").")
    return InvoerFout(tekst)


def load_batch(batch_dir: str | Path, kolommen: Kolommen | None = None) -> dict[str, RawTable]:
    """Read every table of the batch. Raises `InvoerFout` for a missing required file or
    column or an unreadable file; never for a bad value (that is validation's job).

    `kolommen`: the user's import definition (`auditor.kolommen.laad_kolommen`)."""
    batch = Path(batch_dir)
    kolommen = kolommen or Kolommen()
    bronnen, bladen = _bronnen(batch, kolommen)
    tables: dict[str, RawTable] = {}
    sheets_cache: dict[Path, dict[str, list]] = {}
    for name, bron in bronnen.items():
        path = bron.path
        koppeling = kolommen.voor(name)
        bekend = bekende_koppen(name, koppeling)
        suf = path.suffix.lower()
        if suf in (".csv", ".txt"):
            sha: list[str] = []
            # the bytes are read once, hashed and passed, not held here: read_csv_text frees them
            # once decoded (memory)
            df, enc, delim, skip = read_csv_text(path, _lees_gehasht(path, sha), bekend, name)
            data_sha = sha[0]
            dec = "." if delim == "," else ","
            df, headers, extra = hernoem(df, name, path.name, koppeling)
            tables[name] = RawTable(name, path.name, data_sha, _finish(df, skip), dec, enc, delim,
                                    headers=headers, extra_columns=extra, titelrijen=skip)
        elif suf == ".parquet":
            data_sha = _hash(path)
            df, headers, extra = hernoem(read_parquet(path, bekend), name, path.name, koppeling)
            tables[name] = RawTable(name, path.name, data_sha, _finish(df), ".", "parquet",
                                    headers=headers, extra_columns=extra)
        else:
            namen = bladen[path]
            sheet = bron.sheet or next((s for s in namen if normalise_header(s) == normalise_header(name)), None)
            sheet = sheet or next(iter(namen), None)
            if sheet is None:
                raise InvoerFout(f"{path.name}: de werkmap bevat geen bladen; verwacht een blad met de tabel {name}.")
            if path not in sheets_cache:
                wanted = {b.sheet or sheet for t, b in bronnen.items() if b.path == path} | {sheet}
                sheets_cache[path] = werkmap.read_sheets(path, only=wanted)
            waar = f"{path.name} (blad {sheet})"
            df, skip = frame_from_sheet(sheets_cache[path].get(sheet, []), waar, bekend, name)
            df, headers, extra = hernoem(df, name, waar, koppeling)
            tables[name] = RawTable(name, path.name, _hash(path), _finish(df, skip), ",", "xlsx", None, sheet,
                                    headers, extra, titelrijen=skip)
    for name, spec in TABLES.items():
        if spec.required and name not in tables:
            raise _ontbreekt(batch, name, bladen)
    return tables
