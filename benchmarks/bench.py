"""End-to-end benchmark of pgb-audit at a given size, against the floor and the DuckDB peer.

    python benchmarks/bench.py --lines 50000,250000,1000000 [--runs 3] [--keep DIR] [--seed 1] [--modus beide]

1. Generates (seeded, `auditor.samples.genereer`) a batch of about `--lines` declaration
   lines: budgethouders = lines / lines-per-budgethouder of the generator (~195 at its default
   density), zorgverleners, toekenningen and agreements grow with the budgethouders. Two
   modes (`--modus normaal|dicht|beide`, default both, one after the other):
   * `normaal`: the generator's default plan (each planted case once or twice: ~46 planted
     budgethouders whatever the size, so few findings at scale);
   * `dicht`: findings-dense, `genereer(..., dichtheid=DICHTHEID)`: the plan laid over ~80%
     of the budgethouders (a bad year: ~2.5% of the lines with a finding, about a fifth of the
     budgethouders with an opschorting proposal).
   With `--keep DIR` the batches are written to (or reused from) DIR/<lines>/normaal and
   DIR/<lines>/dicht so anyone can time the same files with their own tools.
2. Measures, every time in a fresh process (wall clock, interpreter start included), the
   median over `--runs`:
   * `load_s`: the floor no auditor can beat: every table file read into polars as text
     (decode check, `pl.read_csv` with the file's separator, all columns String);
   * `audit_s`: `python -m auditor run BATCH --out ... --stil`: all checks, validation and
     reports; per-stage seconds from its run.json (`stages`, plus `overig`: interpreter
     start, imports, reports and writing, i.e. audit_s minus the stages run.json times);
   * `peak_rss_mb`: the peak resident memory of that audit process (`os.wait4` rusage);
   * `peer_s`: benchmarks/peer_duckdb.py over the same files (six checks in DuckDB SQL).
3. Prints ONE JSON line per mode:
   `{"modus", "lines", "budgethouders", "findings", "voorstellen", "load_s", "audit_s", "ratio",
     "peer_s", "audit_over_peer", "peak_rss_mb", "peer_peak_rss_mb", "stages": {...}}`;
   `stages` holds every key of run.json's `stages_seconds` (each check, and each report stage
   run.json times), medians over the runs, plus `overig`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DICHTHEID = 0.8            # the dense mode's share of planted budgethouders
LINES_PER_BH = 195          # the generator's default density (regels_per_budgethouder=200) gives ~195
TABLE_FILES = ("budgethouders", "relaties", "toekenningen", "zorgverleners", "zorgovereenkomsten",
               "declaraties", "betalingen")

LOAD_SCRIPT = r"""
import sys, polars as pl
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).glob("*.csv")):
    if p.stem not in %r:
        continue
    data = p.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")                    # what the file is: UTF-8, else cp1252
    except UnicodeDecodeError:
        data = data.decode("cp1252").encode("utf-8")
    first = data[:data.find(b"\n")]
    sep = max(";,\t|", key=lambda d: (first.count(d.encode()), d == ";"))
    n += pl.read_csv(data, separator=sep, infer_schema=False, quote_char='"').height
print(n)
""" % (TABLE_FILES,)


MAX_RSS_MB = 20_000          # a watchdog kills a measured process above this (machine: 24 GB)


def _rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(x.split()[1]) // 1024 for x in f if x.startswith("VmRSS")), 0)
    except OSError:
        return 0


def _watchdog(p: subprocess.Popen, limit_mb: int, hit: list) -> None:
    # never p.poll()/p.kill() here: they may reap the child before the main thread's wait4
    while p.returncode is None and os.path.exists(f"/proc/{p.pid}"):
        r = _rss_mb(p.pid)
        if r > limit_mb:
            hit.append(r)
            os.kill(p.pid, 9)
            return
        time.sleep(0.1)


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    """Run `cmd` from a fresh helper so its peak RSS is its own: wait4 gives the rusage of
    exactly that child. A watchdog kills it above MAX_RSS_MB (`--max-rss-mb`)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    hit: list = []
    threading.Thread(target=_watchdog, args=(p, MAX_RSS_MB, hit), daemon=True).start()
    # read the pipes while waiting (large outputs must not block the child)

    bufs: dict[str, bytes] = {}
    th = [threading.Thread(target=lambda k, f: bufs.__setitem__(k, f.read()), args=(k, f))
          for k, f in (("out", p.stdout), ("err", p.stderr))]
    for x in th:
        x.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    for x in th:
        x.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if hit:
        raise SystemExit(f"{' '.join(map(str, cmd))}: killed by the watchdog at {hit[0]} MB resident "
                         f"(limit {MAX_RSS_MB} MB)")
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{bufs['err'].decode()[-3000:]}")
    return wall, ru.ru_maxrss / 1024, bufs["out"].decode()


