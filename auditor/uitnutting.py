"""BADO C, uitnutting per cliënt (sampling.md, "The BADO controls"; docs/rechtmatigheid.md).

Per toekenning that has started by the peildatum: the share of its budget used (the declared
bedrag of its lines with `datum_van` on or before the peildatum) against the share of its
period passed (days from ingangsdatum to the peildatum or the einddatum, both included, of
all days of the period). The ratio used / passed is 1 for even use; below `Audit.uitnutting_onder`
(default 0,5: less than half of what the time passed leads to expect) is strong under-use,
above `Audit.uitnutting_boven` (default 1,25) strong over-use. Both are set on the command line
(`--onderbenutting`, `--overbenutting`); a regeling does not hold them because they are the
controller's analysis, not the gemeente's rules for the budgethouder.

The comparison is in integers: used x total days x 10 000 against threshold (in
ten-thousandths) x budget x days passed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from auditor.audit import Audit

SCHAAL = 10_000


@dataclass
class Uitnutting:
    onder: float
    boven: float
    per_toekenning: pl.DataFrame   # toekenning_id, budgethouder_id, budget_ct, gebruikt_ct, dagen, verstreken, oordeel
    opvallend: pl.DataFrame        # the rows with oordeel onderbenutting / overbenutting


def bereken(a: Audit) -> Uitnutting:
    pd = a.peildatum
    onder, boven = float(a.uitnutting_onder), float(a.uitnutting_boven)
    gebruikt = (a.ctx.lines.filter(pl.col("datum_van") <= pd).group_by("toekenning_id")
                .agg(pl.col("bedrag_ct").sum().alias("gebruikt_ct")))
    t = (a.ctx.t("toekenningen").select("toekenning_id", "budgethouder_id", "product_code", "budget_ct",
                                        "ingangsdatum", "einddatum")
         .filter((pl.col("ingangsdatum") <= pd) & (pl.col("budget_ct") > 0))
         .join(gebruikt, on="toekenning_id", how="left")
         .with_columns(pl.col("gebruikt_ct").fill_null(0),
                       ((pl.col("einddatum") - pl.col("ingangsdatum")).dt.total_days() + 1).alias("dagen"),
                       ((pl.min_horizontal(pl.col("einddatum"), pl.lit(pd)) - pl.col("ingangsdatum")).dt.total_days() + 1)
                       .alias("verstreken")))
    links = pl.col("gebruikt_ct").cast(pl.Int128) * pl.col("dagen") * SCHAAL
    rechts = pl.col("budget_ct").cast(pl.Int128) * pl.col("verstreken")
    t = (t.with_columns(pl.when(links < rechts * round(onder * SCHAAL)).then(pl.lit("onderbenutting"))
                        .when(links > rechts * round(boven * SCHAAL)).then(pl.lit("overbenutting"))
                        .otherwise(pl.lit("")).alias("oordeel"))
         .sort("budgethouder_id", "toekenning_id").collect())
    return Uitnutting(onder, boven, t, t.filter(pl.col("oordeel") != ""))
