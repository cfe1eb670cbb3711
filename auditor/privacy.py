"""Masking personal data in human-readable outputs.

BSNs and names are personal data (AVG): reports, letters and the quarantine list show a
BSN as `*****6789` and a person's name as initials unless the user asks for them
(`--toon-bsn`, `--toon-namen`). Nothing personal is ever logged.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl


def mask_naam_expr(col: str = "naam", toon: bool = False, alleen_personen: pl.Expr | None = None) -> pl.Expr:
    """A person's name as initials (`Thijs van der Meer` -> `T.v.d.M.`), unless `toon`.

    Names are personal data: the reports and letters identify a budgethouder by klantnummer
    and show initials, so a report can be shared inside the gemeente. `alleen_personen` is
    a condition that limits masking to natural persons (an instelling's name is not
    personal data)."""
    c = pl.col(col)
    if toon:
        return c
    initials = pl.concat_str([c.str.extract_all(r"(?:^|[\s\-'])(\w)").list.eval(
        pl.element().str.strip_chars(" -'")).list.join("."), pl.lit(".")])
    masked = pl.when(c.is_null()).then(None).otherwise(initials)
    if alleen_personen is not None:
        masked = pl.when(alleen_personen).then(masked).otherwise(c)
    return masked.alias(col)


def mask_naam(naam: str | None, toon: bool = False) -> str:
    if naam is None:
        return ""
    return pl.DataFrame({"naam": [naam]}).select(mask_naam_expr("naam", toon)).item()




def _elfproef(d: pl.Expr) -> pl.Expr:
    """9 digits (text) pass the BSN elfproef: 9*d1 + ... + 2*d8 - d9 divisible by 11, not 0."""
    digit = [d.str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(9)]
    som = pl.sum_horizontal([(9 - i) * digit[i] for i in range(8)]) - digit[8]
    return (som % 11 == 0) & (d != "000000000")


def mask_bsn_tekst_expr(col: str | pl.Expr, behalve: Iterable[str] = ()) -> pl.Expr:
    """Free text with every BSN-like number masked: a run of exactly 9 digits (not part of a
    longer number) passing the elfproef becomes `*****6782`, as a BSN column is shown.

    Used for text that may hold a BSN in the wrong place (a shifted row in the quarantine,
    a BSN typed into `omschrijving`). Vectorised: the text is cut into digit and non-digit
    runs, the 9-digit runs are judged, and the runs are joined back. A lowercase hex run of 12
    or more characters (a finding id such as `37d370790674b0ac`, a SHA-256) is one piece: its
    digits are no BSN. `behalve`: 9-digit values known to be no BSN (the batch's identifiers
    that are no one's BSN, such as a 9-digit klantnummer), shown as they are."""
    c = pl.col(col) if isinstance(col, str) else col
    e = pl.element()
    bsn = e.str.contains(r"^\d{9}$") & _elfproef(e)
    behalve = sorted({b for b in behalve if b})
    if behalve:
        bsn = bsn & ~e.is_in(pl.lit(pl.Series(behalve, dtype=pl.String)).implode())
    stuk = pl.when(bsn).then(pl.concat_str([pl.lit("*****"), e.str.slice(5, 4)])).otherwise(e)
    # only texts with a run of exactly 9 digits are cut up (most have none: an id such as
    # D20250000001 has 11): polars computes both branches of a when, so the others are cut up
    # as empty texts, which costs nothing
    kandidaat = c.str.contains(r"(?:^|\D)\d{9}(?:\D|$)")
    masked = (pl.when(kandidaat).then(c).otherwise(pl.lit(""))
              .str.extract_all(r"[0-9a-f]{12,}|\d+|\D+").list.eval(stuk).list.join(""))
    return pl.when(kandidaat).then(masked).otherwise(c)


def mask_bsn_tekst(tekst: str | None) -> str | None:
    """`mask_bsn_tekst_expr` for one Python string (messages, tests)."""
    if tekst is None:
        return None
    return pl.DataFrame({"t": [tekst]}).select(mask_bsn_tekst_expr("t")).item()


# --------------------------------------------------------------------------- the guard

EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
IBAN = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b"
MIN_NAAM = 5        # shorter "names" (initials, a typo) would mask ordinary words


def _spellingen(c: pl.Expr) -> list[pl.Expr]:
    """A value as it may stand in a written file: as is, HTML-escaped (html.escape with and
    without quotes; jinja2 spells quotes as `&#39;` and `&#34;`) and XML-escaped (xlsx, docx)."""
    kern = (c.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))
    return [c,
            kern.str.replace_all('"', "&quot;", literal=True).str.replace_all("'", "&#x27;", literal=True),
            kern,
            kern.str.replace_all("'", "&#39;", literal=True).str.replace_all('"', "&#34;", literal=True)]


