"""The controller's sections of rapport.html and rapport.xlsx: rechtmatigheid, budgetconfirmatie
(BADO B) and uitnutting per cliënt (BADO C).

The numbers are computed in `auditor.rechtmatigheid`, `auditor.budgetconfirmatie` and
`auditor.uitnutting`; this module only lays them out. rapport.html includes
`templates/_rechtmatigheid.html.j2` (with the context of `html_context`), rapport.xlsx calls
`bladen` for its sheets and `samenvatting_rijen` for its summary.
"""

from __future__ import annotations

from auditor import budgetconfirmatie as bcm
from auditor import uitnutting as uit
from auditor.formatting import dec, eur, nl_datum, pct, share
from auditor.rechtmatigheid import Rechtmatigheid

SHEETS = ["Rechtmatigheid", "Budgetconfirmatie", "Uitnutting"]


def _p(part: int, whole: int | None) -> str:
    return pct(part, whole) if whole else ""


def _oordeel_kort(r: Rechtmatigheid) -> tuple[str, str]:
    """(css class, sentence) for the verdict."""
    if r.binnen is None:
        zin = (f"Geen oordeel: fouten en onzekerheden zijn {_p(r.totaal_ct, r.basis_ct)} van de pgb-stroom "
               f"({eur(r.totaal_ct)}); voor een oordeel over de verantwoordingsgrens zijn de totale lasten van de "
               "gemeente nodig (--totale-lasten).")
        cls = "geen"
    else:
        zin = (f"{eur(r.totaal_ct)} aan fouten en onzekerheden, {r.oordeel} van "
               f"{pct(int(r.grens * 10000), 10000)} van de totale lasten ({eur(r.grens_bedrag_ct)}).")
        cls = "binnen" if r.binnen else "boven"
    if r.onvolledig:
        zin = "Onvolledig. " + zin
        cls = "onvolledig"
    return cls, zin


def _bc_uit(m) -> tuple:
    """Budgetconfirmatie and uitnutting of the run, computed once for both reports (kept in m.extra)."""
    if "bc_uit" not in m.extra:
        m.extra["bc_uit"] = (bcm.bereken(m.a), uit.bereken(m.a))
    return m.extra["bc_uit"]


