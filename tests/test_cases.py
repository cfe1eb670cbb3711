"""Every check's cases as data: tests/cases/<CODE>.yml, run by one parametrised test.

Modelled on sqlfluff's rule cases (test/fixtures/rules/std_rule_cases/AL01.yml). A case file:

    code: DUBBEL
    artikel: >            # the article the euros come from, quoted from /work/shared/sources
      ...
    fires:                # at least one; every finding listed, with exact euros
      - name: copy-same-day
        docstring: "D1 and D2 both 01-03-2025"   # optional: a phrase of the check's docstring
        berekening: "145,35 for D2"              # the hand computation (required for fires)
        regeling: losser-2025                     # optional: forced regeling (a tariffs/ stem, or
                                                  #   {basis, zonder, extra, vervang} for a variant)
        peildatum: 2026-01-31                     # optional
        rows:                                     # overrides of tests/builders.py DEFAULTS
          declaraties: [{declaratie_id: D1}, {declaratie_id: D2}]
        findings:
          - declaratie_ids: [D2]                  # and/or toekenning_id, budgethouder_id, ...
            euros: "116.28"
            soort: fout
            toelichting: "herhaalt declaratie D1" # a phrase (or a list of phrases)
            toelichting_zonder: "VOG"             # optional: phrases it must not contain
        niet_toetsbaar:                           # optional; default: none at all
          - {sleutel: D9, reden: "geen regeling"}
    does_not_fire:        # at least one near miss: no finding at all
      - name: another-day
        ...

Unknown keys (in the file, a case, a finding, a row) are errors, so a typo cannot make a
case pass silently. `xfail: "<reason>"` marks a case whose hand-computed value disagrees
with the code (a suspected bug, kept visible, strict)."""

from __future__ import annotations

import importlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import yaml

import checks
from auditor.tables import TABLES
from checks import niet_geleverd
from tests.builders import run_check

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
TARIFFS = ROOT / "tariffs"
CODES = re.findall(r"^\| ([A-Z][A-Z-]+) \| checks/", checks.__doc__ or "", re.M)

FILE_KEYS = {"code", "artikel", "gedeeld", "fires", "does_not_fire"}  # gedeeld: YAML anchors only
CASE_KEYS = {"name", "docstring", "waarom", "berekening", "regeling", "peildatum", "rows", "findings",
             "niet_toetsbaar", "xfail", "allow_quarantine"}
ID_KEYS = {"declaratie_ids", "toekenning_id", "budgethouder_id", "zorgverlener_id", "zorgovereenkomst_id"}
FINDING_KEYS = ID_KEYS | {"euros", "bedrag_betrokken", "soort", "toelichting", "toelichting_zonder", "regeling_id",
                          "periode_van",
                          "periode_tot", "artikel", "details", "voorbeeldwaarde"}
NT_KEYS = {"sleutel", "reden"}
REGELING_KEYS = {"basis", "zonder", "extra", "vervang"}
SOORTEN = {"fout", "onzekerheid", "signaal"}
EUROS = re.compile(r"^-?\d+\.\d{2}$")


def module_doc(code: str) -> str:
    return importlib.import_module(f"checks.{code.lower().replace('-', '_')}").__doc__ or ""


def squash(text: str) -> str:
    return " ".join(text.split())


def load(code: str) -> dict:
    return yaml.safe_load((CASES / f"{code}.yml").read_text(encoding="utf-8"))


