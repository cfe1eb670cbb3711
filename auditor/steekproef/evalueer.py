"""Evaluation: what the audited sample says about the population, as jfa's `evaluation()`.

From the audited items (book value b, audited value a, and `treffers`, the monetary units
that fell in the item, jfa's `times`):

* taint `(b - a) / b` per item; an overstatement (taint > 0) is capped at 1, an
  understatement (taint < 0) is reported beside the bound and not netted into it;
* n = the number of sampled units (sum of `treffers`), x = items with an overstatement,
  t = the sum of the capped overstatement taints, each times its `treffers` (jfa: taint x times);
* most likely error `mle = t / n` (hypergeometric: x / n, as jfa);
* the upper error limit by the chosen method (see `bounds`), as a share and in euros
  (share x book value of the population), and the conclusion: `goedkeurend` when the
  bound is below the materiality, else `niet goedkeurend`.

Difference with jfa: jfa's Poisson and binomial bounds and its mle use the plain sum of the
taints, so an understatement lowers them; here understatements are kept out (the spec: they
are reported, not netted). Without understatements the numbers are jfa's.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import polars as pl

from auditor.steekproef import bounds

#: CLI name -> (family, stringer?)
METHODEN = {
    "poisson": ("poisson", False), "binomiaal": ("binomial", False), "hypergeometrisch": ("hypergeometric", False),
    "stringer": ("binomial", True), "stringer.poisson": ("poisson", True),
    "stringer.hypergeometrisch": ("hypergeometric", True),
}


@dataclass
class Evaluatie:
    methode: str
    n: int
    x: int
    t: float
    mle: float
    ub: float
    ub_euro: float | None
    materialiteit: float
    conclusie: str
    betrouwbaarheid: float = 0.95
    onderschattingen: int = 0              # items with audited > book
    onderschatting_euro: float = 0.0       # sum of (audited - book) of those items
    overschatting_euro: float = 0.0        # sum of (book - audited) of the overstatements
    taints: list[float] = field(default_factory=list)   # the capped overstatement taints, descending

    def json(self) -> dict:
        keys = ("methode", "n", "x", "t", "mle", "ub", "ub_euro", "materialiteit", "conclusie")
        d = asdict(self)
        return {k: d[k] for k in keys}


def taints(sample: pl.DataFrame) -> pl.DataFrame:
    """`sample`: boekwaarde_ct, controlewaarde_ct (Int64) and optionally treffers. Adds
    `taint` (uncapped), `taint_cap` (overstatements capped at 1, else 0) and `treffers`."""
    s = sample if "treffers" in sample.columns else sample.with_columns(pl.lit(1, dtype=pl.Int64).alias("treffers"))
    return s.with_columns(
        ((pl.col("boekwaarde_ct") - pl.col("controlewaarde_ct")) / pl.col("boekwaarde_ct")).alias("taint"),
    ).with_columns(
        pl.when(pl.col("taint") > 0).then(pl.min_horizontal(pl.col("taint"), pl.lit(1.0))).otherwise(0.0)
        .alias("taint_cap"),
    )


def _conclusie(ub: float, materialiteit: float) -> str:
    return "goedkeurend" if ub < materialiteit else "niet goedkeurend"


def evalueer_samenvatting(n: int, x: float, materialiteit: float, betrouwbaarheid: float = 0.95,
                          methode: str = "poisson", N: int | None = None,
                          boekwaarde_ct: int | None = None) -> Evaluatie:
    """jfa's `evaluation(x =, n =)`: summary statistics, no taints (Stringer needs the data)."""
    fam, is_stringer = METHODEN[methode]
    if is_stringer:
        raise ValueError("de Stringer-grens heeft de gecontroleerde posten nodig (geef de werkmap)")
    if n <= 0 or x < 0 or x > n:
        raise ValueError("verwacht 0 <= fouten <= n en n > 0")
    if fam == "hypergeometric":
        x = math.ceil(x)
    ub = bounds.ub(fam, n, x, x, betrouwbaarheid, N)
    mle = x / n
    return Evaluatie(methode, int(n), int(math.ceil(x)), float(x), mle, ub,
                     None if boekwaarde_ct is None else ub * boekwaarde_ct / 100, materialiteit,
                     _conclusie(ub, materialiteit), betrouwbaarheid)


def evalueer(sample: pl.DataFrame, materialiteit: float, betrouwbaarheid: float = 0.95,
             methode: str = "stringer", N: int | None = None, boekwaarde_ct: int | None = None) -> Evaluatie:
    """Evaluate an audited sample (see `taints` for the columns). `N`: population units for
    the hypergeometric methods; `boekwaarde_ct`: the population's book value for ub in euros."""
    fam, is_stringer = METHODEN[methode]
    s = taints(sample)
    n = int(s["treffers"].sum())
    if n <= 0:
        raise ValueError("de steekproef bevat geen gecontroleerde posten")
    over = s.filter(pl.col("taint") > 0)
    under = s.filter(pl.col("taint") < 0)
    x = int(over.height)
    # per unit: an item hit k times counts its taint k times (jfa: taint x times)
    per_unit = np.repeat(over["taint_cap"].to_numpy(), over["treffers"].to_numpy())
    t = float(per_unit.sum())
    if is_stringer:
        res = bounds.stringer(per_unit, n, betrouwbaarheid, fam, N=N)
        ub, mle = res["ub"], t / n
    else:
        ub = bounds.ub(fam, n, x, t, betrouwbaarheid, N)
        mle = x / n if fam == "hypergeometric" else t / n
    return Evaluatie(
        methode, n, x, t, mle, ub, None if boekwaarde_ct is None else ub * boekwaarde_ct / 100,
        materialiteit, _conclusie(ub, materialiteit), betrouwbaarheid,
        onderschattingen=under.height,
        onderschatting_euro=float((under["controlewaarde_ct"] - under["boekwaarde_ct"]).sum()) / 100,
        overschatting_euro=float((over["boekwaarde_ct"] - over["controlewaarde_ct"]).sum()) / 100,
        taints=sorted(per_unit.tolist(), reverse=True),
    )