def html_context(m) -> dict:
    """Everything the partial templates show, as text."""
    r: Rechtmatigheid = m.rechtmatigheid
    b, u = _bc_uit(m)
    cls, zin = _oordeel_kort(r)
    basis = r.basis_ct
    rf = r.rapporteringsgrens_ct
    return {
        "r": r, "klasse": cls, "zin": zin, "onvolledig": r.onvolledig, "ontbreekt": r.ontbreekt,
        "basis": "betaald (betalingen van de SVB)" if r.basis == "betaald" else
                 "gedeclareerd (er is geen tabel betalingen: de basis is het gedeclareerde bedrag)",
        "totalen": [
            ["Betaald door de SVB voor de gecontroleerde regels", eur(r.betaald_ct - r.betaald_buiten_regels_ct),
             _p(r.betaald_ct - r.betaald_buiten_regels_ct, basis)],
            ["Gedeclareerd (gecontroleerde regels)", eur(r.gedeclareerd_ct), _p(r.gedeclareerd_ct, basis)],
            ["Fouten (elke euro één keer)", eur(r.fouten_ct), _p(r.fouten_ct, basis)],
            ["Onzekerheden (elke euro één keer, na fouten)", eur(r.onzekerheden_ct), _p(r.onzekerheden_ct, basis)],
            ["Niet getoetst (een controle kon de regel niet beoordelen)", eur(r.niet_getoetst_ct),
             _p(r.niet_getoetst_ct, basis)],
        ],
        "betaald_buiten": eur(r.betaald_buiten_regels_ct),
        "fouten_id": eur(r.fouten_ct), "onz_id": eur(r.onzekerheden_ct), "nt_id": eur(r.niet_getoetst_ct),
        "totale_lasten": None if r.totale_lasten_ct is None else eur(r.totale_lasten_ct),
        "rapporteringsgrens": None if rf is None else eur(rf),
        "rapportering": None if rf is None else (
            f"De fouten ({eur(r.fouten_ct)}) liggen boven de rapporteringsgrens van {eur(rf)}: het college "
            "rapporteert ze afzonderlijk." if r.boven_rapporteringsgrens else
            f"De fouten ({eur(r.fouten_ct)}) liggen niet boven de rapporteringsgrens van {eur(rf)}."),
        "per_wet_jaar": [[x["wet"], str(x["jaar"]), eur(x["betaald_ct"]), eur(x["gedeclareerd_ct"]), eur(x["fout_ct"]),
                          eur(x["onzekerheid_ct"]), eur(x["niet_getoetst_ct"])] for x in r.per_wet_jaar.iter_rows(named=True)],
        "per_check": [[x["check"], x["titel"], x["soort"], str(x["bevindingen"]), eur(x["effect_ct"]),
                       "naast de regels" if x["naast"] else "in de regels"] for x in r.per_check.iter_rows(named=True)],
        "niet_getoetst": [[x["check"], x["reden"], str(x["regels"]), eur(x["bedrag_ct"])]
                          for x in r.niet_getoetst.iter_rows(named=True)],
        "naast": [[x["check"], x["titel"], x["soort"], str(x["bevindingen"]), eur(x["effect_ct"])]
                  for x in r.naast.iter_rows(named=True)],
        "som_f": eur(r.som_fouten_ct), "som_o": eur(r.som_onzekerheden_ct), "signalen": r.signalen,
        "bc_aanwezig": b.aanwezig,
        "bc": [[x["budgethouder_id"] or "", x["toekenning_id"] or "", eur(x["toegekend_ct"]), eur(x["svb_ct"]),
                eur(x["betaald_ct"]), eur(x["verschil_ct"]), x["oorzaak"]] for x in b.verschillen.iter_rows(named=True)],
        "bc_toekenningen": b.per_toekenning.height,
        "ui_onder": pct(round(u.onder * 10000), 10000), "ui_boven": pct(round(u.boven * 10000), 10000),
        "ui": [[x["budgethouder_id"], x["toekenning_id"], f"{nl_datum(x['ingangsdatum'])} t/m {nl_datum(x['einddatum'])}",
                eur(x["budget_ct"]), eur(x["gebruikt_ct"]), pct(x["gebruikt_ct"], x["budget_ct"]),
                pct(x["verstreken"], x["dagen"]), x["oordeel"]] for x in u.opvallend.iter_rows(named=True)],
        "ui_toekenningen": u.per_toekenning.height,
    }


def samenvatting_rijen(m) -> list[list]:
    """The verdict line of the xlsx summary sheet."""
    r = m.rechtmatigheid
    _, zin = _oordeel_kort(r)
    return [["Rechtmatigheid", "onvolledig" if r.onvolledig else (r.oordeel if r.binnen is not None else "geen oordeel"),
             zin + (" Ontbreekt: " + "; ".join(r.ontbreekt) + "." if r.onvolledig else "")]]


