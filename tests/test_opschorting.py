"""Opschorting proposals and their letters, checked against hand-computed values.

Losser 2025: [opschorting] max_weken = 13, drempel = 500.00, altijd = DUBBELROL,
ONMOGELIJKE-UREN; uitgesloten = BUDGET, AANWENDING, BETALING, NETWERK; OPSCHORTING = "art. 8.3
Verordening jeugdhulp Losser 2025". checks.md: signalen, example values, BETALING and NETWERK
never count. Peildatum of the builders: 2026-01-31. The window (Awb art. 4:56, Losser art. 8.3
lid 1: at most 13 weeks from the written notice) starts on the briefdatum: BRIEF, a week from
today (never in the past), and ends 7 x 13 - 1 = 90 days later, both ends included.
"""

from __future__ import annotations

import csv
import time
from datetime import date, timedelta

import pytest

import polars as pl

from auditor.findings import FINDING_SCHEMA
from auditor.write import write_outputs
from auditor import opschorting as ops
from auditor.errors import InvoerFout
from auditor.reports.letters import safe_name
from tests.builders import make_batch, run_batch

LOSSER_ART = "art. 8.3 Verordening jeugdhulp Losser 2025"
BRIEF = date.today() + timedelta(days=7)
EIND = BRIEF + timedelta(days=90)


def dubbel(bedrag: str, n: int, zv: str = "Z1", start: int = 1, dag: str = "2025-03-03") -> list[dict]:
    """n identical lines: n - 1 copies after the first, DUBBEL effect (n - 1) x bedrag."""
    return [{"declaratie_id": f"D{zv}{start + i}", "zorgverlener_id": zv, "bedrag": bedrag, "datum_van": dag}
            for i in range(n)]


def audit_dubbel(tmp_path, **tables):
    return run_batch(make_batch(tmp_path, **tables), checks=["DUBBEL"], briefdatum=BRIEF)


def test_exactly_at_drempel_gives_partial_proposal(tmp_path):
    # 3 lines of 250.00 at Z1: 2 copies x 250.00 = 500.00 = drempel exactly -> proposal
    a = audit_dubbel(tmp_path, declaraties=dubbel("250.00", 3))
    vs = a.opschorting.voorstellen
    assert len(vs) == 1
    v = vs[0]
    assert (v.budgethouder_id, v.zorgverlener_id, v.omvang) == ("B1", "Z1", "gedeeltelijk")
    assert v.financieel_effect_ct == 50000
    assert (v.ingangsdatum, v.einddatum, v.weken) == (BRIEF, EIND, 13)
    assert v.checks == ["DUBBEL"]
    assert v.redenen == ["drempel"]
    assert v.grondslag == f"{LOSSER_ART}; art. 8.1.4 lid 1 sub e Jeugdwet (DUBBEL: e)"


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
    assert rows == [("B1", "", "geheel", BRIEF.isoformat(), EIND.isoformat(), "13", "DUBBEL", "600.00",
                     f"{LOSSER_ART}; art. 8.1.4 lid 1 sub e Jeugdwet (DUBBEL: e)")]


def _with_findings(a, rows: list[dict], **kw):
    """Replace the audit's findings by a hand-made frame in the internal schema."""
    full = [{k: r.get(k) for k in FINDING_SCHEMA} | {"finding_id": r.get("finding_id", f"F{i}")}
            for i, r in enumerate(rows)]
    for r in full:
        r["declaratie_ids"] = r["declaratie_ids"] or []
        r["voorbeeldwaarde"] = "ja" if r["voorbeeldwaarde"] else "nee"
    a.result.findings = pl.DataFrame(full, schema={**FINDING_SCHEMA, "finding_id": pl.String})
    a.opschorting = ops.voorstellen(a.result.findings, a.ctx, a.peildatum, briefdatum=BRIEF, **kw)   # the stage
    return a


