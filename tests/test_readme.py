"""The README's figures are true: what its first command reports on the Losser sample, and the
number of declaration lines its `samples genereer` examples make."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from auditor.cli import invoke

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _regels(pad: Path) -> int:
    return len((pad / "declaraties.csv").read_text(encoding="utf-8").splitlines()) - 1


def test_the_first_command_reports_what_the_readme_says(tmp_path, capsys):
    first = README.split("```sh\n", 1)[1].splitlines()[0]
    assert "run samples/losser-2025" in first and "--peildatum 2025-12-31" in first
    rc = invoke(["run", str(ROOT / "samples" / "losser-2025"), "--out", str(tmp_path / "uit"),
                 "--peildatum", "2025-12-31", "--briefdatum", date.today().strftime("%d-%m-%Y")])
    out = capsys.readouterr().out
    assert rc == 0
    zin = re.search(r'Hij meldt "([^"]+)" en "([^"]+)"', README.replace("\n", " "))
    assert zin, "the README quotes what the first command reports"
    for quote in zin.groups():
        assert " ".join(quote.split()) in " ".join(out.split()), (quote, out)


def test_samples_genereer_examples_make_the_lines_the_readme_says(tmp_path):
    voorbeelden = re.findall(r"pgb-audit samples genereer (.+?) --out MAP +# (?:samples/(\S+): )?([\d.]+)", README)
    assert len(voorbeelden) == 2, voorbeelden
    for args, sample, aantal in voorbeelden:
        verwacht = int(aantal.replace(".", ""))
        if sample:       # the bundled sample was made by this command
            assert _regels(ROOT / "samples" / sample.rstrip(":")) == verwacht
        out = tmp_path / f"g{len(args)}"
        assert invoke(["samples", "genereer", *args.split(), "--out", str(out)]) == 0
        assert _regels(out) == verwacht, args
