"""ZZP-LINK: a zzp'er or instelling that is linked to the budgethouder's family.

**What it finds.** A zorgverlener of soort `zzp` or `instelling` for whom no relation to the
budgethouder is declared (every zorgovereenkomst of that budgethouder and zorgverlener has
`relatie_tot_budgethouder` = `geen`, or there is none), and who shares an IBAN, an address
(postcode + house number with addition), a phone number or an e-mail address with the
budgethouder or one of its relaties. Attributes are compared as normalised keys
(auditor/identity.py): `+31 6 1234 5678` = `06-12345678`, `Kerkstraat 14-A` = `14a`, e-mail
in any case. The zorgverlener's IBAN is the one in `zorgverleners` and every IBAN a payment to
it (`betalingen`) went to. Addresses without postcode are compared on street + number +
woonplaats.

**Why it matters.** A relative or housemate who bills as a professional is paid the
professional rate (85% of the ZIN tariff) where the sociaal-netwerk norm applies, and may
deliver care the sociaal netwerk may not give at all.

**Article.** The regeling's `[artikelen].ZZP-LINK` (Losser: art. 7.4 lid 2 sub b with
art. 8.1 lid 4 sub b, "derden en aan hen gelieerde personen").

**Soort: strong and weak links.** A strong link, the same IBAN or at least two of the four
attributes (IBAN, address, phone, e-mail) shared, is an `onzekerheid`: the data make an
undeclared relation likely. One shared attribute other than the IBAN (a shared address of a
flat, a family phone number) is a `signaal` with 0 euro: worth a look, not enough to put
euros in doubt (checks.md).

**financieel_effect.** For a strong link, over that zorgverlener's lines for that
budgethouder, per line `max(0, bedrag - aantal x sociaal-netwerk norm)`, or `bedrag` where
the line's categorie is not in the regeling's `sociaal_netwerk.toegestane_categorieen`; for
a weak link 0 (the euros are in `bedrag_betrokken`). One finding per (zorgverlener,
budgethouder); a strong link whose lines are all within the norm is still a finding (0 euro:
the undeclared relation itself is the uncertainty).

Fires: zzp'er Z2 with the IBAN and address of the wettelijk vertegenwoordiger, 2 uur
begeleiding at 58,14: 2 x (58,14 - 20,10) = 76,08 euro; the same zzp'er sharing only the
address: a signaal, 0 euro.
Does not fire: the same zzp'er with a zorgovereenkomst that declares `familie`; a zzp'er in
the same street with another house number; a zzp'er with the same surname only.
Niet toetsbaar: lines of a linked pair without regeling, without `toegestane_categorieen`,
or whose sociaal-netwerk norm cannot be computed.
"""

from __future__ import annotations

import polars as pl

from auditor import identity as idn
from auditor import formatting, money
from auditor import regeling as reg
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "ZZP-LINK"
SOORTEN = ("zzp", "instelling")
ATTR_ORDE = {"iban": 0, "adres": 1, "telefoon": 2, "email": 3}
ATTR_TEKST = {"iban": "dezelfde IBAN", "adres": "hetzelfde adres", "telefoon": "hetzelfde telefoonnummer",
              "email": "hetzelfde e-mailadres"}
ROL_TEKST = {"wettelijk_vertegenwoordiger": "wettelijk vertegenwoordiger", "ouder": "ouder",
             "gemachtigde": "gemachtigde", "bewindvoerder": "bewindvoerder", "curator": "curator",
             "mentor": "mentor"}
PERSOON_COLS = ["bsn", "naam", "geboortedatum", "straat_huisnummer", "postcode", "woonplaats", "iban",
                "telefoon", "email"]


def persoon_keys(bh: pl.LazyFrame, rel: pl.LazyFrame) -> pl.LazyFrame:
    """budgethouder_id, relatie_id (null = the budgethouder), rol, attribuut, key: every
    attribute key of a budgethouder and of its relaties."""
    b = idn.attribuut_keys(
        idn.met_keys(bh.select("budgethouder_id", *PERSOON_COLS), naam=False).with_columns(
            pl.lit(None, dtype=pl.String).alias("relatie_id"), pl.lit("budgethouder").alias("rol")),
        ["budgethouder_id", "relatie_id", "rol"])
    r = idn.attribuut_keys(idn.met_keys(rel.select("budgethouder_id", "relatie_id", "rol", *PERSOON_COLS), naam=False),
                           ["budgethouder_id", "relatie_id", "rol"])
    return pl.concat([b, r])


def zorgverlener_keys(zv: pl.LazyFrame, betalingen: pl.LazyFrame) -> pl.LazyFrame:
    """zorgverlener_id, attribuut, key: the zorgverlener's own attributes plus every IBAN
    it was paid on."""
    z = idn.attribuut_keys(idn.met_keys(zv.select("zorgverlener_id", *PERSOON_COLS), naam=False), ["zorgverlener_id"])
    p = betalingen.select("zorgverlener_id", pl.lit("iban").alias("attribuut"),
                          idn.norm_iban("iban").alias("key")).filter(pl.col("key").is_not_null())
    return pl.concat([z, p]).unique()


