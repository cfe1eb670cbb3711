"""Rechtmatigheid as a controller reports it, budgetconfirmatie (BADO B) and uitnutting (BADO C)
on hand-made batches (outputs.md "Rechtmatigheid", sampling.md "The BADO controls").

Default lines (tests/builders.py): 2 uur x 58,14 = 116,28 under toekenning T1 (jeugdwet,
11.628,00 over 2025); Losser 2025's norm for 45A48 is 0,85 x 68,40 = 58,14 per uur.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import openpyxl
import polars as pl
from click.testing import CliRunner

from auditor import budgetconfirmatie, rechtmatigheid, uitnutting
from auditor.samples import genereer
from auditor.cli import main
from auditor.reports import aansluiting
from auditor.write import write_outputs
from tests.builders import make_batch, run_batch

BET = [{"declaratie_id": "D1"}, {"declaratie_id": "D2"}, {"declaratie_id": "D3"}]


def _outputs(a, tmp_path):
    out = tmp_path / "out"
    write_outputs(a, out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))["rechtmatigheid"]
    html = (out / "rapport.html").read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(out / "rapport.xlsx", read_only=True)
    sheet = [[c for c in row] for row in wb["Rechtmatigheid"].iter_rows(values_only=True)]
    with (out / "rechtmatigheid.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return out, run, html, sheet, rows


def test_dubbel_plus_overschrijding_counts_the_copy_once(tmp_path):
    # T1 budget 232,56 (2 x 116,28); three lines of 116,28, D3 a copy of D2 (same day, zorgverlener,
    # bedrag). DUBBEL: D3 = 116,28. OVERSCHRIJDING: 3 x 116,28 - 232,56 = 116,28, on the latest line
    # (10-03, D3 before D2 by declaratie_id descending): D3 = 116,28. Per line the largest fout:
    # D3 = 116,28 once; D1, D2 nothing. Counting both would give 232,56 (and pro rata 116,28 + 38,76 x 2).
    a = run_batch(make_batch(tmp_path, toekenningen=[{"budget": "232.56", "omvang": "4"}], declaraties=[
        {"declaratie_id": "D1", "datum_van": "2025-03-03"}, {"declaratie_id": "D2", "datum_van": "2025-03-10"},
        {"declaratie_id": "D3", "datum_van": "2025-03-10"}], betalingen=BET), checks=["DUBBEL", "OVERSCHRIJDING"])
    assert set(a.result.findings["check"].cast(pl.String)) == {"DUBBEL", "OVERSCHRIJDING"}
    r = rechtmatigheid.bereken(a)
    assert r.fouten_ct == 11628
    assert dict(r.regels.select("declaratie_id", "fout_ct").iter_rows()) == {"D1": 0, "D2": 0, "D3": 11628}
    assert r.som_fouten_ct == 23256          # findings.csv holds both findings in full
    assert r.basis == "betaald" and r.basis_ct == 34884


def test_overschrijding_excess_goes_to_the_latest_lines(tmp_path):
    # budget 150,00; lines D1 03-03, D2 10-03, D3 17-03 of 116,28: excess 348,84 - 150,00 = 198,84:
    # D3 116,28, then D2 82,56, D1 0 (not pro rata: 66,28 each).
    a = run_batch(make_batch(tmp_path, toekenningen=[{"budget": "150.00", "omvang": "3"}], declaraties=[
        {"declaratie_id": "D1", "datum_van": "2025-03-03"}, {"declaratie_id": "D2", "datum_van": "2025-03-10"},
        {"declaratie_id": "D3", "datum_van": "2025-03-17"}]), checks=["OVERSCHRIJDING"])
    assert int(a.result.findings["financieel_effect_ct"].sum()) == 19884
    r = rechtmatigheid.bereken(a)
    assert dict(r.regels.select("declaratie_id", "fout_ct").iter_rows()) == {"D1": 0, "D2": 8256, "D3": 11628}


def test_fouten_hand_computed_and_reconciled(tmp_path):
    # D1, D2: 2 uur x 70,00 = 140,00; TARIEF on each 140,00 - 2 x 58,14 = 23,72; DUBBEL on the copy
    # D2: 140,00. Per line: D1 23,72; D2 max(23,72; 140,00) = 140,00: fouten 163,72 of 280,00.
    a = run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "tarief": "70.00", "bedrag": "140.00"},
        {"declaratie_id": "D2", "tarief": "70.00", "bedrag": "140.00"}],
        betalingen=[{"declaratie_id": "D1", "bedrag": "140.00"}, {"declaratie_id": "D2", "bedrag": "140.00"},
                    {"declaratie_id": None, "bedrag": "10.00"}]), checks=["TARIEF", "DUBBEL"])
    out, run, html, sheet, rows = _outputs(a, tmp_path)
    assert run["fouten"] == "163.72" and run["onzekerheden"] == "0.00" and run["niet_getoetst"] == "0.00"
    # the base: 290,00 paid, of which 10,00 without a declaration; 280,00 declared
    assert run["basis"] == "betaald" and run["basis_bedrag"] == "290.00" and run["gedeclareerd"] == "280.00"
    assert run["betaald_buiten_regels"] == "10.00"
    assert rows == [{"budgethouder_id": "B1", "wet": "jeugdwet", "jaar": "2025", "betaald": "280.00",
                     "gedeclareerd": "280.00", "fouten": "163.72", "onzekerheden": "0.00", "niet_getoetst": "0.00"}]
    # reconciles with findings.csv: per check and soort the plain sums are the file's
    with (out / "findings.csv").open(encoding="utf-8") as fh:
        fcsv = list(csv.DictReader(fh))
    per_csv: dict = {}
    for x in fcsv:
        per_csv[(x["check"], x["soort"])] = per_csv.get((x["check"], x["soort"]), Decimal(0)) + Decimal(x["financieel_effect"])
    r = rechtmatigheid.bereken(a)
    assert {(x["check"], x["soort"]): Decimal(x["effect_ct"]) / 100 for x in r.per_check.iter_rows(named=True)} == per_csv
    assert sum(per_csv.values()) == Decimal("187.44") and r.fouten_ct <= r.som_fouten_ct
    # ... and with the aansluiting: declared and paid are the same totals
    aan = aansluiting.bereken(a)
    assert r.gedeclareerd_ct == aan.gedeclareerd_ct == 28000 and r.betaald_ct == aan.betaald_ct == 29000
    assert sum(Decimal(x["betaald"]) for x in rows) + Decimal(run["betaald_buiten_regels"]) == Decimal(run["basis_bedrag"])
    assert "€ 163,72" in html


def test_onzekerheden_hand_computed(tmp_path):
    # VAST-MAANDBEDRAG (b): 20 uur / 1.162,80 in March (2 lines of 581,40), April, May: one onzekerheid
    # of 3 x 1.162,80 = 3.488,40, pro rata over its lines (581,40 + 581,40 + 1.162,80 + 1.162,80).
    a = run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "datum_van": "2025-03-03", "datum_tot": "2025-03-14", "aantal": "10", "bedrag": "581.40"},
        {"declaratie_id": "D2", "datum_van": "2025-03-17", "datum_tot": "2025-03-28", "aantal": "10", "bedrag": "581.40"},
        {"declaratie_id": "D3", "datum_van": "2025-04-01", "datum_tot": "2025-04-30", "aantal": "20", "bedrag": "1162.80"},
        {"declaratie_id": "D4", "datum_van": "2025-05-01", "datum_tot": "2025-05-30", "aantal": "20", "bedrag": "1162.80"}]),
        checks=["VAST-MAANDBEDRAG"])
    r = rechtmatigheid.bereken(a)
    assert r.onzekerheden_ct == 348840 and r.fouten_ct == 0
    assert dict(r.regels.select("declaratie_id", "onzekerheid_ct").iter_rows()) == {
        "D1": 58140, "D2": 58140, "D3": 116280, "D4": 116280}


def test_niet_getoetst_hand_computed_and_onvolledig(tmp_path):
    # D1 without omschrijving: VERBODEN cannot judge it; 2 x 70,00 = 140,00 with TARIEF 23,72:
    # niet getoetst = 140,00 - 23,72 = 116,28. D2 has an omschrijving: judged (no finding).
    a = run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "tarief": "70.00", "bedrag": "140.00", "omschrijving": None},
        {"declaratie_id": "D2", "datum_van": "2025-03-04"}],
        betalingen=[{"declaratie_id": "D1"}, {"declaratie_id": "D2"}],
        budgetten=[{"toekenning_id": "T1"}]), checks=["TARIEF", "VERBODEN"])
    r = rechtmatigheid.bereken(a)
    assert r.fouten_ct == 2372 and r.niet_getoetst_ct == 11628
    assert r.niet_getoetst.row(0, named=True) == {"check": "VERBODEN", "reden": "geen omschrijving", "regels": 1,
                                                  "bedrag_ct": 14000}
    out, run, html, sheet, rows = _outputs(a, tmp_path)
    assert run["niet_getoetst"] == "116.28" and run["onvolledig"] is True
    assert any(x.startswith("niet getoetst: 116,28 euro") for x in run["ontbreekt"])
    assert "niet getoetst: 116,28 euro" in html and "Onvolledig" in html
    assert "ONVOLLEDIG" in sheet[1][9] and "niet getoetst: 116,28 euro" in sheet[1][9]


def test_controles_tarief_is_onvolledig_and_no_verdict_without_totale_lasten(tmp_path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}], betalingen=[{"declaratie_id": "D1"}],
                       budgetten=[{"toekenning_id": "T1"}])
    res = CliRunner().invoke(main, ["run", str(batch), "--out", str(tmp_path / "out"), "--peildatum", "2025-12-31",
                                    "--controles", "TARIEF", "--stil"])
    assert res.exit_code == 0, res.output
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["rechtmatigheid"]
    assert run["onvolledig"] is True and run["oordeel"] is None and run["totale_lasten"] is None
    assert len(run["ontbreekt"]) == 1 and run["ontbreekt"][0].startswith("controles niet uitgevoerd: AFSPRAAK, BUDGET")
    html = (tmp_path / "out" / "rapport.html").read_text(encoding="utf-8")
    assert "controles niet uitgevoerd: AFSPRAAK, BUDGET" in html and "Geen oordeel" in html
    assert "binnen de verantwoordingsgrens" not in html
    wb = openpyxl.load_workbook(tmp_path / "out" / "rapport.xlsx", read_only=True)
    status = [r for r in wb["Rechtmatigheid"].iter_rows(values_only=True)][1]
    assert status[0] == "Status" and "ONVOLLEDIG: controles niet uitgevoerd: AFSPRAAK, BUDGET" in status[9]


def test_without_betalingen_the_base_is_declared_and_onvolledig(tmp_path):
    a = run_batch(make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}], budgetten=[{"toekenning_id": "T1"}]),
                  checks=["TARIEF"])
    out, run, html, sheet, rows = _outputs(a, tmp_path)
    assert run["basis"] == "gedeclareerd" and run["basis_bedrag"] == "116.28"
    assert any(x.startswith("tabel betalingen ontbreekt") for x in run["ontbreekt"]) and run["onvolledig"]
    assert "tabel betalingen ontbreekt" in html and "er is geen tabel betalingen" in html
    assert "tabel betalingen ontbreekt" in sheet[1][9]


def test_verdict_with_totale_lasten_and_rapporteringsgrens(tmp_path):
    # fouten 163,72 (see above). Totale lasten 5.000,00 x 3% = 150,00 < 163,72: boven;
    # 5.457,40 x 3% = 163,722 -> 163,72: binnen (at the grens is binnen); rapporteringsgrens 100,00 < 163,72.
    a = run_batch(make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1", "tarief": "70.00", "bedrag": "140.00"},
        {"declaratie_id": "D2", "tarief": "70.00", "bedrag": "140.00"}]), checks=["TARIEF", "DUBBEL"])
    r = rechtmatigheid.bereken(a)
    assert r.binnen is None and r.oordeel.startswith("geen oordeel")
    a.totale_lasten_ct, a.rapporteringsgrens_ct = 500000, 10000
    r = rechtmatigheid.bereken(a)
    assert r.grens_bedrag_ct == 15000 and r.binnen is False and r.boven_rapporteringsgrens is True
    a.totale_lasten_ct, a.rapporteringsgrens_ct = 545740, 16372
    r = rechtmatigheid.bereken(a)
    assert r.grens_bedrag_ct == 16372 and r.binnen is True and r.boven_rapporteringsgrens is False
    a.totale_lasten_ct = 545700                   # 163,71
    assert rechtmatigheid.bereken(a).binnen is False
    assert rechtmatigheid.run_json_deel(r)["oordeel"] == "binnen"


def test_cli_reads_amounts_and_share_with_comma_or_point(tmp_path):
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    for args, grens in ((["--verantwoordingsgrens", "0,02"], "0.02"), (["--verantwoordingsgrens", "2%"], "0.02"),
                        (["--verantwoordingsgrens", "0.03"], "0.03")):
        res = CliRunner().invoke(main, ["run", str(batch), "--out", str(tmp_path / "o"), "--controles", "TARIEF",
                                        "--totale-lasten", "1.250.000,50", "--rapporteringsgrens", "1000.5", "--stil",
                                        *args])
        assert res.exit_code == 0, res.output
        run = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))["rechtmatigheid"]
        assert run["totale_lasten"] == "1250000.50" and run["rapporteringsgrens"] == "1000.50"
        assert run["verantwoordingsgrens"] == grens and run["oordeel"] == "binnen"
    res = CliRunner().invoke(main, ["run", str(batch), "--out", str(tmp_path / "o"), "--verantwoordingsgrens", "3"])
    assert res.exit_code == 2 and "aandeel tussen 0 en 1" in res.output


def test_budgetconfirmatie_finds_difference_and_payment_above_svb_budget(tmp_path):
    # T1 granted 11.628,00, the SVB holds 200,00: difference -11.428,00. Paid D1 + D2 = 232,56 > 200,00:
    # 32,56 above the SVB's budget. T2 granted, no SVB budget; the SVB's budget X9 has no toekenning.
    a = run_batch(make_batch(
        tmp_path,
        toekenningen=[{"toekenning_id": "T1"}, {"toekenning_id": "T2", "product_code": "45A49", "budget": "500.00"}],
        declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "datum_van": "2025-03-04"}],
        betalingen=[{"declaratie_id": "D1"}, {"declaratie_id": "D2"}],
        budgetten=[{"toekenning_id": "T1", "budget": "200.00"}, {"toekenning_id": "X9", "budget": "75.00"}]),
        checks=["TARIEF"])
    b = budgetconfirmatie.bereken(a)
    got = {(x["toekenning_id"], x["soort"]): x["verschil_ct"] for x in b.verschillen.iter_rows(named=True)}
    assert got == {("T1", "bedrag"): -1142800, ("T1", "boven_svb"): 3256, ("T2", "geen_svb"): -50000,
                   ("X9", "geen_toekenning"): 7500}
    out, run, html, sheet, rows = _outputs(a, tmp_path)
    assert "de SVB betaalde meer dan het budget dat zij aanhoudt" in html
    wb = openpyxl.load_workbook(out / "rapport.xlsx", read_only=True)
    bc = list(wb["Budgetconfirmatie"].iter_rows(values_only=True))
    assert any(r[1] == "T1" and r[6] == "boven_svb" and round(r[5], 2) == 32.56 for r in bc[1:])


def test_budgetconfirmatie_near_miss_and_without_table(tmp_path):
    # the SVB holds exactly what was granted, for the same period; paid 116,28 <= 11.628,00: no difference
    # two rows without toekenning_id (matched by budgethouder, product and ingangsdatum): one is T1's
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}], betalingen=[{"declaratie_id": "D1"}])
    (batch / "budgetten.csv").write_text(
        "budgethouder_id,toekenning_id,product_code,budget,ingangsdatum,einddatum\n"
        "B1,,45A48,11628.00,2025-01-01,2025-12-31\n"
        "B1,,45A49,50.00,2025-01-01,2025-12-31\n", encoding="utf-8")
    a = run_batch(batch, checks=["TARIEF"])
    b = budgetconfirmatie.bereken(a)
    assert b.aanwezig
    assert b.verschillen.select("toekenning_id", "soort", "verschil_ct").rows() == [(None, "geen_toekenning", 5000)]
    a = run_batch(make_batch(tmp_path / "zonder", declaraties=[{"declaratie_id": "D1"}]), checks=["TARIEF"])
    assert not budgetconfirmatie.bereken(a).aanwezig
    assert any(x.startswith("tabel budgetten ontbreekt") for x in rechtmatigheid.bereken(a).ontbreekt)


def test_uitnutting_lists_under_user_with_threshold(tmp_path):
    # T1: 11.628,00 over 2025, peildatum 31-12-2025: 100% of the period passed, 116,28 = 1,00% used.
    # T2: 1.000,00 from 01-07-2025 to 31-12-2026 (549 days), 184 days passed (33,5%), 900,00 used (90%):
    # 0,90 x 549 / 184 = 2,69 > 1,25: over-use.
    a = run_batch(make_batch(
        tmp_path,
        toekenningen=[{"toekenning_id": "T1"}, {"toekenning_id": "T2", "product_code": "45A49", "budget": "1000.00",
                                                "ingangsdatum": "2025-07-01", "einddatum": "2026-12-31"}],
        declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2", "toekenning_id": "T2", "product_code": "45A49",
                                               "datum_van": "2025-08-01", "aantal": "1", "tarief": "900.00",
                                               "bedrag": "900.00"}]),
        checks=["TARIEF"], peildatum=date(2025, 12, 31))
    u = uitnutting.bereken(a)
    assert dict(u.opvallend.select("toekenning_id", "oordeel").iter_rows()) == {"T1": "onderbenutting",
                                                                                 "T2": "overbenutting"}
    t2 = u.per_toekenning.filter(pl.col("toekenning_id") == "T2").row(0, named=True)
    assert (t2["dagen"], t2["verstreken"], t2["gebruikt_ct"]) == (549, 184, 90000)
    # near miss: 1,00% used against 100% passed is not below a threshold of exactly 1%
    a.uitnutting_onder = 0.01
    assert "T1" not in uitnutting.bereken(a).opvallend["toekenning_id"].to_list()


def test_budgetten_under_the_svb_words(tmp_path):
    # the SVB's own headers: klantnummer, budgetidentificatie, functiebudget; Dutch Excel flavour
    batch = make_batch(tmp_path, declaraties=[{"declaratie_id": "D1"}])
    (batch / "budgetten.csv").write_bytes(
        "\ufeffKlantnummer;Budgetidentificatie;Functiebudget;Ingangsdatum;Einddatum\r\n"
        "B1;T1;€ 11.000,00;01-01-2025;31-12-2025\r\n".encode("utf-8"))
    a = run_batch(batch, checks=["TARIEF"])
    b = budgetconfirmatie.bereken(a)
    assert b.verschillen.select("toekenning_id", "soort", "verschil_ct").rows() == [("T1", "bedrag", -62800)]


def test_planted_bado_cases_in_a_fresh_sample(tmp_path):
    genereer(tmp_path, budgethouders=20, seed=3, regeling="losser-2025", regels_per_budgethouder=20)
    truth = pl.read_csv(tmp_path / "bado_waarheid.csv", infer_schema=False)
    a = run_batch(tmp_path, checks=["TARIEF"], peildatum=date(2025, 12, 31))
    v = budgetconfirmatie.bereken(a).verschillen
    gevonden = set(v.select("toekenning_id", "soort").iter_rows())
    for tid, geval in truth.filter(pl.col("controle") == "budgetconfirmatie").select("toekenning_id", "geval").iter_rows():
        assert (tid, "bedrag") in gevonden                      # the SVB's budget differs from the gemeente's
        assert ((tid, "boven_svb") in gevonden) == (geval == "boven_svb")
    onder = truth.filter(pl.col("geval") == "onderbenutting")["toekenning_id"].to_list()
    assert len(onder) == 1
    u = uitnutting.bereken(a).opvallend
    assert u.filter(pl.col("toekenning_id") == onder[0])["oordeel"].to_list() == ["onderbenutting"]


def test_the_worked_example_of_docs_rechtmatigheid(tmp_path):
    """docs/rechtmatigheid.md, "Een uitgewerkt voorbeeld": every number of it."""
    a = run_batch(make_batch(
        tmp_path,
        toekenningen=[{"toekenning_id": "T1", "budget": "232.56", "omvang": "4"},
                      {"toekenning_id": "T2", "ingangsdatum": "2025-01-01"}],
        declaraties=[{"declaratie_id": "D1", "toekenning_id": "T1", "datum_van": "2025-03-03"},
                     {"declaratie_id": "D2", "toekenning_id": "T1", "datum_van": "2025-03-10"},
                     {"declaratie_id": "D3", "toekenning_id": "T1", "datum_van": "2025-03-10"},
                     {"declaratie_id": "D4", "toekenning_id": "T2", "datum_van": "2025-03-17", "tarief": "70.00",
                      "bedrag": "140.00", "omschrijving": None}],
        betalingen=BET), checks=["TARIEF", "DUBBEL", "OVERSCHRIJDING", "VERBODEN"])
    f = {(c, tuple(ids)): e for c, ids, e in a.result.findings.select(
        pl.col("check").cast(pl.String), "declaratie_ids", "financieel_effect_ct").iter_rows()}
    assert f == {("DUBBEL", ("D3",)): 11628, ("OVERSCHRIJDING", ("D1", "D2", "D3")): 11628, ("TARIEF", ("D4",)): 2372}
    r = rechtmatigheid.bereken(a)
    assert r.som_fouten_ct == 25628
    assert r.per_groep.rows() == [("B1", "jeugdwet", 2025, 34884, 48884, 14000, 0, 11628)]
    assert r.basis_ct == 34884 and r.aandeel(r.fouten_ct).quantize(Decimal("0.0001")) == Decimal("0.4013")
    a.totale_lasten_ct, a.rapporteringsgrens_ct = 1000000, 10000
    r = rechtmatigheid.bereken(a)
    assert r.grens_bedrag_ct == 30000 and r.binnen is True and r.boven_rapporteringsgrens is True
    assert r.onvolledig and r.oordeel == "binnen de verantwoordingsgrens (onvolledig)"
