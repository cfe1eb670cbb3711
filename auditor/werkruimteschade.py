"""A damaged or half-made werkruimte: how pgb-audit tells it from a good one and what it says.

A werkruimte is the user's file. When it is valid SQLite but not as pgb-audit left it (a table
dropped, a schema version changed by hand, a stored list that is no longer JSON), that is not our
fault: the user gets exit 2 with what is wrong and what to do (`beschadigd`). A database file
without any table is what a first run killed by an older pgb-audit left behind: it holds nothing
and counts as no werkruimte yet (`leeg_bestand`). A first run builds its database in a temporary
file and moves it into place at commit (`zet_op_plaats`), so a run killed by SIGKILL, SIGTERM or
Ctrl-C leaves no werkruimte file at all.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import polars as pl

from auditor.errors import InvoerFout

DB_NAAM = "werkruimte.sqlite"

HERSTEL = ("Zet een reservekopie van de map terug, of begin een nieuwe werkruimte (geef een andere map of "
           "verplaats deze); de uitvoer van eerdere runs blijft geldig.")

# what reading a damaged werkruimte raises (beyond our own InvoerFout)
SCHADE = (sqlite3.DatabaseError, ValueError, KeyError, TypeError, IndexError, pl.exceptions.PolarsError)


def beschadigd(pad: Path, e: Exception) -> InvoerFout:
    """The InvoerFout for a werkruimte that is SQLite but not as pgb-audit left it."""
    t = str(e)
    if t.startswith("no such table: "):
        wat = f"de tabel {t.removeprefix('no such table: ')} ontbreekt"
    elif t.startswith("no such column: ") or "has no column named" in t:
        wat = f"een kolom ontbreekt ({t.rsplit(' ', 1)[-1]})"
    elif isinstance(e, json.JSONDecodeError):
        wat = "een opgeslagen lijst is geen geldige JSON meer"
    elif isinstance(e, sqlite3.DatabaseError):
        wat = "het bestand is beschadigd"
    else:
        wat = "een opgeslagen waarde heeft niet de vorm die pgb-audit schreef"
    return InvoerFout(f"werkruimte {pad}: {DB_NAAM} is beschadigd: {wat}. {HERSTEL}")


def ontbrekende_tabellen(con: sqlite3.Connection, nodig: list[str]) -> list[str]:
    """The tables of `nodig` the database does not have."""
    er = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in nodig if t not in er]


def leeg_bestand(db: Path) -> bool:
    """A database file without any table (see the module docstring): counts as no werkruimte."""
    if db.stat().st_size == 0:
        return True
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def zet_op_plaats(tmp: Path, doel: Path, pad: Path) -> None:
    """The first run's database into place, atomically. An empty file left by an older
    pgb-audit is replaced; a werkruimte another run created meanwhile is not overwritten."""
    if doel.exists() and not leeg_bestand(doel):
        raise InvoerFout(f"werkruimte {pad} is tijdens deze run aangemaakt door een andere run; "
                         "start de controle opnieuw.")
    os.replace(tmp, doel)
