"""`Audit`: everything one run produced, from the loaded files to the opschorting proposals.

Built by `auditor.pipeline.audit()`; read by the werkruimte, the output writers and the
reports. This module imports only the stages below it (load, validate, engine, opschorting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from auditor import regeling as reg
from auditor.engine import CheckRun, Context
from auditor.load import RawTable
from auditor.opschorting import Opschorting
from auditor.validate import Validated


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
    verantwoordingsgrens: float = 0.03   # share of the gemeente's totale lasten (controller's report)
    totale_lasten_ct: int | None = None  # the gemeente's total lasten (--totale-lasten): needed for a verdict
    rapporteringsgrens_ct: int | None = None   # fouten above it are reported individually
    uitnutting_onder: float = 0.5        # BADO C: used share / passed share below this is strong under-use
    uitnutting_boven: float = 1.25       # ... above this strong over-use
    opschorting: Opschorting | None = None   # the proposals of this run (auditor.opschorting)
    briefdatum: date | None = None       # the letters' date, first day of a suspension
    briefsjabloon: Path | None = None    # a gemeente's letter templates (--briefsjabloon)
    werkruimte: Any = None               # auditor.werkruimte.WerkruimteRun when a werkruimte is used


def used_regelingen(a: Audit) -> list[reg.Regeling]:
    """The regelingen that governed at least one line, or the forced one."""
    if a.ctx.geforceerd is not None:
        return [a.ctx.geforceerd]
    ids = set(a.ctx.lines.select(pl.col("regeling_id").drop_nulls().unique()).collect().to_series().to_list())
    ids |= set(a.result.findings["regeling_id"].drop_nulls().unique().to_list())
    return [r for r in a.ctx.regelingen if r.id in ids]