BASE = {"soort": "fout", "regeling_id": "losser-2025", "periode_van": date(2025, 3, 3),
        "periode_tot": date(2025, 3, 3), "budgethouder_id": "B1", "zorgverlener_id": "Z1"}


def _one_bh(tmp_path, rows, **kw):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    return _with_findings(a, [BASE | r for r in rows], **kw).opschorting.voorstellen


def test_betaling_only_gives_no_proposal(tmp_path):
    # a payment to a wrong IBAN of 1,000.00: the SVB's payment process, never the budgethouder's
    assert _one_bh(tmp_path, [{"check": "BETALING", "financieel_effect_ct": 100_000}]) == []


def test_weak_zzp_link_only_gives_no_proposal(tmp_path):
    # "1 van 4 kenmerken": a signaal, no euros, never grounds a proposal
    assert _one_bh(tmp_path, [{"check": "ZZP-LINK", "soort": "signaal", "financieel_effect_ct": 0}]) == []


def test_netwerk_only_gives_no_proposal(tmp_path):
    # a pattern across budgethouders, with euros at stake: never grounds a proposal, whatever its soort
    assert _one_bh(tmp_path, [{"check": "NETWERK", "soort": "signaal", "bedrag_betrokken_ct": 900_000},
                              {"check": "NETWERK", "soort": "onzekerheid", "financieel_effect_ct": 900_000}]) == []


def test_example_value_only_gives_no_proposal(tmp_path):
    # TARIEF 2,000.00 above a norm that rests on an example tariff of the regeling
    assert _one_bh(tmp_path, [{"check": "TARIEF", "financieel_effect_ct": 200_000, "voorbeeldwaarde": True}]) == []
    # the same finding on a real tariff does ground one (2,000.00 >= 500.00)
    (v,) = _one_bh(tmp_path, [{"check": "TARIEF", "financieel_effect_ct": 200_000, "voorbeeldwaarde": False}])
    assert (v.checks, v.financieel_effect_ct, v.redenen) == (["TARIEF"], 200_000, ["drempel"])


def test_example_value_does_not_add_to_the_drempel(tmp_path):
    # 300.00 real + 300.00 on an example tariff: only 300.00 counts, < 500.00
    assert _one_bh(tmp_path, [{"check": "TARIEF", "financieel_effect_ct": 30_000},
                              {"check": "KM", "financieel_effect_ct": 30_000, "voorbeeldwaarde": True}]) == []


def test_dubbelrol_below_drempel_gives_proposal(tmp_path):
    # 100.00 < 500.00, but DUBBELROL is in `altijd`: one fout suffices
    (v,) = _one_bh(tmp_path, [{"check": "DUBBELROL", "financieel_effect_ct": 10_000}])
    assert (v.checks, v.financieel_effect_ct, v.redenen, v.omvang) == (["DUBBELROL"], 10_000, ["altijd"], "gedeeltelijk")
    assert (v.ingangsdatum, v.einddatum) == (BRIEF, EIND)


def test_uitgesloten_and_signalen_do_not_count(tmp_path):
    a = audit_dubbel(tmp_path, budgethouders=[{}, {"budgethouder_id": "B2", "bsn": None}],
                     declaraties=dubbel("10.00", 1))
    _with_findings(a, [
        # B1: BUDGET 10,000.00 is excluded (beschikking); KM 0.01 alone is below the drempel
        BASE | {"check": "BUDGET", "toekenning_id": "T1", "zorgverlener_id": None, "financieel_effect_ct": 1_000_000},
        BASE | {"check": "KM", "financieel_effect_ct": 1},
        # B2: only an excluded finding and an AANWENDING signaal -> no proposal
        BASE | {"check": "BUDGET", "budgethouder_id": "B2", "financieel_effect_ct": 900_000},
        BASE | {"check": "AANWENDING", "soort": "signaal", "budgethouder_id": "B2", "financieel_effect_ct": 0},
    ])
    assert a.opschorting.voorstellen == []


