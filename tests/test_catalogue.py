"""docs/checks.md is generated from the check modules and must be current; every check
module documents what the house style asks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditor.catalogue import render
from checks import load_checks

DOC = Path(__file__).resolve().parent.parent / "docs" / "checks.md"


def test_docs_checks_md_is_generated_from_the_code():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m auditor.catalogue > docs/checks.md"


@pytest.mark.parametrize("code", list(load_checks()))
def test_every_check_module_cites_an_article_and_its_euros(code):
    spec = load_checks()[code]
    doc = sys.modules[spec.module].__doc__ or ""
    assert doc.startswith(code), f"{spec.module}: the docstring starts with the code"
    assert "art" in doc.lower(), f"{spec.module}: cite the article"
    assert "financieel_effect" in doc or "signaal" in doc.lower(), f"{spec.module}: say what euros it reports"