def schema_errors(code: str, data: dict) -> list[str]:
    """Everything wrong with a case file, as messages naming the case."""
    errs = []
    if not isinstance(data, dict):
        return [f"{code}.yml: not a mapping"]
    errs += [f"{code}.yml: unknown key {k!r}" for k in set(data) - FILE_KEYS]
    if data.get("code") != code:
        errs.append(f"{code}.yml: code is {data.get('code')!r}, expected {code!r}")
    if not str(data.get("artikel", "")).strip():
        errs.append(f"{code}.yml: quote the article (artikel)")
    doc = squash(module_doc(code))
    for kind in ("fires", "does_not_fire"):
        cases = data.get(kind) or []
        if not cases:
            errs.append(f"{code}.yml: needs at least one {kind} case")
        if kind == "fires" and cases and all(c.get("xfail") for c in cases):
            errs.append(f"{code}.yml: needs a firing case that is not xfail")
        if not any(c.get("docstring") for c in cases):
            errs.append(f"{code}.yml: no {kind} case runs the docstring's example (docstring: <phrase>)")
        names = [c.get("name") for c in cases]
        errs += [f"{code}.yml: {kind} name {n!r} twice" for n in set(names) if names.count(n) > 1]
        for c in cases:
            where = f"{code}::{kind}::{c.get('name')}"
            errs += [f"{where}: unknown key {k!r}" for k in set(c) - CASE_KEYS]
            if not c.get("name"):
                errs.append(f"{where}: no name")
            if c.get("docstring") and squash(c["docstring"]) not in doc:
                errs.append(f"{where}: docstring phrase {c['docstring']!r} is not in the check's docstring")
            for table, rows in (c.get("rows") or {}).items():
                if table == "materiele_controle":       # the answers file of BADO D
                    cols = set(niet_geleverd.KOLOMMEN)
                elif table not in TABLES:
                    errs.append(f"{where}: unknown table {table!r}")
                    continue
                else:
                    cols = {col.name for col in TABLES[table].cols}
                for r in rows:
                    errs += [f"{where}: {table} has no column {k!r}" for k in set(r) - cols]
            reg = c.get("regeling")
            if isinstance(reg, dict):
                errs += [f"{where}: regeling has unknown key {k!r}" for k in set(reg) - REGELING_KEYS]
            elif reg is not None and not (TARIFFS / f"{reg}.toml").exists():
                errs.append(f"{where}: no regeling tariffs/{reg}.toml")
            for nt in c.get("niet_toetsbaar") or []:
                errs += [f"{where}: niet_toetsbaar has unknown key {k!r}" for k in set(nt) - NT_KEYS]
                errs += [f"{where}: niet_toetsbaar needs {k!r}" for k in NT_KEYS - set(nt)]
            if kind == "does_not_fire":
                if "findings" in c:
                    errs.append(f"{where}: a near miss has no findings")
                continue
            if not str(c.get("berekening", "")).strip():
                errs.append(f"{where}: write the hand computation (berekening)")
            if not c.get("findings"):
                errs.append(f"{where}: a firing case lists its findings")
            for f in c.get("findings") or []:
                errs += [f"{where}: finding has unknown key {k!r}" for k in set(f) - FINDING_KEYS]
                if not set(f) & (ID_KEYS | {"details"}):
                    errs.append(f"{where}: finding names no id ({', '.join(sorted(ID_KEYS))})")
                for k in ("euros", "bedrag_betrokken"):
                    if k in f and not (isinstance(f[k], str) and EUROS.match(f[k])):
                        errs.append(f"{where}: {k} must be euros with cents as text, like \"145.35\", not {f[k]!r}")
                for k in ("euros", "soort", "toelichting"):
                    if k not in f:
                        errs.append(f"{where}: finding needs {k!r}")
                if f.get("soort") not in SOORTEN:
                    errs.append(f"{where}: soort {f.get('soort')!r} is not one of {sorted(SOORTEN)}")
                if f.get("soort") == "signaal" and f.get("euros") != "0.00":
                    errs.append(f"{where}: a signaal has euros \"0.00\"")
    return errs


def cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def regeling_path(tmp_path: Path, reg) -> str | None:
    if reg is None:
        return None
    if isinstance(reg, str):
        return str(TARIFFS / f"{reg}.toml")
    tekst = (TARIFFS / f"{reg['basis']}.toml").read_text(encoding="utf-8")
    for key in reg.get("zonder") or []:
        kort = key.split(".")[-1]
        if not re.search(rf"(?m)^{re.escape(kort)} = ", tekst):
            raise AssertionError(f"regeling {reg['basis']} has no key {key!r} to remove")
        # the key (single line, or a multi-line list up to its closing bracket) and its [bronnen] entry
        tekst = re.sub(rf"(?ms)^{re.escape(kort)} = \[\n.*?^\]\n", "", tekst)
        tekst = re.sub(rf"(?m)^{re.escape(kort)} = .*\n", "", tekst)
        tekst = re.sub(rf'(?m)^"{re.escape(key)}" = .*\n', "", tekst)
    for old, new in (reg.get("vervang") or {}).items():
        if old not in tekst:
            raise AssertionError(f"regeling {reg['basis']} has no text {old!r} to replace")
        tekst = tekst.replace(old, new)
    p = tmp_path / "regeling" / f"{reg['basis']}-variant.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(tekst + "\n" + (reg.get("extra") or ""), encoding="utf-8")
    return str(p)


def show(findings: pl.DataFrame) -> str:
    if findings.height == 0:
        return "  (no findings)"
    out = []
    for r in findings.iter_rows(named=True):
        ids = {k: r.get(k) for k in sorted(ID_KEYS) if r.get(k) not in (None, [])}
        out.append(f"  {ids} euros={r['financieel_effect_ct'] / 100:.2f} soort={r['soort']}\n"
                   f"    toelichting: {r['toelichting']}")
    return "\n".join(out)


def matches(row: dict, exp: dict) -> bool:
    """Is `row` the finding `exp` describes? By its ids (and `details`, which names e.g. the payment)."""
    for k in (ID_KEYS | {"details"}) & set(exp):
        if k == "declaratie_ids":
            if sorted(row[k] or []) != sorted(exp[k]):
                return False
        elif row.get(k) != exp[k]:
            return False
    return True


