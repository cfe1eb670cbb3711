"""Writing every output of one run into OUT_DIR: the top of the pipeline below the CLI.

findings.csv (and with a werkruimte opgelost.csv), quarantaine.csv, the reports
(opschorting_voorstellen.csv, brieven/, rapport.html, rapport.xlsx) and run.json last. With a
werkruimte everything is written inside its one transaction (`auditor.werkruimte.vastleggen`):
when writing fails, the werkruimte is left unchanged.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from auditor.audit import Audit
from auditor.files import atomic_write, csv_bytes, inert, people_csv_bytes, private_dir
from auditor.findings import findings_table, opgelost_table
from auditor.output import run_json
from auditor.reports import write_reports
from auditor.werkruimte import vastleggen


def write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    """Write every output; with a werkruimte, inside its one transaction (the run is stored
    only when all outputs were written)."""
    if a.werkruimte is None:
        return _write_outputs(a, out_dir, reports)
    return vastleggen(a, lambda: _write_outputs(a, out_dir, reports))


def _write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    private_dir(out_dir)
    written = []
    ws = a.werkruimte
    p = out_dir / "findings.csv"
    atomic_write(p, csv_bytes(findings_table(a.result.findings, ws.status if ws is not None else None)))
    written.append(p)
    if ws is not None:
        p = out_dir / "opgelost.csv"
        atomic_write(p, csv_bytes(opgelost_table(ws.opgelost)))
        written.append(p)
    q = a.validated.quarantine.with_columns(inert("redenen"), inert("inhoud"))
    p = out_dir / "quarantaine.csv"            # for people: Dutch Excel CSV (outputs.md)
    atomic_write(p, people_csv_bytes(q))
    written.append(p)
    if reports:
        t = time.perf_counter()
        written += write_reports(a, out_dir)
        a.stages["rapporten"] = time.perf_counter() - t   # in run.json (the reports show the stages before it)
    p = out_dir / "run.json"
    atomic_write(p, (json.dumps(run_json(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    written.append(p)
    return written
