"""Planning: the smallest sample for a materiality and confidence, as jfa's `planning()`.

jfa's frequentist loop, per candidate n = 1, 1, 2, ..., `max` (its `sframe` with the first
element set to 1): the errors tolerated are `x = expected * n` when `expected` is a share
(< 1) or `x = expected` when it is a count (>= 1), rounded up for the binomial and the
hypergeometric; n must exceed x; the plan holds at the first n whose upper bound (`bounds.ub`)
is below the materiality and whose precision (bound - x / n) is below `min_precisie`.
Poisson and binomial are evaluated for all candidates at once (one scipy call); the
hypergeometric walks the candidates (jfa does the same), each with a bisection over K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from auditor.steekproef import bounds


@dataclass(frozen=True)
class Plan:
    methode: str          # poisson / binomial / hypergeometric (jfa's likelihood)
    n: int
    x: float              # errors the plan tolerates (jfa's x)
    ub: float             # the planned upper bound, a share
    mle: float
    materialiteit: float
    betrouwbaarheid: float
    N: int | None = None  # population units (hypergeometric)


def planning(materialiteit: float, betrouwbaarheid: float = 0.95, verwacht: float = 0.0,
             methode: str = "poisson", N: int | None = None, max_n: int = 5000,
             min_precisie: float = 1.0) -> Plan:
    """`materialiteit`, `min_precisie`: shares in (0, 1); `verwacht`: a share (< 1) or a count."""
    if not 0 < materialiteit < 1:
        raise ValueError("de materialiteit moet tussen 0 en 1 liggen (een aandeel, bijvoorbeeld 0,01)")
    if not 0 < betrouwbaarheid < 1:
        raise ValueError("de betrouwbaarheid moet tussen 0 en 1 liggen (bijvoorbeeld 0,95)")
    if methode not in bounds.METHODEN:
        raise ValueError(f"onbekende methode {methode}")
    if verwacht < 0:
        raise ValueError("de verwachte fout kan niet negatief zijn")
    share = verwacht < 1
    if share and verwacht >= materialiteit:
        raise ValueError("de verwachte fout moet kleiner zijn dan de materialiteit")
    if not share and methode != "poisson":
        verwacht = math.ceil(verwacht)
    if methode == "hypergeometric":
        if N is None or N <= 0:
            raise ValueError("de hypergeometrische methode heeft de omvang van de populatie nodig")
        N = math.ceil(N)
    cand = np.arange(0, max_n + 1, dtype=float)
    cand[0] = 1
    x = verwacht * cand if share else np.full(cand.shape, float(verwacht))
    if methode in ("binomial", "hypergeometric"):
        x = np.ceil(x)
    ok_n = cand > x
    if methode == "hypergeometric":
        for i in np.flatnonzero(ok_n):
            n_i, x_i = int(cand[i]), int(x[i])
            ub = bounds.ub_hypergeometric(n_i, x_i, betrouwbaarheid, N)
            if ub < materialiteit and ub - x_i / n_i < min_precisie:
                return Plan(methode, n_i, float(x_i), ub, x_i / n_i, materialiteit, betrouwbaarheid, N)
        raise ValueError(f"de steekproef zou groter worden dan {max_n}")
    with np.errstate(invalid="ignore"):
        ub = bounds.ub_poisson(cand, x, betrouwbaarheid) if methode == "poisson" else \
            bounds.ub_binomial(cand, x, betrouwbaarheid)
    mle = x / cand
    hit = np.flatnonzero(ok_n & (ub < materialiteit) & (ub - mle < min_precisie))
    if hit.size == 0:
        raise ValueError(f"de steekproef zou groter worden dan {max_n}")
    i = int(hit[0])
    return Plan(methode, int(cand[i]), float(x[i]), float(ub[i]), float(mle[i]), materialiteit, betrouwbaarheid, N)
