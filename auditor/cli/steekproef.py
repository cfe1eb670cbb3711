"""`pgb-audit steekproef`: plan, draw and evaluate the accountant's sample (as jfa), the
materiële controle (BADO D) and the data analytics. Domain code in `auditor/steekproef/`."""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
import polars as pl

from auditor import __version__
from auditor.formatting import eur_nl
from auditor.load import load_batch
from auditor.money import round_cents
from auditor.reports.steekproef import csv_frame
from auditor.reports.steekproef import trek as oude_trek
from auditor.steekproef import analyse as an
from auditor.steekproef import materieel as mat
from auditor.steekproef import werkmap
from auditor.steekproef.evalueer import evalueer as do_eval
from auditor.steekproef.evalueer import evalueer_samenvatting
from auditor.steekproef.plan import planning
from auditor.steekproef.trek import populatie
from auditor.steekproef.trek import selecteer
from auditor.tables import TABLES
from auditor.validate import empty_typed, validate
from auditor.errors import InvoerFout
from auditor.files import atomic_write, csv_bytes, people_csv_bytes

PLAN_METHODEN = {"poisson": "poisson", "binomiaal": "binomial", "hypergeometrisch": "hypergeometric"}
EVAL_METHODEN = ("poisson", "binomiaal", "hypergeometrisch", "stringer", "stringer.poisson",
                 "stringer.hypergeometrisch")


def getal(value: str, naam: str) -> Decimal:
    """A number with a decimal comma or point: 0,01 / 0.01 / 25.000,00 / 25000."""
    s = str(value).strip().replace("€", "").replace(" ", "").replace("%", "")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise click.BadParameter(f"'{value}' is geen getal; bijvoorbeeld 0,01 of 25.000,00.", param_hint=naam)
    if not d.is_finite():
        raise click.BadParameter(f"'{value}' is geen getal.", param_hint=naam)
    return d


def _pos(naam: str):
    def cb(ctx, param, value):
        if value is None:
            return None
        d = getal(value, naam)
        if d <= 0:
            raise click.BadParameter("moet groter dan 0 zijn.", param_hint=naam)
        return d
    return cb


def _betr(ctx, param, value):
    d = getal(value, "--betrouwbaarheid")
    if d >= 1 and d < 100:
        d = d / 100            # 95 means 95%
    if not 0 < d < 1:
        raise click.BadParameter("verwacht een aandeel tussen 0 en 1, bijvoorbeeld 0,95.", param_hint="--betrouwbaarheid")
    return float(d)


def _populatie(batch_dir: Path) -> tuple[pl.DataFrame, int]:
    """The batch's typed declaration lines and their book value in cents (bedrag > 0)."""

    v = validate(load_batch(batch_dir))
    decl = v.tables.get("declaraties", empty_typed("declaraties"))
    pop, _ = populatie(decl)
    return decl, int(pop["bedrag_ct"].sum()) if pop.height else 0


def _share(materialiteit: Decimal, boekwaarde_ct: int | None, wat: str) -> float:
    if materialiteit < 1:
        return float(materialiteit)
    if not boekwaarde_ct:
        raise InvoerFout(f"{wat}: een materialiteit in euro's ({materialiteit}) vraagt de boekwaarde van de "
                         "populatie; geef --populatie MAP, of geef de materialiteit als aandeel (bijvoorbeeld 0,01).")
    share = float(materialiteit * 100 / boekwaarde_ct)
    if share >= 1:
        raise InvoerFout(f"{wat}: de materialiteit is groter dan de boekwaarde van de populatie.")
    return share


def _eur(x: float) -> str:
    return eur_nl(int(Decimal(repr(x * 100)).quantize(Decimal(1), rounding="ROUND_HALF_UP")))


def _pct(x: float) -> str:
    return f"{x * 100:.4f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


@click.group("steekproef")
def steekproef():
    """Steekproef van de accountant: plannen, trekken, evalueren; materiële controle; analyse."""


