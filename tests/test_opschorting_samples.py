"""Opschorting proposals and letters for the bundled Losser sample, checked by hand.

Peildatum 31-12-2025, so every window is 01-01-2026 up to and including 01-04-2026
(01-01-2026 + 7 x 13 - 1 = 90 days). Losser's drempel is 500,00 and DUBBEL is not among the
checks that always ground a proposal; ONMOGELIJKE-UREN is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from auditor.write import write_outputs
from auditor.pipeline import audit

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "losser-2025"


def nl_amount(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def dubbel_euros_by_hand(budgethouder: str) -> Decimal:
    """Sum of the copies after the first, straight from the raw file (independent of the code)."""
    with (SAMPLE / "declaraties.csv").open(encoding="cp1252", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter=";") if r["budgethouder_id"] == budgethouder]
    groups = defaultdict(list)
    for r in rows:
        groups[(r["zorgverlener_id"], r["product_code"], r["datum_van"], r["datum_tot"], r["aantal"],
                r["bedrag"])].append(r)
    return sum((nl_amount(r["bedrag"]) * (len(g) - 1) for g in groups.values() for r in g[:1]), Decimal(0))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    a = audit(SAMPLE, peildatum=date(2025, 12, 31))
    out = tmp_path_factory.mktemp("out")
    write_outputs(a, out)
    return a, out, pl.read_csv(out / "opschorting_voorstellen.csv", infer_schema=False)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_below_drempel_gives_no_proposal(run):
    a, _, props = run
    # 2100338 declared a line of 54,00 (09-01-2025) twice and one of 54,00 (10-07-2025) three
    # times: 54,00 + 2 x 54,00 = 162,00
    assert dubbel_euros_by_hand("2100338") == Decimal("162.00")
    f = a.result.findings.filter(pl.col("budgethouder_id") == "2100338")
    assert f["check"].unique().to_list() == ["DUBBEL"]
    assert int(f["financieel_effect_ct"].sum()) == 16200
    assert "2100338" not in props["budgethouder_id"].to_list()      # 162,00 < 500,00


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_altijd_check_gives_partial_proposal_with_window_and_grounds(run):
    _, out, props = run
    p = props.filter(pl.col("budgethouder_id") == "2100351").row(0, named=True)
    assert (p["omvang"], p["zorgverlener_id"], p["checks"]) == ("gedeeltelijk", "ZV00026", "ONMOGELIJKE-UREN")
    assert (p["ingangsdatum"], p["einddatum"], p["weken"]) == ("2026-01-01", "2026-04-01", "13")
    assert p["grondslag"] == ("art. 8.3 Verordening jeugdhulp Losser 2025; art. 8.1.4 lid 1 sub a Jeugdwet "
                              "(ONMOGELIJKE-UREN: a)")
    letter = (out / "brieven" / "opschorting_2100351.html").read_text(encoding="utf-8")
    for needed in ("2100351", "ZV00026", "01-01-2026", "01-04-2026", "13 weken", "art. 8.3", "sub a",
                   "art. 8b lid 4 sub f Regeling Jeugdwet", "onderzoekt de gemeente", "CONCEPT", "€ 263,67"):
        assert needed in letter, needed


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_every_proposal_has_the_13_week_window_and_a_letter(run):
    _, out, props = run
    assert props.height > 5
    assert set(props["ingangsdatum"]) == {"2026-01-01"} and set(props["einddatum"]) == {"2026-04-01"}
    assert (date(2026, 4, 1) - date(2026, 1, 1)).days + 1 == 7 * 13
    for row in props.iter_rows(named=True):
        assert (row["zorgverlener_id"] is None) == (row["omvang"] == "geheel")
        assert (out / "brieven" / f"opschorting_{row['budgethouder_id']}.html").exists()
    assert len(list((out / "brieven").glob("*.html"))) == props.height
