"""The werkruimte: a folder with one SQLite file that remembers every audited row and finding.

With a werkruimte (`pgb-audit run BATCH --out OUT --werkruimte WS`) a run is history-aware for
every check at once: after validation, the batch's valid typed rows are combined with the rows
the werkruimte holds (per table, keyed by the table's id column: a batch row replaces the stored
row with the same id) and the checks run over that union. Auditing January-March and then
April-December therefore gives the same findings as auditing the whole year at once.

Life of a run (see docs/workspace.md):

1. `lees(pad)` reads a snapshot (stored rows, runs, findings, proposals). Nothing is written;
   a werkruimte that does not exist yet is an empty snapshot.
2. `valideer(raw, snap)` validates the batch; references may point at stored rows (a betaling
   in March of a declaratie of January).
3. `voeg_samen(typed, snap)` makes the union and the import plan: new, changed and unchanged
   rows per table (a row's content hash tells a corrected row from a repeated one).
4. the checks run over the union; `registreer(a, snap, plan)` compares the findings with the
   history: `status` (nieuw / terugkerend), `opgelost` and the earlier opschorting proposals.
5. `vastleggen(a, write)` writes rows, changes, the run, its findings and proposals in ONE
   transaction, calls `write` (the outputs) inside it and commits only when all went well. A
   failure anywhere rolls back: the werkruimte is left byte for byte as it was.

A run whose batch files, peildatum, checks and regelingen equal those of an earlier run and that
brings no new or changed row is a *herhaling*: nothing is written at all.

Values are stored typed: dates as ISO text, cents and ten-thousandths as integers, booleans as
0/1, so a round trip is exact. Quarantined rows are never stored (they were not audited).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import polars as pl

from auditor import __version__
from auditor.audit import Audit, used_regelingen
from auditor.errors import InvoerFout
from auditor.findings import STORED_COLUMNS, opgelost_schema, sql_columns, stored_schema
from auditor.opschorting import afgelopen_grond, lopend
from auditor.tables import TABLE_ORDER, TABLES
from auditor.validate import validate
from auditor import zaken as zk
from auditor.werkruimteschade import DB_NAAM, HERSTEL, SCHADE, beschadigd, leeg_bestand, ontbrekende_tabellen, zet_op_plaats

SCHEMA_VERSIE = 2           # 2: bevindingen.zaak_id and the oordelen table (issue 18)
OPWAARDEERBAAR = (1,)       # versions `vastleggen` / `open_schrijvend` upgrade in their transaction
_DTYPES = {"date": pl.Date, "money": pl.Int64, "qty": pl.Int64, "bool": pl.Boolean}

__all__ = ["Snapshot", "WerkruimteRun", "afgelopen_grond", "lees", "lopend", "opwaarderen", "registreer",
           "schrijvend", "valideer", "vastleggen", "voeg_samen"]
VOORSTEL_SCHEMA = {"run_id": pl.Int64, "budgethouder_id": pl.String, "zorgverlener_id": pl.String,
                   "omvang": pl.String, "ingangsdatum": pl.Date, "einddatum": pl.Date, "weken": pl.Int64,
                   "checks": pl.String, "financieel_effect_ct": pl.Int64, "finding_ids": pl.List(pl.String)}


# --------------------------------------------------------------------------- the SQLite file

def _sql_type(kind: str) -> str:
    return "INTEGER" if kind in ("money", "qty", "bool") else "TEXT"


_OORDELEN_DDL = """CREATE TABLE IF NOT EXISTS oordelen (
            nr INTEGER PRIMARY KEY AUTOINCREMENT, zaak_id TEXT NOT NULL, tijd TEXT NOT NULL, oordeel TEXT NOT NULL,
            notitie TEXT, door TEXT, run_id INTEGER, vingerafdruk TEXT NOT NULL)"""


def _ddl() -> list[str]:
    out = [
        "CREATE TABLE IF NOT EXISTS meta (sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS runs (
            run_id INTEGER PRIMARY KEY, tijd TEXT NOT NULL, peildatum TEXT NOT NULL, batch TEXT NOT NULL,
            sleutel TEXT NOT NULL, invoer TEXT NOT NULL, controles TEXT, rijen TEXT NOT NULL,
            bevindingen INTEGER NOT NULL, effect_ct INTEGER NOT NULL, versie TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS wijzigingen (
            run_id INTEGER NOT NULL, tabel TEXT NOT NULL, sleutel TEXT NOT NULL,
            oude_hash TEXT NOT NULL, nieuwe_hash TEXT NOT NULL)""",
        f"CREATE TABLE IF NOT EXISTS bevindingen (run_id INTEGER NOT NULL, {sql_columns()}, "
        "status TEXT NOT NULL, zaak_id TEXT, PRIMARY KEY (run_id, finding_id))",
        _OORDELEN_DDL,
        """CREATE TABLE IF NOT EXISTS voorstellen (
            run_id INTEGER NOT NULL, budgethouder_id TEXT NOT NULL, zorgverlener_id TEXT, omvang TEXT NOT NULL,
            ingangsdatum TEXT NOT NULL, einddatum TEXT NOT NULL, weken INTEGER NOT NULL, checks TEXT NOT NULL,
            financieel_effect_ct INTEGER NOT NULL, grondslag TEXT NOT NULL, finding_ids TEXT NOT NULL,
            PRIMARY KEY (run_id, budgethouder_id))""",
    ]
    for name in TABLE_ORDER:
        spec = TABLES[name]
        cols = ", ".join(
            f'"{c.typed_name}" {_sql_type(c.kind)}' + (" PRIMARY KEY" if c.name == spec.key else "")
            for c in spec.cols)
        out.append(f'CREATE TABLE IF NOT EXISTS "t_{name}" ({cols}, _hash TEXT NOT NULL, _run INTEGER NOT NULL)')
    return out


