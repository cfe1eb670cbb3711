"""Where the memory goes: the resident memory of one audit over time, and its peak per stage.

    python benchmarks/geheugen.py BATCH [--peildatum 2025-12-31] [--interval 0.5]

Runs `python -m auditor run BATCH --out TMP --stil` as a child, samples the resident memory
(VmRSS of the child and of its own children, from /proc) every `--interval` seconds, and prints
ONE JSON line: the peak, the peak of the run's whole process tree as RSS (a forked report
process shares its pages with its parent until one of them writes them, so the sum of RSS
overstates) and as PSS (each shared page counted once: the memory the machine really gives
the run; /proc/PID/smaps_rollup), and per stage
of run.json's `stages_seconds` (inlezen, valideren, verrijken, controles, opschorting,
rapporten, in that order) the highest sample taken while the stage ran. Stage boundaries are
the stages' durations laid end to end from the moment the audit's first stage began, which
run.json gives as `started` (imports before it are `voor`). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

TOP = ("inlezen", "valideren", "verrijken", "controles", "opschorting", "rapporten")


def _status_mb(pid: int, bestand: str, sleutel: str) -> float:
    """A kB figure of /proc/PID/<bestand> (`VmRSS:` of status, `Pss:` of smaps_rollup) in MB."""
    try:
        with open(f"/proc/{pid}/{bestand}", encoding="ascii") as f:
            for line in f:
                if line.startswith(sleutel):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    return _status_mb(pid, "smaps_rollup", "Pss:")


def kinderen(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("batch", type=Path)
    ap.add_argument("--peildatum", default="2025-12-31")
    ap.add_argument("--interval", type=float, default=0.5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pgb-geheugen-"))
    out = work / "out"
    try:
        t0 = time.time()
        p = subprocess.Popen([sys.executable, "-m", "auditor", "run", str(args.batch), "--out", str(out),
                              "--peildatum", args.peildatum, "--stil"], stdout=subprocess.DEVNULL)
        samples: list[tuple[float, float, float, float]] = []   # (time, rss of the run, rss and pss of its tree)
        while p.poll() is None:
            eigen, ks = rss_mb(p.pid), kinderen(p.pid)
            samples.append((time.time(), eigen, eigen + sum(rss_mb(k) for k in ks),
                            (pss_mb(p.pid) + sum(pss_mb(k) for k in ks)) if ks else eigen))
            time.sleep(args.interval)
        wall = time.time() - t0
        if p.returncode != 0:
            sys.exit(f"the audit ended with exit code {p.returncode}")
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        start = datetime.fromisoformat(run["started"]).timestamp()
        grenzen, t = [("voor", t0, start)], start
        for k in TOP:
            d = run["stages_seconds"].get(k)
            if d is not None:
                grenzen.append((k, t, t + d))
                t += d
        grenzen.append(("na", t, float("inf")))
        per = {}
        for naam, van, tot in grenzen:
            s = [r for (ts, r, _, _) in samples if van <= ts < tot]
            per[naam] = round(max(s)) if s else None
        print(json.dumps({"batch": str(args.batch), "wall_s": round(wall, 1), "samples": len(samples),
                          "peak_mb": round(max(r for _, r, _, _ in samples)),
                          "peak_tree_rss_mb": round(max(b for _, _, b, _ in samples)),
                          "peak_tree_pss_mb": round(max(c for _, _, _, c in samples)),
                          "peak_per_stage_mb": per,
                          "findings": run.get("findings"),
                          "stages_seconds": {k: v for k, v in run["stages_seconds"].items() if " " not in k}},
                         ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if not os.path.isdir("/proc/self"):
        sys.exit("benchmarks/geheugen.py needs Linux (/proc)")
    main()
