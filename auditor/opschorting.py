"""Opschorting proposals: which budgethouders to ask the SVB to suspend payments for.

A domain stage over frames: `voorstellen(findings, ctx, peildatum, eerdere)` runs once in
`auditor.pipeline.audit()`; its result is `Audit.opschorting`, which the werkruimte stores and
the reports and letters show.

Rules (end of checks.md), per budgethouder:

* eligible findings: those of checks NOT in ``[opschorting].uitgesloten`` of the finding's
  regeling (its ``regeling_id``; where a finding has none, the budgethouder's regeling from
  ``ctx.bh_regeling()``), and not resting on an example value (``voorbeeldwaarde = ja``);
* a proposal when the eligible ``financieel_effect`` adds up to at least
  ``[opschorting].drempel`` (of the budgethouder's regeling), or when any eligible finding is of a
  check in ``[opschorting].altijd`` (of the finding's regeling);
* scope ``gedeeltelijk`` (payments to one zorgverlener) when every eligible finding names the same
  zorgverlener; ``geheel`` when they name several, or when one of them names none (a finding
  about a toekenning concerns the whole budget);
* window: ``ingangsdatum`` = peildatum + 1 day, ``einddatum`` = ingangsdatum + 7 x max_weken - 1
  day, ``weken`` = ``[opschorting].max_weken`` of the budgethouder's regeling;
* grounds: the regeling's ``[artikelen].OPSCHORTING`` and per check its ``[grondslag]`` letter
  of art. 8.1.4 lid 1 Jeugdwet.

With a werkruimte (docs/workspace.md), earlier proposals count:

* while an earlier window of the budgethouder is still running on the day after the peildatum
  (or has not started yet), no new proposal is made: the suspension is already in force and a
  second one could only stretch it past ``max_weken`` weeks from its start or would have to
  start in the past. The running window is listed in ``Opschorting.lopend`` (the reports show it);
* after it has ended, the findings behind it (their ``finding_id``) no longer count: only
  findings that were not behind an earlier proposal can ground a new one.

The budgethouder's regeling (drempel, max_weken, the article) is the one ``ctx.bh_regeling()``
gives: its gemeente's regeling in force on the peildatum, else its latest; failing that, the
regeling of its findings. A budgethouder that would qualify but whose regeling has no
``max_weken`` gets no proposal: it is listed in ``niet_toetsbaar`` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from auditor import formatting
from auditor.engine import Context
from auditor.registry import sort_codes

CSV_COLUMNS = ["budgethouder_id", "zorgverlener_id", "omvang", "ingangsdatum", "einddatum", "weken",
               "checks", "financieel_effect", "grondslag"]
JEUGDWET = "art. 8.1.4 lid 1 Jeugdwet"
REGELING_JEUGDWET = "art. 8b lid 4 sub f Regeling Jeugdwet"


@dataclass
class Voorstel:
    budgethouder_id: str
    zorgverlener_id: str | None
    omvang: str                         # geheel / gedeeltelijk
    ingangsdatum: date
    einddatum: date
    weken: int
    checks: list[str]
    financieel_effect_ct: int
    grondslag: str                      # one line for the CSV
    regeling_id: str | None
    opschorting_artikel: str
    letters: dict[str, str | None]      # check -> letter of art. 8.1.4 lid 1 Jeugdwet (None: none given)
    redenen: list[str]                  # "drempel" and/or "altijd"
    drempel_ct: int | None
    findings: pl.DataFrame = field(repr=False)   # the eligible findings (internal schema)


@dataclass
class Opschorting:
    voorstellen: list[Voorstel]
    niet_toetsbaar: pl.DataFrame        # budgethouder_id, reden
    lopend: pl.DataFrame | None = None  # werkruimte: earlier windows still running (VOORSTEL_SCHEMA)


def window(peildatum: date, max_weken: int) -> tuple[date, date]:
    """From the day after the peildatum, `max_weken` whole weeks, both ends included."""
    start = peildatum + timedelta(days=1)
    return start, start + timedelta(days=7 * max_weken - 1)


def opschorting_artikel(regeling) -> str:
    if regeling is None:
        return "de bepaling over opschorting in de verordening jeugdhulp (niet in de regeling opgenomen)"
    art = regeling.artikel("OPSCHORTING")
    if art:
        return art
    if regeling.gemeente_code == "0168":
        return f"art. 8.3 {regeling.naam}"
    return f"de bepaling over opschorting in de {regeling.naam} (artikel niet in de regeling opgenomen)"


def onderzoek_artikel(artikel: str) -> str | None:
    """`art. 8.3 Verordening X` -> `art. 8.3 lid 3 Verordening X` (Losser: investigation meanwhile)."""
    m = re.match(r"^art\. 8\.3 (?!lid)(.*)$", artikel)
    return f"art. 8.3 lid 3 {m.group(1)}" if m else None


def grondslag_tekst(artikel: str, letters: dict[str, str | None], checks: list[str]) -> str:
    """`art. 8.3 Verordening ...; art. 8.1.4 lid 1 sub a en d Jeugdwet (DUBBEL: a; TARIEF: d)`."""
    uniek = sorted({v for v in letters.values() if v})
    per_check = "; ".join(f"{c}: {letters.get(c) or 'geen letter in de regeling'}" for c in checks)
    if uniek:
        lijst = uniek[0] if len(uniek) == 1 else ", ".join(uniek[:-1]) + " en " + uniek[-1]
        jw = f"art. 8.1.4 lid 1 sub {lijst} Jeugdwet ({per_check})"
    else:
        jw = f"{JEUGDWET} (geen letter in de regeling: {per_check})"
    return f"{artikel}; {jw}"


def lopend(eerdere: pl.DataFrame, peildatum: date) -> pl.DataFrame:
    """Earlier proposals whose window still runs on the day after the peildatum (or has not
    started yet): per budgethouder the latest such one."""
    dag = peildatum + timedelta(days=1)
    return (eerdere.filter(pl.col("einddatum") >= dag).sort("budgethouder_id", "run_id")
            .group_by("budgethouder_id", maintain_order=True).last())


def afgelopen_grond(eerdere: pl.DataFrame, peildatum: date) -> pl.DataFrame:
    """(budgethouder_id, finding_id) pairs behind earlier proposals whose window has ended:
    they cannot ground a new proposal."""
    dag = peildatum + timedelta(days=1)
    return (eerdere.filter(pl.col("einddatum") < dag).select("budgethouder_id", "finding_ids")
            .explode("finding_ids").rename({"finding_ids": "finding_id"}).drop_nulls().unique())


def voorstellen(findings: pl.DataFrame, ctx: Context, peildatum: date,
                eerdere: pl.DataFrame | None = None, uitgesloten: pl.DataFrame | None = None) -> Opschorting:
    """The proposals of one run. `eerdere`: with a werkruimte, the earlier proposals this run is
    judged against (the werkruimte's VOORSTEL_SCHEMA); None without one. `uitgesloten`: findings
    (column `finding_id`) that ground no proposal (with a werkruimte: those of zaken judged
    onterecht or afgedaan and not changed since, `auditor.zaken.uitgesloten`)."""
    f = findings
    if uitgesloten is not None:
        f = f.join(uitgesloten.select("finding_id"), on="finding_id", how="anti")
    leeg_nt = pl.DataFrame(schema={"budgethouder_id": pl.String, "reden": pl.String})
    lopend_ = None
    if eerdere is not None:
        lopend_ = lopend(eerdere, peildatum)
        # findings behind an ended proposal cannot ground a new one
        f = f.join(afgelopen_grond(eerdere, peildatum), on=["budgethouder_id", "finding_id"], how="anti")
        f = f.filter(~pl.col("budgethouder_id").is_in(lopend_["budgethouder_id"].implode()).fill_null(False))
    res = _voorstellen(ctx, peildatum, f, leeg_nt)
    res.lopend = lopend_
    return res


def _voorstellen(ctx: Context, peildatum: date, f: pl.DataFrame, leeg_nt: pl.DataFrame) -> Opschorting:
    if f.height == 0:
        return Opschorting([], leeg_nt)
    bhr = ctx.bh_regeling().collect().rename({"regeling_id": "_bh_reg"})
    params = ctx.params.select("regeling_id", "opschorting_max_weken", "opschorting_drempel_ct",
                               "opschorting_altijd", "opschorting_uitgesloten")
    ff = (f.filter(pl.col("budgethouder_id").is_not_null())
          .join(bhr, on="budgethouder_id", how="left")
          .with_columns(pl.coalesce("regeling_id", "_bh_reg").alias("_freg"))
          .join(params.select("regeling_id", pl.col("opschorting_altijd").alias("_altijd"),
                              pl.col("opschorting_uitgesloten").alias("_uit")),
                left_on="_freg", right_on="regeling_id", how="left")
          .with_columns(
              # checks.md "Example values": no proposal rests on euros of a voorbeeldwaarde
              (~pl.col("_uit").list.contains(pl.col("check").cast(pl.String)).fill_null(False)
               & (pl.col("voorbeeldwaarde").fill_null("nee") != "ja")).alias("_eligible"),
              pl.col("_altijd").list.contains(pl.col("check").cast(pl.String)).fill_null(False).alias("_altijd_hit"))
          .filter(pl.col("_eligible")))
    if ff.height == 0:
        return Opschorting([], leeg_nt)
    # the budgethouder's regeling: bh_regeling, else the first regeling of its findings
    per_bh = (ff.sort(["budgethouder_id", "_freg"], nulls_last=True).group_by("budgethouder_id", maintain_order=True)
              .agg(pl.col("_bh_reg").first(), pl.col("_freg").drop_nulls().first().alias("_eerste_reg"),
                   pl.col("financieel_effect_ct").fill_null(0).sum().alias("_som"),
                   pl.col("_altijd_hit").any().alias("_altijd"),
                   pl.col("zorgverlener_id").null_count().alias("_zonder_zv"),
                   pl.col("zorgverlener_id").drop_nulls().unique().sort().alias("_zvs"))
              .with_columns(pl.coalesce("_bh_reg", "_eerste_reg").alias("_preg"))
              .join(params, left_on="_preg", right_on="regeling_id", how="left")
              .with_columns(((pl.col("opschorting_drempel_ct").is_not_null()
                              & (pl.col("_som") >= pl.col("opschorting_drempel_ct"))).alias("_drempel_hit")))
              .filter(pl.col("_drempel_hit") | pl.col("_altijd"))
              .sort("budgethouder_id"))
    art_frame = ctx.artikelen
    letters_by = {(r, c): g for r, c, g in art_frame.select("regeling_id", "check", "grondslag").iter_rows()}
    regs = {r.id: r for r in ctx.regelingen}
    out: list[Voorstel] = []
    nt_rows = []
    for row in per_bh.iter_rows(named=True):
        bh = row["budgethouder_id"]
        if row["opschorting_max_weken"] is None:
            nt_rows.append((bh, "geen opschortingstermijn ([opschorting].max_weken) in de regeling "
                                f"{row['_preg'] or '(geen regeling)'}: geen voorstel mogelijk"))
            continue
        sub = ff.filter(pl.col("budgethouder_id") == bh)
        checks = sort_codes(set(sub["check"].cast(pl.String).to_list()))
        letters: dict[str, str | None] = {}
        for c in checks:
            regs_c = sub.filter(pl.col("check") == c)["_freg"].drop_nulls().unique().sort().to_list()
            found = [letters_by.get((r, c)) for r in regs_c]
            found = [x for x in found if x]
            letters[c] = found[0] if found else letters_by.get((row["_preg"], c))
        zvs = row["_zvs"]
        gedeeltelijk = row["_zonder_zv"] == 0 and len(zvs) == 1
        start, eind = window(peildatum, int(row["opschorting_max_weken"]))
        artikel = opschorting_artikel(regs.get(row["_preg"]))
        redenen = (["drempel"] if row["_drempel_hit"] else []) + (["altijd"] if row["_altijd"] else [])
        # `check` is the check table's Enum: sorting on it follows report order
        eff_sort = sub.sort(["check", "periode_van", "finding_id"], nulls_last=True).drop(
            "_bh_reg", "_freg", "_altijd", "_uit", "_eligible", "_altijd_hit")
        out.append(Voorstel(
            budgethouder_id=bh, zorgverlener_id=zvs[0] if gedeeltelijk else None,
            omvang="gedeeltelijk" if gedeeltelijk else "geheel", ingangsdatum=start, einddatum=eind,
            weken=int(row["opschorting_max_weken"]), checks=checks, financieel_effect_ct=int(row["_som"]),
            grondslag=grondslag_tekst(artikel, letters, checks), regeling_id=row["_preg"],
            opschorting_artikel=artikel, letters=letters, redenen=redenen,
            drempel_ct=row["opschorting_drempel_ct"], findings=eff_sort))
    nt = pl.DataFrame(nt_rows, schema={"budgethouder_id": pl.String, "reden": pl.String}, orient="row") \
        if nt_rows else leeg_nt
    return Opschorting(out, nt)


def csv_frame(vs: list[Voorstel]) -> pl.DataFrame:
    """The rows of opschorting_voorstellen.csv (text, in the exact column order)."""
    rows = [(v.budgethouder_id, v.zorgverlener_id or "", v.omvang, v.ingangsdatum.isoformat(),
             v.einddatum.isoformat(), str(v.weken), ";".join(v.checks), formatting.eur_csv(v.financieel_effect_ct),
             v.grondslag) for v in vs]
    return pl.DataFrame(rows, schema={c: pl.String for c in CSV_COLUMNS}, orient="row")
