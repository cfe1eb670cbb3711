"""Writing every output of one run into OUT_DIR: the top of the pipeline below the CLI.

findings.csv (and with a werkruimte opgelost.csv), quarantaine.csv, the reports
(opschorting_voorstellen.csv, brieven/, rapport.html, rapport.xlsx) and run.json last. With a
werkruimte everything is written inside its one transaction (`auditor.werkruimte.vastleggen`):
when writing fails, the werkruimte is left unchanged.
"""

from __future__ import annotations

import errno
import json
import time
from pathlib import Path

import polars as pl

from auditor.audit import Audit
from auditor.files import atomic_write as _atomic_write, csv_bytes, private_dir
from auditor.errors import InvoerFout
from auditor.findings import findings_table, opgelost_table
from auditor.output import run_json
from auditor.privacy import Bewaker
from auditor.reports import write_reports
from auditor.werkruimte import vastleggen


def write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    """Write every output; with a werkruimte, inside its one transaction (the run is stored
    only when all outputs were written)."""
    try:
        if a.werkruimte is None:
            return _write_outputs(a, out_dir, reports)
        return vastleggen(a, lambda: _write_outputs(a, out_dir, reports))
    except OSError as e:
        # the user's disk or folder, not our fault: exit 2 with what to do (no traceback)
        raise InvoerFout(f"--out {out_dir}: de uitvoer kan niet worden geschreven: {schrijffout(e)}"
                         + (" De werkruimte is niet gewijzigd." if a.werkruimte is not None else "")) from None


_SCHRIJFFOUT = {
    errno.ENOSPC: "de schijf is vol; maak ruimte vrij of kies met --out een andere schijf.",
    errno.EDQUOT: "uw schijfquotum is op; maak ruimte vrij of kies met --out een andere map.",
    errno.EROFS: "de schijf is alleen-lezen; kies met --out een map waarin u mag schrijven.",
    errno.EACCES: "u hebt geen schrijfrechten in die map; kies met --out een map waarin u mag schrijven.",
    errno.EPERM: "u hebt geen schrijfrechten in die map; kies met --out een map waarin u mag schrijven.",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map; kies met --out een (nieuwe) map.",
    errno.EEXIST: "een deel van het pad is een bestand, geen map; kies met --out een (nieuwe) map.",
    errno.EISDIR: "er staat een map waar een uitvoerbestand moet komen; kies met --out een andere map.",
    errno.ENAMETOOLONG: "het pad is te lang; kies met --out een kortere map.",
}


def schrijffout(e: OSError) -> str:
    """A Dutch reason for a failed write (no path from the input, no personal data)."""
    return _SCHRIJFFOUT.get(e.errno, "het besturingssysteem weigert het schrijven (foutcode "
                            f"{errno.errorcode.get(e.errno, e.errno)}); controleer de map en de vrije ruimte.")


def bewaker(a: Audit) -> Bewaker:
    """The privacy guard for this run: the names of natural persons and the phone numbers in
    the batch (audited and quarantined rows, and with a werkruimte its history)."""
    namen, telefoons = [], []
    frames = [(n, a.ctx.t(n).collect()) for n in ("budgethouders", "relaties", "zorgverleners") if n in a.ctx.tables]
    frames += [(n, r.frame) for n, r in a.raw.items()]
    for naam, df in frames:
        if "naam" in df.columns and naam in ("budgethouders", "relaties", "zorgverleners"):
            persoon = df
            if naam == "zorgverleners" and "soort" in df.columns:
                persoon = df.filter(pl.col("soort").cast(pl.String).str.strip_chars().str.to_lowercase()
                                    .fill_null("") != "instelling")
            namen += persoon["naam"].cast(pl.String).drop_nulls().to_list()
        if "telefoon" in df.columns:
            telefoons += df["telefoon"].cast(pl.String).drop_nulls().to_list()
    return Bewaker(namen, telefoons, toon_bsn=a.toon_bsn, toon_namen=a.toon_namen)


def _write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    private_dir(out_dir)
    written = []
    guard = bewaker(a)

    def atomic_write(path: Path, data: bytes) -> None:
        """Every human-readable file through the privacy guard, last, on the bytes written."""
        _atomic_write(path, guard.bestand(path, data))

    ws = a.werkruimte
    p = out_dir / "findings.csv"
    atomic_write(p, csv_bytes(findings_table(a.result.findings, ws.status if ws is not None else None)))
    written.append(p)
    if ws is not None:
        p = out_dir / "opgelost.csv"
        atomic_write(p, csv_bytes(opgelost_table(ws.opgelost)))
        written.append(p)
    q = a.validated.quarantine
    p = out_dir / "quarantaine.csv"
    atomic_write(p, csv_bytes(q))
    written.append(p)
    if reports:
        t = time.perf_counter()
        written += write_reports(a, out_dir, atomic_write)
        a.stages["rapporten"] = time.perf_counter() - t   # in run.json (the reports show the stages before it)
    p = out_dir / "run.json"
    atomic_write(p, (json.dumps(run_json(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    written.append(p)
    return written
