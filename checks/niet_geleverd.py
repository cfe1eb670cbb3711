"""NIET-GELEVERD: care declared that, by the materiële controle, was not delivered.

**What it finds.** The gemeente's materiële controle (BADO D: `pgb-audit steekproef
materieel`) asks sampled budgethouders, by telephone or at a house visit, whether the care
declared per zorgverlener, product and month was delivered. Their answers, imported with
`steekproef materieel --importeer`, are the optional file `materiele_controle.csv` in the
batch folder. Per answer `niet geleverd` one finding for the declaration lines of that
budgethouder, zorgverlener, product and month; per answer `gedeeltelijk geleverd` with the
hours that were delivered (`uren_geleverd`) one finding for the part not delivered.

**Why it matters.** A pgb pays for care that was given. Declared care that was not given is
money not spent on the care granted; the college may check the spending of pgb's,
"al dan niet steekproefsgewijs", and these answers are that check's result.

**Article.** The regeling's `[artikelen].NIET-GELEVERD` (Losser: art. 8.1 lid 4 sub a,
"de besteding van pgb's, al dan niet steekproefsgewijs, controleren en beoordelen"; the
grond for opschorting is art. 8.1.4 lid 1 sub a Jeugdwet, declared care that was not given
being incorrect information).

**financieel_effect.** `niet geleverd`: the `bedrag` of the lines of that month.
`gedeeltelijk geleverd`: that `bedrag` times (declared hours - delivered hours) / declared
hours, rounded half away from zero to the cent.

**Niet toetsbaar.** An answer `onbekend` (not reached, did not know), an answer
`gedeeltelijk geleverd` without `uren_geleverd`, and an answer that matches no declared care
in the batch: the delivery is not established; the reason says what to do.

**The answers file** (`materiele_controle.csv`, UTF-8, comma-separated, written by the
import): `budgethouder_id`, `zorgverlener_id`, `product_code`, `maand` (JJJJ-MM, the month of
`datum_van`), `antwoord` (`geleverd`, `niet geleverd`, `gedeeltelijk geleverd`, `onbekend`),
`uren_geleverd` (plain decimal, optional), `soort_controle`, `datum_controle`, `toelichting`.
Without the file the check finds nothing.

Fires: the budgethouder says Z1's begeleiding in 2025-03 was not given; the two lines of
116,28 in that month: a finding of 232,56.
Does not fire: the answer `geleverd`; or no answers file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from auditor import formatting, money
from auditor.engine import CheckResult, Context, check, finding_frame
from auditor.errors import InvoerFout
from auditor.validate import parse_scaled

CODE = "NIET-GELEVERD"
TABEL = "materiele_controle"                 # the key under which the pipeline puts the answers
BESTAND = "materiele_controle.csv"
ANTWOORDEN = ("geleverd", "niet geleverd", "gedeeltelijk geleverd", "onbekend")
KOLOMMEN = ("budgethouder_id", "zorgverlener_id", "product_code", "maand", "antwoord", "uren_geleverd",
            "soort_controle", "datum_controle", "toelichting")
SCHEMA = {"budgethouder_id": pl.String, "zorgverlener_id": pl.String, "product_code": pl.String,
          "maand": pl.String, "antwoord": pl.String, "uren_geleverd_e4": pl.Int64, "soort_controle": pl.String,
          "datum_controle": pl.String, "toelichting": pl.String}


def leeg() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def valideer(df: pl.DataFrame, waar: str, rij_offset: int = 2, decimal: str = ",") -> pl.DataFrame:
    """Text answers (columns KOLOMMEN) to the typed frame SCHEMA; raises `InvoerFout` naming
    file, row and column for the first bad cell. Rows without an answer are skipped."""
    missing = [c for c in ("budgethouder_id", "zorgverlener_id", "product_code", "maand", "antwoord")
               if c not in df.columns]
    if missing:
        raise InvoerFout(f"{waar}: de kolom '{missing[0]}' ontbreekt; gebruik het antwoordenblad van "
                         "'steekproef materieel'.")
    d = df.with_row_index("_rij", offset=rij_offset).with_columns(
        [pl.col(c).cast(pl.String).str.strip_chars().replace("", None) if c in df.columns
         else pl.lit(None, dtype=pl.String).alias(c) for c in KOLOMMEN])
    d = d.with_columns(pl.col("antwoord").str.to_lowercase().str.replace_all(r"\s+", " "))
    d = d.filter(pl.col("antwoord").is_not_null())
    d = d.with_columns(parse_scaled("uren_geleverd", 4, decimal).alias("uren_geleverd_e4"))
    regels = [
        ("antwoord", ~pl.col("antwoord").is_in(list(ANTWOORDEN)),
         f"verwacht een van: {', '.join(ANTWOORDEN)}"),
        ("maand", ~pl.col("maand").str.contains(r"^\d{4}-(0[1-9]|1[0-2])$").fill_null(False),
         "verwacht een maand als JJJJ-MM, bijvoorbeeld 2025-03"),
        ("uren_geleverd", pl.col("uren_geleverd").is_not_null() & pl.col("uren_geleverd_e4").is_null(),
         "verwacht een aantal uren, bijvoorbeeld 2,5"),
    ] + [(c, pl.col(c).is_null(), "de cel is leeg; laat de gegevens van de vragenlijst staan")
         for c in ("budgethouder_id", "zorgverlener_id", "product_code")]
    for col, cond, wat in regels:
        bad = d.filter(cond)
        if bad.height:
            r = bad.row(0, named=True)
            raise InvoerFout(f"{waar}, rij {r['_rij']}, kolom {col}: '{r[col] or ''}' is niet geldig; {wat}.")
    return d.select(list(SCHEMA)).sort("budgethouder_id", "zorgverlener_id", "product_code", "maand")


def lees_antwoorden(batch_dir: str | Path) -> pl.DataFrame:
    """The imported answers of the batch (`materiele_controle.csv`), or an empty frame."""
    path = Path(batch_dir) / BESTAND
    if not path.is_file():
        return leeg()
    try:
        df = pl.read_csv(path, infer_schema=False)
    except Exception as exc:
        raise InvoerFout(f"{BESTAND}: dit bestand kan niet worden gelezen ({type(exc).__name__}); importeer de "
                         "antwoorden opnieuw met 'steekproef materieel --importeer'.") from None
    return valideer(df, BESTAND, decimal=".")


@check(CODE, soort="fout", titel="Zorg niet geleverd (materiële controle)")
def run(ctx: Context) -> CheckResult:
    """Care the budgethouder says was not (fully) delivered, from the materiële controle's answers."""
    antw = ctx.tables.get(TABEL, leeg().lazy())
    keys = ["budgethouder_id", "zorgverlener_id", "product_code", "maand"]
    groups = (ctx.lines.with_columns(pl.col("datum_van").dt.strftime("%Y-%m").alias("maand"))
              .group_by(keys).agg(
                  pl.col("declaratie_id").sort().alias("declaratie_ids"),
                  pl.col("datum_van").min().alias("periode_van"), pl.col("datum_tot").max().alias("periode_tot"),
                  pl.col("bedrag_ct").sum().alias("bedrag_betrokken_ct"), pl.col("aantal_e4").sum().alias("_aantal"),
                  pl.col("eenheid").drop_nulls().first().alias("_eenheid"),
                  pl.col("regeling_id").drop_nulls().first(), pl.col("toekenning_id").drop_nulls().first(),
                  pl.col("zorgovereenkomst_id").drop_nulls().first()))
    j = antw.join(groups, on=keys, how="left")
    niet = pl.col("antwoord") == "niet geleverd"
    deels = (pl.col("antwoord") == "gedeeltelijk geleverd") & pl.col("uren_geleverd_e4").is_not_null()
    gevonden = pl.col("bedrag_betrokken_ct").is_not_null()
    ontbrekend = pl.max_horizontal(pl.col("_aantal") - pl.col("uren_geleverd_e4"), pl.lit(0))
    effect = pl.when(niet).then(pl.col("bedrag_betrokken_ct")).otherwise(
        money.prorata("bedrag_betrokken_ct", ontbrekend, "_aantal"))
    uren = formatting.fmt_qty_nl("_aantal")
    findings = j.filter(gevonden & (niet | (deels & (pl.col("uren_geleverd_e4") < pl.col("_aantal"))))).select(
        "budgethouder_id", "zorgverlener_id", "toekenning_id", "zorgovereenkomst_id", "regeling_id",
        "declaratie_ids", "periode_van", "periode_tot", "bedrag_betrokken_ct", effect.alias("financieel_effect_ct"),
        pl.concat_str([
            pl.lit("Bij de materiële controle ("), pl.col("soort_controle").fill_null("controle"),
            pl.lit(" "), pl.col("datum_controle").fill_null("zonder datum"),
            pl.lit(") gaf de budgethouder aan dat de zorg van zorgverlener "), pl.col("zorgverlener_id"),
            pl.lit(" (product "), pl.col("product_code"), pl.lit(", "), pl.col("maand"),
            pl.lit(", "), uren, pl.lit(" "), pl.col("_eenheid").fill_null("eenheden"), pl.lit(" gedeclareerd) "),
            pl.when(niet).then(pl.lit("niet is geleverd"))
            .otherwise(pl.concat_str([pl.lit("maar dat maar "), formatting.fmt_qty_nl("uren_geleverd_e4"),
                                      pl.lit(" "), pl.col("_eenheid").fill_null("eenheden"),
                                      pl.lit(" is geleverd")])),
            pl.lit("; "), formatting.fmt_nl(effect), pl.lit(" euro is betaald voor zorg die niet is gegeven."),
        ]).alias("toelichting"),
        pl.concat_str([pl.lit("antwoord="), pl.col("antwoord"), pl.lit(";maand="), pl.col("maand")]).alias("details"),
    )
    sleutel = pl.concat_str([pl.col(c) for c in keys], separator="/").alias("sleutel")
    nt = j.filter(
        (pl.col("antwoord") != "geleverd") & (
            ~gevonden | (pl.col("antwoord") == "onbekend")
            | ((pl.col("antwoord") == "gedeeltelijk geleverd") & pl.col("uren_geleverd_e4").is_null()))
    ).select(sleutel, pl.when(~gevonden).then(pl.lit(
        "Het antwoord van de materiële controle hoort bij geen gedeclareerde zorg in deze batch: controleer "
        "budgethouder, zorgverlener, product en maand in het antwoordenblad."))
        .when(pl.col("antwoord") == "onbekend").then(pl.lit(
            "De levering is bij de materiële controle niet vastgesteld (antwoord onbekend): bel opnieuw of leg "
            "een huisbezoek af en importeer het antwoord."))
        .otherwise(pl.lit("Antwoord 'gedeeltelijk geleverd' zonder het aantal geleverde uren: vul uren_geleverd "
                          "in het antwoordenblad in en importeer opnieuw.")).alias("reden"))
    return CheckResult(findings=finding_frame(findings, ctx, CODE), niet_toetsbaar=nt)
