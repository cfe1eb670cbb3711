"""Privacy: no BSN, IBAN or name of a person from the input appears in any output file or
in what the command prints, unless the user asks (`--toon-bsn`)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from auditor.load import load_batch

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "losser-2025"


def personal_values(batch: Path) -> dict[str, set[str]]:
    raw = load_batch(batch)
    out: dict[str, set[str]] = {"bsn": set(), "iban": set(), "naam": set()}
    for name, t in raw.items():
        df = t.frame
        if "bsn" in df.columns:
            out["bsn"] |= set(df["bsn"].drop_nulls().str.replace_all(r"\s", "").to_list())
        if "iban" in df.columns:
            out["iban"] |= set(df["iban"].drop_nulls().str.replace_all(r"\s", "").str.to_uppercase().to_list())
        if "naam" in df.columns and name in ("budgethouders", "relaties"):
            out["naam"] |= set(df["naam"].drop_nulls().to_list())
        if name == "zorgverleners":
            out["naam"] |= set(df.filter(pl.col("soort") != "instelling")["naam"].drop_nulls().to_list())
    return out


def all_text(out: Path) -> str:
    parts = []
    for p in sorted(out.rglob("*")):
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif p.is_file():
            parts.append(p.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_no_bsn_iban_or_name_in_any_output_or_log(tmp_path: Path):
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "auditor", "run", str(SAMPLE), "--out", str(out),
                        "--peildatum", "2025-12-31"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = all_text(out) + p.stdout + p.stderr
    pv = personal_values(SAMPLE)
    assert len(pv["bsn"]) > 40 and len(pv["iban"]) > 40 and len(pv["naam"]) > 40
    # compact form too: an IBAN printed with spaces must not slip through
    compact = text.replace(" ", "")
    leaks = {kind: sorted(v for v in values if (v in compact if kind != "naam" else v in text))
             for kind, values in pv.items()}
    assert leaks == {"bsn": [], "iban": [], "naam": []}


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample batch missing")
def test_toon_bsn_shows_them(tmp_path: Path):
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "auditor", "run", str(SAMPLE), "--out", str(out),
                        "--peildatum", "2025-12-31", "--toon-bsn"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = all_text(out)
    assert any(b in text for b in personal_values(SAMPLE)["bsn"])


def test_error_messages_name_row_not_person(tmp_path: Path):
    from tests.builders import make_batch
    batch = make_batch(tmp_path, budgethouders=[{"bsn": "123456780", "naam": "Geheime Persoon",
                                                 "iban": "NL00GEHEIM0000000000"}])
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "auditor", "run", str(batch), "--out", str(out),
                        "--peildatum", "2025-12-31"], capture_output=True, text=True)
    assert p.returncode == 0
    q = (out / "quarantaine.csv").read_text()
    assert "budgethouders" in q and "bsn: geen geldig BSN" in q
    for secret in ("123456780", "Geheime Persoon", "NL00GEHEIM0000000000"):
        assert secret not in q + p.stdout + p.stderr + all_text(out)
