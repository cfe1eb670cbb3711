"""NETWERK: one relatie acting for min_budgethouders (Losser: 3) or more budgethouders who share
a zorgverlener, or several zorgverleners paid into one IBAN. Euros by hand: each budgethouder's
lines at the shared zorgverlener(s); default line = 2 uur x 58,14 = 116,28."""

from __future__ import annotations

import polars as pl

from tests.builders import effect, run_check

SHARED_IBAN = "NL44RABO0123456789"


def _batch(rels: list[dict], n: int = 3, zv_of: dict | None = None, zvs: list[dict] | None = None, **kw):
    """n budgethouders B1..Bn with relaties `rels` and one line each at zv_of[b] (default Z1)."""
    zv_of = zv_of or {}
    bhs = [{"budgethouder_id": f"B{i}", "bsn": None} for i in range(1, n + 1)]
    toek = [{"toekenning_id": f"T{i}", "budgethouder_id": f"B{i}"} for i in range(1, n + 1)]
    decl = [{"declaratie_id": f"D{i}", "budgethouder_id": f"B{i}", "zorgverlener_id": zv_of.get(f"B{i}", "Z1")}
            for i in range(1, n + 1)]
    zo = [{"zorgovereenkomst_id": f"O{i}", "budgethouder_id": f"B{i}", "toekenning_id": None,
           "zorgverlener_id": zv_of.get(f"B{i}", "Z1")} for i in range(1, n + 1)]
    return dict(budgethouders=bhs, toekenningen=toek, declaraties=kw.pop("declaraties", decl),
                zorgovereenkomsten=zo, relaties=rels,
                zorgverleners=zvs or [{"zorgverlener_id": "Z1"}], **kw)


BUREAU = [{"relatie_id": "R1", "budgethouder_id": "B1", "rol": "bewindvoerder", "naam": "Bewindvoering Oost B.V."},
          {"relatie_id": "R2", "budgethouder_id": "B2", "rol": "bewindvoerder", "naam": "Bewindvoering Oost BV"},
          {"relatie_id": "R3", "budgethouder_id": "B3", "rol": "gemachtigde", "naam": "bewindvoering  oost"}]


def test_bureau_for_three_budgethouders_fires(tmp_path):
    f, nt, a = run_check(tmp_path, "NETWERK", **_batch(BUREAU))
    assert nt.height == 0
    assert sorted(f["budgethouder_id"].to_list()) == ["B1", "B2", "B3"]
    # each budgethouder: its one line at Z1 = 116,28
    assert all(x == 11628 for x in f["financieel_effect_ct"].to_list())
    assert effect(f) == 3 * 11628
    assert set(f["zorgverlener_id"].to_list()) == {"Z1"}
    t = f.filter(pl.col("budgethouder_id") == "B1")["toelichting"][0]
    assert "bewindvoerder van deze budgethouder (relatie R1) treedt op voor 3 budgethouders" in t
    assert "Oost" not in t
    cl = a.result.extra["NETWERK:clusters"]
    assert cl["cluster_id"].n_unique() == 1
    assert sorted(zip(cl["node_type"], cl["node_id"])) == [
        ("budgethouder", "B1"), ("budgethouder", "B2"), ("budgethouder", "B3"), ("relatie", "R1"),
        ("zorgverlener", "Z1")]
    assert set(cl["budgethouders"].to_list()) == {3}
    assert set(cl["financieel_effect_ct"].to_list()) == {34884}   # 3 x 116,28
    assert cl.filter(pl.col("node_type") == "zorgverlener")["node_financieel_effect_ct"][0] == 34884
    assert a.result.extra["NETWERK:edges"].height == 6             # 3 vertegenwoordigt + 3 betaalt


def test_same_person_by_bsn_and_by_name_plus_attribute(tmp_path):
    rels = [{"relatie_id": "R1", "budgethouder_id": "B1", "rol": "gemachtigde", "naam": "Karin Bos", "bsn": "123456782"},
            {"relatie_id": "R2", "budgethouder_id": "B2", "rol": "gemachtigde", "naam": "K. Bos", "bsn": "123456782",
             "telefoon": "06-12345678"},
            {"relatie_id": "R3", "budgethouder_id": "B3", "rol": "gemachtigde", "naam": "Bos, K.",
             "telefoon": "+31 6 1234 5678"}]
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(rels))
    assert f.height == 3 and effect(f) == 3 * 11628


