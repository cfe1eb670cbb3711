"""BETALING: a payment to an IBAN not the zorgverlener's, without a declaration, or above the
declared bedrag."""

from __future__ import annotations

from pathlib import Path

from tests.builders import effect, run_check

CODE = "BETALING"
ZV_IBAN = "NL20INGB0001234567"       # Z1's IBAN in the builders' defaults
ANDER = "NL39RABO0300065264"


def _p(pid: str, bedrag: str, *, decl: str | None = "D1", iban: str = ZV_IBAN, dag: str = "2025-03-20", **kw) -> dict:
    return dict({"betaling_id": pid, "declaratie_id": decl, "bedrag": bedrag, "iban": iban, "betaaldatum": dag}, **kw)


def test_payment_to_another_iban_is_the_whole_payment_and_masks_ibans(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, declaraties=[{"declaratie_id": "D1"}],
                         betalingen=[_p("P1", "116.28", iban=ANDER)])
    # D1 = 116,28, paid in full to another account: 116,28
    assert effect(f) == 11628
    r = f.row(0, named=True)
    assert r["declaratie_ids"] == ["D1"] and r["zorgverlener_id"] == "Z1"
    assert r["periode_van"].isoformat() == "2025-03-20"
    t = r["toelichting"]
    assert "eindigend op 5264" in t and "eindigend op 4567" in t
    assert ANDER not in t and ZV_IBAN not in t and "0300065264" not in t and "RABO" not in t
    assert r["artikel"].startswith("art. 8.1 lid 4 sub a") and nt.height == 0


def test_correct_payments_do_not_fire(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, declaraties=[{"declaratie_id": "D1"}],
                         betalingen=[_p("P1", "58.14"), _p("P2", "58.14", dag="2025-03-21")])
    # 58,14 + 58,14 = 116,28 = the declaration: nothing above it
    assert f.height == 0 and nt.height == 0


def test_iban_formatting_is_not_a_difference(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, declaraties=[{"declaratie_id": "D1"}],
                        betalingen=[_p("P1", "116.28", iban="nl20 ingb 0001 2345 67")])
    assert f.height == 0


def test_payment_without_declaration(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE, declaraties=[{"declaratie_id": "D1"}],
                        betalingen=[_p("P1", "116.28"), _p("P2", "50.00", decl=None)])
    # P1 pays D1 exactly; P2 pays nothing declared: 50,00
    assert effect(f) == 5000
    r = f.row(0, named=True)
    assert r["declaratie_ids"] == [] and "hoort bij geen enkele declaratie" in r["toelichting"]


def test_part_above_the_declaration_goes_to_the_last_payments(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        declaraties=[{"declaratie_id": "D1", "aantal": "1", "tarief": "100.00", "bedrag": "100.00"}],
                        betalingen=[_p("P1", "60.00"), _p("P2", "60.00", dag="2025-03-21"),
                                    _p("P3", "30.00", dag="2025-03-22")])
    # paid 60 + 60 + 30 = 150,00 for 100,00 declared: 50,00 too much.
    # P3 (last) is wholly above: 30,00; P2 for the remaining 20,00; P1 nothing.
    per = {r["details"]: r["financieel_effect_ct"] for r in f.iter_rows(named=True)}
    assert per == {"betaling=P2": 2000, "betaling=P3": 3000}
    assert effect(f) == 5000
    assert "boven het gedeclareerde 100,00 euro" in f["toelichting"][0]


def test_refund_nets_the_total(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        declaraties=[{"declaratie_id": "D1", "aantal": "1", "tarief": "100.00", "bedrag": "100.00"}],
                        betalingen=[_p("P1", "100.00"), _p("P2", "100.00", dag="2025-03-21"),
                                    _p("P3", "-100.00", dag="2025-03-25")])
    # 100 + 100 - 100 = 100,00 = declared: nothing too much, and the refund is no finding itself
    assert f.height == 0


def test_wrong_iban_is_not_counted_twice(tmp_path: Path):
    f, _, _ = run_check(tmp_path, CODE,
                        declaraties=[{"declaratie_id": "D1", "aantal": "1", "tarief": "100.00", "bedrag": "100.00"}],
                        betalingen=[_p("P1", "100.00", iban=ANDER), _p("P2", "100.00", dag="2025-03-21")])
    # P1 to another account: 100,00. P2 to the right account pays the declaration of 100,00: nothing.
    # Total 100,00, not 200,00.
    assert effect(f) == 10000
    assert [r["details"] for r in f.iter_rows(named=True)] == ["betaling=P1"]


def test_zorgverlener_without_iban_is_niet_toetsbaar(tmp_path: Path):
    f, nt, _ = run_check(tmp_path, CODE, zorgverleners=[{"iban": None}],
                         declaraties=[{"declaratie_id": "D1"}],
                         betalingen=[_p("P1", "116.28", iban=ANDER), _p("P2", "10.00", decl=None, iban=ANDER)])
    # P1: the account cannot be judged -> niet toetsbaar, no finding; P2: no declaration -> 10,00 anyway
    assert effect(f) == 1000
    assert sorted(nt["sleutel"].to_list()) == ["P1", "P2"] and "geen IBAN" in nt["reden"][0]
