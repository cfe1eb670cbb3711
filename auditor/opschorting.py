"""Opschorting proposals: which budgethouders to ask the SVB to suspend payments for.

A domain stage over frames: `voorstellen(findings, ctx, peildatum, eerdere, briefdatum=...,
uitgezonderd=...)` runs once in `auditor.pipeline.audit()`; its result is `Audit.opschorting`,
which the werkruimte stores and the reports and letters show. Joins and group-bys only: no
Python loop per budgethouder over the findings.

Rules (checks.md, *Opschorting proposals*), per budgethouder:

* counting findings: soort ``fout`` or ``onzekerheid`` (never a ``signaal``), not of ``BETALING``
  (the payment process's error, the SVB's) or ``NETWERK`` (a pattern across budgethouders), not
  resting on an example value of the regeling (``voorbeeldwaarde``), not of a check in
  ``[opschorting].uitgesloten`` of the finding's regeling (its ``regeling_id``; where it has none,
  the budgethouder's regeling from ``ctx.bh_regeling()``), and not in ``uitgezonderd`` (the hook
  for the werkruimte's zaken judged onterecht/afgedaan: a frame with a ``finding_id`` column);
* a proposal when their ``financieel_effect`` adds up to at least ``[opschorting].drempel`` (of
  the budgethouder's regeling), or when one of them is a ``fout`` of a check in
  ``[opschorting].altijd`` (of the finding's regeling); BETALING and NETWERK never count, even
  when a regeling lists them in ``altijd``;
* scope ``gedeeltelijk`` (payments to one zorgverlener) when every counting finding names the
  same zorgverlener; ``geheel`` when they name several, or when one names none;
* window: Awb art. 4:56, which Losser art. 8.3 follows: the term runs from the day the college
  tells the budgethouder in writing of the well-founded suspicion, which is the letters' date:
  ``ingangsdatum`` = ``briefdatum``, ``einddatum`` = ingangsdatum + 7 x max_weken - 1 day. The
  pipeline refuses a briefdatum in the past or before the day after the peildatum (exit 2, see
  `check_briefdatum`); without one this function uses the day after the peildatum;
* grounds: the regeling's ``[artikelen].OPSCHORTING`` and per check its ``[grondslag]`` letter
  of art. 8.1.4 lid 1 Jeugdwet.

With a werkruimte (docs/workspace.md), earlier proposals count:

* while an earlier window of the budgethouder is still running on the briefdatum (or has not
  started yet), no new proposal is made: the suspension is already in force and a second one
  could only stretch it past ``max_weken`` weeks. The running window is listed in
  ``Opschorting.lopend`` (the reports show it);
* after it has ended, the findings behind it (their ``finding_id``) no longer count.

A budgethouder that would qualify but whose regeling has no ``max_weken`` gets no proposal: it
is listed in ``niet_toetsbaar`` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from auditor import formatting
from auditor.engine import Context
from auditor.errors import InvoerFout
from auditor.registry import sort_codes

CSV_COLUMNS = ["budgethouder_id", "zorgverlener_id", "omvang", "ingangsdatum", "einddatum", "weken",
               "checks", "financieel_effect", "grondslag"]
JEUGDWET = "art. 8.1.4 lid 1 Jeugdwet"
REGELING_JEUGDWET = "art. 8b lid 4 sub f Regeling Jeugdwet"
#: never ground a proposal, whatever a regeling's `altijd` says (checks.md)
NOOIT = ("BETALING", "NETWERK")
TELLENDE_SOORTEN = ("fout", "onzekerheid")


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
    findings: pl.DataFrame = field(repr=False)   # the counting findings (internal schema)
    gemeente_code: str | None = None


@dataclass
class Opschorting:
    voorstellen: list[Voorstel]
    niet_toetsbaar: pl.DataFrame        # budgethouder_id, reden
    lopend: pl.DataFrame | None = None  # werkruimte: earlier windows still running (VOORSTEL_SCHEMA)
    briefdatum: date | None = None


def window(ingangsdatum: date, max_weken: int) -> tuple[date, date]:
    """From `ingangsdatum` (the briefdatum), `max_weken` whole weeks, both ends included."""
    return ingangsdatum, ingangsdatum + timedelta(days=7 * max_weken - 1)


def check_briefdatum(briefdatum: date | None, peildatum: date, vandaag: date) -> date:
    """The letters' date and the window's first day. Default: today, but not before the day
    after the peildatum (a run with the default peildatum of today dates its letters tomorrow).
    A given date in the past, or on or before the peildatum, is refused (InvoerFout, exit 2):
    clamping it would date a letter on a day the user did not choose."""
    eerste = peildatum + timedelta(days=1)
    if briefdatum is None:
        return max(vandaag, eerste)
    if briefdatum < vandaag:
        raise InvoerFout(f"--briefdatum {formatting.nl_datum(briefdatum)} ligt in het verleden: een opschorting "
                         "gaat in op de dag van de brief. Kies vandaag of een latere datum.")
    if briefdatum < eerste:
        raise InvoerFout(f"--briefdatum {formatting.nl_datum(briefdatum)} ligt niet na de peildatum "
                         f"{formatting.nl_datum(peildatum)}: kies {formatting.nl_datum(eerste)} of later, of een "
                         "eerdere --peildatum.")
    return briefdatum


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


def lopend(eerdere: pl.DataFrame, peildatum: date, dag: date | None = None) -> pl.DataFrame:
    """Earlier proposals whose window still runs on `dag` (the briefdatum; default the day after
    the peildatum) or has not started yet: per budgethouder the latest such one."""
    dag = dag or peildatum + timedelta(days=1)
    return (eerdere.filter(pl.col("einddatum") >= dag).sort("budgethouder_id", "run_id")
            .group_by("budgethouder_id", maintain_order=True).last())


def afgelopen_grond(eerdere: pl.DataFrame, peildatum: date, dag: date | None = None) -> pl.DataFrame:
    """(budgethouder_id, finding_id) pairs behind earlier proposals whose window has ended:
    they cannot ground a new proposal."""
    dag = dag or peildatum + timedelta(days=1)
    return (eerdere.filter(pl.col("einddatum") < dag).select("budgethouder_id", "finding_ids")
            .explode("finding_ids").rename({"finding_ids": "finding_id"}).drop_nulls().unique())


def tellende(findings: pl.DataFrame) -> pl.DataFrame:
    """The findings that can count towards a proposal at all (before the regeling's lists)."""
    f = findings.filter(pl.col("budgethouder_id").is_not_null()
                        & pl.col("soort").is_in(TELLENDE_SOORTEN)
                        & ~pl.col("check").cast(pl.String).is_in(NOOIT))
    if "voorbeeldwaarde" in f.columns:
        # checks.md "Example values": no proposal rests on euros of a voorbeeldwaarde
        f = f.filter(pl.col("voorbeeldwaarde").fill_null("nee") != "ja")
    return f


def voorstellen(findings: pl.DataFrame, ctx: Context, peildatum: date, eerdere: pl.DataFrame | None = None,
                *, briefdatum: date | None = None, uitgezonderd: pl.DataFrame | None = None) -> Opschorting:
    """The proposals of one run. `eerdere`: with a werkruimte, the earlier proposals this run is
    judged against (the werkruimte's VOORSTEL_SCHEMA); None without one. `briefdatum`: the
    letters' date and first day (checked by `check_briefdatum` in the pipeline). `uitgezonderd`:
    findings (column `finding_id`) that may ground no proposal (zaken judged onterecht/afgedaan)."""
    dag = briefdatum or peildatum + timedelta(days=1)
    f = tellende(findings)
    if uitgezonderd is not None:
        f = f.join(uitgezonderd.select(pl.col("finding_id").cast(pl.String)).unique(), on="finding_id", how="anti")
    leeg_nt = pl.DataFrame(schema={"budgethouder_id": pl.String, "reden": pl.String})
    lopend_ = None
    if eerdere is not None:
        lopend_ = lopend(eerdere, peildatum, dag)
        f = f.join(afgelopen_grond(eerdere, peildatum, dag), on=["budgethouder_id", "finding_id"], how="anti")
        f = f.filter(~pl.col("budgethouder_id").is_in(lopend_["budgethouder_id"].implode()).fill_null(False))
    res = _voorstellen(ctx, dag, f, leeg_nt)
    res.lopend = lopend_
    res.briefdatum = dag
    return res


def _voorstellen(ctx: Context, dag: date, f: pl.DataFrame, leeg_nt: pl.DataFrame) -> Opschorting:
    if f.height == 0:
        return Opschorting([], leeg_nt)
    bhr = ctx.bh_regeling().collect().rename({"regeling_id": "_bh_reg"})
    params = ctx.params.select("regeling_id", "opschorting_max_weken", "opschorting_drempel_ct",
                               "opschorting_altijd", "opschorting_uitgesloten")
    ff = (f.join(bhr, on="budgethouder_id", how="left")
          .with_columns(pl.coalesce("regeling_id", "_bh_reg").alias("_freg"))
          .join(params.select("regeling_id", pl.col("opschorting_altijd").alias("_altijd"),
                              pl.col("opschorting_uitgesloten").alias("_uit")),
                left_on="_freg", right_on="regeling_id", how="left")
          .filter(~pl.col("_uit").list.contains(pl.col("check").cast(pl.String)).fill_null(False))
          .with_columns((pl.col("_altijd").list.contains(pl.col("check").cast(pl.String)).fill_null(False)
                         & (pl.col("soort") == "fout")).alias("_altijd_hit")))
    if ff.height == 0:
        return Opschorting([], leeg_nt)
    per_bh = (ff.sort(["budgethouder_id", "_freg"], nulls_last=True).group_by("budgethouder_id", maintain_order=True)
              .agg(pl.col("_bh_reg").first(), pl.col("_freg").drop_nulls().first().alias("_eerste_reg"),
                   pl.col("financieel_effect_ct").fill_null(0).sum().alias("_som"),
                   pl.col("_altijd_hit").any().alias("_altijd"),
                   pl.col("zorgverlener_id").null_count().alias("_zonder_zv"),
                   pl.col("zorgverlener_id").drop_nulls().unique().sort().alias("_zvs"),
                   pl.col("check").cast(pl.String).unique().alias("_checks"))
              .with_columns(pl.coalesce("_bh_reg", "_eerste_reg").alias("_preg"))
              .join(params, left_on="_preg", right_on="regeling_id", how="left")
              .with_columns((pl.col("opschorting_drempel_ct").is_not_null()
                             & (pl.col("_som") >= pl.col("opschorting_drempel_ct"))).alias("_drempel_hit"))
              .filter(pl.col("_drempel_hit") | pl.col("_altijd"))
              .sort("budgethouder_id"))
    nt = per_bh.filter(pl.col("opschorting_max_weken").is_null()).select(
        "budgethouder_id", pl.format("geen opschortingstermijn ([opschorting].max_weken) in de regeling {}: "
                                     "geen voorstel mogelijk", pl.col("_preg").fill_null("(geen regeling)")).alias("reden"))
    per_bh = per_bh.filter(pl.col("opschorting_max_weken").is_not_null())
    if per_bh.height == 0:
        return Opschorting([], nt if nt.height else leeg_nt)
    # the letter per (budgethouder, check): the finding's regeling first, else the budgethouder's
    art = ctx.artikelen.select("regeling_id", pl.col("check").cast(pl.String), "grondslag").drop_nulls("grondslag")
    letter = (ff.select("budgethouder_id", pl.col("check").cast(pl.String), "_freg")
              .join(per_bh.select("budgethouder_id", "_preg"), on="budgethouder_id")
              .join(art, left_on=["_freg", "check"], right_on=["regeling_id", "check"], how="left")
              .join(art.rename({"grondslag": "_g2"}), left_on=["_preg", "check"], right_on=["regeling_id", "check"],
                    how="left")
              .sort("budgethouder_id", "check", "grondslag", nulls_last=True)
              .group_by("budgethouder_id", "check", maintain_order=True)
              .agg(pl.coalesce(pl.col("grondslag").drop_nulls().first(), pl.col("_g2").drop_nulls().first())
                   .alias("letter")))
    letters_by: dict[str, dict[str, str | None]] = {}
    for bh, c, g in letter.iter_rows():
        letters_by.setdefault(bh, {})[c] = g
    keep = per_bh.select("budgethouder_id")
    drop = [c for c in ff.columns if c.startswith("_")]
    # `check` is the check table's Enum: sorting on it follows report order
    per_findings = (ff.join(keep, on="budgethouder_id", how="semi")
                    .sort(["budgethouder_id", "check", "periode_van", "finding_id"], nulls_last=True)
                    .drop(drop).partition_by("budgethouder_id", as_dict=True, maintain_order=True))
    regs = {r.id: r for r in ctx.regelingen}
    out: list[Voorstel] = []
    for row in per_bh.iter_rows(named=True):   # one object per proposal: the data work is done above
        bh = row["budgethouder_id"]
        checks = sort_codes(set(row["_checks"]))
        letters = {c: letters_by.get(bh, {}).get(c) for c in checks}
        zvs = row["_zvs"]
        gedeeltelijk = row["_zonder_zv"] == 0 and len(zvs) == 1
        weken = int(row["opschorting_max_weken"])
        start, eind = window(dag, weken)
        reg = regs.get(row["_preg"])
        artikel = opschorting_artikel(reg)
        redenen = (["drempel"] if row["_drempel_hit"] else []) + (["altijd"] if row["_altijd"] else [])
        out.append(Voorstel(
            budgethouder_id=bh, zorgverlener_id=zvs[0] if gedeeltelijk else None,
            omvang="gedeeltelijk" if gedeeltelijk else "geheel", ingangsdatum=start, einddatum=eind,
            weken=weken, checks=checks, financieel_effect_ct=int(row["_som"]),
            grondslag=grondslag_tekst(artikel, letters, checks), regeling_id=row["_preg"],
            opschorting_artikel=artikel, letters=letters, redenen=redenen,
            drempel_ct=row["opschorting_drempel_ct"], findings=per_findings[(bh,)],
            gemeente_code=reg.gemeente_code if reg else None))
    return Opschorting(out, nt if nt.height else leeg_nt)


def csv_frame(vs: list[Voorstel]) -> pl.DataFrame:
    """The rows of opschorting_voorstellen.csv (text, in the exact column order)."""
    rows = [(v.budgethouder_id, v.zorgverlener_id or "", v.omvang, v.ingangsdatum.isoformat(),
             v.einddatum.isoformat(), str(v.weken), ";".join(v.checks), formatting.eur_csv(v.financieel_effect_ct),
             v.grondslag) for v in vs]
    return pl.DataFrame(rows, schema={c: pl.String for c in CSV_COLUMNS}, orient="row")
