"""The entry point: `genereer(out_dir, ...)` plans the plants, generates and writes one batch."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from auditor.regeling import vind_regeling
from auditor.samples.generator import Generator
from auditor.samples.plants import PLAN, plant_spec, variant_allowed
from auditor.samples.model import BH, L_AANTAL, L_TOT, L_VAN
from auditor.samples.people import _add_months
from auditor.samples.plants._base import Planter
from auditor.samples.plants.budgetten import plant_budgetten, schrijf_budgetten
from auditor.samples.regeling import Reg
from auditor.samples.writing import _write_all


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

# The committed demo batches under samples/ (tests regenerate them and compare bytes).
DEMOS: dict[str, dict] = {
    "losser-2025": {"regeling": "losser-2025", "budgethouders": 50, "seed": 1, "regels_per_budgethouder": 50},
    "de-ronde-venen-2026": {"regeling": "de-ronde-venen-2026", "budgethouders": 50, "seed": 2,
                            "regels_per_budgethouder": 50},
}


def genereer_demos(root: Path) -> dict:
    """(Re)write the demo batches `root/<id>/` (the repo's `samples/`)."""
    return {naam: genereer(Path(root) / naam, **kw) for naam, kw in DEMOS.items()}


def genereer(out_dir: Path, budgethouders: int = 50, seed: int = 1, regeling: str | Path = "losser-2025",
             jaar: int | None = None, regels_per_budgethouder: int = 200, bado: bool = True,
             dichtheid: float | None = None) -> dict:
    """Write one batch with planted cases into `out_dir`; return counts per table and check.

    `regels_per_budgethouder` sets the density of declaration lines (about that many per
    budgethouder on average); the demo batches use fewer to stay small. `bado`: also write the
    SVB's budgetten table with the planted BADO B and C cases (`plants/budgetten.py`).
    `dichtheid`: the share of budgethouders with planted cases (the findings-dense batches of
    `benchmarks/bench.py --dicht`): the plan is laid over about that share of the budgethouders
    (the plants that flag every line of a budgethouder one time in ten; at most 80% of the
    budgethouders are planted). None (the default): the plan once, as always, so batches of
    existing seeds stay byte-identical.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reg = Reg(vind_regeling(regeling))
    g = Generator(reg, budgethouders, seed, jaar, regels_per_budgethouder)
    g.args = {"budgethouders": budgethouders, "seed": seed, "regeling": reg.id,
              "regels_per_budgethouder": regels_per_budgethouder}
    rng = g.rng
    p = Planter(g)

    # ---- plan --------------------------------------------------------------------------
    plan = [(c, v, k) for c, v, k in PLAN if g.do[c] and variant_allowed(c, v, reg)]
    if dichtheid is not None:
        g.args["dichtheid"] = dichtheid
        per_plan = max(1, sum(k for _, _, k in plan))
        # KWALITEIT and SN-CATEGORIE plants make every line of the budgethouder a finding:
        # laid one time in ten, so that findings stay a few percent of the lines
        plan = [x for r in range(max(1, round(dichtheid * budgethouders / per_plan))) for x in plan
                if r % 10 == 0 or x[0] not in ("KWALITEIT", "SN-CATEGORIE")]
    if reg.sn_toegestaan is not None:
        n_bad = sum(1 for pr in reg.products.values() if not reg.sn_allowed(pr.categorie))
        if n_bad < 2:
            plan = [x for x in plan if x[:2] != ("SN-CATEGORIE", "sn_tweede")]
    # keep first variants first when there are few budgethouders
    budget_bh = max(0, budgethouders - max(3, budgethouders // 5))
    ordered = sorted(enumerate(plan), key=lambda t: (0 if [x[0] for x in plan].index(t[1][0]) == t[0] else 1, t[0]))
    chosen, used = [], 0
    for _, item in ordered:
        if used + item[2] <= budget_bh:
            chosen.append(item)
            used += item[2]
    chosen.sort(key=lambda it: plan.index(it))
    planted_idx = rng.sample(range(budgethouders), used)

    # ---- budgethouders ------------------------------------------------------------------
    for i in range(budgethouders):
        g.bhs.append(g.new_bh(i))

    # one near miss per kind, on normal budgethouders
    normal_idx = [i for i in range(budgethouders) if i not in set(planted_idx)]
    assignments: list[tuple[str, str, list[BH]]] = []
    pos = 0
    for c, v, k in chosen:
        assignments.append((c, v, [g.bhs[j] for j in planted_idx[pos:pos + k]]))
        pos += k
    planted_bh = {b.id for _, _, bs in assignments for b in bs}

    # plants first (they create dedicated toekenningen), then ordinary toekenningen
    for c, v, bs in assignments:
        for b in bs:
            b.geplant = True
            b.heel_jaar = True
    for c, v, bs in assignments:
        plant_spec(p, c, v, bs)
    near = {}
    for j, i in enumerate(normal_idx[:4]):
        near[g.bhs[i].id] = ("toestemming", "buitenland_twee_per_dag", "aanwending_net_op_tijd", "overleden_laatste_dag")[j]
    for b in g.bhs:
        have = len(b.toekenningen)
        avoid = {"km"} if b.id in planted_bh else set()
        if near.get(b.id) == "toestemming":
            a = p.zzp_afspraak(b, ingang=date(g.jaar, 4, 1), einde=g.ye, start=date(g.jaar, 4, 2))
            # near miss of Losser art. 7.1 lid 5 sub b: care after the aanvraag, before the besluit, with
            # written permission (sub a, care before the aanvraag, has no exception: none is declared)
            a.tk.aanvraag, a.tk.besluit, a.tk.toestemming = date(g.jaar, 3, 25), date(g.jaar, 5, 2), True
        elif near.get(b.id) == "aanwending_net_op_tijd" and reg.p("aanwenden_binnen_maanden") is not None:
            a = p.zzp_afspraak(b, ingang=date(g.jaar, 2, 1), einde=g.ye)
            a.tk.besluit = date(g.jaar, 1, 20)
            a.start = _add_months(date(g.jaar, 2, 1), int(reg.p("aanwenden_binnen_maanden"))) - timedelta(days=5)
            a.mode = "aanwending_net"
        want = rng.choices((1, 2, 3), (35, 45, 20))[0]
        if want > have:
            g.plan_normal(b, want - have, avoid)
        if not b.toekenningen:
            g.plan_normal(b, 1, avoid)

    # ---- line density ------------------------------------------------------------------
    # about `regels_per_budgethouder` lines per budgethouder on average: the fixed patterns
    # (weekly lines, weekend stays, monthly lines) count first, sessions fill up the rest
    for b in g.bhs:
        target = g.regels_per_bh * 1.12 * (0.7 + rng.random() * 0.6)  # 1.12: calibrated to the mean
        sess = [a for a in b.afspraken if a.mode == "sessies"]
        fixed = 0.0
        for a in b.afspraken:
            span_d = max(0, (a.end - a.start).days + 1)
            if a.mode in ("week", "km"):
                fixed += span_d / 7 * 1.05
            elif a.mode == "weekend":
                fixed += span_d / 30.4 * 1.4
            elif a.mode == "maand":
                fixed += span_d / 30.4
        rest = max(target - fixed, 12.0 * len(sess))
        for a in sess:
            span_w = max(1.0, ((a.end - a.start).days + 1) / 7)
            pw = rest / len(sess) / span_w / 0.94
            pool = [0, 1, 2, 3, 4] + ([5] if a.relatie != "geen" else [])
            k = int(pw) + (1 if rng.random() < pw - int(pw) else 0)
            a.per_week = max(1, min(len(pool), k))
            if len(a.weekdays) != a.per_week:
                a.weekdays = tuple(sorted(rng.sample(pool, a.per_week)))
        for a in b.afspraken:
            if a.mode == "week":
                span_w = max(1.0, ((a.end - a.start).days + 1) / 7)
                a.per_week = max(1, min(5, round(target / max(1, len(b.afspraken)) / span_w)))

    # ---- generate lines and apply line-level plants ------------------------------------
    for b in g.bhs:
        for a in b.afspraken:
            g.gen_lines(a)
    for b in g.bhs:
        if near.get(b.id) == "buitenland_twee_per_dag" and reg.p("max_weken_buitenland") is not None:
            a = next((x for x in b.afspraken if x.mode == "sessies" and x.product.eenheid == "uur"), None)
            if a is not None:
                lim = int(reg.p("max_weken_buitenland")) * 7
                n_days = lim // 2 + 1
                van = date(g.jaar, 8, 1)
                a.lines[:] = [ln for ln in a.lines if not (van.toordinal() - 1 <= ln[L_VAN] <= van.toordinal() + n_days)]
                for k in range(n_days):
                    d = van + timedelta(days=k)
                    a.lines.append(g._line(a, d, d, 150, oms="ochtend", land="DE"))
                    a.lines.append(g._line(a, d, d, 200, oms="middag", land="DE"))
                a.lines.sort(key=lambda x: x[L_VAN])
        for f in b.plants:
            f()
    for b in g.bhs:
        if near.get(b.id) == "overleden_laatste_dag" and not b.overleden:
            last = max((ln[L_TOT] for a in b.afspraken for ln in a.lines), default=None)
            if last is not None and date.fromordinal(last) > date(g.jaar, 3, 1):
                b.overleden = date.fromordinal(last)
        g.vary_months(b)

    # ---- toekenning budgets from the final lines ---------------------------------------
    units: dict[str, int] = {}
    for b in g.bhs:
        for a in b.afspraken:
            if a.tk is not None:
                units[a.tk.id] = units.get(a.tk.id, 0) + sum(ln[L_AANTAL] for ln in a.lines)
    tk_rows = []
    for b in g.bhs:
        for t in b.toekenningen:
            u = units.get(t.id, 0)  # hundredths of a unit
            if t.omvang_factor < 1:
                omvang = max(1, int(u * t.omvang_factor) // 100)
            else:
                omvang = int(u * t.omvang_factor) // 100 + 10
            omvang = int(omvang)
            tarief = t.budget_tarief_ct if t.budget_tarief_ct is not None else t.tarief_ct
            budget = omvang * tarief
            tk_rows.append((b, t, omvang, budget))

    # ---- ground truth for non-line plants (OVERSCHRIJDING / AANWENDING) ----------------
    # OVERSCHRIJDING lines: all lines of the over-spent toekenning
    over = {t.id for b, t, _, _ in tk_rows if t.omvang_factor < 1}
    for b in g.bhs:
        for a in b.afspraken:
            if a.tk is not None and a.tk.id in over:
                g.truth_add("OVERSCHRIJDING", b, "", list(a.lines))

    # ---- flatten lines, ids ------------------------------------------------------------
    lines: list[list] = []
    for b in g.bhs:
        for a in sorted(b.afspraken, key=lambda x: x.id):
            lines.extend(a.lines)
    dec_ids = [f"D{g.jaar}{k + 1:07d}" for k in range(len(lines))]
    line_id = {id(ln): dec_ids[k] for k, ln in enumerate(lines)}

    budgetten, bado_truth = [], []
    if bado:
        tk_rows, budgetten, bado_truth = plant_budgetten(g, tk_rows)
    res = _write_all(g, out_dir, lines, dec_ids, tk_rows, line_id)
    if bado:
        res["tabellen"]["budgetten"] = schrijf_budgetten(out_dir, budgetten, bado_truth)
    return res
