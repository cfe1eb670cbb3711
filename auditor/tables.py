"""The column catalogue of the input contract (../shared/spec/input-contract.md).

One `Col` per column: the single source of truth for loading (which columns must be there),
parsing (how text becomes a type) and validation (which rules hold). Change the contract
here and everything follows.

Kinds:
  text      trimmed text, empty = null
  id        text that identifies (leading zeros kept)
  date      a date; the format is detected per file and column
  money     euros -> Int64 cents in column `<name>_ct`
  qty       decimal quantity -> Int64 ten-thousandths in column `<name>_e4`
  enum      lower-cased text from `values`
  bool      ja/nee, true/false, 1/0, waar/onwaar, j/n, x
  bsn       9 digits passing the elfproef (python-stdnum)
  iban      IBAN, spaces removed, upper-cased, mod-97 (python-stdnum)
  postcode  Dutch postcode, stored as `1234AB`
  digits8   8 digits (KvK, AGB), leading zeros kept
  land      ISO 3166 alpha-2, upper-cased, empty = NL
"""

from __future__ import annotations

from dataclasses import dataclass, field

EENHEDEN = ("uur", "dagdeel", "etmaal", "rit", "km", "stuk", "maand")
CATEGORIEEN = (
    "begeleiding_individueel", "persoonlijke_verzorging", "behandeling_individueel",
    "begeleiding_groep", "behandeling_groep", "kortdurend_verblijf", "wonen_verblijf",
    "vervoer", "crisis", "overig",
)
ROLLEN = ("wettelijk_vertegenwoordiger", "ouder", "gemachtigde", "bewindvoerder", "curator", "mentor")
ZV_SOORTEN = ("instelling", "zzp", "sociaal_netwerk", "overig_niet_professioneel")


@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "text"
    required: bool = False          # R in the contract: column must exist and cells be filled
    values: tuple[str, ...] = ()    # for enums
    unique: bool = False
    min_zero: bool = False          # money/qty must be >= 0
    default: str | None = None      # value for an empty cell (enum `relatie_tot_budgethouder`)

    @property
    def typed_name(self) -> str:
        if self.kind == "money":
            return f"{self.name}_ct"
        if self.kind == "qty":
            return f"{self.name}_e4"
        return self.name


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    cols: tuple[Col, ...]
    key: str
    refs: tuple[tuple[str, str], ...] = field(default=())   # (column, table it must exist in)
    periods: tuple[tuple[str, str], ...] = field(default=())  # (van, tot): tot >= van

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


