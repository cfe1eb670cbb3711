"""Hand-made batches for tests: write small tables as CSV and audit them for real.

Every test row starts from a sensible, valid default (below) and overrides what matters
for the case, so a test reads as the rule it checks:

    findings, nt, audit = run_check(tmp_path, "DUBBEL", declaraties=[
        {"declaratie_id": "D1", "bedrag": "116.28"},
        {"declaratie_id": "D2", "bedrag": "116.28"},
    ])

Values are written as text in the plain CSV flavour (`.` decimals, ISO dates); `None`
is an empty cell. Required tables that a test does not give get one default row.
Money in the returned findings is in cents (`financieel_effect_ct`).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl

from auditor.pipeline import Audit, audit
from auditor.tables import TABLES
from checks import niet_geleverd

# Losser 2025's example ZIN tariff for 45A48 begeleiding individueel is 68.40/uur, so the
# professional norm is 0.85 x 68.40 = 58.14.
DEFAULTS: dict[str, dict[str, str | None]] = {
    "budgethouders": {"budgethouder_id": "B1", "naam": "Jesse de Vries", "bsn": "111222333",
                      "geboortedatum": "2015-04-01", "straat_huisnummer": "Kerkstraat 12",
                      "postcode": "7581 AB", "woonplaats": "Losser", "iban": "NL91ABNA0417164300",
                      "telefoon": "053-5381234", "email": "fam.devries@example.nl",
                      "gemeente_code": "0168"},
    "relaties": {"relatie_id": "R1", "budgethouder_id": "B1", "rol": "wettelijk_vertegenwoordiger",
                 "naam": "Anna de Vries", "geboortedatum": "1985-06-01"},
    "toekenningen": {"toekenning_id": "T1", "budgethouder_id": "B1", "wet": "jeugdwet",
                     "product_code": "45A48", "categorie": "begeleiding_individueel", "eenheid": "uur",
                     "omvang": "200", "tarief": "58.14", "budget": "11628.00",
                     "zorgverlener_soort": "professioneel", "ingangsdatum": "2025-01-01",
                     "einddatum": "2025-12-31", "aanvraagdatum": "2024-12-01", "besluitdatum": "2024-12-15"},
    "zorgverleners": {"zorgverlener_id": "Z1", "naam": "Zorg Oost B.V.", "soort": "instelling",
                      "kvk_nummer": "12345678", "iban": "NL20INGB0001234567"},
    "zorgovereenkomsten": {"zorgovereenkomst_id": "O1", "budgethouder_id": "B1", "zorgverlener_id": "Z1",
                           "toekenning_id": "T1", "soort": "zorginstelling", "product_code": "45A48",
                           "eenheid": "uur", "tarief": "58.14", "werkafspraak": "per_eenheid",
                           "ingangsdatum": "2025-01-01"},
    "declaraties": {"budgethouder_id": "B1", "zorgverlener_id": "Z1", "datum_van": "2025-03-03",
                    "product_code": "45A48", "eenheid": "uur", "aantal": "2", "tarief": "58.14",
                    "bedrag": "116.28", "omschrijving": "begeleiding thuis"},
    "betalingen": {"budgethouder_id": "B1", "zorgverlener_id": "Z1", "iban": "NL20INGB0001234567",
                   "bedrag": "116.28", "betaaldatum": "2025-03-20"},
    "budgetten": {"budgethouder_id": "B1", "product_code": "45A48", "budget": "11628.00",
                  "ingangsdatum": "2025-01-01", "einddatum": "2025-12-31"},
}
ID_PREFIX = {"budgethouders": "B", "relaties": "R", "toekenningen": "T", "zorgverleners": "Z",
             "zorgovereenkomsten": "O", "declaraties": "D", "betalingen": "P", "budgetten": "T"}


def write_table(path: Path, name: str, rows: list[dict]) -> None:
    cols = [c.name for c in TABLES[name].cols]
    extra = [k for r in rows for k in r if k not in cols]
    cols += list(dict.fromkeys(extra))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])


#: answers of a materiële controle (BADO D), written as `materiele_controle.csv` beside the tables
ANTWOORD_DEFAULT = {"budgethouder_id": "B1", "zorgverlener_id": "Z1", "product_code": "45A48", "maand": "2025-03",
                    "soort_controle": "telefonisch", "datum_controle": "2026-01-10"}


def make_batch(tmp_path: Path, **tables: list[dict]) -> Path:
    """Write a batch folder; rows are merged over `DEFAULTS`. `materiele_controle=[...]`
    writes the answers file of a materiële controle (rows over `ANTWOORD_DEFAULT`)."""
    antwoorden = tables.pop("materiele_controle", None)
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables {unknown}")
    batch = tmp_path / "batch"
    batch.mkdir(parents=True, exist_ok=True)
    for name, spec in TABLES.items():
        given = tables.get(name)
        if given is None and not spec.required:
            continue
        rows = [dict(DEFAULTS[name], **r) for r in (given if given is not None else [{}])]
        for i, r in enumerate(rows):
            if r.get(spec.key) is None:
                r[spec.key] = f"{ID_PREFIX[name]}{i + 1}"
            if name == "declaraties" and r.get("datum_tot") is None:
                r["datum_tot"] = r["datum_van"]
        write_table(batch / f"{name}.csv", name, rows)
    if antwoorden is not None:
        with (batch / niet_geleverd.BESTAND).open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(niet_geleverd.KOLOMMEN))
            w.writeheader()
            for r in antwoorden:
                w.writerow(dict(ANTWOORD_DEFAULT, **r))
    return batch


def run_batch(batch: Path, *, checks: list[str] | None = None, peildatum: date = date(2026, 1, 31),
              regeling: str | None = None, allow_quarantine: bool = False, briefdatum: date | None = None) -> Audit:
    a = audit(batch, peildatum=peildatum, regeling=regeling, checks=checks, briefdatum=briefdatum)
    if not allow_quarantine and a.validated.quarantine.height:
        raise AssertionError(f"test batch has quarantined rows:\n{a.validated.quarantine}")
    return a


def run_check(tmp_path: Path, code: str, *, peildatum: date = date(2026, 1, 31), regeling: str | None = None,
              allow_quarantine: bool = False, **tables: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame, Audit]:
    """Audit a hand-made batch with one check; returns (findings, niet_toetsbaar, audit)."""
    a = run_batch(make_batch(tmp_path, **tables), checks=[code], peildatum=peildatum, regeling=regeling,
                  allow_quarantine=allow_quarantine)
    return a.result.findings, a.result.niet_toetsbaar[code], a


def effect(findings: pl.DataFrame, **where) -> int:
    """Sum of financieel_effect_ct (cents) of the findings matching `where` (column=value)."""
    f = findings
    for k, v in where.items():
        f = f.filter(pl.col(k) == v)
    return int(f["financieel_effect_ct"].sum())
