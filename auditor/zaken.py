"""Zaken: the matters a toezichthouder follows from run to run (docs/workspace.md).

A *zaak* is a check at one budgethouder, with one zorgverlener and one toekenning where the
check's findings name them, and for BUITENLAND one calendar year (of `periode_van`). Its
`zaak_id` is a hash of those keys, so it stays the same when next month's lines add to it.

Pure functions over frames (no SQLite here; `auditor.werkruimte` stores and reads):

* `met_zaak_id(findings)`: the findings with their `zaak_id`;
* `zaken(findings)`: one row per zaak with its euros and its *vingerafdruk* (a hash of its
  findings' ids, lines and euros: when it differs, the zaak changed);
* `statussen(zaken, eerder)`: `nieuw` / `gewijzigd` / `terugkerend` per zaak against the zaken
  of earlier runs;
* `beoordeling(zaken, oordelen)`: each zaak's latest judgement and whether the zaak changed
  since ("gewijzigd na beoordeling");
* `uitgesloten(zaken, oordelen)`: the zaken judged `onterecht` or `afgedaan` and not changed
  since: they ground no opschorting proposal;
* `trends(bevindingen)`: per run and check, how many findings and euros.
"""

from __future__ import annotations

import hashlib

import polars as pl

OORDELEN = ("in_onderzoek", "terecht", "onterecht", "afgedaan")
#: judgements after which a zaak grounds no proposal (until it changes)
GEEN_GROND = ("onterecht", "afgedaan")
STATUSSEN = ("nieuw", "gewijzigd", "terugkerend", "opgelost")
GEWIJZIGD_NA_BEOORDELING = "gewijzigd na beoordeling"

ZAAK_SCHEMA = {"zaak_id": pl.String, "check": pl.String, "budgethouder_id": pl.String,
               "zorgverlener_id": pl.String, "toekenning_id": pl.String, "jaar": pl.Int32,
               "bevindingen": pl.UInt32, "financieel_effect_ct": pl.Int64, "periode_van": pl.Date,
               "periode_tot": pl.Date, "vingerafdruk": pl.String}
OORDEEL_SCHEMA = {"nr": pl.Int64, "zaak_id": pl.String, "tijd": pl.String, "oordeel": pl.String,
                  "notitie": pl.String, "door": pl.String, "run_id": pl.Int64, "vingerafdruk": pl.String}
_SEP = "\x1f"


def _sha(values: list[str]) -> pl.Series:
    return pl.Series([hashlib.sha256(v.encode("utf-8")).hexdigest()[:16] for v in values], dtype=pl.String)


def _jaar() -> pl.Expr:
    return pl.when(pl.col("check").cast(pl.String) == "BUITENLAND").then(
        pl.col("periode_van").dt.year()).otherwise(None).cast(pl.Int32)


def met_zaak_id(findings: pl.DataFrame) -> pl.DataFrame:
    """`findings` (internal or stored schema) with a `zaak_id` column (String)."""
    if findings.height == 0:
        return findings.with_columns(pl.lit(None, dtype=pl.String).alias("zaak_id"))
    keys = findings.select(pl.concat_str([
        pl.col("check").cast(pl.String), pl.col("budgethouder_id").fill_null(""),
        pl.col("zorgverlener_id").fill_null(""), pl.col("toekenning_id").fill_null(""),
        _jaar().cast(pl.String).fill_null("")], separator=_SEP).alias("k"))["k"]
    return findings.with_columns(_sha(keys.to_list()).alias("zaak_id"))


def _regel_tekst() -> pl.Expr:
    ids = pl.col("declaratie_ids").list.sort().list.join(";")
    return pl.concat_str([pl.col("finding_id"), ids.fill_null(""),
                          pl.col("financieel_effect_ct").cast(pl.String).fill_null(""),
                          pl.col("bedrag_betrokken_ct").cast(pl.String).fill_null("")], separator=_SEP)


