"""Reading Excel workbooks (XLSX) safely: limits checked before reading, every sheet as rows
of text, and every way a workbook can be broken answered with a Dutch `InvoerFout`.

Limits (docs/robustness.md), checked from the zip directory and each sheet's declared
dimension before a single cell is read, so a "bomb" (0.4 MB declaring 3 million rows, or
gigabytes of whitespace) is refused in milliseconds:

* `MAX_UITGEPAKT`: the workbook's parts together at most 1 GB uncompressed;
* `MAX_RIJEN_BLAD`: at most 1.048.576 rows per sheet (Excel's own maximum), counted again
  while reading, for a sheet whose dimension lies;
* `MAX_KOLOMMEN_BLAD`: at most 16.384 columns (Excel's maximum).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree import ElementTree


from auditor.errors import InvoerFout

MAX_UITGEPAKT = 1 << 30
MAX_RIJEN_BLAD = 1_048_576
MAX_KOLOMMEN_BLAD = 16_384
MAX_WERKMAP_XML = 16_000_000   # xl/workbook.xml (the list of sheets) is a few kB in a real workbook


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def cell_text(v) -> str | None:
    """One cell as text: dates ISO, booleans ja/nee, numbers with a decimal comma."""
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
        # thousands separator, so 1.125 hours cannot become 1125). Float noise of a formula
        # (87.21000000000001) is judged by `validate.parse_scaled`.
        return (str(int(v)) if v.is_integer() else repr(v)).replace(".", ",")
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v)


def check_limits(path: Path) -> None:
    """Refuse a workbook whose parts would unpack beyond `MAX_UITGEPAKT` (zip directory only)."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(max(i.file_size, 0) for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvoerFout(f"{path.name}: dit Excel-bestand kan niet worden gelezen (het is geen geldige werkmap "
                         "of het is beschadigd); sla het opnieuw op als Excel-werkmap (.xlsx).") from None
    if total > MAX_UITGEPAKT:
        raise InvoerFout(
            f"{path.name}: de werkmap is uitgepakt {total / 1e9:.1f} GB, meer dan de grens van "
            f"{MAX_UITGEPAKT / 1e9:.1f} GB; lever de tabel aan als CSV of Parquet, of splits de werkmap.")


def _open(path: Path):
    check_limits(path)
    import openpyxl   # on first use: ~0.4 s of imports that a batch without workbooks never needs
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise InvoerFout(f"{path.name}: dit bestand kan niet worden gelezen (geen leesrechten of het is weg); "
                         "controleer het bestand en de rechten.") from None
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InvoerFout(f"{path.name}: dit Excel-bestand kan niet worden gelezen ({type(exc).__name__}); "
                         "sla het opnieuw op als Excel-werkmap (.xlsx).") from None


def sheet_names(path: Path) -> list[str]:
    """The names of the workbook's sheets, from its `xl/workbook.xml` only (openpyxl would
    read the shared strings of a large workbook first)."""
    check_limits(path)
    try:
        with zipfile.ZipFile(path) as z:
            if z.getinfo("xl/workbook.xml").file_size > MAX_WERKMAP_XML:
                raise InvoerFout(f"{path.name}: de inhoudsopgave van de werkmap is {MAX_WERKMAP_XML // 1_000_000}"
                                 " MB of groter; het bestand is beschadigd of niet door Excel gemaakt.")
            root = ElementTree.fromstring(z.read("xl/workbook.xml"))
        namen = [e.get("name") for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"]
        if namen and all(namen):
            return namen
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, EOFError):
        pass
    wb = _open(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_sheets(path: Path, only: set[str] | None = None) -> dict[str, list[list[str | None]]]:
    """The workbook's sheets (or those named in `only`) as rows of text cells, the header
    row included; trailing empty rows (formatting) are left out."""
    wb = _open(path)
    out: dict[str, list[list[str | None]]] = {}
    try:
        for ws in wb.worksheets:
            if only is not None and ws.title not in only:
                continue
            waar = f"{path.name} (blad {ws.title})"
            if (ws.max_row or 0) > MAX_RIJEN_BLAD or (ws.max_column or 0) > MAX_KOLOMMEN_BLAD:
                raise InvoerFout(
                    f"{waar}: het blad zegt {_n(ws.max_row or 0)} rijen en {_n(ws.max_column or 0)} kolommen te "
                    f"hebben, meer dan Excel toestaat ({_n(MAX_RIJEN_BLAD)} rijen, {_n(MAX_KOLOMMEN_BLAD)} kolommen); "
                    "het bestand is beschadigd of niet door Excel gemaakt. Lever de tabel aan als CSV of Parquet.")
            rows: list[list[str | None]] = []
            try:
                for r in ws.iter_rows(values_only=True):
                    if len(rows) >= MAX_RIJEN_BLAD:
                        raise InvoerFout(f"{waar}: het blad heeft meer dan {_n(MAX_RIJEN_BLAD)} rijen, meer dan "
                                         "Excel toestaat; lever de tabel aan als CSV of Parquet.")
                    rows.append([cell_text(v) for v in r[:MAX_KOLOMMEN_BLAD]])
            except InvoerFout:
                raise
            except Exception as exc:   # a truncated or corrupt sheet: XML, zip or CRC errors
                raise InvoerFout(f"{waar}: het blad kan niet worden gelezen, het bestand is beschadigd of afgebroken "
                                 f"({type(exc).__name__}); sla de werkmap opnieuw op in Excel.") from None
            while rows and all(c is None or not str(c).strip() for c in rows[-1]):
                rows.pop()
            out[ws.title] = rows
    except InvoerFout:
        raise
    except Exception as exc:
        raise InvoerFout(f"{path.name}: dit Excel-bestand kan niet worden gelezen ({type(exc).__name__}); "
                         "sla het opnieuw op als Excel-werkmap (.xlsx).") from None
    finally:
        wb.close()
    return out
