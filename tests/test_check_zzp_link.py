"""ZZP-LINK: a zzp'er or instelling without declared relation sharing IBAN, address, phone or
e-mail with the budgethouder or a relatie. Euros computed by hand in the comments.

Losser 2025: sociaal-netwerk norm for begeleiding individueel = 18,61 x 1,08 = 20,0988 ->
20,10 per uur; behandeling_individueel is not in toegestane_categorieen.
Defaults (tests/builders.py): budgethouder B1 Kerkstraat 12, 7581 AB, 053-5381234,
fam.devries@example.nl, NL91ABNA0417164300; relatie R1 wettelijk vertegenwoordiger.
"""

from __future__ import annotations

import pytest

from tests.builders import effect, run_check

MOEDER_IBAN = "NL44RABO0123456789"
ZZP = {"zorgverlener_id": "Z2", "naam": "K. de Vries Zorg", "soort": "zzp", "kvk_nummer": "12345679"}
R1 = {"relatie_id": "R1", "iban": MOEDER_IBAN, "straat_huisnummer": "Dorpsstraat 14-A", "postcode": "7582 CD"}
ZO = [{"zorgovereenkomst_id": "O1"},
      {"zorgovereenkomst_id": "O2", "zorgverlener_id": "Z2", "soort": "opdracht"}]


def _run(tmp_path, zzp: dict, *, relaties=None, zo=None, declaraties=None, **kw):
    return run_check(
        tmp_path, "ZZP-LINK",
        relaties=relaties if relaties is not None else [R1],
        zorgverleners=[{"zorgverlener_id": "Z1"}, dict(ZZP, **zzp)],
        zorgovereenkomsten=zo if zo is not None else ZO,
        declaraties=declaraties if declaraties is not None else [
            {"declaratie_id": "D1"}, {"declaratie_id": "D2", "zorgverlener_id": "Z2"}],
        **kw)


def test_iban_and_address_of_mother_fires_with_euros(tmp_path):
    f, nt, _ = _run(tmp_path, {"iban": "nl44 rabo 0123 4567 89", "straat_huisnummer": "dorpsstr. 14a",
                               "postcode": "7582cd"})
    assert f.height == 1 and nt.height == 0
    r = f.row(0, named=True)
    assert (r["budgethouder_id"], r["zorgverlener_id"], r["declaratie_ids"]) == ("B1", "Z2", ["D2"])
    # D2: 2 uur, 116,28; sociaal-netwerk norm 2 x 20,10 = 40,20; 116,28 - 40,20 = 76,08
    assert r["financieel_effect_ct"] == 7608
    assert r["bedrag_betrokken_ct"] == 11628
    assert r["soort"] == "onzekerheid"
    t = r["toelichting"]
    assert "zelfde IBAN en zelfde adres als de wettelijk vertegenwoordiger (relatie R1)" in t
    assert "sterk verband, 2 van 4 kenmerken" in t and "76,08" in t
    assert MOEDER_IBAN not in t and "Vries" not in t and "Anna" not in t


@pytest.mark.parametrize("zzp,tekst", [
    ({"telefoon": "+31 53 538 1234"}, "zelfde telefoonnummer als de budgethouder zelf"),
    ({"email": " FAM.DeVries@example.NL"}, "zelfde e-mailadres als de budgethouder zelf"),
    ({"straat_huisnummer": "Kerkstraat 12", "postcode": "7581AB"}, "zelfde adres als de budgethouder zelf"),
    ({"iban": "NL91 ABNA 0417 1643 00"}, "zelfde IBAN als de budgethouder zelf"),
])
def test_each_attribute_matches(tmp_path, zzp, tekst):
    f, _, _ = _run(tmp_path, zzp)
    assert f.height == 1, f
    assert tekst in f["toelichting"][0]
    assert "zwak verband, 1 van 4" in f["toelichting"][0] or "IBAN" in tekst


def test_iban_paid_in_betalingen_matches(tmp_path):
    # Z2's own IBAN differs, but a payment to Z2 went to the mother's account
    f, _, _ = _run(tmp_path, {"iban": "NL93RABO0987654321"}, betalingen=[
        {"betaling_id": "P1"}, {"betaling_id": "P2", "zorgverlener_id": "Z2", "iban": MOEDER_IBAN}])
    assert f.height == 1 and "zelfde IBAN als de wettelijk vertegenwoordiger (relatie R1)" in f["toelichting"][0]


