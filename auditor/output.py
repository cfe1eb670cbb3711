"""The machine-readable audit trail: run.json (and the per-check summary in it).

findings.csv and opgelost.csv are written from `auditor.findings` (the finding schema),
quarantaine.csv as validated; `auditor.write.write_outputs` writes them all. With a
werkruimte, run.json gets a `werkruimte` section.
"""

from __future__ import annotations

import polars as pl

from auditor import __version__, formatting
from auditor import rechtmatigheid
from auditor.audit import Audit, used_regelingen
from auditor.werkruimte import run_json_deel


def check_summary(a: Audit) -> dict:
    f = a.result.findings
    out = {}
    for code in a.result.seconds:
        sub = f.filter(pl.col("check") == code)
        nt = a.result.niet_toetsbaar[code]
        # lines per reason; a reason names its cause once (no ids), so the list stays short
        redenen = (nt.group_by("reden").len().sort(["len", "reden"], descending=[True, False])
                   if nt.height else None)
        out[code] = {
            "findings": sub.height,
            "financieel_effect": formatting.eur_csv(int(sub["financieel_effect_ct"].fill_null(0).sum())),
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
        "briefdatum": a.briefdatum.isoformat() if a.briefdatum else None,
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
        "rechtmatigheid": rechtmatigheid.run_json_deel(rechtmatigheid.bereken(a)),
        **({"werkruimte": run_json_deel(a.werkruimte)} if a.werkruimte is not None else {}),
        "stages_seconds": {k: round(s, 3) for k, s in a.stages.items()},
    }
