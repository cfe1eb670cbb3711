"""Determinism: the same input and peildatum give byte-identical findings.csv,
opschorting_voorstellen.csv and letters, whatever the row order of the input files and
the number of threads polars uses."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "losser-2025"
COMPARED = ("findings.csv", "opschorting_voorstellen.csv")


def shuffle_rows(src: Path, dst: Path, seed: int) -> None:
    """Copy a batch with the data rows of every CSV in another order (header stays first)."""
    dst.mkdir(parents=True)
    rnd = random.Random(seed)
    for f in src.iterdir():
        if f.suffix != ".csv":
            shutil.copy(f, dst / f.name)
            continue
        data = f.read_bytes()
        head, _, body = data.partition(b"\n")
        rows = [r for r in body.split(b"\n") if r.strip()]
        assert not any(r.count(b'"') % 2 for r in rows), "no quoted newlines in the samples"
        rnd.shuffle(rows)
        (dst / f.name).write_bytes(head + b"\n" + b"\n".join(rows) + b"\n")


def run(batch: Path, out: Path, threads: str | None) -> dict[str, bytes]:
    env = dict(os.environ)
    if threads:
        env["POLARS_MAX_THREADS"] = threads
    p = subprocess.run([sys.executable, "-m", "auditor", "run", str(batch), "--out", str(out),
                        "--peildatum", "2025-12-31", "--stil"], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    files = {name: (out / name).read_bytes() for name in COMPARED}
    files.update({f"brieven/{p.name}": p.read_bytes() for p in sorted((out / "brieven").glob("*"))})
    return files


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_same_bytes_whatever_row_order_and_threads(tmp_path: Path):
    shuffled = tmp_path / "shuffled"
    shuffle_rows(SAMPLE, shuffled, seed=7)
    base = run(SAMPLE, tmp_path / "a", None)
    assert base["findings.csv"].count(b"\n") > 50 and any(k.startswith("brieven/") for k in base)
    for batch, threads, label in ((shuffled, None, "shuffled rows"), (SAMPLE, "1", "one thread"),
                                  (shuffled, "1", "shuffled, one thread")):
        other = run(batch, tmp_path / label.replace(" ", "_").replace(",", ""), threads)
        assert other.keys() == base.keys(), label
        for name in base:
            assert other[name] == base[name], f"{name} differs with {label}"
