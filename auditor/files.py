"""Writing files safely: private folders, atomic writes, CSV bytes (machine and Dutch Excel), inert cells.

Outputs hold personal data, so folders are 0700 and files 0600. Every file is written to a
temporary file in the same folder and renamed into place, so a crash never leaves half a
file. Text that came from the input can never become a formula when a CSV is opened in
Excel: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe.

Foundation layer: imports nothing from pgb-audit.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def private_dir(path: Path) -> Path:
    """Create a folder readable by the owner only (0700): outputs hold personal data."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def atomic_write(path: Path, data: bytes) -> None:
    if not path.parent.exists():
        private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_new(path: Path, data: bytes) -> None:
    """A new file (0600) in a folder this run just made (the staging folder of OUT_DIR): no other
    process reads it before the folder is swapped in, so no temporary name is needed; an existing
    file is an error, never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:                  # os.write may write less than asked (no file object per letter)
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


# a plain number (`-12.50`, a negative amount) is no formula and stays as it is
PLAIN_NUMBER = r"^-?\d+(?:[.,]\d+)?$"


def inert(col: str) -> pl.Expr:
    """Text that Excel will never evaluate as a formula."""
    c = pl.col(col)
    return (pl.when(c.str.contains(FORMULA_START) & ~c.str.contains(PLAIN_NUMBER))
            .then(pl.concat_str([pl.lit("'"), c])).otherwise(c).alias(col))


def csv_bytes(df: pl.DataFrame) -> bytes:
    """The CSV bytes of a frame: every text cell through `inert` (the one formula guard for
    every CSV pgb-audit writes, whatever column: a file name from the input is text too)."""
    df = df.with_columns([inert(c) for c, t in df.schema.items() if t == pl.String])
    buf = io.BytesIO()
    df.write_csv(buf, separator=",", line_terminator="\n", quote_style="necessary")
    return buf.getvalue()


#: UTF-8 byte order mark: Dutch Excel reads the file as UTF-8 only with it ("vóór" stays "vóór")
BOM = "\ufeff".encode("utf-8")


def people_csv_bytes(df: pl.DataFrame) -> bytes:
    """A CSV for people in Dutch Excel (outputs.md): UTF-8 with BOM, `;` separated, decimal
    comma, dates `dd-mm-jjjj`, CRLF line ends; it opens as columns on a double click. Every
    text cell through `inert`, as in `csv_bytes`."""
    df = df.with_columns([inert(c) for c, t in df.schema.items() if t == pl.String])
    buf = io.BytesIO()
    df.write_csv(buf, separator=";", line_terminator="\r\n", quote_style="necessary",
                 date_format="%d-%m-%Y", decimal_comma=True)
    return BOM + buf.getvalue()
