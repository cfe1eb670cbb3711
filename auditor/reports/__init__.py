"""Reports for the three users of one run (outputs.md): opschorting proposals and their letters,
rapport.html and rapport.xlsx. `write_reports(a, out_dir)` is called by `auditor.write`.

The data work (polars) is done here: the report model, the workbook's sheets as plain values
and the letters' contexts, every text through the privacy guard. On a machine with two cores a
forked process (`apart`) writes rapport.xlsx with xlsxwriter as soon as its sheets are planned,
while this one plans the letters and makes rapport.html; a second forked process and this one
render the letters, taking them from one shared counter (`Verdeler`) a few proposals at a time,
so no core idles while letters are left. The children do only xlsxwriter, jinja2, lxml and zlib
work (no polars in a forked child).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from auditor import opschorting
from auditor.audit import Audit
from auditor.files import atomic_write, csv_bytes, inert, write_new
from auditor.privacy import Bewaker
from auditor.reports import html, letters, model, xlsx

#: from this many proposals on, the letters are shared with the second process (below it they
#: are rendered here, after rapport.html: each process compiles its templates on its first
#: letter of a kind, ~0.3 s, which only pays with a few letters to share)
BRIEVEN_APART = 4
#: at most this many proposals are taken from the shared counter at a time (fewer for a few
#: letters, so both processes get some)
PORTIE = 8


class Verdeler:
    """A counter in shared memory (inherited by a forked child): each process takes the next
    `portie` jobs until none are left, so the work is split by who is free, not in halves."""

    def __init__(self, n: int, portie: int = PORTIE):
        self.n, self.portie = n, max(1, min(portie, n // 8))
        self.volgende = multiprocessing.Value("q", 0)

    def porties(self):
        while True:
            with self.volgende.get_lock():
                i = self.volgende.value
                self.volgende.value = i + self.portie
            if i >= self.n:
                return
            yield range(i, min(i + self.portie, self.n))


def apart(fn: Callable[[], None]) -> Callable[[], None]:
    """Start `fn()` in a forked child and return `wait()`, which re-raises the child's exception
    (an `InvoerFout` stays one). Without fork or a second core, `fn()` runs here."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        fn()
        return lambda: None
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                      # the child: never returns into the caller's code
        os.close(r)
        code = 0
        try:
            fn()
        except BaseException as e:    # noqa: BLE001 - sent to the parent, which raises it
            code = 1
            try:
                data = pickle.dumps(e)
            except Exception:         # noqa: BLE001
                data = pickle.dumps(RuntimeError(repr(e)))
            with os.fdopen(w, "wb") as f:
                f.write(data)
        finally:
            os._exit(code)
    os.close(w)

    def wait() -> None:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if data:
            raise pickle.loads(data)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"het proces voor de brieven stopte onverwacht (status {status})")
    return wait


def write_reports(a: Audit, out_dir: Path, atomic_write=atomic_write, guard: Bewaker | None = None) -> list[Path]:
    """Every report; `atomic_write(path, bytes)` writes a file (`auditor.write` passes one
    that runs the privacy guard over the bytes first). The letters are written as new files,
    perhaps by a second process, so the guard runs here over every value they are filled with."""
    m = model.bouw(a)
    written: list[Path] = []
    vs = m.opschorting.voorstellen
    p = out_dir / "opschorting_voorstellen.csv"
    df = opschorting.csv_frame(vs)
    atomic_write(p, csv_bytes(df.with_columns(inert("budgethouder_id"), inert("zorgverlener_id"))))
    written.append(p)
    # the workbook first: its second process starts at once and writes it while this one plans
    # and renders the letters and makes rapport.html (the workbook was the longest path)
    bladen = xlsx.plan(m, guard)
    boek = out_dir / "rapport.xlsx"
    # the staging folder is fresh: the workbook and each letter are new files (write_new)
    wacht_boek = apart(lambda: write_new(boek, xlsx.schrijf(bladen)))
    sj, jobs = None, []
    try:
        if vs:
            sj, jobs = letters.plan(a, vs, out_dir)
            if guard is not None:
                jobs = list(zip(guard.waarden([ctx for ctx, _ in jobs]), [names for _, names in jobs]))
        verdeler = Verdeler(len(jobs) if len(jobs) >= BRIEVEN_APART else 0)

        def brieven(porties) -> None:
            for p in porties:
                letters.render_all(sj, [jobs[i] for i in p], write_new)

        # a third process shares the letters with this one (the counter hands out what is left)
        wacht_brieven = apart(lambda: brieven(verdeler.porties())) if verdeler.n else (lambda: None)
        try:
            written.append(html.write(m, out_dir / "rapport.html", atomic_write))
            brieven(verdeler.porties())
            if not verdeler.n:
                brieven([range(len(jobs))])
        finally:
            wacht_brieven()
    finally:
        wacht_boek()
    return [*written, boek, *letters.paths(jobs)]


__all__ = ["write_reports"]