SHARD_LINES = 1_000_000     # above this, the batch is made of 1M-line shards (see `generate`)
ID_KEYS = {"budgethouderid": "budgethouders", "relatieid": "relaties", "toekenningid": "toekenningen",
           "zorgverlenerid": "zorgverleners", "zorgovereenkomstid": "zorgovereenkomsten",
           "declaratieid": "declaraties", "betalingid": "betalingen"}
SHARD_SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _generate_shard(args: tuple) -> tuple[str, dict]:
    shard_dir, bh, seed, regeling, dichtheid = args
    sys.path.insert(0, str(ROOT))
    from auditor.samples import genereer
    return shard_dir, genereer(Path(shard_dir), budgethouders=bh, seed=seed, regeling=regeling,
                               dichtheid=dichtheid)


def _read_text(f: Path):
    import polars as pl
    data = f.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    first = body[:body.find(b"\n") + 1]
    sep = max(";,\t|", key=lambda d: (first.count(d.encode()), d == ";"))
    return pl.read_csv(body, separator=sep, infer_schema=False, quote_char='"'), bom, first, sep


def _append_shard(src: Path, dest: Path, k: int) -> None:
    """Append every table file of shard `k` to `dest` with disjoint ids: in every id the first
    digit position that is the same for all ids of its kind in the shard (the '2' of
    D20250000001, the first '0' of ZV00001) becomes the shard's symbol, so ids keep their
    length and shape (polars keeps strings of up to 12 bytes inline: a longer prefix would
    make every join on ids slower than in a real batch). Same separator, BOM and line ending
    as the shard's file; the header only once."""
    sys.path.insert(0, str(ROOT))
    import polars as pl
    from auditor.tables import normalise_header

    frames = {f.stem: _read_text(f) for f in sorted(src.glob("*.csv")) if f.stem in TABLE_FILES}
    pos: dict[str, int] = {}
    for kind, table in ID_KEYS.items():
        df = frames[table][0]
        col = next(c for c in df.columns if normalise_header(c) == kind)
        vals = df[col].drop_nulls()
        n = int(vals.str.len_chars().min())
        pos[kind] = next(i for i in range(n) if vals.str.slice(i, 1).n_unique() == 1 and vals[0][i].isdigit())
    sym = SHARD_SYMBOLS[k]
    for stem, (df, bom, first, sep) in frames.items():
        df = df.with_columns([
            pl.concat_str([pl.col(c).str.slice(0, pos[normalise_header(c)]), pl.lit(sym),
                           pl.col(c).str.slice(pos[normalise_header(c)] + 1)]).alias(c)
            for c in df.columns if normalise_header(c) in pos])
        eol = "\r\n" if first.endswith(b"\r\n") else "\n"
        out = df.write_csv(separator=sep, line_terminator=eol, include_header=(k == 0)).encode("utf-8")
        with (dest / f"{stem}.csv").open("ab") as fh:
            fh.write((b"\xef\xbb\xbf" if bom and k == 0 else b"") + out)


def generate(batch: Path, lines: int, seed: int, regeling: str, dichtheid: float | None = None) -> dict:
    """The batch of about `lines` lines. Up to SHARD_LINES: one `genereer` call. Above it,
    `genereer` is superlinear (its unique-name, e-mail and instelling-name searches grow with
    the number of people; at ~51 000 budgethouders the unique first+last names run out), so
    the batch is built from shards of 1M lines, shard k generated with seed `seed*1000 + k`,
    its ids made disjoint by one character (`_append_shard`; names, addresses, IBANs and phone
    numbers may recur across shards, as in real life), concatenated file by file."""
    marker = batch / ".bench.json"
    want = {"lines": lines, "seed": seed, "regeling": regeling,
            **({"dichtheid": dichtheid} if dichtheid is not None else {}),
            **({"shards": SHARD_LINES} if lines > SHARD_LINES * 1.5 else {})}
    if marker.exists() and json.loads(marker.read_text()).get("args") == want:
        return json.loads(marker.read_text())
    sys.path.insert(0, str(ROOT))
    from auditor.samples import genereer

    if batch.exists():
        shutil.rmtree(batch)
    bh = max(10, round(lines / LINES_PER_BH))
    t = time.perf_counter()
    if lines <= SHARD_LINES * 1.5:
        info = genereer(batch, budgethouders=bh, seed=seed, regeling=regeling, dichtheid=dichtheid)
        tabellen = info["tabellen"]
    else:
        from concurrent.futures import ProcessPoolExecutor

        n = round(lines / SHARD_LINES)
        per = round(bh / n)
        batch.mkdir(parents=True)
        tmp = Path(tempfile.mkdtemp(prefix="pgb-shards-", dir=batch.parent))
        tabellen: dict[str, int] = {}
        try:
            jobs = [(str(tmp / f"s{k}"), per, seed * 1000 + k, regeling, dichtheid) for k in range(n)]
            with ProcessPoolExecutor(max_workers=2) as pool:
                done = dict(pool.map(_generate_shard, jobs))
            for k, job in enumerate(jobs):
                _append_shard(Path(job[0]), batch, k)
                for name, c in done[job[0]]["tabellen"].items():
                    tabellen[name] = tabellen.get(name, 0) + c
                shutil.rmtree(job[0])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        bh = per * n
    meta = {"args": want, "budgethouders": bh, "tabellen": tabellen,
            "generate_s": round(time.perf_counter() - t, 1)}
    marker.write_text(json.dumps(meta))
    return meta


