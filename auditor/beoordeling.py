"""Judging zaken and showing the werkruimte: `pgb-audit zaak beoordeel | lijst | importeer` and
`pgb-audit werkruimte toon` (docs/workspace.md).

Every judgement is a new row of the werkruimte's `oordelen` table, with its time, the run it
was made after and the zaak's *vingerafdruk* at that moment (nothing is overwritten: the rows
of a zaak are its audit trail). A zaak whose vingerafdruk changed since its latest judgement is
"gewijzigd na beoordeling" and counts again (`auditor.zaken`).

The name in `--door` (or the Door column) is personal data of staff: it is stored, shown by
`zaak lijst --toon-door` only, and never written into messages or logs.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from auditor import zaken as zk
from auditor.errors import InvoerFout
from auditor.formatting import eur_nl, nl_datum
from auditor.registry import check_rank
from auditor.tables import TABLE_ORDER
from auditor.werkruimte import DB_NAAM, Snapshot, db_pad, lees, lopend, schrijvend

LIJST_KOLOMMEN = ["zaak_id", "check", "budgethouder_id", "zorgverlener_id", "toekenning_id", "jaar", "status",
                  "bevindingen", "financieel_effect_ct", "oordeel", "notitie", "tijd", "gewijzigd_na_beoordeling"]


def _bestaand(pad: str | Path) -> Snapshot:
    pad = Path(pad)
    if not db_pad(pad).exists():
        raise InvoerFout(f"werkruimte {pad}: geen werkruimte gevonden ({DB_NAAM} ontbreekt).")
    return lees(pad)


def _zaak_status(bev: pl.DataFrame) -> pl.DataFrame:
    """zaak_id, status from stored findings of one run (a migrated run may mix finding statuses)."""
    return bev.group_by("zaak_id").agg(
        pl.when(pl.col("status").n_unique() == 1).then(pl.col("status").first())
        .otherwise(pl.lit("gewijzigd")).alias("status"))


def register(snap: Snapshot) -> pl.DataFrame:
    """The zaken of the latest run with their status, plus the zaken of the run before it that
    vanished (`opgelost`), each with its latest judgement (LIJST_KOLOMMEN)."""
    leeg = pl.DataFrame(schema={**{k: zk.ZAAK_SCHEMA.get(k, pl.String) for k in LIJST_KOLOMMEN},
                                "gewijzigd_na_beoordeling": pl.Boolean})
    if snap.laatste_run is None:
        return leeg
    laatste = snap.laatste_run
    bev = snap.bevindingen
    nu = bev.filter(pl.col("run_id") == laatste)
    huidig = zk.zaken(nu).join(_zaak_status(nu), on="zaak_id", how="left")
    eerder = snap.runs.filter(pl.col("run_id") < laatste)
    delen = [huidig]
    if eerder.height:
        vorige = int(eerder["run_id"].max())
        gedraaid = json.loads(snap.runs.filter(pl.col("run_id") == laatste)["controles"][0] or "[]")
        weg = bev.filter((pl.col("run_id") == vorige) & pl.col("check").is_in(gedraaid)
                         & ~pl.col("zaak_id").is_in(huidig["zaak_id"].implode()))
        delen.append(zk.zaken(weg).with_columns(pl.lit("opgelost").alias("status")))
    alle = pl.concat(delen)
    b = zk.beoordeling(alle, snap.oordelen)
    out = alle.join(b, on="zaak_id", how="left").with_columns(
        pl.col("gewijzigd_na_beoordeling").fill_null(False))
    rank = {c: check_rank(c) for c in set(out["check"].to_list())}
    return out.sort(pl.col("check").replace_strict(rank, return_dtype=pl.Int64), "budgethouder_id", "zaak_id",
                    nulls_last=True).select(LIJST_KOLOMMEN)


def lijst(pad: str | Path, status: str | None = None, oordeel: str | None = None) -> pl.DataFrame:
    """`zaak lijst`: the register, filtered on status and/or latest judgement (`geen`: none yet)."""
    r = register(_bestaand(pad))
    if status:
        r = r.filter(pl.col("status") == status)
    if oordeel == "geen":
        r = r.filter(pl.col("oordeel").is_null())
    elif oordeel:
        r = r.filter(pl.col("oordeel") == oordeel)
    return r


def _vingerafdrukken(snap: Snapshot) -> dict[str, tuple[int, str]]:
    """zaak_id -> (run, vingerafdruk) in the latest run the zaak was found in."""
    bev = snap.bevindingen
    if bev.height == 0:
        return {}
    per = pl.concat([zk.zaken(g).select(pl.lit(r, dtype=pl.Int64).alias("run_id"), "zaak_id", "vingerafdruk")
                     for (r,), g in bev.partition_by("run_id", as_dict=True).items()])
    per = per.sort("run_id").group_by("zaak_id").last()
    return {z: (r, v) for r, z, v in per.select("run_id", "zaak_id", "vingerafdruk").iter_rows()}


def _controleer_oordeel(oordeel: str, waar: str) -> str:
    o = (oordeel or "").strip().lower()
    if o not in zk.OORDELEN:
        raise InvoerFout(f"{waar}: onbekend oordeel; kies uit {', '.join(zk.OORDELEN)}.")
    return o


def importeer(pad: str | Path, rijen: list[tuple[str, str, str, str | None, str | None]], nu: str | None = None
              ) -> tuple[int, int]:
    """Record judgements (waar, zaak_id, oordeel, notitie, door) in ONE transaction, after checking
    every row (`waar` names the file, row and column for a message). A row equal to the zaak's
    latest judgement of an unchanged zaak is skipped. Returns (recorded, skipped)."""
    snap = _bestaand(pad)
    va = _vingerafdrukken(snap)
    last = {r["zaak_id"]: r for r in zk.laatste_oordelen(snap.oordelen).iter_rows(named=True)}
    tijd = nu or datetime.now(timezone.utc).isoformat(timespec="seconds")
    nieuw = []
    for waar, zaak_id, oordeel, notitie, door in rijen:
        zaak_id = (zaak_id or "").strip()
        if zaak_id not in va:
            raise InvoerFout(f"{waar}: zaak {zaak_id or '(leeg)'} staat niet in de werkruimte; "
                             "neem de zaak over uit `pgb-audit zaak lijst` of het tabblad Zaken.")
        o = _controleer_oordeel(oordeel, waar)
        notitie = (notitie or "").strip() or None
        door = (door or "").strip() or None
        run, v = va[zaak_id]
        vorig = last.get(zaak_id)
        if vorig and (vorig["oordeel"], vorig["notitie"], vorig["door"], vorig["vingerafdruk"]) == (o, notitie, door, v):
            continue
        nieuw.append((zaak_id, tijd, o, notitie, door, snap.laatste_run, v))
        last[zaak_id] = {"oordeel": o, "notitie": notitie, "door": door, "vingerafdruk": v}
    if nieuw:
        with schrijvend(pad) as con:
            con.executemany("INSERT INTO oordelen (zaak_id, tijd, oordeel, notitie, door, run_id, vingerafdruk) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", nieuw)
    return len(nieuw), len(rijen) - len(nieuw)


def beoordeel(pad: str | Path, zaak_id: str, oordeel: str, notitie: str | None = None, door: str | None = None,
              nu: str | None = None) -> int:
    """`zaak beoordeel`: record one judgement; returns 1 when recorded, 0 when it repeats the latest."""
    return importeer(pad, [("--oordeel", zaak_id, oordeel, notitie, door)], nu)[0]


def lijst_tekst(df: pl.DataFrame) -> str:
    """The register as Dutch text lines (no names of staff)."""
    if df.height == 0:
        return "Geen zaken.\n"
    out = [f"{'zaak':<16}  {'controle':<18} {'budgethouder':<14} {'status':<12} {'bev.':>5} {'euro':>14}  oordeel"]
    for r in df.iter_rows(named=True):
        o = r["oordeel"] or "-"
        if r["gewijzigd_na_beoordeling"]:
            o += f" ({zk.GEWIJZIGD_NA_BEOORDELING})"
        out.append(f"{r['zaak_id']:<16}  {r['check']:<18} {(r['budgethouder_id'] or '')[:14]:<14} {r['status']:<12} "
                   f"{r['bevindingen']:>5} {eur_nl(int(r['financieel_effect_ct'] or 0)):>14}  {o}")
    return "\n".join(out) + "\n"


def toon(pad: str | Path) -> str:
    """What the werkruimte holds, in Dutch (for `pgb-audit werkruimte toon`)."""
    pad = Path(pad)
    if not db_pad(pad).exists():
        raise InvoerFout(f"werkruimte {pad}: geen werkruimte gevonden ({DB_NAAM} ontbreekt).")
    snap = lees(pad)
    out = [f"Werkruimte {pad}"]
    if snap.runs.height == 0:
        out.append("Nog geen runs.")
        return "\n".join(out) + "\n"
    out.append("")
    out.append(f"Runs ({snap.runs.height}):")
    out.append(f"  {'run':>4}  {'datum':<10}  {'peildatum':<10}  {'batch':<24} {'nieuw':>7} {'gewijzigd':>9} "
               f"{'bevindingen':>11}")
    for r in snap.runs.iter_rows(named=True):
        t = json.loads(r["rijen"])
        out.append(f"  {r['run_id']:>4}  {r['tijd'][:10]:<10}  {nl_datum(r['peildatum']):<10}  "
                   f"{r['batch'][:24]:<24} {sum(x['nieuw'] for x in t.values()):>7} "
                   f"{sum(x['gewijzigd'] for x in t.values()):>9} {r['bevindingen']:>11}")
    d = snap.rijen["declaraties"]
    out.append("")
    if d.height:
        per = d.group_by(pl.col("datum_van").dt.strftime("%Y-%m").alias("m")).len().sort("m")
        out.append(f"Periode van de declaraties: {nl_datum(d['datum_van'].min())} t/m "
                   f"{nl_datum(d['datum_van'].max())} (datum_van); maanden: "
                   + ", ".join(f"{m} ({n})" for m, n in per.iter_rows()))
    else:
        out.append("Geen declaraties in de werkruimte.")
    out.append("")
    out.append("Rijen per tabel:")
    for name in TABLE_ORDER:
        out.append(f"  {name:<20} {snap.rijen[name].height:>9}")
    laatste = snap.laatste_run
    open_ = snap.bevindingen.filter(pl.col("run_id") == laatste)
    out.append("")
    out.append(f"Openstaande bevindingen (laatste run {laatste}): {open_.height}")
    if open_.height:
        per = (open_.group_by("check").agg(pl.len().alias("n"),
                                           pl.col("financieel_effect_ct").fill_null(0).sum().alias("e"),
                                           (pl.col("status") == "nieuw").sum().alias("nieuw"))
               .sort("check"))
        for c, n, e, nw in sorted(per.iter_rows(), key=lambda r: (check_rank(r[0]), r[0])):
            woord = "bevinding " if n == 1 else "bevindingen"
            out.append(f"  {c:<18} {n:>6} {woord} ({nw} nieuw), {eur_nl(int(e)):>14} euro")
    pd = snap.runs.filter(pl.col("run_id") == laatste)["peildatum"][0]
    lp = lopend(snap.voorstellen, pd)
    out.append("")
    out.append(f"Lopende opschortingsvoorstellen (op {nl_datum((pd + timedelta(days=1)))}): {lp.height}")
    for r in lp.iter_rows(named=True):
        zv = f", zorgverlener {r['zorgverlener_id']}" if r["zorgverlener_id"] else ""
        out.append(f"  {r['budgethouder_id']}: {r['omvang']}{zv}, {nl_datum(r['ingangsdatum'])} t/m "
                   f"{nl_datum(r['einddatum'])} ({r['weken']} weken), {r['checks']}, "
                   f"{eur_nl(int(r['financieel_effect_ct']))} euro (run {r['run_id']})")
    afgelopen = snap.voorstellen.filter(pl.col("einddatum") < pd + timedelta(days=1)).sort("budgethouder_id", "run_id")
    out.append(f"Afgelopen opschortingsvoorstellen: {afgelopen.height}")
    for r in afgelopen.iter_rows(named=True):
        out.append(f"  {r['budgethouder_id']}: {r['omvang']}, {nl_datum(r['ingangsdatum'])} t/m "
                   f"{nl_datum(r['einddatum'])}, {r['checks']} (run {r['run_id']})")
    reg = register(snap)
    out.append("")
    out.append(f"Zaken (laatste run {laatste}, met opgelost sinds de run ervoor): {reg.height}")
    if reg.height:
        t = (reg.with_columns(pl.col("oordeel").fill_null("geen oordeel"))
             .group_by("status", "oordeel").agg(pl.len().alias("n"), pl.col("financieel_effect_ct").sum().alias("e"),
                                                pl.col("gewijzigd_na_beoordeling").sum().alias("g")))
        volgorde = {s: i for i, s in enumerate(zk.STATUSSEN)}
        for st, o, n, e, g in sorted(t.iter_rows(), key=lambda r: (volgorde.get(r[0], 9), r[1])):
            extra = f", waarvan {g} {zk.GEWIJZIGD_NA_BEOORDELING}" if g else ""
            out.append(f"  {st:<12} {o:<14} {n:>6} {'zaak ' if n == 1 else 'zaken'} {eur_nl(int(e)):>14} euro{extra}")
    return "\n".join(out) + "\n"