def db_pad(pad: str | Path) -> Path:
    return Path(pad) / DB_NAAM


def _verbind(pad: Path, alleen_lezen: bool) -> sqlite3.Connection:
    try:
        if alleen_lezen:
            con = sqlite3.connect(f"{pad.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=10)
        else:
            con = sqlite3.connect(pad, isolation_level=None, timeout=10)
        con.execute("PRAGMA foreign_keys = OFF")
        return con
    except sqlite3.Error as e:
        raise InvoerFout(f"werkruimte {pad.parent}: kan {pad.name} niet openen ({e}).") from None


def _controleer(con: sqlite3.Connection, pad: Path) -> int:
    """The schema version (this one or one `opwaarderen` upgrades); else an InvoerFout."""
    try:
        versie = con.execute("SELECT waarde FROM meta WHERE sleutel = 'schema_versie'").fetchone()
    except sqlite3.DatabaseError:
        raise InvoerFout(f"werkruimte {pad.parent}: {pad.name} is geen werkruimte van pgb-audit.") from None
    v = str(versie[0]).strip() if versie is not None else ""
    if not v.isdigit() or int(v) not in (SCHEMA_VERSIE, *OPWAARDEERBAAR):
        raise InvoerFout(f"werkruimte {pad.parent}: onbekende versie van de werkruimte "
                         f"({versie[0] if versie else 'geen'}; deze pgb-audit kent versie {SCHEMA_VERSIE}). "
                         + HERSTEL)
    weg = ontbrekende_tabellen(con, _SINDS_SCHEMA_1)
    if weg:
        raise beschadigd(pad.parent, sqlite3.OperationalError(f"no such table: {weg[0]}"))
    return int(v)


# tables every werkruimte has had since schema 1; one missing is damage, not something to recreate
# (`budgetten`, an input table added since, and `oordelen` of schema 2 are created on upgrade)
_SINDS_SCHEMA_1 = ["meta", "runs", "wijzigingen", "bevindingen", "voorstellen",
                   *(f"t_{n}" for n in TABLE_ORDER if n != "budgetten")]


def opwaarderen(con: sqlite3.Connection, pad: Path) -> None:
    """Upgrade an older werkruimte to SCHEMA_VERSIE inside the caller's transaction (version 1:
    `zaak_id` on every stored finding, the `oordelen` table). A finding column added to the schema
    since (`auditor.findings.FIELDS`) is added to `bevindingen`, null for the stored findings."""
    versie = _controleer(con, pad)
    for stmt in _ddl():             # tables added since (an input table such as budgetten)
        con.execute(stmt)
    aanwezig = set(_bestaande_kolommen(con, "bevindingen"))
    for c, dtype in stored_schema().items():
        if c not in aanwezig:
            con.execute(f'ALTER TABLE bevindingen ADD COLUMN "{c}" {"INTEGER" if dtype == pl.Int64() else "TEXT"}')
    if versie == SCHEMA_VERSIE:
        return
    if "zaak_id" not in _bestaande_kolommen(con, "bevindingen"):
        con.execute("ALTER TABLE bevindingen ADD COLUMN zaak_id TEXT")
    bev = _bev_frame(con.execute(f"SELECT {_bev_select(con)} FROM bevindingen ORDER BY run_id, finding_id").fetchall())
    con.executemany("UPDATE bevindingen SET zaak_id = ? WHERE run_id = ? AND finding_id = ?",
                    bev.select("zaak_id", "run_id", "finding_id").rows())
    con.execute(_OORDELEN_DDL)
    con.execute("UPDATE meta SET waarde = ? WHERE sleutel = 'schema_versie'", (str(SCHEMA_VERSIE),))


def _bestaande_kolommen(con: sqlite3.Connection, tabel: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA table_info("{tabel}")')]


# --------------------------------------------------------------------------- typed rows <-> SQL

def typed_schema(name: str) -> dict[str, pl.DataType]:
    return {c.typed_name: _DTYPES.get(c.kind, pl.String) for c in TABLES[name].cols}


def rij_hashes(df: pl.DataFrame, name: str) -> pl.Series:
    """SHA-256 (hex) of each row's typed content: `kolom=waarde` of the non-null columns in
    catalogue order (so a column added to the contract later does not change old hashes)."""
    spec = TABLES[name]
    if df.height == 0:
        return pl.Series("_hash", [], dtype=pl.String)
    parts = [pl.when(pl.col(c.typed_name).is_not_null()).then(
        pl.concat_str([pl.lit(f"{c.typed_name}="), pl.col(c.typed_name).cast(pl.String)])) for c in spec.cols]
    text = df.select(pl.concat_str(parts, separator="\x1e", ignore_nulls=True).alias("t"))["t"].to_list()
    return pl.Series("_hash", [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in text], dtype=pl.String)


def _naar_sql(df: pl.DataFrame, name: str) -> list[tuple]:
    exprs = []
    for c in TABLES[name].cols:
        col = pl.col(c.typed_name)
        if c.kind == "date":
            col = col.dt.strftime("%Y-%m-%d")
        elif c.kind == "bool":
            col = col.cast(pl.Int64)
        exprs.append(col.alias(c.typed_name))
    return df.select(exprs + [pl.col("_hash")]).rows()


def _lees_tabel(con: sqlite3.Connection, name: str) -> pl.DataFrame:
    """Stored rows as the typed frame validation gives (with `_rij` null and `_hash`)."""
    spec = TABLES[name]
    aanwezig = set(_bestaande_kolommen(con, f"t_{name}"))
    sel = ", ".join(f'"{c.typed_name}"' if c.typed_name in aanwezig else f'NULL AS "{c.typed_name}"'
                    for c in spec.cols)
    # a table added to the contract after this werkruimte was made has no rows yet
    rows = con.execute(f'SELECT {sel}, _hash FROM "t_{name}" ORDER BY "{spec.key}"').fetchall() if aanwezig else []
    raw_schema = {c.typed_name: (pl.Int64 if c.kind in ("money", "qty", "bool") else pl.String) for c in spec.cols}
    df = pl.DataFrame(rows, schema={**raw_schema, "_hash": pl.String}, orient="row")
    conv = []
    for c in spec.cols:
        if c.kind == "date":
            conv.append(pl.col(c.typed_name).str.to_date("%Y-%m-%d"))
        elif c.kind == "bool":
            conv.append(pl.col(c.typed_name).cast(pl.Boolean))
    df = df.with_columns(conv) if conv else df
    return df.select(pl.lit(None, dtype=pl.Int64).alias("_rij"), pl.all())


# --------------------------------------------------------------------------- snapshot

@dataclass
class Snapshot:
    """What the werkruimte held when the run started (read-only)."""
    pad: Path
    bestaat: bool
    laatste_run: int | None
    rijen: dict[str, pl.DataFrame]          # typed rows + `_hash` per table
    runs: pl.DataFrame                      # run_id, tijd, peildatum, batch, sleutel, controles, rijen, ...
    bevindingen: pl.DataFrame               # run_id + findings.STORED_COLUMNS + status + zaak_id
    voorstellen: pl.DataFrame               # VOORSTEL_SCHEMA
    oordelen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=zk.OORDEEL_SCHEMA))


