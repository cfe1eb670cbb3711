"""One audit, from a batch folder to findings: load, validate, enrich, check.

With a werkruimte (`werkruimte=`), validation accepts references to stored rows, the checks
run over the batch together with the history, and `Audit.werkruimte` holds the case register
(statuses, opgelost, earlier proposals); `auditor.output.write_outputs` stores the run in the
same transaction as it writes the outputs (see `auditor.workspace`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from auditor import regeling as reg
from auditor.engine import CheckRun, Context, build_context, run_checks
from auditor.load import RawTable, load_batch
from auditor.tables import TABLES
from auditor.validate import Validated, empty_typed, validate


@dataclass
class Audit:
    batch: Path
    peildatum: date
    raw: dict[str, RawTable]
    validated: Validated
    ctx: Context
    result: CheckRun
    started: datetime
    ended: datetime
    stages: dict[str, float] = field(default_factory=dict)
    toon_bsn: bool = False
    toon_namen: bool = False
    verantwoordingsgrens: float = 0.03   # share of the lasten (controller's report)
    werkruimte: object | None = None     # auditor.workspace.WerkruimteRun when a werkruimte is used


def audit(batch_dir: str | Path, *, peildatum: date | None = None, regeling: str | Path | None = None,
          regelingen_map: str | Path | None = None, checks: list[str] | None = None,
          toon_bsn: bool = False, verantwoordingsgrens: float = 0.03, progress=None,
          werkruimte: str | Path | None = None, toon_namen: bool = False, kolommen=None) -> Audit:
    """Run a whole audit. Raises `InvoerFout` for input the user must fix.

    `werkruimte`: a folder with the history (read here, written only by `write_outputs`)."""
    say = progress or (lambda stage, fraction=0.0, detail="": None)
    started = datetime.now(timezone.utc)
    stages: dict[str, float] = {}
    t = time.perf_counter()
    say("inlezen")
    raw = load_batch(batch_dir, kolommen)   # kolommen: the user's import definition (--kolommen)
    stages["inlezen"] = time.perf_counter() - t

    t = time.perf_counter()
    say("valideren")
    snap = None
    if werkruimte is not None:
        from auditor import workspace as ws
        snap = ws.lees(werkruimte)
        validated = ws.valideer(raw, snap, mask_personal=not toon_bsn)
    else:
        validated = validate(raw, mask_personal=not toon_bsn)
    typed = {name: validated.tables.get(name, empty_typed(name)) for name in TABLES}
    if snap is not None:
        typed, plan = ws.voeg_samen(typed, snap)
    stages["valideren"] = time.perf_counter() - t

    t = time.perf_counter()
    say("verrijken")
    geforceerd = reg.vind_regeling(regeling) if regeling is not None else None
    regelingen = reg.gebundelde_regelingen()
    if regelingen_map is not None:
        eigen = [reg.laad_regeling(p) for p in sorted(Path(regelingen_map).glob("*.toml"))]
        ids = {r.id for r in eigen}
        regelingen = sorted(eigen + [r for r in regelingen if r.id not in ids], key=lambda r: r.id)
    pd = peildatum or date.today()
    ctx = build_context(typed, regelingen, pd, geforceerd)
    stages["verrijken"] = time.perf_counter() - t

    t = time.perf_counter()
    say("controles")
    result = run_checks(ctx, checks, progress=lambda f, code: say("controles", f, code))
    stages["controles"] = time.perf_counter() - t
    stages.update({f"controle {k}": v for k, v in result.seconds.items()})
    a = Audit(Path(batch_dir), pd, raw, validated, ctx, result, started, datetime.now(timezone.utc),
              stages, toon_bsn=toon_bsn, toon_namen=toon_namen, verantwoordingsgrens=verantwoordingsgrens)
    if snap is not None:
        a.werkruimte = ws.registreer(a, snap, plan, checks)
    return a


def used_regelingen(a: Audit) -> list[reg.Regeling]:
    """The regelingen that governed at least one line, or the forced one."""
    if a.ctx.geforceerd is not None:
        return [a.ctx.geforceerd]
    ids = set(a.ctx.lines.select(pl.col("regeling_id").drop_nulls().unique()).collect().to_series().to_list())
    ids |= set(a.result.findings["regeling_id"].drop_nulls().unique().to_list())
    return [r for r in a.ctx.regelingen if r.id in ids]
