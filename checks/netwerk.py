"""NETWERK: one representative or one bank account behind many budgethouders.

**What it finds.** (a) One relatie - the same person or organisation across budgethouders -
acting for `netwerk.min_budgethouders` or more budgethouders who all declare care of one
and the same zorgverlener. Relaties are the same when they have the same BSN; or the same
name (normalised, or alike: rapidfuzz within the block) and the same birth date, address,
IBAN, phone number or e-mail address; or, for a `gemachtigde` or `bewindvoerder` whose name
is an organisation's (legal form or words like bureau, bewind, beheer, administratie),
the same normalised organisation name (`Bewindvoering Oost B.V.` = `Bewindvoering Oost BV`).
Names are compared fuzzily (rapidfuzz) only inside blocks: the same birth date, or the same
initials + surname and the same address, IBAN, phone or e-mail (`K. Bos` = `Karin Bos`).
Persons are the connected components of these links.
(b) Several zorgverleners paid into one IBAN (`zorgverleners.iban` and/or `betalingen.iban`).

**Why it matters.** A bureau that represents many budgethouders and steers them all to the
same provider, or providers that share one bank account, is the pattern of organised pgb
fraud the regeling's checks on "derden en aan hen gelieerde personen" are for.

**Article.** The regeling's `[artikelen].NETWERK` (Losser: art. 8.1 lid 4 sub b and art. 8.3
lid 2).

**Soort and euros.** A `signaal`: a pattern to investigate, not a breach by one
budgethouder (checks.md), so `financieel_effect` is 0 and it never grounds a proposal. The
euros at stake go in `bedrag_betrokken`: each budgethouder's euros (`bedrag` of its lines)
at the shared zorgverlener(s): for (a) the zorgverlener it shares with the others, for (b)
every zorgverlener paid into the shared IBAN. One finding per budgethouder; a line counted
under (a) and (b) counts once. `zorgverlener_id` is set when one zorgverlener is concerned.
The toelichting describes the network by what it is (who represents whom, which
zorgverleners share an account), never by its internal cluster id (that is in `details`
and in the network output).

**The network as output.** `CheckResult.extra["clusters"]` (one row per node) and
`extra["edges"]`, documented in docs/linking.md.

Fires: bewindvoerder "Bewindvoering Oost B.V." for B1, B2, B3 (min 3), all buying from Z1:
three signalen with each budgethouder's euros at Z1 at stake. Zorgverleners Z2 and Z3 paid into one
IBAN: a finding per budgethouder with lines at Z2 or Z3.
Does not fire: the same bureau for 2 budgethouders; 3 budgethouders with relaties that only
share a surname; 3 budgethouders of one bureau that buy from different zorgverleners.
Niet toetsbaar: for (a), the lines of budgethouders with relaties whose regeling has no
`netwerk.min_budgethouders` (or no regeling at all).
"""

from __future__ import annotations

import polars as pl

from auditor import identity as idn
from auditor import formatting
from auditor.engine import CheckResult, Context, check, finding_frame

CODE = "NETWERK"
BUREAU_ROLLEN = ("gemachtigde", "bewindvoerder")
FUZZY_BLOK_MAX = 200   # blocks larger than this are linked on exact name only
_P = ["bsn", "naam", "geboortedatum", "straat_huisnummer", "postcode", "woonplaats", "iban", "telefoon", "email"]
ROL_TEKST = {"wettelijk_vertegenwoordiger": "wettelijk vertegenwoordiger", "ouder": "ouder",
             "gemachtigde": "gemachtigde", "bewindvoerder": "bewindvoerder", "curator": "curator",
             "mentor": "mentor"}
CLUSTER_SCHEMA = {"cluster_id": pl.String, "node_type": pl.String, "node_id": pl.String, "label": pl.String,
                  "budgethouders": pl.Int64, "financieel_effect_ct": pl.Int64, "node_financieel_effect_ct": pl.Int64}
EDGE_SCHEMA = {"cluster_id": pl.String, "van_type": pl.String, "van_id": pl.String, "naar_type": pl.String,
               "naar_id": pl.String, "soort": pl.String}