_RUN_SCHEMA = {"run_id": pl.Int64, "tijd": pl.String, "peildatum": pl.Date, "batch": pl.String,
               "sleutel": pl.String, "invoer": pl.String, "controles": pl.String, "rijen": pl.String,
               "bevindingen": pl.Int64, "effect_ct": pl.Int64, "versie": pl.String}
_BEV_SCHEMA = {"run_id": pl.Int64, **stored_schema(), "status": pl.String}


def _bev_select(con: sqlite3.Connection) -> str:
    """The stored finding columns; NULL for one the file does not have yet (read-only, not upgraded)."""
    aanwezig = set(_bestaande_kolommen(con, "bevindingen"))
    return ", ".join(f'"{c}"' if c in aanwezig else f'NULL AS "{c}"' for c in _BEV_SCHEMA)


def _leeg_snapshot(pad: Path) -> Snapshot:
    rijen = {n: pl.DataFrame(schema={"_rij": pl.Int64, **typed_schema(n), "_hash": pl.String}) for n in TABLES}
    return Snapshot(pad, False, None, rijen, pl.DataFrame(schema=_RUN_SCHEMA),
                    _bev_frame([]), pl.DataFrame(schema=VOORSTEL_SCHEMA))


def _bev_frame(rows: list[tuple]) -> pl.DataFrame:
    rows = [(*r[:9], json.loads(r[9]), *r[10:]) for r in rows]
    df = pl.DataFrame(rows, schema={**_BEV_SCHEMA, "declaratie_ids": pl.List(pl.String)}, orient="row")
    df = df.with_columns(pl.col("periode_van").str.to_date("%Y-%m-%d"), pl.col("periode_tot").str.to_date("%Y-%m-%d"))
    return zk.met_zaak_id(df)   # derived from the stored keys (also for a werkruimte of version 1)


