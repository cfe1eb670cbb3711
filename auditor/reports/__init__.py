"""Reports for the three users of one run (outputs.md): opschorting proposals and their letters,
rapport.html and rapport.xlsx. `write_reports(a, out_dir)` is called by `auditor.write`.

On a machine with two cores the letters of many proposals are rendered in a forked second
process (`apart`) while this one makes rapport.html and rapport.xlsx: the child does only
jinja2, lxml and zlib work on contexts prepared here (no polars in the child).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

from auditor import opschorting
from auditor.audit import Audit
from auditor.files import atomic_write, csv_bytes, inert, write_new
from auditor.privacy import Bewaker
from auditor.reports import html, letters, model, xlsx

#: from this many proposals on the letters go to a second process (fork costs ~10 ms)
BRIEVEN_APART = 50


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
    wait: Callable[[], None] = lambda: None   # noqa: E731
    if vs:
        sj, jobs = letters.plan(a, vs, out_dir)
        if guard is not None:
            jobs = list(zip(guard.waarden([ctx for ctx, _ in jobs]), [names for _, names in jobs]))
        # the staging folder is fresh: each letter is a new file (write_new), no temporary name
        if len(vs) >= BRIEVEN_APART:
            wait = apart(lambda: letters.render_all(sj, jobs, write_new))
        else:
            letters.render_all(sj, jobs, write_new)
        written += letters.paths(jobs)
    try:
        written.append(html.write(m, out_dir / "rapport.html", atomic_write))
        written.append(xlsx.write(m, out_dir / "rapport.xlsx", atomic_write))
    finally:
        wait()
    return written


__all__ = ["write_reports"]
