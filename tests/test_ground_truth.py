"""The bundled samples against their ground truth: precision and recall per check.

Each sample batch has a `ground_truth.csv` written by the generator: one row per
(check, budgethouder) pair the checks must report. This test audits the batch, compares
the (check, budgethouder_id) pairs found with the planted ones, prints a table of
precision and recall per check, and requires 100% for every registered check.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from checks import load_checks
from auditor.pipeline import audit

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BATCHES = sorted(p.parent for p in SAMPLES.glob("*/ground_truth.csv"))


def peildatum_for(batch: Path) -> date:
    """Samples are audited at the end of their year (the generator plants AANWENDING for it)."""
    year = int(batch.name.rsplit("-", 1)[-1])
    return date(year, 12, 31)


def score(found: set[tuple[str, str]], truth: set[tuple[str, str]], codes: list[str]) -> pl.DataFrame:
    rows = []
    for code in codes:
        f = {p for p in found if p[0] == code}
        t = {p for p in truth if p[0] == code}
        tp = len(f & t)
        rows.append({
            "check": code, "gepland": len(t), "gevonden": len(f), "terecht": tp,
            "precision": tp / len(f) if f else (1.0 if not t else 0.0),
            "recall": tp / len(t) if t else 1.0,
            "gemist": ";".join(sorted(b for _, b in t - f)), "onterecht": ";".join(sorted(b for _, b in f - t)),
        })
    return pl.DataFrame(rows)


@pytest.mark.skipif(not BATCHES, reason="no sample batches with ground truth")
@pytest.mark.parametrize("batch", BATCHES, ids=[b.name for b in BATCHES])
def test_precision_and_recall_per_check(batch: Path, capsys):
    a = audit(batch, peildatum=peildatum_for(batch))
    assert a.validated.quarantine.height == 0, a.validated.quarantine
    codes = list(load_checks())
    found = set(a.result.findings.select("check", "budgethouder_id").iter_rows())
    gt = pl.read_csv(batch / "ground_truth.csv", infer_schema=False)
    truth = set(gt.select("check", "budgethouder_id").iter_rows())
    table = score(found, truth, codes)
    with pl.Config(tbl_rows=40, tbl_width_chars=200, fmt_str_lengths=60):   # captured: shown only on failure (quiet -q)
        print(f"\nPrecision and recall per check on {batch.name}:\n{table}")
    bad = table.filter((pl.col("precision") < 1) | (pl.col("recall") < 1))
    assert bad.height == 0, f"checks below 100% on {batch.name}:\n{bad}"
    # every check the regeling makes possible has planted cases (not only 'nothing found')
    assert table.filter(pl.col("gepland") > 0).height >= 1