@dataclass
class Bewaker:
    """The privacy guard: runs last over every human-readable output, on the text as written.

    Whatever a writer did, the written text gets no 9-digit number passing the elfproef
    (shown as `*****6782`) and no IBAN (unless `toon_bsn`), and no name of a natural person
    from the input (shown as initials), no phone number from the input and no e-mail address
    (unless `toon_namen`). `namen`, `telefoons` are the batch's values (all rows, quarantined
    ones too). Vectorised: polars' Aho-Corasick `replace_many` for the known values, regexes
    for the rest, on frames column by column or on a file's text in one go."""

    namen: Iterable[str] = ()
    telefoons: Iterable[str] = ()
    ids: Iterable[str] = ()     # identifiers of the batch that are no BSN (see `mask_bsn_tekst_expr`)
    toon_bsn: bool = False
    toon_namen: bool = False
    _van: list[str] = field(default_factory=list, init=False, repr=False)
    _naar: list[str] = field(default_factory=list, init=False, repr=False)
    _ids: list[str] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        paren = pl.DataFrame(schema={"v": pl.String, "masker": pl.String})
        if not self.toon_namen:
            nm = pl.DataFrame({"echt": [n for n in self.namen if n is not None]}, schema={"echt": pl.String})
            nm = (nm.select(pl.col("echt").str.strip_chars()).filter(pl.col("echt").str.len_chars() >= MIN_NAAM)
                  .unique(maintain_order=True).with_columns(mask_naam_expr("echt").alias("masker")))
            tel = (pl.DataFrame({"echt": [str(t) for t in self.telefoons if t is not None]}, schema={"echt": pl.String})
                   .select(pl.col("echt").str.strip_chars()).unique(maintain_order=True)
                   .filter(pl.col("echt").str.count_matches(r"\d") >= 6).with_columns(pl.lit("***").alias("masker")))
            # every spelling of every value; the first value to claim a spelling keeps it (names first)
            paren = (pl.concat([nm, tel]).select(pl.concat_list(_spellingen(pl.col("echt"))).alias("v"), "masker")
                     .explode("v").unique("v", keep="first", maintain_order=True))
        # longest first: with `leftmost` a full name wins over a name inside it
        self._ids = sorted({str(i).strip() for i in self.ids if i is not None})
        paren = paren.sort(pl.col("v").str.len_chars(), "v", descending=[True, False])
        self._van, self._naar = paren["v"].to_list(), paren["masker"].to_list()

    def expr(self, e: pl.Expr) -> pl.Expr:
        """A string expression with everything personal masked."""
        if not self.toon_bsn:
            e = mask_bsn_tekst_expr(e, self._ids)
            e = e.str.replace_all(IBAN, "**IBAN**")
        if not self.toon_namen:
            if self._van:
                e = e.str.replace_many(self._van, self._naar, leftmost=True)
            e = e.str.replace_all(EMAIL, "**e-mail**")
        return e

    def frame(self, df: pl.DataFrame) -> pl.DataFrame:
        """Every text column of a frame through the guard."""
        return df.with_columns([self.expr(pl.col(c)).alias(c) for c, t in df.schema.items() if t == pl.String])

    def waarden(self, obj):
        """A copy of a nested structure (dicts, lists, tuples) with every string through the
        guard, all strings in one vectorised pass. For what is rendered where the guard cannot
        run on the bytes written (the letters, made in a second process without polars)."""
        teksten: list[str] = []

        def verzamel(o):
            if isinstance(o, str):
                teksten.append(o)
            elif isinstance(o, dict):
                for v in o.values():
                    verzamel(v)
            elif isinstance(o, (list, tuple)):
                for v in o:
                    verzamel(v)
        verzamel(obj)
        if not teksten:
            return obj
        schoon = iter(pl.DataFrame({"t": teksten}, schema={"t": pl.String}).select(self.expr(pl.col("t")))["t"].to_list())

        def zet(o):
            if isinstance(o, str):
                return next(schoon)
            if isinstance(o, dict):
                return {k: zet(v) for k, v in o.items()}
            if isinstance(o, (list, tuple)):
                return type(o)(zet(v) for v in o)
            return o
        return zet(obj)

    def tekst(self, tekst: str) -> str:
        """A text through the guard, line by line (a frame of lines: polars spreads them over the
        cores and skips the lines without 9 digits; nothing personal spans a line break)."""
        regels = pl.DataFrame({"t": tekst.split("\n")}, schema={"t": pl.String})
        return "\n".join(regels.select(self.expr(pl.col("t")))["t"].to_list())

    def bestand(self, path: Path, data: bytes) -> bytes:
        """A file's bytes as they will be written: text files (csv, html, txt, md) through
        the guard; in an xlsx only the strings (numbers stay numbers), in a docx every XML
        part. Other files are passed on."""
        suffix = path.suffix.lower()
        if suffix in (".csv", ".html", ".htm", ".txt", ".md"):
            return self.tekst(data.decode("utf-8")).encode("utf-8")
        if suffix in (".xlsx", ".docx"):
            return self._zip(data, xlsx=suffix == ".xlsx")
        return data

    def _zip(self, data: bytes, xlsx: bool) -> bytes:
        uit = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                inhoud = zin.read(info)
                naam = info.filename
                if xlsx and naam.startswith("xl/worksheets/") and naam.endswith(".xml"):
                    inhoud = self._inline_strings(inhoud.decode("utf-8")).encode("utf-8")
                elif (naam == "xl/sharedStrings.xml" or naam.startswith("xl/comments")) if xlsx else naam.endswith(".xml"):
                    inhoud = self.tekst(inhoud.decode("utf-8")).encode("utf-8")
                zout.writestr(info, inhoud)
        return uit.getvalue()

    def _inline_strings(self, xml: str) -> str:
        """A worksheet's inline strings (`<is>...</is>`) through the guard; numbers, formulas
        and the markup around them stay as they are."""
        if "<is>" not in xml:
            return xml
        stukken = (pl.DataFrame({"t": [xml]}).select(pl.col("t").str.split("<is>")).explode("t")
                   .with_row_index("i").with_columns(pl.col("t").str.splitn("</is>", 2).alias("s")).unnest("s"))
        kop, staart = stukken.columns[-2], stukken.columns[-1]
        stukken = stukken.select(pl.when(pl.col("i") == 0).then(pl.col("t")).otherwise(
            pl.concat_str([self.expr(pl.col(kop)), pl.lit("</is>"), pl.col(staart).fill_null("")])).alias("t"))
        return "<is>".join(stukken["t"].to_list())
