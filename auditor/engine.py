"""The check engine: registry, context, line enrichment, finding ids.

A check is a function `Context -> CheckResult` registered with `@check(CODE, ...)` in its
own module under `checks/`. The engine builds the `Context` once (typed tables as polars
LazyFrames, the enriched declaration lines, the regelingen), runs every registered check,
gives each finding a stable `finding_id` and sorts the findings so that the same input
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from auditor import money
from auditor import regeling as reg
from auditor.findings import FINDING_SCHEMA, NIET_TOETSBAAR_SCHEMA
from auditor.registry import CHECK_CODES, CHECK_ENUM, REGISTRY, CheckSpec, check, registered

__all__ = ["CHECK_ORDER", "CheckResult", "CheckRun", "CheckSpec", "Context", "FINDING_SCHEMA", "REGISTRY",
           "build_context", "check", "finding_frame", "line_findings", "run_checks"]

# The check table and the finding schema live below the engine (auditor.registry,
# auditor.findings); they are re-exported here for the check modules.
CHECK_ORDER = CHECK_CODES

# Default severity where a check does not set one (documented in docs/checks.md):
# hoog from 1.000 euro or for checks that always ground a suspension, midden from 100 euro.
ERNST_HOOG_CT = 100_000
ERNST_MIDDEN_CT = 10_000


@dataclass
class CheckResult:
    findings: pl.LazyFrame
    niet_toetsbaar: pl.LazyFrame | None = None
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)  # e.g. NETWERK's clusters


#: `Context.delen` once the checks are done (see `Context.geef_delen_vrij`)
VRIJGEGEVEN = pl.LazyFrame()


@dataclass
class Context:
    tables: dict[str, pl.LazyFrame]
    lines: pl.LazyFrame
    regelingen: list[reg.Regeling]
    params: pl.DataFrame                  # regeling.regeling_frame
    artikelen: pl.DataFrame               # regeling.artikelen_frame
    peildatum: date
    geforceerd: reg.Regeling | None = None
    delen: pl.LazyFrame | None = None     # the lines split over their toekenningen/agreements

    def t(self, name: str) -> pl.LazyFrame:
        return self.tables[name]

    def toekenning_delen(self) -> pl.LazyFrame:
        """The lines as the checks that count euros per toekenning see them (BUDGET,
        OVERSCHRIJDING, BUITEN-PERIODE, AANWENDING; checks.md "Which toekenning and
        agreement"): a line that names no toekenning (or no zorgovereenkomst) and whose days
        fall under two or more of the budgethouder's toekenningen (agreements) of its product
        is split into parts, one per toekenning (agreement), by days; `datum_van`,
        `datum_tot`, `dagen`, `bedrag_ct` and `aantal_e4` are the part's (pro rata, the
        parts adding up to the line exactly), every other column is the line's. A line
        under one toekenning is one part, equal to the line."""
        if self.delen is VRIJGEGEVEN:
            raise RuntimeError("toekenning_delen na de controles: de delen zijn vrijgegeven (Context.geef_delen_vrij)")
        return self.delen if self.delen is not None else self.lines

    def geef_delen_vrij(self) -> None:
        """After the checks nothing reads the parts (a copy of the lines, gigabytes at 10M
        lines): they are freed before the reports, which hold the run's peak memory."""
        self.delen = VRIJGEGEVEN

    def regeling(self, regeling_id: str) -> reg.Regeling:
        return next(r for r in self.regelingen if r.id == regeling_id)

    def toekenningen(self) -> pl.LazyFrame:
        """Toekenningen with the budgethouder's `gemeente_code` and `regeling_id`: the
        regeling of that gemeente valid on the toekenning's `ingangsdatum` (or the forced
        one), the rule every toekenning-level check follows (BUDGET, OVERSCHRIJDING,
        AANWENDING)."""
        toek = self.t("toekenningen").join(self.t("budgethouders").select("budgethouder_id", "gemeente_code"),
                                           on="budgethouder_id", how="left", maintain_order="left")
        return reg.kies_regeling(toek, self.regelingen, datum_col="ingangsdatum", geforceerd=self.geforceerd)

    def bh_regeling(self) -> pl.LazyFrame:
        """budgethouder_id -> regeling_id for checks that judge a budgethouder, toekenning
        or zorgverlener rather than a line: the regeling of the budgethouder's gemeente
        valid on the peildatum, else its latest one."""
        bh = self.t("budgethouders").select("budgethouder_id", "gemeente_code")
        return bh.join(_gemeente_default(self), on="gemeente_code", how="left").select(
            "budgethouder_id", "regeling_id")


