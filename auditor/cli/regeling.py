"""``pgb-audit regeling ...``: show and validate regeling files.

``regeling toon FILE``       the regeling's header, the effective pgb norm per product for a
                             professional and for the sociaal netwerk (the table a
                             controller checks a beschikking against) and every other
                             parameter, with a list of the example values still to replace.
``regeling controleer FILE`` validate; "in orde" (exit 0) or the Dutch error (exit 2, raised
                             as `RegelingFout` and reported by `auditor.cli.invoke`).

FILE is a path to a TOML file or the id of a bundled regeling (``losser-2025``).
"""

from __future__ import annotations

import click

from auditor.formatting import eur_nl
from auditor.money import round_cents
from auditor.regeling import (
    CHECK_CODES,
    EXTRA_ARTIKELEN,
    MAXIMUM_EENHEID,
    Regeling,
    eur_tekst,
    ontbrekende_bronnen,
    pct_tekst,
    vind_regeling,
)
from auditor.regeling.norm import _norm
from auditor.regeling.schema import _PRODUCT


def _laad(bestand: str) -> Regeling:
    """The regeling; a broken or missing file raises `RegelingFout` (exit 2 in `auditor.cli`)."""
    return vind_regeling(bestand)


def _tabel(kop: list[str], rijen: list[list[str]]) -> str:
    breedte = [max(len(str(x)) for x in kolom) for kolom in zip(kop, *rijen)]
    regels = ["  ".join(str(x).ljust(b) for x, b in zip(kop, breedte)).rstrip()]
    regels.append("  ".join("-" * b for b in breedte))
    for r in rijen:
        regels.append("  ".join(str(x).ljust(b) for x, b in zip(r, breedte)).rstrip())
    return "\n".join(regels)


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, list):
        return ", ".join(v) if v else "(leeg)"
    return str(v)


def _norm_tekst(r: Regeling, code: str, product: dict, soort: str) -> str:
    u = _norm(r, product["categorie"], product["eenheid"], soort, product)
    if u.waarde is None:
        return "niet toetsbaar: " + (u.reden or "").replace(_PRODUCT, code)
    return f"{eur_nl(round_cents(u.waarde))}  ({(u.uitleg or '').replace(_PRODUCT, code)})"


@click.group("regeling")
def regeling() -> None:
    """Regelingen (tarieven en regels per gemeente) tonen en controleren."""