def personen(rel: pl.LazyFrame) -> pl.DataFrame:
    """The matching core of (a): relatie_id -> persoon (smallest relatie_id of the person),
    plus ``hoe`` (how the relaties were linked, for the explanation)."""
    k = idn.met_keys(rel.select("relatie_id", "budgethouder_id", "rol", *_P)).with_columns(
        pl.col("k_geboortedatum").cast(pl.String).alias("k_gebdat")).collect()
    edges = [k.select(pl.col("relatie_id").alias("a"), pl.col("relatie_id").alias("b"), pl.lit("zelf").alias("hoe"))]

    def ster(df: pl.DataFrame, key: list[str], hoe: str) -> None:
        g = df.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in key))
        g = g.with_columns(pl.col("relatie_id").min().over(key).alias("_m")).filter(pl.col("_m") != pl.col("relatie_id"))
        edges.append(g.select(pl.col("_m").alias("a"), pl.col("relatie_id").alias("b"), pl.lit(hoe).alias("hoe")))

    ster(k, ["k_bsn"], "bsn")
    ster(k.filter(pl.col("rol").is_in(BUREAU_ROLLEN) & pl.col("k_is_organisatie")), ["k_naam_norm"], "organisatie")
    blokken = ("gebdat", "adres", "straat", "iban", "telefoon", "email")
    for b in blokken:
        ster(k, ["k_naam_norm", f"k_{b}"], b)           # exact name + the same attribute
    # fuzzy names only inside a block: the same birth date (another budgethouder, block not
    # too large), or the same initials + surname and the same other attribute
    cols = ["relatie_id", "budgethouder_id", "k_naam_norm", "k_naam_kort", "k_alleen_voorletters"]
    parts = []
    for b in blokken:
        blok = [f"k_{b}"] if b == "gebdat" else [f"k_{b}", "k_naam_kort"]
        kb = (k.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in blok))
              .with_columns(pl.len().over(blok).alias("_n"))
              .filter((pl.col("_n") > 1) & (pl.col("_n") <= FUZZY_BLOK_MAX))
              .select(*cols, pl.concat_str(blok, separator="|").alias("_blok")))
        p = kb.join(kb.rename({c: c + "_r" for c in cols}), on="_blok").filter(
            (pl.col("relatie_id") < pl.col("relatie_id_r")) & (pl.col("budgethouder_id") != pl.col("budgethouder_id_r"))
            & (pl.col("k_naam_norm") != pl.col("k_naam_norm_r")))
        parts.append(p.select(*cols, *[c + "_r" for c in cols], pl.lit(b).alias("hoe")))
    if parts:
        p = pl.concat(parts).unique(["relatie_id", "relatie_id_r"], keep="first")
        p = p.rename({c + "_r": c.replace("k_", "r_") for c in cols[2:]})
        p = idn.naam_vergelijk(p, "k_", "r_").filter(pl.col("naam_gelijk"))
        edges.append(p.select(pl.col("relatie_id").alias("a"), pl.col("relatie_id_r").alias("b"), "hoe"))
    e = pl.concat(edges)
    comp = idn.componenten(e.select("a", "b"))
    hoe = (e.filter(pl.col("hoe") != "zelf").join(comp.rename({"node": "a"}), on="a")
           .group_by("comp").agg(pl.col("hoe").unique().sort().str.join("+")))
    return (k.select("relatie_id", "budgethouder_id", "rol").join(comp.rename({"node": "relatie_id", "comp": "persoon"}),
                                                                  on="relatie_id")
            .join(hoe.rename({"comp": "persoon"}), on="persoon", how="left"))


def gedeelde_ibans(zv: pl.LazyFrame, betalingen: pl.LazyFrame) -> pl.DataFrame:
    """The matching core of (b): iban, zorgverlener_id for every IBAN that two or more
    zorgverleners are paid into."""
    z = pl.concat([
        zv.select("zorgverlener_id", idn.norm_iban("iban").alias("iban")),
        betalingen.select("zorgverlener_id", idn.norm_iban("iban").alias("iban")),
    ]).filter(pl.col("iban").is_not_null()).unique()
    return z.filter(pl.col("zorgverlener_id").n_unique().over("iban") >= 2).collect()


