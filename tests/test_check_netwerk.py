"""NETWERK: what tests/cases/NETWERK.yml cannot say: the network it returns as output
(`extra["NETWERK:clusters"]` and `extra["NETWERK:edges"]`, docs/linking.md). The findings and
their euros are cases in the YAML. Default line = 2 uur x 58,14 = 116,28."""

from __future__ import annotations

import polars as pl

from tests.builders import run_check

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


def test_bureau_for_three_budgethouders_is_one_cluster(tmp_path):
    _, _, a = run_check(tmp_path, "NETWERK", **_batch(BUREAU))
    cl = a.result.extra["NETWERK:clusters"]
    assert cl["cluster_id"].n_unique() == 1
    assert sorted(zip(cl["node_type"], cl["node_id"])) == [
        ("budgethouder", "B1"), ("budgethouder", "B2"), ("budgethouder", "B3"), ("relatie", "R1"),
        ("zorgverlener", "Z1")]
    assert set(cl["budgethouders"].to_list()) == {3}
    assert set(cl["financieel_effect_ct"].to_list()) == {34884}   # 3 x 116,28
    assert cl.filter(pl.col("node_type") == "zorgverlener")["node_financieel_effect_ct"][0] == 34884
    assert a.result.extra["NETWERK:edges"].height == 6             # 3 vertegenwoordigt + 3 betaalt


def test_shared_iban_is_a_masked_node(tmp_path):
    zvs = [{"zorgverlener_id": "Z1"},
           {"zorgverlener_id": "Z2", "kvk_nummer": "11111111", "iban": SHARED_IBAN},
           {"zorgverlener_id": "Z3", "kvk_nummer": "22222222", "iban": "NL93RABO0987654321"}]
    kw = _batch([], zv_of={"B1": "Z2", "B2": "Z3", "B3": "Z1"}, zvs=zvs,
                betalingen=[{"betaling_id": "P1", "budgethouder_id": "B2", "zorgverlener_id": "Z3",
                             "iban": SHARED_IBAN}])
    _, _, a = run_check(tmp_path, "NETWERK", **kw)
    cl = a.result.extra["NETWERK:clusters"]
    ib = cl.filter(pl.col("node_type") == "iban")
    assert ib["node_id"].to_list() == [SHARED_IBAN] and ib["label"][0] == "IBAN ...6789"
    assert ib["node_financieel_effect_ct"][0] == 2 * 11628      # B1 at Z2 and B2 at Z3, 116,28 each
