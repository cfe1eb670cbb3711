"""Normalisation and matching helpers of auditor/identity.py, one rule per test."""

from __future__ import annotations

import polars as pl
import pytest

from auditor import identity as idn


def _one(expr: pl.Expr, value) -> object:
    return pl.DataFrame({"x": [value]}, schema={"x": pl.String}).select(expr.alias("y"))["y"][0]


def _naam(value: str) -> dict:
    return idn.met_naam(pl.DataFrame({"n": [value]}), "n").drop("n").row(0, named=True)


@pytest.mark.parametrize("raw", ["nl91 abna 0417 1643 00", "NL91ABNA0417164300", " NL91-ABNA-0417.1643.00 "])
def test_iban_spaces_and_case(raw):
    assert _one(idn.norm_iban(pl.col("x")), raw) == "NL91ABNA0417164300"


@pytest.mark.parametrize("adres", ["Kerkstraat 14a", "Kerkstraat 14-A", "Kerkstraat 14 A", "Kerkstraat 14 bis",
                                   "kerkstr. 14A", "KERKSTRAAT 14 - a"])
def test_house_number_additions_are_one_key(adres):
    e = idn.adres_key(pl.lit("7581 ab"), pl.col("x"))
    assert _one(e, adres) == "7581AB|14|A"


def test_house_number_without_addition_and_other_numbers_differ():
    e = idn.adres_key(pl.lit("7581AB"), pl.col("x"))
    assert _one(e, "Kerkstraat 14") == "7581AB|14|"
    assert _one(e, "Kerkstraat 142") == "7581AB|142|"        # not 14 + addition 2
    assert _one(e, "Kerkstraat 15") != _one(e, "Kerkstraat 14")
    assert _one(e, "2e Hugo de Grootstraat 5-II") == "7581AB|5|II"   # the last number is the house number
    assert _one(e, "Kerkstraat") is None                          # no number: no key
    assert _one(idn.adres_key(pl.lit(None, pl.String), pl.col("x")), "Kerkstraat 14") is None


def test_street_names():
    e = idn.norm_straat(pl.col("x"))
    assert _one(e, "Kerkstr.") == _one(e, " kerk straat ") == _one(e, "Kerkstraat") == "kerkstraat"
    assert _one(e, "Burg. Smitstraat") == "burgemeestersmitstraat"
    assert _one(e, "Rúe Église") == "rueeglise"
    k = idn.straat_key(pl.col("x"), pl.lit("Losser"))
    assert _one(k, "Kerkstr. 14a") == _one(k, "kerkstraat 14-A") == "S|kerkstraat|14|A|losser"


@pytest.mark.parametrize("raw", ["06-12345678", "+31 6 1234 5678", "0031612345678", "0612345678",
                                 "+31 (0)6 12345678", "06 123 456 78", "31612345678"])
def test_phone_numbers(raw):
    assert _one(idn.norm_telefoon(pl.col("x")), raw) == "0612345678"


def test_phone_landline_foreign_and_junk():
    e = idn.norm_telefoon(pl.col("x"))
    assert _one(e, "053-5381234") == "0535381234"
    assert _one(e, "+32 475 12 34 56") == "0032475123456"
    assert _one(e, "112") is None


def test_email_case_and_trim():
    e = idn.norm_email(pl.col("x"))
    assert _one(e, "  Fam.DeVries@Example.NL ") == "fam.devries@example.nl"
    assert _one(e, "mailto:<k.bos@mail.nl>") == "k.bos@mail.nl"
    assert _one(e, "geen e-mail") is None


@pytest.mark.parametrize("raw", ["01-04-2015", "2015-04-01", "1/4/2015", "20150401", "1.4.2015"])
def test_birth_dates(raw):
    import datetime as dt
    assert _one(idn.norm_datum(pl.col("x")), raw) == dt.date(2015, 4, 1)


def test_name_word_order_and_comma():
    assert _naam("Bos, Karin")["naam_norm"] == _naam("Karin Bos")["naam_norm"] == "karin bos"


def test_name_titles_removed():
    for n in ("mevr. Karin Bos", "Mevrouw Karin Bos", "drs. Karin Bos", "Dhr. mr. Karin Bos"):
        assert _naam(n)["naam_norm"] == "karin bos", n


def test_name_prefixes():
    r = _naam("Karin van den Bos")
    assert (r["naam_norm"], r["achternaam_key"], r["naam_kort"]) == ("karin bos", "bos", "k bos")
    assert _naam("van den Bos, K.")["naam_kort"] == "k bos"
    assert _naam("de heer P. v.d. Berg")["naam_norm"] == "p berg"
    assert _naam("Jan in 't Veld")["achternaam_key"] == "veld"
    assert _naam("Jan ter Horst")["achternaam_key"] == "horst"


def test_name_initials():
    r = _naam("K.J. de Boer")
    assert r["alleen_voorletters"] is True
    assert r["naam_kort"] == "kj boer"
    assert _naam("Karin Bos")["alleen_voorletters"] is False


def test_name_accents():
    assert _naam("Émile Brontë")["naam_norm"] == "emile bronte"


@pytest.mark.parametrize("a,b", [("Zorg Oost B.V.", "Zorg Oost BV"), ("Zorg Oost b.v.", "zorg oost"),
                                 ("Zorgbureau Oost V.O.F.", "Zorgbureau Oost vof"),
                                 ("Stichting Het Anker", "Het Anker")])
def test_legal_forms(a, b):
    assert _naam(a)["naam_norm"] == _naam(b)["naam_norm"]
    assert _naam(a)["is_organisatie"] is True


def test_person_is_not_organisation():
    assert _naam("Karin Bos")["is_organisatie"] is False


def _vergelijk(a: str, b: str) -> dict:
    df = idn.met_naam(idn.met_naam(pl.DataFrame({"l": [a], "r": [b]}), "l", "l_"), "r", "r_")
    return idn.naam_vergelijk(df, "l_", "r_").row(0, named=True)


def test_name_matching():
    assert _vergelijk("Bos, Karin", "mevr. Karin Bos")["naam_hoe"] == "gelijk"
    assert _vergelijk("K. Bos", "Karin Bos")["naam_hoe"] == "voorletters"
    assert _vergelijk("Karin Bosch", "Karin Bos")["naam_hoe"] == "gelijkend"     # typing error
    assert _vergelijk("Karin Bos", "Peter Bos")["naam_gelijk"] is False          # same surname only
    assert _vergelijk("Karin Bos", "Kees Bos")["naam_gelijk"] is False           # same initials, both full names
    assert _vergelijk("Anna Bos", "Anne Bos")["naam_gelijk"] is False            # twins


def test_components_label_propagation():
    edges = pl.DataFrame({"a": ["x", "y", "p", "q", "z", "m"], "b": ["y", "z", "q", "p", "z", "m"]})
    got = dict(idn.componenten(edges).iter_rows())
    assert got == {"x": "x", "y": "x", "z": "x", "p": "p", "q": "p", "m": "m"}


def test_components_long_chain():
    n = 300
    edges = pl.DataFrame({"a": [f"n{i:04d}" for i in range(n)], "b": [f"n{i + 1:04d}" for i in range(n)]})
    got = idn.componenten(edges)
    assert got["comp"].unique().to_list() == ["n0000"] and got.height == n + 1


def test_stable_id():
    s = pl.Series(["a;b", "a;b", "b;c"])
    ids = idn.stabiele_id(s).to_list()
    assert ids[0] == ids[1] != ids[2] and len(ids[0]) == 12
