"""DUBBELROL: a relatie in one of the regeling's dubbelrol_rollen who is the same person as a
zorgverlener of that budgethouder. Euros (all that zorgverlener's lines) by hand."""

from __future__ import annotations

from pathlib import Path

from tests.builders import effect, run_check

TARIFFS = Path(__file__).resolve().parents[1] / "tariffs"
DRV = str(TARIFFS / "de-ronde-venen-2026.toml")   # dubbelrol_rollen: wettelijk vertegenwoordiger, gemachtigde, ...
LOSSER = str(TARIFFS / "losser-2025.toml")         # no dubbelrol_rollen

BEWIND = {"relatie_id": "R2", "rol": "bewindvoerder", "naam": "Bos, Karin", "geboortedatum": "1980-02-03"}
ZZP = {"zorgverlener_id": "Z2", "naam": "mevr. K. Bos", "soort": "zzp", "kvk_nummer": "12345679",
       "geboortedatum": "1980-02-03"}
DECL = [{"declaratie_id": "D1"},
        {"declaratie_id": "D2", "zorgverlener_id": "Z2", "aantal": "2", "tarief": "20.00", "bedrag": "40.00"},
        {"declaratie_id": "D3", "zorgverlener_id": "Z2", "aantal": "1.5", "tarief": "20.00", "bedrag": "30.00",
         "datum_van": "2025-03-04"}]


def _run(tmp_path, rel: dict, zv: dict, regeling: str | None = DRV, **kw):
    return run_check(tmp_path, "DUBBELROL", regeling=regeling,
                     relaties=[{"relatie_id": "R1"}, rel],
                     zorgverleners=[{"zorgverlener_id": "Z1"}, zv], declaraties=kw.pop("declaraties", DECL), **kw)


def regeling_met_rollen(tmp_path: Path, rollen: str) -> str:
    tekst = Path(DRV).read_text(encoding="utf-8")
    tekst = "\n".join(f"dubbelrol_rollen = {rollen}" if r.startswith("dubbelrol_rollen") else r
                      for r in tekst.splitlines())
    p = tmp_path / "eigen-2026.toml"
    p.write_text(tekst, encoding="utf-8")
    return str(p)


def test_bewindvoerder_same_name_and_birth_date_fires(tmp_path):
    f, nt, _ = _run(tmp_path, BEWIND, ZZP)
    assert f.height == 1 and nt.height == 0
    r = f.row(0, named=True)
    assert (r["budgethouder_id"], r["zorgverlener_id"], sorted(r["declaratie_ids"])) == ("B1", "Z2", ["D2", "D3"])
    # all Z2's lines for B1: 40,00 + 30,00 = 70,00
    assert r["financieel_effect_ct"] == 7000 and r["bedrag_betrokken_ct"] == 7000
    assert r["soort"] == "fout" and "art. 4.2" in r["artikel"]
    assert "bewindvoerder (relatie R2, zelfde voorletters en achternaam en zelfde geboortedatum)" in r["toelichting"]
    assert "Bos" not in r["toelichting"] and "Karin" not in r["toelichting"]


def test_same_bsn_fires_despite_other_name(tmp_path):
    f, _, _ = _run(tmp_path, dict(BEWIND, bsn="123456782", geboortedatum=None),
                   dict(ZZP, naam="Zorg door K. B.", bsn="123456782", geboortedatum=None))
    assert f.height == 1 and "zelfde BSN" in f["toelichting"][0]
    assert effect(f) == 7000


def test_typing_error_and_word_order_fire(tmp_path):
    f, _, _ = _run(tmp_path, dict(BEWIND, naam="Karin Bosch"), dict(ZZP, naam="Bos, Karin"))
    assert f.height == 1 and "% gelijk en zelfde geboortedatum" in f["toelichting"][0]


def test_wettelijk_vertegenwoordiger_fires_where_listed(tmp_path):
    f, _, _ = _run(tmp_path, dict(BEWIND, rol="wettelijk_vertegenwoordiger"), ZZP)
    assert f.height == 1 and effect(f) == 7000


def test_parent_allowed_by_regeling_does_not_fire(tmp_path):
    # a parent who is wettelijk vertegenwoordiger and caregiver, under a regeling that allows it
    eigen = regeling_met_rollen(tmp_path, '["gemachtigde", "bewindvoerder", "curator", "mentor"]')
    ouder = dict(BEWIND, rol="wettelijk_vertegenwoordiger")
    sn = dict(ZZP, soort="sociaal_netwerk", kvk_nummer=None)
    f, nt, _ = _run(tmp_path, ouder, sn, regeling=eigen)
    assert f.height == 0 and nt.height == 0
    # and rol 'ouder' under De Ronde Venen (not in its dubbelrol_rollen)
    f, nt, _ = _run(tmp_path / "b", dict(BEWIND, rol="ouder"), sn)
    assert f.height == 0 and nt.height == 0


def test_same_name_other_birth_date_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, BEWIND, dict(ZZP, geboortedatum="1980-02-04"))
    assert f.height == 0


def test_same_name_without_birth_date_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, BEWIND, dict(ZZP, geboortedatum=None))
    assert f.height == 0


def test_same_surname_and_birth_date_other_first_name_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, BEWIND, dict(ZZP, naam="Peter Bos"))
    assert f.height == 0


def test_zorgverlener_of_another_budgethouder_does_not_fire(tmp_path):
    f, _, _ = _run(tmp_path, BEWIND, ZZP,
                   budgethouders=[{"budgethouder_id": "B1"}, {"budgethouder_id": "B2", "bsn": None}],
                   toekenningen=[{"toekenning_id": "T1"}, {"toekenning_id": "T2", "budgethouder_id": "B2"}],
                   declaraties=[{"declaratie_id": "D1"},
                                {"declaratie_id": "D2", "budgethouder_id": "B2", "zorgverlener_id": "Z2"}])
    assert f.height == 0


def test_regeling_without_dubbelrol_rollen_is_niet_toetsbaar(tmp_path):
    f, nt, _ = _run(tmp_path, BEWIND, ZZP, regeling=None)   # B1 is in Losser (0168): no dubbelrol_rollen
    assert f.height == 0
    assert sorted(nt["sleutel"].to_list()) == ["D1", "D2", "D3"]
    assert "losser-2025 noemt geen dubbelrol_rollen" in nt["reden"][0]
