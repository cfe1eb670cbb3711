"""Opschorting proposals and letters for the bundled Losser sample, checked by hand.

Peildatum 31-12-2025; the letters are dated BRIEF (a week from today: a briefdatum is never in
the past), so every window is BRIEF up to and including BRIEF + 7 x 13 - 1 = 90 days (Awb art.
4:56: the term runs from the written notice). Losser's drempel is 500,00 and DUBBEL is not among the
checks that always ground a proposal; ONMOGELIJKE-UREN is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from auditor.write import write_outputs
from auditor.pipeline import audit

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "losser-2025"
BRIEF = date.today() + timedelta(days=7)
EIND = BRIEF + timedelta(days=90)


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
    a = audit(SAMPLE, peildatum=date(2025, 12, 31), briefdatum=BRIEF)
    out = tmp_path_factory.mktemp("out")
    write_outputs(a, out)
    return a, out, pl.read_csv(out / "opschorting_voorstellen.csv", infer_schema=False)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_below_drempel_gives_no_proposal(run):
    a, _, props = run
    # 2100208 declared a line of 77,25 (03-01-2025) twice and one of 103,00 (27-06-2025) three
    # times: 77,25 + 2 x 103,00 = 283,25
    assert dubbel_euros_by_hand("2100208") == Decimal("283.25")
    f = a.result.findings.filter(pl.col("budgethouder_id") == "2100208")
    assert f["check"].unique().to_list() == ["DUBBEL"]
    assert int(f["financieel_effect_ct"].sum()) == 28325
    assert "2100208" not in props["budgethouder_id"].to_list()      # 283,25 < 500,00


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_altijd_check_gives_partial_proposal_with_window_and_grounds(run):
    _, out, props = run
    p = props.filter(pl.col("budgethouder_id") == "2100224").row(0, named=True)
    assert (p["omvang"], p["zorgverlener_id"], p["checks"]) == ("gedeeltelijk", "ZV00029", "ONMOGELIJKE-UREN")
    assert (p["ingangsdatum"], p["einddatum"], p["weken"]) == (BRIEF.isoformat(), EIND.isoformat(), "13")
    assert p["grondslag"] == ("art. 8.3 Verordening jeugdhulp Losser 2025; art. 8.1.4 lid 1 sub e Jeugdwet "
                              "(ONMOGELIJKE-UREN: e)")
    letter = (out / "brieven" / "verzoek_svb_2100224.html").read_text(encoding="utf-8")
    for needed in ("2100224", BRIEF.strftime("%d-%m-%Y"), EIND.strftime("%d-%m-%Y"), "13 weken",
                   "Artikel 8.3, eerste lid, van de Verordening jeugdhulp Losser 2025",
                   "artikel 8.3, derde lid, van de Verordening jeugdhulp Losser 2025",
                   "artikel 8b, vierde lid, onder f, van de Regeling Jeugdwet", "verzoekt de Sociale Verzekeringsbank",
                   "CONCEPT", "€ 216,67", "Onmogelijk veel uren op een dag"):
        assert needed in letter, needed
    assert "ZV00029" not in letter and "ONMOGELIJKE-UREN" not in letter   # no ids or codes in a letter


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_every_proposal_has_the_13_week_window_and_a_letter(run):
    _, out, props = run
    assert props.height > 5
    assert set(props["ingangsdatum"]) == {BRIEF.isoformat()} and set(props["einddatum"]) == {EIND.isoformat()}
    assert (EIND - BRIEF).days + 1 == 7 * 13
    for row in props.iter_rows(named=True):
        assert (row["zorgverlener_id"] is None) == (row["omvang"] == "geheel")
        for kind in ("verzoek_svb", "kennisgeving"):
            for suffix in (".html", ".docx"):
                assert (out / "brieven" / f"{kind}_{row['budgethouder_id']}{suffix}").exists()
    assert len(list((out / "brieven").glob("*.html"))) == 2 * props.height
