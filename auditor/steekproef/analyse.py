"""Data analytics beside the checks: stratification, ageing, jfa's digit and repeated-value tests.

* `stratificatie`: counts and sums of the declared amounts per stratum (euro bounds);
* `ouderdom`: the age of a declaration when it was submitted, `ingediend_op - datum_tot` in
  days, in buckets (negative: submitted before the care ended);
* `digit_test` (jfa `digit_test()`): first, first-two or last digits against Benford's law
  (or uniform): observed and expected counts, chi-squared with k - 1 degrees of freedom and
  its p-value, the mean absolute deviation, and per digit the 95% interval of jfa (Clopper-
  Pearson style `qbeta`) with a two-sided binomial p-value and `afwijking` when the expected
  share lies outside the interval. jfa's digits: first `trunc(10^-floor(log10|x|) * |x|)`,
  first two likewise times 10, last: the last digit after trailing zeros are removed from the
  number as text (120 -> 2, 87,20 -> 2, 100,00 -> 1);
* `repeated_test` (jfa `repeated_test(method = "af")`): the average frequency
  `AF = sum(count^2) / n` of the amounts, with a p-value by simulation: the last digit (cents)
  or last two digits of the amounts are shuffled among them `samples` times (seeded) and the
  p-value is the share of simulated AF at least the observed AF. jfa shifts its `last` digit
  by a tenth, which for amounts in cents moves the wrong decimal; here the cent digit itself
  is shuffled.

pgb amounts are mostly hours times a fixed tariff: such amounts follow the tariff, not
Benford's law, and repeat by design. `toepasbaarheid` says when a test does not apply (too
few lines, amounts within less than two orders of magnitude, most lines hours x tariff), and
the result says so next to the figures. Per zorgverlener only with at least `min_regels` lines.
"""

from __future__ import annotations


import numpy as np
import polars as pl

from auditor.steekproef.bounds import scipy_stats

GRENZEN_EURO = (50, 100, 250, 500, 1000, 2500, 5000)
OUDERDOM_DAGEN = (0, 30, 60, 90, 180, 365)


def stratificatie(lines: pl.DataFrame, grenzen_euro=GRENZEN_EURO) -> pl.DataFrame:
    """stratum, van, tot (euros, tot exclusive), regels, bedrag (euros), aandeel_regels, aandeel_bedrag."""
    edges = [c * 100 for c in grenzen_euro]
    labels = [f"< {grenzen_euro[0]}"] + [f"{a} - {b}" for a, b in zip(grenzen_euro, grenzen_euro[1:])] + \
        [f">= {grenzen_euro[-1]}"]
    idx = pl.sum_horizontal([(pl.col("bedrag_ct") >= e).cast(pl.Int64) for e in edges])
    d = lines.select(idx.replace_strict(list(range(len(labels))), labels, return_dtype=pl.String).alias("stratum"),
                     "bedrag_ct")
    frame = pl.DataFrame({"stratum": labels, "volgorde": list(range(len(labels))),
                          "van": [None, *grenzen_euro], "tot": [*grenzen_euro, None]},
                         schema={"stratum": pl.String, "volgorde": pl.Int64, "van": pl.Int64, "tot": pl.Int64})
    agg = d.group_by("stratum").agg(pl.len().alias("regels"), pl.col("bedrag_ct").sum().alias("_ct"))
    out = frame.join(agg, on="stratum", how="left").with_columns(pl.col("regels").fill_null(0),
                                                                  pl.col("_ct").fill_null(0))
    tot_n, tot_ct = max(int(out["regels"].sum()), 1), max(int(out["_ct"].sum()), 1)
    return out.sort("volgorde").select(
        "stratum", "van", "tot", pl.col("regels").cast(pl.Int64), (pl.col("_ct") / 100).round(2).alias("bedrag"),
        (pl.col("regels") / tot_n).round(4).alias("aandeel_regels"), (pl.col("_ct") / tot_ct).round(4).alias("aandeel_bedrag"))


def ouderdom(lines: pl.DataFrame) -> pl.DataFrame:
    """bucket, regels, bedrag, mediaan (days) of `ingediend_op - datum_tot`."""
    labels = ["voor einde zorg"] + [f"{a} - {b} dagen" if a == 0 else f"{a + 1} - {b} dagen"
                                    for a, b in zip(OUDERDOM_DAGEN, OUDERDOM_DAGEN[1:])] + \
        [f"meer dan {OUDERDOM_DAGEN[-1]} dagen"]
    d = lines.select((pl.col("ingediend_op") - pl.col("datum_tot")).dt.total_days().alias("dagen"), "bedrag_ct")
    d = d.with_columns(
        pl.when(pl.col("dagen").is_null()).then(pl.lit("onbekend (geen ingediend_op)"))
        .otherwise(pl.sum_horizontal([(pl.col("dagen") >= 0).cast(pl.Int64)]
                                     + [(pl.col("dagen") > b).cast(pl.Int64) for b in OUDERDOM_DAGEN[1:]])
                   .replace_strict(list(range(len(labels))), labels, return_dtype=pl.String)).alias("bucket"))
    frame = pl.DataFrame({"bucket": labels + ["onbekend (geen ingediend_op)"],
                          "volgorde": list(range(len(labels) + 1))})
    agg = d.group_by("bucket").agg(pl.len().alias("regels"), pl.col("bedrag_ct").sum().alias("_ct"),
                                   pl.col("dagen").median().alias("mediaan_dagen"))
    return frame.join(agg, on="bucket", how="left").sort("volgorde").select(
        "bucket", pl.col("regels").fill_null(0).cast(pl.Int64), (pl.col("_ct").fill_null(0) / 100).round(2)
        .alias("bedrag"), "mediaan_dagen")


