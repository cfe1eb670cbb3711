"""Identities: normalising person and organisation attributes, and matching them at scale.

Real exports write the same person in many ways: ``Bos, Karin`` and ``mevr. K. Bos``,
``06-12345678`` and ``+31 6 1234 5678``, ``Kerkstraat 14-A`` and ``kerkstr. 14 a``. This
module turns every attribute into a *key* that is equal when the attribute is the same,
as vectorised polars expressions (no Python loop over rows), and holds the matching helpers
the link checks share (ZZP-LINK, DUBBELROL, NETWERK; see docs/linking.md):

* exact joins on normalised keys first (``person_keys`` gives one row per person and key);
* fuzzy name comparison (rapidfuzz) only on candidate pairs that already share a block key
  (same birth date, same budgethouder, ...), never on all pairs (``naam_score``);
* connected components by iterative min-label propagation over an edge list
  (``componenten``), not networkx.

Keys (all String, null when the attribute is missing or unusable):

==================  ==========================================================================
key                 rule
==================  ==========================================================================
iban                spaces removed, upper case (``nl91 abna 0417 1643 00`` -> ``NL91ABNA0417164300``)
adres (postcode)    ``POSTCODE|NUMMER|TOEVOEGING``: ``7581 ab`` + ``Kerkstraat 14 a`` -> ``7581AB|14|A``;
                    additions ``14a``, ``14-A``, ``14 A`` and ``14 bis`` are all ``A``; no addition = ``""``
adres (straat)      ``S|straat|NUMMER|TOEVOEGING|woonplaats`` for persons without postcode (street
                    lower case, accents and punctuation removed, ``str.`` -> ``straat``)
telefoon            digits only, ``+31``/``0031``/``31`` country code -> ``0``, ``(0)`` dropped:
                    ``06-12345678``, ``+31 6 1234 5678``, ``0031612345678`` -> ``0612345678``
email               trimmed, lower case, ``mailto:`` and ``<>`` removed; must contain ``@``
naam_norm           names: lower case, accents removed, titles (dhr., mevr., mr., drs., ...) and
                    legal forms (B.V., BV, V.O.F., Stichting, ...) removed, ``Bos, Karin`` ->
                    ``karin bos``, prefixes (de, van der, ter, ...) removed: ``karin bos``
achternaam_key      last surname token without prefixes (``K. van den Bos`` -> ``bos``)
naam_kort           initials + surname (``Karin van den Bos`` -> ``k bos``)
==================  ==========================================================================
"""

from __future__ import annotations

import hashlib

import polars as pl
from rapidfuzz import fuzz

# --------------------------------------------------------------------------- vocabulary

TITELS = (
    "dhr", "mevr", "mw", "mr", "drs", "dr", "ir", "ing", "prof", "bc", "ds", "heer", "mevrouw",
    "jhr", "jkvr", "msc", "bsc", "ma", "ba", "phd", "jr", "sr", "fam", "familie",
)
VOORVOEGSELS = (
    "de", "der", "den", "van", "ter", "ten", "te", "het", "des", "in", "op", "onder", "aan",
    "bij", "uit", "voor", "over", "la", "le", "du", "da", "di", "del", "della", "von", "vom", "zu",
    "am", "l", "d", "s", "t",
)
# Legal forms, matched on the lower-cased name before punctuation is removed.
_RECHTSVORM = (
    r"(?:^|\s)(?:b\.?\s?v\.?|n\.?\s?v\.?|v\.?\s?o\.?\s?f\.?|c\.?\s?v\.?|stichting|vereniging|"
    r"cooperatie|coop\.?|u\.?\s?a\.?|eenmanszaak|holding\s+b\.?\s?v\.?)(?:\s|$|,)"
)
# Words that make a name an organisation (a bureau acting as gemachtigde or bewindvoerder).
_ORG_WOORDEN = (
    r"\b(?:bureau\w*|\w*bewind\w*|\w*beheer\w*|\w*administratie\w*|\w*zorg\w*|stichting|"
    r"vereniging|groep|kantoor|consult\w*|diensten|services?|centrum|instituut|praktijk|"
    r"coop\w*|holding|bv|nv|vof|cv)\b"
)
NAAM_DREMPEL = 90  # rapidfuzz token_sort_ratio (0-100) from which two names are the same


