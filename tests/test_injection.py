"""Injection: text from the input never becomes a formula in a CSV that Excel opens.

Every cell of every CSV output that starts with `=`, `+`, `-` or `@` must either be a
number (money, dates) or start with an apostrophe, which Excel shows but never evaluates.
HTML escaping and XLSX string cells are tested in tests/test_reports.py."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from auditor.write import write_outputs
from tests.builders import make_batch, run_batch

HOSTILE_IDS = ["=1+1", "+31SUM(A1)", "-2+3", "@SUM(A1)"]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def test_no_formula_in_any_csv_output(tmp_path: Path):
    bh = "=cmd|' /C calc'!A0"
    decl = [{"declaratie_id": i, "budgethouder_id": bh, "bedrag": "300.00", "tarief": "150.00", "aantal": "2",
             "omschrijving": "=HYPERLINK(\"http://x\")"} for i in HOSTILE_IDS]
    decl.append({"declaratie_id": "=BAD", "budgethouder_id": bh, "datum_van": "=TODAY()"})  # quarantined
    batch = make_batch(tmp_path, budgethouders=[{"budgethouder_id": bh}], toekenningen=[{"budgethouder_id": bh}],
                       zorgovereenkomsten=[{"budgethouder_id": bh}], declaraties=decl)
    a = run_batch(batch, checks=["DUBBEL", "TARIEF"], peildatum=__import__("datetime").date(2025, 12, 31),
                  allow_quarantine=True)
    out = tmp_path / "out"
    write_outputs(a, out)
    outputs = sorted(out.glob("*.csv"))
    assert {p.name for p in outputs} >= {"findings.csv", "quarantaine.csv", "opschorting_voorstellen.csv"}
    seen_hostile = 0
    for p in outputs:
        with p.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@"):
                        assert NUMBER.match(cell), f"{p.name}: formula-like cell {cell!r}"
                    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
                        seen_hostile += 1
    assert seen_hostile >= 5   # the hostile ids and budgethouder really reached the outputs, neutralised