@regeling.command("toon")
@click.argument("bestand")
def toon(bestand: str) -> None:
    """Toon een regeling en de pgb-norm per product (BESTAND: pad of id, bv. losser-2025)."""
    r = _laad(bestand)
    tot = r.geldig_tot.isoformat() if r.geldig_tot else "onbepaald"
    click.echo(f"Regeling:      {r.id}")
    click.echo(f"Naam:          {r.naam}")
    click.echo(f"Gemeente:      {r.gemeente} ({r.gemeente_code})")
    click.echo(f"Geldig:        {r.geldig_van.isoformat()} t/m {tot}")
    click.echo(f"Bestand:       {r.path}")
    click.echo(f"SHA-256:       {r.sha256}")

    toegestaan = r.waarde("sociaal_netwerk.toegestane_categorieen")
    click.echo("")
    click.echo("pgb-norm per eenheid (hoogste tarief dat uit het pgb betaald mag worden)")
    rijen = []
    for code, p in r.data.get("zin_tarieven", {}).items():
        sn = _norm_tekst(r, code, p, "sociaal_netwerk")
        if toegestaan is not None and p["categorie"] not in toegestaan:
            sn = "niet toegestaan (categorie niet voor sociaal netwerk)"
        rijen.append(
            [
                code,
                p.get("omschrijving", ""),
                p["categorie"],
                p["eenheid"],
                eur_tekst(p["tarief"]),
                _norm_tekst(r, code, p, "professioneel"),
                sn,
            ]
        )
    if rijen:
        kop = ["product", "omschrijving", "categorie", "eenheid", "zin-tarief", "professioneel", "sociaal netwerk"]
        click.echo(_tabel(kop, rijen))
    else:
        click.echo("(geen [zin_tarieven]: normen op basis van het zin-tarief zijn niet toetsbaar)")

    click.echo("")
    click.echo("Sociaal netwerk")
    click.echo(f"  toegestane categorieen:   {_fmt(toegestaan)}")
    click.echo(f"  dubbelrol niet toegestaan voor rollen: {_fmt(r.waarde('sociaal_netwerk.dubbelrol_rollen'))}")
    maxima = r.waarde("sociaal_netwerk.maxima", {})
    if maxima:
        for cat, v in maxima.items():
            click.echo(f"  maximum {cat}: {eur_tekst(v)} per {MAXIMUM_EENHEID[cat]}")
    else:
        click.echo("  maxima: geen")

    click.echo("")
    click.echo("Parameters")
    pgb = r.data.get("pgb", {})
    params = [
        ("percentage professioneel", pct_tekst(pgb["percentage_professioneel"]) if "percentage_professioneel" in pgb else None),
        ("percentage wonen/verblijf", pct_tekst(pgb["percentage_wonen_verblijf"]) if "percentage_wonen_verblijf" in pgb else None),
        ("uurloon sociaal netwerk", eur_tekst(pgb["sociaal_netwerk_uurloon"]) if "sociaal_netwerk_uurloon" in pgb else None),
        ("vakantietoeslag", pct_tekst(pgb["vakantietoeslag"]) if "vakantietoeslag" in pgb else None),
        ("dagdeelbedrag sociaal netwerk", eur_tekst(pgb["sociaal_netwerk_dagdeel"]) if "sociaal_netwerk_dagdeel" in pgb else None),
        ("max. weken buitenland per jaar", pgb.get("max_weken_buitenland")),
        ("vast maandbedrag toegestaan", pgb.get("vast_maandbedrag_toegestaan")),
        ("aanwenden binnen (maanden)", pgb.get("aanwenden_binnen_maanden")),
        ("VOG max. (jaren)", r.waarde("kwaliteit.vog_max_jaren", pgb.get("vog_max_jaren"))),
        ("VOG max. maanden voor start zorg", r.waarde("kwaliteit.vog_max_maanden_voor_start")),
        ("min. opleidingsniveau zzp'er", r.waarde("kwaliteit.min_opleidingsniveau")),
        ("SKJ/BIG-registratie vereist", r.waarde("kwaliteit.registratie_vereist")),
        ("KvK-inschrijving vereist", r.waarde("kwaliteit.kvk_vereist")),
        ("max. uren per dag", pgb.get("max_uren_per_dag")),
        ("km-tarief", eur_tekst(r.waarde("vervoer.km_tarief")) if r.waarde("vervoer.km_tarief") is not None else None),
        ("km-drempel enkele reis", r.waarde("vervoer.km_drempel_enkele_reis")),
        ("netwerk: min. budgethouders", r.waarde("netwerk.min_budgethouders")),
        ("opschorting: max. weken", r.waarde("opschorting.max_weken")),
        ("opschorting: drempel", eur_tekst(r.waarde("opschorting.drempel")) if r.waarde("opschorting.drempel") is not None else None),
        ("opschorting: altijd", r.waarde("opschorting.altijd")),
        ("opschorting: uitgesloten", r.waarde("opschorting.uitgesloten")),
    ]
    sleutels = {"percentage professioneel": "pgb.percentage_professioneel",
                "percentage wonen/verblijf": "pgb.percentage_wonen_verblijf",
                "uurloon sociaal netwerk": "pgb.sociaal_netwerk_uurloon", "vakantietoeslag": "pgb.vakantietoeslag",
                "dagdeelbedrag sociaal netwerk": "pgb.sociaal_netwerk_dagdeel",
                "opschorting: drempel": "opschorting.drempel"}
    for naam, v in params:
        tekst = _fmt(v) if v is not None else (
            "ontbreekt (geen eis)" if naam in ("SKJ/BIG-registratie vereist", "KvK-inschrijving vereist",
                                               "min. opleidingsniveau zzp'er", "VOG max. maanden voor start zorg")
            else "ontbreekt (niet toetsbaar)")
        if v is not None and naam in sleutels and "voorbeeldwaarde" in (r.bron(sleutels[naam]) or "").lower():
            tekst += "  (voorbeeldwaarde)"
        click.echo(f"  {naam + ':':<34}{tekst}")

    vb = r.data.get("verboden_bestedingen", {})
    click.echo("")
    if vb:
        click.echo("Verboden bestedingen")
        for cat, termen in vb.items():
            click.echo(f"  {cat}: {', '.join(termen)}")
    else:
        click.echo("Verboden bestedingen: ontbreken (VERBODEN is niet toetsbaar)")

    click.echo("")
    click.echo("Artikelen en grondslag (art. 8.1.4 lid 1 Jeugdwet)")
    rijen = [
        [c, r.grondslag(c) or "-", r.artikel(c) or "ontbreekt"]
        for c in (*CHECK_CODES, *EXTRA_ARTIKELEN)
        if c in CHECK_CODES or r.artikel(c)
    ]
    click.echo(_tabel(["controle", "grondslag", "artikel"], rijen))

    voorbeeld = [k for k, v in r.data.get("bronnen", {}).items() if "voorbeeldwaarde" in v.lower()]
    if voorbeeld:
        click.echo("")
        click.echo("Let op: voorbeeldwaarden, te vervangen door de gemeente: " + ", ".join(voorbeeld))


@regeling.command("controleer")
@click.argument("bestand")
def controleer(bestand: str) -> None:
    """Controleer een regeling (BESTAND: pad of id); exit 0 in orde, 2 bij een fout."""
    r = _laad(bestand)
    click.echo(f"Regeling {r.id} ({r.naam}) is in orde.")
    zonder = ontbrekende_bronnen(r)
    if zonder:
        click.echo("Waarschuwing: geen bron in [bronnen] voor: " + ", ".join(zonder))
