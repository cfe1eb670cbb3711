"""Two letters per opschorting proposal, each as .html (print) and .docx (Word, to edit).

* `verzoek_svb_<id>`: the college *verzoekt* the SVB to suspend payments (which ones, from when
  to when, on which grounds in the wet's own words; a summary per check, the findings in an
  appendix);
* `kennisgeving_<id>`: the written notice to the jeugdige or his ouders that starts the term
  (Awb art. 4:56, Losser art. 8.3): what was found, that payments are suspended at the college's
  request from the briefdatum for at most `max_weken` weeks, that an investigation follows
  (Losser art. 8.3 lid 3), how to respond, and that this is not a decision on the pgb itself.

Templates: `templates/brief_<kind>.html.j2` (jinja2, autoescape on) and
`templates/brief_<kind>.docx` (docxtpl), both generated from one wording by
`templates/maak_briefsjablonen.py`. `--briefsjabloon DIR` puts a gemeente's own files of the
same names in front of the bundled ones. Each template is compiled (read) once per run.

Letters name findings by their Dutch titles; they never show check codes, hashes, ids other
than the budgethouder's klantnummer, or the tool's internal thresholds.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import polars as pl

import templates
from auditor.audit import Audit
from auditor.errors import InvoerFout
from auditor.files import private_dir
from auditor.formatting import eur, fmt_datum_nl, fmt_nl, nl_datum
from auditor.opschorting import Voorstel
from auditor.privacy import mask_naam_expr
from auditor.registry import CHECK_TITELS
from auditor.reports.common import mask_bsn
from auditor.reports.docx_snel import Snel

KINDS = ("verzoek_svb", "kennisgeving")

#: art. 8.1.4 lid 1 Jeugdwet, the wet's own words (only a, d and e can ground an opschorting)
WET = {
    "a": "de jeugdige of zijn ouders onjuiste of onvolledige gegevens hebben verstrekt en de verstrekking van "
         "juiste of volledige gegevens tot een andere beslissing zou hebben geleid",
    "b": "de jeugdige of zijn ouders niet langer op de individuele voorziening of het persoonsgebonden budget "
         "zijn aangewezen",
    "c": "de jeugdige of zijn ouders niet langer aan de voorwaarden voor een persoonsgebonden budget voldoen",
    "d": "de jeugdige of zijn ouders niet voldoen aan de aan het persoonsgebonden budget verbonden voorwaarden",
    "e": "de jeugdige of zijn ouders het persoonsgebonden budget niet of voor een ander doel gebruiken",
}
#: the same in plain Dutch for the jeugdige or his ouders, with the letter of the wet
GEWOON = {
    "a": "er onjuiste of onvolledige gegevens zijn gegeven, terwijl juiste gegevens tot een andere beslissing "
         "over het pgb hadden geleid (onder a)",
    "b": "het pgb niet langer nodig is (onder b)",
    "c": "niet langer wordt voldaan aan de voorwaarden voor een pgb (onder c)",
    "d": "niet wordt voldaan aan de voorwaarden die aan het pgb verbonden zijn (onder d)",
    "e": "het pgb niet of voor een ander doel is gebruikt (onder e)",
}


def template_dir() -> Path:
    return Path(templates.__file__).parent


def environment(extra: Path | None = None) -> jinja2.Environment:
    """Jinja2 with autoescape ON for every template: input text can never become markup.
    `extra`: a gemeente's template folder, searched before the bundled one."""
    dirs = ([str(extra)] if extra else []) + [str(template_dir())]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def file_base(budgethouder_id: str) -> str:
    """The budgethouder_id as a file name part: only `[A-Za-z0-9_-]`."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", budgethouder_id)[:80] or "_"


def safe_name(budgethouder_id: str, taken: set[str], kind: str = "verzoek_svb") -> str:
    """`<kind>_<id>` (no suffix); two ids that clean to the same name get `_2`, `_3`, ..."""
    name = f"{kind}_{file_base(budgethouder_id)}"
    base, n = name, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def _lijst(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _periode(van: pl.Expr, tot: pl.Expr) -> pl.Expr:
    return pl.when(van == tot).then(fmt_datum_nl(van)).otherwise(
        pl.concat_str([fmt_datum_nl(van), pl.lit(" t/m "), fmt_datum_nl(tot)]))


def _artikel_lid(artikel: str, lid: str) -> str | None:
    """`art. 8.3 Verordening X` -> `artikel 8.3, <lid> lid, van de Verordening X`."""
    m = re.match(r"^art\. 8\.3 (?!lid)(.*)$", artikel)
    return f"artikel 8.3, {lid} lid, van de {m.group(1)}" if m else None


def frames(a: Audit, vs: list[Voorstel]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The summary per (budgethouder, check) and the appendix rows of every proposal, in two
    group-bys over all proposals' findings at once (text ready for the templates)."""
    f = pl.concat([v.findings.select("budgethouder_id", "check", "zorgverlener_id", "toekenning_id",
                                     "zorgovereenkomst_id", "declaratie_ids", "periode_van", "periode_tot",
                                     "toelichting", "financieel_effect_ct", "finding_id")
                   for v in vs])
    f = f.with_columns(zonder_ids(a, f))
    grond = pl.DataFrame([(v.budgethouder_id, c, g or "") for v in vs for c, g in v.letters.items()],
                         schema={"budgethouder_id": pl.String, "_c": pl.String, "grond": pl.String}, orient="row")
    titels = pl.DataFrame({"_c": list(CHECK_TITELS), "bevinding": list(CHECK_TITELS.values())})
    zv = a.ctx.t("zorgverleners").select(
        "zorgverlener_id", mask_naam_expr("naam", a.toon_namen, pl.col("soort") != "instelling")
        .alias("zorgverlener")).collect()
    f = (f.with_columns(pl.col("check").cast(pl.String).alias("_c"))
         .join(titels, on="_c", how="left").join(zv, on="zorgverlener_id", how="left")
         .with_columns(pl.col("zorgverlener").fill_null(""), pl.col("toelichting").fill_null(""),
                       pl.col("financieel_effect_ct").fill_null(0)))
    samenvatting = (f.group_by("budgethouder_id", "check", "_c", "bevinding", maintain_order=True)
                    .agg(pl.len().alias("aantal"), pl.col("periode_van").min().alias("_van"),
                         pl.col("periode_tot").max().alias("_tot"), pl.col("financieel_effect_ct").sum().alias("_ct"))
                    .sort("budgethouder_id", "check")
                    .join(grond, on=["budgethouder_id", "_c"], how="left", maintain_order="left")
                    .select("budgethouder_id", "bevinding", pl.col("aantal").cast(pl.String),
                            _periode(pl.col("_van"), pl.col("_tot")).fill_null("").alias("periode"),
                            pl.col("grond").fill_null(""),
                            pl.concat_str([pl.lit("€ "), fmt_nl("_ct")]).alias("bedrag")))
    bijlage = f.select("budgethouder_id", "bevinding", _periode(pl.col("periode_van"), pl.col("periode_tot"))
                       .fill_null("").alias("periode"), "zorgverlener",
                       pl.when(pl.col("zorgverlener") != "").then(pl.concat_str(["zorgverlener", pl.lit(": "),
                                                                                 "toelichting"]))
                       .otherwise(pl.col("toelichting")).alias("toelichting"),
                       pl.concat_str([pl.lit("€ "), fmt_nl("financieel_effect_ct")]).alias("bedrag"))
    return samenvatting, bijlage


