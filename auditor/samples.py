"""A seeded, deterministic generator of realistic pgb batches with planted cases.

`genereer(out_dir, budgethouders, seed, regeling)` writes one valid batch in the input
contract (``../shared/spec/input-contract.md``): seven tables, a ``ground_truth.csv`` with
every (check, budgethouder) pair the checks must report, and a Dutch ``LEESMIJ.txt``.

How it works
------------
1. Every budgethouder is built "normal": 1-3 toekenningen, a zorgovereenkomst and a
   zorgverlener per toekenning, declaration lines that satisfy every rule of the regeling
   (tariffs at or below the norm, inside every period, fresh VOGs, unique contact data, ...).
2. A plan of *plants* (one or more budgethouders per check code that the regeling makes
   judgeable) is laid over randomly chosen budgethouders. A plant changes the budgethouder's
   specification (a zorgverlener without KvK, a toekenning budget above the norm, ...) or its
   lines (a copy, a line after death, ...), and tags the lines concerned.
3. Lines are generated per agreement in one linear pass; then monthly totals per
   (budgethouder, zorgverlener) are made to differ from the previous month (so that only the
   planted VAST-MAANDBEDRAG pattern exists), toekenning budgets are set with headroom from
   the final lines, payments are made per paid line, and everything is written with polars.

Everything comes from one ``random.Random(seed)``, so the same arguments give byte-identical
files. Tables are written in mixed flavours on purpose (Dutch Excel ``;``/decimal comma/
cp1252 or UTF-8 BOM, plain CSV), see ``docs/samples.md``.
"""

from __future__ import annotations

import importlib.resources
import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl


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

# --------------------------------------------------------------------------------------
# Regeling
# --------------------------------------------------------------------------------------

_REPO_TARIFFS = Path(__file__).resolve().parent.parent / "tariffs"

ALL_CHECKS = (
    "TARIEF", "BUDGET", "SN-CATEGORIE", "VERBODEN", "VAST-MAANDBEDRAG", "BUITENLAND",
    "BUITEN-PERIODE", "OVERSCHRIJDING", "AANWENDING", "KWALITEIT", "DUBBEL",
    "ONMOGELIJKE-UREN", "BETALING", "ZZP-LINK", "DUBBELROL", "NETWERK", "KM",
)

_D = Decimal


def _regeling_pad(regeling: str | Path) -> Path:
    p = Path(regeling)
    if p.suffix == ".toml" or p.exists():
        return p
    try:
        cand = importlib.resources.files("tariffs") / f"{regeling}.toml"
        if cand.is_file():
            return Path(str(cand))
    except (ModuleNotFoundError, TypeError):
        pass
    cand = _REPO_TARIFFS / f"{regeling}.toml"
    if cand.is_file():
        return cand
    raise FileNotFoundError(f"regeling '{regeling}' niet gevonden (geen bestand en niet gebundeld)")


def _cents(v: Decimal) -> int:
    return int((v.quantize(_D("0.01"), rounding=ROUND_HALF_UP) * 100).to_integral_value())


@dataclass
class Product:
    code: str
    categorie: str
    eenheid: str
    zin: Decimal
    omschrijving: str


