"""DUBBELROL: a representative of the budgethouder who is also its zorgverlener.

**What it finds.** A relatie whose `rol` is in the regeling's
`sociaal_netwerk.dubbelrol_rollen` and who is the same person as a zorgverlener the
budgethouder declared care of: the same BSN, or the same name despite spelling (word order
`Bos, Karin`, initials `K. Bos`, titles, prefixes, typing errors: rapidfuzz
token_sort_ratio >= 90 on the normalised names) **and** the same birth date. Names are only
compared inside the block of one budgethouder's relaties and zorgverleners with the same
birth date, never across all pairs. The regeling is the budgethouder's
(`Context.bh_regeling`: its gemeente's regeling on the peildatum).

**Why it matters.** The representative controls the pgb: who is hired, what is declared,
what is signed off. Paying herself removes the only check there is.

**Article.** The regeling's `[artikelen].DUBBELROL` (De Ronde Venen 2026: art. 4.2 Nadere
regels: "De jeugdige wordt vertegenwoordigd in het beheer van het pgb door een
ouder/wettelijk vertegenwoordiger"; "De dubbelrol vertegenwoordiger/hulpverlener (zowel
formeel als informeel) is dan ook niet toegestaan". So De Ronde Venen's `dubbelrol_rollen`
holds the parent (`ouder`) beside the wettelijk vertegenwoordiger: the usual representative
is the parent, and "informeel" covers her).

**On the days the relatie held the role.** A relatie's `ingangsdatum`..`einddatum` is when
it held the role (open ends open): only the days of care inside that period count. A parent
who became bewindvoerder on 1 March did not break the rule in February.

**financieel_effect.** Over that zorgverlener's lines for that budgethouder, the euros of
the days on which a matching relatie held its role, pro rata per line
(`money.prorata(bedrag, days in the role, days of the line)`). One finding per
(budgethouder, zorgverlener); lines with no such day are not part of it.

Fires: bewindvoerder R2 "Bos, Karin" born 1980-02-03 and zzp'er Z2 "mevr. K. Bos" born
1980-02-03 under De Ronde Venen 2026: Z2's 2 lines of 40,00 are a finding of 80,00; a
bewindvoerder from 2026-03-05 and a line 2026-03-01..2026-03-10 of 100,00: 6 of 10 days,
60,00.
Does not fire: a parent who is wettelijk vertegenwoordiger and caregiver under a regeling
whose `dubbelrol_rollen` does not hold `wettelijk_vertegenwoordiger`; the same name with
another birth date; the same surname and birth date with another first name; care before
the relatie's `ingangsdatum` or after its `einddatum`.
Niet toetsbaar: the lines of a budgethouder with relaties whose regeling has no
`dubbelrol_rollen` (Losser 2025), or that has no regeling at all.
"""

from __future__ import annotations

import polars as pl

from auditor import identity as idn
from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "DUBBELROL"
ROL_TEKST = {"wettelijk_vertegenwoordiger": "wettelijk vertegenwoordiger", "ouder": "ouder",
             "gemachtigde": "gemachtigde", "bewindvoerder": "bewindvoerder", "curator": "curator",
             "mentor": "mentor"}
_P = ["bsn", "naam", "geboortedatum"]


def _keys(lf: pl.LazyFrame, ids: list[str]) -> pl.LazyFrame:
    return idn.met_keys(lf.select(*ids, *_P)).select(
        *ids, "k_bsn", "k_geboortedatum", "k_naam_norm", "k_naam_kort", "k_alleen_voorletters")


