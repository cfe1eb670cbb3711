"""Benchmark of the link analysis (ZZP-LINK, DUBBELROL, NETWERK) at national size.

Generates a synthetic population directly as typed polars frames (no files, no validation):
150 000 budgethouders with ~1,5 relaties each, 100 000 zorgverleners, two zorgverleners per
budgethouder, plus a few planted links, and times the matching core of the three checks:

* ZZP-LINK: normalised attribute keys of budgethouders, relaties and zorgverleners, exact joins
  per candidate (budgethouder, zorgverlener) pair (``checks.zzp_link.koppelingen``);
* DUBBELROL: BSN join and the birth-date block with rapidfuzz on names
  (``checks.dubbelrol.zelfde_persoon``);
* NETWERK: the same person across budgethouders (exact keys, fuzzy names inside blocks,
  connected components; ``checks.netwerk.personen``) and IBANs shared by zorgverleners.

Runs on 2 threads (POLARS_MAX_THREADS=2) and prints one JSON line: seconds per part, total,
peak RSS in MiB and how many planted links were found. Target: total under 60 s.

    python benchmarks/bench_link.py [--budgethouders 150000] [--zorgverleners 100000]
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "2")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl  # noqa: E402

from checks import dubbelrol, netwerk, zzp_link  # noqa: E402

VOORNAMEN = ["Anna", "Karin", "Peter", "Jan", "Sanne", "Mohamed", "Fatima", "Lotte", "Daan", "Emma", "Sem",
             "Julia", "Noah", "Tess", "Lucas", "Eva", "Milan", "Sophie", "Levi", "Mila", "Thijs", "Iris"]
ACHTERNAMEN = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
               "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
               "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "Yilmaz", "El Amrani"]
STRATEN = ["Kerkstraat", "Dorpsstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat",
           "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Markt", "Lindelaan", "Eikenlaan"]


def _pick(values: list[str], key: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(values)).get(key % len(values))


def _h(i: pl.Expr, seed: int) -> pl.Expr:
    return (i.hash(seed) % 1_000_000_007).cast(pl.Int64)


def persons(n: int, prefix: str, seed: int, jaar_van: int, jaren: int) -> pl.DataFrame:
    i = pl.col("i")
    return pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).with_columns(
        pl.format(prefix + "{}", i.cast(pl.String).str.zfill(7)).alias("id"),
        pl.format("{} {}", _pick(VOORNAMEN, _h(i, seed)), _pick(ACHTERNAMEN, _h(i, seed + 1))).alias("naam"),
        (pl.date(jaar_van, 1, 1) + pl.duration(days=_h(i, seed + 2) % (365 * jaren))).alias("geboortedatum"),
        pl.format("{} {}", _pick(STRATEN, _h(i, seed + 3)), (_h(i, seed + 4) % 200 + 1)).alias("straat_huisnummer"),
        pl.format("{}{}", (_h(i, seed + 5) % 9000 + 1000), _pick(["AB", "CD", "EF", "GH", "KL", "MN"], _h(i, seed + 6)))
        .alias("postcode"),
        pl.lit("Plaats").alias("woonplaats"),
        pl.format("NL{}BANK{}", (_h(i, seed + 7) % 90 + 10), i.cast(pl.String).str.zfill(10)).alias("iban"),
        pl.format("06-{}", (_h(i, seed + 8) % 90_000_000 + 10_000_000)).alias("telefoon"),
        pl.format("p{}@{}.nl", i, pl.lit(prefix.lower())).alias("email"),
        (_h(i, seed + 9) % 900_000_000 + 100_000_000).cast(pl.String).alias("bsn"),
    )


def population(n_bh: int, n_zv: int, plant: int = 50):
    bh = persons(n_bh, "B", 10, 2006, 18).rename({"id": "budgethouder_id"})
    # relaties: one per budgethouder (living at its address), a second for half of them
    r1 = persons(n_bh, "R", 20, 1965, 30).with_columns(
        pl.format("R1{}", pl.col("i").cast(pl.String).str.zfill(7)).alias("relatie_id"),
        bh["budgethouder_id"].alias("budgethouder_id"), bh["straat_huisnummer"], bh["postcode"],
        pl.lit("wettelijk_vertegenwoordiger").alias("rol"))
    r2 = persons(n_bh // 2, "S", 30, 1960, 35).with_columns(
        pl.format("R2{}", pl.col("i").cast(pl.String).str.zfill(7)).alias("relatie_id"),
        bh["budgethouder_id"].head(n_bh // 2).alias("budgethouder_id"),
        _pick(["ouder", "gemachtigde", "bewindvoerder"], pl.col("i")).alias("rol"))
    zv = persons(n_zv, "Z", 40, 1955, 45).rename({"id": "zorgverlener_id"}).with_columns(
        _pick(["zzp", "zzp", "instelling", "sociaal_netwerk"], pl.col("i")).alias("soort"))
    # two zorgverleners per budgethouder
    pairs = pl.concat([
        bh.select("budgethouder_id", (_h(pl.col("i"), 50) % n_zv).alias("_z")),
        bh.select("budgethouder_id", (_h(pl.col("i"), 51) % n_zv).alias("_z")),
    ]).join(zv.select(pl.col("i").alias("_z"), "zorgverlener_id"), on="_z").select(
        "budgethouder_id", "zorgverlener_id").unique()

    # planted links: zzp'ers with the mother's IBAN (spaced, lower case), bewindvoerders who are
    # their own zorgverlener (name written differently, same birth date), a bureau for 5
    # budgethouders with one zorgverlener, zorgverleners sharing an IBAN
    k = plant
    pb = pairs.sort("budgethouder_id", "zorgverlener_id").unique("budgethouder_id", keep="first", maintain_order=True)
    zz = pb.head(k).join(r1.select("budgethouder_id", "iban"), on="budgethouder_id")
    zv = zv.update(zz.select("zorgverlener_id", pl.col("iban").str.to_lowercase().str.replace_all(r"(.{4})", "$1 ")
                             .alias("iban")), on="zorgverlener_id")
    dr = pb.slice(k, k).join(r1.select("budgethouder_id", "naam", "geboortedatum"), on="budgethouder_id")
    zv = zv.update(dr.select("zorgverlener_id", pl.format("{}, dhr./mevr.", pl.col("naam")).alias("naam"),
                             "geboortedatum"), on="zorgverlener_id")
    rel = pl.concat([r1, r2], how="diagonal_relaxed")
    rel = rel.with_columns(pl.when(pl.col("budgethouder_id").is_in(dr["budgethouder_id"].implode())
                                   & pl.col("relatie_id").str.starts_with("R1"))
                           .then(pl.lit("bewindvoerder")).otherwise(pl.col("rol")).alias("rol"))
    bureau_bh = pb.slice(2 * k, 5)
    bureau = bureau_bh.select("budgethouder_id", pl.format("RB{}", pl.int_range(pl.len())).alias("relatie_id"),
                              pl.lit("gemachtigde").alias("rol"),
                              pl.lit("Bewindvoering Oost B.V.").alias("naam"))
    rel = pl.concat([rel, bureau], how="diagonal_relaxed")
    pairs = pl.concat([pairs, bureau_bh.select("budgethouder_id", pl.lit(pb["zorgverlener_id"][0]).alias(
        "zorgverlener_id"))]).unique()
    gedeeld = pb.slice(3 * k, 2 * 10).select("zorgverlener_id", pl.format(
        "NL11SHAR{}", (pl.int_range(pl.len()) // 2).cast(pl.String).str.zfill(10)).alias("iban"))
    zv = zv.update(gedeeld, on="zorgverlener_id")
    betalingen = pl.DataFrame(schema={"zorgverlener_id": pl.String, "iban": pl.String})
    return bh.drop("i"), rel.drop("i"), zv.drop("i"), pairs, betalingen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budgethouders", type=int, default=150_000)
    ap.add_argument("--zorgverleners", type=int, default=100_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    bh, rel, zv, pairs, bet = population(args.budgethouders, args.zorgverleners)
    gen = time.perf_counter() - t0
    secs: dict[str, float] = {}

    t = time.perf_counter()
    zl = zzp_link.koppelingen(pairs.lazy(), zzp_link.persoon_keys(bh.lazy(), rel.lazy()),
                              zzp_link.zorgverlener_keys(zv.lazy(), bet.lazy()))
    secs["zzp_link"] = time.perf_counter() - t

    t = time.perf_counter()
    rollen = ("gemachtigde", "bewindvoerder", "curator", "mentor")
    dr = dubbelrol.zelfde_persoon(rel.lazy().filter(pl.col("rol").is_in(rollen)), zv.lazy(), pairs.lazy())
    secs["dubbelrol"] = time.perf_counter() - t

    t = time.perf_counter()
    pers = netwerk.personen(rel.lazy())
    ib = netwerk.gedeelde_ibans(zv.lazy(), bet.lazy())
    groot = (pers.select("persoon", "budgethouder_id").unique().join(pairs, on="budgethouder_id")
             .group_by("persoon", "zorgverlener_id").agg(pl.col("budgethouder_id").n_unique().alias("n"))
             .filter(pl.col("n") >= 3))
    secs["netwerk"] = time.perf_counter() - t

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "budgethouders": bh.height, "relaties": rel.height, "zorgverleners": zv.height, "paren": pairs.height,
        "threads": int(os.environ["POLARS_MAX_THREADS"]), "genereren_s": round(gen, 2),
        "seconden": {k: round(v, 2) for k, v in secs.items()}, "totaal_s": round(sum(secs.values()), 2),
        "piek_rss_mib": round(rss), "gevonden": {
            "zzp_link_paren": zl.select("budgethouder_id", "zorgverlener_id").n_unique(),
            "zzp_link_iban": zl.filter(pl.col("attribuut") == "iban").height,
            "dubbelrol": dr.height, "netwerk_personen_3plus": groot.height,
            "netwerk_gedeelde_ibans": ib["iban"].n_unique()}}))


if __name__ == "__main__":
    main()