@check(CODE)
def run(ctx: Context) -> CheckResult:
    """One relatie acting for min_budgethouders or more budgethouders sharing a zorgverlener,
    or several zorgverleners paid into one IBAN; each budgethouder's euros there."""
    lines = ctx.lines
    bh_min = ctx.bh_regeling().join(
        ctx.params.lazy().select("regeling_id", pl.col("netwerk_min_budgethouders").alias("_min")),
        on="regeling_id", how="left").collect()
    rel = ctx.t("relaties")
    met_rel = rel.select("budgethouder_id").unique().collect()
    nt_bh = bh_min.join(met_rel, on="budgethouder_id", how="semi").filter(pl.col("_min").is_null())
    nt = lines.join(nt_bh.lazy(), on="budgethouder_id", how="inner", suffix="_bh").select(
        pl.col("declaratie_id").alias("sleutel"),
        pl.when(pl.col("regeling_id_bh").is_null())
        .then(pl.lit("NETWERK: geen regeling voor de gemeente van de budgethouder"))
        .otherwise(pl.lit("NETWERK: de regeling noemt geen netwerk.min_budgethouders, dus een netwerk rond een "
                          "vertegenwoordiger is niet te toetsen")).alias("reden"))

    pairs = lines.group_by("budgethouder_id", "zorgverlener_id").agg(
        pl.col("bedrag_ct").sum().alias("_eur")).collect()

    # (a) one person for several budgethouders who share a zorgverlener
    pers = personen(rel)
    pb = pers.select("persoon", "budgethouder_id", "rol", "relatie_id", "hoe")
    groep = (pb.select("persoon", "budgethouder_id").unique()
             .join(pairs.select("budgethouder_id", "zorgverlener_id"), on="budgethouder_id")
             .with_columns(pl.col("budgethouder_id").n_unique().over("persoon", "zorgverlener_id").alias("_n"))
             .join(bh_min.select("budgethouder_id", "_min"), on="budgethouder_id", how="left")
             .filter(pl.col("_min").is_not_null() & (pl.col("_n") >= pl.col("_min"))))
    a = groep.join(pb.select("persoon", "budgethouder_id", "rol", "relatie_id").sort("relatie_id")
                   .unique(["persoon", "budgethouder_id"], keep="first"), on=["persoon", "budgethouder_id"])

    # (b) several zorgverleners into one IBAN
    ib = gedeelde_ibans(ctx.t("zorgverleners"), ctx.t("betalingen"))
    b = ib.join(pairs.select("budgethouder_id", "zorgverlener_id"), on="zorgverlener_id")

    # the network: edges among flagged structures, components = clusters
    e_a = pl.concat([
        a.select(pl.concat_str([pl.lit("relatie:"), pl.col("persoon")]).alias("a"),
                 pl.concat_str([pl.lit("budgethouder:"), pl.col("budgethouder_id")]).alias("b"),
                 pl.lit("vertegenwoordigt").alias("soort")),
        a.select(pl.concat_str([pl.lit("budgethouder:"), pl.col("budgethouder_id")]).alias("a"),
                 pl.concat_str([pl.lit("zorgverlener:"), pl.col("zorgverlener_id")]).alias("b"),
                 pl.lit("betaalt").alias("soort")),
    ])
    e_b = pl.concat([
        ib.select(pl.concat_str([pl.lit("zorgverlener:"), pl.col("zorgverlener_id")]).alias("a"),
                  pl.concat_str([pl.lit("iban:"), pl.col("iban")]).alias("b"), pl.lit("rekening").alias("soort")),
        b.select(pl.concat_str([pl.lit("budgethouder:"), pl.col("budgethouder_id")]).alias("a"),
                 pl.concat_str([pl.lit("zorgverlener:"), pl.col("zorgverlener_id")]).alias("b"),
                 pl.lit("betaalt").alias("soort")),
    ])
    edges = pl.concat([e_a, e_b]).unique().sort("a", "b", "soort")
    comp = idn.componenten(edges.select("a", "b"))
    leden = comp.sort("node").group_by("comp").agg(pl.col("node").str.join(";").alias("_leden")).sort("comp")
    leden = leden.with_columns(idn.stabiele_id(leden["_leden"]).alias("cluster_id"))
    node_cl = comp.join(leden.select("comp", "cluster_id"), on="comp").select("node", "cluster_id")

    # findings: per budgethouder, its lines at the flagged zorgverleners
    flagged = pl.concat([a.select("budgethouder_id", "zorgverlener_id"),
                         b.select("budgethouder_id", "zorgverlener_id")]).unique()
    fl = lines.join(flagged.lazy(), on=["budgethouder_id", "zorgverlener_id"], how="semi").collect()
    per_bh_zv = fl.group_by("budgethouder_id", "zorgverlener_id").agg(pl.col("bedrag_ct").sum().alias("_eur"))

    a_txt = (a.with_columns(pl.concat_str([
        pl.lit("de "), pl.col("rol").replace(ROL_TEKST), pl.lit(" van deze budgethouder (relatie "), pl.col("relatie_id"),
        pl.lit(") treedt op voor "), pl.col("_n").cast(pl.String),
        pl.lit(" budgethouders die allen zorgverlener "), pl.col("zorgverlener_id"), pl.lit(" betalen")]).alias("_t"))
        .group_by("budgethouder_id").agg(pl.col("_t").sort().str.join("; ")))
    b_txt = (ib.group_by("iban").agg(pl.col("zorgverlener_id").sort().alias("_zvs"))
             .with_columns(pl.concat_str([pl.lit("zorgverleners "), pl.col("_zvs").list.join(", "),
                                          pl.lit(" worden op dezelfde bankrekening betaald")]).alias("_t"))
             .explode("_zvs").rename({"_zvs": "zorgverlener_id"})
             .join(b.select("budgethouder_id", "zorgverlener_id").unique(), on="zorgverlener_id")
             .select("budgethouder_id", "_t").unique()
             .group_by("budgethouder_id").agg(pl.col("_t").sort().str.join("; ").alias("_tb")))
    bh_cl = node_cl.filter(pl.col("node").str.starts_with("budgethouder:")).select(
        pl.col("node").str.strip_prefix("budgethouder:").alias("budgethouder_id"), "cluster_id")
    per_bh = fl.group_by("budgethouder_id").agg(
        pl.col("declaratie_id").alias("declaratie_ids"),
        pl.col("datum_van").min().alias("periode_van"), pl.col("datum_tot").max().alias("periode_tot"),
        pl.col("bedrag_ct").sum().alias("bedrag_betrokken_ct"),
        pl.col("zorgverlener_id").unique().sort().alias("_zvs"), pl.len().alias("_n_l"))
    per_bh = (per_bh.join(a_txt, on="budgethouder_id", how="left").join(b_txt, on="budgethouder_id", how="left")
              .join(bh_cl, on="budgethouder_id", how="left"))
    redenen = pl.concat_list([pl.col("_t"), pl.col("_tb")]).list.drop_nulls().list.join("; en ")
    findings = per_bh.lazy().select(
        "budgethouder_id", "declaratie_ids", "periode_van", "periode_tot", "bedrag_betrokken_ct",
        pl.lit(0, dtype=pl.Int64).alias("financieel_effect_ct"), pl.lit("signaal").alias("soort"),
        pl.when(pl.col("_zvs").list.len() == 1).then(pl.col("_zvs").list.first()).alias("zorgverlener_id"),
        pl.concat_str([
            pl.lit("Mogelijk netwerk rond een vertegenwoordiger of bankrekening: "), redenen,
            pl.lit(". Het gaat om "), pl.col("_n_l").cast(pl.String),
            pl.when(pl.col("_n_l") == 1).then(pl.lit(" declaratie")).otherwise(pl.lit(" declaraties")), pl.lit(" van samen "),
            formatting.fmt_nl(pl.col("bedrag_betrokken_ct")), pl.lit(" euro bij "), pl.col("_zvs").list.join(", "),
            pl.lit("; dit patroon is een signaal om na te gaan, geen vastgestelde fout van de budgethouder."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("cluster="), pl.col("cluster_id")]).alias("details"),
    )

    clusters = _clusters(edges, node_cl, a, ib, per_bh_zv, pers)
    e_out = (edges.join(node_cl.rename({"node": "a"}), on="a")
             .select("cluster_id", pl.col("a").str.extract(r"^([^:]+):", 1).alias("van_type"),
                     pl.col("a").str.replace(r"^[^:]+:", "").alias("van_id"),
                     pl.col("b").str.extract(r"^([^:]+):", 1).alias("naar_type"),
                     pl.col("b").str.replace(r"^[^:]+:", "").alias("naar_id"), "soort")
             .sort("cluster_id", "van_type", "van_id", "naar_type", "naar_id")) if edges.height else \
        pl.DataFrame(schema=EDGE_SCHEMA)
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt,
                       extra={"clusters": clusters, "edges": e_out})


