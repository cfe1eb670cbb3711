"""Writing every output of one run into OUT_DIR: the top of the pipeline below the CLI.

findings.csv (and with a werkruimte opgelost.csv), quarantaine.csv, the reports
(opschorting_voorstellen.csv, brieven/, rapport.html, rapport.xlsx) and run.json last. With a
werkruimte everything is written inside its one transaction (`auditor.werkruimte.vastleggen`):
when writing fails, the werkruimte is left unchanged.

OUT_DIR holds exactly the last completed run (outputs.md): the run writes into a fresh hidden
folder beside OUT_DIR (`.<naam>.nieuw-<pid>-<random>`, created 0700) and swaps it into place at
the end, so no file of an earlier run (an old letter) survives, and a failed or killed run leaves
the earlier folder as it was. `check_out_dir` refuses (exit 2) an OUT_DIR that is the batch or
lies inside it, that is not a folder, or that is a non-empty folder which is not a pgb-audit
output (recognised by the marker file `MARKER` or a run.json with `"tool": "pgb-audit"`).
Only folders pgb-audit creates get mode 0700: an existing empty OUT_DIR (`--out .`, a shared
1777 folder) is filled in place and never chmod-ed.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import time
from pathlib import Path

import polars as pl

from auditor import __version__
from auditor.audit import Audit
from auditor.errors import InvoerFout
from auditor.files import atomic_write as _atomic_write, csv_bytes, people_csv_bytes
from auditor.findings import findings_table, opgelost_table
from auditor.output import run_json
from auditor.privacy import Bewaker
from auditor.rechtmatigheid import bereken as rechtmatigheid_bereken, csv_frame as rechtmatigheid_csv
from auditor.reports import write_reports
from auditor.werkruimte import vastleggen

MARKER = ".pgb-audit-uitvoer"


def is_output(d: Path) -> bool:
    """A folder written by pgb-audit: its marker, or a run.json of pgb-audit."""
    if (d / MARKER).is_file():
        return True
    try:
        return json.loads((d / "run.json").read_text(encoding="utf-8")).get("tool") == "pgb-audit"
    except (OSError, ValueError, AttributeError):
        return False


def check_out_dir(out_dir: Path, batch_dir: Path | None = None) -> None:
    """Refuse an OUT_DIR that would mix with or destroy what is not ours (InvoerFout, exit 2)."""
    out = Path(os.path.abspath(out_dir))
    if batch_dir is not None:
        batch = Path(os.path.abspath(batch_dir))
        if out == batch or batch in out.parents:
            raise InvoerFout(f"--out {out_dir}: de uitvoermap mag niet de batchmap zijn of erin liggen. "
                             "Kies een map buiten de batch.")
    if out.exists() and not out.is_dir():
        raise InvoerFout(f"--out {out_dir}: dit is een bestand, geen map. Kies een (nieuwe) map.")
    if out.is_dir() and any(out.iterdir()) and not is_output(out):
        raise InvoerFout(f"--out {out_dir}: deze map is niet leeg en is geen uitvoer van pgb-audit; pgb-audit "
                         "leegt of vervangt haar niet. Kies een lege of nieuwe map.")


def _new_dir(path: Path) -> Path:
    path.mkdir(mode=0o700)
    os.chmod(path, 0o700)   # mkdir's mode is filtered by the umask; this folder is ours
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(out: Path) -> None:
    """Remove the staging folders of earlier runs that were killed (their process is gone)."""
    for p in out.parent.glob(f".{out.name}.nieuw-*"):
        try:
            pid = int(p.name.rsplit(".nieuw-", 1)[1].split("-")[0])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in the place of `out`. An existing pgb-audit folder is renamed aside and
    removed after the new one is in place; an existing empty folder (perhaps `.` or a shared
    folder) keeps its identity and mode: the new files are moved into it."""
    if out.is_dir() and not any(out.iterdir()):
        for p in sorted(staging.iterdir()):
            os.replace(p, out / p.name)
        staging.rmdir()
        return
    if out.exists():
        old = out.parent / f".{out.name}.oud-{os.getpid()}-{secrets.token_hex(4)}"
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    """Write every output into a fresh folder and swap it in; with a werkruimte, inside its one
    transaction (the run is stored only when all outputs were written and swapped in). A
    failing disk or folder is the user's: InvoerFout (exit 2) with what to do."""
    out = Path(os.path.abspath(out_dir))
    check_out_dir(out, a.batch)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out)
        staging = _new_dir(out.parent / f".{out.name}.nieuw-{os.getpid()}-{secrets.token_hex(4)}")

        def schrijf() -> list[Path]:
            try:
                written = _write_outputs(a, staging, reports)
                _swap(staging, out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            return [out / p.relative_to(staging) for p in written]

        if a.werkruimte is None:
            return schrijf()
        return vastleggen(a, schrijf)
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
    namen, telefoons, ids, bsns = [], [], [], set()
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
        negen = [pl.col(c).cast(pl.String).str.strip_chars() for c in df.columns if c.endswith("_id")]
        if negen:
            ids += (df.select(pl.concat_list(negen).alias("v")).explode("v")
                    .filter(pl.col("v").str.contains(r"^\d{9}$"))["v"].unique().to_list())
        if "bsn" in df.columns:
            bsns |= set(df["bsn"].cast(pl.String).str.strip_chars().drop_nulls().to_list())
    # a 9-digit identifier (a klantnummer) is shown as it is, unless it is also someone's BSN
    return Bewaker(namen, telefoons, [i for i in ids if i not in bsns], toon_bsn=a.toon_bsn, toon_namen=a.toon_namen)


def _write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    written = []
    guard = bewaker(a)

    def atomic_write(path: Path, data: bytes) -> None:
        """Every human-readable file through the privacy guard, last, on the bytes written."""
        _atomic_write(path, guard.bestand(path, data))

    ws = a.werkruimte
    p = out_dir / MARKER
    atomic_write(p, f"pgb-audit {__version__}\n".encode("utf-8"))
    p = out_dir / "findings.csv"
    atomic_write(p, csv_bytes(findings_table(a.result.findings, ws.status if ws is not None else None)))
    written.append(p)
    if ws is not None:
        p = out_dir / "opgelost.csv"
        atomic_write(p, csv_bytes(opgelost_table(ws.opgelost)))
        written.append(p)
    p = out_dir / "rechtmatigheid.csv"
    atomic_write(p, csv_bytes(rechtmatigheid_csv(rechtmatigheid_bereken(a))))
    written.append(p)
    q = a.validated.quarantine
    p = out_dir / "quarantaine.csv"            # for people: Dutch Excel CSV (outputs.md)
    atomic_write(p, people_csv_bytes(q))
    written.append(p)
    if reports:
        t = time.perf_counter()
        written += write_reports(a, out_dir, atomic_write, guard)
        a.stages["rapporten"] = time.perf_counter() - t   # in run.json (the reports show the stages before it)
    p = out_dir / "run.json"
    atomic_write(p, (json.dumps(run_json(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    written.append(p)
    return written
