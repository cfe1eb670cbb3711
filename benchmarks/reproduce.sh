#!/usr/bin/env bash
# Every figure of docs/performance.md ("Round 4"), in one command:
#
#     bash benchmarks/reproduce.sh [DIR]        # DIR keeps the generated batches (default /tmp/pgb-bench)
#
# Needs `pip install -e .[bench]` (duckdb for the peer, pyinstrument for profiles). On this
# 2-core machine it takes about 45 minutes, most of it the 10M-line batch (generated once, then
# kept in DIR/10000000/dicht). Prints JSON lines:
#   1. bench.py: 50k, 250k and 1M lines, normal and findings-dense, medians of 3 whole processes
#      (floor, audit with run.json's stages, DuckDB peer, peak RSS);
#   2. bench.py: the dense 10M-line year, one run;
#   3. bench_rapporten.py: every report of 28,000 findings and ~2,800 proposals, median of 3;
#   4. geheugen.py: the dense 10M-line year's memory over time, peak per stage, RSS and PSS.
set -euo pipefail
DIR="${1:-/tmp/pgb-bench}"
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
"$PY" benchmarks/bench.py --lines 50000,250000,1000000 --runs 3 --keep "$DIR" --modus beide
"$PY" benchmarks/bench.py --lines 10000000 --runs 1 --keep "$DIR" --modus dicht
PYTHONPATH=. "$PY" benchmarks/bench_rapporten.py "$DIR/1000000/dicht" --runs 3
PYTHONPATH=. "$PY" benchmarks/geheugen.py "$DIR/10000000/dicht"
