"""DUBBEL: what the cases in tests/cases/DUBBEL.yml cannot say."""

from __future__ import annotations

from pathlib import Path

from tests.builders import run_check


def test_rejected_copy_is_still_audited(tmp_path: Path):
    # D2 is a copy the SVB refused (status afgekeurd): not a finding, but not lost either
    f, _, a = run_check(tmp_path, "DUBBEL", declaraties=[
        {"declaratie_id": "D1"}, {"declaratie_id": "D2", "status": "afgekeurd"}])
    assert f.height == 0
    assert a.validated.counts["declaraties"]["rows_audited"] == 2
