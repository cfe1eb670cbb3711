"""rapport.html: one self-contained page (inline CSS, JS and SVG; no network) in Dutch."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from auditor import __version__
from auditor.audit import meldingen
from auditor.reports import datatabel, svg
from auditor.formatting import eur, nl_datum, qty_nl
from auditor.reports.common import mask_bsn
from auditor.reports.letters import environment, template_dir
from auditor.reports.model import Model
from auditor.reports.zaakregister import html_context as zaakregister_context
from auditor.reports.rechtmatigheid import html_context as rechtmatigheid_context

MAX_QUARANTAINE = 5000     # quarantined rows shown in the page (all of them are in quarantaine.csv / xlsx)
MAX_DOSSIERS = 100         # dossiers for the cases with the most euros at stake
BEGIN_HIER = 25            # zaken in "Begin hier"
TIJDZONE = ZoneInfo("Europe/Amsterdam")
ERNST_RANG = {"hoog": 3, "midden": 2, "laag": 1}

#: Dutch words for the codes of the input contract (anything else: underscores become spaces)
WOORDEN = {
    "begeleiding_individueel": "individuele begeleiding", "behandeling_individueel": "individuele behandeling",
    "begeleiding_groep": "groepsbegeleiding", "behandeling_groep": "groepsbehandeling",
    "persoonlijke_verzorging": "persoonlijke verzorging", "kortdurend_verblijf": "kortdurend verblijf",
    "wonen_verblijf": "wonen en verblijf", "sociaal_netwerk": "sociaal netwerk",
    "overig_niet_professioneel": "overig, niet professioneel", "zzp": "zzp'er",
    "wettelijk_vertegenwoordiger": "wettelijk vertegenwoordiger", "geheel": "geheel (alle zorgverleners)",
    "zorgverlener": "één zorgverlener", "budgethouder": "budgethouder", "fout": "fout",
    "onzekerheid": "onzekerheid", "signaal": "signaal",
}

#: sections other reports add (issues 16, 18): (anchor, title in the menu), in page order before
#: "Geschiedenis"; each has a partial `templates/<anchor>.html.j2` included from rapport.html.j2
EXTRA_SECTIES: list[tuple[str, str]] = []


def woord(code: str | None) -> str:
    if code is None:
        return ""
    return WOORDEN.get(code, code.replace("_", " "))


def aantal(n: int | None) -> str:
    """A count with thousands dots: 395.008."""
    return "" if n is None else f"{int(n):,}".replace(",", ".")


def lokale_tijd(iso: str) -> str:
    """run.json's UTC time as Dutch local time (Europe/Amsterdam): `01-12-2026 23:14`."""
    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if t.tzinfo is None:
        return t.strftime("%d-%m-%Y %H:%M")
    return t.astimezone(TIJDZONE).strftime("%d-%m-%Y %H:%M")


def brief_naam(soort: str, budgethouder_id: str) -> str:
    """brieven/<soort>_<id>.html, the id reduced to [A-Za-z0-9_-] as the letters do."""
    base = re.sub(r"[^A-Za-z0-9_-]", "_", budgethouder_id)[:80] or "_"
    return f"brieven/{soort}_{base}.html"
MAX_REGELS_DOSSIER = 100
MAX_CLUSTERS = 12          # clusters drawn (the largest ones)
MIN_CLUSTER_NODES = 3


qty = qty_nl


def cel(v, sort=None, cls: str | None = None) -> dict:
    return {"v": "" if v is None else str(v), "s": sort, "c": cls}


def geld(ct: int | None) -> dict:
    return cel(eur(ct), ct if ct is not None else 0, "num")


def getal(n: int | None) -> dict:
    return cel(aantal(n), n if n is not None else 0, "num")


def datum(d) -> dict:
    return cel(nl_datum(d), d.isoformat() if d else "")


def periode(van, tot) -> str:
    if van is None:
        return ""
    return nl_datum(van) if van == tot or tot is None else f"{nl_datum(van)} t/m {nl_datum(tot)}"


def _ernst_rang() -> pl.Expr:
    return pl.col("ernst").cast(pl.String).replace_strict(ERNST_RANG, default=0, return_dtype=pl.Int8)