# --------------------------------------------------------------------------- plan

@steekproef.command("plan")
@click.option("--materialiteit", required=True, callback=_pos("--materialiteit"),
              help="Materialiteit: een aandeel (0,01 = 1%) of euro's (met --populatie).")
@click.option("--betrouwbaarheid", default="0,95", show_default=True, callback=_betr,
              help="Gewenste betrouwbaarheid (0,95 = 95%).")
@click.option("--verwachte-fout", "verwacht", default="0", show_default=True,
              help="Verwachte fout: een aandeel (0,025) of een aantal fouten (2).")
@click.option("--methode", type=click.Choice(list(PLAN_METHODEN)), default="poisson", show_default=True,
              help="Kansverdeling (jfa: likelihood).")
@click.option("--populatie", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met de exportbestanden: de boekwaarde van de declaratieregels (euro's, hypergeometrisch).")
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object op stdout.")
def plan(materialiteit, betrouwbaarheid, verwacht, methode, populatie, as_json):
    """Bereken hoe groot de steekproef moet zijn (zoals jfa planning())."""

    vf = getal(verwacht, "--verwachte-fout")
    boek = _populatie(populatie)[1] if populatie is not None else None
    share = _share(materialiteit, boek, "steekproef plan")
    N = math.ceil(boek / 100) if boek else None
    if PLAN_METHODEN[methode] == "hypergeometric" and N is None:
        raise InvoerFout("steekproef plan: de hypergeometrische methode vraagt de omvang van de populatie; "
                         "geef --populatie MAP.")
    try:
        p = planning(share, betrouwbaarheid, float(vf), PLAN_METHODEN[methode], N=N)
    except ValueError as e:
        raise InvoerFout(f"steekproef plan: {e}.")
    if as_json:
        click.echo(json.dumps({"methode": methode, "n": p.n, "x": p.x, "ub": p.ub}))
        return
    click.echo(f"Steekproefomvang n = {p.n} ({methode}, betrouwbaarheid {_pct(betrouwbaarheid)}, "
               f"materialiteit {_pct(share)}).")
    click.echo(f"Toegestane fouten x = {p.x:g}; geplande bovengrens {_pct(p.ub)}.")
    if boek:
        click.echo(f"Boekwaarde {_eur(boek / 100)} euro; materialiteit {_eur(share * boek / 100)} euro; "
                   f"interval {_eur(boek / 100 / p.n)} euro.")


# --------------------------------------------------------------------------- trek

@steekproef.command("trek")
@click.argument("batch_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--n", "n", type=click.IntRange(min=1), default=None, help="Steekproefomvang (bijvoorbeeld uit 'plan').")
@click.option("--materialiteit", default=None, callback=_pos("--materialiteit"),
              help="Zonder --n: materialiteit in euro's; n = boekwaarde x factor / materialiteit (de oude trekking).")
@click.option("--betrouwbaarheid", default="0,95", show_default=True, callback=_betr,
              help="Betrouwbaarheid bij --materialiteit (0,95 = 95%).")
@click.option("--methode", type=click.Choice(["interval", "cel", "willekeurig"]), default="interval",
              show_default=True, help="Selectiemethode (jfa: interval, cell, random).")
@click.option("--eenheden", type=click.Choice(["euros", "regels"]), default="euros", show_default=True,
              help="Monetary-unit sampling (euros) of regels.")
@click.option("--seed", type=int, required=True, help="Startgetal van de toevalsgenerator (leg vast in het dossier).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Werkmap (.xlsx) om in te vullen, of .csv (met <naam>.meta.json). Standaard "
                   "steekproef-<batch>-seed<seed>.xlsx naast de batchmap.")
@click.option("--overschrijf", is_flag=True, help="Overschrijf een bestaand uitvoerbestand.")
def trek(batch_dir, n, materialiteit, betrouwbaarheid, methode, eenheden, seed, out_file, overschrijf):
    """Trek een reproduceerbare steekproef uit de declaratieregels (zoals jfa selection())."""

    if out_file is None:     # next to the batch, named after it and the seed: a second draw never lands on it
        out_file = batch_dir.resolve().parent / f"steekproef-{batch_dir.resolve().name}-seed{seed}.xlsx"
    if out_file.exists() and not overschrijf:
        raise InvoerFout(f"{out_file} bestaat al; kies een andere naam met --out of geef --overschrijf.")

    if n is None and materialiteit is None:
        raise click.UsageError("geef --n (de steekproefomvang) of --materialiteit (euro's).")
    raw = load_batch(batch_dir)
    v = validate(raw)
    decl = v.tables.get("declaraties", empty_typed("declaraties"))
    try:
        if n is None:
            if methode != "interval" or eenheden != "euros":
                raise ValueError("--materialiteit zonder --n werkt alleen met --methode interval --eenheden euros")
            if materialiteit < 1:          # a share of the population's book value
                materialiteit = materialiteit * int(populatie(decl)[0]["bedrag_ct"].sum()) / 100
            s = oude_trek(decl, round_cents(materialiteit), betrouwbaarheid, seed)
        else:
            s = selecteer(decl, n, methode, eenheden, seed)
    except ValueError as e:
        raise InvoerFout(f"steekproef trek: {e}.")
    meta = dict(s.meta, tool="pgb-audit", version=__version__, batch=batch_dir.name,
                declaraties={"path": raw["declaraties"].path, "sha256": raw["declaraties"].sha256,
                             **v.counts["declaraties"]})
    if out_file.suffix.lower() == ".csv":
        kort = "MUS systematisch" if (methode, eenheden) == ("interval", "euros") else f"{methode} {eenheden}"
        atomic_write(out_file, people_csv_bytes(csv_frame(s, kort)))
        meta_file = out_file.with_name(out_file.stem + ".meta.json")
        atomic_write(meta_file, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        waar = f"{out_file} en {meta_file}"
    else:
        werkmap.schrijf(out_file, s.regels, {k: v for k, v in meta.items() if k != "declaraties"})
        waar = str(out_file)
    eenheid = " euro" if eenheden == "euros" else " regels"
    click.echo(f"Steekproef: n = {s.meta['n']}, interval {s.meta['interval']}{eenheid}, "
               f"{s.meta['geselecteerde_regels']} regels geselecteerd (seed {seed}).")
    click.echo(f"Uitvoer in {waar}")


# --------------------------------------------------------------------------- evalueer

@steekproef.command("evalueer")
@click.argument("werkmap_pad", metavar="[WERKMAP]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--n", "n", type=click.IntRange(min=1), default=None, help="Steekproefomvang (zonder werkmap).")
@click.option("--fouten", default=None, help="Aantal fouten of som van de taints (zonder werkmap).")
@click.option("--materialiteit", required=True, callback=_pos("--materialiteit"),
              help="Materialiteit: een aandeel (0,01) of euro's.")
@click.option("--betrouwbaarheid", default="0,95", show_default=True, callback=_betr,
              help="Gewenste betrouwbaarheid (0,95 = 95%).")
@click.option("--methode", type=click.Choice(EVAL_METHODEN), default="stringer", show_default=True,
              help="Methode voor de bovengrens (stringer = jfa stringer.binomial).")
@click.option("--populatie", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met de exportbestanden: boekwaarde en omvang van de populatie (anders uit de werkmap).")
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object op stdout.")
def evalueer(werkmap_pad, n, fouten, materialiteit, betrouwbaarheid, methode, populatie, as_json):
    """Evalueer de gecontroleerde steekproef: meest waarschijnlijke fout en bovengrens (zoals jfa evaluation())."""

    meta: dict = {}
    items = None
    if werkmap_pad is not None:
        items, meta = werkmap.lees(werkmap_pad)
    elif n is None or fouten is None:
        raise click.UsageError("geef de ingevulde werkmap, of --n en --fouten.")
    boek = None
    eenheden = meta.get("eenheden") or "euros"
    N = None
    if populatie is not None:
        decl, boek = _populatie(populatie)
        N = math.ceil(boek / 100) if eenheden == "euros" else int(decl.filter(pl.col("bedrag_ct") > 0).height)
    elif meta.get("populatie_bedrag"):
        boek = int(Decimal(meta["populatie_bedrag"].replace(",", ".")) * 100)
        N = math.ceil(boek / 100) if eenheden == "euros" else int(meta.get("populatie_regels") or 0) or None
    share = _share(materialiteit, boek, "steekproef evalueer")
    if "hypergeometrisch" in methode and not N:
        raise InvoerFout("steekproef evalueer: de hypergeometrische methode vraagt de omvang van de populatie; "
                         "geef --populatie MAP of de werkmap van 'steekproef trek'.")
    try:
        if items is not None:
            e = do_eval(items, share, betrouwbaarheid, methode, N=N, boekwaarde_ct=boek)
        else:
            e = evalueer_samenvatting(n, float(getal(fouten, "--fouten")), share, betrouwbaarheid, methode, N=N,
                                      boekwaarde_ct=boek)
    except ValueError as exc:
        raise InvoerFout(f"steekproef evalueer: {exc}.")
    if as_json:
        click.echo(json.dumps(e.json()))
        return
    click.echo(f"Methode {methode}, betrouwbaarheid {_pct(betrouwbaarheid)}: n = {e.n}, fouten x = {e.x}, "
               f"som van de taints t = {e.t:.4f}".replace(".", ",") + ".")
    click.echo(f"Meest waarschijnlijke fout {_pct(e.mle)}; bovengrens {_pct(e.ub)}"
               + (f" = {_eur(e.ub_euro)} euro" if e.ub_euro is not None else "")
               + f"; materialiteit {_pct(share)}.")
    if e.onderschattingen:
        click.echo(f"Onderschattingen (niet verrekend): {e.onderschattingen} posten, {_eur(e.onderschatting_euro)} euro.")
    click.echo(f"Conclusie: {e.conclusie} (bovengrens {'<' if e.ub < share else '>='} materialiteit).")


# --------------------------------------------------------------------------- materieel (BADO D)

@steekproef.command("materieel")
@click.argument("batch_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--aantal", type=click.IntRange(min=1), default=10, show_default=True,
              help="Aantal budgethouders in de steekproef.")
@click.option("--seed", type=int, default=None, help="Startgetal van de toevalsgenerator (verplicht bij trekken).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("materieel"),
              show_default=True, help="Map voor de vragenlijsten en antwoorden.xlsx.")
@click.option("--toon-namen", is_flag=True, help="Toon namen en telefoonnummers voluit (standaard: initialen).")
@click.option("--importeer", "antwoorden", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Lees het ingevulde antwoordenblad in; de volgende 'run' maakt er bevindingen van.")
def materieel(batch_dir, aantal, seed, out_dir, toon_namen, antwoorden):
    """Materiële controle (BADO D): trek budgethouders en maak vragenlijsten, of importeer de antwoorden."""

    if antwoorden is not None:
        if not batch_dir.is_dir():
            raise InvoerFout(f"{batch_dir}: deze map bestaat niet; geef de map met de exportbestanden.")
        path, telling = mat.importeer(antwoorden, batch_dir)
        samen = ", ".join(f"{v} {k}" for k, v in telling.items()) or "geen antwoorden"
        click.echo(f"Antwoorden ingelezen: {samen}.")
        click.echo(f"Opgeslagen in {path}; de volgende 'pgb-audit run' op deze map maakt van 'niet geleverd' "
                   "bevindingen NIET-GELEVERD.")
        return
    if seed is None:
        raise click.UsageError("geef --seed (het startgetal van de trekking, leg het vast in het dossier).")

    v = validate(load_batch(batch_dir), mask_namen=not toon_namen)
    typed = {name: v.tables.get(name, empty_typed(name)) for name in TABLES}
    try:
        gekozen = mat.trek(typed, aantal, seed)
    except ValueError as e:
        raise InvoerFout(f"steekproef materieel: {e}.")
    lines = typed["declaraties"].filter(pl.col("status").is_null() | (pl.col("status") != "afgekeurd"))
    zorg = mat.zorg_per_maand(lines, typed["zorgverleners"], toon_namen)
    paths = mat.schrijf(out_dir, gekozen, zorg, seed, toon_namen)
    click.echo(f"Materiële controle: {gekozen.height} budgethouders getrokken (seed {seed}); "
               f"{len(paths) - 1} vragenlijsten en antwoorden.xlsx in {out_dir}.")


# --------------------------------------------------------------------------- analyse

@steekproef.command("analyse")
@click.argument("batch_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("analyse"),
              show_default=True, help="Map voor de CSV-bestanden en analyse.json.")
@click.option("--min-regels", type=click.IntRange(min=1), default=50, show_default=True,
              help="Cijfer- en herhalingstoets alleen per zorgverlener met minstens zoveel regels.")
@click.option("--simulaties", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Aantal simulaties voor de p-waarde van de herhalingstoets.")
@click.option("--seed", type=int, default=0, show_default=True, help="Startgetal van de simulatie.")
@click.option("--json", "as_json", is_flag=True, help="De samenvatting als één JSON-object op stdout.")
def analyse(batch_dir, out_dir, min_regels, simulaties, seed, as_json):
    """Data-analyse naast de controles: stratificatie, ouderdom, cijfertoets en herhaalde bedragen."""

    v = validate(load_batch(batch_dir))
    decl = v.tables.get("declaraties", empty_typed("declaraties"))
    lines = decl.filter(pl.col("status").is_null() | (pl.col("status") != "afgekeurd"))
    strata, leeftijd = an.stratificatie(lines), an.ouderdom(lines)
    pz = an.per_zorgverlener(lines, min_regels, simulaties, seed)
    ok, reden = an.toepasbaarheid(lines, min_regels)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"stratificatie.csv": strata, "ouderdom.csv": leeftijd, "cijfertoets.csv": pz["cijfertoets"],
             "herhaling.csv": pz["herhaling"]}
    for name, df in files.items():
        atomic_write(out_dir / name, csv_bytes(df))
    samenvatting = {
        "regels": lines.height, "min_regels": min_regels, "benford_toepasbaar": ok, "benford_toelichting": reden,
        "stratificatie": strata.to_dicts(), "ouderdom": leeftijd.to_dicts(),
        "zorgverleners_getoetst": pz["herhaling"].height,
        "cijfertoets": pz["cijfertoets"].filter(pl.col("cijfer") == pl.col("cijfer").min().over(
            "zorgverlener_id", "toets")).select("zorgverlener_id", "toets", "referentie", "n", "chi2", "df", "p_chi2",
                                               "mad", "toepasbaar", "toelichting").to_dicts()
        if pz["cijfertoets"].height else [],
        "herhaling": pz["herhaling"].to_dicts(),
    }
    atomic_write(out_dir / "analyse.json",
                 (json.dumps(samenvatting, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    if as_json:
        click.echo(json.dumps(samenvatting, ensure_ascii=False, default=str))
        return
    click.echo(f"{lines.height} declaratieregels; {pz['herhaling'].height} zorgverleners met minstens "
               f"{min_regels} regels getoetst.")
    click.echo(f"Wet van Benford: {'toepasbaar' if ok else 'niet toepasbaar: ' + reden}.")
    click.echo(f"Uitvoer in {out_dir} (stratificatie.csv, ouderdom.csv, cijfertoets.csv, herhaling.csv, analyse.json)")