def bladen(m, blad, Pct) -> None:
    """Write the sheets Rechtmatigheid, Budgetconfirmatie and Uitnutting with `blad(name, headers, rows)`."""
    r: Rechtmatigheid = m.rechtmatigheid

    def aandeel(ct):
        return Pct(r.aandeel(ct))

    kop = ["Onderwerp", "Wet", "Jaar", "Betaald", "Gedeclareerd", "Fouten", "Onzekerheden", "Niet getoetst",
           "Aandeel van de basis", "Toelichting"]
    rows = [["Status", "", "", None, None, None, None, None, None,
             ("ONVOLLEDIG: " + "; ".join(r.ontbreekt)) if r.onvolledig else "volledig"],
            ["Oordeel", "", "", None, None, None, None, None, None, _oordeel_kort(r)[1]],
            ["Basis", "", "", dec(r.betaald_ct), dec(r.gedeclareerd_ct), None, None, None, None,
             "betaald" if r.basis == "betaald" else "gedeclareerd: er is geen tabel betalingen"],
            ["Totaal (elke euro één keer)", "", "", dec(r.betaald_ct - r.betaald_buiten_regels_ct), dec(r.gedeclareerd_ct),
             dec(r.fouten_ct), dec(r.onzekerheden_ct), dec(r.niet_getoetst_ct), aandeel(r.totaal_ct),
             "aandeel: fouten en onzekerheden van de basis"]]
    rows += [["Per wet en jaar", x["wet"], x["jaar"], dec(x["betaald_ct"]), dec(x["gedeclareerd_ct"]), dec(x["fout_ct"]),
              dec(x["onzekerheid_ct"]), dec(x["niet_getoetst_ct"]), aandeel(x["fout_ct"] + x["onzekerheid_ct"]), ""]
             for x in r.per_wet_jaar.iter_rows(named=True)]
    rows += [["Betaald zonder gecontroleerde regel", "", "", dec(r.betaald_buiten_regels_ct), None, None, None, None, None, ""],
             ["Verantwoordingsgrens", "", "", None, None, None, None, None, Pct(r.grens),
              "van de totale lasten " + (eur(r.totale_lasten_ct) if r.totale_lasten_ct is not None else "(niet opgegeven)")
              + (f" = {eur(r.grens_bedrag_ct)}" if r.grens_bedrag_ct is not None else "")],
             ["Rapporteringsgrens", "", "", None, None, None, None, None, None,
              eur(r.rapporteringsgrens_ct) if r.rapporteringsgrens_ct is not None else "niet opgegeven"]]
    rows += [[f"Controle {x['check']} ({x['titel']})", "", "", None, None,
              dec(x["effect_ct"]) if x["soort"] == "fout" else None,
              dec(x["effect_ct"]) if x["soort"] == "onzekerheid" else None, None, None,
              f"{x['bevindingen']} bevindingen, som uit findings.csv; " + ("naast de regels" if x["naast"] else "in de regels")]
             for x in r.per_check.iter_rows(named=True)]
    rows += [[f"Niet getoetst: {x['check']}", "", "", None, None, None, None, dec(x["bedrag_ct"]), None,
              f"{x['regels']} regels: {x['reden']}"] for x in r.niet_getoetst.iter_rows(named=True)]
    blad("Rechtmatigheid", kop, rows)

    b, u = _bc_uit(m)
    blad("Budgetconfirmatie", ["Budgethouder", "Toekenning", "Toegekend", "Budget bij de SVB", "Betaald", "Verschil",
                               "Soort", "Oorzaak"],
         [[x["budgethouder_id"], x["toekenning_id"], dec(x["toegekend_ct"]), dec(x["svb_ct"]), dec(x["betaald_ct"]),
           dec(x["verschil_ct"]), x["soort"], x["oorzaak"]] for x in b.verschillen.iter_rows(named=True)]
         if b.aanwezig else [["", "", None, None, None, None, "", "geen tabel budgetten: geen budgetconfirmatie (onvolledig)"]])

    blad("Uitnutting", ["Budgethouder", "Toekenning", "Ingangsdatum", "Einddatum", "Budget", "Gebruikt",
                        "Aandeel gebruikt", "Aandeel verstreken", "Oordeel"],
         [[x["budgethouder_id"], x["toekenning_id"], x["ingangsdatum"], x["einddatum"], dec(x["budget_ct"]),
           dec(x["gebruikt_ct"]), Pct(share(x["gebruikt_ct"], x["budget_ct"])), Pct(share(x["verstreken"], x["dagen"])),
           x["oordeel"]] for x in u.opvallend.iter_rows(named=True)])
