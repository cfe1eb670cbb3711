"""KWALITEIT: care by a zorgverlener who does not meet the quality requirements of the regeling.

**What it finds.** The requirements of the line's regeling `[kwaliteit]`, on the days of care
(a rule whose key is absent is not checked: no invented SKJ or KvK duty):

- `min_opleidingsniveau` (Losser art. 7.2 lid 1): a `zzp` (the professional natural person)
  with a completed care education of at least that level (`opleidingsniveau`: mbo1 .. mbo4,
  hbo, wo; an EVC certificate counts as its level). Below it: fout; empty: onzekerheid (the
  data lack the evidence).
- `vog_max_maanden_voor_start` and `vog_max_jaren` (art. 7.2 lid 2): everyone who is a natural
  person (`zzp`, `sociaal_netwerk`, `overig_niet_professioneel`), is not the budgethouder's
  parent and has no SKJ/BIG registration needs a VOG that is not older than
  `vog_max_maanden_voor_start` months before the care began **and** not older than
  `vog_max_jaren` years on each day of care. A VOG older than the months when the care began:
  every day fails (fout); the days after the VOG turned `vog_max_jaren` years old fail (fout);
  the days before the VOG's date fail, it did not exist yet (fout); no VOG date: onzekerheid.
- `registratie_vereist = true`: a `zzp` without SKJ or BIG registration (fout).
- `kvk_vereist = true`: an `instelling` or `zzp` without a KvK number (fout).

One finding per line naming every reason; `fout` when any day fails a rule the data show was
broken, otherwise `onzekerheid`.

**Why it matters.** A pgb may only be spent on care that meets the quality requirements of
the care bought in natura (Losser art. 7.2 lid 1) and, for everyone who is not a parent, on a
person with a recent VOG (art. 7.2 lid 2). SKJ/BIG-registered professionals hold a VOG under
their professional code, so the college need not ask for it (toelichting art. 7.2).

**Article.** The regeling's `[artikelen].KWALITEIT` (Losser: art. 7.2 lid 1 en 2).

**financieel_effect.** The euros of the days that fail, pro rata
(`bedrag x failing days / days of the line`); a day failing several rules counts once.

**Choices where the spec is silent (docs).**
- *Care began* = the `ingangsdatum` of the line's zorgovereenkomst, else the first day this
  zorgverlener declared for this budgethouder (checks.md).
- *Older than N years / M months*: calendar arithmetic; the VOG of 03-03-2022 is exactly 3
  years old on 03-03-2025 (still good) and older from 04-03-2025; a VOG of 01-09-2024 is
  exactly 3 months old on 01-12-2024.
- *Parent* = the line's zorgovereenkomst has `relatie_tot_budgethouder = ouder`; a parent is
  exempt from the VOG only.
- *Education of a registered professional.* An SKJ or BIG registration requires a completed
  care education at hbo level or higher, so a zzp'er with such a registration meets
  `min_opleidingsniveau` up to hbo even when `opleidingsniveau` is empty. Text in
  `opleidingsniveau` that names no level is niet toetsbaar for that rule.
- *Both kinds on one line.* A line with days that fail (fout) and missing evidence
  (onzekerheid) gives one finding of soort fout with the euros of every failing day.
- *Niet toetsbaar*: a line of a natural person or zzp'er that no regeling covers.

Fires: zzp'er Z1 with KvK, without SKJ/BIG and with opleidingsniveau mbo3, line of 03-03-2025
for 116,28: below mbo4, a finding of 116,28.
Does not fire: an instelling with KvK; a parent in the sociaal netwerk without VOG; a
sociaal-netwerk helper with a VOG of 03-03-2022 on 03-03-2025 whose care began 03-02-2022.
"""

from __future__ import annotations

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame
from auditor.regeling import OPLEIDINGSNIVEAUS

CODE = "KWALITEIT"

NATUURLIJK = ("zzp", "sociaal_netwerk", "overig_niet_professioneel")
SOORT_TEKST = {"instelling": "de zorginstelling", "zzp": "de zzp'er", "sociaal_netwerk": "de zorgverlener uit het sociaal netwerk",
               "overig_niet_professioneel": "de niet-professionele zorgverlener"}
