"""From text to typed, validated tables; every bad row quarantined with all its reasons.

Three passes, all vectorised:

1. **parse**: every text column becomes its type (`auditor.tables` says which). A value
   that does not parse becomes null and gives a reason ("datum_van: '31-02-2025' is geen
   geldige datum").
2. **schema** (pandera, lazy): required cells, enums, non-negative amounts, unique ids,
   BSN elfproef, IBAN mod-97, postcode, `tot >= van`. pandera collects every failure of
   every row, not only the first.
3. **references**: a row whose budgethouder, zorgverlener, zorgovereenkomst, toekenning or
   declaratie is not among the valid rows of that table (tables in dependency order).

Rows read = rows audited + rows quarantined, per table, always.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors
from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn
from stdnum.nl import postcode as std_postcode

from auditor.load import RawTable
from auditor.privacy import mask_bsn_tekst_expr, mask_naam_expr
from auditor.tables import TABLE_ORDER, TABLES, Col, Table

PERSONAL = {"bsn", "iban", "naam", "telefoon", "email", "geboortedatum", "straat_huisnummer"}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d")
DATE_HINT = {"%d-%m-%Y": "dd-mm-jjjj", "%Y-%m-%d": "jjjj-mm-dd", "%d/%m/%Y": "dd/mm/jjjj",
             "%d.%m.%Y": "dd.mm.jjjj", "%Y/%m/%d": "jjjj/mm/dd", "%Y%m%d": "jjjjmmdd"}
TRUE = ("ja", "j", "true", "waar", "1", "x", "yes", "y")
FALSE = ("nee", "n", "false", "onwaar", "0", "no")
MAX_INT_DIGITS = 11
#: bounds of the contract's numbers (docs/robustness.md): a value beyond them is a typing or
#: export error, quarantined, and keeps every product on the hot path inside Int64 (an
#: amount x a quantity <= 10^11 cents x 10^10 ten-thousandths, computed in Int128).
MAX_BEDRAG_CT = 10**9 * 100          # 1.000.000.000 euro
MAX_AANTAL_E4 = 10**6 * 10**4        # 1.000.000 units (uren, km, ...)
JAAR_MIN, JAAR_MAX = 1900, 2100      # a date outside these years is a typing error (`10-01-25`)
#: a float (Parquet, an Excel formula) within a millionth of a unit of the last decimal is
#: that value: 87.21000000000001 is 87,21; 12.345 is not a cent amount
FLOAT_RUIS = 6


@dataclass
class Validated:
    tables: dict[str, pl.DataFrame]      # typed, valid rows only (with `_rij`)
    quarantine: pl.DataFrame             # tabel, rij, redenen, inhoud
    counts: dict[str, dict[str, int]]    # table -> rows_read / rows_audited / rows_quarantined


# --------------------------------------------------------------------------- parsing

def _clean(c: str) -> pl.Expr:
    """Trim; empty text is null."""
    return pl.col(c).str.strip_chars().replace("", None)


def parse_scaled(c: str, scale_digits: int, decimal: str) -> pl.Expr:
    """Dutch or plain decimal text to an integer scaled by 10^scale_digits; null where it
    does not parse (or has more decimals than `scale_digits`).

    `€ 1.299,99`, `1299,99`, `1,299.99`, `1299.99` and `-12,5` all parse. A lone separator
    that is not the file's decimal separator is a thousands separator only when it groups
    exactly three digits (`1.299` in a Dutch file is 1299; `12.50` is 12.5)."""
    return pl.struct(pl.col(c)).map_batches(
        lambda s: _parse_scaled_series(s.struct.field(c), scale_digits, decimal), return_dtype=pl.Int64)


def _parse_scaled_series(values: pl.Series, scale_digits: int, decimal: str) -> pl.Series:
    """`parse_scaled` in small vectorised steps (one huge expression tree makes polars'
    optimiser slow; this stays linear). Amounts repeat a lot (a million lines have some
    thousands of distinct amounts): each distinct text is parsed once and joined back."""
    if values.len() > 10_000:
        uniq = values.unique()
        if uniq.len() * 4 < values.len():
            parsed = _parse_scaled_series(uniq, scale_digits, decimal)
            return _join_back(values, uniq, parsed)
    other_re = r"\." if decimal == "," else ","
    lf = pl.LazyFrame({"v": values}).select(
        pl.col("v").str.strip_chars().str.replace_all(r"[€\s\u00a0']", "").str.replace(r"^\+", "").alias("s"))
    lf = lf.with_columns(pl.col("s").str.starts_with("-").alias("neg"), pl.col("s").str.strip_prefix("-"))
    lf = lf.with_columns(
        pl.col("s").str.contains(r"\.").alias("dot"), pl.col("s").str.contains(",", literal=True).alias("comma"),
        pl.col("s").str.contains(rf"^\d{{1,3}}({other_re}\d{{3}})+$").alias("thou"),
        pl.col("s").str.reverse().str.find(",").alias("lc"), pl.col("s").str.reverse().str.find(r"\.").alias("ld"),
    )
    dec_comma = pl.lit(decimal == ",")
    lf = lf.with_columns(
        pl.when(pl.col("dot") & pl.col("comma") & (pl.col("lc") < pl.col("ld")))
        .then(pl.col("s").str.replace_all(r"\.", "").str.replace(",", "."))
        .when(pl.col("dot") & pl.col("comma")).then(pl.col("s").str.replace_all(",", ""))
        .when(pl.col("comma") & (dec_comma | ~pl.col("thou"))).then(pl.col("s").str.replace(",", "."))
        .when(pl.col("comma")).then(pl.col("s").str.replace_all(",", ""))
        .when(pl.col("dot") & (~dec_comma | ~pl.col("thou"))).then(pl.col("s"))
        .when(pl.col("dot")).then(pl.col("s").str.replace_all(r"\.", ""))
        .otherwise(pl.col("s")).alias("n"))
    lf = lf.with_columns(
        pl.col("n").str.contains(rf"^\d{{1,{MAX_INT_DIGITS}}}(\.\d+)?$").alias("ok"),
        pl.col("n").str.extract(r"^(\d+)", 1).cast(pl.Int64, strict=False).alias("i"),
        pl.col("n").str.extract(r"\.(\d+)$", 1).fill_null("").str.strip_chars_end("0").alias("f"))
    # float noise: more decimals than allowed, but the surplus is 000000.. or 999999.. (within a
    # millionth of the last allowed decimal): the value is the nearest one with `scale_digits`
    rest = pl.col("f").str.slice(scale_digits)
    lf = lf.with_columns(
        ((pl.col("f").str.len_chars() > scale_digits + FLOAT_RUIS)
         & rest.str.starts_with("9" * FLOAT_RUIS)).alias("op"),
        pl.when((pl.col("f").str.len_chars() > scale_digits + FLOAT_RUIS)
                & (rest.str.starts_with("0" * FLOAT_RUIS) | rest.str.starts_with("9" * FLOAT_RUIS)))
        .then(pl.col("f").str.slice(0, scale_digits)).otherwise(pl.col("f")).alias("f"))
    lf = lf.with_columns(
        (pl.col("ok") & (pl.col("f").str.len_chars() <= scale_digits)).alias("ok"),
        (pl.col("i") * 10**scale_digits + pl.when(pl.col("f") == "").then(0).otherwise(
            pl.col("f").str.pad_end(scale_digits, "0").cast(pl.Int64, strict=False))
         + pl.col("op").cast(pl.Int64)).alias("val"))
    out = lf.select(pl.when(pl.col("ok")).then(pl.when(pl.col("neg")).then(-pl.col("val")).otherwise(pl.col("val")))
                    .otherwise(None).alias("v")).collect()
    return out.to_series()


def _join_back(values: pl.Series, uniq: pl.Series, parsed: pl.Series) -> pl.Series:
    """`parsed[i]` for every value equal to `uniq[i]` (nulls stay null), in `values`' order."""
    lut = pl.DataFrame({"k": uniq, "v": parsed})
    return (pl.DataFrame({"k": values}).join(lut, on="k", how="left", maintain_order="left")
            .get_column("v").alias(values.name))


