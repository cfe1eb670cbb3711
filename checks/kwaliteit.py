"""KWALITEIT: care by a zorgverlener who does not meet the quality requirements.

**What it finds.** A declaration line whose zorgverlener, on the line's first day of care,
- is an `instelling` or `zzp` without a KvK number (`kvk_nummer` empty);
- is a `zzp` without an SKJ or BIG registration (`skj_nummer` and `big_nummer` empty);
- is a natural person (`zzp`, `sociaal_netwerk`, `overig_niet_professioneel`) who is not
  the budgethouder's parent and has no SKJ/BIG registration, and whose VOG is missing or
  older than `vog_max_jaren` years on the day of care.
One finding per line, naming every reason.

**Why it matters.** A pgb may only be spent on care that meets the quality requirements of
the care bought in natura (Losser art. 7.2 lid 1) and, for everyone who is not a parent,
on a person with a recent VOG (art. 7.2 lid 2). SKJ/BIG-registered professionals hold a VOG
under their professional code, so the college need not ask for it (toelichting art. 7.2).

**Article.** The regeling's `[artikelen].KWALITEIT` (Losser: art. 7.2 lid 1 en 2).

**financieel_effect.** The `bedrag` of the line.

**Choices where the spec is silent (docs).**
- *Day of care* = the line's `datum_van`. A VOG dated after `datum_van` did not exist on the
  day of care and counts as missing on that day.
- *Older than N years*: the VOG of 03-03-2022 is exactly 3 years old on 03-03-2025 (still
  good) and older from 04-03-2025 (calendar years; a VOG of 29 February is 3 years old on 28
  February).
- *Parent* = the line's zorgovereenkomst has `relatie_tot_budgethouder = ouder` (the only
  place the input contract records that relation). A parent is exempt from the VOG reason
  only; KvK and SKJ/BIG still apply to a parent working as zzp'er.
- Art. 7.2 lid 2 also asks that the VOG be at most three months old when the care starts;
  checks.md does not ask for it and it is not checked.
- *Niet toetsbaar*: the VOG reason needs `vog_max_jaren` from the line's regeling; a line of
  a natural person without SKJ/BIG who is not a parent, whose regeling is missing or has no
  `vog_max_jaren`, is listed as niet toetsbaar (its KvK and SKJ/BIG reasons are still
  judged, they need no regeling value).

Fires: zzp'er Z1 with KvK, without SKJ/BIG, VOG of 01-01-2021, line of 03-03-2025 for
116,28: no SKJ/BIG and a VOG older than 3 years: finding of 116,28.
Does not fire: an instelling with KvK; a parent in the sociaal netwerk without VOG; a
sociaal-netwerk helper with a VOG of 03-03-2022 on 03-03-2025.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "KWALITEIT"

NATUURLIJK = ("zzp", "sociaal_netwerk", "overig_niet_professioneel")
SOORT_TEKST = {"instelling": "zorginstelling", "zzp": "zzp'er", "sociaal_netwerk": "zorgverlener uit het sociaal netwerk",
               "overig_niet_professioneel": "niet-professionele zorgverlener"}


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """Care by an instelling/zzp without KvK, a zzp without SKJ/BIG, or a natural person who is
    not a parent, without SKJ/BIG and without a VOG of at most vog_max_jaren years."""
    zv = ctx.t("zorgverleners").select("zorgverlener_id", "kvk_nummer", "skj_nummer", "big_nummer", "vog_datum")
    par = ctx.params.lazy().select("regeling_id", "vog_max_jaren")
    lf = (ctx.lines.join(zv, on="zorgverlener_id", how="left")
          .join(par, on="regeling_id", how="left"))

    soort = pl.col("zv_soort")
    geen_reg = pl.col("skj_nummer").is_null() & pl.col("big_nummer").is_null()
    # VOG deadline: vog_datum + vog_max_jaren calendar years (still good on that day)
    vog_grens = pl.col("vog_datum").dt.offset_by(pl.concat_str([pl.col("vog_max_jaren").cast(pl.String), pl.lit("y")]))
    vog_plicht = soort.is_in(NATUURLIJK) & (pl.col("relatie_tot_budgethouder") != "ouder") & geen_reg
    lf = lf.with_columns(
        (soort.is_in(["instelling", "zzp"]) & pl.col("kvk_nummer").is_null()).alias("_geen_kvk"),
        ((soort == "zzp") & geen_reg).alias("_geen_skj"),
        vog_plicht.alias("_vog_plicht"),
    )
    # only lines that can have a reason go on (most care is by a registered professional):
    # the per-line date arithmetic and texts below are then done for few lines
    lf = lf.filter(pl.col("_geen_kvk") | pl.col("_geen_skj") | pl.col("_vog_plicht")).with_columns(
        vog_grens.alias("_vog_grens"))
    toetsbaar_vog = pl.col("_vog_plicht") & pl.col("vog_max_jaren").is_not_null()
    vog_ontbreekt = toetsbaar_vog & (pl.col("vog_datum").is_null() | (pl.col("vog_datum") > pl.col("datum_van")))
    vog_oud = toetsbaar_vog & pl.col("vog_datum").is_not_null() & (pl.col("vog_datum") <= pl.col("datum_van")) \
        & (pl.col("_vog_grens") < pl.col("datum_van"))
    dag = formatting.fmt_datum_nl("datum_van")
    jaren = pl.concat_str([pl.col("vog_max_jaren").cast(pl.String), pl.lit(" jaar")])
    redenen = pl.concat_list([
        pl.when(pl.col("_geen_kvk")).then(pl.lit("geen KvK-nummer")),
        pl.when(pl.col("_geen_skj")).then(pl.lit("geen SKJ- of BIG-registratie")),
        pl.when(vog_ontbreekt & pl.col("vog_datum").is_null()).then(
            pl.concat_str([pl.lit("geen VOG (verplicht voor wie geen ouder is en geen SKJ- of BIG-registratie heeft)")])),
        pl.when(vog_ontbreekt & pl.col("vog_datum").is_not_null()).then(
            pl.concat_str([pl.lit("op de zorgdag "), dag, pl.lit(" nog geen VOG (VOG van "),
                           formatting.fmt_datum_nl("vog_datum"), pl.lit(")")])),
        pl.when(vog_oud).then(
            pl.concat_str([pl.lit("een VOG van "), formatting.fmt_datum_nl("vog_datum"),
                           pl.lit(" die op de zorgdag "), dag, pl.lit(" ouder is dan "), jaren])),
    ]).list.drop_nulls()
    lf = lf.with_columns(redenen.alias("_redenen")).filter(pl.col("_redenen").list.len() > 0)

    soort_tekst = soort.replace_strict(SOORT_TEKST, default=soort, return_dtype=pl.String)
    n = pl.col("_redenen").list.len()
    opsomming = pl.when(n == 1).then(pl.col("_redenen").list.first()).otherwise(
        pl.concat_str([pl.col("_redenen").list.head(n - 1).list.join(", "), pl.lit(" en "),
                       pl.col("_redenen").list.last()]))
    toel = pl.concat_str([
        pl.lit("Zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" ("), soort_tekst, pl.lit(") heeft "), opsomming,
        pl.lit(", dus de "), formatting.fmt_nl("bedrag_ct"), pl.lit(" euro van declaratie "), pl.col("declaratie_id"),
        pl.lit(" is besteed aan zorg die niet aan de kwaliteitseisen voldoet."),
    ])
    findings = lf.select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        pl.concat_list([pl.col("declaratie_id")]).alias("declaratie_ids"),
        pl.col("datum_van").alias("periode_van"), pl.col("datum_tot").alias("periode_tot"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"), pl.col("bedrag_ct").alias("financieel_effect_ct"),
        toel.alias("toelichting"),
        pl.col("_redenen").list.join(";").alias("details"),
    )

    nt_lf = (ctx.lines.join(zv, on="zorgverlener_id", how="left").join(par, on="regeling_id", how="left")
             .filter(soort.is_in(NATUURLIJK) & (pl.col("relatie_tot_budgethouder") != "ouder") & geen_reg
                     & pl.col("vog_max_jaren").is_null()))
    nt = nt_lf.select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id").is_null())
        .then(pl.lit("Geen regeling voor deze gemeente en datum: niet getoetst of de VOG recent genoeg is."))
        .otherwise(pl.lit("De regeling noemt geen maximale ouderdom van de VOG (pgb.vog_max_jaren): "
                          "niet getoetst of de VOG recent genoeg is."))
        .alias("reden"))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