def _expr(c: pl.Expr | str) -> pl.Expr:
    return pl.col(c) if isinstance(c, str) else c


def _ascii_lower(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String).str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")


# --------------------------------------------------------------------------- simple keys


def norm_iban(c: pl.Expr | str) -> pl.Expr:
    """IBAN without spaces/dots/dashes, upper case; null when empty."""
    e = _expr(c).cast(pl.String).str.replace_all(r"[\s.\-]", "").str.to_uppercase()
    return pl.when(e.str.len_chars() > 0).then(e)


def norm_postcode(c: pl.Expr | str) -> pl.Expr:
    """Dutch postcode as ``1234AB``; null when it is not one."""
    e = _expr(c).cast(pl.String).str.replace_all(r"\s", "").str.to_uppercase()
    return pl.when(e.str.contains(r"^[1-9][0-9]{3}[A-Z]{2}$")).then(e)


def norm_telefoon(c: pl.Expr | str) -> pl.Expr:
    """Phone number as national digits: ``+31 6 1234 5678`` -> ``0612345678``.

    ``(0)`` after a country code is dropped; ``+31``, ``0031`` and a bare ``31`` followed by
    nine digits become ``0``; another ``+`` country code becomes ``00``. Fewer than nine
    digits: null."""
    raw = _expr(c).cast(pl.String).str.strip_chars().str.replace_all(r"\(0\)", "")
    plus = raw.str.starts_with("+")
    d = raw.str.replace_all(r"\D", "")
    d = pl.when(plus & d.str.starts_with("31")).then(pl.concat_str([pl.lit("0"), d.str.slice(2)])) \
        .when(plus).then(pl.concat_str([pl.lit("00"), d])) \
        .when(d.str.starts_with("0031")).then(pl.concat_str([pl.lit("0"), d.str.slice(4)])) \
        .when(d.str.contains(r"^31\d{9}$")).then(pl.concat_str([pl.lit("0"), d.str.slice(2)])) \
        .otherwise(d)
    return pl.when(d.str.len_chars() >= 9).then(d)


def norm_email(c: pl.Expr | str) -> pl.Expr:
    """E-mail trimmed and lower case (``mailto:`` and angle brackets removed)."""
    e = (_expr(c).cast(pl.String).str.strip_chars().str.to_lowercase()
         .str.replace(r"^mailto:", "").str.strip_chars("<> "))
    return pl.when(e.str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")).then(e)


def norm_datum(c: pl.Expr | str) -> pl.Expr:
    """A birth date as ``pl.Date``: a Date column as is, text in ``dd-mm-jjjj``,
    ``d-m-jjjj``, ``dd/mm/jjjj``, ``jjjj-mm-dd`` or ``jjjjmmdd``."""
    e = _expr(c)
    t = e.cast(pl.String).str.strip_chars().str.replace_all(r"[/.]", "-")
    return pl.coalesce(
        t.str.to_date("%Y-%m-%d", strict=False),
        t.str.to_date("%d-%m-%Y", strict=False),
        t.str.to_date("%Y%m%d", strict=False),
    )


# --------------------------------------------------------------------------- addresses

# street, number, addition (separator -, /, space or nothing); anchored at the end
_ADRES_RE = r"^(.*?)[\s,]*(\d+)\s*[-/]?\s*([a-z]{1,3}|\d{1,4}|[ivx]{1,4})?\.?\s*$"


def _toevoeging(e: pl.Expr) -> pl.Expr:
    t = e.str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "").fill_null("")
    return pl.when(t == "BIS").then(pl.lit("A")).otherwise(t)