def _lees_con(con: sqlite3.Connection, pad: Path) -> Snapshot:
    _controleer(con, db_pad(pad))
    rijen = {n: _lees_tabel(con, n) for n in TABLES}
    runs = pl.DataFrame(con.execute(
        "SELECT run_id, tijd, peildatum, batch, sleutel, invoer, controles, rijen, bevindingen, effect_ct, versie "
        "FROM runs ORDER BY run_id").fetchall(),
        schema={**_RUN_SCHEMA, "peildatum": pl.String}, orient="row").with_columns(pl.col("peildatum").str.to_date())
    bev = _bev_frame(con.execute(
        f"SELECT {_bev_select(con)} FROM bevindingen ORDER BY run_id, finding_id").fetchall())
    vs = con.execute("SELECT run_id, budgethouder_id, zorgverlener_id, omvang, ingangsdatum, einddatum, weken, checks, "
                     "financieel_effect_ct, finding_ids FROM voorstellen ORDER BY run_id, budgethouder_id").fetchall()
    vs = pl.DataFrame([(*r[:9], json.loads(r[9])) for r in vs],
                      schema={**VOORSTEL_SCHEMA, "ingangsdatum": pl.String, "einddatum": pl.String}, orient="row")
    vs = vs.with_columns(pl.col("ingangsdatum").str.to_date(), pl.col("einddatum").str.to_date())
    laatste = runs["run_id"].max() if runs.height else None
    oordelen = pl.DataFrame(schema=zk.OORDEEL_SCHEMA)
    if "oordelen" in {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}:
        oordelen = pl.DataFrame(con.execute(f"SELECT {', '.join(zk.OORDEEL_SCHEMA)} FROM oordelen ORDER BY nr").fetchall(),
                                schema=zk.OORDEEL_SCHEMA, orient="row")
    return Snapshot(pad, True, laatste, rijen, runs, bev, vs, oordelen)