def test_two_budgethouders_do_not_fire(tmp_path):
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(BUREAU[:2], n=2))
    assert f.height == 0


def test_same_surname_only_does_not_fire(tmp_path):
    rels = [{"relatie_id": f"R{i}", "budgethouder_id": f"B{i}", "rol": "ouder", "naam": n,
             "geboortedatum": d} for i, (n, d) in enumerate(
                 [("Anna Bos", "1980-01-01"), ("Peter Bos", "1980-01-01"), ("Karin Bos", "1975-05-05")], start=1)]
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(rels))
    assert f.height == 0


def test_same_name_without_second_attribute_does_not_fire(tmp_path):
    rels = [{"relatie_id": f"R{i}", "budgethouder_id": f"B{i}", "rol": "ouder", "naam": "Jan Jansen",
             "geboortedatum": None} for i in (1, 2, 3)]
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(rels))
    assert f.height == 0


def test_bureau_without_shared_zorgverlener_does_not_fire(tmp_path):
    zvs = [{"zorgverlener_id": f"Z{i}", "kvk_nummer": f"1234567{i}", "iban": None} for i in (1, 2, 3)]
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(BUREAU, zv_of={"B2": "Z2", "B3": "Z3"}, zvs=zvs))
    assert f.height == 0


def test_two_zorgverleners_one_iban_fires(tmp_path):
    zvs = [{"zorgverlener_id": "Z1"},
           {"zorgverlener_id": "Z2", "kvk_nummer": "11111111", "iban": SHARED_IBAN},
           {"zorgverlener_id": "Z3", "kvk_nummer": "22222222", "iban": "NL93RABO0987654321"}]
    kw = _batch([], zv_of={"B1": "Z2", "B2": "Z3", "B3": "Z1"}, zvs=zvs,
                betalingen=[{"betaling_id": "P1", "budgethouder_id": "B2", "zorgverlener_id": "Z3",
                             "iban": SHARED_IBAN}])
    f, _, a = run_check(tmp_path, "NETWERK", **kw)
    # Z2 (own IBAN) and Z3 (paid into it) share one account; B1 at Z2 and B2 at Z3: 116,28 each
    assert sorted(f["budgethouder_id"].to_list()) == ["B1", "B2"]
    assert effect(f) == 2 * 11628
    assert "zorgverleners Z2, Z3 worden op dezelfde bankrekening betaald" in f["toelichting"][0]
    cl = a.result.extra["NETWERK:clusters"]
    ib = cl.filter(pl.col("node_type") == "iban")
    assert ib["node_id"].to_list() == [SHARED_IBAN] and ib["label"][0] == "IBAN ...6789"
    assert ib["node_financieel_effect_ct"][0] == 2 * 11628


def test_both_patterns_count_a_line_once(tmp_path):
    zvs = [{"zorgverlener_id": "Z1", "iban": SHARED_IBAN},
           {"zorgverlener_id": "Z2", "kvk_nummer": "11111111", "iban": SHARED_IBAN}]
    f, _, _ = run_check(tmp_path, "NETWERK", **_batch(BUREAU, zvs=zvs))
    # B1..B3 each 116,28 at Z1 (bureau and shared IBAN): counted once
    assert f.height == 3 and effect(f) == 3 * 11628
    assert "; en zorgverleners Z1, Z2" in f["toelichting"][0]


def test_regeling_without_min_budgethouders_is_niet_toetsbaar(tmp_path):
    kw = _batch(BUREAU)
    for b in kw["budgethouders"]:
        b["gemeente_code"] = "0999"          # no regeling for this gemeente
    f, nt, _ = run_check(tmp_path, "NETWERK", **kw)
    assert f.height == 0
    assert sorted(nt["sleutel"].to_list()) == ["D1", "D2", "D3"]
    assert "geen regeling" in nt["reden"][0]
