"""End-to-end benchmark of pgb-audit at a given size, against the floor and the DuckDB peer.

    python benchmarks/bench.py --lines 1000000 [--runs 3] [--keep DIR] [--seed 1]

1. Generates (seeded, `auditor.samples.genereer`) a batch of about `--lines` declaration
   lines: budgethouders = lines / lines-per-budgethouder of the generator (~195 at its default
   density), zorgverleners, toekenningen and agreements grow with the budgethouders. With
   `--keep DIR` the batch is written to (or reused from) DIR so anyone can time the same
   files with their own tools.
2. Measures, every time in a fresh process (wall clock, interpreter start included), the
   median over `--runs`:
   * `load_s`: the floor no auditor can beat: every table file read into polars as text
     (decode check, `pl.read_csv` with the file's separator, all columns String);
   * `audit_s`: `python -m auditor run BATCH --out ... --stil`: all checks, validation and
     reports; per-stage seconds from its run.json (`stages`, plus `overig`: interpreter
     start, imports, reports and writing, i.e. audit_s minus the stages run.json times);
   * `peak_rss_mb`: the peak resident memory of that audit process (`os.wait4` rusage);
   * `peer_s`: benchmarks/peer_duckdb.py over the same files (six checks in DuckDB SQL).
3. Prints ONE JSON line:
   `{"lines", "budgethouders", "load_s", "audit_s", "ratio", "peer_s", "audit_over_peer",
     "peak_rss_mb", "peer_peak_rss_mb", "stages": {...}}`.
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


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    """Run `cmd` from a fresh helper so its peak RSS is its own: wait4 gives the rusage of
    exactly that child."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
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
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{bufs['err'].decode()[-3000:]}")
    return wall, ru.ru_maxrss / 1024, bufs["out"].decode()


def generate(batch: Path, lines: int, seed: int, regeling: str) -> dict:
    marker = batch / ".bench.json"
    want = {"lines": lines, "seed": seed, "regeling": regeling}
    if marker.exists() and json.loads(marker.read_text()).get("args") == want:
        return json.loads(marker.read_text())
    sys.path.insert(0, str(ROOT))
    from auditor.samples import genereer

    if batch.exists():
        shutil.rmtree(batch)
    bh = max(10, round(lines / LINES_PER_BH))
    t = time.perf_counter()
    info = genereer(batch, budgethouders=bh, seed=seed, regeling=regeling)
    meta = {"args": want, "budgethouders": bh, "tabellen": info["tabellen"],
            "generate_s": round(time.perf_counter() - t, 1)}
    marker.write_text(json.dumps(meta))
    return meta


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="write/reuse the batch in this folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regeling", default="losser-2025")
    ap.add_argument("--peildatum", default="2025-12-31")
    ap.add_argument("--no-peer", action="store_true", help="skip the DuckDB peer")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="pgb-bench-"))
    try:
        batch = args.keep or work / "batch"
        meta = generate(batch, args.lines, args.seed, args.regeling)
        py = sys.executable
        loads, audits, peaks, peers, peer_peaks, stages = [], [], [], [], [], []
        for i in range(args.runs):
            wall, _, _ = _measure([py, "-c", LOAD_SCRIPT, str(batch)])
            loads.append(wall)
            out = work / f"out{i}"
            wall, rss, _ = _measure([py, "-m", "auditor", "run", str(batch), "--out", str(out),
                                     "--peildatum", args.peildatum, "--stil"])
            audits.append(wall)
            peaks.append(rss)
            st = json.loads((out / "run.json").read_text(encoding="utf-8"))["stages_seconds"]
            top = sum(v for k, v in st.items() if not k.startswith("controle "))
            st["overig"] = round(wall - top, 3)
            stages.append(st)
            shutil.rmtree(out, ignore_errors=True)
            if not args.no_peer:
                wall, rss, _ = _measure([py, str(ROOT / "benchmarks" / "peer_duckdb.py"), str(batch)])
                peers.append(wall)
                peer_peaks.append(rss)
        med = lambda xs: round(statistics.median(xs), 3) if xs else None  # noqa: E731
        load_s, audit_s, peer_s = med(loads), med(audits), med(peers)
        result = {
            "lines": meta["tabellen"]["declaraties"],
            "budgethouders": meta["budgethouders"],
            "load_s": load_s,
            "audit_s": audit_s,
            "ratio": round(audit_s / load_s, 2),
            "peer_s": peer_s,
            "audit_over_peer": round(audit_s / peer_s, 2) if peer_s else None,
            "peak_rss_mb": round(max(peaks)),
            "peer_peak_rss_mb": round(max(peer_peaks)) if peer_peaks else None,
            "stages": {k: med([s.get(k, 0.0) for s in stages]) for k in stages[0]},
        }
        print(json.dumps(result, ensure_ascii=False))
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
