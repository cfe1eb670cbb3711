"""Opschorting proposals and their letters, checked against hand-computed values.

Losser 2025: [opschorting] max_weken = 13, drempel = 500.00, altijd = DUBBELROL,
ONMOGELIJKE-UREN, NETWERK, BETALING; uitgesloten = BUDGET, AANWENDING; grondslag DUBBEL = a,
BETALING = e; OPSCHORTING = "art. 8.3 Verordening jeugdhulp Losser 2025".
Peildatum of the builders: 2026-01-31, so ingangsdatum = 2026-02-01 and
einddatum = 2026-02-01 + (7 x 13 - 1 = 90) days = 2026-05-02
(Feb 1 + 27 = Feb 28, + 31 = Mar 31, + 30 = Apr 30, + 2 = May 2: 27 + 1 + 30 + 30 + 2 = 90).
"""

from __future__ import annotations

import csv
from datetime import date

import polars as pl

from auditor.findings import FINDING_SCHEMA
from auditor.write import write_outputs
from auditor import opschorting as ops
from auditor.reports.letters import safe_name
from tests.builders import make_batch, run_batch

LOSSER_ART = "art. 8.3 Verordening jeugdhulp Losser 2025"


def dubbel(bedrag: str, n: int, zv: str = "Z1", start: int = 1, dag: str = "2025-03-03") -> list[dict]:
    """n identical lines: n - 1 copies after the first, DUBBEL effect (n - 1) x bedrag."""
    return [{"declaratie_id": f"D{zv}{start + i}", "zorgverlener_id": zv, "bedrag": bedrag, "datum_van": dag}
            for i in range(n)]


def audit_dubbel(tmp_path, **tables):
    return run_batch(make_batch(tmp_path, **tables), checks=["DUBBEL"])


def test_exactly_at_drempel_gives_partial_proposal(tmp_path):
    # 3 lines of 250.00 at Z1: 2 copies x 250.00 = 500.00 = drempel exactly -> proposal
    a = audit_dubbel(tmp_path, declaraties=dubbel("250.00", 3))
    vs = a.opschorting.voorstellen
    assert len(vs) == 1
    v = vs[0]
    assert (v.budgethouder_id, v.zorgverlener_id, v.omvang) == ("B1", "Z1", "gedeeltelijk")
    assert v.financieel_effect_ct == 50000
    assert (v.ingangsdatum, v.einddatum, v.weken) == (date(2026, 2, 1), date(2026, 5, 2), 13)
    assert v.checks == ["DUBBEL"]
    assert v.redenen == ["drempel"]
    assert v.grondslag == f"{LOSSER_ART}; art. 8.1.4 lid 1 sub a Jeugdwet (DUBBEL: a)"


def test_one_cent_below_drempel_gives_none(tmp_path):
    # 3 lines of 249.99: 2 x 249.99 = 499.98 < 500.00 and DUBBEL is not in `altijd`
    a = audit_dubbel(tmp_path, declaraties=dubbel("249.99", 3))
    assert a.opschorting.voorstellen == []


def test_two_zorgverleners_gives_whole_suspension(tmp_path):
    # Z1: 2 lines of 300.00 -> 300.00; Z2: 2 lines of 300.00 -> 300.00; together 600.00 >= 500.00
    zv2 = {"zorgverlener_id": "Z2", "naam": "Zorg West B.V.", "kvk_nummer": "87654321", "iban": "NL39RABO0300065264"}
    a = audit_dubbel(tmp_path, zorgverleners=[{}, zv2],
                     declaraties=dubbel("300.00", 2, "Z1") + dubbel("300.00", 2, "Z2"))
    (v,) = a.opschorting.voorstellen
    assert (v.omvang, v.zorgverlener_id, v.financieel_effect_ct) == ("geheel", None, 60000)
    rows = ops.csv_frame([v]).rows()
    assert rows == [("B1", "", "geheel", "2026-02-01", "2026-05-02", "13", "DUBBEL", "600.00",
                     f"{LOSSER_ART}; art. 8.1.4 lid 1 sub a Jeugdwet (DUBBEL: a)")]


def _with_findings(a, rows: list[dict]):
    """Replace the audit's findings by a hand-made frame in the internal schema."""
    full = [{k: r.get(k) for k in FINDING_SCHEMA} | {"finding_id": f"F{i}"} for i, r in enumerate(rows)]
    for r in full:
        r["declaratie_ids"] = r["declaratie_ids"] or []
    a.result.findings = pl.DataFrame(full, schema={**FINDING_SCHEMA, "finding_id": pl.String})
    a.opschorting = ops.voorstellen(a.result.findings, a.ctx, a.peildatum)   # the stage over the new findings
    return a


