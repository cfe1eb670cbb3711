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
from auditor.registry import CHECK_CODES
from auditor.tables import TABLES
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


def meldingen(a: Audit) -> list[str]:
    """What a user must know about the scope of this run, in Dutch (outputs.md): a peildatum
    before the last declared day, optional tables that were missing, checks left out. Said on
    the console (`pgb-audit run`) and in rapport.html and rapport.xlsx."""
    out = []
    laatste = a.ctx.lines.select(pl.col("datum_tot").max()).collect().item()
    if laatste is not None and a.peildatum < laatste:
        out.append(f"De peildatum {a.peildatum.strftime('%d-%m-%Y')} ligt vóór de laatste gedeclareerde dag "
                   f"({laatste.strftime('%d-%m-%Y')}): zorg na de peildatum is niet als geleverd beoordeeld. "
                   "Kies een latere --peildatum als dat niet de bedoeling is.")
    ontbreekt = [t.name for t in TABLES.values() if not t.required and t.name not in a.raw]
    if ontbreekt:
        out.append("Niet aangeleverd (optionele tabellen): " + ", ".join(ontbreekt)
                   + ". Wat op deze tabellen rust, is niet gecontroleerd.")
    niet = [c for c in CHECK_CODES if c not in a.result.seconds]
    if niet:
        out.append("Niet uitgevoerde controles: " + ", ".join(niet) + ". Het rapport is op dit punt onvolledig.")
    return out
