"""Generate docs/checks.md from the check modules' docstrings.

    python -m auditor.catalogue > docs/checks.md

A test fails when docs/checks.md is not what this prints, so the catalogue users read is
always the code's own.
"""

from __future__ import annotations

import sys

from auditor.engine import ERNST_HOOG_CT, ERNST_MIDDEN_CT
from checks import load_checks
from auditor.formatting import eur_nl

HEADER = """# The check catalogue

Generated from the docstrings of `checks/*.py` by `python -m auditor.catalogue`; do not edit
by hand. The contract is `../shared/spec/checks.md`; this page says how pgb-audit implements
it, including the choices where the contract is silent.

Every finding carries the article of the regeling (`[artikelen]`) that governs it, its
`soort` (`fout`, `onzekerheid`, `signaal`) and its `financieel_effect` in euros, rounded to
the cent half away from zero. Where a check does not set `ernst` itself: `laag` for a
signaal, `hoog` from {hoog} euro, `midden` from {midden} euro, otherwise `laag`. Lines a check
cannot judge are counted per check as *niet toetsbaar*, with the reason, in `run.json` and
the reports.

| code | soort | titel | module |
|---|---|---|---|
"""


def render() -> str:
    checks = load_checks()
    out = [HEADER.format(hoog=eur_nl(ERNST_HOOG_CT), midden=eur_nl(ERNST_MIDDEN_CT))]
    for spec in checks.values():
        path = spec.module.replace(".", "/") + ".py"
        out.append(f"| [`{spec.code}`](#{spec.code.lower()}) | {spec.soort} | {spec.titel} | `{path}` |\n")
    for spec in checks.values():
        mod = sys.modules[spec.module]
        doc = (mod.__doc__ or spec.doc).strip()
        title, _, body = doc.partition("\n")
        out.append(f"\n## {spec.code}\n\n{title.strip()}\n{body.rstrip()}\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