def lees(pad: str | Path) -> Snapshot:
    """Read the werkruimte (an empty snapshot when it does not exist yet). Writes nothing."""
    pad = Path(pad)
    if pad.exists() and not pad.is_dir():
        raise InvoerFout(f"werkruimte {pad}: dit is een bestand, geen map.")
    db = db_pad(pad)
    if not db.exists() or leeg_bestand(db):
        return _leeg_snapshot(pad)
    con = _verbind(db, alleen_lezen=True)
    try:
        return _lees_con(con, pad)
    except InvoerFout:
        raise
    except SCHADE as e:
        raise beschadigd(pad, e) from None
    finally:
        con.close()


# --------------------------------------------------------------------------- validation with history

def valideer(raw: dict, snap: Snapshot, mask_personal: bool = True, mask_namen: bool | None = None):
    """`validate.validate`, where a reference may also point at a row the werkruimte holds
    (a betaling of a declaratie audited in an earlier month is not an orphan)."""
    bekend = {n: snap.rijen[n][TABLES[n].key] for n in TABLES}
    return validate(raw, mask_personal=mask_personal, bekend=bekend, mask_namen=mask_namen)


# --------------------------------------------------------------------------- the union

@dataclass
class Import:
    """What this batch adds to the werkruimte (quarantined rows are not in it)."""
    rijen: dict[str, pl.DataFrame]          # rows to store per table: new and changed (typed + `_hash`)
    wijzigingen: pl.DataFrame               # tabel, sleutel, oude_hash, nieuwe_hash
    telling: dict[str, dict[str, int]]      # table -> nieuw / gewijzigd / ongewijzigd / uit_historie

    @property
    def iets_nieuws(self) -> bool:
        return any(t["nieuw"] or t["gewijzigd"] for t in self.telling.values())


def voeg_samen(typed: dict[str, pl.DataFrame], snap: Snapshot) -> tuple[dict[str, pl.DataFrame], Import]:
    """The batch's valid rows over the stored ones (a batch row replaces the stored row with the
    same id), sorted by id; and the import plan."""
    union, nieuw_rijen, telling, wijz = {}, {}, {}, []
    for name in TABLES:
        key = TABLES[name].key
        batch = typed[name]
        cols = batch.columns
        batch = batch.with_columns(rij_hashes(batch, name))
        stored = snap.rijen[name]
        cmp = batch.select(key, "_hash").join(stored.select(key, pl.col("_hash").alias("_oud")), on=key, how="left")
        is_new = cmp["_oud"].is_null()
        is_changed = ~is_new & (cmp["_oud"] != cmp["_hash"])
        changed = cmp.filter(is_changed)
        wijz.append(changed.select(pl.lit(name).alias("tabel"), pl.col(key).alias("sleutel"),
                                   pl.col("_oud").alias("oude_hash"), pl.col("_hash").alias("nieuwe_hash")))
        nieuw_rijen[name] = batch.filter(is_new | is_changed).drop("_rij")
        rest = stored.filter(~pl.col(key).is_in(batch[key].implode())).drop("_hash").select(cols)
        union[name] = pl.concat([batch.drop("_hash"), rest]).sort(key)
        telling[name] = {"nieuw": int(is_new.sum()), "gewijzigd": int(is_changed.sum()),
                         "ongewijzigd": int((~is_new & ~is_changed).sum()), "uit_historie": rest.height}
    wijzigingen = pl.concat(wijz).sort("tabel", "sleutel") if wijz else pl.DataFrame(
        schema={"tabel": pl.String, "sleutel": pl.String, "oude_hash": pl.String, "nieuwe_hash": pl.String})
    return union, Import(nieuw_rijen, wijzigingen, telling)


# --------------------------------------------------------------------------- the case register

