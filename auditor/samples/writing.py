"""Writing the generated batch: the input tables in mixed CSV flavours, ground_truth.csv and LEESMIJ.txt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

from auditor.samples.generator import Generator
from auditor.samples.model import L_AANTAL, L_BEDRAG, L_BH, L_EENH, L_KM, L_LAND, L_OMS, L_PAY, L_PROD, L_TAG, L_TARIEF, L_TK, L_TOT, L_VAN, L_ZO, L_ZV, Persoon
from auditor.samples.people import _iban_spaced
from auditor.samples.regeling import ALL_CHECKS


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _nl_date(d: date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


def _nl_money(ct: int | None) -> str:
    if ct is None:
        return ""
    s = f"{ct // 100:,}".replace(",", ".")
    return f"{s},{ct % 100:02d}"


def _csv_money(ct: int | None) -> str:
    return "" if ct is None else f"{ct // 100}.{ct % 100:02d}"


def _write(df: pl.DataFrame, path: Path, flavour: str) -> None:
    """flavour: 'plain' (',' UTF-8), 'excel-bom' (';' UTF-8 BOM, CRLF), 'excel-1252' (';' cp1252, CRLF)."""
    if flavour == "plain":
        text = df.write_csv(separator=",", null_value="")
        path.write_bytes(text.encode("utf-8"))
    else:
        text = df.write_csv(separator=";", null_value="", line_terminator="\r\n")
        if flavour == "excel-bom":
            path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        else:
            path.write_bytes(text.encode("cp1252"))


def _frame(rows: list[dict], cols: list[str]) -> pl.DataFrame:
    return pl.DataFrame({c: [r.get(c) or None for r in rows] for c in cols}, schema={c: pl.String for c in cols})



def _pl_money_nl(col: str) -> pl.Expr:
    """Non-negative cents as Dutch text with a thousands dot (`1.299,99`); fast for 1M rows."""
    c = pl.col(col)
    eur = c // 100
    cents = (c % 100).cast(pl.String).str.zfill(2)
    big = pl.concat_str([(eur // 1_000_000).cast(pl.String), pl.lit("."),
                         ((eur // 1000) % 1000).cast(pl.String).str.zfill(3), pl.lit("."),
                         (eur % 1000).cast(pl.String).str.zfill(3)])
    mid = pl.concat_str([(eur // 1000).cast(pl.String), pl.lit("."), (eur % 1000).cast(pl.String).str.zfill(3)])
    whole = pl.when(eur >= 1_000_000).then(big).when(eur >= 1000).then(mid).otherwise(eur.cast(pl.String))
    return pl.when(c.is_null()).then(None).otherwise(pl.concat_str([whole, pl.lit(","), cents]))


def _pl_qty_nl(col: str, scale: int) -> pl.Expr:
    """A quantity stored x `scale` (10 or 100) as Dutch text without trailing zeros (`2,5`)."""
    c = pl.col(col)
    width = 1 if scale == 10 else 2
    frac = (c % scale).cast(pl.String).str.zfill(width).str.strip_chars_end("0")
    whole = (c // scale).cast(pl.String)
    return pl.when(c.is_null()).then(None).when(frac == "").then(whole).otherwise(
        pl.concat_str([whole, pl.lit(","), frac]))



def _write_all(g: Generator, out: Path, lines: list[list], dec_ids: list[str], tk_rows, line_id) -> dict:
    rng = g.rng
    reg = g.reg
    # budgethouders: Dutch Excel, UTF-8 BOM, Excel-style headers
    bh_cols = ["budgethouder_id", "bsn", "naam", "geboortedatum", "straat_huisnummer", "postcode", "woonplaats",
               "iban", "telefoon", "email", "gemeente_code", "overlijdensdatum"]
    excel_hdr = {"budgethouder_id": "Budgethouder ID", "bsn": "BSN", "naam": "Naam", "geboortedatum": "Geboortedatum",
                 "straat_huisnummer": "Straat Huisnummer", "postcode": "Postcode", "woonplaats": "Woonplaats",
                 "iban": "IBAN", "telefoon": "Telefoon", "email": "E-mail", "gemeente_code": "Gemeente Code",
                 "overlijdensdatum": "Overlijdensdatum"}
    rows = []
    for b in g.bhs:
        k = b.kind
        rows.append({"budgethouder_id": b.id, "bsn": k.bsn, "naam": k.naam, "geboortedatum": _nl_date(k.geboortedatum),
                     "straat_huisnummer": k.straat, "postcode": k.postcode, "woonplaats": k.woonplaats,
                     "iban": _iban_spaced(b.iban) if b.iban and rng.random() < 0.5 else (b.iban or ""),
                     "telefoon": k.telefoon, "email": k.email, "gemeente_code": reg.gemeente_code,
                     "overlijdensdatum": _nl_date(b.overleden)})
    df = _frame(rows, bh_cols).rename(excel_hdr)
    _write(df, out / "budgethouders.csv", "excel-bom")

    # relaties: plain CSV
    rel_cols = ["relatie_id", "budgethouder_id", "rol", "naam", "bsn", "geboortedatum", "straat_huisnummer", "postcode",
                "woonplaats", "iban", "telefoon", "email", "ingangsdatum", "einddatum"]
    rows = []
    k = 0
    for b in g.bhs:
        for rol, pers, extra in b.relaties:
            k += 1
            r = {"relatie_id": f"R{k:06d}", "budgethouder_id": b.id, "rol": rol}
            if isinstance(pers, Persoon):
                r.update(naam=pers.naam, bsn=pers.bsn, geboortedatum=_iso(pers.geboortedatum))
                if not extra.get("alleen_naam_bsn"):
                    r.update(straat_huisnummer=pers.straat, postcode=pers.postcode, woonplaats=pers.woonplaats,
                             iban=pers.iban, telefoon=pers.telefoon, email=pers.email)
                if rol in ("ouder", "wettelijk_vertegenwoordiger"):
                    r["ingangsdatum"] = _iso(b.kind.geboortedatum)
                else:
                    r["ingangsdatum"] = _iso(g.ys - timedelta(days=rng.randint(30, 900)))
            else:
                r.update(naam=pers["naam"], straat_huisnummer=pers["straat"], postcode=pers["postcode"],
                         woonplaats=pers["woonplaats"], telefoon=pers["telefoon"], email=pers["email"],
                         iban=pers["iban"], ingangsdatum=_iso(g.ys - timedelta(days=rng.randint(30, 900))))
            rows.append(r)
    _write(_frame(rows, rel_cols), out / "relaties.csv", "plain")
    n_rel = len(rows)

    # toekenningen: Dutch Excel with BOM
    tk_cols = ["toekenning_id", "budgethouder_id", "wet", "product_code", "categorie", "eenheid", "omvang", "tarief",
               "budget", "zorgverlener_soort", "ingangsdatum", "einddatum", "aanvraagdatum", "besluitdatum",
               "toestemming_eerder_starten"]
    rows = []
    for b, t, omvang, budget in tk_rows:
        rows.append({"toekenning_id": t.id, "budgethouder_id": b.id, "wet": "jeugdwet", "product_code": t.product.code,
                     "categorie": t.product.categorie, "eenheid": t.product.eenheid, "omvang": str(omvang),
                     "tarief": _nl_money(t.budget_tarief_ct if t.budget_tarief_ct is not None else t.tarief_ct),
                     "budget": _nl_money(budget),
                     "zorgverlener_soort": "sociaal_netwerk" if t.sn else "professioneel",
                     "ingangsdatum": _nl_date(t.ingang), "einddatum": _nl_date(t.einde),
                     "aanvraagdatum": _nl_date(t.aanvraag), "besluitdatum": _nl_date(t.besluit),
                     "toestemming_eerder_starten": "" if t.toestemming is None else ("ja" if t.toestemming else "nee")})
    _write(_frame(rows, tk_cols), out / "toekenningen.csv", "excel-bom")

    # zorgverleners: plain CSV
    zv_cols = ["zorgverlener_id", "naam", "soort", "kvk_nummer", "agb_code", "skj_nummer", "big_nummer", "vog_datum",
               "opleidingsniveau", "bsn", "geboortedatum", "straat_huisnummer", "postcode", "woonplaats", "iban",
               "telefoon", "email"]
    rows = []
    for z in g.zorgverleners:
        pers = z.persoon
        rows.append({"zorgverlener_id": z.id, "naam": z.naam, "soort": z.soort, "kvk_nummer": z.kvk, "agb_code": z.agb,
                     "skj_nummer": z.skj, "big_nummer": z.big, "vog_datum": _iso(z.vog),
                     "opleidingsniveau": z.opleiding,
                     "bsn": pers.bsn if pers else None, "geboortedatum": _iso(pers.geboortedatum) if pers else None,
                     "straat_huisnummer": z.straat, "postcode": z.postcode, "woonplaats": z.woonplaats,
                     "iban": z.iban, "telefoon": z.telefoon, "email": z.email})
    _write(_frame(rows, zv_cols), out / "zorgverleners.csv", "plain")
    zv_iban = {z.id: z.iban.replace(" ", "").upper() for z in g.zorgverleners}

    # zorgovereenkomsten: plain CSV
    zo_cols = ["zorgovereenkomst_id", "budgethouder_id", "zorgverlener_id", "toekenning_id", "soort",
               "relatie_tot_budgethouder", "product_code", "eenheid", "tarief", "werkafspraak", "vast_maandbedrag",
               "ingangsdatum", "einddatum"]
    rows = []
    for b in g.bhs:
        for a in sorted(b.afspraken, key=lambda x: x.id):
            rows.append({"zorgovereenkomst_id": a.id, "budgethouder_id": b.id, "zorgverlener_id": a.zv.id,
                         "toekenning_id": a.tk.id if a.tk else "", "soort": a.soort,
                         "relatie_tot_budgethouder": "" if a.relatie == "geen" and rng.random() < 0.5 else a.relatie,
                         "product_code": a.product.code, "eenheid": a.product.eenheid,
                         "tarief": _csv_money(a.tarief_ct), "werkafspraak": a.werkafspraak,
                         "vast_maandbedrag": _csv_money(a.vast_ct) if a.vast_ct else "",
                         "ingangsdatum": _iso(a.zo_ingang), "einddatum": _iso(a.zo_einde)})
    _write(_frame(rows, zo_cols), out / "zorgovereenkomsten.csv", "plain")
    n_zo = len(rows)

    # declaraties: Dutch Excel cp1252, built column-wise
    n = len(lines)
    cols = list(zip(*lines)) if n else [[] for _ in range(17)]
    epoch = date(1970, 1, 1).toordinal()
    rnd = rng.random
    ingediend = [ln[L_TOT] + 3 + int(rnd() * 21) for ln in lines]
    cutoff = g.ye.toordinal() + 15
    status, paid = [], []
    for k, ln in enumerate(lines):
        if ingediend[k] + 14 <= cutoff or ln[L_TAG] or ln[L_PAY]:
            status.append("uitbetaald")
            paid.append(True)
        else:
            s = "goedgekeurd" if rng.random() < 0.5 else "ingediend"
            status.append(s)
            paid.append(False)
    df = pl.DataFrame({
        "declaratie_id": dec_ids,
        "budgethouder_id": pl.Series(cols[L_BH], dtype=pl.String),
        "zorgverlener_id": pl.Series(cols[L_ZV], dtype=pl.String),
        "zorgovereenkomst_id": pl.Series(cols[L_ZO], dtype=pl.String),
        "toekenning_id": pl.Series(cols[L_TK], dtype=pl.String),
        "_van": pl.Series(cols[L_VAN], dtype=pl.Int64),
        "_tot": pl.Series(cols[L_TOT], dtype=pl.Int64),
        "product_code": pl.Series(cols[L_PROD], dtype=pl.String),
        "eenheid": pl.Series(cols[L_EENH], dtype=pl.String),
        "_aantal": pl.Series(cols[L_AANTAL], dtype=pl.Int64),
        "_tarief": pl.Series(cols[L_TARIEF], dtype=pl.Int64),
        "_bedrag": pl.Series(cols[L_BEDRAG], dtype=pl.Int64),
        "omschrijving": pl.Series(cols[L_OMS], dtype=pl.String),
        "land": pl.Series(cols[L_LAND], dtype=pl.String),
        "_km": pl.Series(cols[L_KM], dtype=pl.Int64),
        "_ingediend": pl.Series(ingediend, dtype=pl.Int64),
        "status": pl.Series(status, dtype=pl.String),
    })

    def nl_date(c: str) -> pl.Expr:
        return (pl.col(c) - epoch).cast(pl.Int32).cast(pl.Date).dt.strftime("%d-%m-%Y")

    out_df = df.select(
        "declaratie_id", "budgethouder_id", "zorgverlener_id", "zorgovereenkomst_id", "toekenning_id",
        nl_date("_van").alias("datum_van"), nl_date("_tot").alias("datum_tot"), "product_code", "eenheid",
        _pl_qty_nl("_aantal", 100).alias("aantal"), _pl_money_nl("_tarief").alias("tarief"),
        _pl_money_nl("_bedrag").alias("bedrag"), "omschrijving", "land",
        _pl_qty_nl("_km", 10).alias("km_enkele_reis"), nl_date("_ingediend").alias("ingediend_op"),
        "status",
    )
    out_df = out_df.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
                                 for c in ("zorgovereenkomst_id", "toekenning_id", "omschrijving", "land"))
    _write(out_df, out / "declaraties.csv", "excel-1252")

    # betalingen: one per paid line, plus the planted extras
    pay_iban, pay_amount, pay_day = [], [], []
    idx = [k for k in range(n) if paid[k]]
    for k in idx:
        ln = lines[k]
        iban = zv_iban[ln[L_ZV]]
        amt = ln[L_BEDRAG]
        if ln[L_PAY]:
            kind, val = ln[L_PAY]
            if kind == "iban":
                iban = val
            else:
                amt += val
        pay_iban.append(iban)
        pay_amount.append(amt)
        pay_day.append(ingediend[k] + 4 + int(rnd() * 11))
    b_df = pl.DataFrame({
        "budgethouder_id": pl.Series([lines[k][L_BH] for k in idx], dtype=pl.String),
        "zorgverlener_id": pl.Series([lines[k][L_ZV] for k in idx], dtype=pl.String),
        "declaratie_id": pl.Series([dec_ids[k] for k in idx], dtype=pl.String),
        "iban": pl.Series(pay_iban, dtype=pl.String),
        "_bedrag": pl.Series(pay_amount, dtype=pl.Int64),
        "_dag": pl.Series(pay_day, dtype=pl.Int64),
    })
    if g.extra_betalingen:
        extra = pl.DataFrame({
            "budgethouder_id": [e[0] for e in g.extra_betalingen], "zorgverlener_id": [e[1] for e in g.extra_betalingen],
            "declaratie_id": [e[2] for e in g.extra_betalingen],
            "iban": [e[3].replace(" ", "").upper() for e in g.extra_betalingen],
            "_bedrag": pl.Series([e[4] for e in g.extra_betalingen], dtype=pl.Int64),
            "_dag": pl.Series([e[5].toordinal() for e in g.extra_betalingen], dtype=pl.Int64),
        })
        b_df = pl.concat([b_df, extra])
    b_df = b_df.sort("_dag", "declaratie_id", maintain_order=True)
    b_out = b_df.select(
        pl.format("B{}{}", pl.lit(str(g.jaar)), (pl.int_range(pl.len()) + 1).cast(pl.String).str.zfill(7)).alias("betaling_id"),
        "budgethouder_id", "zorgverlener_id",
        pl.when(pl.col("declaratie_id") == "").then(None).otherwise(pl.col("declaratie_id")).alias("declaratie_id"),
        "iban", _pl_money_nl("_bedrag").alias("bedrag"), nl_date("_dag").alias("betaaldatum"),
    )
    _write(b_out, out / "betalingen.csv", "excel-1252")

    # ground truth
    gt = []
    for (check, bh_id), e in sorted(g.truth.items()):
        ids = sorted({line_id[id(ln)] for ln in e["lines"] if id(ln) in line_id})
        line_based = check not in ("BUDGET", "AANWENDING", "OVERSCHRIJDING")
        if line_based and not ids:
            raise RuntimeError(f"planted {check} for {bh_id} has no lines")  # a generator bug
        gt.append({"check": check, "budgethouder_id": bh_id, "declaratie_ids": ";".join(ids) if line_based else "",
                   "toelichting": "; ".join(e["toelichting"])})
    gt_df = _frame(gt, ["check", "budgethouder_id", "declaratie_ids", "toelichting"])
    _write(gt_df, out / "ground_truth.csv", "plain")

    checks = {c: int(gt_df.filter(pl.col("check") == c).height) for c in ALL_CHECKS if g.do[c]}
    counts = {"budgethouders": len(g.bhs), "relaties": n_rel, "toekenningen": len(tk_rows),
              "zorgverleners": len(g.zorgverleners), "zorgovereenkomsten": n_zo, "declaraties": n,
              "betalingen": b_out.height}
    _leesmij(g, out, counts, checks)
    return {"tabellen": counts, "checks": checks, "regeling": reg.id, "jaar": g.jaar,
            "niet_geplant": [c for c in ALL_CHECKS if not g.do[c]]}


def _leesmij(g: Generator, out: Path, counts: dict, checks: dict) -> None:
    reg = g.reg
    niet = [c for c in ALL_CHECKS if not g.do[c]]
    regels = [
        f"Voorbeeldbatch pgb jeugdhulp - {reg.gemeente or reg.id} {g.jaar}",
        "",
        "Dit is VERZONNEN testmateriaal, gemaakt door pgb-audit (auditor/samples.py). Alle namen,",
        "BSN's, IBAN's, adressen en bedragen zijn fictief; BSN's en IBAN's zijn wel geldig van vorm.",
        f"Regeling: {reg.naam} ({reg.id}), gemeentecode {reg.gemeente_code}.",
        "Opnieuw maken (zelfde bytes): pgb-audit samples genereer --budgethouders "
        f"{g.args['budgethouders']} --seed {g.args['seed']} --regeling {reg.id} "
        f"--regels-per-budgethouder {g.args['regels_per_budgethouder']}"
        + (f" --dichtheid {g.args['dichtheid']}" if g.args.get("dichtheid") is not None else "") + " --out MAP",
        "",
        "Aantallen:",
        *[f"  {k:<20} {v:>9}" for k, v in counts.items()],
        "",
        "Bij de meeste budgethouders is alles in orde. Bij een aantal zijn bewust fouten",
        "geplant; ground_truth.csv noemt per controle de budgethouders (en regels) die de",
        "controles MOETEN melden. Geplante gevallen per controle:",
        *[f"  {c:<18} {n} budgethouder(s)" for c, n in checks.items()],
    ]
    if niet:
        regels += ["", "Niet geplant, omdat deze regeling die regel niet stelt of de controle gegevens vraagt",
                   "die de batch niet heeft (antwoorden van een materiele controle):", "  " + ", ".join(niet)]
    regels += [
        "",
        "Bestandsvormen (zoals gebruikers ze echt hebben):",
        "  declaraties.csv, betalingen.csv      Excel NL: ';', decimale komma, cp1252, dd-mm-jjjj",
        "  budgethouders.csv, toekenningen.csv   Excel NL met UTF-8 BOM; budgethouders met Excel-koppen",
        "  relaties.csv, zorgverleners.csv,      gewone CSV: ',', decimale punt, UTF-8, jjjj-mm-dd",
        "  zorgovereenkomsten.csv",
        "",
        "AANWENDING zonder declaraties hangt af van de peildatum; de geplante gevallen hebben wel",
        "declaraties (te laat begonnen) en gelden dus voor elke peildatum na het jaar.",
    ]
    (out / "LEESMIJ.txt").write_bytes(("\r\n".join(regels) + "\r\n").encode("utf-8"))