def test_altijd_and_uitgesloten(tmp_path):
    a = audit_dubbel(tmp_path, budgethouders=[{}, {"budgethouder_id": "B2", "bsn": None}],
                     declaraties=dubbel("10.00", 1))
    base = {"soort": "fout", "regeling_id": "losser-2025", "periode_van": date(2025, 3, 3), "periode_tot": date(2025, 3, 3)}
    _with_findings(a, [
        # B1: BUDGET 10,000.00 is excluded (beschikking); BETALING 0.01 is in `altijd`
        base | {"check": "BUDGET", "budgethouder_id": "B1", "toekenning_id": "T1", "financieel_effect_ct": 1_000_000},
        base | {"check": "BETALING", "budgethouder_id": "B1", "zorgverlener_id": "Z1", "financieel_effect_ct": 1},
        # B2: only an excluded finding (and AANWENDING signaal) -> no proposal
        base | {"check": "BUDGET", "budgethouder_id": "B2", "financieel_effect_ct": 900_000},
        base | {"check": "AANWENDING", "soort": "signaal", "budgethouder_id": "B2", "financieel_effect_ct": 0},
    ])
    (v,) = a.opschorting.voorstellen
    assert v.budgethouder_id == "B1"
    assert v.checks == ["BETALING"]                       # BUDGET not among the grounds
    assert v.financieel_effect_ct == 1                    # only the eligible euros
    assert (v.omvang, v.zorgverlener_id) == ("gedeeltelijk", "Z1")
    assert v.redenen == ["altijd"]
    assert v.grondslag == f"{LOSSER_ART}; art. 8.1.4 lid 1 sub e Jeugdwet (BETALING: e)"


def test_finding_without_zorgverlener_makes_it_whole(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    base = {"soort": "fout", "regeling_id": "losser-2025", "budgethouder_id": "B1"}
    _with_findings(a, [base | {"check": "OVERSCHRIJDING", "toekenning_id": "T1", "financieel_effect_ct": 40_000},
                       base | {"check": "DUBBEL", "zorgverlener_id": "Z1", "financieel_effect_ct": 10_000}])
    (v,) = a.opschorting.voorstellen
    # 400.00 + 100.00 = 500.00 >= drempel; OVERSCHRIJDING (d) names no zorgverlener -> geheel
    assert (v.omvang, v.financieel_effect_ct, v.checks) == ("geheel", 50_000, ["OVERSCHRIJDING", "DUBBEL"])
    assert v.grondslag == f"{LOSSER_ART}; art. 8.1.4 lid 1 sub a en d Jeugdwet (OVERSCHRIJDING: d; DUBBEL: a)"


def test_window_never_longer_than_max_weken():
    start, eind = ops.window(date(2025, 12, 31), 13)
    assert start == date(2026, 1, 1)
    assert (eind - start).days + 1 == 91 and eind == date(2026, 4, 1)   # Jan 31 + Feb 28 + Mar 31 = 90; +1 = Apr 1


def test_csv_and_letters_written(tmp_path):
    hostile = "<b>Jan</b> & =SOM(A1)"
    a = run_batch(make_batch(tmp_path, budgethouders=[{"budgethouder_id": "B/../1", "naam": hostile}],
                             relaties=[{"budgethouder_id": "B/../1"}], toekenningen=[{"budgethouder_id": "B/../1"}],
                             zorgovereenkomsten=[{"budgethouder_id": "B/../1"}],
                             declaraties=[dict(r, budgethouder_id="B/../1") for r in dubbel("250.00", 3)]),
                  checks=["DUBBEL"])
    a.toon_namen = True   # names shown, so their escaping is what is tested
    out = tmp_path / "out"
    written = write_outputs(a, out)
    with (out / "opschorting_voorstellen.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ops.CSV_COLUMNS
    assert rows[1] == ["B/../1", "Z1", "gedeeltelijk", "2026-02-01", "2026-05-02", "13", "DUBBEL", "500.00",
                       f"{LOSSER_ART}; art. 8.1.4 lid 1 sub a Jeugdwet (DUBBEL: a)"]
    letters = sorted((out / "brieven").iterdir())
    assert [p.name for p in letters] == ["opschorting_B____1.html"]
    assert letters[0] in written
    html = letters[0].read_text(encoding="utf-8")
    for needed in ("CONCEPT", "Sociale Verzekeringsbank", "B/../1", "Zorg Oost B.V.", "01-02-2026", "02-05-2026",
                   "13 weken", LOSSER_ART, "art. 8.3 lid 3", "art. 8.1.4 lid 1 sub a Jeugdwet",
                   "art. 8b lid 4 sub f Regeling Jeugdwet", "€ 500,00", "€ 250,00", "@page", "*****2333",
                   "medewerker"):
        assert needed in html, needed
    assert "111222333" not in html                      # BSN masked
    assert "<b>Jan</b>" not in html and "&lt;b&gt;Jan&lt;/b&gt; &amp; =SOM(A1)" in html


def test_letter_shows_bsn_with_toon_bsn(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("250.00", 3))
    a.toon_bsn = True
    write_outputs(a, tmp_path / "out")
    (brief,) = (tmp_path / "out" / "brieven").iterdir()
    assert "111222333" in brief.read_text(encoding="utf-8")


def test_empty_proposals_file_always_written(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    write_outputs(a, tmp_path / "out")
    assert (tmp_path / "out" / "opschorting_voorstellen.csv").read_text(encoding="utf-8").strip() == ",".join(ops.CSV_COLUMNS)
    assert not (tmp_path / "out" / "brieven").exists() or not any((tmp_path / "out" / "brieven").iterdir())


def test_safe_name_collision():
    taken: set[str] = set()
    a, b = safe_name("B/1", taken), safe_name("B_1", taken)
    assert a == "opschorting_B_1.html" and b.startswith("opschorting_B_1_") and a != b
