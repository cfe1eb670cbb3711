"""AANWENDING: a pgb not put to use within the term the regeling sets.

**What it finds.** A toekenning whose first day of declared care is on or after its start
plus `aanwenden_binnen_maanden` months, or that has no declared care at all while that day
is on or before the peildatum. The start is the later of `ingangsdatum` and
`besluitdatum` (the budgethouder cannot use a pgb before it is decided). One signaal per
toekenning.

**Why it matters.** Losser art. 7.3 lid 10: the budgethouder must use the pgb within three
months of the toekenning. A pgb that is not used may mean the care is not needed, or is
bought elsewhere; the gemeente may then revise or withdraw the beschikking. A person looks.

**Article.** The regeling's `[artikelen].AANWENDING`.

**financieel_effect.** 0 (a signaal). `bedrag_betrokken` is the toekenning's `budget`.

**Semantics (where the spec is silent).**
- The *grensdatum* is `start + n months` with polars `dt.offset_by("{n}mo")`: the same day
  number n months later, clipped to the month's last day (31 January + 1 month =
  28 February, or 29 in a leap year; 31 March + 3 months = 30 June). Care that starts on
  the grensdatum itself is late ("on or after"); the day before is in time.
- The regeling is the one of the budgethouder's gemeente in force on the toekenning's
  `ingangsdatum` (`kies_regeling`; a forced `--regeling` applies to every toekenning),
  the same rule lines follow with `datum_van`. Not `ctx.bh_regeling()` (the regeling on
  the peildatum), which would judge a 2025 toekenning under 2026 rules.
- The first day of declared care is the earliest `datum_van` of the lines that belong to
  the toekenning (named, or resolved as in checks.md), whatever their `status`.
- "None while the grensdatum is on or before the peildatum": a toekenning without lines
  whose grensdatum is the peildatum itself gives a signaal.
- `periode_van/tot`: the term itself, start .. grensdatum - 1 day. `declaratie_ids`: the
  lines that start on the first day of care (empty when there is no care).
- Niet toetsbaar (sleutel = toekenning_id): no regeling for the gemeente on the
  ingangsdatum, or a regeling without `pgb.aanwenden_binnen_maanden`.

Fires: T1 from 01-01-2025 (besluit 15-12-2024), Losser 3 months: grensdatum 01-04-2025;
first care on 01-04-2025 -> signaal.
Does not fire: first care on 31-03-2025; no care yet but peildatum 31-03-2025.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "AANWENDING"


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A toekenning whose first care starts on or after start + aanwenden_binnen_maanden months, or has none by then."""
    toek = ctx.toekenningen().select("toekenning_id", "budgethouder_id", "ingangsdatum", "besluitdatum",
                                     "budget_ct", "regeling_id")
    toek = toek.join(ctx.params.lazy().select("regeling_id", "aanwenden_binnen_maanden"), on="regeling_id", how="left")

    onbekend = pl.col("aanwenden_binnen_maanden").is_null()
    nt = toek.filter(onbekend).select(
        pl.col("toekenning_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null()).then(pl.lit("geen regeling voor de gemeente op de ingangsdatum"))
        .otherwise(pl.lit("de regeling noemt geen termijn om het pgb aan te wenden (pgb.aanwenden_binnen_maanden)"))
        .alias("reden"))

    # a line across back-to-back toekenningen is care under each from its first day there
    eerste = (ctx.toekenning_delen().filter(pl.col("toekenning_id").is_not_null())
              .sort(["toekenning_id", "datum_van", "declaratie_id"])
              .group_by("toekenning_id")
              .agg(pl.col("datum_van").min().alias("_eerste"),
                   pl.col("declaratie_id").filter(pl.col("datum_van") == pl.col("datum_van").min()).alias("_ids")))
    n = pl.col("aanwenden_binnen_maanden")
    t = (toek.filter(~onbekend)
         .with_columns(pl.max_horizontal("ingangsdatum", "besluitdatum").alias("_start"))
         .with_columns(pl.col("_start").dt.offset_by(pl.concat_str([n.cast(pl.String), pl.lit("mo")])).alias("_grens"))
         .join(eerste, on="toekenning_id", how="left"))
    peildatum = pl.lit(ctx.peildatum, dtype=pl.Date)
    te_laat = pl.col("_eerste").is_not_null() & (pl.col("_eerste") >= pl.col("_grens"))
    geen = pl.col("_eerste").is_null() & (pl.col("_grens") <= peildatum)
    datum = formatting.fmt_datum_nl
    maanden = pl.concat_str([n.cast(pl.String),
                             pl.when(n == 1).then(pl.lit(" maand")).otherwise(pl.lit(" maanden"))])
    begin = pl.concat_str([
        pl.lit("Het pgb van toekenning "), pl.col("toekenning_id"), pl.lit(" kon vanaf "), datum("_start"),
        pl.lit(" worden gebruikt en moet volgens de regeling binnen "), maanden,
        pl.lit(" worden aangewend (vóór "), datum("_grens"), pl.lit("), "),
    ])
    findings = t.filter(te_laat | geen).select(
        "toekenning_id", "budgethouder_id", "regeling_id",
        pl.col("_ids").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("declaratie_ids"),
        pl.col("_start").alias("periode_van"), pl.col("_grens").dt.offset_by("-1d").alias("periode_tot"),
        pl.col("budget_ct").alias("bedrag_betrokken_ct"), pl.lit(0, dtype=pl.Int64).alias("financieel_effect_ct"),
        pl.concat_str([
            begin,
            pl.when(pl.col("_eerste").is_not_null())
            .then(pl.concat_str([pl.lit("maar de eerste gedeclareerde zorg is van "), datum("_eerste"), pl.lit(".")]))
            .otherwise(pl.concat_str([pl.lit("maar tot de peildatum "), pl.lit(formatting.nl_datum(ctx.peildatum)),
                                      pl.lit(" is er geen zorg gedeclareerd.")])),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("grensdatum="), pl.col("_grens").cast(pl.String), pl.lit(";eerste_zorg="),
                       pl.col("_eerste").cast(pl.String).fill_null("geen")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