def norm_straat(c: pl.Expr | str) -> pl.Expr:
    """Street name key: lower case, no accents, ``str.`` -> ``straat``, ``ln.`` -> ``laan``,
    ``burg.`` -> ``burgemeester``, no punctuation or spaces (``Kerk straat`` = ``Kerkstraat``)."""
    e = _ascii_lower(_expr(c))
    e = (e.str.replace_all(r"str(?:\.|\b)", "straat").str.replace_all(r"\bln(?:\.|\b)", "laan")
         .str.replace_all(r"\bburg(?:\.|\b)", "burgemeester").str.replace_all(r"[^a-z0-9]", ""))
    return pl.when(e.str.len_chars() > 0).then(e)


def huisnummer(c: pl.Expr | str) -> pl.Expr:
    """``Kerkstraat 14-a`` -> struct {straat: ``kerkstraat``, nummer: ``14``, toevoeging: ``A``}."""
    e = _ascii_lower(_expr(c)).str.strip_chars()
    # one regex pass; the fields are derived inside the struct (no re-evaluation)
    return e.str.extract_groups(_ADRES_RE).struct.rename_fields(["straat", "nummer", "toevoeging"]).struct.with_fields(
        norm_straat(pl.field("straat")).alias("straat"),
        pl.field("nummer").str.replace(r"^0+", "").alias("nummer"),
        _toevoeging(pl.field("toevoeging")).alias("toevoeging"),
    )


def _adres_uit(pc: pl.Expr, h: pl.Expr) -> pl.Expr:
    nr = h.struct.field("nummer")
    return pl.when(pc.is_not_null() & nr.is_not_null()).then(
        pl.concat_str([pc, nr, h.struct.field("toevoeging")], separator="|"))


def _straat_uit(h: pl.Expr, woonplaats: pl.Expr) -> pl.Expr:
    wp = _ascii_lower(woonplaats).str.replace_all(r"[^a-z]", "")
    st, nr = h.struct.field("straat"), h.struct.field("nummer")
    return pl.when(st.is_not_null() & nr.is_not_null() & (wp.str.len_chars() > 0)).then(
        pl.concat_str([pl.lit("S"), st, nr, h.struct.field("toevoeging"), wp], separator="|"))


def adres_key(postcode: pl.Expr | str, straat_huisnummer: pl.Expr | str) -> pl.Expr:
    """``POSTCODE|NUMMER|TOEVOEGING`` (``7581AB|14|A``); null without postcode or number."""
    return _adres_uit(norm_postcode(postcode), huisnummer(straat_huisnummer))


def straat_key(straat_huisnummer: pl.Expr | str, woonplaats: pl.Expr | str) -> pl.Expr:
    """``S|straat|NUMMER|TOEVOEGING|woonplaats`` for matching addresses without postcode."""
    return _straat_uit(huisnummer(straat_huisnummer), _expr(woonplaats))


# --------------------------------------------------------------------------- names


def _naam_schoon(c: pl.Expr) -> pl.Expr:
    """Lower case, accents gone, legal forms and 'de heer' removed, ``'t``/``'s`` spelled
    out, punctuation -> space, ``Bos, Karin`` -> ``karin § bos`` (§ marks the surname)."""
    e = _ascii_lower(c).str.strip_chars()
    e = e.str.replace_all(_RECHTSVORM, " ").str.replace_all(_RECHTSVORM, " ")
    e = e.str.replace(r"^(?:de\s+heer|de\s+hr\.?|mevrouw)\s+", "")
    e = e.str.replace_all(r"\bv\.\s*d(?:\.|\s)", "van der ").str.replace_all(r"(?:^|\s)v\.\s", " van ")
    e = e.str.replace_all(r"'t\b", " het ").str.replace_all(r"'s\b", " des ")
    # "Bos, Karin" / "Bos, K." -> "karin § bos"; "van den Bos, K." -> "k § van den bos"
    komma = e.str.contains(",")
    voor = e.str.split_exact(",", 1).struct.field("field_0")
    na = e.str.split_exact(",", 1).struct.field("field_1")
    e = pl.when(komma).then(pl.concat_str([na, pl.lit(" § "), voor])).otherwise(e)
    e = e.str.replace_all(r"[^a-z§]+", " ").str.strip_chars()
    return e