ID_PATTERN_CHUNK = 20_000    # ids per pattern (the regex engine's size limit is 10 MB compiled)


def zonder_ids(a: Audit, f: pl.DataFrame) -> pl.Expr:
    """The toelichting without the internal ids it may quote (declaraties, zorgverlener, toekenning,
    zorgovereenkomst): a letter shows no id but the budgethouder's klantnummer. One pattern
    over every id of these findings (polars has no per-row pattern)."""
    bhs = f["budgethouder_id"].unique().implode()
    eigen = [a.ctx.t(t).filter(pl.col("budgethouder_id").is_in(bhs)).select(pl.col(c).alias("id"))
             for t, c in (("declaraties", "declaratie_id"), ("toekenningen", "toekenning_id"),
                          ("zorgovereenkomsten", "zorgovereenkomst_id"))]
    zv = a.ctx.t("zorgverleners").select(pl.col("zorgverlener_id").alias("id"))
    ids = (pl.concat([*eigen, zv]).collect()["id"].append(f["declaratie_ids"].explode())
           .drop_nulls().unique())
    ids = ids.filter(ids.str.strip_chars() != "")
    # only the ids that occur in a toelichting (Aho-Corasick over the distinct texts), so the one
    # pattern stays small however many proposals there are; an id that is not in any text cannot match
    teksten = f["toelichting"].drop_nulls().unique()
    if ids.len() and teksten.len():
        ids = teksten.str.extract_many(ids.implode(), overlapping=True).explode().drop_nulls().unique()
    ids = sorted(ids.to_list(), key=len, reverse=True)
    t = pl.col("toelichting").fill_null("")
    if ids:
        # in pieces: one pattern over every id of a findings-dense year exceeds the regex size
        # limit; longest ids first as in one alternation (ids are whole words, so the same text)
        for k in range(0, len(ids), ID_PATTERN_CHUNK):
            t = t.str.replace_all(r"\s*\b(?:" + "|".join(re.escape(x) for x in ids[k:k + ID_PATTERN_CHUNK]) + r")\b", "")
        t = (t.str.replace_all(r"\s+([,.;:)])", "$1").str.replace_all(r"\(\s*\)", "").str.replace_all(r"\s{2,}", " ")
             .str.strip_chars())
    return t.alias("toelichting")


