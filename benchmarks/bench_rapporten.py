"""Report-only benchmark: every file of the reports stage for a findings-dense run.

    PYTHONPATH=. python benchmarks/bench_rapporten.py BATCH [--findings 28000] [--voorstellen 3000]
                 [--runs 3] [--profile PROFILE.html] [--out DIR]

The generator plants few findings at scale, so this script audits BATCH once (all checks) and
then replaces its findings by `--findings` synthetic ones on the batch's real declaration lines
(so letters, dossiers and rechtmatigheid join as in a real run), made so that about
`--voorstellen` budgethouders get an opschorting proposal: those budgethouders get fouten of
checks that ground a proposal adding up above Losser's drempel, the others onzekerheden and
signalen below it. The proposals are made by `auditor.opschorting.voorstellen` itself (its
logic is not touched here). Deterministic: same batch, same findings.

Then it writes all outputs of the reports stage (`auditor.write._write_outputs`: findings.csv,
rechtmatigheid.csv, quarantaine.csv, opschorting_voorstellen.csv, the letters, rapport.html,
rapport.xlsx, run.json) `--runs` times into fresh folders and prints ONE JSON line with the
median seconds of the whole and of each part this process spends (see `write_once`; rapport.xlsx
and part of the letters are made in a second process meanwhile), plus the sizes.
`--profile` writes a pyinstrument profile of one extra run (text when it ends in .txt, else HTML).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor import opschorting  # noqa: E402
from auditor.findings import FINDING_SCHEMA  # noqa: E402
from auditor.pipeline import audit  # noqa: E402
from auditor.registry import CHECKS  # noqa: E402

#: checks whose fouten ground a proposal (not BETALING/NETWERK), and the others' soort
GROUND = ["TARIEF", "DUBBEL", "BUITENLAND", "OVERSCHRIJDING", "BUITEN-PERIODE", "VAST-MAANDBEDRAG"]
SMALL = ["SN-CATEGORIE", "KWALITEIT", "ZZP-LINK", "BETALING"]


def dense_findings(a, n_findings: int, n_voorstellen: int) -> pl.DataFrame:
    """Synthetic findings on real lines: `n_voorstellen` budgethouders with fouten above the
    drempel (about 6 lines each), the rest of the findings small onzekerheden/signalen."""
    soort = {c.code: c.soort for c in CHECKS}
    lines = (a.ctx.lines.select("declaratie_id", "budgethouder_id", "zorgverlener_id", "toekenning_id",
                                "zorgovereenkomst_id", "datum_van", "datum_tot", "bedrag_ct", "regeling_id")
             .filter(pl.col("budgethouder_id").is_not_null() & (pl.col("bedrag_ct") > 0)).collect())
    bhs = lines["budgethouder_id"].unique().sort()
    heavy = bhs.head(n_voorstellen)
    per_heavy = 7
    lines = lines.sort("budgethouder_id", "bedrag_ct", "declaratie_id", descending=[False, True, False])
    lines = lines.with_columns(pl.int_range(pl.len()).over("budgethouder_id").alias("_k"),
                               pl.col("budgethouder_id").is_in(heavy.implode()).alias("_heavy"))
    hv = lines.filter(pl.col("_heavy") & (pl.col("_k") < per_heavy))
    rest_n = max(0, n_findings - hv.height)
    lt = lines.filter(~pl.col("_heavy"))
    step = max(1, lt.height // max(1, rest_n))
    lt = lt.gather_every(step).head(rest_n)
    # heavy: fouten of grounding checks, each the whole line (>= drempel over 7 lines of ~100 euro)
    hv = hv.with_columns(pl.lit(pl.Series(GROUND)).get(pl.col("_k") % len(GROUND)).alias("check"),
                         pl.col("bedrag_ct").alias("effect"))
    lt = lt.with_columns(pl.lit(pl.Series(SMALL)).get(pl.col("_k") % len(SMALL)).alias("check"),
                         (pl.col("bedrag_ct") // 10).alias("effect"))
    f = pl.concat([hv, lt])
    f = f.with_columns(
        pl.col("check").replace_strict(soort, return_dtype=pl.String).alias("soort"),
        pl.when(pl.col("_heavy")).then(pl.lit("hoog")).otherwise(pl.lit("laag")).alias("ernst"),
        pl.concat_list("declaratie_id").alias("declaratie_ids"),
        pl.col("datum_van").alias("periode_van"), pl.col("datum_tot").alias("periode_tot"),
        pl.col("bedrag_ct").alias("bedrag_betrokken_ct"),
        pl.when(pl.col("check").is_in(["SN-CATEGORIE", "ZZP-LINK"]) & ~pl.col("_heavy")).then(0)
        .otherwise(pl.col("effect")).alias("financieel_effect_ct"),
        pl.lit("art. 7.2 lid 1 Verordening jeugdhulp Losser 2025").alias("artikel"),
        pl.format("Gedeclareerd {} cent op {}; de norm staat ten hoogste {} cent toe.", pl.col("bedrag_ct"),
                  pl.col("datum_van").dt.strftime("%d-%m-%Y"), pl.col("bedrag_ct") - pl.col("effect")).alias("toelichting"),
        pl.lit(None, dtype=pl.String).alias("details"), pl.lit("nee").alias("voorbeeldwaarde"))
    f = f.with_columns(pl.format("S{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(7)).alias("finding_id"))
    return f.select("finding_id", *[pl.col(c).cast(t) for c, t in FINDING_SCHEMA.items()])


def prepare(batch: Path, n_findings: int, n_voorstellen: int, peildatum: date):
    t = time.perf_counter()
    a = audit(batch, peildatum=peildatum, briefdatum=date.today())
    a.result.findings = dense_findings(a, n_findings, n_voorstellen)
    a.opschorting = opschorting.voorstellen(a.result.findings, a.ctx, peildatum, None, briefdatum=a.briefdatum)
    return a, time.perf_counter() - t


def write_once(a, out: Path, brieven_max: int | None = None) -> dict[str, float]:
    """_write_outputs, with the parts of write_reports timed one by one in this process: `model`,
    `brieven (plan)` (the letters' data work), `xlsx (plan)` (the
    workbook's sheets as values), `html`, `brieven (hier)` (the letters this process renders),
    `wachten` (waiting for the second process, which writes rapport.xlsx and renders the other
    letters), `overig` (findings.csv, rechtmatigheid.csv, quarantaine.csv, the proposals' csv, the guard over the letters' values,
    run.json). `brieven_max`: letters for only the first N proposals."""
    import auditor.reports as reports
    from auditor import write as w
    from auditor.reports import html, letters, model, xlsx

    parts: dict[str, float] = {}
    orig = (model.bouw, letters.plan, xlsx.plan, html.write, reports.apart, letters.render_all)

    def timed(name, fn):
        def inner(*x, **k):
            t = time.perf_counter()
            try:
                return fn(*x, **k)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t
        return inner

    plan = orig[1] if brieven_max is None else (lambda a_, vs, *x, **k: orig[1](a_, vs[:brieven_max], *x, **k))
    model.bouw, letters.plan, xlsx.plan = timed("model", orig[0]), timed("brieven (plan)", plan), timed("xlsx (plan)", orig[2])
    html.write = timed("html", orig[3])
    reports.apart = lambda fn: timed("wachten", orig[4](fn))
    pid = os.getpid()
    letters.render_all = lambda *x, **k: (timed("brieven (hier)", orig[5]) if os.getpid() == pid else orig[5])(*x, **k)
    a.__dict__.pop("_rechtmatigheid", None)      # computed once per run: not carried over from a run before
    try:
        out.mkdir(parents=True)
        t = time.perf_counter()
        w._write_outputs(a, out)
        parts["alles"] = time.perf_counter() - t
    finally:
        model.bouw, letters.plan, xlsx.plan, html.write, reports.apart, letters.render_all = orig
    parts["overig"] = parts["alles"] - sum(v for k, v in parts.items() if k != "alles")
    return parts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("batch", type=Path)
    ap.add_argument("--findings", type=int, default=28_000)
    ap.add_argument("--voorstellen", type=int, default=3_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peildatum", default="2025-12-31")
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="keep the last run's outputs here")
    ap.add_argument("--brieven-max", type=int, default=None,
                    help="letters for only the first N proposals (the rest of the reports in full)")
    args = ap.parse_args()
    pd = date.fromisoformat(args.peildatum)
    a, prep = prepare(args.batch, args.findings, args.voorstellen, pd)
    tmp = Path(tempfile.mkdtemp(prefix="bench-rapporten-"))
    runs = []
    try:
        for i in range(args.runs):
            runs.append(write_once(a, tmp / f"r{i}", args.brieven_max))
        last = tmp / f"r{args.runs - 1}"
        sizes = {p.name: p.stat().st_size for p in sorted(last.iterdir()) if p.is_file()}
        brieven = len(list((last / "brieven").glob("*"))) if (last / "brieven").exists() else 0
        if args.out:
            if args.out.exists():
                shutil.rmtree(args.out)
            shutil.copytree(last, args.out)
        if args.profile:
            from pyinstrument import Profiler
            p = Profiler(interval=0.002)
            p.start()
            write_once(a, tmp / "profile", args.brieven_max)
            p.stop()
            args.profile.write_text(p.output_text(unicode=True, show_all=False) if args.profile.suffix == ".txt" else p.output_html(), encoding="utf-8")
            print(p.output_text(unicode=False, color=False, show_all=False)[:6000], file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    print(json.dumps({"lines": a.ctx.lines.select(pl.len()).collect().item(), "findings": a.result.findings.height,
                      "voorstellen": len(a.opschorting.voorstellen), "brieven": brieven, "prepare_s": round(prep, 1),
                      "brieven_max": args.brieven_max, "runs": args.runs, "seconds": med, "bytes": sizes},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