def met_naam(df: pl.LazyFrame | pl.DataFrame, c: str, prefix: str = "") -> pl.LazyFrame | pl.DataFrame:
    """Add ``{prefix}naam_norm``, ``{prefix}achternaam_key``, ``{prefix}naam_kort``,
    ``{prefix}alleen_voorletters`` (Boolean: the given names are initials only) and
    ``{prefix}is_organisatie`` (a legal form or an organisation word) for the name column
    ``c``. Computed in stages (each intermediate list once), vectorised."""
    t, s, vn, an = "__nm_tok", "__nm_start", "__nm_voor", "__nm_achter"
    idx = pl.int_range(pl.len())
    low = _ascii_lower(pl.col(c))
    out = df.with_columns(
        _naam_schoon(pl.col(c)).str.split(" ").list.eval(
            pl.element().filter((pl.element() != "") & ~pl.element().is_in(TITELS))).alias(t),
        (low.str.contains(_RECHTSVORM) | low.str.contains(_ORG_WOORDEN)).fill_null(False)
        .alias(f"{prefix}is_organisatie"),
    ).with_columns(
        pl.coalesce(
            pl.col(t).list.eval(pl.when(pl.element() == "§").then(idx)).list.min(),
            pl.col(t).list.eval(pl.when(pl.element().is_in(VOORVOEGSELS) & (idx > 0)).then(idx)).list.min(),
            pl.max_horizontal(pl.col(t).list.len() - 1, pl.lit(0)),
        ).alias(s),
    ).with_columns(
        pl.col(t).list.slice(0, pl.col(s)).list.eval(pl.element().filter(pl.element() != "§")).alias(vn),
        pl.col(t).list.slice(pl.col(s)).list.eval(pl.element().filter(pl.element() != "§")).alias(an),
    ).with_columns(
        pl.col(an).list.eval(pl.element().filter(~pl.element().is_in(VOORVOEGSELS))).alias("__nm_kern"),
    ).with_columns(
        pl.when(pl.col("__nm_kern").list.len() > 0).then(pl.col("__nm_kern")).otherwise(pl.col(an)).alias(an),
    ).with_columns(
        pl.concat_str([pl.col(vn).list.join(" "), pl.col(an).list.join(" ")], separator=" ").str.strip_chars()
        .alias("__nm_norm"),
        pl.concat_str([pl.col(vn).list.eval(pl.element().str.slice(0, 1)).list.join(""), pl.col(an).list.join(" ")],
                      separator=" ").str.strip_chars().alias("__nm_kort"),
        pl.col(an).list.last().alias("__nm_key"),
        ((pl.col(vn).list.len() > 0) & pl.col(vn).list.eval(pl.element().str.len_chars() == 1).list.all())
        .alias(f"{prefix}alleen_voorletters"),
    ).with_columns(
        pl.when(pl.col("__nm_norm").str.len_chars() > 0).then(pl.col("__nm_norm")).alias(f"{prefix}naam_norm"),
        pl.when(pl.col("__nm_key").str.len_chars() > 0).then(pl.col("__nm_key")).alias(f"{prefix}achternaam_key"),
        pl.when(pl.col("__nm_kort").str.len_chars() > 0).then(pl.col("__nm_kort")).alias(f"{prefix}naam_kort"),
    )
    return out.drop(t, s, vn, an, "__nm_kern", "__nm_norm", "__nm_kort", "__nm_key")