def groepen(m: Model) -> pl.DataFrame:
    """Findings grouped per budgethouder and check, ranked by euros: one row per group."""
    f = m.findings
    return (f.with_columns(_ernst_rang().alias("_er"), pl.col("financieel_effect_ct").fill_null(0).alias("_e"))
            .group_by("budgethouder_id", "check")
            .agg(pl.col("_e").sum().alias("effect_ct"), pl.len().alias("n"),
                 pl.col("soort").first().alias("soort"), pl.col("_er").max().alias("_er"),
                 pl.col("zorgverlener_id").drop_nulls().n_unique().alias("zorgverleners"),
                 pl.col("periode_van").min().alias("van"), pl.col("periode_tot").max().alias("tot"),
                 pl.col("toelichting").first().alias("toelichting"))
            .with_columns(pl.col("check").cast(pl.String),
                          pl.col("_er").replace_strict({3: "hoog", 2: "midden", 1: "laag"}, default="",
                                                       return_dtype=pl.String).alias("ernst"),
                          pl.col("budgethouder_id").fill_null(""))
            .sort(["effect_ct", "n", "budgethouder_id", "check"], descending=[True, True, False, False])
            .with_row_index("groep"))


def bevindingen_data(m: Model, g: pl.DataFrame) -> tuple[dict, dict]:
    """The groups and all findings as page data (datatabel); each finding knows its group."""
    f = (m.findings.with_columns(pl.col("check").cast(pl.String), pl.col("budgethouder_id").fill_null(""),
                                 pl.col("financieel_effect_ct").fill_null(0).alias("_e"))
         .with_row_index("_n")
         .join(g.select("budgethouder_id", "check", "groep"), on=["budgethouder_id", "check"], how="left")
         .sort(["_e", "_n"], descending=[True, False]))
    w = m.a.werkruimte
    kol = [("Controle", "check", "tekst"), ("Soort", "soort", "tekst"), ("Ernst", "ernst", "tekst"),
           ("Budgethouder", "budgethouder_id", "tekst"), ("Zorgverlener", "zorgverlener_id", "tekst"),
           ("Van", "periode_van", "datum"), ("Tot en met", "periode_tot", "datum"),
           ("Financieel effect", "_e", "geld"), ("Artikel", "artikel", "tekst"), ("Toelichting", "toelichting", "tekst")]
    if w is not None:
        f = f.join(w.status.select("finding_id", "status"), on="finding_id", how="left")
        kol.append(("Status", "status", "tekst"))
    f = f.with_columns(pl.col(c).cast(pl.String) for c in ("soort", "ernst"))
    gk = [("Budgethouder", "budgethouder_id", "tekst"), ("Controle", "check", "tekst"), ("Titel", "titel", "tekst"),
          ("Soort", "soort", "tekst"), ("Ernst", "ernst", "tekst"), ("Bevindingen", "n", "getal"),
          ("Zorgverleners", "zorgverleners", "getal"), ("Van", "van", "datum"), ("Tot en met", "tot", "datum"),
          ("Financieel effect", "effect_ct", "geld"), ("Toelichting (eerste)", "toelichting", "tekst")]
    g = g.with_columns(pl.col("check").replace_strict(m.titels, default=pl.col("check"), return_dtype=pl.String)
                       .alias("titel"), pl.col("soort").cast(pl.String))
    return (datatabel.tabel(g, gk),
            datatabel.tabel(f, kol, groep=f["groep"].to_list()))


def begin_hier(m: Model) -> list[dict]:
    """The zaken to start with: ranked by euros, then urgency (a fout, the highest ernst), each
    with its next step and links to its dossier and letters."""
    c = m.casussen
    if c.height == 0:
        return []
    urg = (m.findings.filter(pl.col("budgethouder_id").is_not_null())
           .group_by("budgethouder_id").agg(_ernst_rang_max(), (pl.col("soort") == "fout").any().alias("fout"),
                                            (pl.col("check").cast(pl.String) != "BETALING").any().alias("niet_alleen_svb")))
    top = (c.join(urg, on="budgethouder_id", how="left")
           .sort(["effect_ct", "fout", "_er", "rang"], descending=[True, True, True, False], nulls_last=True)
           .head(BEGIN_HIER))
    out = []
    for r in top.iter_rows(named=True):
        b = r["budgethouder_id"]
        if r["voorstel"]:
            stap = "opschorting voorstellen"
            uitleg = "Beoordeel het voorstel en stuur het verzoek aan de SVB en de kennisgeving aan de budgethouder."
            brieven = [("verzoek aan de SVB", brief_naam("verzoek_svb", b)),
                       ("kennisgeving", brief_naam("kennisgeving", b))]
        elif not r["niet_alleen_svb"]:
            stap, uitleg, brieven = "navragen bij de SVB", "Vraag de SVB hoe deze betalingen tot stand kwamen.", []
        else:
            stap = "onderzoeken"
            uitleg = ("Bekijk de declaraties in het dossier; vraag zo nodig de budgethouder om onderbouwing."
                      if r["fout"] else "Onzeker: zoek uit of de zorg is geleverd zoals gedeclareerd.")
            brieven = []
        out.append({"rang": r["rang"], "id": b, "naam": r["naam"] or "", "effect": eur(r["effect_ct"]),
                    "bevindingen": aantal(r["bevindingen"]), "checks": r["checks"].replace(";", ", "),
                    "ernst": {3: "hoog", 2: "midden", 1: "laag"}.get(r["_er"] or 0, ""),
                    "stap": stap, "uitleg": uitleg, "brieven": brieven,
                    "dossier": f"#dossier-{r['rang']}" if r["rang"] <= MAX_DOSSIERS else None})
    return out