def zelfde_persoon(rel: pl.LazyFrame, zv: pl.LazyFrame, pairs: pl.LazyFrame) -> pl.DataFrame:
    """The matching core. ``rel``: relatie_id, budgethouder_id, rol + person columns;
    ``zv``: zorgverlener_id + person columns; ``pairs``: budgethouder_id, zorgverlener_id
    with lines. Returns budgethouder_id, zorgverlener_id, relatie_id, rol, hoe ('bsn',
    'naam_gelijk', 'naam_voorletters' or 'naam_gelijkend'), naam_score."""
    rk = _keys(rel, ["relatie_id", "budgethouder_id", "rol"])
    zk = _keys(zv, ["zorgverlener_id"]).rename({c: c.replace("k_", "z_") for c in
                                                ["k_bsn", "k_geboortedatum", "k_naam_norm", "k_naam_kort",
                                                 "k_alleen_voorletters"]})
    kand = rk.join(pairs, on="budgethouder_id").join(zk, on="zorgverlener_id")
    bsn = (kand.filter(pl.col("k_bsn").is_not_null() & (pl.col("k_bsn") == pl.col("z_bsn")))
           .select("budgethouder_id", "zorgverlener_id", "relatie_id", "rol", pl.lit("bsn").alias("hoe"),
                   pl.lit(None, dtype=pl.Float64).alias("naam_score")).collect())
    # block: the same budgethouder, the same birth date (an exact join on the block key)
    blok = kand.filter(pl.col("k_geboortedatum").is_not_null()
                       & (pl.col("k_geboortedatum") == pl.col("z_geboortedatum"))).collect()
    naam = idn.naam_vergelijk(blok, "k_", "z_").filter(pl.col("naam_gelijk")).select(
        "budgethouder_id", "zorgverlener_id", "relatie_id", "rol", pl.concat_str([pl.lit("naam_"), pl.col("naam_hoe")]).alias("hoe"), "naam_score")
    return (pl.concat([bsn, naam]).sort("budgethouder_id", "zorgverlener_id", "relatie_id", "hoe")
            .unique(["budgethouder_id", "zorgverlener_id", "relatie_id"], keep="first", maintain_order=True))


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A relatie in one of the dubbelrol_rollen who is the same person as a zorgverlener of
    that budgethouder (same BSN, or same name despite spelling and same birth date)."""
    rollen = ctx.bh_regeling().join(
        ctx.params.lazy().select("regeling_id", pl.col("dubbelrol_rollen").alias("_rollen")),
        on="regeling_id", how="left")
    rel = ctx.t("relaties")
    met_rel = rel.select("budgethouder_id").unique()
    # niet toetsbaar: lines of budgethouders with relaties and no dubbelrol_rollen
    nt_bh = rollen.join(met_rel, on="budgethouder_id", how="semi").filter(pl.col("_rollen").is_null())
    nt = ctx.lines.join(nt_bh, on="budgethouder_id", how="inner", suffix="_bh").select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id_bh").is_null())
        .then(pl.lit("DUBBELROL: geen regeling voor de gemeente van de budgethouder"))
        .otherwise(pl.lit("DUBBELROL: de regeling noemt geen dubbelrol_rollen (sociaal_netwerk.dubbelrol_rollen), "
                          "dus of een vertegenwoordiger ook zorgverlener mag zijn is niet te toetsen"))
        .alias("reden"))

    rel_toets = rel.join(rollen.filter(pl.col("_rollen").is_not_null()), on="budgethouder_id").filter(
        pl.col("_rollen").list.contains(pl.col("rol")))
    pairs = ctx.lines.select("budgethouder_id", "zorgverlener_id").unique()
    m = zelfde_persoon(rel_toets, ctx.t("zorgverleners"), pairs)

    hoe = (pl.when(pl.col("hoe") == "bsn").then(pl.lit("hetzelfde BSN"))
           .when(pl.col("hoe") == "naam_gelijk").then(pl.lit("dezelfde naam en dezelfde geboortedatum"))
           .when(pl.col("hoe") == "naam_voorletters").then(pl.lit("dezelfde voorletters en achternaam en dezelfde geboortedatum"))
           .otherwise(pl.concat_str([pl.lit("naam voor "), pl.col("naam_score").round(0).cast(pl.Int64).cast(pl.String),
                                     pl.lit("% gelijk en dezelfde geboortedatum")])))
    wie = (m.lazy().with_columns(
        pl.concat_str([pl.lit("de "), pl.col("rol").replace(ROL_TEKST), pl.lit(" (relatie "), pl.col("relatie_id"),
                       pl.lit(", "), hoe, pl.lit(")")]).alias("_wie"),
        pl.concat_str([pl.col("relatie_id"), pl.lit(":"), pl.col("hoe")]).alias("_d"))
        .group_by("budgethouder_id", "zorgverlener_id").agg(
            pl.col("_wie").sort().str.join(" en "), pl.col("_d").sort().str.join(","),
            pl.col("rol").sort().first().alias("_rol")))
    # the days on which a matching relatie held its role (open ends open), per line
    periode = m.lazy().join(rel.select("relatie_id", pl.col("ingangsdatum").alias("_ri"),
                                       pl.col("einddatum").alias("_re")), on="relatie_id", how="left")
    begrensd = periode.group_by("budgethouder_id", "zorgverlener_id").agg(
        (pl.col("_ri").is_not_null() | pl.col("_re").is_not_null()).any().alias("_begrensd"))
    kand = ctx.lines.join(wie, on=["budgethouder_id", "zorgverlener_id"], how="inner")
    in_rol = (kand.select("declaratie_id", "budgethouder_id", "zorgverlener_id",
                          pl.date_ranges("datum_van", "datum_tot").alias("_dag")).explode("_dag")
              .join(periode.select("budgethouder_id", "zorgverlener_id", "_ri", "_re"),
                    on=["budgethouder_id", "zorgverlener_id"], how="inner")
              .filter((pl.col("_ri").is_null() | (pl.col("_dag") >= pl.col("_ri")))
                      & (pl.col("_re").is_null() | (pl.col("_dag") <= pl.col("_re"))))
              .group_by("declaratie_id").agg(pl.col("_dag").n_unique().alias("_in_rol")))
    lines = (kand.join(in_rol, on="declaratie_id", how="inner")
             .with_columns(money.prorata("bedrag_ct", "_in_rol", "dagen").alias("_effect")))
    findings = lines.group_by("budgethouder_id", "zorgverlener_id").agg(
        pl.col("declaratie_id").alias("declaratie_ids"),
        pl.col("datum_van").min().alias("periode_van"), pl.col("datum_tot").max().alias("periode_tot"),
        pl.col("bedrag_ct").sum().alias("bedrag_betrokken_ct"),
        pl.col("_effect").sum().alias("financieel_effect_ct"),
        pl.len().alias("_n"),
        pl.col("zorgovereenkomst_id").drop_nulls().unique().alias("_zo"),
        pl.col("_wie").first(), pl.col("_d").first(),
    ).join(ctx.bh_regeling(), on="budgethouder_id", how="left").join(
        begrensd, on=["budgethouder_id", "zorgverlener_id"], how="left").select(
        "budgethouder_id", "zorgverlener_id", "declaratie_ids", "periode_van", "periode_tot", "regeling_id",
        "bedrag_betrokken_ct", "financieel_effect_ct",
        pl.when(pl.col("_zo").list.len() == 1).then(pl.col("_zo").list.first()).alias("zorgovereenkomst_id"),
        pl.concat_str([
            pl.lit("Zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" is dezelfde persoon als "), pl.col("_wie"),
            pl.lit(" van de budgethouder; in die rol mag iemand onder deze regeling niet ook de zorg verlenen, "
                   "dus de "), pl.col("_n").cast(pl.String),
            pl.when(pl.col("_n") == 1).then(pl.lit(" declaratie")).otherwise(pl.lit(" declaraties")), pl.lit(" van samen "),
            formatting.fmt_nl(pl.col("bedrag_betrokken_ct")),
            pl.when(pl.col("_begrensd").fill_null(False)).then(pl.concat_str([
                pl.lit(" euro vallen (deels) in de periode dat die rol gold; "), formatting.fmt_nl("financieel_effect_ct"),
                pl.lit(" euro daarvan, voor de dagen in die periode, is ten onrechte gedeclareerd.")]))
            .otherwise(pl.lit(" euro zijn ten onrechte gedeclareerd.")),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("match="), pl.col("_d")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
