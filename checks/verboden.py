"""VERBODEN: spending the regeling bans, recognised in the line's `omschrijving`.

**What it finds.** A declaration line whose free-text `omschrijving` names one of the
regeling's `[verboden_bestedingen]` (category -> search terms: bemiddeling,
pgb-administratie, aanvraaghulp, contributie, cursus over het pgb, informatiemateriaal,
bijkomende kosten, reiskosten van de zorgverlener, verantwoordingsvrij bedrag, eenmalige
uitkering, feestdagenuitkering, ...), despite typing errors, word order, case, punctuation
and compound words.

**Why it matters.** The pgb may only buy the care of the beschikking. What the verordening
explicitly excludes (Losser art. 7.3 lid 4, 6, 7 and 8) is spent for another purpose
(art. 8.1.4 lid 1 sub e Jeugdwet).

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
not a swimming lesson with the zorgverlener).

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
        self.termen: list[_Term] = []
        for cat, term in paren:
            woorden = normaliseer(term).split()
            if not woorden:
                continue
            inhoud = tuple(d for w in woorden for d in self._delen(w) if d not in STOPWOORDEN)
            self.termen.append(_Term(cat, term, "".join(woorden), len(woorden), inhoud))
        self.max_venster = max((t.n_woorden for t in self.termen), default=1) + 1

    def _delen(self, woord: str) -> list[str]:
        return _splits(woord, self.lexicon)

    def match(self, omschrijving: str) -> tuple[str, str, int] | None:
        """(categorie, term, score 0..100) of the best banned term, or None."""
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


def _drempel(data: dict) -> float:
    v = data.get("pgb", {}).get("verboden_drempel")
    return DREMPEL if v is None else float(v)


def matches_frame(ctx: Context, paren: pl.DataFrame) -> pl.DataFrame:
    """Per distinct (regeling_id, omschrijving): categorie, term, score (null: no match)."""
    rijen = []
    for (rid,), groep in paren.group_by(["regeling_id"], maintain_order=True):
        r = ctx.regeling(rid)
        matcher = Matcher(r.data.get("verboden_bestedingen", {}), _drempel(r.data))
        for oms in groep["omschrijving"].to_list():
            hit = matcher.match(oms)
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
        .then(pl.concat_str([pl.lit("de regeling "), pl.col("regeling_id"),
                             pl.lit(" noemt geen verboden bestedingen")]))
        .otherwise(pl.lit("geen omschrijving")).alias("reden"))

    te_toetsen = lines.filter(toetsbaar)
    paren = te_toetsen.select("regeling_id", "omschrijving").unique().sort(["regeling_id", "omschrijving"]).collect()
    hits = matches_frame(ctx, paren).filter(pl.col("v_term").is_not_null()).lazy()

    gevonden = te_toetsen.join(hits, on=["regeling_id", "omschrijving"], how="inner")
    cat_tekst = pl.col("v_categorie").str.replace_all("_", " ")
    oms = pl.col("omschrijving")
    oms_kort = pl.when(oms.str.len_chars() > 80).then(
        pl.concat_str([oms.str.slice(0, 77), pl.lit("...")])).otherwise(oms)
    findings = line_findings(
        gevonden, pl.col("bedrag_ct"),
        pl.concat_str([
            pl.lit("De omschrijving '"), oms_kort, pl.lit("' "),
            pl.when(pl.col("v_score") >= 100).then(pl.lit("noemt")).otherwise(pl.lit("lijkt op")),
            pl.lit(" de verboden besteding '"), pl.col("v_term"), pl.lit("' (categorie "), cat_tekst,
            pl.lit(", "), pl.col("v_score").cast(pl.String), pl.lit("% overeenkomst); het pgb mag daar niet aan "
                                                                  "worden besteed ("),
            money.fmt_nl("bedrag_ct"), pl.lit(" euro)."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("categorie="), pl.col("v_categorie"), pl.lit(";term="), pl.col("v_term"),
                       pl.lit(";overeenkomst="), pl.col("v_score").cast(pl.String)]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