def measure(batch: Path, meta: dict, args, work: Path, modus: str) -> dict:
    """Medians over `args.runs` of the floor, the audit (with its run.json stages) and the peer."""
    py = sys.executable
    loads, audits, peaks, peers, peer_peaks, stages = [], [], [], [], [], []
    findings = voorstellen = None
    for i in range(args.runs):
        wall, _, _ = _measure([py, "-c", LOAD_SCRIPT, str(batch)])
        loads.append(wall)
        out = work / f"out-{modus}{i}"
        wall, rss, _ = _measure([py, "-m", "auditor", "run", str(batch), "--out", str(out),
                                 "--peildatum", args.peildatum, "--stil"])
        audits.append(wall)
        peaks.append(rss)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        st = run["stages_seconds"]
        findings = run.get("findings")
        vs = out / "opschorting_voorstellen.csv"
        voorstellen = max(0, len(vs.read_bytes().splitlines()) - 1) if vs.exists() else None
        # top-level stages only (a report stage run.json times inside `rapporten` is not added twice)
        top = sum(v for k, v in st.items() if " " not in k)
        st["overig"] = round(wall - top, 3)
        stages.append(st)
        shutil.rmtree(out, ignore_errors=True)
        if not args.no_peer:
            wall, rss, _ = _measure([py, str(ROOT / "benchmarks" / "peer_duckdb.py"), str(batch)])
            peers.append(wall)
            peer_peaks.append(rss)
    med = lambda xs: round(statistics.median(xs), 3) if xs else None  # noqa: E731
    load_s, audit_s, peer_s = med(loads), med(audits), med(peers)
    keys = list(dict.fromkeys(k for s in stages for k in s))
    return {
        "modus": modus,
        "lines": meta["tabellen"]["declaraties"],
        "budgethouders": meta["budgethouders"],
        "findings": findings,
        "voorstellen": voorstellen,
        "load_s": load_s,
        "audit_s": audit_s,
        "ratio": round(audit_s / load_s, 2),
        "peer_s": peer_s,
        "audit_over_peer": round(audit_s / peer_s, 2) if peer_s else None,
        "peak_rss_mb": round(max(peaks)),
        "peer_peak_rss_mb": round(max(peer_peaks)) if peer_peaks else None,
        "stages": {k: med([s.get(k, 0.0) for s in stages]) for k in keys},
    }


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", required=True, type=lambda v: [int(x) for x in v.split(",")],
                    help="about this many declaration lines; several sizes comma-separated (50000,250000,1000000)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None,
                    help="write/reuse the batches in DIR/<lines>/normaal and DIR/<lines>/dicht")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regeling", default="losser-2025")
    ap.add_argument("--peildatum", default="2025-12-31")
    ap.add_argument("--modus", choices=("normaal", "dicht", "beide"), default="beide",
                    help="the generator's default plan, the findings-dense batch, or both")
    ap.add_argument("--no-peer", action="store_true", help="skip the DuckDB peer")
    ap.add_argument("--max-rss-mb", type=int, default=MAX_RSS_MB,
                    help="kill a measured process whose resident memory exceeds this")
    args = ap.parse_args(argv)
    globals()["MAX_RSS_MB"] = args.max_rss_mb

    work = Path(tempfile.mkdtemp(prefix="pgb-bench-"))
    results = []
    try:
        for lines in args.lines:
            for modus in (("normaal", "dicht") if args.modus == "beide" else (args.modus,)):
                batch = (args.keep or work) / str(lines) / modus
                meta = generate(batch, lines, args.seed, args.regeling,
                                DICHTHEID if modus == "dicht" else None)
                result = measure(batch, meta, args, work, modus)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