def test_excluded_findings_hook(tmp_path):
    # a zaak judged onterecht/afgedaan (werkruimte) grounds no proposal: its finding_id is excluded
    rows = [{"check": "DUBBELROL", "financieel_effect_ct": 10_000, "finding_id": "Fzaak"}]
    assert len(_one_bh(tmp_path, rows)) == 1
    assert _one_bh(tmp_path, rows, uitgezonderd=pl.DataFrame({"finding_id": ["Fzaak"]})) == []


def test_briefdatum_rules():
    peil, vandaag = date(2025, 12, 31), date(2026, 3, 10)
    # default: today; never before the day after the peildatum
    assert ops.check_briefdatum(None, peil, vandaag) == vandaag
    assert ops.check_briefdatum(None, date(2026, 3, 10), vandaag) == date(2026, 3, 11)
    assert ops.check_briefdatum(date(2026, 3, 20), peil, vandaag) == date(2026, 3, 20)
    with pytest.raises(InvoerFout, match="in het verleden"):
        ops.check_briefdatum(date(2026, 3, 9), peil, vandaag)
    with pytest.raises(InvoerFout, match="niet na de peildatum"):
        ops.check_briefdatum(date(2026, 3, 12), date(2026, 3, 12), vandaag)


def test_window_follows_briefdatum_never_in_the_past(tmp_path):
    later = date.today() + timedelta(days=30)
    a = run_batch(make_batch(tmp_path, declaraties=dubbel("250.00", 3)), checks=["DUBBEL"], briefdatum=later)
    (v,) = a.opschorting.voorstellen
    assert (v.ingangsdatum, v.einddatum) == (later, later + timedelta(days=90))
    # without --briefdatum: today (the builders' peildatum 2026-01-31 lies in the past)
    b = run_batch(make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3)), checks=["DUBBEL"])
    (w,) = b.opschorting.voorstellen
    assert w.ingangsdatum == date.today() >= a.peildatum + timedelta(days=1)
    with pytest.raises(InvoerFout):
        run_batch(make_batch(tmp_path / "c", declaraties=dubbel("250.00", 3)), checks=["DUBBEL"],
                  briefdatum=date.today() - timedelta(days=1))