def naam_score(a: pl.Series | list, b: pl.Series | list) -> list[float]:
    """Pairwise (aligned, not all-pairs) rapidfuzz token_sort_ratio of two equal-length name
    arrays, 0-100; a null name scores 0. Only ever called on candidate pairs that already
    share a block key. (numpy is not a dependency, so rapidfuzz's array API ``cpdist`` is
    not available: the C scorer is mapped over the two arrays.)"""
    la = [x or "" for x in (a.to_list() if isinstance(a, pl.Series) else a)]
    lb = [x or "" for x in (b.to_list() if isinstance(b, pl.Series) else b)]
    return list(map(fuzz.token_sort_ratio, la, lb))


def naam_vergelijk(pairs: pl.DataFrame, links: str, rechts: str) -> pl.DataFrame:
    """Add ``naam_score`` (0-100), ``naam_hoe`` ('gelijk': equal naam_norm, 'voorletters':
    equal initials + surname, 'gelijkend': score >= NAAM_DREMPEL, null: no match) and
    ``naam_gelijk`` (Boolean) to a frame of candidate
    pairs that has ``{links}naam_norm``, ``{links}naam_kort``, ``{links}alleen_voorletters``
    and the same with ``rechts``. Same name = equal naam_norm, or score >= NAAM_DREMPEL, or
    equal initials + surname where one side gives initials only (``K. Bos`` = ``Karin Bos``)."""
    score = naam_score(pairs[f"{links}naam_norm"], pairs[f"{rechts}naam_norm"])
    out = pairs.with_columns(pl.Series("naam_score", score, dtype=pl.Float64))
    gelijk_norm = pl.col(f"{links}naam_norm") == pl.col(f"{rechts}naam_norm")
    kort = ((pl.col(f"{links}naam_kort") == pl.col(f"{rechts}naam_kort"))
            & (pl.col(f"{links}alleen_voorletters") | pl.col(f"{rechts}alleen_voorletters")))
    return out.with_columns(
        pl.when(gelijk_norm).then(pl.lit(100.0)).otherwise(pl.col("naam_score")).alias("naam_score"),
    ).with_columns(
        pl.when(gelijk_norm.fill_null(False)).then(pl.lit("gelijk"))
        .when(kort.fill_null(False)).then(pl.lit("voorletters"))
        .when(pl.col("naam_score") >= NAAM_DREMPEL).then(pl.lit("gelijkend"))
        .alias("naam_hoe"),
    ).with_columns(pl.col("naam_hoe").is_not_null().alias("naam_gelijk"))


# --------------------------------------------------------------------------- persons


PERSOON_ATTRIBUTEN = ("iban", "adres", "telefoon", "email")


def met_keys(lf: pl.LazyFrame, naam: bool = True) -> pl.LazyFrame:
    """Add the normalised keys to a frame with the person columns of the input contract
    (bsn, naam, geboortedatum, straat_huisnummer, postcode, woonplaats, iban, telefoon,
    email); missing columns are treated as empty. ``naam=False`` skips the name keys."""
    cols = lf.collect_schema().names()

    def col(n: str) -> pl.Expr:
        return pl.col(n) if n in cols else pl.lit(None, dtype=pl.String)

    lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias("naam")) if "naam" not in cols else lf
    if naam:
        lf = met_naam(lf, "naam", prefix="k_")
    # the address is parsed once (an expression used twice would be evaluated twice)
    lf = lf.with_columns(huisnummer(col("straat_huisnummer")).alias("__adr"))
    return lf.with_columns(
        pl.col("bsn").cast(pl.String).alias("k_bsn") if "bsn" in cols else pl.lit(None, pl.String).alias("k_bsn"),
        (norm_datum(col("geboortedatum")) if "geboortedatum" in cols else pl.lit(None, pl.Date)).alias("k_geboortedatum"),
        norm_iban(col("iban")).alias("k_iban"),
        _adres_uit(norm_postcode(col("postcode")), pl.col("__adr")).alias("k_adres"),
        _straat_uit(pl.col("__adr"), col("woonplaats")).alias("k_straat"),
        norm_telefoon(col("telefoon")).alias("k_telefoon"),
        norm_email(col("email")).alias("k_email"),
    ).drop("__adr")