NIVEAU_TEKST = {"mbo1": "mbo niveau 1", "mbo2": "mbo niveau 2", "mbo3": "mbo niveau 3", "mbo4": "mbo niveau 4",
                "hbo": "hbo", "wo": "wo"}
_RANG = {n: i for i, n in enumerate(OPLEIDINGSNIVEAUS)}
_NT_GEEN_REGELING = "geen regeling voor deze gemeente en datum: de kwaliteitseisen zijn niet getoetst"
_NT_NIVEAU = ("het opleidingsniveau van de zorgverlener noemt geen niveau (verwacht mbo1 t/m mbo4, hbo of wo): "
              "niet getoetst of de opleiding voldoet")


def _niveau(col: str) -> pl.Expr:
    """opleidingsniveau text to a level of OPLEIDINGSNIVEAUS (null: empty or no level named)."""
    s = pl.col(col).str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    return (pl.when(s.str.contains(r"mbo(niveau)?[1-4]"))
            .then(pl.concat_str([pl.lit("mbo"), s.str.extract(r"mbo(?:niveau)?([1-4])", 1)]))
            .when(s.str.contains(r"^(evc)?(hbo|bachelor)"))
            .then(pl.lit("hbo"))
            .when(s.str.contains(r"^(evc)?(wo|master|universit)"))
            .then(pl.lit("wo")))


def _rang(e: pl.Expr) -> pl.Expr:
    return e.replace_strict(_RANG, default=None, return_dtype=pl.Int64)


