"""Column names: the contract's, the SVB's and iPgb's aliases, and the user's import definition.

A header matches a contract column when, ignoring case, spaces, dashes, underscores and dots
(`tables.normalise_header`), it is

1. a column of the user's import definition (`--kolommen MAPPING.toml`, see
   ../shared/spec/input-contract.md "import definition"), or
2. the contract's own column name, or
3. one of `ALIASES` (the words of SVB and iPgb exports: `klantnummer`, `budgetidentificatie`,
   `zorgfunctie`, `functiebudget`, ...).

The header row need not be the first: title rows above it are skipped (`kopregel_index`).
A missing required column is reported with the columns found and the nearest match
(rapidfuzz), but only when the file has a recognisable header: the cells of a file without
one are data (names, BSNs), never shown in a message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from auditor.errors import InvoerFout
from auditor.privacy import mask_bsn_tekst
from auditor.tables import TABLES, normalise_header

MAX_TITELRIJEN = 20       # rows above the header that may be titles
BIJNA = 70                # rapidfuzz WRatio (0-100) from which a header "lijkt op" a column

_GEDEELD = {
    "klantnummer": "budgethouder_id", "klantnr": "budgethouder_id", "budgethoudernummer": "budgethouder_id",
    "svbklantnummer": "budgethouder_id", "zorgverlenernummer": "zorgverlener_id",
    "zorgverlenernr": "zorgverlener_id", "relatienummerzorgverlener": "zorgverlener_id",
    "budgetidentificatie": "toekenning_id", "toekenningsnummer": "toekenning_id",
    "beschikkingsnummer": "toekenning_id", "overeenkomstnummer": "zorgovereenkomst_id",
    "zorgovereenkomstnummer": "zorgovereenkomst_id", "productcode": "product_code",
    "declaratienummer": "declaratie_id", "burgerservicenummer": "bsn", "rekeningnummer": "iban",
    "ibannummer": "iban", "telefoonnummer": "telefoon", "emailadres": "email", "adres": "straat_huisnummer",
    "gemeentecode": "gemeente_code", "cbscode": "gemeente_code", "kvknummer": "kvk_nummer",
    "agbcode": "agb_code",
}
#: per table: normalised alias -> contract column (only where the contract has that column)
ALIASES: dict[str, dict[str, str]] = {t: {} for t in TABLES}
_EIGEN = {
    "toekenningen": {"zorgfunctie": "categorie", "functie": "categorie", "functiebudget": "budget",
                     "toegekendbudget": "budget", "eenheidtarief": "tarief", "toegekendeomvang": "omvang"},
    "declaraties": {"begindatum": "datum_van", "einddatum": "datum_tot", "periodevan": "datum_van",
                    "periodetot": "datum_tot", "declaratiebedrag": "bedrag", "bedragdeclaratie": "bedrag",
                    "aantaleenheden": "aantal", "tariefpereenheid": "tarief", "toelichting": "omschrijving",
                    "declaratiedatum": "ingediend_op", "indieningsdatum": "ingediend_op",
                    "declaratiestatus": "status"},
    "zorgovereenkomsten": {"soortovereenkomst": "soort", "overeengekomentarief": "tarief",
                           "afgesprokentarief": "tarief"},
    "zorgverleners": {"naamzorgverlener": "naam", "soortzorgverlener": "soort"},
    "betalingen": {"betalingsnummer": "betaling_id", "betaalnummer": "betaling_id",
                   "uitbetaaldbedrag": "bedrag", "betaalddatum": "betaaldatum", "datumbetaling": "betaaldatum"},
    "budgethouders": {"naambudgethouder": "naam"},
    "budgetten": {"functiebudget": "budget", "budgetbedrag": "budget", "svbbudget": "budget",
                  "begindatum": "ingangsdatum", "startdatum": "ingangsdatum", "einddatumbudget": "einddatum"},
}
for _t, _spec in TABLES.items():
    _namen = {c.name for c in _spec.cols}
    ALIASES[_t] = {k: v for k, v in {**_GEDEELD, **_EIGEN.get(_t, {})}.items() if v in _namen
                   and k not in {normalise_header(n) for n in _namen}}


def sleutel(h: str | None) -> str:
    """A header as compared: `tables.normalise_header`."""
    return normalise_header(h or "")


def _fuzzy(h: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(h).lower())


# --------------------------------------------------------------------------- import definition

@dataclass
class TabelKoppeling:
    """One table of an import definition."""

    bestand: str | None = None                                     # file or sheet (glob pattern)
    kolommen: dict[str, str] = field(default_factory=dict)         # export header -> contract column
    waarden: dict[str, dict[str, str]] = field(default_factory=dict)   # column -> export value -> contract value


@dataclass
class Kolommen:
    """An import definition (`--kolommen MAPPING.toml`)."""

    pad: Path | None = None
    tabellen: dict[str, TabelKoppeling] = field(default_factory=dict)

    def voor(self, tabel: str) -> TabelKoppeling:
        return self.tabellen.get(tabel) or TabelKoppeling()


def laad_kolommen(pad: str | Path) -> Kolommen:
    """Read and check an import definition; `InvoerFout` (Dutch, with the key) when it is wrong."""
    pad = Path(pad)
    naam = pad.name
    try:
        data = tomllib.loads(pad.read_text(encoding="utf-8-sig"))
    except OSError:
        raise InvoerFout(f"--kolommen {naam}: het bestand kan niet worden gelezen; controleer de naam en de rechten.") \
            from None
    except UnicodeDecodeError:
        raise InvoerFout(f"--kolommen {naam}: het bestand is geen UTF-8-tekst; sla het op als UTF-8.") from None
    except tomllib.TOMLDecodeError as e:
        raise InvoerFout(f"--kolommen {naam}: geen geldige TOML ({e}); zie 'pgb-audit invoer uitleg'.") from None
    except RecursionError:
        raise InvoerFout(f"--kolommen {naam}: het bestand is te diep genest; verwacht per tabel "
                         "bestand, kolommen en waarden.") from None
    out = Kolommen(pad)
    for tabel, deel in data.items():
        if tabel not in TABLES:
            raise InvoerFout(f"--kolommen {naam}: onbekende tabel [{tabel}]; bekend zijn {', '.join(TABLES)}.")
        if not isinstance(deel, dict):
            raise InvoerFout(f"--kolommen {naam}: [{tabel}] moet een tabel zijn met bestand, kolommen en waarden.")
        onbekend = set(deel) - {"bestand", "kolommen", "waarden"}
        if onbekend:
            raise InvoerFout(f"--kolommen {naam}: onbekende sleutel {', '.join(sorted(onbekend))} in [{tabel}]; "
                             "verwacht bestand, kolommen en waarden.")
        namen = {c.name for c in TABLES[tabel].cols}
        k = TabelKoppeling()
        if "bestand" in deel:
            if not isinstance(deel["bestand"], str) or not deel["bestand"].strip():
                raise InvoerFout(f"--kolommen {naam}: [{tabel}] bestand moet een bestandsnaam of patroon zijn.")
            k.bestand = deel["bestand"].strip()
        kol = deel.get("kolommen", {})
        if not isinstance(kol, dict) or not all(isinstance(v, str) for v in kol.values()):
            raise InvoerFout(f"--kolommen {naam}: [{tabel}] kolommen moet kolomnamen koppelen, "
                             "zoals {{ \"Bedrag (EUR)\" = \"bedrag\" }}.")
        for export, contract in kol.items():
            if contract not in namen:
                raise InvoerFout(f"--kolommen {naam}: [{tabel}] kolommen koppelt aan '{contract}', geen kolom van "
                                 f"{tabel}; bekend zijn {', '.join(sorted(namen))}.")
        dubbel = [c for c in namen if list(kol.values()).count(c) > 1]
        if dubbel:
            raise InvoerFout(f"--kolommen {naam}: [{tabel}] kolommen koppelt twee kolommen aan '{dubbel[0]}'.")
        k.kolommen = dict(kol)
        w = deel.get("waarden", {})
        if not isinstance(w, dict):
            raise InvoerFout(f"--kolommen {naam}: [{tabel}.waarden] moet per kolom waarden koppelen.")
        for col, paren in w.items():
            if col not in namen:
                raise InvoerFout(f"--kolommen {naam}: [{tabel}.waarden.{col}]: '{col}' is geen kolom van {tabel}.")
            if not isinstance(paren, dict) or not all(isinstance(v, str) for v in paren.values()):
                raise InvoerFout(f"--kolommen {naam}: [{tabel}.waarden.{col}] moet waarden koppelen, "
                                 "zoals \"Uitbetaald\" = \"uitbetaald\".")
            k.waarden[col] = {str(a): b for a, b in paren.items()}
        out.tabellen[tabel] = k
    return out


# --------------------------------------------------------------------------- headers

def bekende_koppen(tabel: str, koppeling: TabelKoppeling | None = None) -> dict[str, str]:
    """Normalised header -> contract column, in order of precedence (mapping, contract, alias)."""
    out = {k: v for k, v in ALIASES[tabel].items()}
    out.update({sleutel(c.name): c.name for c in TABLES[tabel].cols})
    if koppeling is not None:
        out.update({sleutel(k): v for k, v in koppeling.kolommen.items()})
    return out


def kopregel_index(rows: list[list[str | None]], bekend: dict[str, str]) -> int | None:
    """Index of the header row among the first rows: the one naming the most known columns
    (the first of equals); None when no row names any."""
    beste: tuple[int, int] | None = None
    for i, row in enumerate(rows[: MAX_TITELRIJEN + 1]):
        n = len({bekend[sleutel(c)] for c in row if c is not None and sleutel(c) in bekend})
        if n and (beste is None or n > beste[0]):
            beste = (n, i)
    return None if beste is None else beste[1]


def geen_kopregel(waar: str, tabel: str) -> InvoerFout:
    verplicht = [c.name for c in TABLES[tabel].cols if c.required]
    return InvoerFout(
        f"{waar}: geen kopregel met kolomnamen van de tabel {tabel} gevonden (de eerste rij lijkt gegevens te "
        f"bevatten, of de kolommen hebben andere namen); verwacht bovenaan een kopregel met onder meer "
        f"{', '.join(verplicht[:6])}. Heeft de export eigen kolomnamen, leg ze dan vast met --kolommen "
        "(een voorstel maakt u met 'pgb-audit kolommen voorstel MAP').")


def controleer_dubbel(waar: str, kop: list[str], bekend: dict[str, str]) -> None:
    """Two header cells with the same name: exit 2, naming positions (and the name only
    when it is a known column: a cell of a file without header is data)."""
    gezien: dict[str, int] = {}
    for i, h in enumerate(kop):
        k = sleutel(h)
        if not k:
            continue
        if k in gezien:
            naam = f" ('{bekend[k]}')" if k in bekend else ""
            raise InvoerFout(
                f"{waar}: kolom {gezien[k] + 1} en kolom {i + 1} van de kopregel hebben dezelfde naam{naam}; "
                "verwacht elke kolom één keer (en een kopregel met kolomnamen als eerste rij).")
        gezien[k] = i


def _toon(h: str) -> str:
    h = mask_bsn_tekst(str(h)) or ""
    return h if len(h) <= 40 else h[:37] + "..."


def lijkt_op(doel: str, tabel: str, kandidaten: list[str]) -> str | None:
    """The candidate (a header or sheet name) most like contract column/table `doel`, if any."""
    if not kandidaten:
        return None
    namen = [doel] + [a for a, c in ALIASES.get(tabel, {}).items() if c == doel]
    beste: tuple[float, str] | None = None
    for n in namen:
        hit = process.extractOne(_fuzzy(n), [_fuzzy(k) for k in kandidaten], scorer=fuzz.WRatio, score_cutoff=BIJNA)
        if hit is not None and (beste is None or hit[1] > beste[0]):
            beste = (hit[1], kandidaten[hit[2]])
    return None if beste is None else beste[1]


def hernoem(df: pl.DataFrame, tabel: str, waar: str, koppeling: TabelKoppeling | None = None
            ) -> tuple[pl.DataFrame, dict[str, str], list[str]]:
    """Rename the frame's columns to the contract's (every contract column present, null
    where the file lacks an optional one); `InvoerFout` for a missing required column."""
    spec = TABLES[tabel]
    bekend = bekende_koppen(tabel, koppeling)
    exact = {k: v for k, v in (koppeling.kolommen.items() if koppeling else ())}
    mapping: dict[str, str] = {}
    extra: list[str] = []
    for h in df.columns:
        if h == "_overtollig":
            continue
        doel = exact.get(h) or bekend.get(sleutel(h))
        if doel and doel not in mapping.values():
            mapping[h] = doel
        else:
            extra.append(h)
    missing = [c.name for c in spec.cols if c.required and c.name not in mapping.values()]
    if missing:
        delen = []
        for m in missing:
            bijna = lijkt_op(m, tabel, extra)
            delen.append((f"'{m}'", f" ('{_toon(bijna)}' lijkt erop)" if bijna else ""))
        gevonden = [h for h in df.columns if h != "_overtollig"]
        lijst = ", ".join(_toon(h) for h in gevonden[:40]) + (", ..." if len(gevonden) > 40 else "")
        raise InvoerFout(
            f"{waar}: de verplichte kolom {delen[0][0]} ontbreekt{delen[0][1]}"
            + (f" (en ook {', '.join(a + b for a, b in delen[1:])})" if len(delen) > 1 else "")
            + f"; gevonden kolommen: {lijst or 'geen'}. Hernoem de kolom in het bestand of leg vast welke kolom het "
            "is met --kolommen (een voorstel maakt u met 'pgb-audit kolommen voorstel MAP'; "
            "zie 'pgb-audit invoer uitleg')."
        )
    out = df.rename(mapping).select(
        [pl.col(c.name) if c.name in mapping.values() else pl.lit(None, dtype=pl.String).alias(c.name)
         for c in spec.cols]
        + ([pl.col("_overtollig")] if "_overtollig" in df.columns else [])
    )
    if koppeling is not None and koppeling.waarden:
        out = out.with_columns([_waarden(c, paren) for c, paren in koppeling.waarden.items()])
    headers = {v: k for k, v in mapping.items()}
    return out, headers, extra


def _waarden(col: str, paren: dict[str, str]) -> pl.Expr:
    """Export values to contract values, compared trimmed and case-insensitively."""
    laag = {k.strip().lower(): v for k, v in paren.items()}
    key = pl.col(col).str.strip_chars().str.to_lowercase()
    return pl.when(key.is_in(list(laag))).then(key.replace_strict(laag, default=None)).otherwise(
        pl.col(col)).alias(col)
