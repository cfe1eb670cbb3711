"""VERBODEN: spending the regeling bans, recognised in the line's `omschrijving`.

**What it finds.** A declaration line whose free-text `omschrijving` names one of the
regeling's `[verboden_bestedingen]` (category -> search terms), despite typing errors, word
order, case, punctuation and compound words. The bundled lists hold only what the article
bans (Losser art. 7.3 lid 4: bemiddeling, pgb-administratie, hulp bij aanvragen en beheren,
contributie, cursussen over het pgb, informatiemateriaal, bijkomende zorgkosten, reiskosten
of the zorgverlener). The category `reiskosten_zorgverlener` never fires on a line in the
category `vervoer` or with unit `km`: that is the jeugdige's transport, which art. 7.4 lid 5
pays (a line whose best match is that category is then not judged on another category).

**Why it matters.** The pgb may only buy the care of the beschikking. What the verordening
explicitly excludes (Losser art. 7.3 lid 4) is spent for another purpose (art. 8.1.4 lid 1
sub e Jeugdwet). Lid 6 to 8 (no verantwoordingsvrij bedrag, no eenmalige uitkering, no
feestdagenuitkering) are choices about what the college grants, not spending a declaration
can show: they are not in the bundled lists.

**Article.** The regeling's `[artikelen].VERBODEN`.

**financieel_effect.** The line's `bedrag`.

**How the text is matched.** Fuzzy work is done once per DISTINCT
(`regeling_id`, `omschrijving`), in Python with rapidfuzz, and the result is joined back to
the lines in polars (no per-line Python).

1. Normalise description and terms: accents removed, lower case, every character that is
   not a letter or digit becomes a space (`pgb-administratie` -> `pgb administratie`).
2. Compound words are split with a lexicon made of the regeling's own term words (3+
   letters) and a few common parts of cost compounds (`BASISWOORDEN`: kosten, vergoeding,
   uitkering, bureau, buro, pakket, materiaal): a word that is `a + b` or `a + s + b`
   with `a` and `b` in the lexicon (or themselves splittable) becomes two words (`administratiekosten` -> `administratie
   kosten`, `pgbadministratie` -> `pgb administratie`). A word with an unknown part
   (`schooladministratie`: `school` is no term word) stays whole.
3. Word similarity is rapidfuzz's OSA similarity (edit distance counting a transposition
   as one typing error), normalised to 0..1: `1 - edits / length of the longer word`.
4. A term matches when, with similarity at least the *drempel* (default `DREMPEL` = 0.85;
   a regeling may set `pgb.verboden_drempel`, a fraction, once its schema allows it):
   a. *as written*: some run of 1 .. (term words + 1) consecutive description words,
      glued together without spaces, is similar to the term glued together
      (`Adminstratiekosten PGB` ~ `administratiekosten`; `pgb administratie` ~
      `pgb-administratie`; `per saldo` ~ `Per Saldo`); or
   b. *in any order* (terms of two or more content words after splitting, Dutch stop
      words such as `van`, `de`, `het`, `bij` left out on both sides): every content word
      of the term is similar to a different description word, and those description words
      lie within a span of (term words + 1) content words (`kosten administratie pgb` ~
      `administratiekosten`). The score is that of the weakest word.
   c. *inside a compound*: a one-word term of at least `MIN_KOP` (8) letters, spelt
      exactly, is the start or the end of a longer description word with at least 3 more
      letters (`Bemiddelingsburo` ~ `bemiddeling`, `jaarcontributie` ~ `contributie`);
      score 100.
   Otherwise words are compared whole: a description word that merely contains a term
   word (`schooladministratie`: `administratie` alone is no term; `bonuskaart`: `bonus`
   is too short to be recognised inside a compound) is not that word. With 0.85, words of
   up to 6 letters must be spelt exactly, words of 7-13 letters may have one typing
   error, 14-19 letters two (`onkosten` is not `kosten`: two letters short).
5. Of all matching terms, the best score wins; ties go to the longer term, then to the
   category and term in alphabetical order (deterministic).

Fires: `Adminstratiekosten PGB` (150,00) under Losser 2025: matches `administratiekosten`
(category administratie, 95%), finding of 150,00.
Does not fire: `schooladministratie doornemen`, `reizen met het OV oefenen`, `begeleiding
bij huiswerk`, `cursus zwemmen met begeleider` (the regeling bans courses about the pgb,
not a swimming lesson with the zorgverlener); `reiskosten zorgverlener` on a vervoer line.

Niet toetsbaar: a line without regeling; a line whose regeling has no
`[verboden_bestedingen]` (De Ronde Venen 2026); a line without `omschrijving` ("geen
omschrijving": nothing to judge the text on).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from auditor import formatting as money  # Dutch number formatting lives in auditor.formatting
from auditor.engine import CheckResult, Context, check, finding_frame, line_findings

CODE = "VERBODEN"
REISKOSTEN_ZORGVERLENER = "reiskosten_zorgverlener"
#: the categories of the bundled lists in a budgethouder's words (art. 7.3 lid 4)
CATEGORIE_TEKST = {
    "bemiddeling": "bemiddeling door tussenpersonen of belangbehartigers",
    "administratie": "het voeren van een pgb-administratie",
    "aanvraaghulp": "hulp bij het aanvragen en beheren van het pgb",
    "contributie": "contributie voor een lidmaatschap",
    "cursus": "een cursus over het pgb",
    "informatiemateriaal": "informatiemateriaal",
    "bijkomende_kosten": "bijkomende zorgkosten",
    "reiskosten_zorgverlener": "reiskosten van de zorgverlener",
}
#: minimal word similarity (OSA, normalised) for a term to match; see the module doc.
DREMPEL = 0.85
#: Dutch function words ignored in the order-free comparison (4b) and never used to split
#: compounds. "per" is one, so that "Per Saldo" (a name) only matches as written.
STOPWOORDEN = frozenset(
    "de het een van voor bij over met en of in op aan te door naar om uit tot als per".split())
MIN_DEEL = 3  # shortest lexicon word used to split compounds
#: common parts of Dutch cost compounds, added to the lexicon of every regeling so that
#: `administratiekosten` splits even where `kosten` is no term word of its own.
BASISWOORDEN = frozenset({"kosten", "vergoeding", "uitkering", "bureau", "buro", "pakket", "materiaal"})
MIN_KOP = 8   # shortest one-word term recognised inside a longer compound (4c)

_NIET_ALFANUM = re.compile(r"[^a-z0-9]+")


def normaliseer(tekst: str) -> str:
    """Accents off, lower case, every non-alphanumeric run a single space."""
    if tekst.isascii():         # nothing to decompose: the same result without a loop per character
        return _NIET_ALFANUM.sub(" ", tekst.lower()).strip()
    t = unicodedata.normalize("NFKD", tekst)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return _NIET_ALFANUM.sub(" ", t).strip()


MAX_SAMENSTELLING = 60   # longer "words" are not Dutch compounds (and would make splitting quadratic)


def _splits(woord: str, lexicon: frozenset[str]) -> list[str]:
    """Split a compound into lexicon words (`a + b` or `a + s + b`), else `[woord]`."""
    if len(woord) > MAX_SAMENSTELLING:
        return [woord]

    @functools.lru_cache(maxsize=None)
    def rec(w: str) -> tuple[str, ...] | None:
        if w in lexicon:
            best: tuple[str, ...] | None = (w,)
        else:
            best = None
        for i in range(MIN_DEEL, len(w) - MIN_DEEL + 1):
            a = w[:i]
            if a not in lexicon:
                continue
            for link in ("", "s"):
                rest = w[i:]
                if not rest.startswith(link):
                    continue
                b = rest[len(link):]
                if len(b) < MIN_DEEL:
                    continue
                sub = rec(b)
                if sub is not None and (best is None or len(sub) + 1 > len(best)):
                    best = (a, *sub)
        return best

    r = rec(woord)
    return list(r) if r is not None else [woord]


@dataclass(frozen=True)
class _Term:
    categorie: str
    term: str            # as written in the regeling
    geplakt: str         # normalised, without spaces
    n_woorden: int
    inhoud: tuple[str, ...]   # content words after compound splitting


class Matcher:
    """The banned-spending matcher of one regeling (its `[verboden_bestedingen]`)."""

    def __init__(self, verboden: dict[str, list[str]], drempel: float = DREMPEL):
        self.drempel = float(drempel)
        paren = [(cat, term) for cat, termen in sorted(verboden.items()) for term in termen]
        lex = {w for _, t in paren for w in normaliseer(t).split() if len(w) >= MIN_DEEL}
        self.lexicon = frozenset((lex | BASISWOORDEN) - STOPWOORDEN)
        self._gesplitst: dict[str, list[str]] = {}
        self.termen: list[_Term] = []
        for cat, term in paren:
            woorden = normaliseer(term).split()
            if not woorden:
                continue
            inhoud = tuple(d for w in woorden for d in self._delen(w) if d not in STOPWOORDEN)
            self.termen.append(_Term(cat, term, "".join(woorden), len(woorden), inhoud))
        self.max_venster = max((t.n_woorden for t in self.termen), default=1) + 1

    def _delen(self, woord: str) -> list[str]:
        d = self._gesplitst.get(woord)
        if d is None:
            if len(self._gesplitst) > 1_000_000:
                self._gesplitst.clear()
            d = self._gesplitst[woord] = _splits(woord, self.lexicon)
        return d

    def match(self, omschrijving: str) -> tuple[str, str, int] | None:
        """(categorie, term, score 0..100) of the best banned term, or None."""
        return self.match_many([omschrijving])[0]

    def match_many(self, omschrijvingen: list[str]) -> list[tuple[str, str, int] | None]:
        """`match` for many descriptions at once (see `_batch`): the same answers as
        `match_one` for each, in time linear in the text."""
        if not omschrijvingen or not self.termen:
            return [None] * len(omschrijvingen)
        if self.drempel <= 1e-9 or len(omschrijvingen) <= 8:
            # every term matches everything (no pruning possible), or too few texts to pay
            # for the batch's set-up
            return [self.match_one(o) for o in omschrijvingen]
        return _batch(self, omschrijvingen)

    def match_one(self, omschrijving: str) -> tuple[str, str, int] | None:
        """The rule of the module doc, one description at a time (the reference
        `match_many` is tested against; quadratic in terms x windows, so not used in a run)."""
        woorden = normaliseer(omschrijving).split()
        if not woorden or not self.termen:
            return None
        # 4a: runs of consecutive words glued together, against every glued term at once
        vensters = list(dict.fromkeys(
            "".join(woorden[i:i + k]) for k in range(1, self.max_venster + 1)
            for i in range(0, len(woorden) - k + 1)))
        score_a = [process.extractOne(t.geplakt, vensters, scorer=OSA.normalized_similarity)[1]
                   for t in self.termen]
        # 4b: content words in any order
        delen = [d for w in woorden for d in self._delen(w) if d not in STOPWOORDEN]
        beste: tuple[float, int, str, str] | None = None
        for idx, t in enumerate(self.termen):
            s = float(score_a[idx])
            if len(t.inhoud) >= 2 and delen:
                s = max(s, self._score_b(t.inhoud, delen))
            # 4c: a compound that contains a long one-word term whole, at its start or end
            if s < 1.0 and t.n_woorden == 1 and len(t.geplakt) >= MIN_KOP and any(
                    len(w) >= len(t.geplakt) + MIN_DEEL and (w.startswith(t.geplakt) or w.endswith(t.geplakt))
                    for w in woorden):
                s = 1.0
            if s + 1e-9 < self.drempel:
                continue
            key = (s, len(t.geplakt), t.categorie, t.term)
            if beste is None or (key[0], key[1]) > (beste[0], beste[1]) or (
                    (key[0], key[1]) == (beste[0], beste[1]) and (key[2], key[3]) < (beste[2], beste[3])):
                beste = key
        if beste is None:
            return None
        return beste[2], beste[3], int(round(beste[0] * 100))

    def _score_b(self, inhoud: tuple[str, ...], delen: list[str]) -> float:
        # each term word its best description word, distinct positions, within a span
        posities, scores = [], []
        for woord in inhoud:
            _, s, j = process.extractOne(woord, delen, scorer=OSA.normalized_similarity)
            if s + 1e-9 < self.drempel or j in posities:
                return 0.0
            posities.append(j)
            scores.append(float(s))
        if max(posities) - min(posities) + 1 > len(inhoud) + 1:
            return 0.0
        return min(scores)


_MAX_KEUZES = 250_000   # choices per rapidfuzz cdist call (bounds its score matrix)


def _similar(vragen: list[str], keuzes: pl.Series, drempel: float) -> pl.DataFrame:
    """Every (vraag, keuze) pair with OSA similarity >= drempel, with its score.

    The edit distance is at least the difference in length, so a pair can only reach the
    drempel when `|len a - len b| <= (1 - drempel) * max(len a, len b)`: per length of the
    choices only the questions in reach are compared (rapidfuzz cdist, in C, both cores)."""
    cut = drempel - 1e-9
    uniek = pl.DataFrame({"k": keuzes}).unique().with_columns(pl.col("k").str.len_chars().alias("n"))
    rijen: list[pl.DataFrame] = []
    for (n,), groep in uniek.group_by(["n"]):
        qs = [q for q in vragen if abs(len(q) - n) <= (1 - drempel) * max(len(q), n) + 1e-9]
        if not qs:
            continue
        ks = groep["k"]
        for start in range(0, ks.len(), _MAX_KEUZES):
            deel = ks.slice(start, _MAX_KEUZES)
            m = process.cdist(qs, deel.to_list(), scorer=OSA.normalized_similarity, score_cutoff=cut,
                              dtype="float64", workers=-1)
            qi, ki = m.nonzero()
            if len(qi):
                rijen.append(pl.DataFrame({"vraag": [qs[i] for i in qi.tolist()],
                                           "keuze": deel.gather(ki.tolist()),
                                           "score": m[qi, ki].tolist()},
                                          schema={"vraag": pl.String, "keuze": pl.String, "score": pl.Float64}))
    return pl.concat(rijen) if rijen else pl.DataFrame(
        schema={"vraag": pl.String, "keuze": pl.String, "score": pl.Float64})


def _batch(m: Matcher, omschrijvingen: list[str]) -> list[tuple[str, str, int] | None]:
    """`Matcher.match_one` for every description, vectorised: each distinct window, word
    and compound part is compared once with the terms in reach of its length (4a, 4b),
    compounds are tested with polars string functions (4c), and the best term per
    description is picked in polars with the same order as `match_one`."""
    termen = pl.DataFrame({
        "t": list(range(len(m.termen))), "geplakt": [t.geplakt for t in m.termen],
        "lengte": [len(t.geplakt) for t in m.termen], "categorie": [t.categorie for t in m.termen],
        "term": [t.term for t in m.termen]})
    tekst = pl.DataFrame({"tekst": [normaliseer(o) for o in omschrijvingen]}).with_row_index("d")
    woorden = (tekst.select("d", pl.col("tekst").str.split(" ").alias("w")).explode("w")
               .filter(pl.col("w").is_not_null() & (pl.col("w") != ""))
               .with_columns(pl.int_range(pl.len()).over("d").alias("pos")))
    scores: list[pl.DataFrame] = []
    # 4a: runs of 1 .. max_venster consecutive words, glued
    # (words are in order of d and pos, so a run stays inside its description when the
    # word k-1 places on has the same d); only runs whose length some term can reach
    kort, lang = termen["lengte"].min() * m.drempel - 1, termen["lengte"].max() / m.drempel + 1
    vensters = pl.concat([
        woorden.lazy().select("d", pl.when(pl.col("d").shift(-(k - 1)) == pl.col("d")).then(
            pl.concat_str([pl.col("w").shift(-j) for j in range(k)])).alias("v"))
        .filter(pl.col("v").str.len_chars().is_between(kort, lang)) for k in range(1, m.max_venster + 1)]).collect()
    hits = _similar(termen["geplakt"].unique().to_list(), vensters["v"], m.drempel)
    scores.append(vensters.filter(pl.col("v").is_in(hits["keuze"].implode())).join(
        hits, left_on="v", right_on="keuze").join(
        termen.select("t", "geplakt"), left_on="vraag", right_on="geplakt").select("d", "t", "score"))
    # 4b: content words in any order (terms of two or more content words)
    meer = [(i, j, w) for i, t in enumerate(m.termen) if len(t.inhoud) >= 2 for j, w in enumerate(t.inhoud)]
    if meer:
        # only a word that starts with a lexicon word can split (`_splits`); the rest stay whole
        uniek = woorden.select("w").unique().filter(
            (pl.col("w").str.len_chars() >= 2 * MIN_DEEL)
            & pl.any_horizontal([pl.col("w").str.starts_with(x) for x in sorted(m.lexicon)]))["w"]
        splits = pl.DataFrame({"w": uniek, "deel": [m._delen(w) for w in uniek.to_list()]},
                              schema={"w": pl.String, "deel": pl.List(pl.String)})
        delen = (woorden.sort("d", "pos").join(splits, on="w", how="left", maintain_order="left")
                 .with_columns(pl.coalesce("deel", pl.concat_list("w")))
                 .explode("deel").filter(~pl.col("deel").is_in(list(STOPWOORDEN)))
                 .with_columns(pl.int_range(pl.len()).over("d").alias("j")).select("d", "j", "deel"))
        tw = pl.DataFrame(meer, schema={"t": pl.Int64, "i": pl.Int64, "tw": pl.String}, orient="row")
        hits = _similar(tw["tw"].unique().to_list(), delen["deel"], m.drempel)
        beste = (delen.join(hits, left_on="deel", right_on="keuze").rename({"vraag": "tw"})
                 .group_by("d", "tw").agg(pl.col("j").filter(pl.col("score") == pl.col("score").max()).min(),
                                          pl.col("score").max()))
        nodig = tw.group_by("t").len("m")
        b = (tw.join(beste, on="tw").group_by("d", "t")
             .agg(pl.len().alias("n"), pl.col("j").n_unique().alias("nj"), (pl.col("j").max() - pl.col("j").min() + 1)
                  .alias("span"), pl.col("score").min())
             .join(nodig, on="t")
             .filter((pl.col("n") == pl.col("m")) & (pl.col("nj") == pl.col("m")) & (pl.col("span") <= pl.col("m") + 1)))
        scores.append(b.select("d", pl.col("t").cast(pl.UInt32), "score"))
    # 4c: a long one-word term spelt exactly at the start or end of a longer compound
    kop = [(i, t.geplakt) for i, t in enumerate(m.termen) if t.n_woorden == 1 and len(t.geplakt) >= MIN_KOP]
    if kop:
        uniek = woorden.select("w").unique()
        c = pl.concat([uniek.filter((pl.col("w").str.len_chars() >= len(g) + MIN_DEEL)
                                    & (pl.col("w").str.starts_with(g) | pl.col("w").str.ends_with(g)))
                       .with_columns(pl.lit(i, dtype=pl.UInt32).alias("t")) for i, g in kop])
        scores.append(woorden.join(c, on="w").select("d", "t", pl.lit(1.0).alias("score")))
    alles = pl.concat([x.with_columns(pl.col("d").cast(pl.UInt32), pl.col("t").cast(pl.UInt32)) for x in scores])
    beste = (alles.group_by("d", "t").agg(pl.col("score").max())
             .filter(pl.col("score") + 1e-9 >= m.drempel)
             .join(termen.with_columns(pl.col("t").cast(pl.UInt32)), on="t")
             .sort(["d", "score", "lengte", "categorie", "term"], descending=[False, True, True, False, False])
             .unique("d", keep="first", maintain_order=True))
    out: list[tuple[str, str, int] | None] = [None] * len(omschrijvingen)
    for d, cat, term, score in beste.select("d", "categorie", "term", "score").iter_rows():
        out[d] = (cat, term, int(round(score * 100)))
    return out


def _drempel(data: dict) -> float:
    v = data.get("pgb", {}).get("verboden_drempel")
    return DREMPEL if v is None else float(v)


def matches_frame(ctx: Context, paren: pl.DataFrame) -> pl.DataFrame:
    """Per distinct (regeling_id, omschrijving): categorie, term, score (null: no match)."""
    rijen = []
    for (rid,), groep in paren.group_by(["regeling_id"], maintain_order=True):
        r = ctx.regeling(rid)
        matcher = Matcher(r.data.get("verboden_bestedingen", {}), _drempel(r.data))
        teksten = groep["omschrijving"].to_list()
        for oms, hit in zip(teksten, matcher.match_many(teksten)):
            rijen.append((rid, oms, *(hit if hit else (None, None, None))))
    return pl.DataFrame(rijen, schema={"regeling_id": pl.String, "omschrijving": pl.String,
                                       "v_categorie": pl.String, "v_term": pl.String, "v_score": pl.Int64},
                        orient="row")


@check(CODE, soort="fout", titel="Verboden besteding")
def run(ctx: Context) -> CheckResult:
    """Spending the regeling bans, recognised in `omschrijving` despite typing errors and word order."""
    heeft = ctx.params.lazy().select("regeling_id", "heeft_verboden_bestedingen")
    lines = ctx.lines.join(heeft, on="regeling_id", how="left")
    toetsbaar = (pl.col("regeling_id").is_not_null() & pl.col("heeft_verboden_bestedingen").fill_null(False)
                 & pl.col("omschrijving").is_not_null())
    nt = lines.filter(~toetsbaar).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null()).then(pl.lit("geen regeling voor deze gemeente en datum"))
        .when(~pl.col("heeft_verboden_bestedingen").fill_null(False))
        .then(pl.lit("de regeling noemt geen verboden bestedingen"))
        .otherwise(pl.lit("geen omschrijving")).alias("reden"))

    te_toetsen = lines.filter(toetsbaar)
    paren = te_toetsen.select("regeling_id", "omschrijving").unique().sort(["regeling_id", "omschrijving"]).collect()
    hits = matches_frame(ctx, paren).filter(pl.col("v_term").is_not_null()).lazy()

    gevonden = (te_toetsen.join(hits, on=["regeling_id", "omschrijving"], how="inner")
                # the jeugdige's own transport is paid (Losser art. 7.4 lid 5): the ban on the
                # zorgverlener's travel costs (art. 7.3 lid 4) never applies to a vervoer or km line
                .filter(~((pl.col("v_categorie") == REISKOSTEN_ZORGVERLENER)
                          & ((pl.col("categorie") == "vervoer") | (pl.col("eenheid") == "km")))))
    cat_tekst = pl.col("v_categorie").replace_strict(CATEGORIE_TEKST, default=pl.col("v_categorie").str.replace_all("_", " "),
                                                     return_dtype=pl.String)
    oms = pl.col("omschrijving")
    oms_kort = pl.when(oms.str.len_chars() > 80).then(
        pl.concat_str([oms.str.slice(0, 77), pl.lit("...")])).otherwise(oms)
    findings = line_findings(
        gevonden, pl.col("bedrag_ct"),
        pl.concat_str([
            pl.lit("De omschrijving '"), oms_kort, pl.lit("' "),
            pl.when(pl.col("v_score") >= 100).then(pl.lit("noemt")).otherwise(pl.lit("lijkt op")),
            pl.lit(" de verboden besteding '"), pl.col("v_term"), pl.lit("' ("), cat_tekst,
            pl.lit(", "), pl.col("v_score").cast(pl.String), pl.lit("% overeenkomst); het pgb mag daar niet aan "
                                                                  "worden besteed ("),
            money.fmt_nl("bedrag_ct"), pl.lit(" euro)."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("categorie="), pl.col("v_categorie"), pl.lit(";term="), pl.col("v_term"),
                       pl.lit(";overeenkomst="), pl.col("v_score").cast(pl.String)]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
