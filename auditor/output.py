"""Writing the machine-readable outputs: findings.csv, quarantaine.csv, run.json.

With a werkruimte, findings.csv gains a trailing column `status` (`nieuw` / `terugkerend`),
`opgelost.csv` lists the findings of the previous run that no longer hold, run.json gets a
`werkruimte` section, and everything is written inside the werkruimte's one transaction
(`auditor.workspace.vastleggen`): when writing fails, the werkruimte is left unchanged.

Every file is written to a temporary file in the same folder and renamed into place, so a
crash never leaves half a file. Text that came from the input can never become a formula
when the CSV is opened in Excel: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
leading apostrophe (money columns are numbers and are left alone).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from pathlib import Path

import polars as pl

from auditor import __version__, money
from auditor.pipeline import Audit, used_regelingen

FINDINGS_COLUMNS = [
    "finding_id", "check", "soort", "ernst", "budgethouder_id", "zorgverlener_id", "toekenning_id",
    "zorgovereenkomst_id", "declaratie_ids", "periode_van", "periode_tot", "bedrag_betrokken",
    "financieel_effect", "artikel", "toelichting",
]
OPGELOST_COLUMNS = [
    "finding_id", "check", "soort", "budgethouder_id", "zorgverlener_id", "toekenning_id",
    "zorgovereenkomst_id", "declaratie_ids", "periode_van", "periode_tot", "financieel_effect",
    "toelichting", "laatst_gezien_run", "laatst_gezien_peildatum",
]
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


def inert(col: str) -> pl.Expr:
    """Text that Excel will never evaluate as a formula."""
    c = pl.col(col)
    return pl.when(c.str.contains(FORMULA_START)).then(pl.concat_str([pl.lit("'"), c])).otherwise(c).alias(col)


def csv_bytes(df: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.write_csv(buf, separator=",", line_terminator="\n", quote_style="necessary")
    return buf.getvalue()


def findings_table(findings: pl.DataFrame, status: pl.DataFrame | None = None) -> pl.DataFrame:
    """Internal findings to the columns of outputs.md (money as `1234.56`); with `status`
    (finding_id, status) a trailing column `status`."""
    text = ["check", "soort", "ernst", "budgethouder_id", "zorgverlener_id", "toekenning_id",
            "zorgovereenkomst_id", "declaratie_ids", "artikel", "toelichting"]
    out = findings.select(
        "finding_id", "check", "soort", "ernst", "budgethouder_id", "zorgverlener_id", "toekenning_id",
        "zorgovereenkomst_id", pl.col("declaratie_ids").list.join(";"),
        pl.col("periode_van").dt.strftime("%Y-%m-%d"), pl.col("periode_tot").dt.strftime("%Y-%m-%d"),
        money.fmt_csv("bedrag_betrokken_ct").alias("bedrag_betrokken"),
        money.fmt_csv("financieel_effect_ct").alias("financieel_effect"),
        "artikel", "toelichting",
    )
    out = out.with_columns([inert(c) for c in text]).select(FINDINGS_COLUMNS)
    if status is not None:
        out = out.join(status, on="finding_id", how="left", maintain_order="left").select(FINDINGS_COLUMNS + ["status"])
    return out


def opgelost_table(opgelost: pl.DataFrame) -> pl.DataFrame:
    """The findings of the previous run that no longer hold (opgelost.csv)."""
    text = ["check", "soort", "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id",
            "declaratie_ids", "toelichting"]
    out = opgelost.sort("check", "budgethouder_id", "finding_id", nulls_last=True).select(
        "finding_id", "check", "soort", "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id",
        pl.col("declaratie_ids").list.join(";"),
        pl.col("periode_van").dt.strftime("%Y-%m-%d"), pl.col("periode_tot").dt.strftime("%Y-%m-%d"),
        money.fmt_csv("financieel_effect_ct").alias("financieel_effect"), "toelichting",
        "laatst_gezien_run", pl.col("laatst_gezien_peildatum").dt.strftime("%Y-%m-%d"))
    return out.with_columns([inert(c) for c in text]).select(OPGELOST_COLUMNS)


def check_summary(a: Audit) -> dict:
    f = a.result.findings
    out = {}
    for code in a.result.seconds:
        sub = f.filter(pl.col("check") == code)
        nt = a.result.niet_toetsbaar[code]
        redenen = (nt.group_by("reden").len().sort(["len", "reden"], descending=[True, False]).head(10)
                   if nt.height else None)
        out[code] = {
            "findings": sub.height,
            "financieel_effect": money.eur_csv(int(sub["financieel_effect_ct"].fill_null(0).sum())),
            "niet_toetsbaar": nt.height,
            "niet_toetsbaar_redenen": {r: int(n) for r, n in redenen.iter_rows()} if redenen is not None else {},
        }
    return out


def run_json(a: Audit) -> dict:
    v = a.validated
    return {
        "tool": "pgb-audit",
        "version": __version__,
        "peildatum": a.peildatum.isoformat(),
        "started": a.started.isoformat(timespec="seconds"),
        "ended": a.ended.isoformat(timespec="seconds"),
        "batch": str(a.batch.name),
        "regelingen": [{"id": r.id, "naam": r.naam, "path": r.path.name, "sha256": r.sha256}
                       for r in used_regelingen(a)],
        "checks": check_summary(a),
        "inputs": [
            {"table": name, "path": raw.path, **({"sheet": raw.sheet} if raw.sheet else {}),
             "sha256": raw.sha256, "encoding": raw.encoding, "delimiter": raw.delimiter,
             **v.counts[name], "extra_columns": raw.extra_columns}
            for name, raw in sorted(a.raw.items(), key=lambda kv: list(v.counts).index(kv[0]))
        ],
        "findings": a.result.findings.height,
        **({"werkruimte": _ws_json(a)} if a.werkruimte is not None else {}),
        "stages_seconds": {k: round(s, 3) for k, s in a.stages.items()},
    }


def _ws_json(a: Audit) -> dict:
    from auditor.workspace import run_json_deel
    return run_json_deel(a.werkruimte)


def write_outputs(a: Audit, out_dir: Path, reports: bool = True) -> list[Path]:
    """Write every output; with a werkruimte, inside its one transaction (the run is stored
    only when all outputs were written)."""
    if a.werkruimte is None:
        return _write_outputs(a, out_dir, reports)
    from auditor.workspace import vastleggen
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
    p = out_dir / "quarantaine.csv"
    atomic_write(p, csv_bytes(q))
    written.append(p)
    if reports:
        try:
            from auditor import reports as rep
        except ImportError:  # reports arrive in their own module
            rep = None
        if rep is not None and hasattr(rep, "write_reports"):
            t = time.perf_counter()
            written += rep.write_reports(a, out_dir)
            a.stages["rapporten"] = time.perf_counter() - t   # in run.json (the reports show the stages before it)
    p = out_dir / "run.json"
    atomic_write(p, (json.dumps(run_json(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    written.append(p)
    return written