def koppelingen(pairs: pl.LazyFrame, pk: pl.LazyFrame, zk: pl.LazyFrame) -> pl.DataFrame:
    """The matching core: per candidate (budgethouder_id, zorgverlener_id) pair, every
    (relatie_id, rol, attribuut) that shares a key with the zorgverlener. Exact joins on
    normalised keys only."""
    return (pairs.join(pk, on="budgethouder_id")
            .join(zk, on=["zorgverlener_id", "attribuut", "key"])
            .select("budgethouder_id", "zorgverlener_id", "relatie_id", "rol", "attribuut")
            .unique().collect())


def _beschrijving(m: pl.DataFrame) -> pl.DataFrame:
    """Per pair: the Dutch description of what matched with whom, and the strength."""
    wie = (pl.when(pl.col("relatie_id").is_null()).then(pl.lit("de budgethouder zelf"))
           .otherwise(pl.concat_str([pl.lit("de "), pl.col("rol").replace(ROL_TEKST), pl.lit(" (relatie "),
                                     pl.col("relatie_id"), pl.lit(")")])))
    per_persoon = (m.with_columns(pl.col("attribuut").replace_strict(ATTR_ORDE, return_dtype=pl.Int64).alias("_o"))
                   .sort("_o")
                   .group_by("budgethouder_id", "zorgverlener_id", "relatie_id", "rol", maintain_order=True)
                   .agg(pl.col("attribuut"), pl.col("_o").min().alias("_o"))
                   .with_columns(
                       pl.concat_str([
                           pl.col("attribuut").list.eval(pl.element().replace(ATTR_TEKST)).list.join(" en "),
                           pl.lit(" als "), wie]).alias("_tekst"),
                       pl.concat_str([pl.col("attribuut").list.join("+"), pl.lit(":"),
                                      pl.col("relatie_id").fill_null("budgethouder")]).alias("_detail"))
                   .sort("budgethouder_id", "zorgverlener_id", "_o", pl.col("relatie_id").fill_null("")))
    per_pair = per_persoon.group_by("budgethouder_id", "zorgverlener_id", maintain_order=True).agg(
        pl.col("_tekst").str.join("; "), pl.col("_detail").str.join(","),
        pl.col("attribuut").list.explode(keep_nulls=False, empty_as_null=False).unique().len().alias("_n_attr"),
        pl.col("attribuut").list.explode(keep_nulls=False, empty_as_null=False).is_in(["iban"]).any().alias("_iban"))
    return per_pair.with_columns((pl.col("_iban") | (pl.col("_n_attr") >= 2)).alias("_sterk"))


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """A zzp'er or instelling without declared relation sharing IBAN, address, phone or
    e-mail with the budgethouder or a relatie; euros above the sociaal-netwerk norm."""
    zo = ctx.t("zorgovereenkomsten")
    verklaard = zo.filter(pl.col("relatie_tot_budgethouder").fill_null("geen") != "geen").select(
        "budgethouder_id", "zorgverlener_id").unique()
    kand = (ctx.lines.filter(pl.col("zv_soort").is_in(SOORTEN))
            .join(verklaard, on=["budgethouder_id", "zorgverlener_id"], how="anti"))
    pairs = kand.select("budgethouder_id", "zorgverlener_id").unique()
    m = koppelingen(pairs, persoon_keys(ctx.t("budgethouders"), ctx.t("relaties")),
                    zorgverlener_keys(ctx.t("zorgverleners"), ctx.t("betalingen")))
    besch = _beschrijving(m)

    toegestaan = ctx.params.lazy().select("regeling_id", pl.col("sn_toegestane_categorieen").alias("_toeg"))
    lines = (kand.join(besch.lazy().select("budgethouder_id", "zorgverlener_id"),
                       on=["budgethouder_id", "zorgverlener_id"], how="semi")
             .drop("sn_norm_ct", "sn_norm_uitleg", "sn_norm_reden", strict=False))
    lines = reg.voeg_norm_toe(lines.with_columns(pl.lit("sociaal_netwerk").alias("_sn")), ctx.regelingen,
                              soort_col="_sn", prefix="sn_norm")
    lines = lines.join(toegestaan, on="regeling_id", how="left").with_columns(
        pl.col("_toeg").list.contains(pl.col("categorie")).alias("_mag"))
    boven = (pl.col("bedrag_ct") - money.qty_x_price("aantal_e4", "sn_norm_ct"))
    lines = lines.with_columns(
        pl.when(pl.col("regeling_id").is_null())
        .then(pl.lit("geen regeling voor deze gemeente en datum"))
        .when(pl.col("_toeg").is_null())
        .then(pl.lit("de regeling noemt geen toegestane categorieën voor het sociaal netwerk"))
        .when(pl.col("_mag") & pl.col("sn_norm_ct").is_null())
        .then(pl.concat_str([pl.lit("sociaal-netwerknorm niet te bepalen: "), pl.col("sn_norm_reden")]))
        .alias("_nt"),
    ).with_columns(
        pl.when(pl.col("_nt").is_not_null()).then(pl.lit(None, dtype=pl.Int64))
        .when(~pl.col("_mag")).then(pl.col("bedrag_ct"))
        .otherwise(pl.max_horizontal(boven, pl.lit(0, dtype=pl.Int64))).alias("_effect"),
        (~pl.col("_mag")).fill_null(False).alias("_niet_toegestaan"),
    )
    nt = lines.filter(pl.col("_nt").is_not_null()).select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.concat_str([pl.lit("ZZP-LINK: de zorgverlener is mogelijk gelieerd aan de budgethouder, maar "),
                       pl.col("_nt")]).alias("reden"))

    per_pair = lines.group_by("budgethouder_id", "zorgverlener_id").agg(
        pl.col("declaratie_id").alias("declaratie_ids"),
        pl.col("datum_van").min().alias("periode_van"), pl.col("datum_tot").max().alias("periode_tot"),
        pl.col("bedrag_ct").sum().alias("bedrag_betrokken_ct"),
        pl.col("_effect").sum().alias("financieel_effect_ct"),
        pl.len().alias("_n"),
        pl.col("_niet_toegestaan").sum().alias("_n_niet_toeg"),
        pl.col("_nt").is_not_null().sum().alias("_n_nt"),
        pl.col("zorgovereenkomst_id").drop_nulls().unique().alias("_zo"),
        pl.col("regeling_id").drop_nulls().min().alias("regeling_id"),
        pl.col("zv_soort").first().alias("_soort"),
    )
    soort = pl.when(pl.col("_soort") == "zzp").then(pl.lit("zzp'er")).otherwise(pl.lit("instelling"))
    waarvan = pl.when(pl.col("_n_niet_toeg") > 0).then(pl.concat_str([
        pl.lit(" (waarvan "), pl.col("_n_niet_toeg").cast(pl.String),
        pl.lit(" in een categorie die het sociaal netwerk niet mag leveren)")])).otherwise(pl.lit(""))
    nt_tekst = pl.when(pl.col("_n_nt") > 0).then(pl.concat_str([
        pl.lit(", en "), pl.col("_n_nt").cast(pl.String), pl.lit(" declaratie(s) zijn niet toetsbaar")])).otherwise(pl.lit(""))
    sterk = pl.col("_sterk")
    effect = pl.when(sterk).then(pl.col("financieel_effect_ct").fill_null(0)).otherwise(pl.lit(0, dtype=pl.Int64))
    declaraties = pl.concat_str([pl.col("_n").cast(pl.String),
                                 pl.when(pl.col("_n") == 1).then(pl.lit(" declaratie")).otherwise(pl.lit(" declaraties"))])
    tekst_sterk = pl.concat_str([
        pl.lit(", zodat de sociaal-netwerknorm geldt: van "), formatting.fmt_nl(pl.col("bedrag_betrokken_ct")),
        pl.lit(" euro over "), declaraties, waarvan, pl.lit(" is "), formatting.fmt_nl(pl.col("financieel_effect_ct").fill_null(0)),
        pl.lit(" euro meer dan die norm toestaat"), nt_tekst, pl.lit(".")])
    tekst_zwak = pl.concat_str([
        pl.lit(". Eén gedeeld gegeven is een aanwijzing, geen bewijs van een verband: een signaal om na te gaan "
               "(het gaat om "), declaraties, pl.lit(" van samen "), formatting.fmt_nl(pl.col("bedrag_betrokken_ct")),
        pl.lit(" euro).")])
    findings = per_pair.join(besch.lazy(), on=["budgethouder_id", "zorgverlener_id"]).select(
        "budgethouder_id", "zorgverlener_id", "declaratie_ids", "periode_van", "periode_tot",
        "bedrag_betrokken_ct", "regeling_id",
        effect.alias("financieel_effect_ct"),
        pl.when(sterk).then(pl.lit("onzekerheid")).otherwise(pl.lit("signaal")).alias("soort"),
        pl.when(pl.col("_zo").list.len() == 1).then(pl.col("_zo").list.first()).alias("zorgovereenkomst_id"),
        pl.concat_str([
            pl.lit("Zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" ("), soort,
            pl.lit(") is niet als familie of bekende opgegeven, maar heeft "), pl.col("_tekst"),
            pl.when(sterk).then(tekst_sterk).otherwise(tekst_zwak),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("match="), pl.col("_detail")]).alias("details"),
    )
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