class Reg:
    """The parts of a regeling TOML the generator needs, with the pgb norm of regeling.md."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            self.raw: dict[str, Any] = tomllib.load(f, parse_float=Decimal)
        self.id = path.stem
        r = self.raw.get("regeling", {})
        self.gemeente_code: str = str(r.get("gemeente_code", "0000"))
        self.gemeente: str = str(r.get("gemeente", ""))
        self.naam: str = str(r.get("naam", self.id))
        self.geldig_van: date | None = r.get("geldig_van")
        self.geldig_tot: date | None = r.get("geldig_tot")
        self.pgb: dict = self.raw.get("pgb", {})
        sn = self.raw.get("sociaal_netwerk", {})
        self.sn_toegestaan: list[str] | None = sn.get("toegestane_categorieen")
        self.dubbelrol: list[str] | None = sn.get("dubbelrol_rollen")
        self.maxima: dict = sn.get("maxima", {}) or {}
        self.vervoer: dict | None = self.raw.get("vervoer")
        self.verboden: dict | None = self.raw.get("verboden_bestedingen") or None
        self.netwerk_min: int | None = (self.raw.get("netwerk") or {}).get("min_budgethouders")
        self.products: dict[str, Product] = {}
        for code, p in (self.raw.get("zin_tarieven") or {}).items():
            self.products[str(code)] = Product(str(code), p["categorie"], p["eenheid"],
                                               _D(str(p["tarief"])), str(p.get("omschrijving", code)))

    # -- helpers ------------------------------------------------------------------------
    def p(self, key: str):
        v = self.pgb.get(key)
        return v

    def product(self, categorie: str, eenheid: str | None = None) -> Product | None:
        for pr in self.products.values():
            if pr.categorie == categorie and (eenheid is None or pr.eenheid == eenheid):
                return pr
        return None

    def sn_allowed(self, categorie: str) -> bool:
        return self.sn_toegestaan is None or categorie in self.sn_toegestaan

    def norm_ct(self, pr: Product, sn: bool) -> int | None:
        """The pgb norm per unit in cents (regeling.md), None when not judgeable."""
        cat, zin = pr.categorie, pr.zin
        pct_p, pct_w = self.p("percentage_professioneel"), self.p("percentage_wonen_verblijf")
        mx = self.maxima.get(cat)
        mx = _D(str(mx)) if mx is not None else None

        def cap(v: Decimal | None) -> Decimal | None:
            if not sn:
                return v
            if mx is None:
                return v
            return mx if v is None else min(v, mx)

        if cat in ("wonen_verblijf", "kortdurend_verblijf"):
            v = _D(str(pct_w)) * zin if pct_w is not None else None
            v = cap(v)
        elif cat in ("begeleiding_individueel", "persoonlijke_verzorging", "behandeling_individueel"):
            if sn:
                u = self.p("sociaal_netwerk_uurloon")
                vt = self.p("vakantietoeslag")
                v = _D(str(u)) * (1 + _D(str(vt or 0))) if u is not None else None
                v = cap(v)
            else:
                v = _D(str(pct_p)) * zin if pct_p is not None else None
        elif cat in ("begeleiding_groep", "behandeling_groep"):
            if sn:
                dd = self.p("sociaal_netwerk_dagdeel")
                v = cap(_D(str(dd)) if dd is not None else None)
            else:
                v = _D(str(pct_p)) * zin if pct_p is not None else None
        else:
            v = _D(str(pct_p)) * zin if pct_p is not None else None
        return None if v is None else _cents(v)

    def price_ct(self, pr: Product, sn: bool) -> int:
        """The tariff a beschikking uses: the norm, or a realistic stand-in where the regeling
        gives none (the line is then not judgeable anyway)."""
        n = self.norm_ct(pr, sn)
        if n is not None:
            return n
        if sn:
            return 2000 if pr.eenheid == "uur" else (2500 if pr.eenheid == "dagdeel" else 5000)
        pct = _D("1.00") if pr.categorie in ("wonen_verblijf", "kortdurend_verblijf") else _D("0.85")
        return _cents(pct * pr.zin)

    def possible(self, check: str) -> bool:
        """Can this regeling judge a planted case of `check`?"""
        pg = self.pgb
        if check == "VERBODEN":
            return bool(self.verboden)
        if check == "VAST-MAANDBEDRAG":
            # both the agreement and the monthly pattern are only judged where the regeling
            # forbids fixed monthly amounts
            return pg.get("vast_maandbedrag_toegestaan") is False
        if check == "BUITENLAND":
            return pg.get("max_weken_buitenland") is not None
        if check == "AANWENDING":
            return pg.get("aanwenden_binnen_maanden") is not None
        if check == "DUBBELROL":
            return bool(self.dubbelrol)
        if check == "KM":
            return bool(self.vervoer) and "km_tarief" in self.vervoer
        if check == "NETWERK":
            return self.netwerk_min is not None
        if check == "ONMOGELIJKE-UREN":
            return pg.get("max_uren_per_dag") is not None
        if check == "SN-CATEGORIE":
            return self.sn_toegestaan is not None and any(
                not self.sn_allowed(p.categorie) for p in self.products.values())
        if check in ("TARIEF", "BUDGET"):
            b = self.product("begeleiding_individueel", "uur")
            return b is not None and self.norm_ct(b, True) is not None
        return True


# --------------------------------------------------------------------------------------
# Names, addresses and identifiers
# --------------------------------------------------------------------------------------

VOORNAMEN_M = ("Jan", "Pieter", "Kees", "Henk", "Willem", "Thomas", "Daan", "Sem", "Lucas", "Milan",
               "Bram", "Ruben", "Jesse", "Thijs", "Lars", "Finn", "Noah", "Levi", "Luuk", "Stijn",
               "Joris", "Mark", "Erik", "Gerrit", "Hendrik", "Bas", "Niels", "Tim", "Jeroen", "Sander",
               "Mohamed", "Ahmed", "Youssef", "Emre", "Mehmet", "Rik", "Wouter", "Koen", "Teun", "Gijs",
               "Sven", "Jurre", "Mees", "Siem", "Olivier", "Dirk", "Frank", "Maarten", "René", "Jürgen")
VOORNAMEN_V = ("Anna", "Emma", "Sophie", "Julia", "Lotte", "Sanne", "Fleur", "Eva", "Lisa", "Iris",
               "Anouk", "Femke", "Noor", "Tess", "Sara", "Mila", "Zoë", "Lieke", "Marieke", "Annemiek",
               "Ingrid", "Petra", "Monique", "Esther", "Linda", "Wendy", "Miranda", "Karin", "Ilse", "Maaike",
               "Fatima", "Yasmina", "Ayşe" if False else "Ayse", "Elif", "Nadia", "Hanneke", "Gerda", "Joke",
               "Marloes", "Renée", "Chantal", "Mirjam", "Daphne", "Roos", "Evi", "Nina", "Jasmijn", "Sofie",
               "Floor", "Hélène")
ACHTERNAMEN = ("de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
               "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker",
               "van der Berg", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
               "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
               "Schouten", "Willems", "van Leeuwen", "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins",
               "Blom", "Huisman", "Kuipers", "Nijland", "Oude Luttikhuis", "Velthuis", "Leferink",
               "Kampert", "Wennink", "Zwijnenberg", "Olthof", "Nijhuis", "Pasman", "Groothuis",
               "Lansink", "Scholten", "Gerritsen", "Borghuis", "van Wijk", "Post", "Kroon", "Wolters",
               "el Amrani", "Yilmaz", "Öztürk", "Kaya", "Bouzid", "Hoogland", "Verweij", "Stam",
               "Roelofs", "Hermans", "van Beek", "Koning", "Schipper", "Veenstra", "Timmer", "Sluiter")
STRATEN = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Lindelaan", "Beukenlaan", "Schoolstraat",
           "Julianastraat", "Wilhelminastraat", "Oranjestraat", "Brinkstraat", "Esweg", "Hoofdstraat",
           "Prins Bernhardlaan", "Eikenlaan", "Vlasakker", "Populierenlaan", "Meidoornstraat",
           "Kastanjelaan", "Zonnebloemstraat", "Merelstraat", "Vinkenstraat", "Kievitstraat",
           "Lijsterbesstraat", "Berkenlaan", "Sportlaan", "Parklaan", "Rozenstraat", "Tulpstraat",
           "Jasmijnstraat", "Oude Molenweg", "Broekweg", "Veldweg", "Marktstraat", "Stationsweg")
PLAATSEN = {
    "0168": (("Losser", "758"), ("Overdinkel", "7586"), ("De Lutte", "7587"), ("Glane", "7585"),
             ("Beuningen", "7588")),
    "0736": (("Mijdrecht", "364"), ("Wilnis", "3648"), ("Vinkeveen", "3645"), ("Abcoude", "1391"),
             ("Baambrugge", "1396"), ("Amstelhoek", "3644")),
}
ANDERE_PLAATSEN = (("Enschede", "75", "053"), ("Hengelo", "755", "074"), ("Oldenzaal", "757", "0541"),
                   ("Utrecht", "35", "030"), ("Amsterdam", "10", "020"), ("Uithoorn", "142", "0297"),
                   ("Breukelen", "362", "0346"), ("Almelo", "76", "0546"), ("Haaksbergen", "748", "053"))
NETNUMMER = {"0168": "053", "0736": "0297"}
INSTELLING_NAMEN = (
    "Stichting Jeugdzorg {p}", "Kinderpraktijk De Regenboog", "Zorgboerderij De Hoeve",
    "Logeerhuis Het Anker", "Stichting Dagbesteding {p}", "Praktijk voor Kinder- en Jeugdpsychologie {p}",
    "Autismecentrum De Brug", "Jeugdhulp Op Maat B.V.", "Orthopedagogenpraktijk {p}",
    "Stichting Het Kinderhuis", "Taxicentrale {p} B.V.", "Zorgboerderij De Zonnehoek",
    "Gezinshuis De Linde", "Dagbehandeling De Kikker", "Stichting Speelgoed & Zorg",
    "Leerhuis De Wegwijzer", "Ambulante Jeugdhulp {p}", "Zorgcentrum De Esch",
)
BUREAU_NAMEN = ("Bewindvoering {p}", "Bewindvoerderskantoor {a}", "Budgetbeheer {p}",
                "Administratiekantoor {a}", "Mentorschap {p}", "Zorgconsulenten {a}")
BANKEN = ("INGB", "RABO", "ABNA", "SNSB", "TRIO", "ASNB", "KNAB", "RBRB")
MAILDOMEINEN = ("gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "live.nl",
                "hetnet.nl", "icloud.com")
LANDEN_VAKANTIE = ("DE", "BE", "FR", "ES")

OMS = {
    "zzp": ("begeleiding thuis", "begeleiding bij huiswerk", "schooladministratie doornemen",
            "reizen met het OV oefenen", "weekplanning maken", "sociale vaardigheden oefenen",
            "begeleiding na school", "dagstructuur oefenen", "zelfstandigheidstraining",
            "begeleiding bij sport", "boodschappen doen oefenen", "gesprek met ouders en school",
            "omgaan met emoties", "begeleiding bij vrijetijdsbesteding", ""),
    "sn": ("opvang na school", "begeleiding thuis", "hulp bij aankleden en wassen",
           "begeleiding bij huiswerk", "toezicht en structuur", "persoonlijke verzorging",
           "logeren bij oma", "zwemles begeleiden", "samen koken", ""),
    "behandeling": ("behandeling", "speltherapie", "cognitieve gedragstherapie", "EMDR-sessie",
                    "ouder-kindbehandeling", "diagnostiek", "intake en behandelplan", ""),
    "groep": ("dagbesteding", "groepsbegeleiding", "zorgboerderij", "naschoolse dagbehandeling",
              "sociale vaardigheidstraining in groep", "weekendopvang", ""),
    "verblijf": ("logeerweekend", "logeren", "weekendlogeren", ""),
    "vervoer": ("rit naar dagbesteding", "vervoer heen en terug", "taxirit", ""),
    "km": ("ritten naar therapie", "vervoer naar dagbesteding (eigen auto)", "ritten naar behandeling"),
}


def _bsn(rng: random.Random, used: set) -> str:
    while True:
        d = [int(c) for c in str(rng.randint(10_000_000, 99_999_999))]
        s = sum((9 - i) * x for i, x in enumerate(d)) % 11
        if s == 10:
            continue
        v = "".join(map(str, d)) + str(s)
        if v not in used:
            used.add(v)
            return v


def _iban_for(bank: str, account: str) -> str:
    body = bank + account + "NL00"
    num = "".join(str(int(ch, 36)) for ch in body)
    check = 98 - int(num) % 97
    return f"NL{check:02d}{bank}{account}"


def _iban(rng: random.Random, used: set) -> str:
    while True:
        bank = rng.choice(BANKEN)
        if bank == "INGB":
            acc = "000" + str(rng.randint(1_000_000, 9_999_999))
        else:
            while True:  # old Dutch 11-test on the 9-digit account number (weights 9..1)
                head = str(rng.randint(10_000_000, 99_999_999))
                s = sum((9 - i) * int(c) for i, c in enumerate(head)) % 11
                last = (11 - s) % 11      # weight 1 for the last digit
                if last < 10:
                    acc = "0" + head + str(last)
                    break
        v = _iban_for(bank, acc)
        if v not in used:
            used.add(v)
            return v


def _iban_spaced(v: str, lower: bool = False) -> str:
    s = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return s.lower() if lower else s


def _mobiel(rng: random.Random, used: set) -> str:
    while True:
        digits = f"6{rng.randint(10_000_000, 99_999_999)}"
        if digits not in used:
            used.add(digits)
            return digits


def _fmt_mobiel(digits: str, style: int) -> str:
    d = digits[1:]
    if style == 0:
        return f"06-{d}"
    if style == 1:
        return f"06{d}"
    if style == 2:
        return f"06 {d[0:2]} {d[2:4]} {d[4:6]} {d[6:8]}"
    return f"+31 6 {d[0:4]} {d[4:8]}"


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return date(y, m, min(d.day, last))


def _month_end(d: date) -> date:
    return _add_months(d.replace(day=1), 1) - timedelta(days=1)


# --------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------

@dataclass
class Persoon:
    voornaam: str
    achternaam: str
    geboortedatum: date
    bsn: str | None = None
    straat: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    iban: str | None = None
    telefoon: str | None = None
    email: str | None = None

    @property
    def naam(self) -> str:
        return f"{self.voornaam} {self.achternaam}"


@dataclass
class Zorgverlener:
    id: str
    naam: str
    soort: str
    kvk: str | None = None
    agb: str | None = None
    skj: str | None = None
    big: str | None = None
    vog: date | None = None
    opleiding: str | None = None
    persoon: Persoon | None = None
    straat: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    iban: str = ""
    telefoon: str | None = None
    email: str | None = None
    capaciteit: int = 3
    bh: list = field(default_factory=list)


@dataclass
class Toekenning:
    id: str
    bh: str
    product: Product
    sn: bool
    ingang: date
    einde: date
    aanvraag: date | None
    besluit: date | None
    toestemming: bool | None = None
    tarief_ct: int = 0
    omvang_factor: float = 1.3      # omvang = declared units x factor (+ margin)
    budget_tarief_ct: int | None = None  # BUDGET plant: budget computed at this tariff
    omvang_vast: int | None = None


@dataclass
class Afspraak:
    id: str
    bh: "BH"
    zv: Zorgverlener
    tk: Toekenning | None
    product: Product
    relatie: str            # relatie_tot_budgethouder
    soort: str              # zorgovereenkomst soort
    tarief_ct: int
    start: date             # first possible day of care
    end: date               # last possible day of care
    zo_ingang: date
    zo_einde: date | None
    mode: str = "sessies"   # sessies | week | weekend | maand | km
    per_week: int = 2
    weekdays: tuple = (1, 3)
    aantallen: tuple = (100, 150, 200)
    oms: tuple = ("",)
    werkafspraak: str = "per_eenheid"
    vast_ct: int | None = None
    km_e1: int | None = None
    lines: list = field(default_factory=list)
    frozen_months: set = field(default_factory=set)
    fill_tk: float = 0.9
    fill_zo: float = 0.85
    land: str = ""


@dataclass
class BH:
    idx: int
    id: str
    kind: Persoon
    moeder: Persoon
    relaties: list = field(default_factory=list)   # (rol, Persoon|org dict, extra)
    toekenningen: list = field(default_factory=list)
    afspraken: list = field(default_factory=list)
    overleden: date | None = None
    plants: list = field(default_factory=list)
    iban: str | None = None
    geplant: bool = False       # planted budgethouders get no parent caregivers
    heel_jaar: bool = False     # ordinary toekenningen run the whole year


# A line is a list; indices:
L_BH, L_ZV, L_ZO, L_TK, L_VAN, L_TOT, L_PROD, L_EENH, L_AANTAL, L_TARIEF, L_BEDRAG, L_OMS, \
    L_LAND, L_KM, L_TAG, L_FROZEN, L_PAY = range(17)


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------

class Generator:
    def __init__(self, reg: Reg, n: int, seed: int, jaar: int | None, regels_per_bh: int):
        self.reg, self.n, self.rng = reg, n, random.Random(seed)
        self.jaar = jaar or (reg.geldig_van.year if reg.geldig_van else 2025)
        self.ys = date(self.jaar, 1, 1)
        self.ye = date(self.jaar, 12, 31)
        if reg.geldig_tot and reg.geldig_tot.year == self.jaar:
            self.ye = min(self.ye, reg.geldig_tot)
        self.regels_per_bh = regels_per_bh
        self.used_bsn: set = set()
        self.used_iban: set = set()
        self.used_tel: set = set()
        self.used_mail: set = set()
        self.used_adres: set = set()
        self.used_naam: set = set()
        self.used_kvk: set = set()
        self.seq = {"zv": 0, "tk": 0, "zo": 0, "rel": 0}
        self.zorgverleners: list[Zorgverlener] = []
        self.bhs: list[BH] = []
        self.instellingen: dict[str, list[Zorgverlener]] = {}
        self.zzp_pool: list[Zorgverlener] = []
        self.bureaus: list[dict] = []
        self.extra_betalingen: list[list] = []   # [bh, zv, decl_id or "", iban, bedrag_ct, dag, tag]
        self.truth: dict[tuple[str, str], dict] = {}
        self.max_uren = reg.p("max_uren_per_dag") or 24
        gc = reg.gemeente_code
        self.plaatsen = PLAATSEN.get(gc, (("Losser", "758"),))
        self.netnr = NETNUMMER.get(gc, "053")
        # which checks to plant
        self.do = {c: reg.possible(c) for c in ALL_CHECKS}
        self.parents_care = not (reg.dubbelrol and ("wettelijk_vertegenwoordiger" in reg.dubbelrol
                                                    or "ouder" in reg.dubbelrol))

    # ---- small helpers ----------------------------------------------------------------
    def nid(self, kind: str) -> int:
        self.seq[kind] += 1
        return self.seq[kind]

    def rdate(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def adres(self, plaatsen=None) -> tuple[str, str, str]:
        rng = self.rng
        plaatsen = plaatsen or self.plaatsen
        while True:
            pl_, pre = rng.choice(plaatsen)
            pc = pre + "".join(str(rng.randint(0, 9)) for _ in range(4 - len(pre)))
            if pc[0] == "0":
                continue
            letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
            if letters in ("SA", "SD", "SS"):   # never issued in the Netherlands
                continue
            huis = str(rng.randint(1, 180))
            r = rng.random()
            if r < 0.08:
                huis += rng.choice("abc")
            elif r < 0.12:
                huis += "-" + str(rng.randint(1, 3))
            key = pc + letters + "|" + huis.lower().replace("-", "").replace(" ", "")
            key2 = pc + letters + "|" + "".join(ch for ch in huis if ch.isdigit())
            if key in self.used_adres or key2 in self.used_adres:
                continue
            self.used_adres.add(key)
            self.used_adres.add(key2)
            pcf = f"{pc} {letters}" if rng.random() < 0.8 else f"{pc}{letters}"
            return f"{rng.choice(STRATEN)} {huis}", pcf, pl_

    def naam(self, vrouw: bool, achternaam: str | None = None) -> tuple[str, str]:
        rng = self.rng
        for _ in range(200):
            vn = rng.choice(VOORNAMEN_V if vrouw else VOORNAMEN_M)
            an = achternaam or rng.choice(ACHTERNAMEN)
            if (vn, an) not in self.used_naam:
                self.used_naam.add((vn, an))
                return vn, an
            if achternaam:
                achternaam = None  # fall back to another surname
        # many people: make the name unique with a second first name initial
        while True:
            vn = rng.choice(VOORNAMEN_V if vrouw else VOORNAMEN_M) + " " + rng.choice("ABCDEFGHJKLMNPRSTW") + "."
            an = rng.choice(ACHTERNAMEN)
            if (vn, an) not in self.used_naam:
                self.used_naam.add((vn, an))
                return vn, an

    def email(self, vn: str, an: str, domein: str | None = None) -> str:
        base = (vn.split()[0][0] + "." + an.replace(" ", "").replace("ö", "o").replace("Ö", "O")).lower()
        base = "".join(ch for ch in base if ch.isascii())
        dom = domein or self.rng.choice(MAILDOMEINEN)
        i = 0
        while True:
            e = f"{base}{i if i else ''}@{dom}"
            if e not in self.used_mail:
                self.used_mail.add(e)
                return e
            i += 1

    def persoon(self, vrouw: bool, geb_lo: date, geb_hi: date, achternaam=None, adres=None,
                contact=True) -> Persoon:
        vn, an = self.naam(vrouw, achternaam)
        p = Persoon(vn, an, self.rdate(geb_lo, geb_hi), bsn=_bsn(self.rng, self.used_bsn))
        if adres is None:
            adres = self.adres()
        p.straat, p.postcode, p.woonplaats = adres
        if contact:
            p.iban = _iban(self.rng, self.used_iban)
            p.telefoon = _fmt_mobiel(_mobiel(self.rng, self.used_tel), self.rng.randint(0, 3))
            p.email = self.email(vn, an)
        return p

    def kvk(self) -> str:
        while True:
            v = f"{self.rng.randint(0, 99_999_999):08d}"
            if self.rng.random() < 0.15:
                v = "0" + v[1:]
            if v not in self.used_kvk:
                self.used_kvk.add(v)
                return v

    def vog_normaal(self) -> date:
        """A VOG valid on every day of the year (and before the first day of care)."""
        n = self.reg.p("vog_max_jaren") or 3
        lo = _add_years(self.ye, -int(n)) + timedelta(days=20)
        hi = self.ys - timedelta(days=20)
        if lo > hi:
            lo = hi
        return self.rdate(lo, hi)

    # ---- zorgverleners ----------------------------------------------------------------
    def new_zv(self, soort: str, naam: str, **kw) -> Zorgverlener:
        zv = Zorgverlener(id=f"ZV{self.nid('zv'):05d}", naam=naam, soort=soort, **kw)
        self.zorgverleners.append(zv)
        return zv

    def instelling(self, categorie: str) -> Zorgverlener:
        pool = self.instellingen.setdefault(categorie, [])
        # roughly one instelling per 12 budgethouders per category
        if not pool or (len(pool) < 2 + self.n // 12 and self.rng.random() < 0.35):
            rng = self.rng
            plaats, pre, netnr = rng.choice(ANDERE_PLAATSEN)
            tmpl = {
                "behandeling_individueel": ("Praktijk voor Kinder- en Jeugdpsychologie {p}", "Orthopedagogenpraktijk {p}",
                                            "Autismecentrum De Brug", "Ambulante Jeugdhulp {p}"),
                "behandeling_groep": ("Dagbehandeling De Kikker", "Stichting Jeugdzorg {p}"),
                "begeleiding_groep": ("Zorgboerderij De Hoeve", "Stichting Dagbesteding {p}", "Zorgboerderij De Zonnehoek",
                                      "Leerhuis De Wegwijzer"),
                "kortdurend_verblijf": ("Logeerhuis Het Anker", "Stichting Het Kinderhuis"),
                "wonen_verblijf": ("Gezinshuis De Linde",),
                "vervoer": ("Taxicentrale {p} B.V.",),
            }.get(categorie, INSTELLING_NAMEN)
            naam = rng.choice(tmpl).format(p=plaats)
            existing = {z.naam for z in self.zorgverleners}
            if naam in existing:
                naam = f"{naam} (locatie {len(pool) + 2})"
            while naam in existing:
                naam += "+"
            straat, pc, wp = self.adres(((plaats, pre),))
            tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
            while tel in self.used_tel:
                tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
            self.used_tel.add(tel)
            dom = "".join(ch for ch in naam.lower() if ch.isalnum())[:22] + ".nl"
            zv = self.new_zv("instelling", naam, kvk=self.kvk(), agb=f"{rng.randint(1, 99_999_999):08d}",
                             straat=straat, postcode=pc, woonplaats=wp, iban=_iban(rng, self.used_iban),
                             telefoon=f"{tel[:len(netnr)]}-{tel[len(netnr):]}", email=self._org_mail("info", dom),
                             capaciteit=10 ** 9)
            pool.append(zv)
            return zv
        return self.rng.choice(pool)

    def _org_mail(self, local: str, dom: str) -> str:
        e = f"{local}@{dom}"
        i = 1
        while e in self.used_mail:
            i += 1
            e = f"{local}{i}@{dom}"
        self.used_mail.add(e)
        return e

    def zzp(self, dedicated: bool = False, **overrides) -> Zorgverlener:
        if not dedicated:
            free = [z for z in self.zzp_pool[-6:] if len(z.bh) < z.capaciteit]
            if free and self.rng.random() < 0.7:
                return self.rng.choice(free)
        rng = self.rng
        vrouw = rng.random() < 0.75
        p = self.persoon(vrouw, date(1965, 1, 1), date(1998, 12, 31),
                         adres=self.adres(self.plaatsen + tuple((a, b) for a, b, _ in ANDERE_PLAATSEN[:3])))
        heeft_big = rng.random() < 0.12
        kw = dict(kvk=self.kvk(), skj=None if heeft_big else f"1{rng.randint(0, 99_999_999):08d}",
                  big=f"{rng.randint(10_000_000_000, 99_999_999_999)}" if heeft_big else None,
                  vog=self.vog_normaal() if rng.random() < 0.6 else None,
                  opleiding=rng.choice(("hbo", "hbo", "wo", "mbo4")), persoon=p,
                  straat=p.straat, postcode=p.postcode, woonplaats=p.woonplaats, iban=p.iban,
                  telefoon=p.telefoon, email=p.email, capaciteit=3 if not dedicated else 1)
        kw.update(overrides)
        zv = self.new_zv("zzp", p.naam, **kw)
        if not dedicated:
            self.zzp_pool.append(zv)
        return zv

    def sn_person(self, bh: BH, kind: str) -> tuple[Zorgverlener, str]:
        """A zorgverlener from the sociaal netwerk: (zv, relatie_tot_budgethouder)."""
        rng = self.rng
        if kind == "ouder":
            m = bh.moeder
            zv = self.new_zv("sociaal_netwerk", m.naam, persoon=m, straat=m.straat, postcode=m.postcode,
                             woonplaats=m.woonplaats, iban=m.iban, telefoon=m.telefoon, email=m.email,
                             capaciteit=1)
            return zv, "ouder"
        if kind == "oma":
            p = self.persoon(True, date(1945, 1, 1), date(1972, 12, 31))
            rel, soort = "familie", "sociaal_netwerk"
        elif kind == "tante":
            p = self.persoon(rng.random() < 0.7, date(1970, 1, 1), date(1998, 12, 31))
            rel, soort = "familie", "sociaal_netwerk"
        else:  # buurvrouw / kennis
            p = self.persoon(True, date(1960, 1, 1), date(2000, 12, 31))
            rel, soort = "bekende", "overig_niet_professioneel"
        zv = self.new_zv(soort, p.naam, persoon=p, straat=p.straat, postcode=p.postcode,
                         woonplaats=p.woonplaats, iban=p.iban, telefoon=p.telefoon, email=p.email,
                         vog=self.vog_normaal(), opleiding=rng.choice((None, "mbo2", "mbo3", "mbo4")),
                         capaciteit=1)
        return zv, rel

    # ---- budgethouders ----------------------------------------------------------------
    def new_bh(self, i: int) -> BH:
        rng = self.rng
        adres = self.adres()
        moeder = self.persoon(True, date(1972, 1, 1), date(1996, 12, 31), adres=adres)
        kind = self.persoon(rng.random() < 0.4, date(2008, 1, 1), date(2022, 12, 31),
                            achternaam=moeder.achternaam if rng.random() < 0.6 else None,
                            adres=adres, contact=False)
        kind.telefoon, kind.email = moeder.telefoon, moeder.email
        bh = BH(i, f"{2_100_000 + i * 10 + rng.randint(0, 9)}", kind, moeder)
        if rng.random() < 0.3:
            bh.iban = _iban(rng, self.used_iban)
        rol_m = "wettelijk_vertegenwoordiger" if rng.random() < 0.6 else "ouder"
        bh.relaties.append((rol_m, moeder, {}))
        if rng.random() < 0.6:
            vader = self.persoon(False, date(1968, 1, 1), date(1995, 12, 31), achternaam=kind.achternaam,
                                 adres=adres if rng.random() < 0.7 else None)
            bh.relaties.append(("ouder", vader, {}))
        r = rng.random()
        if r < 0.07:
            bh.relaties.append((rng.choice(("bewindvoerder", "gemachtigde")), self.bureau(), {}))
        elif r < 0.11:
            p = self.persoon(rng.random() < 0.5, date(1950, 1, 1), date(1990, 12, 31))
            bh.relaties.append(("gemachtigde", p, {}))
        return bh

    def bureau(self, voor_netwerk: bool = False) -> dict:
        """An organisation acting for budgethouders; normal bureaus act for at most 2."""
        cap = 10 ** 9 if voor_netwerk else max(1, (self.reg.netwerk_min or 3) - 1)
        if not voor_netwerk:
            for b in self.bureaus:
                if b["n"] < b["cap"] and not b["netwerk"] and self.rng.random() < 0.5:
                    b["n"] += 1
                    return b
        rng = self.rng
        plaats, pre, netnr = rng.choice(ANDERE_PLAATSEN)
        a = rng.choice(ACHTERNAMEN).replace("van der ", "").replace("de ", "").title()
        naam = rng.choice(BUREAU_NAMEN).format(p=plaats, a=a)
        if voor_netwerk:
            naam = f"PGB Zorgbureau {rng.choice(('De Linde', 'Zorgrijk', 'Samen Sterk', 'Het Baken'))}"
        names = {b["naam"] for b in self.bureaus}
        k = 2
        base = naam
        while naam in names:
            naam = f"{base} {k}"
            k += 1
        tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
        while tel in self.used_tel:
            tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
        self.used_tel.add(tel)
        straat, pc, wp = self.adres(((plaats, pre),))
        dom = "".join(ch for ch in naam.lower() if ch.isalnum())[:24] + ".nl"
        b = {"naam": naam, "telefoon": f"{tel[:len(netnr)]}-{tel[len(netnr):]}",
             "email": self._org_mail("info", dom), "straat": straat, "postcode": pc, "woonplaats": wp,
             "iban": _iban(rng, self.used_iban), "n": 1, "cap": cap, "netwerk": voor_netwerk}
        self.bureaus.append(b)
        return b

    # ---- toekenningen and agreements ---------------------------------------------------
    def toekenning(self, bh: BH, pr: Product, sn: bool, ingang: date | None = None,
                   einde: date | None = None) -> Toekenning:
        rng = self.rng
        if ingang is None:
            r = rng.random()
            if r < 0.7:
                ingang = self.ys
            else:
                ingang = date(self.jaar, rng.randint(2, 9), 1)
        if einde is None:
            r = rng.random()
            if r < 0.75 or ingang.month > 6:
                einde = self.ye if rng.random() < 0.6 else _add_years(ingang, 1) - timedelta(days=1)
            else:
                einde = _month_end(date(self.jaar, rng.randint(max(ingang.month + 3, 8), 11), 1))
        aanvraag = ingang - timedelta(days=rng.randint(25, 75))
        besluit = aanvraag + timedelta(days=rng.randint(7, 24))
        t = Toekenning(f"TK{self.jaar}-{self.nid('tk'):06d}", bh.id, pr, sn, ingang, einde,
                       aanvraag, besluit, toestemming=None if rng.random() < 0.7 else False)
        t.tarief_ct = self.reg.price_ct(pr, sn)
        t.omvang_factor = 1.2 + rng.random() * 0.4
        bh.toekenningen.append(t)
        return t

    def afspraak(self, bh: BH, zv: Zorgverlener, tk: Toekenning | None, pr: Product, relatie: str,
                 soort: str, tarief_ct: int, mode: str, aantallen: tuple, oms: tuple,
                 per_week: int | None = None, start: date | None = None, end: date | None = None) -> Afspraak:
        rng = self.rng
        if tk is not None:
            s = tk.ingang
            if tk.aanvraag and tk.aanvraag > s and not tk.toestemming:
                s = tk.aanvraag
            start = start or s + timedelta(days=rng.randint(0, 10))
            end = end or min(tk.einde, self.ye)
            zo_ingang = tk.ingang if rng.random() < 0.7 else min(start, tk.ingang + timedelta(days=rng.randint(0, 5)))
            zo_einde = None if rng.random() < 0.5 else tk.einde
        else:
            zo_ingang = start
            zo_einde = None
        if bh.overleden:
            end = min(end, bh.overleden)
        if per_week is None:
            per_week = 2
        wd_pool = [0, 1, 2, 3, 4] + ([5] if relatie != "geen" else [])
        weekdays = tuple(sorted(rng.sample(wd_pool, min(per_week, len(wd_pool)))))
        a = Afspraak(f"ZO{self.nid('zo'):06d}", bh, zv, tk, pr, relatie, soort, tarief_ct, start, end,
                     zo_ingang, zo_einde, mode=mode, per_week=per_week, weekdays=weekdays,
                     aantallen=aantallen, oms=oms)
        bh.afspraken.append(a)
        zv.bh.append(bh.id)
        return a

    def line_tarief(self, norm_or_price: int, sn: bool) -> int:
        """A realistic agreed tariff at or below the norm."""
        rng = self.rng
        if sn:
            opts = [c for c in (1500, 1650, 1750, 1800, 1900, 1950, 2000) if c <= norm_or_price]
            if not opts or rng.random() < 0.3:
                return norm_or_price
            return rng.choice(opts)
        if rng.random() < 0.25:
            return norm_or_price
        t = int(norm_or_price * (0.86 + rng.random() * 0.13))
        return t - t % 50 if t % 50 else t

    def plan_normal(self, bh: BH, n_tk: int, avoid: set) -> None:
        """1-3 ordinary toekenningen with their agreements."""
        rng = self.rng
        reg = self.reg
        scen_w = [("zzp", 34), ("sn", 20), ("behandeling", 14), ("groep", 14), ("logeren", 6),
                  ("vervoer", 7)]
        if self.do["KM"]:
            scen_w.append(("km", 5))
        chosen: list[str] = []
        tries = 0
        while len(chosen) < n_tk and tries < 30:
            tries += 1
            tot = sum(w for _, w in scen_w)
            x = rng.uniform(0, tot)
            for s, w in scen_w:
                x -= w
                if x <= 0:
                    break
            if s in chosen or s in avoid:
                continue
            if s == "vervoer" and "km" in chosen or s == "km" and "vervoer" in chosen:
                continue
            chosen.append(s)
        for s in chosen:
            self.scenario(bh, s)

    def scenario(self, bh: BH, s: str, **kw) -> Afspraak | None:
        rng, reg = self.rng, self.reg
        if bh.heel_jaar:
            kw.setdefault("ingang", self.ys)
            kw.setdefault("einde", self.ye)
        used_products = {t.product.code for t in bh.toekenningen} | {a.product.code for a in bh.afspraken}
        if s == "zzp":
            pr = reg.product("begeleiding_individueel", "uur")
            if pr is None or pr.code in used_products:
                pr = reg.product("persoonlijke_verzorging", "uur")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = kw.get("zv") or self.zzp()
            mode = "week" if rng.random() < 0.2 else "sessies"
            return self.afspraak(bh, zv, tk, pr, "geen", "opdracht", self.line_tarief(tk.tarief_ct, False), mode,
                                 (100, 150, 200, 250, 300), OMS["zzp"], per_week=rng.randint(1, 3))
        if s == "sn":
            cands = [p for p in (reg.product("begeleiding_individueel", "uur"), reg.product("persoonlijke_verzorging", "uur"))
                     if p is not None and p.code not in used_products and reg.sn_allowed(p.categorie)]
            if not cands:
                return None
            pr = rng.choice(cands)
            tk = self.toekenning(bh, pr, True, kw.get("ingang"), kw.get("einde"))
            kind = kw.get("kind") or rng.choice(
                (("ouder", "oma", "oma", "tante", "buur") if self.parents_care and not bh.geplant
                 else ("oma", "oma", "tante", "buur")))
            zv, rel = self.sn_person(bh, kind)
            mode = "week" if rng.random() < 0.25 else "sessies"
            return self.afspraak(bh, zv, tk, pr, rel, "familiehulp" if rel != "bekende" else "arbeidsovereenkomst",
                                 self.line_tarief(tk.tarief_ct, True), mode, (100, 150, 200, 300, 400), OMS["sn"],
                                 per_week=rng.randint(1, 3))
        if s == "behandeling":
            pr = reg.product("behandeling_individueel", "uur")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (75, 100, 150), OMS["behandeling"], per_week=1)
        if s == "groep":
            pr = rng.choice([p for p in (reg.product("begeleiding_groep"), reg.product("behandeling_groep"))
                             if p is not None] or [None])
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (100, 100, 200), OMS["groep"], per_week=rng.randint(1, 3))
        if s == "logeren":
            pr = reg.product("kortdurend_verblijf")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "weekend", (200,), OMS["verblijf"], per_week=1)
        if s == "vervoer":
            pr = reg.product("vervoer")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling("vervoer")
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (200, 200, 100), OMS["vervoer"], per_week=rng.randint(1, 3))
        if s == "km":
            pr = reg.product("vervoer")
            if pr is None or pr.code in used_products or not reg.vervoer:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = kw.get("zv") or self.zzp(dedicated=True)
            a = self.afspraak(bh, zv, tk, pr, "geen", "opdracht", tk.tarief_ct, "km", (200,), OMS["km"], per_week=1)
            a.km_e1 = rng.randint(85, 350)
            return a
        raise ValueError(s)

    # ---- lines ------------------------------------------------------------------------
    def _line(self, a: Afspraak, van: date, tot: date, aantal: int, tarief: int | None = None,
              oms: str | None = None, land: str = "", km_e1: int | None = None, bedrag: int | None = None,
              tag: str = "", frozen: bool = False) -> list:
        rnd = self.rng.random
        tarief = a.tarief_ct if tarief is None else tarief
        if bedrag is None:
            bedrag = (aantal * tarief + 50) // 100
        tk_id = a.tk.id if (a.tk is not None and rnd() < a.fill_tk) else ""
        zo_id = a.id if rnd() < a.fill_zo else ""
        if oms is None:
            oms = a.oms[int(rnd() * len(a.oms))]
        return [a.bh.id, a.zv.id, zo_id, tk_id, van.toordinal(), tot.toordinal(), a.product.code,
                a.product.eenheid, aantal, tarief, bedrag, oms, land or a.land, km_e1, tag, frozen, None]

    def gen_lines(self, a: Afspraak) -> None:
        rng = self.rng
        if a.start > a.end:
            return
        if a.mode == "aanwending_net":
            # near miss: the first care falls just inside the aanwending term
            a.lines.append(self._line(a, a.start, a.start, rng.choice(a.aantallen)))
            a.start += timedelta(days=1)
            a.mode = "sessies"
        out = a.lines
        if a.mode == "maand":
            m = a.start.replace(day=1)
            while m <= a.end:
                van, tot = max(m, a.start), min(_month_end(m), a.end)
                out.append(self._line(a, van, tot, a.aantallen[0], bedrag=a.vast_ct,
                                      tarief=(a.vast_ct * 100) // a.aantallen[0], oms="vaste maandvergoeding"))
                m = _add_months(m, 1)
            return
        if a.mode == "weekend":
            m = a.start.replace(day=1)
            while m <= a.end:
                # one or two weekend stays per month: Friday to Sunday, same month
                fridays = [m + timedelta(days=k) for k in range(31) if (m + timedelta(days=k)).month == m.month
                           and (m + timedelta(days=k)).weekday() == 4]
                for fr in sorted(rng.sample(fridays, rng.randint(1, 2))):
                    su = fr + timedelta(days=2)
                    if fr >= a.start and su <= a.end and su.month == fr.month:
                        out.append(self._line(a, fr, su, 200))
                m = _add_months(m, 1)
            return
        # sessions or weekly lines
        monday = a.start - timedelta(days=a.start.weekday())
        s_ord, e_ord = a.start.toordinal(), a.end.toordinal()
        skip = 0.06
        rnd = rng.random
        while monday <= a.end:
            mo = monday.toordinal()
            if a.mode in ("week", "km"):
                # Monday..Sunday, clipped to the care window and to the month
                days = [d for d in range(mo, mo + (5 if a.mode == "km" else 7)) if s_ord <= d <= e_ord]
                if days:
                    groups: dict[int, list[int]] = {}
                    for d in days:
                        groups.setdefault(date.fromordinal(d).month, []).append(d)
                    for grp in groups.values():
                        if rng.random() < skip:
                            continue
                        n_sess = max(1, round(a.per_week * len(grp) / (5 if a.mode == "km" else 7)))
                        van, tot = date.fromordinal(grp[0]), date.fromordinal(grp[-1])
                        if a.mode == "km":
                            trips = 2 * len(grp) if rng.random() < 0.5 else 2 * max(1, len(grp) - 1)
                            km = a.km_e1
                            drempel = int(_D(str(self.reg.vervoer["km_drempel_enkele_reis"])) * 10)
                            kmt = _D(str(self.reg.vervoer["km_tarief"]))
                            per_trip = int((kmt * _D(max(0, km - drempel)) / 10 * 100).to_integral_value(ROUND_FLOOR))
                            out.append(self._line(a, van, tot, trips * 100, tarief=per_trip,
                                                  km_e1=km, bedrag=trips * per_trip))
                        else:
                            aantal = sum(rng.choice(a.aantallen) for _ in range(n_sess))
                            out.append(self._line(a, van, tot, aantal))
            else:
                for wd in a.weekdays:
                    d = mo + wd
                    if d < s_ord or d > e_ord or rnd() < skip:
                        continue
                    dd = date.fromordinal(d)
                    out.append(self._line(a, dd, dd, a.aantallen[int(rnd() * len(a.aantallen))]))
            monday += timedelta(days=7)

    # ---- the monthly-total rule --------------------------------------------------------
    def vary_months(self, bh: BH) -> None:
        """No 3 consecutive months with equal totals per (budgethouder, zorgverlener):
        make every month's total aantal differ from the previous month's."""
        by_zv: dict[str, list[Afspraak]] = {}
        for a in bh.afspraken:
            by_zv.setdefault(a.zv.id, []).append(a)
        for zv_id, afs in by_zv.items():
            if any(a.werkafspraak == "vast_maandbedrag" for a in afs):
                continue
            months: dict[tuple[int, int], list[list]] = {}
            for a in afs:
                for ln in a.lines:
                    d = date.fromordinal(ln[L_VAN])
                    months.setdefault((d.year, d.month), []).append(ln)
            keys = sorted(months)
            prev_tot = None
            prev_key = None
            for k in keys:
                lns = months[k]
                tot = (sum(ln[L_AANTAL] for ln in lns), sum(ln[L_BEDRAG] for ln in lns))
                consecutive = prev_key is not None and (
                    (prev_key[0] * 12 + prev_key[1]) + 1 == k[0] * 12 + k[1])
                if consecutive and tot == prev_tot:
                    cand = [ln for ln in lns if not ln[L_FROZEN] and ln[L_KM] is None]
                    target = lns
                    if not cand:
                        target = months[prev_key]
                        cand = [ln for ln in target if not ln[L_FROZEN] and ln[L_KM] is None]
                    if cand:
                        ln = cand[-1]
                        step = 50 if ln[L_EENH] == "uur" else 100
                        ln[L_AANTAL] += step
                        ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                        tot = (sum(x[L_AANTAL] for x in lns), sum(x[L_BEDRAG] for x in lns))
                prev_tot, prev_key = tot, k

    # ---- ground truth -----------------------------------------------------------------
    def truth_add(self, check: str, bh: BH, toelichting: str, lines: list | None = None) -> None:
        key = (check, bh.id)
        e = self.truth.setdefault(key, {"lines": [], "toelichting": []})
        if lines:
            e["lines"].extend(lines)
        if toelichting and toelichting not in e["toelichting"]:
            e["toelichting"].append(toelichting)


# --------------------------------------------------------------------------------------
# Plants
# --------------------------------------------------------------------------------------

# (check, variant): variants in order of importance; the first of each check is planted first.
PLAN: list[tuple[str, str, int]] = [
    # check, variant, number of budgethouders it needs
    ("TARIEF", "zzp_boven_norm", 1), ("TARIEF", "sn_boven_norm", 1),
    ("BUDGET", "sn_budget_te_hoog", 1), ("BUDGET", "prof_100_procent", 1),
    ("SN-CATEGORIE", "sn_behandeling", 1), ("SN-CATEGORIE", "sn_tweede", 1),
    ("VERBODEN", "administratie_contributie", 1), ("VERBODEN", "woordvolgorde", 1),
    ("VAST-MAANDBEDRAG", "patroon", 1), ("VAST-MAANDBEDRAG", "vast_afspraak", 1),
    ("BUITENLAND", "weken_marokko", 1), ("BUITENLAND", "dagen_turkije", 1),
    ("BUITEN-PERIODE", "voor_ingang_na_einde", 1), ("BUITEN-PERIODE", "voor_aanvraag", 1),
    ("BUITEN-PERIODE", "na_overlijden", 1), ("BUITEN-PERIODE", "geen_toekenning", 1),
    ("OVERSCHRIJDING", "meer_uren", 1),
    ("AANWENDING", "laat_begonnen", 1), ("AANWENDING", "laat_na_besluit", 1),
    ("KWALITEIT", "zzp_zonder_kvk", 1), ("KWALITEIT", "zzp_zonder_skj", 1),
    ("KWALITEIT", "vog_verlopen", 1), ("KWALITEIT", "vog_ontbreekt", 1),
    ("DUBBEL", "kopie", 1),
    ("ONMOGELIJKE-UREN", "zzp_twee_bh", 2),
    ("BETALING", "ander_iban", 1), ("BETALING", "zonder_declaratie_en_te_veel", 1),
    ("ZZP-LINK", "iban", 1), ("ZZP-LINK", "adres", 1), ("ZZP-LINK", "telefoon", 1),
    ("DUBBELROL", "naam_geboortedatum", 1), ("DUBBELROL", "bsn", 1),
    ("NETWERK", "bureau_drie_bh", 3), ("NETWERK", "gedeeld_iban", 2),
    ("KM", "hele_afstand", 1), ("KM", "onder_drempel", 1),
]

_VARIANT_NEEDS = {
    ("VAST-MAANDBEDRAG", "vast_afspraak"): lambda r: r.pgb.get("vast_maandbedrag_toegestaan") is False,
    ("KWALITEIT", "vog_verlopen"): lambda r: r.pgb.get("vog_max_jaren") is not None,
    ("KWALITEIT", "vog_ontbreekt"): lambda r: r.pgb.get("vog_max_jaren") is not None,
    ("BUDGET", "prof_100_procent"): lambda r: r.pgb.get("percentage_professioneel") is not None,
    ("TARIEF", "zzp_boven_norm"): lambda r: r.pgb.get("percentage_professioneel") is not None,
}


class Planter:
    """Applies the plants. Spec-level plants run before line generation (`spec_*`), line-level
    ones after it (`lines_*`)."""

    def __init__(self, g: Generator):
        self.g = g
        self.r = g.reg

    # helpers
    def sn_uur_product(self) -> Product | None:
        for cat in ("begeleiding_individueel", "persoonlijke_verzorging"):
            p = self.r.product(cat, "uur")
            if p is not None and self.r.sn_allowed(p.categorie) and self.r.norm_ct(p, True) is not None:
                return p
        return None

    def free_product(self, bh: BH, *cands: Product | None) -> Product | None:
        used = {t.product.code for t in bh.toekenningen} | {a.product.code for a in bh.afspraken}
        for p in cands:
            if p is not None and p.code not in used:
                return p
        return None

    def sn_afspraak(self, bh: BH, kind: str = "oma", tarief: int | None = None, **kw) -> Afspraak:
        g = self.g
        pr = self.free_product(bh, self.sn_uur_product(), self.r.product("persoonlijke_verzorging", "uur"))
        tk = g.toekenning(bh, pr, True, kw.pop("ingang", g.ys), kw.pop("einde", g.ye))
        zv, rel = g.sn_person(bh, kind)
        return g.afspraak(bh, zv, tk, pr, rel, "familiehulp" if rel != "bekende" else "arbeidsovereenkomst",
                          tarief if tarief is not None else g.line_tarief(tk.tarief_ct, True), kw.pop("mode", "sessies"),
                          (100, 150, 200, 300), OMS["sn"], per_week=2, **kw)

    def zzp_afspraak(self, bh: BH, zv: Zorgverlener | None = None, **kw) -> Afspraak:
        g = self.g
        pr = self.free_product(bh, self.r.product("begeleiding_individueel", "uur"),
                               self.r.product("persoonlijke_verzorging", "uur"),
                               self.r.product("overig", "uur"))
        tk = g.toekenning(bh, pr, False, kw.pop("ingang", g.ys), kw.pop("einde", g.ye))
        zv = zv or g.zzp(dedicated=True)
        per_week = kw.pop("per_week", 2)
        return g.afspraak(bh, zv, tk, pr, "geen", "opdracht", kw.pop("tarief", None) or g.line_tarief(tk.tarief_ct, False),
                          kw.pop("mode", "sessies"), (100, 150, 200, 250), OMS["zzp"], per_week=per_week, **kw)

    def pick_lines(self, a: Afspraak, k: int, month: int | None = None) -> list:
        lns = [ln for ln in a.lines if not ln[L_TAG] and (month is None or date.fromordinal(ln[L_VAN]).month == month)]
        if len(lns) <= k:
            return lns
        step = len(lns) / k
        return [lns[int(i * step)] for i in range(k)]


def _plant_spec(p: Planter, check: str, variant: str, bhs: list[BH]) -> None:
    """Spec-level part of a plant; stores a closure for the line-level part in bh.plants."""
    g, r = p.g, p.r
    bh = bhs[0]
    rng = g.rng

    def later(fn):
        bh.plants.append(fn)

    if check == "TARIEF":
        if variant == "zzp_boven_norm":
            a = p.zzp_afspraak(bh)

            def f():
                norm = r.norm_ct(a.product, False)
                lns = p.pick_lines(a, 3, month=rng.randint(3, 10)) or p.pick_lines(a, 3)
                for ln in lns:
                    ln[L_TARIEF] = norm + 1250
                    ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                    ln[L_OMS] = "avond- en weekendtarief"
                    ln[L_TAG], ln[L_FROZEN] = "TARIEF", True
                g.truth_add("TARIEF", bh, f"zzp'er declareert {len(lns)} regels boven de pgb-norm", lns)
            later(f)
        else:
            a = p.sn_afspraak(bh, kind="oma" if variant == "sn_boven_norm" else "buur")

            def f():
                norm = r.norm_ct(a.product, True)
                lns = p.pick_lines(a, 4, month=rng.randint(2, 11)) or p.pick_lines(a, 4)
                for ln in lns:
                    ln[L_TARIEF] = max(norm + 500, 2500)
                    ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                    ln[L_TAG], ln[L_FROZEN] = "TARIEF", True
                g.truth_add("TARIEF", bh, "sociaal netwerk tegen een beroepstarief boven de norm", lns)
            later(f)
    elif check == "BUDGET":
        if variant == "sn_budget_te_hoog":
            a = p.sn_afspraak(bh, kind="tante")
            a.tk.budget_tarief_ct = r.norm_ct(a.product, True) + 250
            a.tk.tarief_ct = a.tk.budget_tarief_ct
            g.truth_add("BUDGET", bh, "toekenning sociaal netwerk berekend boven de norm per uur")
        else:
            pr = p.free_product(bh, r.product("behandeling_individueel", "uur"), r.product("begeleiding_groep"))
            tk = g.toekenning(bh, pr, False, g.ys, g.ye)
            tk.budget_tarief_ct = _cents(pr.zin)   # 100% of the ZIN tariff instead of the pgb percentage
            tk.tarief_ct = tk.budget_tarief_ct
            zv = g.instelling(pr.categorie)
            g.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", r.norm_ct(pr, False), "sessies",
                       (100,) if pr.eenheid != "uur" else (75, 100), OMS["behandeling"], per_week=1)
            g.truth_add("BUDGET", bh, "toekenning professioneel berekend op 100% van het ZIN-tarief")
    elif check == "SN-CATEGORIE":
        bad = [pr for pr in r.products.values() if not r.sn_allowed(pr.categorie)]
        pref = ["behandeling_individueel", "behandeling_groep", "vervoer", "crisis", "wonen_verblijf"]
        bad.sort(key=lambda pr: pref.index(pr.categorie) if pr.categorie in pref else 99)
        pr = bad[0] if variant == "sn_behandeling" else (bad[1] if len(bad) > 1 else bad[0])
        if pr.code in {t.product.code for t in bh.toekenningen}:
            pr = bad[-1]
        tk = g.toekenning(bh, pr, True, g.ys, g.ye)
        zv, rel = g.sn_person(bh, "tante")
        norm = r.norm_ct(pr, True)
        tarief = min(norm, 2000) if norm is not None else (2000 if pr.eenheid == "uur" else 1500)
        tk.tarief_ct = norm if norm is not None else tarief
        aant = (100, 150, 200) if pr.eenheid == "uur" else (100, 200)
        a = g.afspraak(bh, zv, tk, pr, rel, "familiehulp", tarief, "sessies", aant,
                       ("therapie thuis oefenen", "behandeling door tante", "oefeningen uit de therapie", ""),
                       per_week=1)

        def f():
            g.truth_add("SN-CATEGORIE", bh, f"sociaal netwerk levert {pr.categorie}", list(a.lines))
        later(f)
    elif check == "VERBODEN":
        a = p.zzp_afspraak(bh)
        texts = (("Adminstratiekosten PGB", "contributie Per Saldo") if variant == "administratie_contributie"
                 else ("kosten administratie pgb", "Bemidelingskosten zorgbureau"))

        def f():
            lns = []
            taken = {ln[L_VAN] for ln in a.lines}
            for k, t in enumerate(texts):
                d = date(g.jaar, 3 + 4 * k, 28)
                while d.toordinal() in taken or d.weekday() > 4:
                    d -= timedelta(days=1)
                taken.add(d.toordinal())
                ln = g._line(a, d, d, 100, oms=t, tag="VERBODEN", frozen=True)
                a.lines.append(ln)
                lns.append(ln)
            g.truth_add("VERBODEN", bh, "verboden besteding in de omschrijving: " + " / ".join(texts), lns)
        later(f)
    elif check == "VAST-MAANDBEDRAG":
        if variant == "vast_afspraak":
            a = p.sn_afspraak(bh, kind="oma", mode="maand")
            a.werkafspraak = "vast_maandbedrag"
            uren = rng.choice((24, 30, 32, 40))
            a.aantallen = (uren * 100,)
            a.vast_ct = uren * a.tarief_ct
            a.fill_tk = a.fill_zo = 1.0

            def f():
                for ln in a.lines:
                    ln[L_TAG], ln[L_FROZEN] = "VAST-MAANDBEDRAG", True
                g.truth_add("VAST-MAANDBEDRAG", bh, "zorgovereenkomst met een vast maandbedrag", list(a.lines))
            later(f)
        else:
            a = p.zzp_afspraak(bh, per_week=2)

            def f():
                m0 = rng.randint(3, 8)
                lns = []
                for m in (m0, m0 + 1, m0 + 2):
                    mine = [ln for ln in a.lines if date.fromordinal(ln[L_VAN]).month == m]
                    for ln in mine:
                        a.lines.remove(ln)
                    first = date(g.jaar, m, 1)
                    days = [first + timedelta(days=k) for k in range(31)
                            if (first + timedelta(days=k)).month == m and (first + timedelta(days=k)).weekday() in a.weekdays]
                    for d in days[:8] if len(days) >= 8 else days + []:
                        ln = g._line(a, d, d, 200, oms="begeleiding", tag="VAST-MAANDBEDRAG", frozen=True)
                        a.lines.append(ln)
                        lns.append(ln)
                    if len(days) < 8:  # pad with other weekdays to 8 lines
                        extra = [first + timedelta(days=k) for k in range(31)
                                 if (first + timedelta(days=k)).month == m and (first + timedelta(days=k)).weekday() < 5
                                 and (first + timedelta(days=k)) not in days][: 8 - len(days)]
                        for d in extra:
                            ln = g._line(a, d, d, 200, oms="begeleiding", tag="VAST-MAANDBEDRAG", frozen=True)
                            a.lines.append(ln)
                            lns.append(ln)
                a.lines.sort(key=lambda x: x[L_VAN])
                g.truth_add("VAST-MAANDBEDRAG", bh, "drie maanden achter elkaar precies 16 uur en hetzelfde bedrag", lns)
            later(f)
    elif check == "BUITENLAND":
        a = p.sn_afspraak(bh, kind="oma" if variant == "weken_marokko" else "tante")
        land = "MA" if variant == "weken_marokko" else "TR"
        limit = int(r.p("max_weken_buitenland")) * 7

        def f():
            van = date(g.jaar, 7, 5)
            tot = van + timedelta(days=limit + 8)
            # remove every line of this budgethouder in the stay (the child is abroad)
            for b in bh.afspraken:
                b.lines[:] = [ln for ln in b.lines if ln[L_TOT] < van.toordinal() or ln[L_VAN] > tot.toordinal()]
            new = []
            if variant == "weken_marokko":
                d = van
                while d <= tot:
                    e = min(d + timedelta(days=6), tot, _month_end(d))
                    new.append(g._line(a, d, e, rng.choice((8, 10, 12, 14)) * 100, oms="begeleiding tijdens verblijf",
                                       land=land, frozen=True))
                    d = e + timedelta(days=1)
            else:
                d = van
                while d <= tot:
                    new.append(g._line(a, d, d, rng.choice((200, 300, 400)), oms="opvang tijdens vakantie",
                                       land=land, frozen=True))
                    d += timedelta(days=1)
            seen = 0
            tagged = []
            for ln in new:
                days = ln[L_TOT] - ln[L_VAN] + 1
                if seen + days > limit:
                    ln[L_TAG] = "BUITENLAND"
                    tagged.append(ln)
                seen += days
            a.lines.extend(new)
            a.lines.sort(key=lambda x: x[L_VAN])
            g.truth_add("BUITENLAND", bh, f"{seen} dagen zorg in {land}, meer dan {limit}", tagged)
        later(f)
    elif check == "BUITEN-PERIODE":
        if variant == "voor_ingang_na_einde":
            a = p.zzp_afspraak(bh, ingang=date(g.jaar, 3, 1), einde=date(g.jaar, 9, 30))
            a.tk.aanvraag = date(g.jaar, 1, 20)
            a.tk.besluit = date(g.jaar, 2, 12)
            a.zo_ingang, a.zo_einde = date(g.jaar, 2, 10), None
            a.fill_tk = 1.0

            def f():
                lns = [g._line(a, date(g.jaar, 2, d), date(g.jaar, 2, d), 200, tag="BUITEN-PERIODE", frozen=True)
                       for d in (17, 24)]
                lns += [g._line(a, date(g.jaar, 10, d), date(g.jaar, 10, d), 150, tag="BUITEN-PERIODE", frozen=True)
                        for d in (6, 13, 20)]
                a.lines[:0] = lns[:2]
                a.lines.extend(lns[2:])
                g.truth_add("BUITEN-PERIODE", bh, "zorg voor de ingangsdatum en na de einddatum van de toekenning", lns)
            later(f)
        elif variant == "voor_aanvraag":
            a = p.zzp_afspraak(bh, ingang=date(g.jaar, 4, 1), einde=g.ye, start=date(g.jaar, 4, 2))
            a.tk.aanvraag = date(g.jaar, 4, 14)
            a.tk.besluit = date(g.jaar, 5, 2)
            a.tk.toestemming = False
            a.zo_ingang = date(g.jaar, 4, 1)

            def f():
                lns = [ln for ln in a.lines if ln[L_VAN] < a.tk.aanvraag.toordinal()]
                if len(lns) < 2:
                    have = {ln[L_VAN] for ln in lns}
                    for d in (date(g.jaar, 4, 3), date(g.jaar, 4, 9)):
                        if d.toordinal() not in have:
                            ln = g._line(a, d, d, 150)
                            a.lines.append(ln)
                            lns.append(ln)
                    a.lines.sort(key=lambda x: x[L_VAN])
                for ln in lns:
                    ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
                g.truth_add("BUITEN-PERIODE", bh, "zorg voor de aanvraagdatum zonder toestemming", lns)
            later(f)
        elif variant == "na_overlijden":
            bh.overleden = None  # lines run on; the death is set after generation

            def f():
                dood = date(g.jaar, 8, 13)
                bh.overleden = dood
                lns = []
                for b in bh.afspraken:
                    # stop care a little after the death, keep a weekly line that crosses it
                    b.lines[:] = [ln for ln in b.lines if ln[L_VAN] <= dood.toordinal() + 12]
                    for ln in b.lines:
                        if ln[L_TOT] > dood.toordinal():
                            ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
                            lns.append(ln)
                if not lns:
                    b = bh.afspraken[0]
                    d = dood + timedelta(days=3)
                    ln = g._line(b, d, d, b.aantallen[0], tag="BUITEN-PERIODE", frozen=True)
                    b.lines.append(ln)
                    lns.append(ln)
                g.truth_add("BUITEN-PERIODE", bh, "zorg gedeclareerd na de overlijdensdatum", lns)
            later(f)
        else:  # geen_toekenning
            pr = p.free_product(bh, r.product("persoonlijke_verzorging", "uur"), r.product("overig", "uur"),
                                r.product("begeleiding_individueel", "uur"))
            zv = g.zzp(dedicated=True)
            tarief = g.line_tarief(r.price_ct(pr, False), False)
            a = g.afspraak(bh, zv, None, pr, "geen", "opdracht", tarief, "sessies", (100, 150, 200), OMS["zzp"],
                           per_week=1, start=date(g.jaar, 6, 2), end=date(g.jaar, 6, 30))
            a.zo_ingang, a.zo_einde = date(g.jaar, 6, 1), date(g.jaar, 6, 30)

            def f():
                for ln in a.lines:
                    ln[L_TAG], ln[L_FROZEN] = "BUITEN-PERIODE", True
                    ln[L_TK] = ""
                g.truth_add("BUITEN-PERIODE", bh, "zorg zonder toekenning voor dit product", list(a.lines))
            later(f)
    elif check == "OVERSCHRIJDING":
        a = p.zzp_afspraak(bh, per_week=3)
        a.tk.omvang_factor = 0.8
        g.truth_add("OVERSCHRIJDING", bh, "meer gedeclareerd dan het budget van de toekenning")
    elif check == "AANWENDING":
        n_m = int(r.p("aanwenden_binnen_maanden"))
        if variant == "laat_begonnen":
            a = p.zzp_afspraak(bh, ingang=g.ys, einde=g.ye)
            a.tk.besluit = g.ys - timedelta(days=10)
            a.start = _add_months(g.ys, n_m) + timedelta(days=rng.randint(10, 40))
            g.truth_add("AANWENDING", bh, f"eerste zorg meer dan {n_m} maanden na de ingangsdatum")
        else:
            a = p.sn_afspraak(bh, kind="oma", ingang=g.ys, einde=g.ye)
            a.tk.besluit = date(g.jaar, 2, 14)
            a.tk.aanvraag = g.ys - timedelta(days=30)
            a.start = _add_months(a.tk.besluit, n_m) + timedelta(days=rng.randint(8, 20))
            g.truth_add("AANWENDING", bh, f"eerste zorg meer dan {n_m} maanden na de besluitdatum")
    elif check == "KWALITEIT":
        if variant in ("zzp_zonder_kvk", "zzp_zonder_skj"):
            zv = g.zzp(dedicated=True)
            if variant == "zzp_zonder_kvk":
                zv.kvk = None
            else:
                zv.skj = zv.big = None
                zv.vog = g.vog_normaal()
            a = p.zzp_afspraak(bh, zv=zv)

            def f():
                g.truth_add("KWALITEIT", bh, "zzp'er zonder KvK-inschrijving" if variant == "zzp_zonder_kvk"
                            else "zzp'er zonder SKJ- of BIG-registratie", list(a.lines))
            later(f)
        else:
            n = int(r.p("vog_max_jaren"))
            a = p.sn_afspraak(bh, kind="tante" if variant == "vog_verlopen" else "buur")
            if variant == "vog_verlopen":
                a.zv.vog = _add_years(date(g.jaar, 6, 16), -n)
            else:
                a.zv.vog = None

            def f():
                if variant == "vog_verlopen":
                    exp = _add_years(a.zv.vog, n).toordinal()
                    a.lines[:] = [ln for ln in a.lines if not (exp - 4 <= ln[L_VAN] <= exp + 4 or exp - 4 <= ln[L_TOT] <= exp + 4)]
                    lns = [ln for ln in a.lines if ln[L_TOT] > exp]
                    txt = "VOG ouder dan toegestaan op de dag van de zorg"
                else:
                    lns = list(a.lines)
                    txt = "geen VOG van een zorgverlener uit het netwerk (geen ouder)"
                for ln in lns:
                    ln[L_TAG] = "KWALITEIT"
                g.truth_add("KWALITEIT", bh, txt, lns)
            later(f)
    elif check == "DUBBEL":
        a = p.zzp_afspraak(bh)

        def f():
            src = p.pick_lines(a, 2)
            lns = []
            for k, ln in enumerate(src):
                for _ in range(1 if k == 0 else 2):
                    c = list(ln)
                    c[L_TAG], c[L_FROZEN] = "DUBBEL", True
                    c[L_OMS] = ln[L_OMS]
                    a.lines.append(c)
                    lns.append(c)
                ln[L_FROZEN] = True
            a.lines.sort(key=lambda x: x[L_VAN])
            g.truth_add("DUBBEL", bh, "dezelfde zorg twee of drie keer gedeclareerd", lns)
        later(f)
    elif check == "ONMOGELIJKE-UREN":
        zv = g.zzp(dedicated=True)
        zv.capaciteit = 2
        afs = [p.zzp_afspraak(b, zv=zv, per_week=1) for b in bhs]
        mx = int(g.max_uren)

        def f():
            days = []
            for m, dd in ((5, 6), (6, 11), (9, 17)):
                d = date(g.jaar, m, dd)
                while d.weekday() > 4:
                    d += timedelta(days=1)
                days.append(d)
            # clear those days, so the planted lines are the only ones
            for a in afs:
                a.lines[:] = [ln for ln in a.lines
                              if not any(ln[L_VAN] <= d.toordinal() <= ln[L_TOT] for d in days)]
            uren = (round(mx * 0.6), mx - round(mx * 0.6) + 3)
            for b, a, u in zip(bhs, afs, uren):
                lns = []
                for d in days:
                    ln = g._line(a, d, d, u * 100, oms="hele dag begeleiding", tag="ONMOGELIJKE-UREN", frozen=True)
                    a.lines.append(ln)
                    lns.append(ln)
                a.lines.sort(key=lambda x: x[L_VAN])
                g.truth_add("ONMOGELIJKE-UREN", b, f"zzp'er declareert op één dag {sum(uren)} uur bij twee budgethouders", lns)
        later(f)
    elif check == "BETALING":
        a = p.zzp_afspraak(bh)

        def f():
            lns = p.pick_lines(a, 2)
            if variant == "ander_iban":
                other = _iban(rng, g.used_iban)
                lns[0][L_PAY] = ("iban", other)
                lns[0][L_FROZEN] = True
                g.truth_add("BETALING", bh, "betaling naar een IBAN dat niet van de zorgverlener is", [lns[0]])
            else:
                lns[0][L_PAY] = ("meer", 1000 + 100 * rng.randint(0, 9))
                lns[0][L_FROZEN] = True
                d = date(g.jaar, 11, 14)
                g.extra_betalingen.append([bh.id, a.zv.id, "", a.zv.iban, 45000, d])
                g.truth_add("BETALING", bh, "betaling zonder declaratie en een betaling hoger dan gedeclareerd", [lns[0]])
        later(f)
    elif check == "ZZP-LINK":
        m = bh.moeder
        zv = g.zzp(dedicated=True)
        if variant == "iban":
            zv.iban = _iban_spaced(m.iban, lower=rng.random() < 0.5)
            txt = "zzp'er wordt betaald op het IBAN van de moeder"
        elif variant == "adres":
            import re as _re
            mt = _re.match(r"^(.*?)\s+(\d+)", m.straat)
            street, num = mt.group(1), mt.group(2)
            m.straat = f"{street} {num}a"
            bh.kind.straat = m.straat
            for rol, pers, _ in bh.relaties:
                if isinstance(pers, Persoon) and pers.postcode == m.postcode:
                    pers.straat = m.straat
            zv.straat = f"{street} {num} A"
            zv.postcode = m.postcode.replace(" ", "").lower() if " " in m.postcode else m.postcode[:4] + " " + m.postcode[4:]
            zv.woonplaats = m.woonplaats
            txt = "zzp'er woont op het adres van de budgethouder"
        else:
            digits = "6" + "".join(ch for ch in m.telefoon if ch.isdigit())[-8:]
            m.telefoon = _fmt_mobiel(digits, 0)
            bh.kind.telefoon = m.telefoon
            zv.telefoon = _fmt_mobiel(digits, 3)
            txt = "zzp'er heeft het telefoonnummer van de moeder"
        a = p.zzp_afspraak(bh, zv=zv)

        def f():
            g.truth_add("ZZP-LINK", bh, txt, list(a.lines))
        later(f)
    elif check == "DUBBELROL":
        if variant == "naam_geboortedatum":
            # the representative (mother) is also the caregiver, registered under a misspelt name
            pr = p.sn_uur_product()
            pr = p.free_product(bh, pr, r.product("persoonlijke_verzorging", "uur"))
            tk = g.toekenning(bh, pr, True, g.ys, g.ye)
            m = bh.moeder
            bh.relaties[0] = ("wettelijk_vertegenwoordiger", m, {})
            an = m.achternaam
            if "ss" not in an and "s" in an:
                fout = an.replace("s", "ss", 1)          # Jansen -> Janssen
            elif "ij" in an:
                fout = an.replace("ij", "y", 1)          # Dijkstra -> Dykstra
            elif "ss" in an:
                fout = an.replace("ss", "s", 1)
            else:
                fout = an + an[-1]                       # Kok -> Kokk
            zv = g.new_zv("sociaal_netwerk", f"{m.voornaam} {fout}", persoon=None, vog=None,
                          iban=_iban(rng, g.used_iban), capaciteit=1)
            zv.persoon = Persoon(m.voornaam, fout, m.geboortedatum)
            a = g.afspraak(bh, zv, tk, pr, "ouder", "familiehulp", g.line_tarief(tk.tarief_ct, True), "sessies",
                           (100, 150, 200), OMS["sn"], per_week=2)
            txt = f"wettelijk vertegenwoordiger is ook zorgverlener ('{m.naam}' / '{zv.naam}', zelfde geboortedatum)"
        else:
            p2 = g.persoon(False, date(1960, 1, 1), date(1985, 12, 31), contact=False)
            bh.relaties.append(("bewindvoerder", p2, {"alleen_naam_bsn": True}))
            zv = g.zzp(dedicated=True)
            zv.naam = f"{p2.voornaam[0]}. {p2.achternaam}"
            zv.persoon.bsn = p2.bsn
            zv.persoon.geboortedatum = p2.geboortedatum
            a = p.zzp_afspraak(bh, zv=zv)
            txt = "bewindvoerder is ook de zzp-zorgverlener (zelfde BSN)"

        def f():
            g.truth_add("DUBBELROL", bh, txt, list(a.lines))
        later(f)
    elif check == "NETWERK":
        if variant == "bureau_drie_bh":
            bureau = g.bureau(voor_netwerk=True)
            zv = g.zzp(dedicated=True)
            zv.capaciteit = len(bhs)
            afs = []
            for b in bhs:
                b.relaties = [x for x in b.relaties if x[0] not in ("gemachtigde", "bewindvoerder")]
                b.relaties.append(("gemachtigde", bureau, {}))
                afs.append(p.zzp_afspraak(b, zv=zv, per_week=1))

            def f():
                for b, a in zip(bhs, afs):
                    g.truth_add("NETWERK", b, f"gemachtigde '{bureau['naam']}' voor {len(bhs)} budgethouders met dezelfde zorgverlener",
                                list(a.lines))
            bh.plants.append(f)
        else:
            shared = _iban(rng, g.used_iban)
            afs = []
            for k, b in enumerate(bhs):
                zv = g.zzp(dedicated=True)
                zv.iban = shared if k == 0 else _iban_spaced(shared)
                afs.append(p.zzp_afspraak(b, zv=zv))

            def f():
                for b, a in zip(bhs, afs):
                    g.truth_add("NETWERK", b, "meerdere zorgverleners worden op één IBAN betaald", list(a.lines))
            bh.plants.append(f)
    elif check == "KM":
        a = g.scenario(bh, "km", zv=g.zzp(dedicated=True))
        v = r.vervoer
        kmt = _D(str(v["km_tarief"]))
        drempel = _D(str(v["km_drempel_enkele_reis"]))

        def f():
            lns = p.pick_lines(a, 3)
            for ln in lns:
                if variant == "hele_afstand":
                    km = ln[L_KM]
                else:
                    km = int(drempel * 10) - 15   # below the threshold: nothing may be paid
                    ln[L_KM] = km
                per_trip = _cents(kmt * _D(km) / 10)
                ln[L_TARIEF] = per_trip
                ln[L_BEDRAG] = ln[L_AANTAL] * per_trip // 100
                ln[L_TAG], ln[L_FROZEN] = "KM", True
            g.truth_add("KM", bh, "kilometervergoeding zonder aftrek van de drempel" if variant == "hele_afstand"
                        else "kilometervergoeding voor ritten onder de drempel", lns)
        later(f)
    else:
        raise ValueError(check)


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


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

# The committed demo batches under samples/ (tests regenerate them and compare bytes).
DEMOS: dict[str, dict] = {
    "losser-2025": {"regeling": "losser-2025", "budgethouders": 50, "seed": 1, "regels_per_budgethouder": 50},
    "de-ronde-venen-2026": {"regeling": "de-ronde-venen-2026", "budgethouders": 50, "seed": 2,
                            "regels_per_budgethouder": 50},
}


def genereer_demos(root: Path) -> dict:
    """(Re)write the demo batches `root/<id>/` (the repo's `samples/`)."""
    return {naam: genereer(Path(root) / naam, **kw) for naam, kw in DEMOS.items()}


def genereer(out_dir: Path, budgethouders: int = 50, seed: int = 1, regeling: str | Path = "losser-2025",
             jaar: int | None = None, regels_per_budgethouder: int = 200) -> dict:
    """Write one batch with planted cases into `out_dir`; return counts per table and check.

    `regels_per_budgethouder` sets the density of declaration lines (about that many per
    budgethouder on average); the demo batches use fewer to stay small.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reg = Reg(_regeling_pad(regeling))
    g = Generator(reg, budgethouders, seed, jaar, regels_per_budgethouder)
    g.args = {"budgethouders": budgethouders, "seed": seed, "regeling": reg.id,
              "regels_per_budgethouder": regels_per_budgethouder}
    rng = g.rng
    p = Planter(g)

    # ---- plan --------------------------------------------------------------------------
    plan = [(c, v, k) for c, v, k in PLAN if g.do[c] and _VARIANT_NEEDS.get((c, v), lambda r: True)(reg)]
    if reg.sn_toegestaan is not None:
        n_bad = sum(1 for pr in reg.products.values() if not reg.sn_allowed(pr.categorie))
        if n_bad < 2:
            plan = [x for x in plan if x[:2] != ("SN-CATEGORIE", "sn_tweede")]
    # keep first variants first when there are few budgethouders
    budget_bh = max(0, budgethouders - max(3, budgethouders // 5))
    ordered = sorted(enumerate(plan), key=lambda t: (0 if [x[0] for x in plan].index(t[1][0]) == t[0] else 1, t[0]))
    chosen, used = [], 0
    for _, item in ordered:
        if used + item[2] <= budget_bh:
            chosen.append(item)
            used += item[2]
    chosen.sort(key=lambda it: plan.index(it))
    planted_idx = rng.sample(range(budgethouders), used)

    # ---- budgethouders ------------------------------------------------------------------
    for i in range(budgethouders):
        g.bhs.append(g.new_bh(i))

    # one near miss per kind, on normal budgethouders
    normal_idx = [i for i in range(budgethouders) if i not in set(planted_idx)]
    assignments: list[tuple[str, str, list[BH]]] = []
    pos = 0
    for c, v, k in chosen:
        assignments.append((c, v, [g.bhs[j] for j in planted_idx[pos:pos + k]]))
        pos += k
    planted_bh = {b.id for _, _, bs in assignments for b in bs}

    # plants first (they create dedicated toekenningen), then ordinary toekenningen
    for c, v, bs in assignments:
        for b in bs:
            b.geplant = True
            b.heel_jaar = True
    for c, v, bs in assignments:
        _plant_spec(p, c, v, bs)
    near = {}
    for j, i in enumerate(normal_idx[:4]):
        near[g.bhs[i].id] = ("toestemming", "buitenland_twee_per_dag", "aanwending_net_op_tijd", "overleden_laatste_dag")[j]
    for b in g.bhs:
        have = len(b.toekenningen)
        avoid = {"km"} if b.id in planted_bh else set()
        if near.get(b.id) == "toestemming":
            a = p.zzp_afspraak(b, ingang=date(g.jaar, 4, 1), einde=g.ye, start=date(g.jaar, 4, 2))
            a.tk.aanvraag, a.tk.besluit, a.tk.toestemming = date(g.jaar, 4, 14), date(g.jaar, 5, 2), True
        elif near.get(b.id) == "aanwending_net_op_tijd" and reg.p("aanwenden_binnen_maanden") is not None:
            a = p.zzp_afspraak(b, ingang=date(g.jaar, 2, 1), einde=g.ye)
            a.tk.besluit = date(g.jaar, 1, 20)
            a.start = _add_months(date(g.jaar, 2, 1), int(reg.p("aanwenden_binnen_maanden"))) - timedelta(days=5)
            a.mode = "aanwending_net"
        want = rng.choices((1, 2, 3), (35, 45, 20))[0]
        if want > have:
            g.plan_normal(b, want - have, avoid)
        if not b.toekenningen:
            g.plan_normal(b, 1, avoid)

    # ---- line density ------------------------------------------------------------------
    # about `regels_per_budgethouder` lines per budgethouder on average: the fixed patterns
    # (weekly lines, weekend stays, monthly lines) count first, sessions fill up the rest
    for b in g.bhs:
        target = g.regels_per_bh * 1.12 * (0.7 + rng.random() * 0.6)  # 1.12: calibrated to the mean
        sess = [a for a in b.afspraken if a.mode == "sessies"]
        fixed = 0.0
        for a in b.afspraken:
            span_d = max(0, (a.end - a.start).days + 1)
            if a.mode in ("week", "km"):
                fixed += span_d / 7 * 1.05
            elif a.mode == "weekend":
                fixed += span_d / 30.4 * 1.4
            elif a.mode == "maand":
                fixed += span_d / 30.4
        rest = max(target - fixed, 12.0 * len(sess))
        for a in sess:
            span_w = max(1.0, ((a.end - a.start).days + 1) / 7)
            pw = rest / len(sess) / span_w / 0.94
            pool = [0, 1, 2, 3, 4] + ([5] if a.relatie != "geen" else [])
            k = int(pw) + (1 if rng.random() < pw - int(pw) else 0)
            a.per_week = max(1, min(len(pool), k))
            if len(a.weekdays) != a.per_week:
                a.weekdays = tuple(sorted(rng.sample(pool, a.per_week)))
        for a in b.afspraken:
            if a.mode == "week":
                span_w = max(1.0, ((a.end - a.start).days + 1) / 7)
                a.per_week = max(1, min(5, round(target / max(1, len(b.afspraken)) / span_w)))

    # ---- generate lines and apply line-level plants ------------------------------------
    for b in g.bhs:
        for a in b.afspraken:
            g.gen_lines(a)
    for b in g.bhs:
        if near.get(b.id) == "buitenland_twee_per_dag" and reg.p("max_weken_buitenland") is not None:
            a = next((x for x in b.afspraken if x.mode == "sessies" and x.product.eenheid == "uur"), None)
            if a is not None:
                lim = int(reg.p("max_weken_buitenland")) * 7
                n_days = lim // 2 + 1
                van = date(g.jaar, 8, 1)
                a.lines[:] = [ln for ln in a.lines if not (van.toordinal() - 1 <= ln[L_VAN] <= van.toordinal() + n_days)]
                for k in range(n_days):
                    d = van + timedelta(days=k)
                    a.lines.append(g._line(a, d, d, 150, oms="ochtend", land="DE"))
                    a.lines.append(g._line(a, d, d, 200, oms="middag", land="DE"))
                a.lines.sort(key=lambda x: x[L_VAN])
        for f in b.plants:
            f()
    for b in g.bhs:
        if near.get(b.id) == "overleden_laatste_dag" and not b.overleden:
            last = max((ln[L_TOT] for a in b.afspraken for ln in a.lines), default=None)
            if last is not None and date.fromordinal(last) > date(g.jaar, 3, 1):
                b.overleden = date.fromordinal(last)
        g.vary_months(b)

    # ---- toekenning budgets from the final lines ---------------------------------------
    units: dict[str, int] = {}
    for b in g.bhs:
        for a in b.afspraken:
            if a.tk is not None:
                units[a.tk.id] = units.get(a.tk.id, 0) + sum(ln[L_AANTAL] for ln in a.lines)
    tk_rows = []
    for b in g.bhs:
        for t in b.toekenningen:
            u = units.get(t.id, 0)  # hundredths of a unit
            if t.omvang_factor < 1:
                omvang = max(1, int(u * t.omvang_factor) // 100)
            else:
                omvang = int(u * t.omvang_factor) // 100 + 10
            omvang = int(omvang)
            tarief = t.budget_tarief_ct if t.budget_tarief_ct is not None else t.tarief_ct
            budget = omvang * tarief
            tk_rows.append((b, t, omvang, budget))

    # ---- ground truth for non-line plants (OVERSCHRIJDING / AANWENDING) ----------------
    # OVERSCHRIJDING lines: all lines of the over-spent toekenning
    over = {t.id for b, t, _, _ in tk_rows if t.omvang_factor < 1}
    for b in g.bhs:
        for a in b.afspraken:
            if a.tk is not None and a.tk.id in over:
                g.truth_add("OVERSCHRIJDING", b, "", list(a.lines))

    # ---- flatten lines, ids ------------------------------------------------------------
    lines: list[list] = []
    for b in g.bhs:
        for a in sorted(b.afspraken, key=lambda x: x.id):
            lines.extend(a.lines)
    dec_ids = [f"D{g.jaar}{k + 1:07d}" for k in range(len(lines))]
    line_id = {id(ln): dec_ids[k] for k, ln in enumerate(lines)}

    res = _write_all(g, out_dir, lines, dec_ids, tk_rows, line_id)
    return res


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
        f"--regels-per-budgethouder {g.args['regels_per_budgethouder']} --out MAP",
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
        regels += ["", "Niet geplant, omdat deze regeling de controle niet toetsbaar maakt:", "  " + ", ".join(niet)]
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
