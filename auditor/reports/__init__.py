"""Reports for the three users of one run (outputs.md): opschorting proposals and their letters,
rapport.html and rapport.xlsx. `write_reports(a, out_dir)` is called by `auditor.write`."""

from __future__ import annotations

from pathlib import Path

from auditor import opschorting
from auditor.audit import Audit
from auditor.files import atomic_write, csv_bytes, inert
from auditor.reports import html, letters, model, xlsx


def write_reports(a: Audit, out_dir: Path, atomic_write=atomic_write) -> list[Path]:
    """Every report; `atomic_write(path, bytes)` writes a file (`auditor.write` passes one
    that runs the privacy guard over the bytes first)."""
    m = model.bouw(a)
    written: list[Path] = []
    p = out_dir / "opschorting_voorstellen.csv"
    df = opschorting.csv_frame(m.opschorting.voorstellen)
    atomic_write(p, csv_bytes(df.with_columns(inert("budgethouder_id"), inert("zorgverlener_id"))))
    written.append(p)
    written += letters.write_letters(a, m.opschorting.voorstellen, out_dir, atomic_write)
    written.append(html.write(m, out_dir / "rapport.html", atomic_write))
    written.append(xlsx.write(m, out_dir / "rapport.xlsx", atomic_write))
    return written


__all__ = ["write_reports"]
