"""The generator's model of a batch: persons, zorgverleners, toekenningen, agreements, budgethouders,
and the layout of a declaration line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from auditor.samples.regeling import Product


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