@dataclass
class WerkruimteRun:
    """The werkruimte side of one run, attached to the `Audit` as `a.werkruimte`."""
    pad: Path
    run_id: int                              # the id this run gets (a herhaling: the id it repeats)
    herhaling_van: int | None
    sleutel: str
    basis_run: int | None                    # the latest run when the snapshot was read
    plan: Import
    status: pl.DataFrame                     # finding_id, zaak_id, status (of its zaak: nieuw / gewijzigd / terugkerend)
    opgelost: pl.DataFrame                   # findings.OPGELOST_COLUMNS: the findings of zaken that vanished
    eerdere_voorstellen: pl.DataFrame        # VOORSTEL_SCHEMA, of the runs this one is judged against
    runs: pl.DataFrame                       # every earlier run (for the reports)
    gedeclareerde_periode: tuple = (None, None)
    extra: dict = field(default_factory=dict)
    zaken: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=zk.ZAAK_SCHEMA))  # + status, judgement
    uitgesloten: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"finding_id": pl.String}))
    trends: pl.DataFrame | None = None       # zaken.trends over the earlier runs and this one


def run_sleutel(a: Audit, codes: list[str] | None) -> str:
    """Same batch files, peildatum, checks and regelingen: the same run."""
    data = {
        "invoer": sorted((n, r.sha256) for n, r in a.raw.items()),
        "peildatum": a.peildatum.isoformat(),
        "controles": sorted(codes) if codes else None,
        "regelingen": sorted((r.id, r.sha256) for r in used_regelingen(a)),
        "geforceerd": a.ctx.geforceerd.id if a.ctx.geforceerd is not None else None,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def registreer(a: Audit, snap: Snapshot, plan: Import, codes: list[str] | None) -> WerkruimteRun:
    """Compare this run's findings with the history (read-only)."""
    sleutel = run_sleutel(a, codes)
    herhaling = None
    if not plan.iets_nieuws and snap.runs.height:
        same = snap.runs.filter(pl.col("sleutel") == sleutel)
        if same.height:
            herhaling = int(same["run_id"].max())
    # a herhaling is judged against every other run; a new run against all runs before it
    eerdere_runs = snap.runs.filter(pl.col("run_id") != herhaling) if herhaling else snap.runs
    ids = eerdere_runs["run_id"]
    bev = snap.bevindingen.filter(pl.col("run_id").is_in(ids.implode()))
    f = zk.met_zaak_id(a.result.findings)
    huidig = zk.zaken(f)
    eerder = pl.concat([zk.zaken(g).select(pl.lit(r, dtype=pl.Int64).alias("run_id"), "zaak_id", "vingerafdruk")
                        for (r,), g in bev.partition_by("run_id", as_dict=True).items()]) if bev.height else \
        pl.DataFrame(schema={"run_id": pl.Int64, "zaak_id": pl.String, "vingerafdruk": pl.String})
    zstatus = zk.statussen(huidig, eerder)
    status = f.select("finding_id", "zaak_id").join(zstatus, on="zaak_id", how="left", maintain_order="left")
    zaken = (huidig.join(zstatus, on="zaak_id", how="left")
             .join(zk.beoordeling(huidig, snap.oordelen), on="zaak_id", how="left"))
    weg = zk.uitgesloten(huidig, snap.oordelen)
    uitgesloten = f.filter(pl.col("zaak_id").is_in(weg["zaak_id"].implode())).select("finding_id")
    opgelost = pl.DataFrame(schema=opgelost_schema())
    if ids.len():
        vorige = int(ids.max())
        vorige_pd = eerdere_runs.filter(pl.col("run_id") == vorige)["peildatum"][0]
        gedraaid = list(a.result.seconds)
        # a zaak is opgelost when none of its findings holds anymore (a zaak that grew or shrank is gewijzigd)
        opgelost = (bev.filter((pl.col("run_id") == vorige) & pl.col("check").is_in(gedraaid)
                               & ~pl.col("zaak_id").is_in(huidig["zaak_id"].implode()))
                    .with_columns(pl.col("run_id").alias("laatst_gezien_run"),
                                  pl.lit(vorige_pd).alias("laatst_gezien_peildatum"))
                    .select(opgelost.columns).cast(opgelost.schema))
    trend_bev = pl.concat([bev.select("run_id", "check", "zaak_id", "financieel_effect_ct"),
                           f.select(pl.lit(0, dtype=pl.Int64).alias("run_id"), pl.col("check").cast(pl.String),
                                    "zaak_id", "financieel_effect_ct")])
    vs = snap.voorstellen.filter(pl.col("run_id").is_in(ids.implode()))
    run_id = herhaling if herhaling else (snap.laatste_run or 0) + 1
    d = a.ctx.t("declaraties").select(pl.col("datum_van").min().alias("a"), pl.col("datum_van").max().alias("b")).collect()
    trend_runs = pl.concat([eerdere_runs.select("run_id", "peildatum"),
                            pl.DataFrame({"run_id": [0], "peildatum": [a.peildatum]}, schema={"run_id": pl.Int64,
                                                                                              "peildatum": pl.Date})])
    trends = zk.trends(trend_bev.with_columns(pl.col("run_id").replace(0, run_id)),
                       trend_runs.with_columns(pl.col("run_id").replace(0, run_id)))
    return WerkruimteRun(snap.pad, run_id, herhaling, sleutel, snap.laatste_run, plan, status, opgelost, vs,
                         eerdere_runs, (d["a"][0], d["b"][0]), zaken=zaken, uitgesloten=uitgesloten, trends=trends)


# --------------------------------------------------------------------------- writing, one transaction

def _maak_map(pad: Path) -> None:
    if not pad.exists():
        pad.mkdir(parents=True)
        os.chmod(pad, 0o700)


def _begin(con: sqlite3.Connection, pad: Path) -> None:
    """Take the werkruimte's write lock (one writer at a time), or say it is in use."""
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        raise InvoerFout(f"werkruimte {pad} is in gebruik door een andere run; probeer het later opnieuw.") from None


def vastleggen(a: Audit, schrijf: Callable[[], object] | None = None):
    """Store this run (rows, changes, run, findings, proposals) and call `schrijf` (the outputs)
    inside ONE transaction; commit only when everything succeeded. A herhaling writes nothing."""
    w: WerkruimteRun = a.werkruimte
    if w.herhaling_van is not None:
        return schrijf() if schrijf else None
    _maak_map(w.pad)
    db = db_pad(w.pad)
    nieuw_bestand = not db.exists() or leeg_bestand(db)
    # a first run builds the database in a temporary file next to it and moves it into place
    # at commit: killed (SIGKILL, SIGTERM, Ctrl-C) before that, there is no werkruimte file
    doel = db
    if nieuw_bestand:
        fd, tmp = tempfile.mkstemp(prefix=f".{DB_NAAM}.", suffix=".tmp", dir=w.pad)
        os.close(fd)
        db = Path(tmp)
    os.chmod(db, 0o600)
    con = _verbind(db, alleen_lezen=False)
    klaar = False
    try:
        _begin(con, w.pad)
        try:
            if nieuw_bestand:
                for stmt in _ddl():
                    con.execute(stmt)
                con.execute("INSERT INTO meta VALUES ('schema_versie', ?)", (str(SCHEMA_VERSIE),))
            opwaarderen(con, db)
            laatste = con.execute("SELECT MAX(run_id) FROM runs").fetchone()[0]
            if laatste != w.basis_run:
                raise InvoerFout(f"werkruimte {w.pad} is tijdens deze run gewijzigd door een andere run; "
                                 "start de controle opnieuw.")
            _schrijf_rijen(con, w)
            _schrijf_run(con, a, w)
            _schrijf_bevindingen(con, a, w)
            _schrijf_voorstellen(con, a, w)
            result = schrijf() if schrijf else None
            con.execute("COMMIT")
            if nieuw_bestand:
                con.close()
                zet_op_plaats(db, doel, w.pad)
            klaar = True
            return result
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    finally:
        con.close()
        if not klaar and nieuw_bestand:  # a first run that failed leaves no werkruimte file behind
            for p in (db, db.with_name(db.name + "-journal")):
                if p.exists():
                    p.unlink()


@contextmanager
def schrijvend(pad: str | Path):
    """An existing werkruimte opened for writing, upgraded, in ONE transaction (committed when the
    block ends without an error, else rolled back). For judgements (`auditor.beoordeling`)."""
    pad = Path(pad)
    db = db_pad(pad)
    if not db.exists():
        raise InvoerFout(f"werkruimte {pad}: geen werkruimte gevonden ({DB_NAAM} ontbreekt).")
    con = _verbind(db, alleen_lezen=False)
    try:
        _begin(con, pad)
        try:
            opwaarderen(con, db)
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def _schrijf_rijen(con: sqlite3.Connection, w: WerkruimteRun) -> None:
    for name in TABLE_ORDER:
        df = w.plan.rijen[name]
        if df.height == 0:
            continue
        spec = TABLES[name]
        aanwezig = set(_bestaande_kolommen(con, f"t_{name}"))
        for c in spec.cols:
            if c.typed_name not in aanwezig:  # the contract grew: old rows get null
                con.execute(f'ALTER TABLE "t_{name}" ADD COLUMN "{c.typed_name}" {_sql_type(c.kind)}')
        cols = [c.typed_name for c in spec.cols] + ["_hash", "_run"]
        sql = (f'INSERT OR REPLACE INTO "t_{name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
               f'VALUES ({", ".join("?" for _ in cols)})')
        con.executemany(sql, [(*r, w.run_id) for r in _naar_sql(df, name)])
    con.executemany("INSERT INTO wijzigingen VALUES (?, ?, ?, ?, ?)",
                    [(w.run_id, *r) for r in w.plan.wijzigingen.rows()])


def _schrijf_run(con: sqlite3.Connection, a: Audit, w: WerkruimteRun) -> None:
    f = a.result.findings
    invoer = [{"table": n, "path": r.path, "sha256": r.sha256} for n, r in sorted(a.raw.items())]
    con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        w.run_id, datetime.now(timezone.utc).isoformat(timespec="seconds"), a.peildatum.isoformat(),
        a.batch.name, w.sleutel, json.dumps(invoer), json.dumps(list(a.result.seconds)),
        json.dumps(w.plan.telling), f.height, int(f["financieel_effect_ct"].fill_null(0).sum()), __version__))


