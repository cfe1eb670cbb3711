"""Open rapport.html in headless Chromium: the page renders, its script runs without errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.write import write_outputs
from tests.builders import make_batch, run_batch

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
                 if p and Path(p).exists()), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium ontbreekt (/usr/bin/chromium); installeer met 'apt-get install -y chromium'. In CI is hij verplicht.")


def chromium(html: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None, "CI is set but /usr/bin/chromium is missing"
    profile = tmp / "profiel"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--window-size=1400,1800", *extra, html.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def rapport(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    a = run_batch(make_batch(tmp, declaraties=[
        {"declaratie_id": "D1", "tarief": "70.00", "bedrag": "140.00", "omschrijving": "<b>vet</b> & 'quote'"},
        {"declaratie_id": "D2", "tarief": "70.00", "bedrag": "140.00"},
        {"declaratie_id": "D3", "bedrag": "250.00", "datum_van": "2025-04-01"},
        {"declaratie_id": "D4", "bedrag": "250.00", "datum_van": "2025-04-01"},
        {"declaratie_id": "D5", "bedrag": "250.00", "datum_van": "2025-04-01"},
    ]), checks=["TARIEF", "DUBBEL"])
    out = tmp / "out"
    write_outputs(a, out)
    return out / "rapport.html"


def test_page_renders_and_script_runs(rapport, tmp_path):
    res = chromium(rapport, tmp_path, "--dump-dom")
    dom = res.stdout
    assert res.returncode == 0, res.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-ready="ja"' in body, body                    # the script ran to its end
    assert "data-fouten" not in body                           # window.onerror never fired
    assert re.search(r'<div id="js-fouten"></div>', dom)
    assert 'data-tabellen="' in body and not 'data-tabellen="0"' in body
    assert "Samenvatting" in dom and "Casussen, gerangschikt naar bedrag" in dom
    assert 'class="filter"' in dom                             # filter inputs were added by the script
    assert re.search(r'<table id="tabel-bevindingen" class="sorteerbaar">.*?<tbody>\s*<tr>', dom, re.S)
    assert "DUBBEL" in dom and "TARIEF" in dom
    assert "&lt;b&gt;vet&lt;/b&gt;" in dom                     # escaped input text stays text


def test_screenshot(rapport, tmp_path):
    shot = tmp_path / "rapport.png"
    res = chromium(rapport, tmp_path, f"--screenshot={shot}")
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    keep = os.environ.get("PGB_AUDIT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "rapport.png")
