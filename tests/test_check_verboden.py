"""VERBODEN: what tests/cases/VERBODEN.yml cannot say: precision and recall over the description
table tests/cases/verboden.csv, and the Matcher's own behaviour (drempel, compound words)."""

from __future__ import annotations

import csv
from pathlib import Path

from auditor.regeling import vind_regeling
from checks.verboden import DREMPEL, Matcher
from tests.builders import run_check

CASES = Path(__file__).parent / "cases" / "verboden.csv"


def _cases() -> list[dict]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_case_table_precision_and_recall(tmp_path):
    cases = _cases()
    assert len(cases) >= 30
    rows = [{"declaratie_id": f"D{i:03d}", "omschrijving": c["omschrijving"], "datum_van": "2025-03-03"}
            for i, c in enumerate(cases)]
    findings, nt, _ = run_check(tmp_path, "VERBODEN", declaraties=rows)
    assert nt.height == 0
    gevonden = {ids[0]: det for ids, det in zip(findings["declaratie_ids"].to_list(), findings["details"].to_list())}
    tp = fp = fn = 0
    fout_cat = []
    for row, c in zip(rows, cases):
        verwacht = c["verboden"] == "ja"
        hit = row["declaratie_id"] in gevonden
        tp += verwacht and hit
        fp += (not verwacht) and hit
        fn += verwacht and not hit
        if verwacht and hit and f"categorie={c['categorie']};" not in gevonden[row["declaratie_id"]]:
            fout_cat.append((c["omschrijving"], gevonden[row["declaratie_id"]]))
        if verwacht != hit:
            print("MIS:", c["omschrijving"], "verwacht", c["verboden"], "gevonden", gevonden.get(row["declaratie_id"]))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"VERBODEN op {len(cases)} omschrijvingen: precision {precision:.0%}, recall {recall:.0%} "
          f"(tp={tp}, fp={fp}, fn={fn})")
    assert fout_cat == []
    assert precision == 1.0
    assert recall == 1.0


def test_drempel_is_a_parameter():
    r = vind_regeling("losser-2025")
    # 'contrbutie' vs 'contributie': one letter short in 11 -> 1 - 1/11 = 90,9%
    assert Matcher(r.data["verboden_bestedingen"]).match("Contrbutie vereniging") == ("contributie", "contributie", 91)
    assert DREMPEL == 0.85
    assert Matcher(r.data["verboden_bestedingen"], drempel=0.95).match("Contrbutie vereniging") is None


def test_unknown_words_stay_whole():
    m = Matcher({"administratie": ["pgb-administratie", "administratiekosten"]})
    assert m.match("schooladministratie") is None
    assert m.match("kosten van de administratie") == ("administratie", "administratiekosten", 100)
    # term words must be near each other: 'kosten' four content words away from 'administratie'
    assert m.match("kosten begeleiding zwemmen vervoer administratie") is None
