"""Planted cases of the BADO controls B (budgetconfirmatie) and C (uitnutting per cliënt).

Not a check, so not registered with `@plant`: `plant_budgetten` runs after the toekenning
budgets are known (`genereer`), takes no numbers from the generator's random stream (the
other files of a batch stay as they were) and returns the `budgetten` table the SVB would
send, with three planted cases on budgethouders without other plants:

* ``verschil``: the SVB holds 500,00 more than the gemeente granted (a difference, no over-payment);
* ``boven_svb``: the SVB holds half of what was granted, and paid more than that;
* ``onderbenutting``: the gemeente granted three times what is used (omvang x 3), over the
  whole year: by the end of the year about a third is used.

Every other toekenning has an SVB budget equal to the gemeente's. The truth is written to
`bado_waarheid.csv` (controle, budgethouder_id, toekenning_id, geval).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from auditor.samples.generator import Generator
from auditor.samples.writing import _frame, _nl_date, _nl_money, _write

BUDGET_COLS = ["budgethouder_id", "toekenning_id", "product_code", "budget", "ingangsdatum", "einddatum"]
WAARHEID_COLS = ["controle", "budgethouder_id", "toekenning_id", "geval"]


def plant_budgetten(g: Generator, tk_rows: list) -> tuple[list, list[dict], list[dict]]:
    """(tk_rows with the under-user's budget raised, budgetten rows, truth rows)."""
    vrij = [i for i, (b, t, omvang, budget) in enumerate(tk_rows) if not b.geplant and budget > 0]
    truth: list[dict] = []
    svb = {i: budget for i, (_, _, _, budget) in enumerate(tk_rows)}
    rows = list(tk_rows)
    if len(vrij) >= 3:
        hele_jaar = [i for i in vrij if rows[i][1].ingang == g.ys and rows[i][1].einde == g.ye]
        boven = max(vrij, key=lambda i: (rows[i][3], rows[i][1].id))
        verschil = next(i for i in vrij if i != boven)
        onder = next((i for i in hele_jaar if i not in (boven, verschil)
                      and rows[i][0].id not in (rows[boven][0].id, rows[verschil][0].id)), None)
        svb[verschil] = rows[verschil][3] + 50_000
        svb[boven] = rows[boven][3] // 2
        truth += [{"controle": "budgetconfirmatie", "budgethouder_id": rows[verschil][0].id,
                   "toekenning_id": rows[verschil][1].id, "geval": "verschil"},
                  {"controle": "budgetconfirmatie", "budgethouder_id": rows[boven][0].id,
                   "toekenning_id": rows[boven][1].id, "geval": "boven_svb"}]
        if onder is not None:
            b, t, omvang, budget = rows[onder]
            tarief = t.budget_tarief_ct if t.budget_tarief_ct is not None else t.tarief_ct
            rows[onder] = (b, t, omvang * 3, omvang * 3 * tarief)
            svb[onder] = rows[onder][3]
            truth.append({"controle": "uitnutting", "budgethouder_id": b.id, "toekenning_id": t.id,
                          "geval": "onderbenutting"})
    budgetten = [{"budgethouder_id": b.id, "toekenning_id": t.id, "product_code": t.product.code,
                  "budget": _nl_money(svb[i]), "ingangsdatum": _nl_date(t.ingang), "einddatum": _nl_date(t.einde)}
                 for i, (b, t, _, _) in enumerate(rows)]
    return rows, budgetten, truth


def schrijf_budgetten(out: Path, budgetten: list[dict], truth: list[dict]) -> int:
    """budgetten.csv (Dutch Excel with BOM, as the SVB's export) and bado_waarheid.csv; returns the rows."""
    _write(_frame(budgetten, BUDGET_COLS), Path(out) / "budgetten.csv", "excel-bom")
    _write(pl.DataFrame(truth, schema={c: pl.String for c in WAARHEID_COLS}), Path(out) / "bado_waarheid.csv", "plain")
    return len(budgetten)