def _schrijf_bevindingen(con: sqlite3.Connection, a: Audit, w: WerkruimteRun) -> None:
    f = a.result.findings.join(w.status, on="finding_id", how="left", maintain_order="left")
    cols = ["run_id", *STORED_COLUMNS, "status", "zaak_id"]
    f = f.with_columns(pl.Series("declaratie_ids", [json.dumps(x) for x in f["declaratie_ids"].to_list()],
                                 dtype=pl.String))
    dates = [c for c in STORED_COLUMNS if c.startswith("periode_")]
    rows = f.select(pl.lit(w.run_id).alias("run_id"), *STORED_COLUMNS, "status", "zaak_id").with_columns(
        *[pl.col(c).dt.strftime("%Y-%m-%d") for c in dates], pl.col("check").cast(pl.String)).rows()
    con.executemany(f"INSERT INTO bevindingen ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                    f"VALUES ({', '.join('?' for _ in cols)})", rows)


def _schrijf_voorstellen(con: sqlite3.Connection, a: Audit, w: WerkruimteRun) -> None:
    rows = []
    for v in a.opschorting.voorstellen:
        rows.append((w.run_id, v.budgethouder_id, v.zorgverlener_id, v.omvang, v.ingangsdatum.isoformat(),
                     v.einddatum.isoformat(), v.weken, ";".join(v.checks), v.financieel_effect_ct, v.grondslag,
                     json.dumps(sorted(v.findings["finding_id"].to_list()))))
    con.executemany("INSERT INTO voorstellen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


# --------------------------------------------------------------------------- run.json and toon

def run_json_deel(w: WerkruimteRun) -> dict:
    return {"pad": str(w.pad), "run_id": w.run_id, "herhaling_van": w.herhaling_van,
            "rijen": w.plan.telling, "wijzigingen": w.plan.wijzigingen.height,
            "opgelost": w.opgelost.height,
            "terugkerend": int((w.status["status"] == "terugkerend").sum()),
            "nieuw": int((w.status["status"] == "nieuw").sum()),
            "gewijzigd": int((w.status["status"] == "gewijzigd").sum()),
            "zaken": {st: int((w.zaken["status"] == st).sum()) for st in ("nieuw", "gewijzigd", "terugkerend")}
            | {"opgelost": w.opgelost["zaak_id"].n_unique()}}
