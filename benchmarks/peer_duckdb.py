"""The peer: what a capable analyst would write instead of pgb-audit, in DuckDB SQL.

Six checks of pgb-audit over the same batch files: TARIEF, DUBBEL, BUITENLAND,
BUITEN-PERIODE, OVERSCHRIJDING and VAST-MAANDBEDRAG (the fixed agreement and the
"same month again and again" pattern). The euros per check are the sums of
`financieel_effect` that pgb-audit reports (tests/test_peer.py holds them equal on the
bundled samples).

What comes from pgb-audit is *configuration* only, as input tables: the regelingen
(gemeente, validity, the scalar parameters), the ZIN product table (`categorie_frame`) and the
pgb norm per (regeling, product, categorie, eenheid, soort) (`norm_frame`). Everything else
is SQL: reading the CSVs (all text), parsing Dutch amounts and dates, picking the regeling
per line, resolving the toekenning and zorgovereenkomst of a line that names none, the
sociaal-netwerk rule, the per-day logic and the euros (integer cents, rounding half away
from zero).

What the peer does NOT do (and pgb-audit does): validation and quarantine (the peer trusts
the export), toelichtingen, finding ids, niet-toetsbaar lists, reports. So it is a subset.

    python benchmarks/peer_duckdb.py BATCH_DIR         # prints {"peer_s": .., "euros": {...}}
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SQL_FILE = Path(__file__).with_name("peer_checks.sql")
TABLES = ("budgethouders", "toekenningen", "zorgverleners", "zorgovereenkomsten", "declaraties")
CHECKS = ("TARIEF", "DUBBEL", "BUITENLAND", "BUITEN-PERIODE", "OVERSCHRIJDING", "VAST-MAANDBEDRAG")


def _flavour(path: Path) -> tuple[str, str]:
    """(delimiter, encoding) from the first bytes, as an analyst would look at the file."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    first = head.split(b"\n", 1)[0]
    delim = max((";", ",", "\t", "|"), key=lambda d: (first.count(d.encode()), d == ";"))
    try:
        head.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError as e:   # a cut multi-byte char at the end of the sample is fine
        enc = "utf-8" if e.start >= len(head) - 4 else "latin-1"
    return delim, enc


def _config_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The regelingen as three small input tables (configuration, not audit logic)."""
    sys.path.insert(0, str(ROOT))
    from auditor import regeling as reg

    regs = reg.gebundelde_regelingen()
    params = reg.regeling_frame(regs).select(
        "regeling_id", "gemeente_code", "geldig_van", "geldig_tot", "max_weken_buitenland",
        "vast_maandbedrag_toegestaan", "sn_toegestane_categorieen")
    cat = reg.categorie_frame(regs).select("regeling_id", "product_code", "categorie")
    norm = reg.norm_frame(regs).select("regeling_id", "product_key", "categorie", "eenheid", "soort", "norm_ct")
    # handed over as Parquet (polars writes it without pyarrow, which pgb-audit does not need)
    with tempfile.TemporaryDirectory() as tmp:
        for name, df in (("cfg_regeling", params), ("cfg_categorie", cat), ("cfg_norm", norm)):
            path = Path(tmp) / f"{name}.parquet"
            df.write_parquet(path)
            con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM read_parquet('{path}')")


def _read_tables(con: duckdb.DuckDBPyConnection, batch: Path) -> None:
    for name in TABLES:
        path = next((p for p in sorted(batch.iterdir()) if p.stem.lower() == name and p.suffix.lower() in (".csv", ".txt")),
                    None)
        if path is None:
            raise SystemExit(f"{batch}: {name}.csv ontbreekt")
        delim, enc = _flavour(path)
        dec = "nl" if delim in (";", "\t") else "en"   # decimal comma in ';' files
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}_ct(x) AS {dec}_ct(x)")
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}_e4(x) AS {dec}_e4(x)")
        q = lambda v: "'" + str(v).replace("'", "''") + "'"  # noqa: E731
        con.execute(
            f"CREATE TEMP VIEW raw_{name} AS SELECT * FROM read_csv({q(path)}, all_varchar = true, header = true, "
            f"delim = {q(delim)}, quote = '\"', encoding = {q(enc)}, normalize_names = true)")


def peer(batch_dir: str | Path, threads: int | None = None) -> dict[str, int]:
    """Euros (integer cents) per check over the batch."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    _config_tables(con)
    stmts = [code for stmt in SQL_FILE.read_text(encoding="utf-8").split(";\n")
             if (code := "\n".join(ln for ln in stmt.splitlines() if not ln.lstrip().startswith("--")).strip())]
    macros = [s for s in stmts if s.startswith("CREATE OR REPLACE TEMP MACRO")]
    for stmt in macros:                 # the parsing helpers first: the table macros use them
        con.execute(stmt)
    _read_tables(con, Path(batch_dir))
    for stmt in stmts:
        if stmt not in macros:
            con.execute(stmt)
    rows = con.execute("SELECT code, euros_ct FROM result").fetchall()
    out = {c: 0 for c in CHECKS}
    out.update({c: int(v or 0) for c, v in rows})
    return out


def main(argv: list[str]) -> None:
    t = time.perf_counter()
    euros = peer(argv[0])
    print(json.dumps({"peer_s": round(time.perf_counter() - t, 3), "euros": euros}))


if __name__ == "__main__":
    main(sys.argv[1:])