def zaken(findings: pl.DataFrame) -> pl.DataFrame:
    """One row per zaak (ZAAK_SCHEMA) of findings that carry `zaak_id`; `declaratie_ids` is a list."""
    if findings.height == 0:
        return pl.DataFrame(schema=ZAAK_SCHEMA)
    per = (findings.with_columns(_regel_tekst().alias("_t"), _jaar().alias("jaar"),
                                 pl.col("check").cast(pl.String))
           .group_by("zaak_id")
           .agg(pl.col("check").first(), pl.col("budgethouder_id").first(), pl.col("zorgverlener_id").first(),
                pl.col("toekenning_id").first(), pl.col("jaar").first(), pl.len().alias("bevindingen"),
                pl.col("financieel_effect_ct").fill_null(0).sum(), pl.col("periode_van").min(),
                pl.col("periode_tot").max(), pl.col("_t").sort().str.join("\x1e").alias("_t"))
           .sort("zaak_id"))
    return per.with_columns(_sha(per["_t"].to_list()).alias("vingerafdruk")).drop("_t").cast(ZAAK_SCHEMA).select(
        list(ZAAK_SCHEMA))


def statussen(huidig: pl.DataFrame, eerder: pl.DataFrame) -> pl.DataFrame:
    """zaak_id, status of this run's zaken. `eerder`: run_id, zaak_id, vingerafdruk of the zaken of
    earlier runs; a zaak is compared with the latest run it was found in."""
    laatst = (eerder.sort("run_id").group_by("zaak_id").agg(pl.col("vingerafdruk").last().alias("_oud")))
    return (huidig.select("zaak_id", "vingerafdruk").join(laatst, on="zaak_id", how="left", maintain_order="left")
            .select("zaak_id", pl.when(pl.col("_oud").is_null()).then(pl.lit("nieuw"))
                    .when(pl.col("_oud") == pl.col("vingerafdruk")).then(pl.lit("terugkerend"))
                    .otherwise(pl.lit("gewijzigd")).alias("status")))


def laatste_oordelen(oordelen: pl.DataFrame) -> pl.DataFrame:
    """The latest judgement per zaak (OORDEEL_SCHEMA rows; judgements are never overwritten)."""
    return oordelen.sort("nr").group_by("zaak_id", maintain_order=True).last().sort("zaak_id")


def beoordeling(huidig: pl.DataFrame, oordelen: pl.DataFrame) -> pl.DataFrame:
    """Per zaak of `huidig`: oordeel, notitie, door, tijd of its latest judgement (null: none)
    and `gewijzigd_na_beoordeling` (the zaak is not what it was when judged)."""
    lo = laatste_oordelen(oordelen).select("zaak_id", "oordeel", "notitie", "door", "tijd",
                                           pl.col("vingerafdruk").alias("_beoordeeld"))
    return (huidig.select("zaak_id", "vingerafdruk").join(lo, on="zaak_id", how="left", maintain_order="left")
            .with_columns((pl.col("oordeel").is_not_null() & (pl.col("_beoordeeld") != pl.col("vingerafdruk")))
                          .alias("gewijzigd_na_beoordeling"))
            .drop("vingerafdruk", "_beoordeeld"))


def uitgesloten(huidig: pl.DataFrame, oordelen: pl.DataFrame) -> pl.DataFrame:
    """zaak_id of the zaken whose latest judgement is `onterecht` or `afgedaan` and that did not
    change since: they ground no proposal (`auditor.opschorting.voorstellen(uitgesloten=...)`)."""
    b = beoordeling(huidig, oordelen)
    return b.filter(pl.col("oordeel").is_in(GEEN_GROND) & ~pl.col("gewijzigd_na_beoordeling")).select("zaak_id")


def trends(bevindingen: pl.DataFrame, runs: pl.DataFrame) -> pl.DataFrame:
    """Per run and check: run_id, peildatum, check, bevindingen, zaken, financieel_effect_ct.
    `bevindingen`: run_id, check, zaak_id, financieel_effect_ct; `runs`: run_id, peildatum."""
    if bevindingen.height == 0:
        return pl.DataFrame(schema={"run_id": pl.Int64, "peildatum": pl.Date, "check": pl.String,
                                    "bevindingen": pl.UInt32, "zaken": pl.UInt32, "financieel_effect_ct": pl.Int64})
    return (bevindingen.with_columns(pl.col("check").cast(pl.String))
            .group_by("run_id", "check")
            .agg(pl.len().alias("bevindingen"), pl.col("zaak_id").n_unique().cast(pl.UInt32).alias("zaken"),
                 pl.col("financieel_effect_ct").fill_null(0).sum())
            .join(runs.select("run_id", "peildatum"), on="run_id", how="left")
            .select("run_id", "peildatum", "check", "bevindingen", "zaken", "financieel_effect_ct")
            .sort("run_id", "check"))
