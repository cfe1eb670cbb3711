"""One audit, from a batch folder to findings: load, validate, enrich, check.

With a werkruimte (`werkruimte=`), validation accepts references to stored rows, the checks
run over the batch together with the history, and `Audit.werkruimte` holds the case register
(statuses, opgelost, earlier proposals); `auditor.write.write_outputs` stores the run in the
same transaction as it writes the outputs (see `auditor.werkruimte`). The opschorting
proposals are computed here, once, into `Audit.opschorting`.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

import checks as check_catalogue
from auditor import opschorting
from auditor import regeling as reg
from auditor import werkruimte as ws
from auditor.audit import Audit, used_regelingen
from auditor.engine import build_context, run_checks
from auditor.errors import InvoerFout
from auditor.load import load_batch
from auditor import materiele_controle
from auditor.tables import TABLES
from auditor.validate import empty_typed, validate

__all__ = ["Audit", "audit", "used_regelingen"]


def audit(batch_dir: str | Path, *, peildatum: date | None = None, regeling: str | Path | None = None,
          regelingen_map: str | Path | None = None, checks: list[str] | None = None,
          toon_bsn: bool = False, verantwoordingsgrens: float = 0.03, progress=None,
          werkruimte: str | Path | None = None, toon_namen: bool = False, kolommen=None,
          briefdatum: date | None = None) -> Audit:
    """Run a whole audit. Raises `InvoerFout` for input the user must fix.

    `werkruimte`: a folder with the history (read here, written only by `write_outputs`).
    `briefdatum`: the letters' date and the first day of a suspension (default: today, never
    before the day after the peildatum; a given one in the past or not after the peildatum is
    refused, see `opschorting.check_briefdatum`)."""
    say = progress or (lambda stage, fraction=0.0, detail="": None)
    started = datetime.now(timezone.utc)
    stages: dict[str, float] = {}
    bd = opschorting.check_briefdatum(briefdatum, peildatum or date.today(), date.today())
    t = time.perf_counter()
    say("inlezen")
    raw = load_batch(batch_dir, kolommen)   # kolommen: the user's import definition (--kolommen)
    stages["inlezen"] = time.perf_counter() - t

    t = time.perf_counter()
    say("valideren")
    snap = None
    if werkruimte is not None:
        snap = ws.lees(werkruimte)
        validated = ws.valideer(raw, snap, mask_personal=not toon_bsn, mask_namen=not toon_namen)
    else:
        validated = validate(raw, mask_personal=not toon_bsn, mask_namen=not toon_namen)
    typed = {name: validated.tables.get(name, empty_typed(name)) for name in TABLES}
    if snap is not None:
        typed, plan = ws.voeg_samen(typed, snap)
    typed[materiele_controle.TABEL] = materiele_controle.lees_antwoorden(batch_dir)   # optional answers (BADO D)
    stages["valideren"] = time.perf_counter() - t

    t = time.perf_counter()
    say("verrijken")
    geforceerd = reg.vind_regeling(regeling) if regeling is not None else None
    regelingen = reg.gebundelde_regelingen()
    if regelingen_map is not None:
        if not Path(regelingen_map).is_dir():
            raise InvoerFout(f"--regelingen: de map {regelingen_map} bestaat niet (of is geen map); "
                             "geef een map met regelingen (TOML-bestanden).")
        eigen = [reg.laad_regeling(p) for p in sorted(Path(regelingen_map).glob("*.toml"))]
        ids = {r.id for r in eigen}
        regelingen = sorted(eigen + [r for r in regelingen if r.id not in ids], key=lambda r: r.id)
    pd = peildatum or date.today()
    ctx = build_context(typed, regelingen, pd, geforceerd)
    stages["verrijken"] = time.perf_counter() - t

    t = time.perf_counter()
    say("controles")
    result = run_checks(ctx, checks, progress=lambda f, code: say("controles", f, code),
                        registry=check_catalogue.load_checks())
    stages["controles"] = time.perf_counter() - t
    ctx.geef_delen_vrij()
    stages.update({f"controle {k}": v for k, v in result.seconds.items()})
    a = Audit(Path(batch_dir), pd, raw, validated, ctx, result, started, datetime.now(timezone.utc),
              stages, toon_bsn=toon_bsn, toon_namen=toon_namen, verantwoordingsgrens=verantwoordingsgrens)
    if snap is not None:
        a.werkruimte = ws.registreer(a, snap, plan, checks)
    eerdere = a.werkruimte.eerdere_voorstellen if a.werkruimte is not None else None
    uitgesloten = a.werkruimte.uitgesloten if a.werkruimte is not None else None   # judged zaken (issue 18)
    a.briefdatum = bd
    t = time.perf_counter()
    a.opschorting = opschorting.voorstellen(result.findings, ctx, pd, eerdere, briefdatum=bd, uitgezonderd=uitgesloten)
    stages["opschorting"] = time.perf_counter() - t
    return a