def test_3000_proposals_fast(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    rows = [BASE | {"check": c, "budgethouder_id": f"B{i}", "zorgverlener_id": f"Z{i % 7}",
                    "financieel_effect_ct": 30_000, "finding_id": f"F{i}{c}"}
            for i in range(3000) for c in ("DUBBEL", "TARIEF")]
    t = time.perf_counter()
    vs = _with_findings(a, rows).opschorting.voorstellen
    took = time.perf_counter() - t
    assert len(vs) == 3000 and all(v.financieel_effect_ct == 60_000 for v in vs)
    assert took < 3.0, took    # was 5 s with a loop per budgethouder (issue 19)


def test_finding_without_zorgverlener_makes_it_whole(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    base = {"soort": "fout", "regeling_id": "losser-2025", "budgethouder_id": "B1"}
    _with_findings(a, [base | {"check": "OVERSCHRIJDING", "toekenning_id": "T1", "financieel_effect_ct": 40_000},
                       base | {"check": "DUBBEL", "zorgverlener_id": "Z1", "financieel_effect_ct": 10_000}])
    (v,) = a.opschorting.voorstellen
    # 400.00 + 100.00 = 500.00 >= drempel; OVERSCHRIJDING (d) names no zorgverlener -> geheel
    assert (v.omvang, v.financieel_effect_ct, v.checks) == ("geheel", 50_000, ["OVERSCHRIJDING", "DUBBEL"])
    assert v.grondslag == f"{LOSSER_ART}; art. 8.1.4 lid 1 sub d en e Jeugdwet (OVERSCHRIJDING: d; DUBBEL: e)"


def test_window_never_longer_than_max_weken():
    start, eind = ops.window(date(2026, 1, 1), 13)
    assert start == date(2026, 1, 1)
    assert (eind - start).days + 1 == 91 and eind == date(2026, 4, 1)   # Jan 31 + Feb 28 + Mar 31 = 90; +1 = Apr 1


def test_csv_and_letters_written(tmp_path):
    hostile = "<b>Jan</b> & =SOM(A1)"
    a = run_batch(make_batch(tmp_path, budgethouders=[{"budgethouder_id": "B/../1", "naam": hostile}],
                             relaties=[{"budgethouder_id": "B/../1"}], toekenningen=[{"budgethouder_id": "B/../1"}],
                             zorgovereenkomsten=[{"budgethouder_id": "B/../1"}],
                             declaraties=[dict(r, budgethouder_id="B/../1") for r in dubbel("250.00", 3)]),
                  checks=["DUBBEL"], briefdatum=BRIEF)
    a.toon_namen = True   # names shown, so their escaping is what is tested
    out = tmp_path / "out"
    written = write_outputs(a, out)
    with (out / "opschorting_voorstellen.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ops.CSV_COLUMNS
    assert rows[1] == ["B/../1", "Z1", "gedeeltelijk", BRIEF.isoformat(), EIND.isoformat(), "13", "DUBBEL", "500.00",
                       f"{LOSSER_ART}; art. 8.1.4 lid 1 sub e Jeugdwet (DUBBEL: e)"]
    letters = sorted((out / "brieven").iterdir())
    assert [p.name for p in letters] == ["kennisgeving_B____1.docx", "kennisgeving_B____1.html",
                                         "verzoek_svb_B____1.docx", "verzoek_svb_B____1.html"]
    assert all(p in written for p in letters)
    html = (out / "brieven" / "verzoek_svb_B____1.html").read_text(encoding="utf-8")
    for needed in ("CONCEPT", "Sociale Verzekeringsbank", "B/../1", "Zorg Oost B.V.", BRIEF.strftime("%d-%m-%Y"),
                   EIND.strftime("%d-%m-%Y"), "13 weken", "Artikel 8.3, eerste lid, van de Verordening jeugdhulp "
                   "Losser 2025", "artikel 8.3, derde lid", "artikel 8.1.4, eerste lid, van de Jeugdwet",
                   "artikel 8b, vierde lid, onder f, van de Regeling Jeugdwet", "€ 500,00", "€ 250,00", "@page",
                   "*****2333", "medewerker", "Dubbel gedeclareerd"):
        assert needed in html, needed
    assert "111222333" not in html                      # BSN masked
    assert "<b>Jan</b>" not in html and "&lt;b&gt;Jan&lt;/b&gt; &amp; =SOM(A1)" in html


def test_letter_shows_bsn_with_toon_bsn(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("250.00", 3))
    a.toon_bsn = True
    write_outputs(a, tmp_path / "out")
    assert "111222333" in (tmp_path / "out" / "brieven" / "verzoek_svb_B1.html").read_text(encoding="utf-8")


def test_empty_proposals_file_always_written(tmp_path):
    a = audit_dubbel(tmp_path, declaraties=dubbel("10.00", 1))
    write_outputs(a, tmp_path / "out")
    assert (tmp_path / "out" / "opschorting_voorstellen.csv").read_text(encoding="utf-8").strip() == ",".join(ops.CSV_COLUMNS)
    assert not (tmp_path / "out" / "brieven").exists() or not any((tmp_path / "out" / "brieven").iterdir())


def test_safe_name_collision():
    taken: set[str] = set()
    a, b = safe_name("B/1", taken), safe_name("B_1", taken)
    assert (a, b) == ("verzoek_svb_B_1", "verzoek_svb_B_1_2")
    assert safe_name("B/1", taken, "kennisgeving") == "kennisgeving_B_1"