def _days(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (b - a).dt.total_days().cast(pl.Int64)


def _klem(n: pl.Expr) -> pl.Expr:
    return pl.min_horizontal(pl.col("dagen"), pl.max_horizontal(pl.lit(0, dtype=pl.Int64), n))


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """The [kwaliteit] requirements of the regeling: education level of a zzp'er, a VOG not
    older than M months when the care began and N years on each day, SKJ/BIG and KvK where
    the regeling asks them."""
    zv = ctx.t("zorgverleners").select("zorgverlener_id", "kvk_nummer", "skj_nummer", "big_nummer", "vog_datum",
                                       "opleidingsniveau")
    par = ctx.params.lazy().select("regeling_id", "vog_max_jaren", "vog_max_maanden_voor_start",
                                   "min_opleidingsniveau", "registratie_vereist", "kvk_vereist")
    zo = ctx.t("zorgovereenkomsten").select("zorgovereenkomst_id", pl.col("ingangsdatum").alias("_zo_van"))
    eerste = ctx.lines.group_by("budgethouder_id", "zorgverlener_id").agg(pl.col("datum_van").min().alias("_eerste"))

    soort = pl.col("zv_soort")
    geregistreerd = pl.col("skj_nummer").is_not_null() | pl.col("big_nummer").is_not_null()
    vog_plicht = soort.is_in(NATUURLIJK) & (pl.col("relatie_tot_budgethouder") != "ouder") & ~geregistreerd
    base = (ctx.lines.join(zv, on="zorgverlener_id", how="left").join(par, on="regeling_id", how="left")
            .filter(soort.is_in(NATUURLIJK) | (soort == "instelling")))

    kvk_fout = pl.col("kvk_vereist").fill_null(False) & soort.is_in(["instelling", "zzp"]) & pl.col("kvk_nummer").is_null()
    reg_fout = pl.col("registratie_vereist").fill_null(False) & (soort == "zzp") & ~geregistreerd
    opl_regel = pl.col("min_opleidingsniveau").is_not_null() & (soort == "zzp")
    niveau = pl.when(pl.col("_niveau").is_not_null()).then(pl.col("_niveau")) \
        .when(geregistreerd).then(pl.lit("hbo"))
    opl_leeg = opl_regel & pl.col("opleidingsniveau").is_null() & ~geregistreerd
    opl_fout = opl_regel & niveau.is_not_null() & (_rang(niveau) < _rang(pl.col("min_opleidingsniveau")))
    opl_onleesbaar = opl_regel & pl.col("opleidingsniveau").is_not_null() & pl.col("_niveau").is_null() & ~geregistreerd
    vog_regel = vog_plicht & (pl.col("vog_max_jaren").is_not_null() | pl.col("vog_max_maanden_voor_start").is_not_null())
    vog_leeg = vog_regel & pl.col("vog_datum").is_null()
    heeft_vog = vog_regel & pl.col("vog_datum").is_not_null()
    jaren = pl.col("vog_max_jaren")
    maanden = pl.col("vog_max_maanden_voor_start")
    grens_jaren = pl.col("vog_datum").dt.offset_by(pl.concat_str([jaren.cast(pl.String), pl.lit("y")]))
    grens_start = pl.col("vog_datum").dt.offset_by(pl.concat_str([maanden.cast(pl.String), pl.lit("mo")]))
    start_fout = heeft_vog & maanden.is_not_null() & (pl.col("_grens_start") < pl.col("_start"))
    voor_vog = pl.when(heeft_vog).then(_klem(_days(pl.col("datum_van"), pl.col("vog_datum")))).otherwise(0)
    na_vog = pl.when(heeft_vog & jaren.is_not_null()).then(_klem(_days(pl.col("_grens_jaren"), pl.col("datum_tot")))) \
        .otherwise(0)

    lf = (base.with_columns(_niveau("opleidingsniveau").alias("_niveau"))
          .filter(kvk_fout | reg_fout | opl_leeg | opl_fout | vog_regel)
          .join(zo, on="zorgovereenkomst_id", how="left")
          .join(eerste, on=["budgethouder_id", "zorgverlener_id"], how="left")
          .with_columns(pl.coalesce("_zo_van", "_eerste").alias("_start"),
                        grens_jaren.alias("_grens_jaren"), grens_start.alias("_grens_start"))
          .with_columns(voor_vog.alias("_voor_vog"), na_vog.alias("_na_vog"),
                        (kvk_fout | reg_fout | opl_fout | start_fout).alias("_alle_fout"),
                        (opl_leeg | vog_leeg).alias("_alle_onzeker"))
          .with_columns(pl.when(pl.col("_alle_fout")).then(pl.col("dagen"))
                        .otherwise(pl.min_horizontal(pl.col("dagen"), pl.col("_voor_vog") + pl.col("_na_vog")))
                        .alias("_fout_dagen"))
          .with_columns(pl.when(pl.col("_alle_onzeker")).then(pl.col("dagen")).otherwise(pl.col("_fout_dagen"))
                        .alias("_dagen_effect")))

    d = formatting.fmt_datum_nl
    vog_van = pl.concat_str([pl.lit("de VOG van "), d("vog_datum")])
    niveau_tekst = niveau.replace_strict(NIVEAU_TEKST, default=None, return_dtype=pl.String)
    min_tekst = pl.col("min_opleidingsniveau").replace_strict(NIVEAU_TEKST, default=None, return_dtype=pl.String)
    redenen = pl.concat_list([
        pl.when(kvk_fout).then(pl.lit("staat niet ingeschreven bij de KvK (geen KvK-nummer), wat de regeling vraagt")),
        pl.when(reg_fout).then(pl.lit("heeft geen SKJ- of BIG-registratie, wat de regeling vraagt")),
        pl.when(opl_fout).then(pl.concat_str([pl.lit("heeft een opleiding op "), niveau_tekst,
                                              pl.lit(", lager dan de vereiste afgeronde zorgopleiding op minimaal "),
                                              min_tekst])),
        pl.when(opl_leeg).then(pl.concat_str([pl.lit("heeft geen opleidingsniveau opgegeven: niet aangetoond dat er een "
                                                     "afgeronde zorgopleiding op minimaal "), min_tekst,
                                              pl.lit(" is")])),
        pl.when(vog_leeg).then(pl.lit("heeft geen VOG opgegeven (verplicht voor wie geen ouder is en geen SKJ- of "
                                      "BIG-registratie heeft): niet aangetoond dat er een VOG is")),
        pl.when(start_fout).then(pl.concat_str([vog_van, pl.lit(" was bij de start van de zorg op "), d("_start"),
                                                pl.lit(" ouder dan "), maanden.cast(pl.String),
                                                pl.lit(" maanden")])),
        pl.when(pl.col("_voor_vog") > 0).then(pl.concat_str([vog_van, pl.lit(" bestond nog niet op "),
                                                            pl.col("_voor_vog").cast(pl.String),
                                                            pl.when(pl.col("_voor_vog") == 1).then(pl.lit(" zorgdag"))
                                                            .otherwise(pl.lit(" zorgdagen"))])),
        pl.when(pl.col("_na_vog") > 0).then(pl.concat_str([vog_van, pl.lit(" was op "), pl.col("_na_vog").cast(pl.String),
                                                          pl.when(pl.col("_na_vog") == 1).then(pl.lit(" zorgdag"))
                                                          .otherwise(pl.lit(" zorgdagen")),
                                                          pl.lit(" ouder dan "), jaren.cast(pl.String),
                                                          pl.lit(" jaar")])),
    ]).list.drop_nulls()
    lf = (lf.with_columns(redenen.alias("_redenen"),
                          money.prorata("bedrag_ct", "_dagen_effect", "dagen").alias("_effect"))
          .filter(pl.col("_dagen_effect") > 0))

    soort_tekst = soort.replace_strict(SOORT_TEKST, default=soort, return_dtype=pl.String)
    n = pl.col("_redenen").list.len()
    opsomming = pl.when(n == 1).then(pl.col("_redenen").list.first()).otherwise(
        pl.concat_str([pl.col("_redenen").list.head(n - 1).list.join("; "), pl.lit(" en "),
                       pl.col("_redenen").list.last()]))
    deel = pl.when(pl.col("_dagen_effect") == pl.col("dagen")).then(pl.lit("")).otherwise(
        pl.concat_str([pl.lit(" ("), pl.col("_dagen_effect").cast(pl.String), pl.lit(" van de "),
                       pl.col("dagen").cast(pl.String), pl.lit(" dagen)")]))
    is_fout = pl.col("_fout_dagen") > 0
    slot = pl.when(is_fout).then(pl.lit(" is besteed aan zorg die niet aan de kwaliteitseisen voldoet.")) \
        .otherwise(pl.lit(" is onzeker: de gegevens tonen niet dat de zorg aan de kwaliteitseisen voldoet."))
    toel = pl.concat_str([
        pl.lit("Bij "), soort_tekst, pl.lit(": "), opsomming, pl.lit(". Daarom "),
        pl.when(is_fout).then(pl.lit("is ")).otherwise(pl.lit("is het bedrag van ")),
        formatting.fmt_nl("_effect"), pl.lit(" euro van de "), formatting.fmt_nl("bedrag_ct"),
        pl.lit(" euro van deze declaratie"), deel, slot,
    ])
    findings = lf.select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        pl.concat_list([pl.col("declaratie_id")]).alias("declaratie_ids"),
        pl.col("datum_van").alias("periode_van"), pl.col("datum_tot").alias("periode_tot"),
        pl.when(is_fout).then(pl.lit("fout")).otherwise(pl.lit("onzekerheid")).alias("soort"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"), pl.col("_effect").alias("financieel_effect_ct"),
        toel.alias("toelichting"),
        pl.concat_str([pl.lit("dagen="), pl.col("_dagen_effect").cast(pl.String), pl.lit("/"),
                       pl.col("dagen").cast(pl.String)]).alias("details"),
    )

    nt = pl.concat([
        base.filter(pl.col("regeling_id").is_null() & (vog_plicht | (soort == "zzp")))
        .select(pl.col("declaratie_id").alias("sleutel"), pl.lit(_NT_GEEN_REGELING).alias("reden")),
        base.with_columns(_niveau("opleidingsniveau").alias("_niveau")).filter(opl_onleesbaar)
        .select(pl.col("declaratie_id").alias("sleutel"), pl.lit(_NT_NIVEAU).alias("reden")),
    ])
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
