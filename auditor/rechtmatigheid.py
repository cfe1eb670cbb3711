"""Rechtmatigheid as a controller reports it (outputs.md, "Rechtmatigheid"; docs/rechtmatigheid.md).

* **Each euro once, per declaration line.** A finding (soort fout / onzekerheid) over lines
  assigns its `financieel_effect` to them: pro rata by bedrag (cents rounded down, the rest to
  the line with the largest bedrag, then the lowest declaratie_id), except OVERSCHRIJDING,
  whose excess belongs to the toekenning's latest lines (by `datum_van`, then `declaratie_id`,
  both descending: the lines that went over the budget), each line at most its bedrag. Per
  line the fout is the largest fout any finding assigns to it, capped at the line's bedrag;
  the onzekerheid the largest onzekerheid, capped at what the fout leaves.
* **Niet getoetst**: a line that any check could not judge (its `niet_toetsbaar`, keyed by
  declaratie_id, or by toekenning_id for all lines of that toekenning) counts what is left of
  its bedrag after fout and onzekerheid; so per line fout + onzekerheid + niet getoetst never
  exceed the bedrag. Per check and reason the bedrag of the lines concerned is shown (a line
  may be niet toetsbaar for several checks: that breakdown overlaps, the total does not).
* **Beside the lines**: BUDGET (an error of the beschikking) and BETALING (the payment
  process), and any finding that names no line, are listed beside the view, never in it.
* **The base** is what the SVB paid for the lines (betalingen by declaratie_id) and, beside
  it, what was declared; per wet (of the line's toekenning) and year of care (`datum_van`).
  Without a betalingen table the base is the declared amount, and the view says so.
* **The verdict** only with `totale_lasten` (the gemeente's total lasten): fouten +
  onzekerheden against `verantwoordingsgrens x totale_lasten`, and fouten against the
  `rapporteringsgrens` (euros above which the college reports a fout individually).
* **Onvolledig** when checks were left out, an optional table (betalingen, budgetten) is
  missing, or niet-getoetste euros exist; `ontbreekt` says what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from auditor.audit import Audit
from auditor.formatting import eur_csv, eur_nl
from auditor.registry import CHECK_CODES, CHECK_ENUM, CHECK_TITELS

NAAST = ("BUDGET", "BETALING")     # beside the lines: beschikking and payment process
SOORTEN = ("fout", "onzekerheid")
GEEN_TOEKENNING = "(geen toekenning)"
OPTIONELE_TABELLEN = ("betalingen", "budgetten")
#: checks that only run with an extra input (not "left out" when that input is absent)
VEREIST_INVOER = {"NIET-GELEVERD": "materiele_controle"}
CSV_COLUMNS = ["budgethouder_id", "wet", "jaar", "betaald", "gedeclareerd", "fouten", "onzekerheden",
               "niet_getoetst"]
MONEY = ("betaald_ct", "gedeclareerd_ct", "fout_ct", "onzekerheid_ct", "niet_getoetst_ct")


@dataclass
class Rechtmatigheid:
    basis: str                          # "betaald" or "gedeclareerd"
    regels: pl.DataFrame                # per line: declaratie_id, budgethouder_id, wet, jaar, + MONEY
    per_groep: pl.DataFrame             # budgethouder_id, wet, jaar, + MONEY (rechtmatigheid.csv)
    per_wet_jaar: pl.DataFrame          # wet, jaar, + MONEY
    per_check: pl.DataFrame             # check, titel, soort, bevindingen, effect_ct, naast
    niet_getoetst: pl.DataFrame         # check, reden, regels, bedrag_ct
    naast: pl.DataFrame                 # check, titel, soort, bevindingen, effect_ct (beside the lines)
    betaald_ct: int                     # all audited betalingen
    betaald_buiten_regels_ct: int       # of which not for an audited line
    gedeclareerd_ct: int
    fouten_ct: int
    onzekerheden_ct: int
    niet_getoetst_ct: int
    som_fouten_ct: int                  # plain sums of findings.csv (fout / onzekerheid)
    som_onzekerheden_ct: int
    signalen: int
    grens: Decimal                      # verantwoordingsgrens as a share
    totale_lasten_ct: int | None = None
    rapporteringsgrens_ct: int | None = None
    ontbreekt: list[str] = field(default_factory=list)

    @property
    def basis_ct(self) -> int:
        return self.betaald_ct if self.basis == "betaald" else self.gedeclareerd_ct

    @property
    def totaal_ct(self) -> int:
        return self.fouten_ct + self.onzekerheden_ct

    @property
    def onvolledig(self) -> bool:
        return bool(self.ontbreekt)

    @property
    def grens_bedrag_ct(self) -> int | None:
        if self.totale_lasten_ct is None:
            return None
        return int((self.grens * self.totale_lasten_ct).to_integral_value(rounding="ROUND_HALF_UP"))

    @property
    def binnen(self) -> bool | None:
        """None: no verdict (no totale lasten)."""
        g = self.grens_bedrag_ct
        return None if g is None else self.totaal_ct <= g

    @property
    def boven_rapporteringsgrens(self) -> bool | None:
        return None if self.rapporteringsgrens_ct is None else self.fouten_ct > self.rapporteringsgrens_ct

    @property
    def oordeel(self) -> str:
        if self.binnen is None:
            return "geen oordeel: de totale lasten van de gemeente zijn niet opgegeven (--totale-lasten)"
        s = "binnen de verantwoordingsgrens" if self.binnen else "boven de verantwoordingsgrens"
        return s + (" (onvolledig)" if self.onvolledig else "")

    def aandeel(self, ct: int, van: int | None = None) -> Decimal | None:
        w = self.basis_ct if van is None else van
        return None if not w else (Decimal(ct) / Decimal(w)).quantize(Decimal("0.000001"))


def _pro_rata(x: pl.LazyFrame) -> pl.LazyFrame:
    """Per (_fid, line): `_e x bedrag / total`, rounded down; the rest to the largest line."""
    x = x.with_columns(pl.col("_b").sum().over("_fid").alias("_tot"), pl.len().over("_fid").alias("_n"))
    x = x.with_columns(pl.when(pl.col("_tot") > 0).then((pl.col("_e") * pl.col("_b")) // pl.col("_tot"))
                       .otherwise(pl.col("_e") // pl.col("_n")).alias("_deel"))
    x = x.sort(["_fid", "_b", "declaratie_id"], descending=[False, True, False])
    x = x.with_columns((pl.col("_e") - pl.col("_deel").sum().over("_fid")).alias("_rest"),
                       (pl.int_range(pl.len()).over("_fid") == 0).alias("_eerste"))
    return x.with_columns((pl.col("_deel") + pl.when(pl.col("_eerste")).then(pl.col("_rest")).otherwise(0))
                          .alias("deel_ct"))


def _laatste_regels(x: pl.LazyFrame) -> pl.LazyFrame:
    """OVERSCHRIJDING: the excess on the latest lines first, each at most its bedrag."""
    x = x.sort(["_fid", "datum_van", "declaratie_id"], descending=[False, True, True])
    x = x.with_columns((pl.col("_b").cum_sum().over("_fid") - pl.col("_b")).alias("_voor"))
    return x.with_columns(pl.min_horizontal(pl.col("_b"), (pl.col("_e") - pl.col("_voor")).clip(lower_bound=0))
                          .alias("deel_ct"))


def toewijzing(findings: pl.DataFrame, lines: pl.LazyFrame) -> pl.LazyFrame:
    """Per finding (`_fid`) and line: the euros the finding assigns to that line."""
    f = findings.lazy().with_row_index("_fid").select(
        "_fid", pl.col("check").cast(pl.String), "soort", pl.col("financieel_effect_ct").fill_null(0).alias("_e"),
        pl.col("declaratie_ids").alias("declaratie_id")).explode("declaratie_id")
    x = (f.join(lines.select("declaratie_id", "bedrag_ct", "datum_van"), on="declaratie_id", how="inner")
         .with_columns(pl.col("bedrag_ct").fill_null(0).clip(lower_bound=0).alias("_b")))
    cols = ["_fid", "check", "soort", "declaratie_id", "deel_ct"]
    over = _laatste_regels(x.filter(pl.col("check") == "OVERSCHRIJDING")).select(cols)
    rest = _pro_rata(x.filter(pl.col("check") != "OVERSCHRIJDING")).select(cols)
    return pl.concat([over, rest])


def _ontbreekt(a: Audit, niet_getoetst_ct: int) -> list[str]:
    out = []
    gedaan = set(a.result.seconds)
    weg = [c for c in CHECK_CODES if c not in gedaan
           and not (c in VEREIST_INVOER and a.ctx.t(VEREIST_INVOER[c]).select(pl.len()).collect().item() == 0)]
    if weg:
        out.append("controles niet uitgevoerd: " + ", ".join(weg))
    for t in OPTIONELE_TABELLEN:
        if t not in a.raw:
            uitleg = {"betalingen": "de basis is het gedeclareerde bedrag, niet het betaalde",
                      "budgetten": "geen budgetconfirmatie met de SVB"}[t]
            out.append(f"tabel {t} ontbreekt: {uitleg}")
    if niet_getoetst_ct:
        out.append(f"niet getoetst: {eur_nl(niet_getoetst_ct)} euro aan declaratieregels die een controle "
                   "niet kon beoordelen")
    return out


def bereken(a: Audit) -> Rechtmatigheid:
    """The view of one run; computed once per run and controller's values (run.json, the
    reports and rechtmatigheid.csv all ask for it)."""
    sleutel = (a.verantwoordingsgrens, a.totale_lasten_ct, a.rapporteringsgrens_ct, id(a.result))
    eerder = a.__dict__.get("_rechtmatigheid")
    if eerder is not None and eerder[0] == sleutel:
        return eerder[1]
    r = _bereken(a)
    a.__dict__["_rechtmatigheid"] = (sleutel, r)
    return r


def _bereken(a: Audit) -> Rechtmatigheid:
    ctx = a.ctx
    f = a.result.findings
    wet = ctx.t("toekenningen").select("toekenning_id", pl.col("wet").alias("_wet"))
    bet = ctx.t("betalingen")
    betaald_regel = bet.group_by("declaratie_id").agg(pl.col("bedrag_ct").fill_null(0).sum().alias("betaald_ct"))
    lines = (ctx.lines.select("declaratie_id", "budgethouder_id", "toekenning_id", "datum_van", "bedrag_ct")
             .join(wet, on="toekenning_id", how="left")
             .with_columns(pl.col("_wet").fill_null(GEEN_TOEKENNING).alias("wet"),
                           pl.col("datum_van").dt.year().cast(pl.Int64).alias("jaar"),
                           pl.col("bedrag_ct").fill_null(0).alias("gedeclareerd_ct"))
             .join(betaald_regel, on="declaratie_id", how="left")
             .with_columns(pl.col("betaald_ct").fill_null(0))
             .collect().lazy())       # used four times below: its joins once, not once per use

    fe = f.filter(pl.col("soort").is_in(SOORTEN))
    in_regels = fe.filter(~pl.col("check").cast(pl.String).is_in(NAAST) & (pl.col("declaratie_ids").list.len() > 0))
    t = toewijzing(in_regels, lines)
    per_line = t.group_by("declaratie_id").agg(
        pl.col("deel_ct").filter(pl.col("soort") == "fout").max().alias("_f"),
        pl.col("deel_ct").filter(pl.col("soort") == "onzekerheid").max().alias("_o"))

    nt_parts = [nt.select(pl.lit(code).alias("check"), pl.col("sleutel").cast(pl.String), pl.col("reden").cast(pl.String))
                for code, nt in a.result.niet_toetsbaar.items() if nt.height]
    nt = (pl.concat(nt_parts).lazy() if nt_parts else
          pl.LazyFrame(schema={"check": pl.String, "sleutel": pl.String, "reden": pl.String}))
    nt_regels = pl.concat([
        nt.join(lines.select("declaratie_id"), left_on="sleutel", right_on="declaratie_id", how="inner")
          .with_columns(pl.col("sleutel").alias("declaratie_id")),
        nt.join(lines.select("declaratie_id", "toekenning_id"), left_on="sleutel", right_on="toekenning_id",
                how="inner").select("check", "sleutel", "reden", "declaratie_id"),
    ], how="diagonal_relaxed").select("check", "reden", "declaratie_id").unique().collect().lazy()   # used twice

    cap = pl.col("gedeclareerd_ct").clip(lower_bound=0)
    regels = (lines.join(per_line, on="declaratie_id", how="left")
              .join(nt_regels.select("declaratie_id").unique().with_columns(pl.lit(True).alias("_nt")),
                    on="declaratie_id", how="left")
              .with_columns(pl.min_horizontal(pl.col("_f").fill_null(0).clip(lower_bound=0), cap).alias("fout_ct"))
              .with_columns(pl.min_horizontal(pl.col("_o").fill_null(0).clip(lower_bound=0),
                                              cap - pl.col("fout_ct")).alias("onzekerheid_ct"))
              .with_columns(pl.when(pl.col("_nt").fill_null(False))
                            .then(cap - pl.col("fout_ct") - pl.col("onzekerheid_ct")).otherwise(0)
                            .alias("niet_getoetst_ct"))
              .select("declaratie_id", "budgethouder_id", "wet", "jaar", *MONEY)
              .sort("declaratie_id").collect())
    som = [pl.col(c).sum() for c in MONEY]
    per_groep = regels.group_by("budgethouder_id", "wet", "jaar").agg(som).sort("budgethouder_id", "wet", "jaar")
    per_wet_jaar = regels.group_by("wet", "jaar").agg(som).sort("wet", "jaar")
    nt_tab = (nt_regels.join(regels.lazy().select("declaratie_id", "gedeclareerd_ct"), on="declaratie_id")
              .group_by("check", "reden").agg(pl.len().alias("regels"), pl.col("gedeclareerd_ct").sum().alias("bedrag_ct"))
              .collect())
    nt_tab = (nt_tab.with_columns(pl.col("check").cast(CHECK_ENUM)).sort(["check", "bedrag_ct", "reden"],
              descending=[False, True, False]).with_columns(pl.col("check").cast(pl.String)))

    per = (fe.group_by("check", "soort").agg(pl.len().alias("bevindingen"),
                                             pl.col("financieel_effect_ct").fill_null(0).sum().alias("effect_ct"))
           .sort(["check", "soort"])
           .with_columns(pl.col("check").cast(pl.String))
           .with_columns(pl.col("check").replace_strict(CHECK_TITELS, default=pl.col("check")).alias("titel"),
                         pl.col("check").is_in(NAAST).alias("naast"))
           .select("check", "titel", "soort", "bevindingen", "effect_ct", "naast"))
    zonder = fe.filter(~pl.col("check").cast(pl.String).is_in(NAAST) & (pl.col("declaratie_ids").list.len() == 0))
    naast = pl.concat([
        per.filter(pl.col("naast")).drop("naast"),
        zonder.group_by("check", "soort").agg(pl.len().alias("bevindingen"),
                                              pl.col("financieel_effect_ct").fill_null(0).sum().alias("effect_ct"))
        .sort(["check", "soort"]).with_columns(pl.col("check").cast(pl.String))
        .with_columns((pl.col("check").replace_strict(CHECK_TITELS, default=pl.col("check")) + " (zonder declaratieregel)")
                      .alias("titel")).select("check", "titel", "soort", "bevindingen", "effect_ct"),
    ])

    tot = {c: int(regels[c].sum()) for c in MONEY}
    betaald = int(bet.select(pl.col("bedrag_ct").fill_null(0).sum()).collect().item())

    def plain(soort):
        return int(fe.filter(pl.col("soort") == soort)["financieel_effect_ct"].fill_null(0).sum())

    r = Rechtmatigheid(
        basis="betaald" if "betalingen" in a.raw else "gedeclareerd",
        regels=regels, per_groep=per_groep, per_wet_jaar=per_wet_jaar, per_check=per, niet_getoetst=nt_tab,
        naast=naast, betaald_ct=betaald, betaald_buiten_regels_ct=betaald - tot["betaald_ct"],
        gedeclareerd_ct=tot["gedeclareerd_ct"], fouten_ct=tot["fout_ct"], onzekerheden_ct=tot["onzekerheid_ct"],
        niet_getoetst_ct=tot["niet_getoetst_ct"], som_fouten_ct=plain("fout"), som_onzekerheden_ct=plain("onzekerheid"),
        signalen=int(f.filter(pl.col("soort") == "signaal").height),
        grens=Decimal(str(a.verantwoordingsgrens)),
        totale_lasten_ct=a.totale_lasten_ct, rapporteringsgrens_ct=a.rapporteringsgrens_ct)
    r.ontbreekt = _ontbreekt(a, r.niet_getoetst_ct)
    return r



def csv_frame(r: Rechtmatigheid) -> pl.DataFrame:
    """rechtmatigheid.csv: one row per budgethouder, wet and year of care, money as `1234.56`."""
    def geld(c):
        return pl.format("{}{}.{}", pl.when(pl.col(c) < 0).then(pl.lit("-")).otherwise(pl.lit("")),
                         pl.col(c).abs() // 100, (pl.col(c).abs() % 100).cast(pl.String).str.zfill(2))
    return r.per_groep.select(
        "budgethouder_id", "wet", pl.col("jaar").cast(pl.String),
        geld("betaald_ct").alias("betaald"), geld("gedeclareerd_ct").alias("gedeclareerd"),
        geld("fout_ct").alias("fouten"), geld("onzekerheid_ct").alias("onzekerheden"),
        geld("niet_getoetst_ct").alias("niet_getoetst"))


def run_json_deel(r: Rechtmatigheid) -> dict:
    """run.json's `rechtmatigheid` block (money as text with a decimal point)."""
    out = {
        "basis": r.basis, "basis_bedrag": eur_csv(r.basis_ct), "gedeclareerd": eur_csv(r.gedeclareerd_ct),
        "betaald": eur_csv(r.betaald_ct), "betaald_buiten_regels": eur_csv(r.betaald_buiten_regels_ct),
        "fouten": eur_csv(r.fouten_ct), "onzekerheden": eur_csv(r.onzekerheden_ct),
        "niet_getoetst": eur_csv(r.niet_getoetst_ct),
        "naast_de_regels": {f"{x['check']}:{x['soort']}": eur_csv(x["effect_ct"]) for x in r.naast.iter_rows(named=True)},
        "per_wet_jaar": [{"wet": x["wet"], "jaar": x["jaar"], "betaald": eur_csv(x["betaald_ct"]),
                          "gedeclareerd": eur_csv(x["gedeclareerd_ct"]), "fouten": eur_csv(x["fout_ct"]),
                          "onzekerheden": eur_csv(x["onzekerheid_ct"]), "niet_getoetst": eur_csv(x["niet_getoetst_ct"])}
                         for x in r.per_wet_jaar.iter_rows(named=True)],
        "niet_getoetst_per_check": [{"check": x["check"], "reden": x["reden"], "regels": x["regels"],
                                     "bedrag": eur_csv(x["bedrag_ct"])} for x in r.niet_getoetst.iter_rows(named=True)],
        "verantwoordingsgrens": str(r.grens),
        "totale_lasten": None if r.totale_lasten_ct is None else eur_csv(r.totale_lasten_ct),
        "rapporteringsgrens": None if r.rapporteringsgrens_ct is None else eur_csv(r.rapporteringsgrens_ct),
        "oordeel": None if r.binnen is None else ("binnen" if r.binnen else "boven"),
        "fouten_boven_rapporteringsgrens": r.boven_rapporteringsgrens,
        "onvolledig": r.onvolledig, "ontbreekt": r.ontbreekt,
    }
    return out


__all__ = ["Rechtmatigheid", "bereken", "csv_frame", "run_json_deel", "toewijzing"]