def letter_context(a: Audit, v: Voorstel, bh: dict, zv_naam: str | None, samenvatting: list[dict],
                   bijlage: list[dict]) -> dict:
    """Everything the templates of both kinds use (docs/letters in templates/maak_briefsjablonen.py)."""
    reg = next((r for r in a.ctx.regelingen if r.id == v.regeling_id), None)
    gemeente = reg.gemeente if reg else "de gemeente"
    letters = sorted({x for x in v.letters.values() if x in ("a", "d", "e")})
    term = _artikel_lid(v.opschorting_artikel, "eerste")
    if term:
        termijn_zin = (f"{term[0].upper()}{term[1:]} staat een opschorting van ten hoogste 13 weken toe; die "
                       "termijn sluit aan bij artikel 4:56 van de Algemene wet bestuursrecht.")
    else:
        termijn_zin = (f"De termijn van ten hoogste {v.weken} weken sluit aan bij artikel 4:56 van de Algemene wet "
                       "bestuursrecht.")
    onderzoek = _artikel_lid(v.opschorting_artikel, "derde")
    zv = zv_naam or "de betrokken zorgverlener"
    gedeeltelijk = v.omvang == "gedeeltelijk"
    briefdatum = a.opschorting.briefdatum if a.opschorting and a.opschorting.briefdatum else v.ingangsdatum
    return {
        "gemeente": gemeente, "klantnummer": v.budgethouder_id,
        "bh_naam": bh.get("naam") or "", "bsn": mask_bsn(bh.get("bsn"), a.toon_bsn),
        "datum": nl_datum(briefdatum), "peildatum": nl_datum(a.peildatum),
        "van": nl_datum(v.ingangsdatum), "tot": nl_datum(v.einddatum), "weken": str(v.weken),
        "omvang_svb": (f"de betalingen aan {zv}; betalingen aan andere zorgverleners gaan door" if gedeeltelijk
                       else "alle betalingen uit dit budget"),
        "omvang_u": (f"de betalingen uit uw pgb aan {zv} (betalingen aan uw andere zorgverleners gaan gewoon door)"
                     if gedeeltelijk else "alle betalingen uit uw pgb"),
        "termijn_zin": termijn_zin,
        "gronden": [{"letter": x, "wet": WET[x], "gewoon": GEWOON[x]} for x in letters],
        "grond_letters": _lijst(letters) if letters else "",
        "samenvatting": samenvatting, "bijlage": bijlage, "totaal": eur(v.financieel_effect_ct),
        "opschorting_artikel": v.opschorting_artikel,
        "onderzoeker": "het college of de toezichthoudende ambtenaar" if onderzoek else "het college",
        "onderzoek_bron": f" ({onderzoek})" if onderzoek else "",
    }


