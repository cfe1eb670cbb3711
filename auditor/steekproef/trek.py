"""Selection: which items, as jfa's `selection()`; seeded.

Population: the audited declaration lines with `bedrag > 0`, ordered by `declaratie_id`
(a line of 0 or less cannot hold a monetary unit; jfa also drops negative values). Units:
`euros` (monetary-unit sampling, each cent a unit) or `regels` (record sampling). Methods:

* `interval` (jfa `method = "interval"`): interval J = population / n, a start u drawn with
  the seed in 1..floor(J) (cents or record positions), units u + kJ for k = 0..n-1. jfa's
  default start is 1; a random start is the accountant's practice and the earlier
  `pgb-audit steekproef` draw, which this reproduces exactly for `euros`;
* `cel` (jfa `"cell"`): one unit drawn uniformly within each of the n cells of width J;
* `willekeurig` (jfa `"random"`): n units drawn at random, in euros with replacement and
  probability proportional to the amount, in records without replacement.

`treffers` is how many of the n units fell in the line (jfa's `times`); a line of at least
J is always hit by `interval` (`bovenste_laag = ja`). The same population, n, method, units
and seed give the same sample.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import polars as pl

from auditor import formatting

METHODEN = ("interval", "cel", "willekeurig")
EENHEDEN = ("euros", "regels")


@dataclass
class Selectie:
    regels: pl.DataFrame       # the selected lines, with `treffers` and `bovenste_laag`
    meta: dict


def populatie(decl: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(population, rest): lines with bedrag > 0 by declaratie_id, and the others."""
    pop = decl.filter(pl.col("bedrag_ct") > 0).sort("declaratie_id")
    rest = decl.filter(~(pl.col("bedrag_ct") > 0) | pl.col("bedrag_ct").is_null())
    return pop, rest


def interval_euros(pop: pl.DataFrame, n: int, totaal: int, seed: int) -> tuple[pl.DataFrame, int, Fraction]:
    interval = Fraction(totaal, n)
    u = random.Random(seed).randint(1, max(1, math.floor(interval)))
    # number of units u + kJ (k = 0..n-1) at or below c: floor((c - u) * n / totaal) + 1, within 0..n
    cum = pop.with_columns(pl.col("bedrag_ct").cum_sum().alias("_tot"))
    cum = cum.with_columns((pl.col("_tot") - pl.col("bedrag_ct")).alias("_van"))

    def upto(c: pl.Expr) -> pl.Expr:
        k = pl.when(c >= u).then((c - u) * n // totaal + 1).otherwise(0)
        return pl.min_horizontal(k, pl.lit(n))

    sel = cum.with_columns((upto(pl.col("_tot")) - upto(pl.col("_van"))).alias("treffers"))
    return sel.drop("_tot", "_van"), u, interval


def _hits_from_units(pop: pl.DataFrame, units: np.ndarray, eenheden: str) -> pl.DataFrame:
    """treffers per line for drawn units: cents 1..total (euros) or positions 0..N-1 (regels)."""
    if eenheden == "euros":
        cum = pop["bedrag_ct"].cum_sum().to_numpy()
        idx = np.searchsorted(cum, units, side="left")     # first line whose cumulative >= unit
    else:
        idx = units.astype(np.int64)
    counts = np.bincount(idx, minlength=pop.height)
    return pop.with_columns(pl.Series("treffers", counts, dtype=pl.Int64))


def selecteer(decl: pl.DataFrame, n: int, methode: str = "interval", eenheden: str = "euros",
              seed: int = 0) -> Selectie:
    """Draw n units from the declaration lines (typed: declaratie_id, bedrag_ct, ...)."""
    if methode not in METHODEN:
        raise ValueError(f"onbekende methode {methode}; kies uit {', '.join(METHODEN)}")
    if eenheden not in EENHEDEN:
        raise ValueError(f"onbekende eenheden {eenheden}; kies uit {', '.join(EENHEDEN)}")
    if n <= 0:
        raise ValueError("de steekproefomvang n moet groter dan 0 zijn")
    pop, rest = populatie(decl)
    totaal = int(pop["bedrag_ct"].sum()) if pop.height else 0
    omvang = totaal if eenheden == "euros" else pop.height
    meta = {
        "methode": methode, "eenheden": eenheden, "seed": seed, "n": n,
        "populatie_regels": pop.height, "populatie_bedrag": formatting.eur_csv(totaal),
        "buiten_populatie_regels": rest.height,
        "buiten_populatie_bedrag": formatting.eur_csv(int(rest["bedrag_ct"].fill_null(0).sum())),
    }
    if omvang == 0:
        meta.update(interval=None, start=None, geselecteerde_regels=0)
        empty = pop.head(0).with_columns(pl.lit(0, dtype=pl.Int64).alias("treffers"), pl.lit("").alias("bovenste_laag"))
        return Selectie(empty, meta)
    if eenheden == "euros" and n > totaal:
        raise ValueError("de steekproef kan niet groter zijn dan het aantal eurocenten in de populatie")
    interval = Fraction(omvang, n)
    start = None
    if methode == "interval" and eenheden == "euros":
        sel, u, interval = interval_euros(pop, n, totaal, seed)
        start = formatting.eur_csv(u)
    else:
        rng = np.random.default_rng(seed)
        if methode == "interval":      # records: positions ceil(u + kJ), u in 1..J, 1-based
            u = random.Random(seed).randint(1, max(1, math.floor(interval)))
            k = np.arange(n, dtype=np.int64)
            units = u + (k * interval.numerator + interval.denominator - 1) // interval.denominator - 1
            start = str(u)
        elif methode == "cel":
            lo = np.arange(n) * (omvang / n)
            draw = lo + rng.random(n) * (omvang / n)
            units = (np.floor(draw).astype(np.int64) + 1) if eenheden == "euros" else np.floor(draw).astype(np.int64)
            units = np.clip(units, 1 if eenheden == "euros" else 0, omvang if eenheden == "euros" else omvang - 1)
        elif eenheden == "euros":
            units = rng.integers(1, totaal + 1, size=n)          # every cent equally likely
        else:
            units = rng.choice(omvang, size=n, replace=n > omvang)
        sel = _hits_from_units(pop, np.sort(units), eenheden)
    sel = sel.filter(pl.col("treffers") > 0)
    grens = pl.col("bedrag_ct") * n >= totaal if eenheden == "euros" else pl.lit(False)
    sel = sel.with_columns(pl.when(grens).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("bovenste_laag"))
    iv_dec = Decimal(interval.numerator) / Decimal(interval.denominator)
    iv = str(((iv_dec / 100) if eenheden == "euros" else iv_dec).quantize(Decimal("0.01")))
    meta.update(interval=iv, start=start, geselecteerde_regels=sel.height, volgorde="declaratie_id oplopend")
    return Selectie(sel, meta)