def _per_distinct(c: str, fn, dtype: pl.DataType) -> pl.Expr:
    """`fn` (Series -> Series, elementwise) evaluated once per distinct value of column `c`."""
    def go(s: pl.Series) -> pl.Series:
        if s.len() > 10_000:
            uniq = s.unique()
            if uniq.len() * 4 < s.len():
                return _join_back(s, uniq, fn(uniq))
        return fn(s)
    return pl.col(c).map_batches(go, return_dtype=dtype)


def _date_text(c: str) -> pl.Expr:
    # `2025-03-01 00:00:00` and `2025-03-01T00:00` carry a time of day: the date is what counts
    return _clean(c).str.replace(r"^(\S+?)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "$1")


def _parse_dates(values: pl.Series, fmt: str) -> pl.Series:
    return pl.DataFrame({"v": values}).select(_date_text("v").str.strptime(pl.Date, fmt, strict=False)).to_series()


def detect_date_format(series: pl.Series) -> str:
    """The format that parses most of the column's values (per file and column)."""
    vals = series.drop_nulls().str.strip_chars()
    vals = vals.filter(vals != "").head(2000)
    if vals.len() == 0:
        return DATE_FORMATS[0]
    frame = pl.DataFrame({"v": vals}).select(_date_text("v").alias("v"))
    scores = {f: frame.select(pl.col("v").str.strptime(pl.Date, f, strict=False).is_not_null().sum()).item()
              for f in DATE_FORMATS}
    return max(DATE_FORMATS, key=lambda f: (scores[f], -DATE_FORMATS.index(f)))


_STDNUM_CACHE: dict = {}


def _digit(s: pl.Expr, i: int) -> pl.Expr:
    return s.str.slice(i, 1).cast(pl.Int64, strict=False)


def _fast_iban(uniq: pl.Series) -> pl.Series:
    """`stdnum.iban.is_valid` for compact Dutch IBANs (`NLkk BBBB 0123456789`, the
    registry's BBAN structure `4!a10!n`): mod 97 of the rearranged number is 1; null for any
    other shape (left to python-stdnum)."""
    s = pl.col("v")
    letter = {chr(c): c - 55 for c in range(65, 91)}
    rearranged = [(4 + k, True) for k in range(4)] + [(8 + k, False) for k in range(10)] \
        + [(0, True), (1, True), (2, False), (3, False)]
    r = pl.lit(0, dtype=pl.Int64)
    for pos, is_letter in rearranged:    # 18 fixed positions, not rows
        if is_letter:
            r = (r * 100 + s.str.slice(pos, 1).replace_strict(letter, default=0, return_dtype=pl.Int64)) % 97
        else:
            r = (r * 10 + _digit(s, pos)) % 97
    shape = s.str.contains(r"^NL[0-9]{2}[A-Z]{4}[0-9]{10}$")
    return pl.DataFrame({"v": uniq}).select(
        pl.when(shape).then(r == 1).otherwise(None)).to_series()


def _fast_bsn(uniq: pl.Series) -> pl.Series:
    """`stdnum.nl.bsn.is_valid` for 9-digit values: not 0 and the elfproef
    (9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11); null for any other shape."""
    s = pl.col("v")
    weighted = pl.sum_horizontal([(9 - i) * _digit(s, i) for i in range(8)]) - _digit(s, 8) + 11
    shape = s.str.contains(r"^[0-9]{9}$")
    ok = (s != "000000000") & (weighted % 11 == 0)
    return pl.DataFrame({"v": uniq}).select(
        pl.when(shape).then(ok).otherwise(None)).to_series()


def _stdnum_ok(values: pl.Series, fn) -> pl.DataFrame:
    """Run a python-stdnum validator once per distinct value (not per row); Dutch IBANs and
    9-digit BSNs are judged vectorised by the same rule (`_FAST`), the rest by python-stdnum."""
    uniq = values.drop_nulls().unique()
    fast = _FAST.get(fn)
    if fast is None or not uniq.len():
        return _stdnum_slow(uniq, fn)
    verdict = fast(uniq)
    decided = verdict.is_not_null()
    out = pl.DataFrame({"v": uniq.filter(decided), "ok": verdict.filter(decided)},
                       schema={"v": pl.String, "ok": pl.Boolean})
    if decided.all():
        return out
    return pl.concat([out, _stdnum_slow(uniq.filter(~decided), fn)])


def _stdnum_slow(uniq: pl.Series, fn) -> pl.DataFrame:
    cache = _STDNUM_CACHE.setdefault(fn, {})
    ok = []
    for v in uniq.to_list():   # once per distinct value, remembered across tables
        r = cache.get(v)
        if r is None:
            r = cache[v] = bool(fn(v))
        ok.append(r)
    if len(cache) > 2_000_000:
        cache.clear()
    return pl.DataFrame({"v": uniq, "ok": ok},
                        schema={"v": pl.String, "ok": pl.Boolean})


_FAST = {std_iban.is_valid: _fast_iban, std_bsn.is_valid: _fast_bsn}


def parse_table(raw: RawTable) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed frame (same rows, `_rij` kept) and parse errors (`_rij`, reden)."""
    spec = TABLES[raw.name]
    if raw.released:
        raise ValueError(f"{raw.name}: already validated (its text was released); load the batch again")
    df = raw.frame.with_columns([_clean(c.name).alias(f"_c_{c.name}") for c in spec.cols])
    exprs: list[pl.Expr] = []
    errors: list[pl.Expr] = []

    pre: list[pl.Expr] = []      # parsed values before their bounds (`_p_<name>`)

    def bad(col: Col, what: str, parsed: pl.Expr | None = None) -> pl.Expr:
        raw_c, typed = pl.col(f"_c_{col.name}"), pl.col(col.typed_name) if parsed is None else parsed
        return pl.when(raw_c.is_not_null() & typed.is_null()).then(
            pl.concat_str([pl.lit(f"{col.name}: '"), raw_c, pl.lit(f"' {what}")]))

    def out_of_bounds(col: Col, parsed: pl.Expr, what: str) -> pl.Expr:
        return pl.when(parsed.is_not_null() & pl.col(col.typed_name).is_null()).then(
            pl.concat_str([pl.lit(f"{col.name}: '"), pl.col(f"_c_{col.name}"), pl.lit(f"' {what}")]))

    for col in spec.cols:
        c = f"_c_{col.name}"
        cc = pl.col(c)
        if col.kind in ("text", "id"):
            e = cc
        elif col.kind == "enum":
            e = cc.str.to_lowercase().str.replace_all(r"[\s-]+", "_")
            if col.default:
                e = e.fill_null(pl.lit(col.default))
        elif col.kind == "date":
            fmt = detect_date_format(df[c])
            p = _per_distinct(c, lambda s, fmt=fmt: _parse_dates(s, fmt), pl.Date)
            pre.append(p.alias(f"_p_{col.name}"))
            pc = pl.col(f"_p_{col.name}")
            e = pl.when(pc.dt.year().is_between(JAAR_MIN, JAAR_MAX)).then(pc)
            errors.append(bad(col, f"is geen geldige datum (verwacht {DATE_HINT[fmt]})", pc))
            errors.append(out_of_bounds(col, pc, f"heeft geen geldig jaartal (verwacht een jaar van vier cijfers "
                                                 f"tussen {JAAR_MIN} en {JAAR_MAX}, zoals {DATE_HINT[fmt]})"))
        elif col.kind in ("money", "qty"):
            digits = 2 if col.kind == "money" else 4
            pre.append(parse_scaled(c, digits, raw.decimal).alias(f"_p_{col.name}"))
            pc = pl.col(f"_p_{col.name}")
            grens = MAX_BEDRAG_CT if col.kind == "money" else MAX_AANTAL_E4
            e = pl.when(pc.abs() <= grens).then(pc)
            errors.append(bad(col, "is geen geldig getal (verwacht een bedrag in euro's met hoogstens 2 decimalen)"
                              if digits == 2 else "is geen geldig getal (verwacht een getal met hoogstens 4 decimalen)",
                              pc))
            errors.append(out_of_bounds(col, pc, "is groter dan de grens van 1.000.000.000 euro; controleer het bedrag"
                                        if col.kind == "money" else
                                        "is groter dan de grens van 1.000.000; controleer het aantal"))
        elif col.kind == "bool":
            low = cc.str.to_lowercase()
            e = pl.when(low.is_in(TRUE)).then(True).when(low.is_in(FALSE)).then(False).otherwise(None)
            errors.append(bad(col, "is geen ja/nee-waarde"))
        elif col.kind in ("iban", "postcode"):
            e = cc.str.replace_all(r"[\s.\-]", "").str.to_uppercase()
        elif col.kind == "bsn":
            e = cc.str.replace_all(r"[\s.\-]", "")
            e = pl.when(e.str.contains(r"^\d{8}$")).then(pl.concat_str([pl.lit("0"), e])).otherwise(e)
        elif col.kind == "digits8":
            e = cc.str.replace_all(r"\s", "")
        elif col.kind == "land":
            e = cc.str.to_uppercase().fill_null("NL")
        else:  # pragma: no cover - catalogue kinds are closed
            raise AssertionError(col.kind)
        exprs.append(e.alias(col.typed_name))
    if pre:
        df = df.with_columns(pre)
    df = df.with_columns(exprs)
    if "_overtollig" in df.columns:
        errors.append(pl.when(pl.col("_overtollig").is_not_null()).then(
            pl.lit("de rij heeft meer velden dan de kopregel (scheidingsteken of aanhalingstekens kloppen niet)")))
    all_empty = pl.all_horizontal([pl.col(f"_c_{c.name}").is_null() for c in spec.cols])
    err = df.select(
        pl.col("_rij"),
        pl.when(all_empty).then(pl.lit(["lege rij"])).otherwise(
            pl.concat_list([e.alias(f"e{i}") for i, e in enumerate(errors)]).list.drop_nulls()
            if errors else pl.lit([], dtype=pl.List(pl.String))
        ).alias("redenen"),
    ).explode("redenen").drop_nulls("redenen").rename({"redenen": "reden"})
    typed = df.select(["_rij"] + [c.typed_name for c in spec.cols])
    return typed, err


# --------------------------------------------------------------------------- schema

def _lookup_check(fn, name: str) -> pa.Check:
    def check(data) -> pl.LazyFrame:
        key = data.key
        values = data.lazyframe.select(pl.col(key)).collect().to_series()
        table = _stdnum_ok(values, fn)
        return data.lazyframe.select(
            pl.col(key).is_null() | pl.col(key).is_in(table.filter("ok")["v"].implode())
        )
    return pa.Check(check, name=name)


def _period_check(van: str, tot: str) -> pa.Check:
    return pa.Check(
        lambda data: data.lazyframe.select(
            (pl.col(van).is_null() | pl.col(tot).is_null() | (pl.col(tot) >= pl.col(van))).alias("ok")),
        name=f"periode:{van}:{tot}",
    )


_DTYPES = {"date": pl.Date, "money": pl.Int64, "qty": pl.Int64, "bool": pl.Boolean}


def schema_for(spec: Table, unique: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of a table. `unique=False`: without the uniqueness of ids, which
    `schema_errors` does with one polars group-by per column instead (pandera's check is the
    largest part of validating a large batch)."""
    cols = {}
    for col in spec.cols:
        checks = []
        if col.kind == "enum":
            checks.append(pa.Check.isin(list(col.values), name="enum"))
        if col.min_zero:
            checks.append(pa.Check.ge(0, name="niet_negatief"))
        if col.kind == "bsn":
            checks.append(_lookup_check(std_bsn.is_valid, "bsn"))
        if col.kind == "iban":
            checks.append(_lookup_check(std_iban.is_valid, "iban"))
        if col.kind == "postcode":
            checks.append(_lookup_check(std_postcode.is_valid, "postcode"))
        if col.kind == "digits8":
            checks.append(pa.Check.str_matches(r"^\d{8}$", name="acht_cijfers"))
        if col.kind == "land":
            checks.append(pa.Check.str_matches(r"^[A-Z]{2}$", name="landcode"))
        cols[col.typed_name] = pa.Column(
            _DTYPES.get(col.kind, pl.String), checks=checks, nullable=not col.required,
            unique=col.unique and unique, required=True,
        )
    return pa.DataFrameSchema(cols, checks=[_period_check(v, t) for v, t in spec.periods])


def _uniqueness_failures(spec: Table, df: pl.DataFrame) -> pl.DataFrame:
    """pandera's `field_uniqueness` failure cases (every row whose value occurs more than once,
    in row order), by one group-by per unique column; empty cells are never duplicates."""
    leeg = pl.DataFrame(schema={"index": pl.Int32, "column": pl.String, "check": pl.String, "failure_case": pl.String})
    lf = df.lazy()
    parts = [lf.select(c).with_row_index("index")
             .join(lf.select(c).drop_nulls().group_by(c).len().filter(pl.col("len") > 1).select(c), on=c, how="semi",
                   maintain_order="left")
             .select(pl.col("index").cast(pl.Int32), pl.lit(c, dtype=pl.String).alias("column"),
                     pl.lit("field_uniqueness", dtype=pl.String).alias("check"), pl.col(c).cast(pl.String).alias("failure_case"))
             for c in (col.typed_name for col in spec.cols if col.unique)]
    return pl.concat([leeg.lazy(), *parts]).collect()

_PLAATS = "\x00"  # stands for the failing value in a reason template


def _reason(spec: Table, column: str | None, check: str, value: str | None) -> str:
    col = next((c for c in spec.cols if c.typed_name == column), None)
    name = col.name if col else (column or "")
    shown = "" if name in PERSONAL or value is None else f" '{value}'"
    if check == "not_nullable":
        return f"{name}: verplicht veld is leeg"
    if check == "field_uniqueness":
        return f"{name}:{shown} komt meer dan eens voor; verwacht een unieke waarde"
    if check == "enum" or check.startswith("isin"):
        return f"{name}:{shown} is geen toegestane waarde (verwacht: {', '.join(col.values)})"
    if check == "niet_negatief" or check.startswith("greater_than_or_equal_to"):
        return f"{name}: mag niet negatief zijn"
    if check == "bsn":
        return "bsn: geen geldig BSN (9 cijfers die voldoen aan de elfproef)"
    if check == "iban":
        return "iban: geen geldig IBAN (controlegetal klopt niet)"
    if check == "postcode":
        return f"postcode:{shown} is geen geldige Nederlandse postcode (verwacht 1234 AB)"
    if check.startswith("str_matches") and col is not None:
        check = "landcode" if col.kind == "land" else "acht_cijfers"
    if check == "acht_cijfers":
        return f"{name}:{shown} bestaat niet uit 8 cijfers"
    if check == "landcode":
        return f"{name}:{shown} is geen landcode van twee letters (ISO 3166, bijv. NL, BE, DE)"
    if check.startswith("periode:"):
        _, van, tot = check.split(":")
        return f"{tot} ligt vóór {van}"
    return f"{name}: voldoet niet aan regel {check}"


def schema_errors(spec: Table, typed: pl.DataFrame, parsed_bad: pl.DataFrame) -> pl.DataFrame:
    """pandera's lazy validation, failure cases turned into (`_rij`, reden)."""
    indexed = typed.drop("_rij")
    fc_schema = {"index": pl.Int32, "column": pl.String, "check": pl.String, "failure_case": pl.String}
    try:
        schema_for(spec, unique=False).validate(indexed, lazy=True)
        fc = pl.DataFrame(schema=fc_schema)
    except SchemaErrors as exc:
        fc = exc.failure_cases.select([pl.col(c).cast(t) for c, t in fc_schema.items()])
    dubbel = _uniqueness_failures(spec, indexed)
    if fc.height == 0 and dubbel.height == 0:
        return pl.DataFrame(schema={"_rij": pl.Int64, "reden": pl.String})
    if dubbel.height:
        # in pandera's order: per column (schema order) its nullable, unique, then other
        # checks; the table's own checks (no column) last
        rang = pl.DataFrame({"column": [c.typed_name for c in spec.cols],
                             "_kol": list(range(len(spec.cols)))}, schema={"column": pl.String, "_kol": pl.Int64})
        fase = pl.when(pl.col("check") == "not_nullable").then(0).when(pl.col("check") == "field_uniqueness").then(1).otherwise(2)
        fc = (pl.concat([fc.with_row_index("_seq"), dubbel.with_row_index("_seq")])
              .join(rang, on="column", how="left", maintain_order="left")
              .with_columns(pl.col("_kol").fill_null(len(spec.cols)), fase.alias("_fase"))
              .sort("_kol", "_fase", "_seq", maintain_order=True).select(list(fc_schema)))
    fc = fc.filter(pl.col("index").is_not_null())
    # a value that did not parse is already reported; pandera's 'empty' for it is noise
    bad_cells = parsed_bad.select(pl.col("_rij"), pl.col("reden").str.extract(r"^([a-z_]+):", 1).alias("kolom"))
    out = (fc.select(pl.col("index").cast(pl.UInt32), pl.col("column").alias("col"), "check",
                     pl.col("failure_case").cast(pl.String).alias("val"))
           .join(typed.select("_rij").with_row_index("index"), on="index", how="left")
           .with_columns(pl.col("col").str.replace(r"_(ct|e4)$", "").alias("kolom")))
    out = out.join(bad_cells.with_columns(pl.lit(True).alias("_dup")), on=["_rij", "kolom"], how="left")
    out = out.filter(~((pl.col("check") == "not_nullable") & pl.col("_dup").fill_null(False)))
    # an empty optional cell is never a duplicate (budgetten.toekenning_id: unique when given)
    out = out.filter(~((pl.col("check") == "field_uniqueness") & pl.col("val").is_null()))
    # one Dutch sentence per (column, rule), made once; the failing value is filled in by polars
    combos = out.select("col", "check").unique()
    templates = pl.DataFrame(
        {"col": combos["col"], "check": combos["check"],
         "_met": [_reason(spec, c, k, _PLAATS) for c, k in combos.iter_rows()],
         "_zonder": [_reason(spec, c, k, None) for c, k in combos.iter_rows()]},
        schema={"col": pl.String, "check": pl.String, "_met": pl.String, "_zonder": pl.String})
    out = out.join(templates, on=["col", "check"], how="left", nulls_equal=True)
    reden = (pl.when(pl.col("val").is_null()).then(pl.col("_zonder"))
             .otherwise(pl.col("_met").str.replace(_PLAATS, pl.col("val"), literal=True)))
    return out.select(pl.col("_rij").cast(pl.Int64), reden.alias("reden"))


# --------------------------------------------------------------------------- references

def reference_errors(spec: Table, typed: pl.DataFrame, valid: dict[str, pl.DataFrame],
                     quarantined_ids: dict[str, pl.Series]) -> pl.DataFrame:
    parts = []
    for col, target in spec.refs:
        key = TABLES[target].key
        if target not in valid:
            known = pl.Series(key, [], dtype=pl.String)
        else:
            known = valid[target][key]
        q = quarantined_ids.get(target, pl.Series([], dtype=pl.String))
        bad = typed.filter(pl.col(col).is_not_null() & ~pl.col(col).is_in(known.implode()))
        if bad.height:
            parts.append(bad.select(
                pl.col("_rij"),
                pl.when(pl.col(col).is_in(q.implode()))
                .then(pl.concat_str([pl.lit(f"{col}: '"), pl.col(col), pl.lit(f"' staat in quarantaine in {target}")]))
                .otherwise(pl.concat_str([pl.lit(f"{col}: '"), pl.col(col), pl.lit(f"' bestaat niet in {target}")]))
                .alias("reden"),
            ))
    return pl.concat(parts) if parts else pl.DataFrame(schema={"_rij": pl.Int64, "reden": pl.String})


# --------------------------------------------------------------------------- all tables

def _inhoud(raw: RawTable, rijen: pl.Series, mask_bsn: bool, mask_namen: bool) -> pl.DataFrame:
    """The quarantined rows as read: `kolom=waarde | ...` with BSN and IBAN masked (unless
    `--toon-bsn`) and names of natural persons as initials (unless `--toon-namen`): in the
    zorgverleners table every name but an instelling's (a zzp'er or sociaal netwerk is a
    person; a soort that cannot be read counts as a person)."""
    df = raw.frame.filter(pl.col("_rij").is_in(rijen.implode()))
    cols = [c for c in df.columns if c != "_rij"]
    parts = []
    for c in cols:
        v = pl.col(c)
        if mask_bsn and c in ("bsn", "iban"):
            v = pl.when(v.is_null()).then(None).otherwise(
                pl.concat_str([pl.lit("*****"), v.str.replace_all(r"\s", "").str.slice(-4)]))
        elif mask_namen and c == "naam":
            persoon = None
            if raw.name == "zorgverleners" and "soort" in cols:
                persoon = pl.col("soort").str.strip_chars().str.to_lowercase().fill_null("") != "instelling"
            v = mask_naam_expr(c, alleen_personen=persoon)
        parts.append(pl.when(v.is_null()).then(None).otherwise(pl.concat_str([pl.lit(f"{raw.headers.get(c, c)}="), v])))
    return df.select(pl.col("_rij"), pl.concat_str(parts, separator=" | ", ignore_nulls=True).alias("inhoud"))


def validate(raw: dict[str, RawTable], mask_personal: bool = True,
             bekend: dict[str, pl.Series] | None = None, mask_namen: bool | None = None) -> Validated:
    """Validate every table; `bekend` holds ids per table that exist outside this batch (a
    werkruimte's history), so a reference to them is not an orphan. `mask_personal` masks
    BSNs and IBANs in the quarantine (off with --toon-bsn), `mask_namen` names of persons
    (off with --toon-namen; by default as `mask_personal`)."""
    mask_namen = mask_personal if mask_namen is None else mask_namen
    bekend = bekend or {}
    valid: dict[str, pl.DataFrame] = {}
    refs: dict[str, pl.DataFrame] = {}          # per table: the ids a reference may point at
    quarantined_ids: dict[str, pl.Series] = {}
    q_parts: list[pl.DataFrame] = []
    counts: dict[str, dict[str, int]] = {}
    for name in TABLE_ORDER:
        spec = TABLES[name]
        known = bekend.get(name, pl.Series(spec.key, [], dtype=pl.String))
        if name not in raw:
            if known.len():
                refs[name] = pl.DataFrame({spec.key: known})
            continue
        typed, parse_err = parse_table(raw[name])
        errs = pl.concat([parse_err, schema_errors(spec, typed, parse_err),
                          reference_errors(spec, typed, refs, quarantined_ids)])
        empty_rows = parse_err.filter(pl.col("reden") == "lege rij")["_rij"]
        errs = errs.filter(~pl.col("_rij").is_in(empty_rows.implode()) | (pl.col("reden") == "lege rij"))
        reasons = (errs.unique(maintain_order=True).group_by("_rij", maintain_order=True)
                   .agg(pl.col("reden")).sort("_rij"))
        bad = reasons["_rij"]
        valid[name] = typed.filter(~pl.col("_rij").is_in(bad.implode()))
        refs[name] = pl.DataFrame({spec.key: pl.concat([valid[name][spec.key], known.cast(pl.String)]).unique()})
        quarantined_ids[name] = typed.filter(pl.col("_rij").is_in(bad.implode()))[spec.key].drop_nulls()
        counts[name] = {"rows_read": typed.height, "rows_audited": valid[name].height,
                        "rows_quarantined": reasons.height}
        if reasons.height:
            q_parts.append(reasons.join(_inhoud(raw[name], bad, mask_personal, mask_namen), on="_rij", how="left").select(
                pl.lit(name).alias("tabel"), pl.lit(raw[name].path).alias("bestand"),
                pl.col("_rij").alias("rij"), pl.col("reden").list.join(" | ").alias("redenen"), "inhoud",
            ))
        raw[name].release(bad)    # the text of the audited rows is not needed again (memory)
    quarantine = (pl.concat(q_parts) if q_parts else pl.DataFrame(
        schema={"tabel": pl.String, "bestand": pl.String, "rij": pl.Int64, "redenen": pl.String, "inhoud": pl.String}))
    if mask_personal:
        # a BSN in the wrong column (a shifted row: an unquoted comma in a name) is still a BSN
        quarantine = quarantine.with_columns(mask_bsn_tekst_expr("redenen"), mask_bsn_tekst_expr("inhoud"))
    return Validated(valid, quarantine, counts)


def empty_typed(name: str) -> pl.DataFrame:
    """A typed, empty table (for optional tables the batch does not have)."""
    spec = TABLES[name]
    schema = {"_rij": pl.Int64}
    for col in spec.cols:
        schema[col.typed_name] = _DTYPES.get(col.kind, pl.String)
    return pl.DataFrame(schema=schema)


def typed_columns(col: Col) -> str:  # small helper for docs and tests
    return col.typed_name