class Sjablonen:
    """The compiled templates of one run: per kind one jinja2 template and one compiled .docx
    (`docx_snel.Snel`: the body compiled once, the rest of the package deflated once)."""

    def __init__(self, eigen: Path | None = None):
        env = environment(eigen)
        self.html = {}
        self.docx = {}
        for kind in KINDS:
            naam = f"brief_{kind}.html.j2"
            try:
                self.html[kind] = env.get_template(naam)
            except jinja2.TemplateSyntaxError as e:
                raise InvoerFout(f"--briefsjabloon: {naam} regel {e.lineno}: {e.message}. Herstel het sjabloon.")
            d = eigen / f"brief_{kind}.docx" if eigen else None
            self.docx[kind] = Snel((d if d and d.is_file() else template_dir() / f"brief_{kind}.docx").read_bytes())

    def render(self, kind: str, context: dict) -> tuple[bytes, bytes]:
        try:
            return self.html[kind].render(**context).encode("utf-8"), self.docx[kind].render(context)
        except jinja2.TemplateError as e:
            raise InvoerFout(f"--briefsjabloon: het sjabloon voor {kind} kan niet worden ingevuld ({e}). "
                             "Gebruik alleen de velden van de meegeleverde sjablonen.")


def lookup(df: pl.DataFrame, key: str, cols: list[str]) -> dict[str, dict]:
    have = [c for c in cols if c in df.columns]
    return {r[key]: r for r in df.select([key, *have]).iter_rows(named=True)}


def plan(a: Audit, vs: list[Voorstel], out_dir: Path, sjablonen: Path | None = None):
    """The data work for the letters (polars): the compiled templates and, per proposal, its
    context and the file names of both kinds. Creates OUT_DIR/brieven/."""
    sj = Sjablonen(sjablonen if sjablonen is not None else getattr(a, "briefsjabloon", None))
    ids = [v.budgethouder_id for v in vs]
    bh = lookup(a.ctx.t("budgethouders").filter(pl.col("budgethouder_id").is_in(ids)).collect()
                .with_columns(mask_naam_expr("naam", a.toon_namen)), "budgethouder_id", ["naam", "bsn"])
    zv = lookup(a.ctx.t("zorgverleners").collect().with_columns(
        mask_naam_expr("naam", a.toon_namen, pl.col("soort") != "instelling")), "zorgverlener_id", ["naam"])
    samenvatting, bijlage = frames(a, vs)
    per_s = samenvatting.rows_by_key("budgethouder_id", named=True, include_key=False)
    per_b = bijlage.rows_by_key("budgethouder_id", named=True, include_key=False)
    d = out_dir / "brieven"
    private_dir(d)
    taken: set[str] = set()
    jobs = []
    for v in vs:   # the contexts: plain Python over the rows `frames` made
        ctx = letter_context(a, v, bh.get(v.budgethouder_id, {}),
                             zv.get(v.zorgverlener_id, {}).get("naam") if v.zorgverlener_id else None,
                             per_s.get(v.budgethouder_id, []), per_b.get(v.budgethouder_id, []))
        jobs.append((ctx, [(kind, d / safe_name(v.budgethouder_id, taken, kind)) for kind in KINDS]))
    return sj, jobs


def paths(jobs) -> list[Path]:
    return [p.with_name(p.name + suffix) for _, names in jobs for _, p in names for suffix in (".html", ".docx")]


def render_all(sj: Sjablonen, jobs, write) -> None:
    """Render and write every letter (jinja2, lxml, zlib: no polars, so it may run in a forked child)."""
    for ctx, names in jobs:
        for kind, p in names:
            h, docx = sj.render(kind, ctx)
            write(p.with_name(p.name + ".html"), h)
            write(p.with_name(p.name + ".docx"), docx)


def write_letters(a: Audit, vs: list[Voorstel], out_dir: Path, write, sjablonen: Path | None = None) -> list[Path]:
    """Render both letters of every proposal into OUT_DIR/brieven/ with `write(path, bytes)`."""
    if not vs:
        return []
    sj, jobs = plan(a, vs, out_dir, sjablonen)
    render_all(sj, jobs, write)
    return paths(jobs)
