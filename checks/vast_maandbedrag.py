"""VAST-MAANDBEDRAG: a fixed monthly amount where the regeling only allows pay per unit.

**What it finds.**
(a) *fout*: a zorgovereenkomst with `werkafspraak = vast_maandbedrag` whose lines fall under
a regeling with `pgb.vast_maandbedrag_toegestaan = false`. One finding per agreement.
(b) *onzekerheid*: under `per_eenheid` agreements, the same budgethouder and zorgverlener
declaring the same monthly total (euros) **and** the same monthly aantal in 3 or more
consecutive calendar months: a fixed monthly amount dressed up as units. One finding per
run of consecutive months.

**Why it matters.** Losser art. 7.3 lid 9: declarations on the basis of a fixed amount per
month are not allowed; the pgb pays care actually delivered, per unit.

**Article.** The regeling's `[artikelen].VAST-MAANDBEDRAG`.

**financieel_effect.** (a) the declared euros (`bedrag`) of the agreement's lines under a
forbidding regeling; (b) the declared euros of the months of the run.

**Semantics (where the spec is silent).**
- Lines belong to an agreement as `ctx.lines` resolved them (named, or the agreement of the
  same budgethouder, zorgverlener and product whose period holds `datum_van`).
- Each line is judged under its own regeling (`regeling_id` of the line). (a) counts the
  lines of the agreement whose regeling forbids a fixed monthly amount; lines under a
  regeling that allows it are fine. An agreement with no lines at all is judged under the
  budgethouder's regeling (`ctx.bh_regeling()`) and, where forbidden, is a finding of
  0,00 euro (the SVB approved an agreement the regeling does not allow).
- (b) only looks at lines whose regeling forbids fixed monthly amounts (where they are
  allowed, a constant month is no reason for doubt). The month of a line is the month of
  its `datum_van`; a month's total and aantal are the sums over all lines of that
  budgethouder and zorgverlener under `per_eenheid` agreements, over all products. A
  month without such lines breaks the run; so does any difference of one cent or one
  ten-thousandth of a unit.
- Niet toetsbaar (per declaratie_id; per zorgovereenkomst_id for an agreement without
  lines): no regeling, or a regeling without `pgb.vast_maandbedrag_toegestaan`.
  Lines without an agreement, or under an agreement of neither werkafspraak, are not
  judged by this check (they have no werkafspraak to judge).

Fires: (a) O2 vast_maandbedrag with lines of 1.200,00 in March and April 2025 (Losser:
not allowed): one finding of 2.400,00. (b) 20 uur / 1.162,80 in March, April and May
2025: one onzekerheid of 3.488,40.
Does not fire: the same amounts in March, April and June (not consecutive), or in three
months where one month has 19,5 uur.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "VAST-MAANDBEDRAG"
MIN_MAANDEN = 3
MAANDNAMEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]
_PARAM = "vast_maandbedrag_toegestaan"


def _reden(regeling: str = "regeling_id") -> pl.Expr:
    return (pl.when(pl.col(regeling).is_null()).then(pl.lit("geen regeling voor deze gemeente en datum"))
            .otherwise(pl.lit("de regeling zegt niet of een vast maandbedrag is toegestaan "
                                              f"(pgb.{_PARAM})")))


def _enkel(col: str) -> pl.Expr:
    """The value when the group has exactly one (non-null), else null."""
    return pl.when(pl.col(col).drop_nulls().n_unique() == 1).then(pl.col(col).drop_nulls().first()).otherwise(None)


def _maand_tekst(d: pl.Expr) -> pl.Expr:
    naam = d.dt.month().replace_strict({i + 1: n for i, n in enumerate(MAANDNAMEN)}, return_dtype=pl.String)
    return pl.concat_str([naam, pl.lit(" "), d.dt.year().cast(pl.String)])


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A fixed monthly amount where the regeling forbids it (fout), or one in disguise (onzekerheid)."""
    params = ctx.params.lazy().select("regeling_id", _PARAM)
    zo = ctx.t("zorgovereenkomsten").select("zorgovereenkomst_id", "werkafspraak", "vast_maandbedrag_ct",
                                             pl.col("ingangsdatum").alias("zo_van"), pl.col("einddatum").alias("zo_tot"),
                                             pl.col("budgethouder_id").alias("zo_bh"),
                                             pl.col("zorgverlener_id").alias("zo_zv"),
                                             pl.col("toekenning_id").alias("zo_toek"))
    lines = (ctx.lines.join(zo, on="zorgovereenkomst_id", how="inner")
             .join(params, on="regeling_id", how="left"))
    onbekend = pl.col(_PARAM).is_null()
    verboden = pl.col(_PARAM).not_().fill_null(False)

    nt_lines = lines.filter(onbekend).select(pl.col("declaratie_id").alias("sleutel"), _reden().alias("reden"))

    # (a) agreements with werkafspraak vast_maandbedrag ---------------------------------
    vast = lines.filter((pl.col("werkafspraak") == "vast_maandbedrag") & verboden)
    maand_tekst = pl.when(pl.col("vast_maandbedrag_ct").is_not_null()).then(
        pl.concat_str([pl.lit(" ("), formatting.fmt_nl("vast_maandbedrag_ct"), pl.lit(" euro per maand)")])
    ).otherwise(pl.lit(""))
    a = (vast.sort(["zorgovereenkomst_id", "datum_van", "declaratie_id"])
         .group_by("zorgovereenkomst_id")
         .agg(pl.col("zo_bh").first().alias("budgethouder_id"), pl.col("zo_zv").first().alias("zorgverlener_id"),
              _enkel("toekenning_id").alias("toekenning_id"), pl.col("regeling_id").first(),
              pl.col("declaratie_id").alias("declaratie_ids"), pl.col("datum_van").min().alias("periode_van"),
              pl.col("datum_tot").max().alias("periode_tot"), pl.col("bedrag_ct").sum().alias("_som"),
              pl.len().alias("_n"), pl.col("vast_maandbedrag_ct").first()))
    a = a.select(
        "zorgovereenkomst_id", "budgethouder_id", "zorgverlener_id", "toekenning_id", "regeling_id",
        "declaratie_ids", "periode_van", "periode_tot",
        pl.col("_som").alias("bedrag_betrokken_ct"), pl.col("_som").alias("financieel_effect_ct"),
        pl.lit("fout").alias("soort"),
        pl.concat_str([
            pl.lit("Zorgovereenkomst "), pl.col("zorgovereenkomst_id"), pl.lit(" spreekt een vast maandbedrag af"),
            maand_tekst, pl.lit(", terwijl de regeling alleen betaling per geleverde eenheid toestaat; de "),
            pl.col("_n").cast(pl.String),
            pl.when(pl.col("_n") == 1).then(pl.lit(" declaratie")).otherwise(pl.lit(" declaraties")),
            pl.lit(" onder deze overeenkomst ("), formatting.fmt_nl("_som"), pl.lit(" euro) zijn daarom niet toegestaan."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("werkafspraak=vast_maandbedrag;zorgovereenkomst="),
                       pl.col("zorgovereenkomst_id")]).alias("details"),
    )

    # agreements without any line: judged under the budgethouder's regeling
    zo_leeg = (ctx.t("zorgovereenkomsten").filter(pl.col("werkafspraak") == "vast_maandbedrag")
               .join(ctx.lines.select("zorgovereenkomst_id").unique(), on="zorgovereenkomst_id", how="anti")
               .join(ctx.bh_regeling(), on="budgethouder_id", how="left")
               .join(params, on="regeling_id", how="left"))
    nt_zo = zo_leeg.filter(onbekend).select(pl.col("zorgovereenkomst_id").alias("sleutel"), _reden().alias("reden"))
    a_leeg = zo_leeg.filter(verboden).select(
        "zorgovereenkomst_id", "budgethouder_id", "zorgverlener_id", "toekenning_id", "regeling_id",
        pl.lit([], dtype=pl.List(pl.String)).alias("declaratie_ids"),
        pl.col("ingangsdatum").alias("periode_van"), pl.col("einddatum").alias("periode_tot"),
        pl.lit(0, dtype=pl.Int64).alias("bedrag_betrokken_ct"), pl.lit(0, dtype=pl.Int64).alias("financieel_effect_ct"),
        pl.lit("fout").alias("soort"),
        pl.concat_str([
            pl.lit("Zorgovereenkomst "), pl.col("zorgovereenkomst_id"), pl.lit(" spreekt een vast maandbedrag af"),
            maand_tekst, pl.lit(", terwijl de regeling alleen betaling per geleverde eenheid toestaat; "
                                "er is nog niets onder gedeclareerd (0,00 euro)."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("werkafspraak=vast_maandbedrag;zorgovereenkomst="),
                       pl.col("zorgovereenkomst_id")]).alias("details"),
    )

    # (b) the same month again and again under per_eenheid ---------------------------------
    keys = ["budgethouder_id", "zorgverlener_id"]
    per_eenheid = (lines.filter((pl.col("werkafspraak") == "per_eenheid") & verboden)
                   .with_columns(pl.col("datum_van").dt.truncate("1mo").alias("_maand")))
    # first the cheap monthly totals and the runs; the lines' ids and agreements are gathered
    # afterwards, only for the months of a run of MIN_MAANDEN or more
    maanden = (per_eenheid
               .group_by([*keys, "_maand"])
               .agg(pl.col("bedrag_ct").sum().alias("_totaal"), pl.col("aantal_e4").sum().alias("_aantal"),
                    pl.col("datum_van").min().alias("_van"), pl.col("datum_tot").max().alias("_tot"),
                    # the month's regeling is the one of its first line (datum_van, declaratie_id)
                    pl.col("regeling_id").sort_by(["datum_van", "declaratie_id"]).first())
               .with_columns((pl.col("_maand").dt.year() * 12 + pl.col("_maand").dt.month()).cast(pl.Int64).alias("_idx"))
               .sort([*keys, "_idx"]))
    vorig = lambda c: pl.col(c).shift(1).over(keys)  # noqa: E731
    nieuw = (vorig("_idx").is_null() | (pl.col("_idx") != vorig("_idx") + 1)
             | (pl.col("_totaal") != vorig("_totaal")) | (pl.col("_aantal") != vorig("_aantal")))
    runs = (maanden.with_columns(nieuw.cast(pl.Int64).cum_sum().over(keys).alias("_reeks"))
            .group_by([*keys, "_reeks"])
            .agg(pl.len().alias("_n"), pl.col("_totaal").first().alias("_per_maand"),
                 pl.col("_aantal").first().alias("_aantal"), pl.col("_totaal").sum().alias("_som"),
                 pl.col("_van").min().alias("periode_van"), pl.col("_tot").max().alias("periode_tot"),
                 pl.col("_maand").min().alias("_m1"), pl.col("_maand").max().alias("_m2"),
                 pl.col("regeling_id").first())
            .filter(pl.col("_n") >= MIN_MAANDEN))
    van_run = (per_eenheid.join(runs.select(*keys, "_m1", "_m2"), on=keys, how="inner")
               .filter((pl.col("_maand") >= pl.col("_m1")) & (pl.col("_maand") <= pl.col("_m2")))
               .group_by([*keys, "_m1"])
               .agg(pl.col("declaratie_id").alias("declaratie_ids"),
                    pl.col("zorgovereenkomst_id").unique().alias("_zo"),
                    pl.col("toekenning_id").drop_nulls().unique().alias("_toek"),
                    pl.col("eenheid").unique().alias("_eenh")))
    reeksen = runs.join(van_run, on=[*keys, "_m1"], how="left")
    eenheid = pl.when(pl.col("_eenh").list.len() == 1).then(pl.col("_eenh").list.first()).otherwise(pl.lit("eenheden"))
    b = reeksen.select(
        *keys, "regeling_id", "declaratie_ids", "periode_van", "periode_tot",
        pl.when(pl.col("_zo").list.len() == 1).then(pl.col("_zo").list.first()).alias("zorgovereenkomst_id"),
        pl.when(pl.col("_toek").list.len() == 1).then(pl.col("_toek").list.first()).alias("toekenning_id"),
        pl.col("_som").alias("bedrag_betrokken_ct"), pl.col("_som").alias("financieel_effect_ct"),
        pl.lit("onzekerheid").alias("soort"),
        pl.concat_str([
            pl.lit("Zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" declareerde "), pl.col("_n").cast(pl.String),
            pl.lit(" maanden achter elkaar ("), _maand_tekst(pl.col("_m1")), pl.lit(" t/m "), _maand_tekst(pl.col("_m2")),
            pl.lit(") elke maand precies "), formatting.fmt_nl("_per_maand"), pl.lit(" euro voor "),
            formatting.fmt_qty_nl("_aantal"), pl.lit(" "), eenheid,
            pl.lit("; dat wijst op een vast maandbedrag, dat de regeling niet toestaat ("), formatting.fmt_nl("_som"),
            pl.lit(" euro)."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("maanden="), pl.col("_m1").dt.strftime("%Y-%m"), pl.lit(".."),
                       pl.col("_m2").dt.strftime("%Y-%m")]).alias("details"),
    )

    findings = pl.concat([a, a_leeg, b], how="diagonal_relaxed")
    nt = pl.concat([nt_lines, nt_zo]).unique(maintain_order=True)
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
