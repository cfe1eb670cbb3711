"""rapport.html: one self-contained page (inline CSS, JS and SVG; no network) in Dutch."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from auditor import __version__
from auditor.reports import svg
from auditor.formatting import eur, nl_datum, qty_nl
from auditor.reports.common import mask_bsn
from auditor.reports.letters import environment, template_dir
from auditor.reports.model import Model
from auditor.reports.zaakregister import html_context as zaakregister_context
from auditor.reports.rechtmatigheid import html_context as rechtmatigheid_context

MAX_BEVINDINGEN = 5000     # rows of the findings table in the page (all of them are in findings.csv / xlsx)
MAX_DOSSIERS = 100         # dossiers for the cases with the most euros at stake
MAX_REGELS_DOSSIER = 100
MAX_CLUSTERS = 12          # clusters drawn (the largest ones)
MIN_CLUSTER_NODES = 3


qty = qty_nl


def cel(v, sort=None, cls: str | None = None) -> dict:
    return {"v": "" if v is None else str(v), "s": sort, "c": cls}


def geld(ct: int | None) -> dict:
    return cel(eur(ct), ct if ct is not None else 0, "num")


def getal(n: int | None) -> dict:
    return cel(n, n if n is not None else 0, "num")


def datum(d) -> dict:
    return cel(nl_datum(d), d.isoformat() if d else "")


def periode(van, tot) -> str:
    if van is None:
        return ""
    return nl_datum(van) if van == tot or tot is None else f"{nl_datum(van)} t/m {nl_datum(tot)}"


def _findings_rows(m: Model, f: pl.DataFrame, met_bh: bool = True) -> list[list[dict]]:
    rows = []
    for r in f.iter_rows(named=True):
        row = [cel(r["check"]), cel(r["soort"]), cel(r["ernst"])]
        if met_bh:
            row.append(cel(r["budgethouder_id"]))
        row += [cel(r["zorgverlener_id"]), cel(periode(r["periode_van"], r["periode_tot"]),
                                               r["periode_van"].isoformat() if r["periode_van"] else ""),
                geld(r["financieel_effect_ct"]), cel(r["artikel"]), cel(r["toelichting"])]
        rows.append(row)
    return rows


def _met_status(m: Model, rows: list[list[dict]], f: pl.DataFrame) -> list[list[dict]]:
    """With a werkruimte every row of 'Alle bevindingen' ends in its status."""
    w = m.a.werkruimte
    if w is None:
        return rows
    st = dict(w.status.select("finding_id", "status").iter_rows())
    return [row + [cel(st.get(fid, ""))] for row, fid in zip(rows, f["finding_id"].to_list())]


def dossiers(m: Model) -> list[dict]:
    top = m.casussen.head(MAX_DOSSIERS)["budgethouder_id"].to_list()
    if not top:
        return []
    f = m.findings.filter(pl.col("budgethouder_id").is_in(top))
    fparts = f.partition_by("budgethouder_id", as_dict=True, maintain_order=True)
    ids = f.select("budgethouder_id", pl.col("declaratie_ids").alias("declaratie_id")).explode("declaratie_id").drop_nulls().unique()
    lp = (m.lines.join(ids, on=["budgethouder_id", "declaratie_id"], how="semi").sort(["datum_van", "declaratie_id"])
          .partition_by("budgethouder_id", as_dict=True, maintain_order=True))
    rp = m.relaties.filter(pl.col("budgethouder_id").is_in(top)).partition_by("budgethouder_id", as_dict=True)
    zv_of = (pl.concat([f.select("budgethouder_id", "zorgverlener_id"),
                        m.lines.filter(pl.col("budgethouder_id").is_in(top)).select("budgethouder_id", "zorgverlener_id")])
             .drop_nulls().unique().join(m.zv.select("zorgverlener_id", "naam", "soort"), on="zorgverlener_id", how="left")
             .sort("zorgverlener_id").partition_by("budgethouder_id", as_dict=True))
    bhinfo = {r["budgethouder_id"]: r for r in m.budgethouders.iter_rows(named=True)}
    out = []
    for c in m.casussen.head(MAX_DOSSIERS).iter_rows(named=True):
        b = c["budgethouder_id"]
        info = bhinfo.get(b, {})
        fl = fparts.get((b,), f.head(0))
        ll = lp.get((b,), m.lines.head(0))
        out.append({
            "id": b, "naam": info.get("naam"), "gemeente": info.get("gemeente_code"),
            "bsn": info.get("bsn") or "", "effect": eur(c["effect_ct"]), "voorstel": c["voorstel"],
            "bevindingen": [{"check": r["check"], "titel": m.titels.get(r["check"], r["check"]), "soort": r["soort"],
                             "artikel": r["artikel"] or "", "toelichting": r["toelichting"] or "",
                             "periode": periode(r["periode_van"], r["periode_tot"]),
                             "effect": eur(r["financieel_effect_ct"] or 0), "zv": r["zorgverlener_id"] or ""}
                            for r in fl.iter_rows(named=True)],
            "regels": [{"id": r["declaratie_id"], "zv": r["zorgverlener_id"], "periode": periode(r["datum_van"], r["datum_tot"]),
                        "product": r["product_code"], "categorie": r["categorie"], "aantal": qty(r["aantal_e4"]),
                        "tarief": eur(r["tarief_ct"]), "bedrag": eur(r["bedrag_ct"]), "omschrijving": r.get("omschrijving") or "",
                        "land": r.get("land") or ""}
                       for r in ll.head(MAX_REGELS_DOSSIER).iter_rows(named=True)],
            "regels_meer": max(0, ll.height - MAX_REGELS_DOSSIER),
            "relaties": [{"rol": r["rol"], "naam": r["naam"], "bsn": r.get("bsn") or "",
                          "periode": periode(r.get("ingangsdatum"), r.get("einddatum"))}
                         for r in rp.get((b,), m.relaties.head(0)).iter_rows(named=True)],
            "zorgverleners": [{"id": r["zorgverlener_id"], "naam": r["naam"] or "", "soort": r["soort"] or ""}
                              for r in zv_of.get((b,), pl.DataFrame()).iter_rows(named=True)] if (b,) in zv_of else [],
        })
    return out


def netwerk_plaatjes(m: Model) -> list[dict]:
    c = m.clusters
    if c is None or c.height == 0:
        return []
    sizes = (c.group_by("cluster_id").agg(pl.len().alias("n"),
                                          (pl.col("node_type") == "budgethouder").sum().alias("bh"))
             .filter(pl.col("n") >= MIN_CLUSTER_NODES).sort(["n", "cluster_id"], descending=[True, False]))
    zvnaam = dict(m.zv.select("zorgverlener_id", "naam").iter_rows())
    out = []
    for cid, n, nbh in sizes.head(MAX_CLUSTERS).iter_rows():
        sub = c.filter(pl.col("cluster_id") == cid).sort(["node_type", "node_id"])
        nodes = []
        for t, nid, label in sub.select("node_type", "node_id", "label").iter_rows():
            if t == "zorgverlener" and label == nid and nid in zvnaam:
                label = f"{zvnaam[nid]} ({nid})"
            nodes.append({"id": f"{t}:{nid}", "type": t, "label": label})
        if m.edges is not None:   # NETWERK's own edges
            e = m.edges.filter(pl.col("cluster_id") == cid)
            edges = [(f"{vt}:{vi}", f"{nt}:{ni}") for vt, vi, nt, ni in
                     e.select("van_type", "van_id", "naar_type", "naar_id").iter_rows()]
        else:                     # no edges delivered: each budgethouder to every other node
            bhs = [x["id"] for x in nodes if x["type"] == "budgethouder"]
            rest = [x["id"] for x in nodes if x["type"] != "budgethouder"]
            edges = [(x, y) for x in bhs for y in rest]
        out.append({"id": cid, "knopen": n, "budgethouders": nbh,
                    "svg": svg.cluster(nodes, edges, f"Netwerk {cid}", m.a.toon_bsn)})
    return out


def werkruimte_context(m: Model) -> dict | None:
    """Status and history when the run used a werkruimte (docs/workspace.md); else None."""
    w = m.a.werkruimte
    if w is None:
        return None
    st = w.status
    runs = [[getal(r["run_id"]), cel(r["tijd"][:10]), datum(r["peildatum"]), cel(r["batch"]),
             getal(r["bevindingen"]), geld(r["effect_ct"])] for r in w.runs.iter_rows(named=True)]
    opg = [[cel(r["check"]), cel(r["budgethouder_id"]), cel(r["zorgverlener_id"]),
            cel(periode(r["periode_van"], r["periode_tot"])), geld(r["financieel_effect_ct"]),
            getal(r["laatst_gezien_run"]), cel(r["toelichting"])] for r in w.opgelost.iter_rows(named=True)]
    lp = m.opschorting.lopend
    lopend = [] if lp is None else [
        [cel(r["budgethouder_id"]), cel(r["zorgverlener_id"] or ""), cel(r["omvang"]), datum(r["ingangsdatum"]),
         datum(r["einddatum"]), getal(r["weken"]), cel(r["checks"]), geld(r["financieel_effect_ct"]),
         getal(r["run_id"])] for r in lp.iter_rows(named=True)]
    return {"pad": str(w.pad), "run_id": w.run_id, "herhaling_van": w.herhaling_van,
            "nieuw": int((st["status"] == "nieuw").sum()), "terugkerend": int((st["status"] == "terugkerend").sum()),
            "runs": runs, "opgelost": opg, "lopend": lopend,
            "rijen": w.plan.telling}


def context(m: Model) -> dict:
    a = m.a
    aan = m.aansluiting
    q = m.quarantaine
    qcount = {k: v["rows_quarantined"] for k, v in a.validated.counts.items()}
    per_check_rows = [[cel(x["check"]), cel(x["titel"]), getal(x["bevindingen"]), geld(x["effect_ct"]),
                       getal(x["niet_toetsbaar"])] for x in m.per_check.iter_rows(named=True)]
    nt_redenen = []
    for code, nt in a.result.niet_toetsbaar.items():
        if nt.height:
            for reden, n in nt.group_by("reden").len().sort(["len", "reden"], descending=[True, False]).head(5).iter_rows():
                nt_redenen.append([cel(code), cel(reden), getal(n)])
    cas_rows = [[getal(x["rang"]), cel(x["budgethouder_id"]), cel(x["naam"]), cel(x["gemeente_code"]), geld(x["effect_ct"]),
                 getal(x["bevindingen"]), getal(x["zorgverleners"]), cel(x["checks"]), cel(x["voorstel"])]
                for x in m.casussen.iter_rows(named=True)]
    zv_rows = [[getal(x["rang"]), cel(x["zorgverlener_id"]), cel(x["naam"]), cel(x["soort"]), geld(x["effect_ct"]),
                getal(x["bevindingen"]), getal(x["budgethouders_met_bevinding"]), getal(x["budgethouders"]),
                geld(x["gedeclareerd_ct"]), cel(x["checks"])] for x in m.zorgverleners.iter_rows(named=True)]
    vs_rows = [[cel(v.budgethouder_id), cel(v.zorgverlener_id or ""), cel(v.omvang), datum(v.ingangsdatum),
                datum(v.einddatum), getal(v.weken), cel(";".join(v.checks)), geld(v.financieel_effect_ct),
                cel(v.grondslag)] for v in m.opschorting.voorstellen]
    aan_rows = [[cel(x["gemeente_code"]), cel(x["wet"]), cel(x["categorie"]), geld(x["toegekend_ct"]),
                 geld(x["gedeclareerd_ct"]), geld(x["betaald_ct"]), geld(x["toegekend_ct"] - x["gedeclareerd_ct"]),
                 geld(x["gedeclareerd_ct"] - x["betaald_ct"])] for x in aan.tabel.iter_rows(named=True)]
    q_rows = [[cel(x["tabel"]), getal(x["rij"]), cel(x["redenen"]), cel(x["inhoud"])]
              for x in q.head(MAX_BEVINDINGEN).iter_rows(named=True)] if q.height else []
    inputs = [[cel(i["table"]), cel(i["path"]), getal(i["rows_read"]), getal(i["rows_audited"]),
               getal(i["rows_quarantined"]), cel(i["sha256"])] for i in m.run["inputs"]]
    grafiek = svg.staafdiagram([(f"{x['check']}", x["effect_ct"]) for x in m.per_check.iter_rows(named=True)],
                               "Financieel effect per controle")
    return {
        "versie": __version__, "run": m.run, "peildatum": nl_datum(a.peildatum),
        "periode": periode(*m.periode), "gemeenten": list(m.gemeenten.iter_rows(named=True)),
        "regelingen": [{"id": x.id, "naam": x.naam, "sha256": x.sha256} for x in m.regelingen],
        "bedragen": {k: eur(v) for k, v in m.bedragen.items()},
        "aantal_bevindingen": m.findings.height,
        "totaal_effect": eur(int(m.findings["financieel_effect_ct"].fill_null(0).sum())),
        "aantal_regels": m.lines.height, "quarantaine_totaal": q.height, "qcount": qcount,
        "per_check": per_check_rows, "nt_redenen": nt_redenen, "grafiek": grafiek,
        "bevindingen": _met_status(m, _findings_rows(m, m.findings.head(MAX_BEVINDINGEN)),
                                   m.findings.head(MAX_BEVINDINGEN)),
        "werkruimte": werkruimte_context(m),
        "zaakregister": zaakregister_context(m),
        "bevindingen_afgekapt": max(0, m.findings.height - MAX_BEVINDINGEN),
        "casussen": cas_rows, "dossiers": dossiers(m), "max_dossiers": MAX_DOSSIERS,
        "zorgverleners": zv_rows, "netwerken": netwerk_plaatjes(m), "clusters_aanwezig": m.clusters is not None,
        "voorstellen": vs_rows, "opschorting_nt": list(m.opschorting.niet_toetsbaar.iter_rows()),
        "rmc": rechtmatigheid_context(m),
        "aan_rows": aan_rows,
        "aan_tot": {"toegekend": eur(aan.toegekend_ct), "gedeclareerd": eur(aan.gedeclareerd_ct), "betaald": eur(aan.betaald_ct),
                    "v1": eur(aan.toegekend_ct - aan.gedeclareerd_ct), "v2": eur(aan.gedeclareerd_ct - aan.betaald_ct)},
        "aan_invoer": {k: eur(v) for k, v in aan.invoer.items()},
        "aan_klopt": aan.invoer == {"toegekend_ct": aan.toegekend_ct, "gedeclareerd_ct": aan.gedeclareerd_ct,
                                    "betaald_ct": aan.betaald_ct},
        "quarantaine": q_rows, "inputs": inputs, "toon_bsn": a.toon_bsn,
        "stages": m.run.get("stages_seconds", {}),
        "css": (template_dir() / "rapport.css").read_text(encoding="utf-8"),
        "js": (template_dir() / "rapport.js").read_text(encoding="utf-8"),
        "mask_bsn": mask_bsn,
    }


def render(m: Model) -> str:
    return environment().get_template("rapport.html.j2").render(**context(m))


def write(m: Model, path: Path, writer) -> Path:
    writer(path, render(m).encode("utf-8"))
    return path
