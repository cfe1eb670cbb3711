"""Upper bounds on the misstatement, as jfa's `R/jfa-internal.R` and `R/methods.R`.

* Poisson: `qgamma(conf, 1 + t, rate = n)`;
* binomial: `qbeta(conf, 1 + t, n - t)`;
* hypergeometric (`.qhyper`): the largest number of misstatements K in a population of N
  units for which seeing at most x in a sample of n is still more likely than 1 - conf,
  `max{K : phyper(x; N, K, n) > 1 - conf}`; as a share K / N;
* Stringer (`.stringer`): the zero-error bound plus, for the taints in descending order
  (capped at 1, only overstatements), the increment of the bound from i - 1 to i errors
  times the i-th taint. jfa's `correction = "lta"` and `"meikle"` for understatements are here
  too (used to reproduce jfa's test values; the CLI reports understatements beside the bound).

scipy's `gamma.ppf`, `beta.ppf` and `hypergeom.cdf` are R's `qgamma`, `qbeta` and `phyper`.
"""

from __future__ import annotations

import math

import numpy as np

METHODEN = ("poisson", "binomial", "hypergeometric")



def scipy_stats():
    """scipy.stats, imported on first use: it costs ~1.3 s of imports, which `pgb-audit run`
    (which registers the steekproef commands but does not call them) never needs."""
    from scipy import stats
    return stats

def ub_poisson(n, t, conf: float):
    return scipy_stats().gamma.ppf(conf, 1 + np.asarray(t, dtype=float), scale=1 / np.asarray(n, dtype=float))


def ub_binomial(n, t, conf: float):
    n = np.asarray(n, dtype=float)
    t = np.asarray(t, dtype=float)
    return scipy_stats().beta.ppf(conf, 1 + t, n - t)


def qhyper(conf: float, N: int, n: int, x: int) -> int:
    """jfa's `.qhyper(p, N, n, k)`: max K in x..N with phyper(x; N, K, n) > 1 - conf.

    phyper(x; N, K, n) falls as K grows, so the K's that qualify are x..K*: found by
    bisection instead of evaluating all N + 1 of them (N is in euros for monetary units)."""
    N, n, x = int(N), int(n), int(x)
    if scipy_stats().hypergeom.cdf(x, N, N, n) > 1 - conf:
        return N
    lo, hi = x, N            # cdf(lo) > 1 - conf (K = x gives 1), cdf(hi) <= 1 - conf
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if scipy_stats().hypergeom.cdf(x, N, mid, n) > 1 - conf:
            lo = mid
        else:
            hi = mid
    return lo


def ub_hypergeometric(n: int, x: int, conf: float, N: int) -> float:
    """As a share of N."""
    return qhyper(conf, N, n, x) / N


def ub(methode: str, n, x, t, conf: float, N: int | None = None):
    """The upper bound as a share. `x`: number of errors, `t`: sum of taints (Poisson and
    binomial use t, the hypergeometric x, as jfa's `.comp_ub_freq`)."""
    if methode == "poisson":
        return float(ub_poisson(n, t, conf))
    if methode == "binomial":
        return float(ub_binomial(n, t, conf))
    if methode == "hypergeometric":
        if N is None:
            raise ValueError("de hypergeometrische methode heeft de omvang van de populatie nodig")
        return ub_hypergeometric(n, math.ceil(x), conf, N)
    raise ValueError(f"onbekende methode {methode}")


def _cum_bound(likelihood: str, k: np.ndarray, n: int, conf: float, N: int | None) -> np.ndarray:
    """The bound for k = 0, 1, ... errors (all taints 1)."""
    if likelihood == "binomial":
        out = scipy_stats().beta.ppf(conf, k + 1, n - k)
        out[k == 0] = 1 - (1 - conf) ** (1 / n)
        return out
    if likelihood == "poisson":
        return scipy_stats().gamma.ppf(conf, k + 1, scale=1 / n)
    if likelihood == "hypergeometric":
        if N is None:
            raise ValueError("Stringer hypergeometrisch heeft de omvang van de populatie nodig")
        return np.array([qhyper(conf, N, n, int(i)) for i in k], dtype=float) / N
    raise ValueError(f"onbekende methode {likelihood}")


def stringer(taints, n: int, conf: float, likelihood: str = "binomial", correction: str = "none",
             N: int | None = None) -> dict:
    """jfa's `.stringer`: {"ub", "mle"}. `taints`: one per sampled unit with an error (or all
    units; zeros do nothing). mle is sum(taints) / n as jfa (understatements included)."""
    taints = np.asarray(taints, dtype=float)
    mle = float(taints.sum() / n)
    t = np.sort(np.minimum(taints[taints > 0], 1.0))[::-1]
    k = np.arange(0, t.size + 1)
    cb = _cum_bound(likelihood, k, n, conf, N)
    bound = float(cb[0] + np.sum(np.diff(cb) * t))
    neg = taints[taints < 0]
    if correction == "lta" and neg.size:
        bound -= float(np.abs(neg).sum() / n)
    elif correction == "meikle" and neg.size:
        tmin = np.sort(neg)                       # most negative first
        corr = float(scipy_stats().beta.ppf(conf, 2, n - 1) * abs(tmin[0]))
        if tmin.size > 2:                         # jfa: `if (length(tmin) > 2)`, i in 2..length
            i = np.arange(2, tmin.size + 1)
            if likelihood == "binomial":
                inc = scipy_stats().beta.ppf(conf, i + 1, n - 1) - scipy_stats().beta.ppf(conf, i, n - 1)
            else:
                inc = scipy_stats().gamma.ppf(conf, i + 1, scale=1 / n) - scipy_stats().gamma.ppf(conf, i, scale=1 / n)
            corr += float(np.sum(inc * np.abs(tmin[1:])))
        bound -= corr
    elif correction not in ("none", "lta", "meikle"):
        raise ValueError(f"onbekende correctie {correction}")
    return {"ub": bound, "mle": mle}