def _person() -> tuple[Col, ...]:
    return (
        Col("bsn", "bsn"), Col("geboortedatum", "date"), Col("straat_huisnummer"),
        Col("postcode", "postcode"), Col("woonplaats"), Col("iban", "iban"),
        Col("telefoon"), Col("email"),
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("budgethouders", True, (
            Col("budgethouder_id", "id", True, unique=True), Col("naam", required=True),
            *_person(), Col("gemeente_code", "id", True), Col("overlijdensdatum", "date"),
        ), key="budgethouder_id"),
        Table("relaties", False, (
            Col("relatie_id", "id", True, unique=True), Col("budgethouder_id", "id", True),
            Col("rol", "enum", True, ROLLEN), Col("naam", required=True), *_person(),
            Col("ingangsdatum", "date"), Col("einddatum", "date"),
        ), key="relatie_id", refs=(("budgethouder_id", "budgethouders"),),
            periods=(("ingangsdatum", "einddatum"),)),
        Table("toekenningen", True, (
            Col("toekenning_id", "id", True, unique=True), Col("budgethouder_id", "id", True),
            Col("wet", "enum", True, ("jeugdwet", "wmo")), Col("product_code", "id", True),
            Col("categorie", "enum", True, CATEGORIEEN), Col("eenheid", "enum", True, EENHEDEN),
            Col("omvang", "qty", True, min_zero=True), Col("tarief", "money", True, min_zero=True),
            Col("budget", "money", True, min_zero=True),
            Col("zorgverlener_soort", "enum", True, ("professioneel", "sociaal_netwerk")),
            Col("ingangsdatum", "date", True), Col("einddatum", "date", True),
            Col("aanvraagdatum", "date"), Col("besluitdatum", "date"),
            Col("toestemming_eerder_starten", "bool"),
        ), key="toekenning_id", refs=(("budgethouder_id", "budgethouders"),),
            periods=(("ingangsdatum", "einddatum"),)),
        Table("zorgverleners", True, (
            Col("zorgverlener_id", "id", True, unique=True), Col("naam", required=True),
            Col("soort", "enum", True, ZV_SOORTEN), Col("kvk_nummer", "digits8"),
            Col("agb_code", "digits8"), Col("skj_nummer", "id"), Col("big_nummer", "id"),
            Col("vog_datum", "date"), Col("opleidingsniveau"), *_person(),
        ), key="zorgverlener_id"),
        Table("zorgovereenkomsten", True, (
            Col("zorgovereenkomst_id", "id", True, unique=True),
            Col("budgethouder_id", "id", True), Col("zorgverlener_id", "id", True),
            Col("toekenning_id", "id"),
            Col("soort", "enum", True, ("arbeidsovereenkomst", "opdracht", "zorginstelling", "familiehulp")),
            Col("relatie_tot_budgethouder", "enum", False,
                ("geen", "ouder", "familie", "huisgenoot", "bekende"), default="geen"),
            Col("product_code", "id", True), Col("eenheid", "enum", True, EENHEDEN),
            Col("tarief", "money", True, min_zero=True),
            Col("werkafspraak", "enum", True, ("per_eenheid", "vast_maandbedrag")),
            Col("vast_maandbedrag", "money", min_zero=True),
            Col("ingangsdatum", "date", True), Col("einddatum", "date"),
        ), key="zorgovereenkomst_id", refs=(
            ("budgethouder_id", "budgethouders"), ("zorgverlener_id", "zorgverleners"),
            ("toekenning_id", "toekenningen")),
            periods=(("ingangsdatum", "einddatum"),)),
        Table("declaraties", True, (
            Col("declaratie_id", "id", True, unique=True),
            Col("budgethouder_id", "id", True), Col("zorgverlener_id", "id", True),
            Col("zorgovereenkomst_id", "id"), Col("toekenning_id", "id"),
            Col("datum_van", "date", True), Col("datum_tot", "date", True),
            Col("product_code", "id", True), Col("eenheid", "enum", True, EENHEDEN),
            Col("aantal", "qty", True, min_zero=True), Col("tarief", "money", True, min_zero=True),
            Col("bedrag", "money", True, min_zero=True), Col("omschrijving"),
            Col("land", "land"), Col("km_enkele_reis", "qty", min_zero=True),
            Col("ingediend_op", "date"),
            Col("status", "enum", False, ("ingediend", "goedgekeurd", "afgekeurd", "uitbetaald")),
        ), key="declaratie_id", refs=(
            ("budgethouder_id", "budgethouders"), ("zorgverlener_id", "zorgverleners"),
            ("zorgovereenkomst_id", "zorgovereenkomsten"), ("toekenning_id", "toekenningen")),
            periods=(("datum_van", "datum_tot"),)),
        Table("betalingen", False, (
            Col("betaling_id", "id", True, unique=True),
            Col("budgethouder_id", "id", True), Col("zorgverlener_id", "id", True),
            Col("declaratie_id", "id"), Col("iban", "iban", True),
            Col("bedrag", "money", True), Col("betaaldatum", "date", True),
        ), key="betaling_id", refs=(
            ("budgethouder_id", "budgethouders"), ("zorgverlener_id", "zorgverleners"),
            ("declaratie_id", "declaraties")),),
        # the budgets the SVB holds (BADO B, budgetconfirmatie); keyed by the gemeente's toekenning
        Table("budgetten", False, (
            Col("budgethouder_id", "id", True), Col("toekenning_id", "id", unique=True),
            Col("product_code", "id"), Col("budget", "money", True, min_zero=True),
            Col("ingangsdatum", "date", True), Col("einddatum", "date", True),
        ), key="toekenning_id", refs=(("budgethouder_id", "budgethouders"),),
            periods=(("ingangsdatum", "einddatum"),)),
    )
}

# Referential integrity is checked in this order, so a row quarantined in one table
# takes its dependants with it (a declaratie of a quarantined budgethouder is itself
# quarantined: its budgethouder is not in the audited data).
TABLE_ORDER = ("budgethouders", "relaties", "toekenningen", "zorgverleners",
               "zorgovereenkomsten", "declaraties", "betalingen", "budgetten")


def normalise_header(h: str) -> str:
    """`Budgethouder ID`, `budgethouder-id`, `BUDGETHOUDER_ID` -> `budgethouderid`."""
    return "".join(ch for ch in str(h).strip().lower() if ch not in " -_.\t\ufeff")