def compare(row: dict, exp: dict) -> list[str]:
    errs = []
    if row["financieel_effect_ct"] != cents(exp["euros"]):
        errs.append(f"euros {row['financieel_effect_ct'] / 100:.2f}, expected {exp['euros']}")
    if "bedrag_betrokken" in exp and row["bedrag_betrokken_ct"] != cents(exp["bedrag_betrokken"]):
        errs.append(f"bedrag_betrokken {row['bedrag_betrokken_ct'] / 100:.2f}, expected {exp['bedrag_betrokken']}")
    if row["soort"] != exp["soort"]:
        errs.append(f"soort {row['soort']!r}, expected {exp['soort']!r}")
    phrases = exp["toelichting"] if isinstance(exp["toelichting"], list) else [exp["toelichting"]]
    errs += [f"toelichting lacks {p!r}: {row['toelichting']!r}" for p in phrases if p not in row["toelichting"]]
    zonder = exp.get("toelichting_zonder") or []
    zonder = zonder if isinstance(zonder, list) else [zonder]
    errs += [f"toelichting should not say {p!r}: {row['toelichting']!r}" for p in zonder if p in row["toelichting"]]
    for k in ("regeling_id", "details", "voorbeeldwaarde"):
        if k in exp and row[k] != exp[k]:
            errs.append(f"{k} {row[k]!r}, expected {exp[k]!r}")
    if "artikel" in exp and not (row["artikel"] or "").startswith(exp["artikel"]):
        errs.append(f"artikel {row['artikel']!r} does not start with {exp['artikel']!r}")
    for k in ("periode_van", "periode_tot"):
        if k in exp and str(row[k]) != str(exp[k]):
            errs.append(f"{k} {row[k]}, expected {exp[k]}")
    return errs


def params():
    out = []
    for code in CODES:
        path = CASES / f"{code}.yml"
        if not path.exists():
            continue
        data = load(code)
        for kind in ("fires", "does_not_fire"):
            for case in data.get(kind) or []:
                marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
                out.append(pytest.param(code, kind, case, id=f"{code}::{kind}::{case.get('name')}", marks=marks))
    return out


@pytest.mark.parametrize("code", CODES)
def test_case_file_is_well_formed(code):
    path = CASES / f"{code}.yml"
    assert path.exists(), f"{code} has no tests/cases/{code}.yml"
    errs = schema_errors(code, load(code))
    assert not errs, "\n".join(errs)


def test_schema_rejects_typos():
    """The schema check itself can fail: a misspelt key, bare-number euros, a missing near miss."""
    bad = {"code": "DUBBEL", "artikel": "x", "fires": [
        {"name": "a", "berekening": "x", "docstring": "D1 and D2", "rows": {"declaraties": [{"bedrg": "1.00"}]},
         "findings": [{"declaratie_ids": ["D2"], "euros": 145.35, "soort": "fout", "toelichting": "x", "ernst": "x"}],
         "niet_toetsbar": []}]}
    errs = "\n".join(schema_errors("DUBBEL", bad))
    for expected in ("unknown key 'niet_toetsbar'", "no column 'bedrg'", "unknown key 'ernst'",
                     "euros must be euros with cents", "at least one does_not_fire"):
        assert expected in errs, errs


@pytest.mark.parametrize(("code", "kind", "case"), params())
def test_case(tmp_path, code, kind, case):
    where = f"{code}::{kind}::{case['name']}"
    f, nt, _ = run_check(tmp_path, code, peildatum=case.get("peildatum", date(2026, 1, 31)),
                         regeling=regeling_path(tmp_path, case.get("regeling")),
                         allow_quarantine=case.get("allow_quarantine", False), **(case.get("rows") or {}))
    errs = []
    expected = case.get("findings") or []
    used = set()
    for exp in expected:
        hits = [i for i, r in enumerate(f.iter_rows(named=True)) if matches(r, exp)]
        ids = {k: exp[k] for k in (ID_KEYS | {"details"}) & set(exp)}
        if len(hits) != 1:
            errs.append(f"expected one finding for {ids}, found {len(hits)}")
            continue
        used.add(hits[0])
        errs += [f"{ids}: {e}" for e in compare(f.row(hits[0], named=True), exp)]
    extra = [i for i in range(f.height) if i not in used]
    if extra:
        errs.append(f"{len(extra)} finding(s) not expected" if expected else "a near miss fired")

    want_nt = {n["sleutel"]: n["reden"] for n in case.get("niet_toetsbaar") or []}
    got_nt = dict(zip(nt["sleutel"].to_list(), nt["reden"].to_list()))
    if set(got_nt) != set(want_nt):
        errs.append(f"niet toetsbaar {sorted(got_nt)}, expected {sorted(want_nt)}: {got_nt}")
    errs += [f"niet toetsbaar {k}: reason {got_nt[k]!r} lacks {v!r}" for k, v in want_nt.items()
             if k in got_nt and v not in got_nt[k]]
    assert not errs, f"{where}\n" + "\n".join(errs) + f"\nfindings:\n{show(f)}"
