"""CPU seconds of the core stages, in one process, medians over `--runs`.

    POLARS_MAX_THREADS=1 python benchmarks/core_cpu.py BATCH [--runs 3]

On a machine shared with other work, wall clock measures the neighbours as much as the
code; CPU time of a single-threaded polars (`POLARS_MAX_THREADS=1`) is what a change saves
or costs, and two versions of the code can be compared on the same batch at the same moment
(run this file from each version's checkout). Stages as in `auditor.pipeline.audit`:
inlezen, valideren, verrijken, controles (every check, findings and niet-toetsbaar plans
collected as the engine does) and opschorting. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from auditor import engine, opschorting, regeling as reg  # noqa: E402
from auditor.load import load_batch  # noqa: E402
from auditor.tables import TABLES  # noqa: E402
from auditor.validate import empty_typed, validate  # noqa: E402
import checks as check_catalogue  # noqa: E402


def once(batch: str, peildatum: date) -> dict[str, float]:
    cpu = time.process_time
    out: dict[str, float] = {}
    t = cpu()
    raw = load_batch(batch, None)
    out["inlezen"] = cpu() - t
    t = cpu()
    v = validate(raw, mask_personal=True)
    typed = {n: v.tables.get(n, empty_typed(n)) for n in TABLES}
    out["valideren"] = cpu() - t
    t = cpu()
    ctx = engine.build_context(typed, reg.gebundelde_regelingen(), peildatum)
    out["verrijken"] = cpu() - t
    t = cpu()
    res = engine.run_checks(ctx, None, registry=check_catalogue.load_checks())
    out["controles"] = cpu() - t
    t = cpu()
    opschorting.voorstellen(res.findings, ctx, peildatum, None, briefdatum=peildatum.replace(year=peildatum.year + 1))
    out["opschorting"] = cpu() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("batch")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peildatum", default="2025-12-31")
    args = ap.parse_args()
    runs = [once(args.batch, date.fromisoformat(args.peildatum)) for _ in range(args.runs)]
    print(json.dumps({k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}))


if __name__ == "__main__":
    main()