def _gemeente_default(ctx: Context) -> pl.LazyFrame:
    """Per gemeente the regeling in force on the peildatum, or else the latest one."""
    if ctx.geforceerd is not None:
        return ctx.t("budgethouders").select("gemeente_code").unique().with_columns(
            pl.lit(ctx.geforceerd.id).alias("regeling_id"))
    p = ctx.params.lazy().select("regeling_id", "gemeente_code", "geldig_van", "geldig_tot")
    pd = pl.lit(ctx.peildatum)
    return (p.with_columns(((pl.col("geldig_van") <= pd) & (pl.col("geldig_tot").is_null() | (pl.col("geldig_tot") >= pd)))
                           .alias("_nu"))
            .sort(["gemeente_code", "_nu", "geldig_van", "regeling_id"])
            .group_by("gemeente_code").last().select("gemeente_code", "regeling_id"))


def finding_frame(lf: pl.LazyFrame, ctx: Context, code: str) -> pl.LazyFrame:
    """Complete a check's findings to the full internal schema.

    Missing columns become null; `check` and `soort` default to the registered ones;
    `artikel` comes from the regeling of the finding (`regeling_id`), or, where the
    finding has none, from the budgethouder's gemeente's regeling."""
    spec = REGISTRY[code]
    cols = lf.collect_schema().names()
    exprs = []
    for name, dtype in FINDING_SCHEMA.items():
        if name == "voorbeeldwaarde" and name in cols:
            exprs.append(pl.col(name).cast(dtype).fill_null("nee"))
        elif name in cols:
            exprs.append(pl.col(name).cast(dtype))
        elif name == "check":
            exprs.append(pl.lit(code).cast(CHECK_ENUM).alias(name))
        elif name == "soort":
            exprs.append(pl.lit(spec.soort).alias(name))
        elif name == "voorbeeldwaarde":
            exprs.append(pl.lit("nee").alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    out = lf.select(exprs)
    # regeling of the finding: its own, else the budgethouder's
    out = out.join(ctx.bh_regeling().rename({"regeling_id": "_bh_reg"}), on="budgethouder_id", how="left")
    out = out.with_columns(pl.coalesce("regeling_id", "_bh_reg").alias("regeling_id")).drop("_bh_reg")
    art = ctx.artikelen.lazy().filter(pl.col("check") == code).select(
        "regeling_id", pl.col("artikel").alias("_art"))
    out = out.join(art, on="regeling_id", how="left").with_columns(
        pl.coalesce("artikel", "_art").alias("artikel")).drop("_art")
    eff = pl.col("financieel_effect_ct").fill_null(0)
    out = out.with_columns(
        pl.coalesce(
            pl.col("ernst"),
            pl.when(pl.col("soort") == "signaal").then(pl.lit("laag"))
            .when(eff >= ERNST_HOOG_CT).then(pl.lit("hoog"))
            .when(eff >= ERNST_MIDDEN_CT).then(pl.lit("midden"))
            .otherwise(pl.lit("laag")),
        ).alias("ernst"),
        pl.col("declaratie_ids").list.sort().fill_null(pl.lit([], dtype=pl.List(pl.String))),
    )
    return out.select(list(FINDING_SCHEMA))


def line_findings(lf: pl.LazyFrame, effect: pl.Expr, *rest: pl.Expr) -> pl.LazyFrame:
    """The columns of a line-level finding (one finding per declaration line): the line's
    keys, its id, days and bedrag, the check's `effect` in cents, and `rest` (the check's
    aliased `toelichting` and `details`)."""
    return lf.select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        pl.concat_list([pl.col("declaratie_id")]).alias("declaratie_ids"),
        pl.col("datum_van").alias("periode_van"), pl.col("datum_tot").alias("periode_tot"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"), effect.alias("financieel_effect_ct"),
        *rest,
    )


# --------------------------------------------------------------------------- lines

SN_RELATIES = ("ouder", "familie", "huisgenoot", "bekende")
SN_SOORTEN = ("sociaal_netwerk", "overig_niet_professioneel")


def resolve_toekenning(lines: pl.LazyFrame, toek: pl.LazyFrame) -> pl.LazyFrame:
    """Per checks.md: the toekenning a line names, else the budgethouder's toekenning with
    the same product whose period holds `datum_van` (the earliest if several)."""
    open_ = lines.filter(pl.col("toekenning_id").is_null()).select("declaratie_id", "budgethouder_id",
                                                                    "product_code", "datum_van")
    cand = (open_.join(toek.select(pl.col("toekenning_id").alias("_t"), "budgethouder_id", "product_code",
                                   pl.col("ingangsdatum").alias("_i"), pl.col("einddatum").alias("_e")),
                       on=["budgethouder_id", "product_code"], how="inner")
            .filter((pl.col("_i") <= pl.col("datum_van")) & (pl.col("_e") >= pl.col("datum_van")))
            .sort(["declaratie_id", "_i", "_t"]).group_by("declaratie_id").first()
            .select("declaratie_id", "_t"))
    return (lines.join(cand, on="declaratie_id", how="left")
            .with_columns(pl.col("toekenning_id").is_not_null().alias("toekenning_opgegeven"),
                          pl.coalesce("toekenning_id", "_t").alias("toekenning_id")).drop("_t"))


def resolve_zorgovereenkomst(lines: pl.LazyFrame, zo: pl.LazyFrame) -> pl.LazyFrame:
    """The agreement a line names, else the one of the same budgethouder, zorgverlener and
    product whose period holds `datum_van` (the earliest if several)."""
    open_ = lines.filter(pl.col("zorgovereenkomst_id").is_null()).select(
        "declaratie_id", "budgethouder_id", "zorgverlener_id", "product_code", "datum_van")
    cand = (open_.join(zo.select(pl.col("zorgovereenkomst_id").alias("_z"), "budgethouder_id", "zorgverlener_id",
                                 "product_code", pl.col("ingangsdatum").alias("_i"), pl.col("einddatum").alias("_e")),
                       on=["budgethouder_id", "zorgverlener_id", "product_code"], how="inner")
            .filter((pl.col("_i") <= pl.col("datum_van")) & (pl.col("_e").is_null() | (pl.col("_e") >= pl.col("datum_van"))))
            .sort(["declaratie_id", "_i", "_z"]).group_by("declaratie_id").first()
            .select("declaratie_id", "_z"))
    return (lines.join(cand, on="declaratie_id", how="left")
            .with_columns(pl.col("zorgovereenkomst_id").is_not_null().alias("zorgovereenkomst_opgegeven"),
                          pl.coalesce("zorgovereenkomst_id", "_z").alias("zorgovereenkomst_id")).drop("_z"))


def _kandidaten(base: pl.LazyFrame, periods: pl.LazyFrame, id_col: str, keys: list[str], flag: str) -> pl.LazyFrame:
    """declaratie_id, `_k` (candidate id), `_ki`, `_ke`: the periods (toekenningen or
    agreements, same `keys`) that overlap the days of a line that does not name one (`flag`
    false); a named one is its only candidate."""
    p = periods.select(pl.col(id_col).alias("_k"), *keys, pl.col("ingangsdatum").alias("_ki"),
                       pl.col("einddatum").alias("_ke"))
    open_ = (base.filter(~pl.col(flag)).select("declaratie_id", *keys, "datum_van", "datum_tot")
             .join(p, on=keys, how="inner")
             .filter((pl.col("_ki") <= pl.col("datum_tot")) & (pl.col("_ke").is_null() | (pl.col("_ke") >= pl.col("datum_van"))))
             .select("declaratie_id", "_k", "_ki", "_ke"))
    named = (base.filter(pl.col(flag) & pl.col(id_col).is_not_null()).select("declaratie_id", pl.col(id_col).alias("_k"))
             .join(p.select("_k", "_ki", "_ke"), on="_k", how="left"))
    return pl.concat([open_, named], how="diagonal_relaxed")


def _toewijzen(seg: pl.LazyFrame, kand: pl.LazyFrame, out: str) -> pl.LazyFrame:
    """Per segment the candidate that holds its first day: the latest one that began on or
    before it, else (days before every candidate) the earliest; none when there is none."""
    ki = pl.col("_ki").fill_null(date.min)
    rang = (pl.when(ki <= pl.col("_s")).then((pl.col("_s") - ki).dt.total_days())
            .otherwise(pl.lit(10**9) + (ki - pl.col("_s")).dt.total_days()))
    kies = (seg.select("declaratie_id", "_s").join(kand, on="declaratie_id", how="inner")
            .with_columns(rang.alias("_rang"))
            .group_by("declaratie_id", "_s").agg(pl.col("_k").sort_by("_rang", "_k").first().alias(out)))
    return seg.join(kies, on=["declaratie_id", "_s"], how="left")


def split_lines(lines: pl.LazyFrame, tables: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    """`Context.toekenning_delen`: every line cut at the first day of each further candidate
    toekenning and agreement inside it, each segment given the toekenning (agreement) that
    holds its first day, segments with the same pair merged; euros and aantal pro rata by
    days, by cumulative rounding so the parts add up to the line. `lines` sorted by
    declaratie_id (as `build_context` makes them); the result, collected, is sorted by
    declaratie_id and datum_van."""
    base = lines.select("declaratie_id", "budgethouder_id", "zorgverlener_id", "product_code", "datum_van", "datum_tot",
                        "toekenning_id", "zorgovereenkomst_id", "toekenning_opgegeven", "zorgovereenkomst_opgegeven")
    kt = _kandidaten(base, tables["toekenningen"], "toekenning_id", ["budgethouder_id", "product_code"],
                     "toekenning_opgegeven")
    kz = _kandidaten(base, tables["zorgovereenkomsten"], "zorgovereenkomst_id",
                     ["budgethouder_id", "zorgverlener_id", "product_code"], "zorgovereenkomst_opgegeven")
    rng = base.select("declaratie_id", "datum_van", "datum_tot")
    snede = (pl.concat([kt.select("declaratie_id", "_ki"), kz.select("declaratie_id", "_ki")])
             .join(rng, on="declaratie_id").filter((pl.col("_ki") > pl.col("datum_van")) & (pl.col("_ki") <= pl.col("datum_tot")))
             .select("declaratie_id", pl.col("_ki").alias("_s")))
    # almost every line has no cut point: it is one segment, itself, and keeps its place; only
    # the lines with a cut are sorted, windowed, joined and put back in order
    gesneden = snede.select("declaratie_id").unique().collect()
    cut = rng.join(gesneden.lazy(), on="declaratie_id", how="semi")
    een = (rng.join(gesneden.lazy(), on="declaratie_id", how="anti")
           .select("declaratie_id", pl.col("datum_van").alias("_s"), pl.col("datum_tot").alias("_e")))
    meer = (pl.concat([cut.select("declaratie_id", pl.col("datum_van").alias("_s")), snede]).unique()
            .join(cut.select("declaratie_id", "datum_tot"), on="declaratie_id")
            .sort("declaratie_id", "_s")
            .with_columns(pl.coalesce(pl.col("_s").shift(-1).over("declaratie_id") - pl.duration(days=1),
                                      pl.col("datum_tot")).alias("_e"))
            .select("declaratie_id", "_s", "_e"))
    delen = (_toewijzen(_toewijzen(meer, kt, "_t"), kz, "_z")
             .group_by("declaratie_id", "_t", "_z").agg(pl.col("_s").min(), pl.col("_e").max(),
                                                        ((pl.col("_e") - pl.col("_s")).dt.total_days() + 1).sum()
                                                        .cast(pl.Int64).alias("_d"))
             .sort("declaratie_id", "_s")
             .with_columns(pl.col("_d").cum_sum().over("declaratie_id").alias("_cum")))
    df = lines.collect()
    heel = df if gesneden.height == 0 else df.filter(~pl.col("declaratie_id").is_in(gesneden["declaratie_id"].implode()))
    tw = (heel.lazy().select("declaratie_id")
          .join(_toewijzen(_toewijzen(een, kt, "_t"), kz, "_z").select("declaratie_id", "_t", "_z", "_s", "_e"),
                on="declaratie_id", how="left", maintain_order="left").collect())
    # one segment: _d = _cum = the line's days (what the group-by and cum_sum give it)
    heel = heel.with_columns(tw["_t"], tw["_z"], tw["_s"], tw["_e"], pl.col("dagen").alias("_d"),
                             pl.col("dagen").alias("_cum"))
    deel = lambda c: (money.prorata(c, "_cum", "dagen") - money.prorata(c, "_cum0", "dagen"))  # noqa: E731

    def verdeel(out: pl.LazyFrame) -> pl.LazyFrame:
        out = (out.with_columns(pl.col("_d").fill_null(pl.col("dagen")), pl.col("_cum").fill_null(pl.col("dagen")))
               .with_columns((pl.col("_cum") - pl.col("_d")).alias("_cum0")))
        return (out.with_columns(
                    pl.when(pl.col("_s").is_not_null()).then(pl.col("_t")).otherwise(pl.col("toekenning_id"))
                    .alias("toekenning_id"),
                    pl.when(pl.col("_s").is_not_null()).then(pl.col("_z")).otherwise(pl.col("zorgovereenkomst_id"))
                    .alias("zorgovereenkomst_id"),
                    pl.coalesce("_s", "datum_van").alias("datum_van"), pl.coalesce("_e", "datum_tot").alias("datum_tot"),
                    deel("bedrag_ct").alias("bedrag_ct"), deel("aantal_e4").alias("aantal_e4"),
                    pl.col("_d").alias("dagen"))
                .drop("_t", "_z", "_s", "_e", "_d", "_cum", "_cum0"))
    uit = verdeel(heel.lazy()).collect()
    if gesneden.height:
        delen_ = verdeel(df.lazy().join(gesneden.lazy(), on="declaratie_id", how="semi")
                         .join(delen, on="declaratie_id", how="left")).collect()
        uit = pl.concat([uit, delen_]).sort("declaratie_id", "datum_van")
    return uit.lazy()


def build_lines(tables: dict[str, pl.LazyFrame], regelingen: list[reg.Regeling],
                geforceerd: reg.Regeling | None) -> pl.LazyFrame:
    """Declaraties with everything checks share; see docs/architecture.md.

    Lines with status `afgekeurd` are left out: the SVB refused them, so they cost the pgb
    nothing and no check judges them (they stay in `tables["declaraties"]`)."""
    lines = tables["declaraties"].filter(pl.col("status").is_null() | (pl.col("status") != "afgekeurd")).join(
        tables["budgethouders"].select("budgethouder_id", "gemeente_code"), on="budgethouder_id", how="left")
    lines = reg.kies_regeling(lines, regelingen, geforceerd=geforceerd)
    lines = resolve_toekenning(lines, tables["toekenningen"])
    lines = resolve_zorgovereenkomst(lines, tables["zorgovereenkomsten"])
    zin = reg.categorie_frame(regelingen).lazy().select("regeling_id", "product_code",
                                                         pl.col("categorie").alias("_cat_zin"))
    toek = tables["toekenningen"].select("toekenning_id", pl.col("categorie").alias("_cat_toek"))
    zv = tables["zorgverleners"].select("zorgverlener_id", pl.col("soort").alias("zv_soort"))
    zo = tables["zorgovereenkomsten"].select("zorgovereenkomst_id", "relatie_tot_budgethouder")
    lines = (lines.join(zin, on=["regeling_id", "product_code"], how="left")
             .join(toek, on="toekenning_id", how="left")
             .join(zv, on="zorgverlener_id", how="left")
             .join(zo, on="zorgovereenkomst_id", how="left")
             .with_columns(
                 pl.coalesce("_cat_zin", "_cat_toek", pl.lit("overig")).alias("categorie"),
                 pl.col("relatie_tot_budgethouder").fill_null("geen"),
                 ((pl.col("datum_tot") - pl.col("datum_van")).dt.total_days() + 1).cast(pl.Int64).alias("dagen"),
             ).drop("_cat_zin", "_cat_toek"))
    lines = lines.with_columns(
        pl.when(pl.col("zv_soort").is_in(SN_SOORTEN) | pl.col("relatie_tot_budgethouder").is_in(SN_RELATIES))
        .then(pl.lit("sociaal_netwerk")).otherwise(pl.lit("professioneel")).alias("zorgverlener_soort"))
    return reg.voeg_norm_toe(lines, regelingen)


def build_context(typed: dict[str, pl.DataFrame], regelingen: list[reg.Regeling], peildatum: date,
                  geforceerd: reg.Regeling | None = None) -> Context:
    tables = {name: df.lazy() for name, df in typed.items()}
    used = [geforceerd] if geforceerd is not None else regelingen
    # sorted by id: no check may depend on the row order of the input files
    lines = build_lines(tables, used, geforceerd).sort("declaratie_id").collect().lazy()
    delen = split_lines(lines, tables)   # sorted by declaratie_id, datum_van
    return Context(tables, lines, used, reg.regeling_frame(used), reg.artikelen_frame(used),
                   peildatum, geforceerd, delen)


# --------------------------------------------------------------------------- running


def _finding_ids(df: pl.DataFrame) -> pl.Series:
    keys = df.select(pl.concat_str([
        pl.col("check"), pl.col("budgethouder_id").fill_null(""), pl.col("zorgverlener_id").fill_null(""),
        pl.col("toekenning_id").fill_null(""), pl.col("zorgovereenkomst_id").fill_null(""),
        pl.col("declaratie_ids").list.join(";"), pl.col("periode_van").cast(pl.String).fill_null(""),
        pl.col("periode_tot").cast(pl.String).fill_null(""), pl.col("details").fill_null(""),
    ], separator="|")).to_series()
    return pl.Series("finding_id", [hashlib.sha256(k.encode()).hexdigest()[:16] for k in keys.to_list()],
                     dtype=pl.String)


@dataclass
class CheckRun:
    findings: pl.DataFrame
    niet_toetsbaar: dict[str, pl.DataFrame]
    extra: dict[str, pl.DataFrame]
    seconds: dict[str, float]


def run_checks(ctx: Context, codes: list[str] | None = None, progress=None,
               registry: dict[str, CheckSpec] | None = None) -> CheckRun:
    """Run the registered checks (`codes`: only these) in report order. The `checks` package
    registers them when imported (`checks.load_checks()`)."""
    registry = registry if registry is not None else registered()
    selected = [c for c in registry if codes is None or c in codes]
    frames, nt, extra, secs = [], {}, {}, {}
    for i, code in enumerate(selected):
        if progress is not None:
            progress(i / max(1, len(selected)), code)
        t0 = time.perf_counter()
        res = registry[code].func(ctx)
        frames.append(res.findings.collect())
        nt[code] = (res.niet_toetsbaar.collect() if res.niet_toetsbaar is not None
                    else pl.DataFrame(schema=NIET_TOETSBAAR_SCHEMA))
        extra.update({f"{code}:{k}": v for k, v in res.extra.items()})
        secs[code] = time.perf_counter() - t0
    findings = pl.concat(frames) if frames else pl.DataFrame(schema=FINDING_SCHEMA)
    findings = findings.with_columns(_finding_ids(findings)) if findings.height else findings.with_columns(
        pl.lit(None, dtype=pl.String).alias("finding_id"))
    # `check` is the check table's Enum: sorting on it follows report order
    findings = findings.sort(["check", "budgethouder_id", "periode_van", "finding_id"], nulls_last=True)
    return CheckRun(findings, nt, extra, secs)
