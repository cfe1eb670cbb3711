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
    assert re.search(r'<table class="sorteerbaar data" id="tabel-bevindingen">.*?<tbody><tr>', dom, re.S)   # rendered from the page data
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


# --------------------------------------------------------------------------- a big run
# 100,000 findings over 20,000 budgethouders, made directly as a finding frame on top of a small
# real run (a real batch that dense would take minutes to audit here): the report model, the
# page data and the browser see exactly what a big run gives them. The largest zaak (84,000.00
# euro, one NETWERK finding) is the LAST row, so a cap in check order would hide it.
BIG = 100_000


def big_findings(a):
    import polars as pl
    from auditor.findings import FINDING_SCHEMA
    n = BIG - 1
    df = pl.DataFrame({
        "check": ["SN-CATEGORIE"] * n, "soort": ["onzekerheid"] * n, "ernst": ["laag"] * n,
        "budgethouder_id": [f"B{i % 20_000:05d}" for i in range(n)], "zorgverlener_id": [f"Z{i % 700}" for i in range(n)],
        "toekenning_id": [None] * n, "zorgovereenkomst_id": [None] * n,
        "declaratie_ids": [[f"D{i}"] for i in range(n)],
        "periode_van": [None] * n, "periode_tot": [None] * n,
        "bedrag_betrokken_ct": [10_000] * n, "financieel_effect_ct": [(i * 37) % 50_000 for i in range(n)],
        "artikel": ["art. 5 lid 2 regeling"] * n, "toelichting": ["Zorg door het sociaal netwerk <b>buiten</b> de categorie."] * n,
        "regeling_id": ["losser-2025"] * n, "details": [None] * n, "voorbeeldwaarde": ["nee"] * n})
    top = pl.DataFrame({**{c: [None] for c in df.columns}, "check": ["NETWERK"], "soort": ["fout"], "ernst": ["hoog"],
                        "budgethouder_id": ["BGROOT"], "declaratie_ids": [["DX"]], "bedrag_betrokken_ct": [8_400_000],
                        "financieel_effect_ct": [8_400_000], "toelichting": ["Het grootste netwerk."],
                        "voorbeeldwaarde": ["nee"]})
    df = pl.concat([df.cast(FINDING_SCHEMA), top.cast(FINDING_SCHEMA)])
    return df.with_columns(pl.format("F{}", pl.int_range(pl.len())).alias("finding_id")).select(
        ["finding_id", *FINDING_SCHEMA])


@pytest.fixture(scope="module")
def groot(tmp_path_factory) -> Path:
    from auditor.files import atomic_write
    from auditor.reports import html, model
    tmp = tmp_path_factory.mktemp("groot")
    a = run_batch(make_batch(tmp, declaraties=[{"declaratie_id": "D1"}, {"declaratie_id": "D2"}]), checks=["DUBBEL"])
    a.result.findings = big_findings(a)
    out = tmp / "out"
    out.mkdir()
    return html.write(model.bouw(a), out / "rapport.html", atomic_write)


@pytest.mark.slow
def test_big_run_largest_zaak_first_and_its_dossier_opens(groot, tmp_path):
    size = groot.stat().st_size
    assert size < 40_000_000                                     # compact data, not 100,000 rows of markup
    html = groot.read_text(encoding="utf-8")
    assert html.count("<tr") < 5_000
    assert "<b>buiten" not in html                               # input text stays text in the page data
    res = chromium(Path(str(groot)), tmp_path, "--dump-dom", "--virtual-time-budget=20000")
    dom = res.stdout
    assert res.returncode == 0, res.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-ready="ja"' in body and "data-fouten" not in body, body
    begin = dom[dom.index('id="begin-hier"'):dom.index('id="samenvatting"')]
    eerste = re.search(r'<li class="zaak" data-budgethouder="([^"]+)">.*?</li>', begin, re.S)
    assert eerste.group(1) == "BGROOT" and "€ 84.000,00" in eerste.group(0)
    link = re.search(r'<a class="dossierlink" href="#([^"]+)">', eerste.group(0)).group(1)
    dossier = re.search(rf'<details class="dossier" id="{link}"[^>]*>\s*<summary>([^<]*)', dom)
    assert dossier and dossier.group(1).startswith("BGROOT")
    # the findings table pages over all 100,000 rows, the largest first
    assert "100.000 rijen" in dom
    rows = re.search(r'<table class="sorteerbaar data" id="tabel-bevindingen">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    assert rows.count("<tr") == 50 and "BGROOT" in rows.split("</tr>")[0]
    # following the link opens the dossier
    res = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          f"--user-data-dir={tmp_path / 'p2'}", "--dump-dom", "--virtual-time-budget=20000",
                          groot.as_uri() + "#" + link], capture_output=True, text=True, timeout=180)
    assert re.search(rf'<details class="dossier" id="{link}" open=""', res.stdout)
