"""pgb-audit's sampling statistics against jfa's published test values.

Each case quotes the R call and the figure from jfa's tests/testthat/test-planning.R or
test-evaluation.R (koenderks/jfa). jfa compares with `expect_equal(..., tolerance = 0.001)`,
a relative tolerance; the same is used here where jfa uses it, exact equality for n and x.
Samples that jfa draws with `set.seed(1)` and R's generator cannot be redrawn in Python, but
where all audit values equal the book values (or the taints are fixed, as -0.5 and 0.6)
only n and the taints matter, and those are given by the test itself.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from auditor.steekproef import bounds
from auditor.steekproef.plan import planning


def rel(a: float, b: float, tol: float = 0.001) -> bool:
    return abs(a - b) <= tol * abs(b)


# ---------------------------------------------------------------- planning (test-planning.R)

PLANNING = [
    # (id, R call, kwargs, jfa n, jfa x)
    ("f5-v0.1.0-t1", 'planning(materiality = 0.01, conf.level = 0.95, expected = 0, likelihood = "poisson")',
     dict(materialiteit=0.01), 300, 0),
    ("f5-v0.1.0-t2", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0, likelihood = "poisson")',
     dict(materialiteit=0.05), 60, 0),
    ("f5-v0.1.0-t3", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0.025, likelihood = "poisson")',
     dict(materialiteit=0.05, verwacht=0.025), 231, 5.78),
    ("f5-v0.1.0-t4", 'planning(materiality = 0.05, conf.level = 0.95, expected = 2, likelihood = "poisson")',
     dict(materialiteit=0.05, verwacht=2), 126, 2),
    ("f5-v0.1.0-t7", 'planning(materiality = 0.01, conf.level = 0.95, expected = 0, likelihood = "binomial")',
     dict(materialiteit=0.01, methode="binomial"), 299, 0),
    ("f5-v0.1.0-t8", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0, likelihood = "binomial")',
     dict(materialiteit=0.05, methode="binomial"), 59, 0),
    ("f5-v0.1.0-t9", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0.025, likelihood = "binomial")',
     dict(materialiteit=0.05, verwacht=0.025, methode="binomial"), 234, 6),
    ("f5-v0.1.0-t10", 'planning(materiality = 0.05, conf.level = 0.95, expected = 2, likelihood = "binomial")',
     dict(materialiteit=0.05, verwacht=2, methode="binomial"), 124, 2),
    ("f5-v0.1.0-t13", 'planning(materiality = 0.01, conf.level = 0.95, expected = 0, '
                      'likelihood = "hypergeometric", N.units = 1000)',
     dict(materialiteit=0.01, methode="hypergeometric", N=1000), 258, 0),
    ("f5-v0.1.0-t14", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0, '
                      'likelihood = "hypergeometric", N.units = 1000)',
     dict(materialiteit=0.05, methode="hypergeometric", N=1000), 57, 0),
    ("f5-v0.1.0-t15", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0.025, '
                      'likelihood = "hypergeometric", N.units = 1000)',
     dict(materialiteit=0.05, verwacht=0.025, methode="hypergeometric", N=1000), 197, 5),
    ("f5-v0.1.0-t16", 'planning(materiality = 0.05, conf.level = 0.95, expected = 2, '
                      'likelihood = "hypergeometric", N.units = 1000)',
     dict(materialiteit=0.05, verwacht=2, methode="hypergeometric", N=1000), 119, 2),
    ("f5-v0.1.0-t23", 'planning(materiality = 0.03, conf.level = 0.95, expected = 0.013, min.precision = 0.05, '
                      'likelihood = "binomial", N.units = 1000)',
     dict(materialiteit=0.03, verwacht=0.013, min_precisie=0.05, methode="binomial", N=1000), 303, 4),
    ("f5-v0.5.2-t1", 'planning(materiality = 0.05, conf.level = 0.95, expected = 0, '
                     'likelihood = "hypergeometric", N.units = 10000)',
     dict(materialiteit=0.05, methode="hypergeometric", N=10000), 59, 0),
]


@pytest.mark.parametrize("jfa_id,call,kwargs,n,x", PLANNING, ids=[p[0] for p in PLANNING])
def test_planning_reproduces_jfa(jfa_id, call, kwargs, n, x):
    p = planning(**kwargs)
    assert p.n == n, call
    assert rel(p.x, x) if x else p.x == 0, call      # jfa: expect_equal(x, 5.78, tolerance = 0.001)


def test_planning_zero_errors_bound_is_the_closed_form():
    # n = 60 Poisson: the planned bound is qgamma(0.95, 1, 60) = -ln(0.05) / 60 = 0.04992887
    p = planning(0.05)
    assert p.ub == pytest.approx(math.log(20) / 60, rel=1e-12)


# ---------------------------------------------------------------- evaluation (test-evaluation.R)

def test_f3_t1_poisson_60_items_no_errors():
    # evaluation(conf.level = 0.95, data = samp, ..., method = "poisson", materiality = 0.05) with
    # samp from planning(materiality = 0.05, likelihood = "poisson") (n = 60), audit = book value:
    # expect_equal(jfaEval[["ub"]], 0.04992887, tolerance = 0.001)
    assert rel(bounds.ub("poisson", 60, 0, 0, 0.95), 0.04992887)


def test_f3_t3_binomial_60_items_no_errors():
    # same sample, method = "binomial": expect_equal(jfaEval[["ub"]], 0.04870291, tolerance = 0.001)
    assert rel(bounds.ub("binomial", 60, 0, 0, 0.95), 0.04870291)


def test_f3_t5_hypergeometric_57_items_no_errors():
    # planning(..., likelihood = "hypergeometric", N = 1000) gives n = 57; evaluation(..., method =
    # "hypergeometric", N.units = 1000): expect_equal(jfaEval[["ub"]], 0.049, tolerance = 0.001)
    assert planning(0.05, methode="hypergeometric", N=1000).n == 57
    assert bounds.ub("hypergeometric", 57, 0, 0, 0.95, N=1000) == 0.049


def test_f3_t7_stringer_binomial_no_errors():
    # method = "stringer.binomial", n = 60, no errors: expect_equal(jfaEval[["ub"]], 0.04870291, tolerance = 0.001)
    # (the zero-error bound 1 - 0.05^(1/60))
    assert rel(bounds.stringer([], 60, 0.95, "binomial")["ub"], 0.04870291)


def test_f3_v070_t1_stringer_poisson_no_errors():
    # method = "stringer.poisson", n = 60: expect_equal(jfaEval[["ub"]], 0.04992887, tolerance = 0.001)
    assert rel(bounds.stringer([], 60, 0.95, "poisson")["ub"], 0.04992887)


def test_f3_v070_t2_stringer_hypergeometric_no_errors():
    # method = "stringer.hypergeometric", N.units = sum(population$bookValue), n = 60:
    # expect_equal(jfaEval[["ub"]], 0.04869673, tolerance = 0.001). The population is 1000 draws of
    # runif(100, 500) (R's generator, not reproducible here); its sum is about 1000 x 300 = 300,000.
    assert rel(bounds.stringer([], 60, 0.95, "hypergeometric", N=300_000)["ub"], 0.04869673)


TAINTS_T8 = [-0.5, -0.5, -0.5, 0.6, 0.6, 0.6]   # 3 understatements of 50%, 3 overstatements of 60%


def test_f3_t9_stringer_lta():
    # the n = 60 sample with auditValue[1:3] = 1.5 x book and auditValue[4:6] = 0.4 x book;
    # method = "stringer.lta": expect_equal(jfaEval[["ub"]], 0.06899349, tolerance = 0.001)
    assert rel(bounds.stringer(TAINTS_T8, 60, 0.95, "binomial", "lta")["ub"], 0.06899349)


def test_f3_t8_stringer_meikle():
    # same sample, method = "stringer.meikle": expect_equal(jfaEval[["ub"]], 0.0338254, tolerance = 0.001)
    assert rel(bounds.stringer(TAINTS_T8, 60, 0.95, "binomial", "meikle")["ub"], 0.0338254)


def test_f3_t8_stringer_by_hand_without_correction():
    # The plain Stringer bound of those taints, by hand: 1 - 0.05^(1/60) + 0.6 x (q(2) - q(1)) + 0.6 x
    # (q(3) - q(2)) + 0.6 x (q(4) - q(3)) where q(k) = qbeta(0.95, k, 61 - k), q(1) = the zero bound.
    q = [1 - 0.05 ** (1 / 60)] + [stats.beta.ppf(0.95, k, 61 - k) for k in (2, 3, 4)]
    hand = q[0] + 0.6 * (q[1] - q[0]) + 0.6 * (q[2] - q[1]) + 0.6 * (q[3] - q[2])
    assert bounds.stringer(TAINTS_T8, 60, 0.95)["ub"] == pytest.approx(hand, rel=1e-12)
    # and lta is that minus the understatements' taints / n = 1.5 / 60 (jfa's .stringer)
    assert bounds.stringer(TAINTS_T8, 60, 0.95, correction="lta")["ub"] == pytest.approx(hand - 1.5 / 60, rel=1e-12)


def test_f3_v030_t1_stringer_with_counts():
    # planning(materiality = 0.05, expected = 0.025) gives n = 231; auditValue[1:3] = 0.4 x book
    # (taint 0.6), counts = c(2, 2, 3, 1, ...): taints x times = 1.2, 1.2, 1.8 (capped at 1),
    # n = 231 - 3 + 7 = 235; method = "stringer.binomial", times = "counts":
    # expect_equal(jfaEval[["ub"]], 0.0326619, tolerance = 0.001)
    assert planning(0.05, verwacht=0.025).n == 231
    assert rel(bounds.stringer([1.2, 1.2, 1.8], 235, 0.95)["ub"], 0.0326619)


def test_f3_v065_t8_hypergeometric_small_populations():
    # evaluation(x = 1, n = 2, method = "hypergeometric", N.units = 10): mle 0.5, ub 0.9
    assert bounds.ub("hypergeometric", 2, 1, 1, 0.95, N=10) == 0.9
    # evaluation(x = 1, n = 10, method = "hypergeometric", N.units = 20): mle 0.1, ub 0.3
    assert bounds.ub("hypergeometric", 10, 1, 1, 0.95, N=20) == 0.3


def test_f3_v065_t1_poisson_and_binomial_complete_pooling():
    # k = c(2, 1, 0), n = c(6, 7, 7), pooling = "complete": ub = qgamma(0.95, 1 + 3, 20) and
    # qbeta(0.95, 1 + 3, 20 - 3) (jfa's own expectation, written as the R formula)
    assert bounds.ub("poisson", 20, 3, 3, 0.95) == pytest.approx(stats.gamma.ppf(0.95, 4, scale=1 / 20), rel=1e-12)
    assert bounds.ub("binomial", 20, 3, 3, 0.95) == pytest.approx(stats.beta.ppf(0.95, 4, 17), rel=1e-12)
    # the figures themselves: qgamma(0.95, 4, 20) = 0.38759 (chi-squared 15.507 / 40)
    assert bounds.ub("poisson", 20, 3, 3, 0.95) == pytest.approx(15.507313 / 40, rel=1e-6)