def _ernst_rang_max() -> pl.Expr:
    return _ernst_rang().max().alias("_er")


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
            "rang": c["rang"], "id": b, "naam": info.get("naam"), "gemeente": info.get("gemeente_code"),
            "bsn": info.get("bsn") or "", "effect": eur(c["effect_ct"]), "voorstel": c["voorstel"],
            "bevindingen": [{"check": r["check"], "titel": m.titels.get(r["check"], r["check"]), "soort": woord(r["soort"]),
                             "artikel": r["artikel"] or "", "toelichting": r["toelichting"] or "",
                             "periode": periode(r["periode_van"], r["periode_tot"]),
                             "effect": eur(r["financieel_effect_ct"] or 0), "zv": r["zorgverlener_id"] or ""}
                            for r in fl.sort("financieel_effect_ct", descending=True, nulls_last=True,
                                             maintain_order=True).head(MAX_REGELS_DOSSIER).iter_rows(named=True)],
            "bevindingen_meer": max(0, fl.height - MAX_REGELS_DOSSIER),
            "regels": [{"id": r["declaratie_id"], "zv": r["zorgverlener_id"], "periode": periode(r["datum_van"], r["datum_tot"]),
                        "product": r["product_code"], "categorie": woord(r["categorie"]), "aantal": qty(r["aantal_e4"]),
                        "tarief": eur(r["tarief_ct"]), "bedrag": eur(r["bedrag_ct"]), "omschrijving": r.get("omschrijving") or "",
                        "land": r.get("land") or ""}
                       for r in ll.head(MAX_REGELS_DOSSIER).iter_rows(named=True)],
            "regels_meer": max(0, ll.height - MAX_REGELS_DOSSIER),
            "relaties": [{"rol": woord(r["rol"]), "naam": r["naam"], "bsn": r.get("bsn") or "",
                          "periode": periode(r.get("ingangsdatum"), r.get("einddatum"))}
                         for r in rp.get((b,), m.relaties.head(0)).iter_rows(named=True)],
            "zorgverleners": [{"id": r["zorgverlener_id"], "naam": r["naam"] or "", "soort": woord(r["soort"])}
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
    cas = datatabel.tabel(m.casussen.with_columns(pl.col("voorstel").map_elements(woord, return_dtype=pl.String),
                                                  pl.col("checks").str.replace_all(";", ", ")),
                          [("#", "rang", "getal"), ("Klantnummer", "budgethouder_id", "tekst"), ("Naam", "naam", "tekst"),
                           ("Gemeente", "gemeente_code", "tekst"), ("Financieel effect", "effect_ct", "geld"),
                           ("Bevindingen", "bevindingen", "getal"), ("Zorgverleners", "zorgverleners", "getal"),
                           ("Controles", "checks", "tekst"), ("Voorstel opschorting", "voorstel", "tekst")])
    zvs = datatabel.tabel(m.zorgverleners.with_columns(
        pl.col("soort").replace_strict(WOORDEN, default=pl.col("soort").str.replace_all("_", " "), return_dtype=pl.String),
        pl.col("checks").str.replace_all(";", ", ")),
        [("#", "rang", "getal"), ("Id", "zorgverlener_id", "tekst"), ("Naam", "naam", "tekst"), ("Soort", "soort", "tekst"),
         ("Financieel effect", "effect_ct", "geld"), ("Bevindingen", "bevindingen", "getal"),
         ("Budgethouders met bevinding", "budgethouders_met_bevinding", "getal"), ("Budgethouders", "budgethouders", "getal"),
         ("Gedeclareerd", "gedeclareerd_ct", "geld"), ("Controles", "checks", "tekst")])
    vs_rows = [[cel(v.budgethouder_id), cel(v.zorgverlener_id or ""), cel(woord(v.omvang)), datum(v.ingangsdatum),
                datum(v.einddatum), getal(v.weken), cel(";".join(v.checks)), geld(v.financieel_effect_ct),
                cel(v.grondslag)] for v in m.opschorting.voorstellen]
    aan_rows = [[cel(x["gemeente_code"]), cel(x["wet"]), cel(x["categorie"]), geld(x["toegekend_ct"]),
                 geld(x["gedeclareerd_ct"]), geld(x["betaald_ct"]), geld(x["toegekend_ct"] - x["gedeclareerd_ct"]),
                 geld(x["gedeclareerd_ct"] - x["betaald_ct"])] for x in aan.tabel.iter_rows(named=True)]
    qd = datatabel.tabel(q.with_columns(pl.col("rij").cast(pl.Int64)),
                         [("Tabel", "tabel", "tekst"), ("Rij", "rij", "getal"), ("Redenen", "redenen", "tekst"),
                          ("Inhoud", "inhoud", "tekst")])
    g = groepen(m)
    gdata, fdata = bevindingen_data(m, g)
    inputs = [[cel(i["table"]), cel(i["path"]), getal(i["rows_read"]), getal(i["rows_audited"]),
               getal(i["rows_quarantined"]), cel(i["sha256"])] for i in m.run["inputs"]]
    grafiek = svg.staafdiagram([(f"{x['check']}", x["effect_ct"]) for x in m.per_check.iter_rows(named=True)],
                               "Financieel effect per controle")
    return {
        "versie": __version__, "run": m.run, "peildatum": nl_datum(a.peildatum),
        "periode": periode(*m.periode), "gemeenten": list(m.gemeenten.iter_rows(named=True)),
        "regelingen": [{"id": x.id, "naam": x.naam, "sha256": x.sha256} for x in m.regelingen],
        "bedragen": {k: eur(v) for k, v in m.bedragen.items()},
        "aantal_bevindingen": aantal(m.findings.height), "aantal_groepen": aantal(g.height),
        "begin_hier": begin_hier(m), "meldingen": meldingen(a), "extra_secties": EXTRA_SECTIES,
        "gestart": lokale_tijd(m.run["started"]), "klaar": lokale_tijd(m.run["ended"]),
        "data": {"groepen": datatabel.script(gdata), "bevindingen": datatabel.script(fdata),
                 "casussen": datatabel.script(cas), "zorgverleners": datatabel.script(zvs),
                 "quarantaine": datatabel.script(qd)},
        "aantal_casussen": m.casussen.height,
        "totaal_effect": eur(int(m.findings["financieel_effect_ct"].fill_null(0).sum())),
        "aantal_regels": aantal(m.lines.height), "quarantaine_totaal": aantal(q.height), "qcount": qcount,
        "per_check": per_check_rows, "nt_redenen": nt_redenen, "grafiek": grafiek,
        "werkruimte": werkruimte_context(m),
        "zaakregister": zaakregister_context(m),
        "dossiers": dossiers(m), "max_dossiers": MAX_DOSSIERS, "netwerken": netwerk_plaatjes(m), "clusters_aanwezig": m.clusters is not None,
        "voorstellen": vs_rows, "opschorting_nt": list(m.opschorting.niet_toetsbaar.iter_rows()),
        "rmc": rechtmatigheid_context(m),
        "aan_rows": aan_rows,
        "aan_tot": {"toegekend": eur(aan.toegekend_ct), "gedeclareerd": eur(aan.gedeclareerd_ct), "betaald": eur(aan.betaald_ct),
                    "v1": eur(aan.toegekend_ct - aan.gedeclareerd_ct), "v2": eur(aan.gedeclareerd_ct - aan.betaald_ct)},
        "aan_invoer": {k: eur(v) for k, v in aan.invoer.items()},
        "aan_klopt": aan.invoer == {"toegekend_ct": aan.toegekend_ct, "gedeclareerd_ct": aan.gedeclareerd_ct,
                                    "betaald_ct": aan.betaald_ct},
        "inputs": inputs, "toon_bsn": a.toon_bsn,
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
