"""The DuckDB peer (benchmarks/peer_duckdb.py) computes the same euros per check as pgb-audit.

The peer is an independent implementation in SQL of TARIEF, DUBBEL, BUITENLAND,
BUITEN-PERIODE, OVERSCHRIJDING and VAST-MAANDBEDRAG; it takes only configuration (the
regelingen, the ZIN product table and the norm table) from pgb-audit. Agreement on the
bundled samples is what makes the benchmark's `audit_s / peer_s` a comparison of equals.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "benchmarks" / "peer_duckdb.py"


def _peer_module():
    spec = importlib.util.spec_from_file_location("peer_duckdb", PEER)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["peer_duckdb"] = mod
    spec.loader.exec_module(mod)
    return mod


def _own_euros(batch: Path, codes: tuple[str, ...]) -> dict[str, int]:
    from auditor.pipeline import audit

    a = audit(batch, peildatum=date(2025, 12, 31), checks=list(codes))
    sums = (a.result.findings.group_by("check").agg(pl.col("financieel_effect_ct").fill_null(0).sum())
            .rows())
    out = {c: 0 for c in codes}
    out.update({c: int(v) for c, v in sums})
    return out


@pytest.mark.parametrize("sample", ["losser-2025", "de-ronde-venen-2026"])
def test_peer_euros_equal_pgb_audit(sample):
    peer = _peer_module()
    batch = ROOT / "samples" / sample
    theirs = peer.peer(batch, threads=2)
    ours = _own_euros(batch, peer.CHECKS)
    assert theirs == ours


def test_peer_sees_the_planted_cases_in_losser():
    """Not a vacuous equality: on Losser every one of the six checks has euros."""
    peer = _peer_module()
    theirs = peer.peer(ROOT / "samples" / "losser-2025", threads=2)
    assert all(v > 0 for v in theirs.values()), theirs


def test_peer_on_a_generated_batch(tmp_path):
    """A freshly generated batch (another seed) agrees as well."""
    from auditor.samples import genereer

    peer = _peer_module()
    genereer(tmp_path / "b", budgethouders=20, seed=7, regeling="losser-2025", regels_per_budgethouder=40)
    assert peer.peer(tmp_path / "b", threads=2) == _own_euros(tmp_path / "b", peer.CHECKS)
