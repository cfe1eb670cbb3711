"""Everything the reports show, computed once per run (HTML and XLSX read the same model)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from auditor import opschorting as ops
from auditor import rechtmatigheid as rm
from auditor.audit import Audit, used_regelingen
from auditor.output import run_json
from auditor.registry import CHECK_ENUM, CHECK_TITELS, sort_codes
from auditor.reports import aansluiting as aans
from auditor.reports.common import mask_bsn_expr, mask_naam_expr, mask_text

NETWERK_EXTRA = "NETWERK:clusters"
NETWERK_EDGES = "NETWERK:edges"   # cluster_id, van_type, van_id, naar_type, naar_id, soort (optional)


@dataclass
class Model:
    a: Audit
    titels: dict[str, str]
    run: dict                              # run.json content (audit trail)
    findings: pl.DataFrame                 # internal findings (cents)
    per_check: pl.DataFrame                # check, titel, bevindingen, effect_ct, niet_toetsbaar
    casussen: pl.DataFrame                 # per budgethouder, ranked by euros
    zorgverleners: pl.DataFrame            # ranked
    clusters: pl.DataFrame | None          # cluster_id, node_type, node_id, label (+ budgethouder_id)
    opschorting: ops.Opschorting
    rechtmatigheid: rm.Rechtmatigheid
    aansluiting: aans.Aansluiting
    periode: tuple                         # (first datum_van, last datum_tot) of the lines
    gemeenten: pl.DataFrame                # gemeente_code, budgethouders, regelingen
    regelingen: list
    bedragen: dict[str, int]               # gedeclareerd_ct, betaald_ct, toegekend_ct
    quarantaine: pl.DataFrame              # masked
    budgethouders: pl.DataFrame            # masked
    relaties: pl.DataFrame                 # masked
    zv: pl.DataFrame                       # zorgverleners table (masked)
    lines: pl.DataFrame
    edges: pl.DataFrame | None = None
    extra: dict = field(default_factory=dict)


def _order(df: pl.DataFrame, col: str = "check") -> pl.DataFrame:
    return df.sort(pl.col(col).cast(CHECK_ENUM), col)


def _clusters(a: Audit, f: pl.DataFrame) -> pl.DataFrame | None:
    """NETWERK's clusters when that check delivered them; else built from NETWERK findings:
    one cluster per zorgverlener with the budgethouders of its findings."""
    c = a.result.extra.get(NETWERK_EXTRA)
    if c is not None and {"cluster_id", "node_type", "node_id"} <= set(c.columns):
        label = next((x for x in ("label", "naam", "node_label") if x in c.columns), "node_id")
        return c.select(pl.col("cluster_id").cast(pl.String), pl.col("node_type").cast(pl.String),
                        pl.col("node_id").cast(pl.String), pl.col(label).cast(pl.String).alias("label"))
    nw = f.filter((pl.col("check") == "NETWERK") & pl.col("zorgverlener_id").is_not_null())
    if nw.height == 0:
        return None
    zv = nw.select(pl.col("zorgverlener_id").alias("cluster_id"), pl.lit("zorgverlener").alias("node_type"),
                   pl.col("zorgverlener_id").alias("node_id"), pl.col("zorgverlener_id").alias("label"))
    bh = nw.select(pl.col("zorgverlener_id").alias("cluster_id"), pl.lit("budgethouder").alias("node_type"),
                   pl.col("budgethouder_id").alias("node_id"), pl.col("budgethouder_id").alias("label"))
    return pl.concat([zv, bh]).unique().sort(["cluster_id", "node_type", "node_id"])


def bouw(a: Audit) -> Model:
    titels = dict(CHECK_TITELS)
    f = a.result.findings
    toon = a.toon_bsn
    ctx = a.ctx
    lines = ctx.lines.collect()
    bh = ctx.t("budgethouders").collect()
    rel = ctx.t("relaties").collect()
    zvt = ctx.t("zorgverleners").collect()
    bet = ctx.t("betalingen").collect()
    toek = ctx.t("toekenningen").collect()
    mask_cols = lambda df: df.with_columns([mask_bsn_expr(c, toon) for c in ("bsn",) if c in df.columns])  # noqa: E731
    bh, rel, zvt = mask_cols(bh), mask_cols(rel), mask_cols(zvt)
    namen = a.toon_namen
    bh, rel = bh.with_columns(mask_naam_expr("naam", namen)), rel.with_columns(mask_naam_expr("naam", namen))
    zvt = zvt.with_columns(mask_naam_expr("naam", namen, pl.col("soort") != "instelling"))

    codes = list(a.result.seconds) or sort_codes(set(f["check"].cast(pl.String).to_list()))
    per_check = pl.DataFrame({
        "check": codes,
        "titel": [titels.get(c, c) for c in codes],
        "bevindingen": [f.filter(pl.col("check") == c).height for c in codes],
        "effect_ct": [int(f.filter(pl.col("check") == c)["financieel_effect_ct"].fill_null(0).sum()) for c in codes],
        "niet_toetsbaar": [a.result.niet_toetsbaar.get(c, pl.DataFrame()).height for c in codes],
    }, schema={"check": pl.String, "titel": pl.String, "bevindingen": pl.Int64, "effect_ct": pl.Int64,
               "niet_toetsbaar": pl.Int64})

    op = a.opschorting
    vs = pl.DataFrame([(v.budgethouder_id, v.omvang) for v in op.voorstellen],
                      schema={"budgethouder_id": pl.String, "voorstel": pl.String}, orient="row")
    fb = f.filter(pl.col("budgethouder_id").is_not_null())
    cas = (fb.group_by("budgethouder_id").agg(
        pl.col("financieel_effect_ct").fill_null(0).sum().alias("effect_ct"), pl.len().alias("bevindingen"),
        pl.col("check").unique().sort().cast(pl.String).alias("_checks"), pl.col("zorgverlener_id").drop_nulls().n_unique().alias("zorgverleners"),
        (pl.col("soort") == "fout").any().alias("_fout"))
        .join(bh.select("budgethouder_id", "naam", "gemeente_code"), on="budgethouder_id", how="left")
        .join(vs, on="budgethouder_id", how="left")
        .with_columns(pl.col("_checks").list.join(";").alias("checks"),
                      pl.col("voorstel").fill_null(""))
        .sort(["effect_ct", "bevindingen", "budgethouder_id"], descending=[True, True, False])
        .with_row_index("rang", offset=1)
        .select("rang", "budgethouder_id", "naam", "gemeente_code", "effect_ct", "bevindingen", "zorgverleners",
                "checks", "voorstel"))
    # only the zorgverleners with a finding are listed: aggregate just their lines
    zv_f = f["zorgverlener_id"].drop_nulls().unique()
    gedecl_zv = (lines.filter(pl.col("zorgverlener_id").is_in(zv_f.implode())).group_by("zorgverlener_id")
                 .agg(pl.col("bedrag_ct").sum().alias("gedeclareerd_ct"),
                      pl.col("budgethouder_id").n_unique().alias("budgethouders")))
    zvr = (f.filter(pl.col("zorgverlener_id").is_not_null()).group_by("zorgverlener_id").agg(
        pl.col("financieel_effect_ct").fill_null(0).sum().alias("effect_ct"), pl.len().alias("bevindingen"),
        pl.col("budgethouder_id").n_unique().alias("budgethouders_met_bevinding"), pl.col("check").unique().sort().cast(pl.String).alias("_c"))
        .join(zvt.select("zorgverlener_id", "naam", "soort"), on="zorgverlener_id", how="left")
        .join(gedecl_zv, on="zorgverlener_id", how="left")
        .with_columns(pl.col("_c").list.join(";").alias("checks"),
                      pl.col("gedeclareerd_ct").fill_null(0), pl.col("budgethouders").fill_null(0))
        .sort(["effect_ct", "bevindingen", "zorgverlener_id"], descending=[True, True, False])
        .with_row_index("rang", offset=1)
        .select("rang", "zorgverlener_id", "naam", "soort", "effect_ct", "bevindingen", "budgethouders_met_bevinding",
                "budgethouders", "gedeclareerd_ct", "checks"))

    regs = used_regelingen(a)
    gem = (bh.group_by("gemeente_code").agg(pl.len().alias("budgethouders")).sort("gemeente_code")
           .with_columns(pl.col("gemeente_code").map_elements(
               lambda g: ", ".join(f"{r.id} ({r.naam})" for r in regs if r.gemeente_code == g) or "geen regeling",
               return_dtype=pl.String).alias("regelingen")))
    periode = (lines["datum_van"].min(), lines["datum_tot"].max()) if lines.height else (None, None)
    q = a.validated.quarantine
    q = q.with_columns([pl.col(c).map_elements(lambda s: mask_text(s, toon), return_dtype=pl.String)
                        for c in ("redenen", "inhoud") if c in q.columns])
    return Model(
        a=a, titels=titels, run=run_json(a), findings=f, per_check=per_check, casussen=cas, zorgverleners=zvr,
        clusters=_clusters(a, f), opschorting=op, rechtmatigheid=rm.bereken(a), aansluiting=aans.bereken(a),
        periode=periode, gemeenten=gem, regelingen=regs,
        bedragen={"gedeclareerd_ct": int(lines["bedrag_ct"].fill_null(0).sum()),
                  "betaald_ct": int(bet["bedrag_ct"].fill_null(0).sum()),
                  "toegekend_ct": int(toek["budget_ct"].fill_null(0).sum())},
        quarantaine=q, budgethouders=bh, relaties=rel, zv=zvt, lines=lines, edges=_edges(a))


def _edges(a: Audit) -> pl.DataFrame | None:
    e = a.result.extra.get(NETWERK_EDGES)
    need = {"cluster_id", "van_type", "van_id", "naar_type", "naar_id"}
    if e is None or not need <= set(e.columns):
        return None
    return e.select([pl.col(c).cast(pl.String) for c in sorted(need)])
