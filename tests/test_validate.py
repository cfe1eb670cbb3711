"""Validation: every bad row quarantined with all its reasons; nothing lost."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from auditor.load import load_batch
from auditor.validate import validate
from tests.builders import make_batch


def _reasons(v, table: str, rij: int) -> str:
    row = v.quarantine.filter((pl.col("tabel") == table) & (pl.col("rij") == rij))
    assert row.height == 1, f"row {rij} of {table} not quarantined"
    return row["redenen"][0]


def test_bad_rows_are_quarantined_exactly_with_reasons(tmp_path: Path):
    batch = make_batch(tmp_path, declaraties=[
        {"declaratie_id": "D1"},                                    # row 2: fine
        {"declaratie_id": "D2", "datum_van": "2025-02-31"},         # row 3: impossible date
        {"declaratie_id": "D3", "budgethouder_id": "B99"},          # row 4: unknown budgethouder
        {"declaratie_id": "D4", "bedrag": "twaalf euro"},           # row 5: not a number
        {"declaratie_id": "D5", "aantal": "-1", "eenheid": "week", "datum_van": "2025-03-05",
         "datum_tot": "2025-03-01"},                                # row 6: three reasons
        {"declaratie_id": "D6"},                                    # row 7: fine
    ])
    v = validate(load_batch(batch))
    assert sorted(v.quarantine.filter(pl.col("tabel") == "declaraties")["rij"].to_list()) == [3, 4, 5, 6]
    assert "datum_van: '2025-02-31' is geen geldige datum" in _reasons(v, "declaraties", 3)
    assert "budgethouder_id: 'B99' bestaat niet in budgethouders" in _reasons(v, "declaraties", 4)
    assert "bedrag: 'twaalf euro' is geen geldig getal" in _reasons(v, "declaraties", 5)
    r6 = _reasons(v, "declaraties", 6)
    assert "aantal: mag niet negatief zijn" in r6
    assert "eenheid: 'week' is geen toegestane waarde" in r6
    assert "datum_tot ligt vóór datum_van" in r6
    assert v.tables["declaraties"]["declaratie_id"].to_list() == ["D1", "D6"]
    for name, c in v.counts.items():
        assert c["rows_read"] == c["rows_audited"] + c["rows_quarantined"], name
    assert v.counts["declaraties"] == {"rows_read": 6, "rows_audited": 2, "rows_quarantined": 4}


def test_identifiers_bsn_iban_postcode(tmp_path: Path):
    batch = make_batch(tmp_path, budgethouders=[
        {"budgethouder_id": "B1", "bsn": "111222333", "iban": "nl91 abna 0417 1643 00", "postcode": "9993cd"},
        {"budgethouder_id": "B2", "bsn": "111222334", "iban": None, "postcode": None},
        {"budgethouder_id": "B3", "bsn": None, "iban": "NL91ABNA0417164301", "postcode": "1234 A"},
        {"budgethouder_id": "B1", "bsn": None, "iban": None, "postcode": None},
    ])
    v = validate(load_batch(batch))
    assert "bsn: geen geldig BSN" in _reasons(v, "budgethouders", 3)
    r4 = _reasons(v, "budgethouders", 4)
    assert "iban: geen geldig IBAN" in r4 and "postcode: '1234A' is geen geldige Nederlandse postcode" in r4
    # a duplicated id: both rows are quarantined (which one is right cannot be known)
    assert "budgethouder_id: 'B1' komt meer dan eens voor" in _reasons(v, "budgethouders", 2)
    assert "budgethouder_id: 'B1' komt meer dan eens voor" in _reasons(v, "budgethouders", 5)


def test_quarantine_propagates_to_dependants(tmp_path: Path):
    batch = make_batch(tmp_path, budgethouders=[{"budgethouder_id": "B1", "gemeente_code": None}])
    v = validate(load_batch(batch))
    assert "gemeente_code: verplicht veld is leeg" in _reasons(v, "budgethouders", 2)
    assert "budgethouder_id: 'B1' staat in quarantaine in budgethouders" in _reasons(v, "declaraties", 2)
    assert sum(c["rows_audited"] for c in v.counts.values()) == 1   # only the zorgverlener remains


def test_personal_data_never_in_reasons_and_masked_in_content(tmp_path: Path):
    batch = make_batch(tmp_path, budgethouders=[{"bsn": "123456789", "naam": "Geheime Naam"}])
    v = validate(load_batch(batch))
    row = v.quarantine.filter(pl.col("tabel") == "budgethouders").row(0, named=True)
    assert "123456789" not in row["redenen"] and "Geheime Naam" not in row["redenen"]
    assert "123456789" not in row["inhoud"] and "*****6789" in row["inhoud"]


def test_empty_row_and_ragged_row(tmp_path: Path):
    batch = make_batch(tmp_path)
    p = batch / "zorgverleners.csv"
    p.write_text(p.read_text() + ",,,,,,,,,,,,,,,,\nZ2,Extra,zzp,12345678,,,,,,,,,,,,,,,surplus\n")
    v = validate(load_batch(batch))
    assert _reasons(v, "zorgverleners", 3) == "lege rij"
    assert "meer velden dan de kopregel" in _reasons(v, "zorgverleners", 4)
    assert v.counts["zorgverleners"] == {"rows_read": 3, "rows_audited": 1, "rows_quarantined": 2}


@pytest.mark.parametrize("value", ["ja", "Nee", "1", "x", "onwaar"])
def test_booleans(tmp_path: Path, value: str):
    batch = make_batch(tmp_path, toekenningen=[{"toestemming_eerder_starten": value}])
    v = validate(load_batch(batch))
    assert v.quarantine.height == 0
    assert v.tables["toekenningen"]["toestemming_eerder_starten"][0] == (value.lower() in ("ja", "1", "x"))


def test_pattern_reasons_are_dutch(tmp_path: Path):
    batch = make_batch(tmp_path, zorgverleners=[{"kvk_nummer": "1234"}],
                       declaraties=[{"land": "Nederland"}])
    v = validate(load_batch(batch))
    assert "kvk_nummer: '1234' bestaat niet uit 8 cijfers" in _reasons(v, "zorgverleners", 2)
    assert "land: 'NEDERLAND' is geen landcode van twee letters" in _reasons(v, "declaraties", 2)