def cijfers(values_ct: pl.Series, check: str = "first") -> pl.Series:
    """jfa's `.extract_digits(include.zero = FALSE)` on amounts in cents (zeros dropped)."""
    s = values_ct.filter(values_ct.is_not_null() & (values_ct != 0)).abs()
    if check in ("first", "firsttwo"):
        text = s.cast(pl.String)                  # the leading digits of |cents| are those of |euros|
        k = 1 if check == "first" else 2
        padded = pl.DataFrame({"t": text}).select(
            pl.when(pl.col("t").str.len_chars() >= k).then(pl.col("t").str.slice(0, k))
            .otherwise(pl.col("t").str.pad_end(k, "0"))).to_series()
        return padded.cast(pl.Int64).alias("cijfer")
    if check == "last":
        e = pl.DataFrame({"c": s}).select(pl.concat_str([(pl.col("c") // 100).cast(pl.String), pl.lit("."),
                                                        (pl.col("c") % 100).cast(pl.String).str.pad_start(2, "0")])
                                          .str.strip_chars_end("0").str.strip_chars_end(".").str.strip_chars_end("0")
                                          .str.slice(-1, 1).alias("d")).to_series()
        return e.cast(pl.Int64).alias("cijfer")
    raise ValueError(f"onbekende controle {check}; kies first, firsttwo of last")


def digit_test(values_ct: pl.Series, check: str = "first", reference: str = "benford",
               conf: float = 0.95) -> dict:
    """jfa's `digit_test()` (frequentist). Returns n, statistic, df, p_value, mad and per digit
    observed, expected, p_exp, p_obs, lb, ub, p_value, afwijking."""
    d = cijfers(values_ct, check)
    dig = np.arange(10, 100) if check == "firsttwo" else np.arange(1, 10)
    obs_s = d.value_counts().rename({"cijfer": "d", "count": "n"})
    obs = pl.DataFrame({"d": dig}).join(obs_s, on="d", how="left")["n"].fill_null(0).to_numpy().astype(float)
    n = int(obs.sum())
    p_exp = np.log10(1 + 1 / dig) if reference == "benford" else np.full(dig.size, 1 / dig.size)
    exp = n * p_exp
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.sum((obs - exp) ** 2 / exp)) if n else float("nan")
        lb = scipy_stats().beta.ppf((1 - conf) / 2, obs, 1 + n - obs)
        ub = scipy_stats().beta.ppf(conf + (1 - conf) / 2, 1 + obs, n - obs)
    lb = np.where(obs == 0, 0.0, lb)
    ub = np.where(obs == n, 1.0, ub)
    pv = [float(scipy_stats().binomtest(int(o), n, p).pvalue) if n else float("nan") for o, p in zip(obs, p_exp)]
    per = pl.DataFrame({"cijfer": dig, "waargenomen": obs.astype(int), "verwacht": exp, "p_verwacht": p_exp,
                        "p_waargenomen": obs / n if n else obs * np.nan, "ondergrens": lb, "bovengrens": ub,
                        "p_waarde": pv, "afwijking": (p_exp <= lb) | (p_exp >= ub)})
    return {"check": check, "reference": reference, "n": n, "statistic": statistic, "df": int(dig.size - 1),
            "p_value": float(scipy_stats().chi2.sf(statistic, dig.size - 1)) if n else float("nan"),
            "mad": float(np.mean(np.abs(obs / n - p_exp))) if n else float("nan"), "cijfers": per}


def average_frequency(values: np.ndarray) -> float:
    """jfa's `.average_frequency`: sum(table(x)^2) / sum(table(x))."""
    _, counts = np.unique(values, return_counts=True)
    return float((counts.astype(float) ** 2).sum() / counts.sum()) if counts.size else float("nan")