def test_address_without_postcode_matches_on_street(tmp_path):
    f, _, _ = _run(tmp_path, {"straat_huisnummer": "Kerkstr. 12", "postcode": None, "woonplaats": "losser"})
    assert f.height == 1 and "zelfde adres" in f["toelichting"][0]


def test_declared_relation_does_not_fire(tmp_path):
    zo = [ZO[0], dict(ZO[1], relatie_tot_budgethouder="familie", soort="familiehulp")]
    f, _, _ = _run(tmp_path, {"iban": MOEDER_IBAN}, zo=zo)
    assert f.height == 0


def test_same_street_other_number_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, {"straat_huisnummer": "Dorpsstraat 14", "postcode": "7582 CD"})  # R1 lives at 14-A
    assert f.height == 0
    f, _, _ = _run(tmp_path / "b", {"straat_huisnummer": "Kerkstraat 14", "postcode": "7581 AB"})  # B1 at 12
    assert f.height == 0


def test_same_surname_only_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, {"naam": "Anna de Vries", "geboortedatum": "1985-06-01"})
    assert f.height == 0


def test_sociaal_netwerk_zorgverlener_is_not_judged(tmp_path):
    f, _, _ = _run(tmp_path, {"soort": "sociaal_netwerk", "kvk_nummer": None, "iban": MOEDER_IBAN})
    assert f.height == 0


def test_instelling_fires_and_category_not_allowed_counts_whole_bedrag(tmp_path):
    f, nt, _ = _run(tmp_path, {"soort": "instelling", "telefoon": "0535381234"}, declaraties=[
        {"declaratie_id": "D1"},
        {"declaratie_id": "D2", "zorgverlener_id": "Z2"},
        {"declaratie_id": "D3", "zorgverlener_id": "Z2", "product_code": "45A10", "aantal": "1",
         "tarief": "89.08", "bedrag": "89.08", "datum_van": "2025-03-05"},
        {"declaratie_id": "D4", "zorgverlener_id": "Z2", "aantal": "2", "tarief": "20.00", "bedrag": "40.00",
         "datum_van": "2025-03-06"},
    ])
    # D2: 116,28 - 2 x 20,10 = 76,08; D3 behandeling (not allowed for the sociaal netwerk): 89,08;
    # D4: 40,00 - 40,20 < 0 -> 0; total 76,08 + 89,08 + 0 = 165,16
    assert f.height == 1 and nt.height == 0
    assert effect(f) == 16516
    assert sorted(f["declaratie_ids"][0]) == ["D2", "D3", "D4"]
    assert "(instelling)" in f["toelichting"][0] and "waarvan 1 in een categorie" in f["toelichting"][0]


def test_link_within_norm_is_a_finding_of_zero(tmp_path):
    f, _, _ = _run(tmp_path, {"iban": MOEDER_IBAN}, declaraties=[
        {"declaratie_id": "D1"},
        {"declaratie_id": "D2", "zorgverlener_id": "Z2", "aantal": "2", "tarief": "20.00", "bedrag": "40.00"}])
    assert f.height == 1 and effect(f) == 0     # 40,00 <= 2 x 20,10


def test_norm_not_computable_is_niet_toetsbaar(tmp_path):
    # begeleiding individueel declared per dagdeel: the sociaal-netwerk hourly wage does not apply
    f, nt, _ = _run(tmp_path, {"iban": MOEDER_IBAN}, declaraties=[
        {"declaratie_id": "D1"},
        {"declaratie_id": "D2", "zorgverlener_id": "Z2"},
        {"declaratie_id": "D3", "zorgverlener_id": "Z2", "eenheid": "dagdeel", "datum_van": "2025-03-05"}])
    assert nt["sleutel"].to_list() == ["D3"]
    assert "sociaal-netwerknorm niet te bepalen" in nt["reden"][0]
    assert effect(f) == 7608                     # D2 only: 116,28 - 40,20


def test_no_regeling_is_niet_toetsbaar(tmp_path):
    f, nt, _ = _run(tmp_path, {"iban": MOEDER_IBAN}, declaraties=[
        {"declaratie_id": "D1"}, {"declaratie_id": "D2", "zorgverlener_id": "Z2", "datum_van": "2024-06-03"}])
    assert nt["sleutel"].to_list() == ["D2"] and "geen regeling" in nt["reden"][0]
    assert f.height == 1 and effect(f) == 0
