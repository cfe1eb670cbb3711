"""One check table: every list of checks derives from `auditor.registry.CHECKS`."""

from __future__ import annotations

import polars as pl
import pytest

from auditor import regeling
from auditor.findings import CSV_COLUMNS, FINDING_SCHEMA
from auditor.registry import CHECK_CODES, CHECK_ENUM, CHECKS, check
from auditor.samples import ALL_CHECKS
from auditor.samples.plants import PLAN
from checks import load_checks


def test_every_check_of_the_table_is_registered_by_its_module():
    reg = load_checks()
    assert list(reg) == list(CHECK_CODES)
    for info in CHECKS:
        assert reg[info.code].module == info.module
        assert (reg[info.code].soort, reg[info.code].titel) == (info.soort, info.titel)


def test_derived_lists_are_the_table():
    assert regeling.CHECK_CODES == CHECK_CODES
    assert ALL_CHECKS == CHECK_CODES
    assert FINDING_SCHEMA["check"] == CHECK_ENUM
    # the planted cases follow report order, each check's variants together
    order = [c for c, _, _ in PLAN]
    assert order == sorted(order, key=CHECK_CODES.index)


def test_check_enum_sorts_in_report_order_not_alphabetically():
    df = pl.DataFrame({"check": ["KM", "BUDGET", "TARIEF", "DUBBEL"]}, schema={"check": CHECK_ENUM})
    assert df.sort("check")["check"].to_list() == ["TARIEF", "BUDGET", "DUBBEL", "KM"]


def test_a_check_outside_the_table_or_disagreeing_with_it_is_refused():
    with pytest.raises(ValueError):
        check("BESTAAT-NIET")
    with pytest.raises(ValueError):
        check("DUBBEL", soort="signaal")


def test_findings_csv_columns_derive_from_the_schema():
    assert CSV_COLUMNS == ["finding_id", "check", "soort", "ernst", "budgethouder_id", "zorgverlener_id",
                           "toekenning_id", "zorgovereenkomst_id", "declaratie_ids", "periode_van", "periode_tot",
                           "bedrag_betrokken", "financieel_effect", "artikel", "toelichting", "voorbeeldwaarde"]
