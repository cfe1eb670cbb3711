"""A seeded, deterministic generator of realistic pgb batches with planted cases.

`genereer(out_dir, budgethouders, seed, regeling)` writes one valid batch in the input
contract (``../shared/spec/input-contract.md``): seven tables, a ``ground_truth.csv`` with
every (check, budgethouder) pair the checks must report, and a Dutch ``LEESMIJ.txt``.

How it works
------------
1. Every budgethouder is built "normal": 1-3 toekenningen, a zorgovereenkomst and a
   zorgverlener per toekenning, declaration lines that satisfy every rule of the regeling
   (tariffs at or below the norm, inside every period, fresh VOGs, unique contact data, ...).
2. A plan of *plants* (one or more budgethouders per check code that the regeling makes
   judgeable) is laid over randomly chosen budgethouders. A plant changes the budgethouder's
   specification (a zorgverlener without KvK, a toekenning budget above the norm, ...) or its
   lines (a copy, a line after death, ...), and tags the lines concerned.
3. Lines are generated per agreement in one linear pass; then monthly totals per
   (budgethouder, zorgverlener) are made to differ from the previous month (so that only the
   planted VAST-MAANDBEDRAG pattern exists), toekenning budgets are set with headroom from
   the final lines, payments are made per paid line, and everything is written with polars.

The package: ``regeling`` (the regeling as the generator sees it, read with the project's
own loader and norm), ``people`` (names, addresses, identifiers), ``model`` (the batch's
objects), ``generator`` (normal budgethouders and their lines), ``plants/<code>.py`` (the
planted cases, registered with ``@plant(check, variant, needs=...)``), ``writing`` (the
files) and ``genereer`` (the entry point).

Everything comes from one ``random.Random(seed)``, so the same arguments give byte-identical
files. Tables are written in mixed flavours on purpose (Dutch Excel ``;``/decimal comma/
cp1252 or UTF-8 BOM, plain CSV), see ``docs/samples.md``.
"""

from __future__ import annotations

from auditor.samples.genereer import DEMOS, genereer, genereer_demos
from auditor.samples.regeling import ALL_CHECKS, Reg

__all__ = ["ALL_CHECKS", "DEMOS", "Reg", "genereer", "genereer_demos"]