def attribuut_keys(lf: pl.LazyFrame, ids: list[str]) -> pl.LazyFrame:
    """Long frame: ``ids`` + ``attribuut`` (iban / adres / telefoon / email) + ``key`` for
    every non-null key of a frame that went through ``met_keys``. An address gives its
    postcode key and its street key (both as attribuut ``adres``)."""
    parts = [
        lf.select(*ids, pl.lit(a).alias("attribuut"), pl.col(f"k_{k}").alias("key"))
        for a, k in (("iban", "iban"), ("adres", "adres"), ("adres", "straat"), ("telefoon", "telefoon"),
                     ("email", "email"))
    ]
    return pl.concat(parts).filter(pl.col("key").is_not_null())


# --------------------------------------------------------------------------- graphs


def componenten(edges: pl.DataFrame, a: str = "a", b: str = "b", max_rondes: int = 200) -> pl.DataFrame:
    """Connected components of an undirected graph given as an edge list (String node
    keys in columns ``a`` and ``b``; self-loops allowed to add isolated nodes).

    Returns ``node``, ``comp`` (the smallest node key of its component). Vectorised:
    nodes are numbered, then in polars joins every node repeatedly takes the minimum label
    of itself and its neighbours, and follows its label's label (pointer jumping), until
    nothing changes."""
    if edges.height == 0:
        return pl.DataFrame(schema={"node": pl.String, "comp": pl.String})
    nodes = pl.concat([edges.select(pl.col(a).alias("node")), edges.select(pl.col(b).alias("node"))]).unique()
    nodes = nodes.sort("node").with_row_index("i", offset=0).with_columns(pl.col("i").cast(pl.Int64))
    e = (edges.select(pl.col(a).alias("node"), pl.col(b).alias("node_b"))
         .join(nodes, on="node").rename({"i": "u"}).drop("node")
         .join(nodes.rename({"node": "node_b"}), on="node_b").rename({"i": "v"}).drop("node_b"))
    und = pl.concat([e.select("u", "v"), e.select(pl.col("v").alias("u"), pl.col("u").alias("v"))]).unique()
    lab = nodes.select("i", pl.col("i").alias("lab"))
    for _ in range(max_rondes):
        buur = (und.join(lab.rename({"i": "v", "lab": "lv"}), on="v")
                .group_by("u").agg(pl.col("lv").min()).rename({"u": "i"}))
        nieuw = (lab.join(buur, on="i", how="left")
                 .select("i", pl.min_horizontal("lab", "lv").alias("lab")))
        # pointer jumping: take the label of the label
        nieuw = (nieuw.join(nieuw.rename({"i": "lab", "lab": "lab2"}), on="lab", how="left")
                 .select("i", pl.min_horizontal("lab", "lab2").alias("lab")))
        if nieuw.sort("i")["lab"].equals(lab.sort("i")["lab"]):
            break
        lab = nieuw
    label = lab.sort("i")["lab"]
    # sorted node keys: label i is the smallest key of the component
    return nodes.with_columns(label.alias("comp_i")).join(
        nodes.select(pl.col("i").alias("comp_i"), pl.col("node").alias("comp")), on="comp_i"
    ).select("node", "comp")


def stabiele_id(leden: pl.Series, lengte: int = 12) -> pl.Series:
    """A stable id per group from its sorted member keys joined by ``;`` (sha256 prefix)."""
    return pl.Series([hashlib.sha256(x.encode()).hexdigest()[:lengte] for x in leden.to_list()],
                     dtype=pl.String)