def _clusters(edges: pl.DataFrame, node_cl: pl.DataFrame, a: pl.DataFrame, ib: pl.DataFrame,
              per_bh_zv: pl.DataFrame, pers: pl.DataFrame) -> pl.DataFrame:
    """One row per node membership with the cluster's and the node's euros (see docs/linking.md)."""
    if node_cl.height == 0:
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    nodes = node_cl.with_columns(
        pl.col("node").str.extract(r"^([^:]+):", 1).alias("node_type"),
        pl.col("node").str.replace(r"^[^:]+:", "").alias("node_id"))
    # euros of each flagged (budgethouder, zorgverlener) pair, with its cluster
    eur = per_bh_zv.join(node_cl.filter(pl.col("node").str.starts_with("budgethouder:")).select(
        pl.col("node").str.strip_prefix("budgethouder:").alias("budgethouder_id"), "cluster_id"), on="budgethouder_id")
    bh_eur = eur.group_by("budgethouder_id").agg(pl.col("_eur").sum())
    zv_eur = eur.group_by("zorgverlener_id").agg(pl.col("_eur").sum())
    rel_eur = (a.select("persoon", "budgethouder_id").unique().join(bh_eur, on="budgethouder_id")
               .group_by("persoon").agg(pl.col("_eur").sum()))
    iban_eur = ib.join(zv_eur, on="zorgverlener_id").group_by("iban").agg(pl.col("_eur").sum())
    node_eur = pl.concat([
        bh_eur.select(pl.concat_str([pl.lit("budgethouder:"), pl.col("budgethouder_id")]).alias("node"), "_eur"),
        zv_eur.select(pl.concat_str([pl.lit("zorgverlener:"), pl.col("zorgverlener_id")]).alias("node"), "_eur"),
        rel_eur.select(pl.concat_str([pl.lit("relatie:"), pl.col("persoon")]).alias("node"), "_eur"),
        iban_eur.select(pl.concat_str([pl.lit("iban:"), pl.col("iban")]).alias("node"), "_eur"),
    ])
    rel_label = (pers.group_by("persoon").agg(pl.col("rol").unique().sort().str.join("/"),
                                               pl.col("relatie_id").sort().str.join(";"))
                 .select(pl.concat_str([pl.lit("relatie:"), pl.col("persoon")]).alias("node"),
                         pl.concat_str([pl.col("rol").str.replace_all("_", " "), pl.lit(" ("), pl.col("relatie_id"),
                                        pl.lit(")")]).alias("_rl")))
    cl = eur.group_by("cluster_id").agg(pl.col("_eur").sum().alias("financieel_effect_ct"),
                                        pl.col("budgethouder_id").n_unique().cast(pl.Int64).alias("budgethouders"))
    out = (nodes.join(node_eur, on="node", how="left").join(rel_label, on="node", how="left")
           .join(cl, on="cluster_id", how="left")
           .with_columns(
               pl.when(pl.col("node_type") == "iban")
               .then(pl.concat_str([pl.lit("IBAN ..."), pl.col("node_id").str.slice(-4)]))
               .when(pl.col("node_type") == "relatie").then(pl.col("_rl"))
               .otherwise(pl.col("node_id")).alias("label"),
               pl.col("_eur").fill_null(0).cast(pl.Int64).alias("node_financieel_effect_ct"),
               pl.col("budgethouders").fill_null(0), pl.col("financieel_effect_ct").fill_null(0).cast(pl.Int64)))
    return out.select(list(CLUSTER_SCHEMA)).sort("cluster_id", "node_type", "node_id")
