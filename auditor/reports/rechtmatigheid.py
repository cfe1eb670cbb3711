"""Rechtmatigheid for the controller: fouten and onzekerheden against the pgb lasten.

Choices (also in docs/reports.md):

* **Lasten** = the sum of `bedrag` of the audited (not quarantined) declaration lines: what the
  budgethouders declared against their pgb in the batch. Payments are reconciled separately
  (aansluiting); quarantined lines are not in the lasten and are counted in the audit trail.
* **Per check**: the plain sum of `financieel_effect` of its findings, split by soort (fout /
  onzekerheid). These reconcile one-to-one with findings.csv. Signalen carry no euros.
* **In total, each line counted once**: a finding that rests on declaration lines spreads its
  euros over those lines pro rata to their bedrag (cents rounded down, the remainder to the line
  with the largest bedrag); per line the largest fout across all checks counts, capped at the
  line's bedrag; then the largest onzekerheid, capped at what is left of the bedrag (a euro that
  is already a fout is not also an onzekerheid).
* **Findings without lines** (e.g. a payment without a declaration) count in full, once each.
* **BUDGET** findings (a toekenning granted above the norm) are an error of the beschikking, not
  a last: they are shown per check but do not count towards the total.
* **Verdict**: fouten + onzekerheden (counted once) as a share of the lasten, against the
  verantwoordingsgrens (`--verantwoordingsgrens`, default 3%): "binnen" when the share is at most
  the grens, "boven" when it is higher.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from auditor.audit import Audit
from auditor.registry import CHECK_TITELS

NIET_IN_LASTEN = ("BUDGET",)
SOORTEN = ("fout", "onzekerheid")


@dataclass
class Rechtmatigheid:
    lasten_ct: int
    regels: int
    per_check: pl.DataFrame          # check, titel, soort, bevindingen, effect_ct, telt_mee
    som_fouten_ct: int               # plain sums over every fout / onzekerheid finding (= findings.csv)
    som_onzekerheden_ct: int
    buiten_lasten_ct: int            # of which not a last (BUDGET)
    dubbel_fouten_ct: int            # counted more than once (several checks / beyond the line's bedrag)
    dubbel_onzekerheden_ct: int
    fouten_ct: int                   # counted once
    onzekerheden_ct: int
    zonder_regels_ct: int            # part of the totals from findings without lines
    signalen: int
    grens: Decimal

    @property
    def totaal_ct(self) -> int:
        return self.fouten_ct + self.onzekerheden_ct

    def aandeel(self, ct: int) -> Decimal | None:
        return None if not self.lasten_ct else Decimal(ct) / Decimal(self.lasten_ct)

    @property
    def binnen(self) -> bool:
        if not self.lasten_ct:
            return self.totaal_ct == 0
        return Decimal(self.totaal_ct) <= self.grens * Decimal(self.lasten_ct)

    @property
    def oordeel(self) -> str:
        return "binnen de verantwoordingsgrens" if self.binnen else "boven de verantwoordingsgrens"


def _allocate(f: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    """Per finding and line: the finding's euros spread over its lines pro rata to bedrag."""
    x = (f.with_row_index("_fid").select("_fid", "soort", "financieel_effect_ct", "declaratie_ids")
         .explode("declaratie_ids").rename({"declaratie_ids": "declaratie_id"})
         .join(lines, on="declaratie_id", how="left")
         .with_columns(pl.col("bedrag_ct").fill_null(0).clip(lower_bound=0).alias("_b"),
                       pl.col("financieel_effect_ct").fill_null(0).alias("_e")))
    x = x.with_columns(pl.col("_b").sum().over("_fid").alias("_tot"), pl.len().over("_fid").alias("_n"))
    x = x.with_columns(
        pl.when(pl.col("_tot") > 0).then((pl.col("_e") * pl.col("_b")) // pl.col("_tot"))
        .otherwise(pl.col("_e") // pl.col("_n")).alias("_deel"))
    x = x.sort(["_fid", "_b", "declaratie_id"], descending=[False, True, False])
    x = x.with_columns((pl.col("_e") - pl.col("_deel").sum().over("_fid")).alias("_rest"),
                       (pl.int_range(pl.len()).over("_fid") == 0).alias("_eerste"))
    return x.with_columns(
        (pl.col("_deel") + pl.when(pl.col("_eerste")).then(pl.col("_rest")).otherwise(0)).alias("deel_ct")
    ).select("declaratie_id", "soort", "deel_ct", "bedrag_ct")


def bereken(a: Audit) -> Rechtmatigheid:
    f = a.result.findings
    lines = a.ctx.lines.select("declaratie_id", "bedrag_ct").collect()
    lasten = int(lines["bedrag_ct"].fill_null(0).sum())
    titels = CHECK_TITELS
    fe = f.filter(pl.col("soort").is_in(SOORTEN))
    per = (fe.group_by("check", "soort").agg(pl.len().alias("bevindingen"),
                                               pl.col("financieel_effect_ct").fill_null(0).sum().alias("effect_ct")))
    per = per.with_columns(pl.col("check").cast(pl.String).replace(titels).alias("titel"),
                           (~pl.col("check").is_in(NIET_IN_LASTEN)).alias("telt_mee"))
    # `check` is the check table's Enum: sorting on it follows report order
    per = per.sort(["check", "soort"]).select(
        pl.col("check").cast(pl.String), "titel", "soort", "bevindingen", "effect_ct", "telt_mee")

    def som(df, soort):
        return int(df.filter(pl.col("soort") == soort)["financieel_effect_ct"].fill_null(0).sum())

    mee = fe.filter(~pl.col("check").is_in(NIET_IN_LASTEN))
    met_regels = mee.filter(pl.col("declaratie_ids").list.len() > 0)
    zonder = mee.filter(pl.col("declaratie_ids").list.len() == 0)
    fout_z, onz_z = som(zonder, "fout"), som(zonder, "onzekerheid")
    fout_l = onz_l = 0
    if met_regels.height:
        alloc = _allocate(met_regels, lines)
        per_line = alloc.group_by("declaratie_id").agg(
            pl.col("bedrag_ct").first(),
            pl.col("deel_ct").filter(pl.col("soort") == "fout").max().fill_null(0).alias("_f"),
            pl.col("deel_ct").filter(pl.col("soort") == "onzekerheid").max().fill_null(0).alias("_o"))
        cap = pl.col("bedrag_ct")
        per_line = per_line.with_columns(
            pl.when(cap.is_null()).then(pl.col("_f")).otherwise(pl.min_horizontal("_f", cap.clip(lower_bound=0)))
            .alias("_fc"))
        per_line = per_line.with_columns(
            pl.when(cap.is_null()).then(pl.col("_o"))
            .otherwise(pl.min_horizontal("_o", (cap.clip(lower_bound=0) - pl.col("_fc")).clip(lower_bound=0)))
            .alias("_oc"))
        fout_l, onz_l = int(per_line["_fc"].sum()), int(per_line["_oc"].sum())
    som_f, som_o = som(fe, "fout"), som(fe, "onzekerheid")
    buiten = int(fe.filter(pl.col("check").is_in(NIET_IN_LASTEN))["financieel_effect_ct"].fill_null(0).sum())
    buiten_f = som(fe.filter(pl.col("check").is_in(NIET_IN_LASTEN)), "fout")
    buiten_o = buiten - buiten_f
    fouten, onz = fout_l + fout_z, onz_l + onz_z
    return Rechtmatigheid(
        lasten_ct=lasten, regels=lines.height, per_check=per, som_fouten_ct=som_f, som_onzekerheden_ct=som_o,
        buiten_lasten_ct=buiten, dubbel_fouten_ct=som_f - buiten_f - fouten,
        dubbel_onzekerheden_ct=som_o - buiten_o - onz, fouten_ct=fouten, onzekerheden_ct=onz,
        zonder_regels_ct=fout_z + onz_z, signalen=int(f.filter(pl.col("soort") == "signaal").height),
        grens=Decimal(str(a.verantwoordingsgrens)))