def repeated_test(values_ct: pl.Series, check: str = "last", samples: int = 1000, seed: int = 0) -> dict:
    """jfa's `repeated_test(method = "af")` on amounts in cents; p-value by seeded simulation."""
    x = values_ct.filter(values_ct.is_not_null() & (values_ct != 0)).to_numpy().astype(np.int64)
    n = x.size
    stat = average_frequency(x)
    if n == 0 or samples <= 0:
        return {"check": check, "n": n, "statistic": stat, "p_value": float("nan"), "samples": samples, "seed": seed}
    mod = {"last": 10, "lasttwo": 100}[check]
    sign = np.sign(x)
    a = np.abs(x)
    digits, base = a % mod, a - a % mod
    rng = np.random.default_rng(seed)
    sim = base[None, :] + rng.permuted(np.broadcast_to(digits, (samples, n)), axis=1)
    sim = sim * sign[None, :]
    # AF per simulated row, vectorised: offset each row so that np.unique counts within rows
    span = int(np.abs(sim).max()) * 2 + 1
    keyed = (sim + span // 2) + np.arange(samples, dtype=np.int64)[:, None] * span
    uniq, counts = np.unique(keyed.ravel(), return_counts=True)
    row = uniq // span
    af = np.bincount(row, weights=counts.astype(float) ** 2, minlength=samples) / n
    return {"check": check, "n": n, "statistic": stat, "p_value": float(np.mean(af >= stat)),
            "samples": samples, "seed": seed}


def toepasbaarheid(lines: pl.DataFrame, min_regels: int) -> tuple[bool, str]:
    """Whether Benford's law can be expected of these amounts, and why not."""
    b = lines.filter(pl.col("bedrag_ct") > 0)
    if b.height < min_regels:
        return False, f"te weinig regels ({b.height}; minimaal {min_regels})"
    lo, hi = int(b["bedrag_ct"].min()), int(b["bedrag_ct"].max())
    tarief = b.filter(pl.col("aantal_e4").is_not_null() & pl.col("tarief_ct").is_not_null())
    product = (tarief["aantal_e4"] * tarief["tarief_ct"] + 5_000) // 10_000
    share = float((product == tarief["bedrag_ct"]).sum()) / b.height if b.height else 0.0
    if share >= 0.5:
        return False, (f"{share:.0%} van de bedragen is aantal x vast tarief: zulke bedragen volgen het tarief, "
                       "niet de wet van Benford").replace(".", ",")
    if hi < lo * 100:
        return False, "de bedragen liggen binnen minder dan twee ordes van grootte: geen Benford-gegevens"
    return True, "toepasbaar"


def per_zorgverlener(lines: pl.DataFrame, min_regels: int = 50, samples: int = 1000, seed: int = 0) -> dict:
    """The digit and repeated-value tests per zorgverlener with at least `min_regels` lines."""
    counts = lines.group_by("zorgverlener_id").len().filter(pl.col("len") >= min_regels).sort("zorgverlener_id")
    cijfer_rows, herhaal_rows = [], []
    for zv in counts["zorgverlener_id"].to_list():      # a loop over zorgverleners, not over lines
        eigen = lines.filter(pl.col("zorgverlener_id") == zv)
        ok, reden = toepasbaarheid(eigen, min_regels)
        for check in ("first", "firsttwo", "last"):
            ref = "uniform" if check == "last" else "benford"
            r = digit_test(eigen["bedrag_ct"], check, ref)
            cijfer_rows.append(r["cijfers"].with_columns(
                pl.lit(zv).alias("zorgverlener_id"), pl.lit(check).alias("toets"), pl.lit(ref).alias("referentie"),
                pl.lit(r["n"]).alias("n"), pl.lit(r["statistic"]).alias("chi2"), pl.lit(r["df"]).alias("df"),
                pl.lit(r["p_value"]).alias("p_chi2"), pl.lit(r["mad"]).alias("mad"),
                pl.lit(ok).alias("toepasbaar"),
                pl.lit("toepasbaar" if ok else reden).alias("toelichting")))
        rt = repeated_test(eigen["bedrag_ct"], "last", samples, seed)
        herhaal_rows.append({"zorgverlener_id": zv, "n": rt["n"], "af": rt["statistic"], "p_waarde": rt["p_value"],
                             "simulaties": samples, "seed": seed,
                             "toelichting": "toepasbaar" if ok else f"let op: {reden}; herhaalde bedragen zijn "
                                                                      "dan te verwachten"})
    cols = ["zorgverlener_id", "toets", "referentie", "n", "chi2", "df", "p_chi2", "mad", "cijfer", "waargenomen",
            "verwacht", "p_verwacht", "p_waargenomen", "ondergrens", "bovengrens", "p_waarde", "afwijking",
            "toepasbaar", "toelichting"]
    cijfer = pl.concat(cijfer_rows).select(cols) if cijfer_rows else pl.DataFrame(schema={c: pl.String for c in cols})
    herhaal = pl.DataFrame(herhaal_rows, schema={"zorgverlener_id": pl.String, "n": pl.Int64, "af": pl.Float64,
                                                 "p_waarde": pl.Float64, "simulaties": pl.Int64, "seed": pl.Int64,
                                                 "toelichting": pl.String})
    return {"cijfertoets": cijfer, "herhaling": herhaal, "min_regels": min_regels}
