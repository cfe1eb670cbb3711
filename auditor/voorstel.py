"""`pgb-audit kolommen voorstel BATCH_DIR`: a first draft of an import definition.

For every file (and every sheet of a workbook) in the batch, the draft says which table it
most likely holds, and for each of its headers the nearest contract column (rapidfuzz
WRatio over the contract names and `kolommen.ALIASES`, each contract column used once,
best scores first). Enum values that are not contract values get the nearest contract
value, or a comment to fill in. The user checks the draft and passes it as `--kolommen`.
The draft is written only where the user asks; header cells that look like a BSN are
masked.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from auditor import werkmap
from auditor.kolommen import ALIASES, BIJNA, MAX_TITELRIJEN, _fuzzy, sleutel
from auditor.load import _kandidaten, _lees, _records, decode, sniff_delimiter
from auditor.privacy import mask_bsn_tekst
from auditor.tables import TABLES, normalise_header

MAX_VOORBEELD = 10_000       # rows read per file for the draft (values of enum columns)


def _score(kop: str, tabel: str) -> tuple[float, str | None]:
    """Best (score, contract column) for a header within a table (100 = exact or alias)."""
    k = sleutel(kop)
    for c in TABLES[tabel].cols:
        if sleutel(c.name) == k:
            return 100.0, c.name
    if k in ALIASES[tabel]:
        return 100.0, ALIASES[tabel][k]
    namen = [(c.name, c.name) for c in TABLES[tabel].cols] + [(a, c) for a, c in ALIASES[tabel].items()]
    hit = process.extractOne(_fuzzy(kop), [_fuzzy(n) for n, _ in namen], scorer=fuzz.WRatio, score_cutoff=BIJNA)
    return (float(hit[1]), namen[hit[2]][1]) if hit else (0.0, None)


def _kopregel(rows: list[list[str | None]]) -> int | None:
    """The first row among the first where two cells are near a contract column (a line of
    prose with one such word is no header)."""
    for i, row in enumerate(rows[: MAX_TITELRIJEN + 1]):
        cellen = [c for c in row if c is not None and str(c).strip()]
        if sum(any(_score(c, t)[0] >= 90 for t in TABLES) for c in cellen) >= 2:
            return i
    return None


def _bronnen(batch: Path) -> list[tuple[str, str | None, list[list[str | None]]]]:
    """(file name, sheet, rows of text) for every file and sheet of the batch."""
    out = []
    for p in _kandidaten(batch):
        suf = p.suffix.lower()
        if suf in (".csv", ".txt"):
            (data,) = _lees(p)
            text, _ = decode(data[: 4 << 20])
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            delim = max((";", ",", "\t", "|"), key=lambda d: (max((len(r) for r in _records(text, d, 20)),
                                                                  default=0), d == ";"))
            delim = delim if any(len(r) > 1 for r in _records(text, delim, 20)) else sniff_delimiter(text)
            out.append((p.name, None, _records(text, delim, MAX_VOORBEELD)))
        elif suf == ".parquet":
            try:
                df = pl.read_parquet(p, n_rows=MAX_VOORBEELD)
            except Exception:   # noqa: BLE001 - the draft skips what it cannot read, and says so
                out.append((p.name, None, []))
                continue
            df = df.select([pl.col(c).cast(pl.String, strict=False) for c, t in df.schema.items()
                            if t.is_numeric() or t == pl.String or t.is_temporal() or t == pl.Boolean])
            out.append((p.name, None, [df.columns] + [list(r) for r in df.iter_rows()]))
        else:
            for blad, rows in werkmap.read_sheets(p).items():
                out.append((p.name, blad, rows[: MAX_VOORBEELD + MAX_TITELRIJEN]))
    return out


def _tabel(naam: str, koppen: list[str]) -> str:
    """The table a file or sheet most likely holds: by its name, else by its headers."""
    stam = normalise_header(Path(naam).stem)
    for t in TABLES:
        if stam == normalise_header(t):
            return t

    def punten(t: str) -> float:
        naam_score = fuzz.partial_ratio(normalise_header(t), stam) if len(stam) >= 4 else 0
        return sum(_score(k, t)[0] for k in koppen) + (300 if naam_score >= 90 else 0)
    return max(TABLES, key=punten)


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def voorstel(batch_dir: str | Path) -> str:
    """The draft import definition for the batch, as TOML text (Dutch comments)."""
    batch = Path(batch_dir)
    regels = [f"# Voorstel voor een importdefinitie (--kolommen) voor de map {batch.name}, gemaakt door",
              "# 'pgb-audit kolommen voorstel'. Controleer elke koppeling; zie 'pgb-audit invoer uitleg'.", ""]
    gehad: set[str] = set()
    namen = {normalise_header(t) for t in TABLES}
    # files and sheets named after a table first: they hold that table whatever else looks like it
    bronnen = sorted(_bronnen(batch), key=lambda b: normalise_header(Path(b[1] or b[0]).stem) not in namen)
    for naam, blad, rows in bronnen:
        waar = f"{naam} (blad {blad})" if blad else naam
        i = _kopregel(rows)
        if i is None:
            regels += [f"# {waar}: geen kopregel herkend; zet de kolomnamen in de eerste rij.", ""]
            continue
        koppen = [str(c).strip() for c in rows[i] if c is not None and str(c).strip()]
        tabel = _tabel(blad or naam, koppen)
        if tabel in gehad:
            regels += [f"# {waar}: lijkt ook de tabel {tabel}; er mag één bestand per tabel zijn.", ""]
            continue
        gehad.add(tabel)
        scores = sorted(((s, k, c) for k in koppen for s, c in [_score(k, tabel)] if c), reverse=True)
        gekoppeld: dict[str, tuple[str, float]] = {}
        for s, k, c in scores:
            if k not in gekoppeld and c not in {v for v, _ in gekoppeld.values()}:
                gekoppeld[k] = (c, s)
        regels.append(f"[{tabel}]")
        regels.append(f"bestand = {_q(blad or naam)}" + ("" if i == 0 else f"   # kopregel op rij {i + 1}"))
        regels.append("")
        regels.append(f"[{tabel}.kolommen]")
        for k in koppen:
            if k in gekoppeld:
                c, s = gekoppeld[k]
                uitleg = "zelfde naam" if s >= 100 else f"lijkt erop ({s:.0f}%)"
                regels.append(f"{_q(mask_bsn_tekst(k))} = {_q(c)}   # {uitleg}")
            else:
                regels.append(f"# {_q(mask_bsn_tekst(k))} = \"\"   # geen kolom gevonden; extra kolommen mogen blijven")
        ontbreekt = [c.name for c in TABLES[tabel].cols if c.required
                     and c.name not in {v for v, _ in gekoppeld.values()}]
        if ontbreekt:
            regels.append(f"# verplicht, nog niet gevonden: {', '.join(ontbreekt)}")
        regels.append("")
        regels += _waarden(tabel, rows[i], rows[i + 1:], gekoppeld)
    return "\n".join(regels).rstrip() + "\n"


def _waarden(tabel: str, kop: list, data: list[list], gekoppeld: dict[str, tuple[str, float]]) -> list[str]:
    """Draft value mappings for the enum columns whose values are not contract values."""
    regels: list[str] = []
    for j, h in enumerate(kop):
        h = str(h).strip() if h is not None else ""
        if h not in gekoppeld:
            continue
        col = TABLES[tabel].col(gekoppeld[h][0])
        if col.kind != "enum":
            continue
        gezien = sorted({str(r[j]).strip() for r in data if j < len(r) and r[j] is not None and str(r[j]).strip()})
        vreemd = [v for v in gezien if v.lower().replace(" ", "_").replace("-", "_") not in col.values][:30]
        if not vreemd:
            continue
        regels.append(f"[{tabel}.waarden.{col.name}]   # toegestaan: {', '.join(col.values)}")
        for v in vreemd:
            hit = process.extractOne(_fuzzy(v), [_fuzzy(x) for x in col.values], scorer=fuzz.WRatio,
                                     score_cutoff=BIJNA)
            if hit:
                regels.append(f"{_q(v)} = {_q(col.values[hit[2]])}")
            else:
                regels.append(f"# {_q(v)} = \"\"   # kies een toegestane waarde")
        regels.append("")
    return regels
