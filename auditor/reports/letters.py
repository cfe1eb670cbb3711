"""One concept letter to the SVB per opschorting proposal (templates/brief_opschorting.html.j2)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jinja2
import polars as pl

import templates
from auditor import __version__
from auditor.audit import Audit
from auditor.files import private_dir
from auditor.formatting import eur, nl_datum
from auditor.opschorting import REGELING_JEUGDWET, Voorstel, onderzoek_artikel
from auditor.registry import CHECK_TITELS
from auditor.reports.common import mask_bsn, mask_naam_expr

GRONDEN = {
    "a": "a. de budgethouder heeft onjuiste of onvolledige gegevens verstrekt",
    "b": "b. de budgethouder voldoet niet langer aan de voorwaarden voor het pgb",
    "c": "c. de budgethouder is niet langer in staat zijn belangen te behartigen",
    "d": "d. de budgethouder voldoet niet aan de aan het pgb verbonden voorwaarden",
    "e": "e. de budgethouder gebruikt het pgb niet of voor een ander doel",
}


def template_dir() -> Path:
    return Path(templates.__file__).parent


def environment() -> jinja2.Environment:
    """Jinja2 with autoescape ON for every template: input text can never become markup."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir())), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def safe_name(budgethouder_id: str, taken: set[str]) -> str:
    """File name from the budgethouder_id: only `[A-Za-z0-9_-]`; a clash gets a short hash."""
    base = re.sub(r"[^A-Za-z0-9_-]", "_", budgethouder_id)[:80] or "_"
    name = f"opschorting_{base}.html"
    if name in taken:
        h = hashlib.sha256(budgethouder_id.encode("utf-8")).hexdigest()[:8]
        name = f"opschorting_{base}_{h}.html"
    taken.add(name)
    return name


def _lijst(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def letter_context(a: Audit, v: Voorstel, titels: dict[str, str], bh: dict, zv: dict) -> dict:
    reg = next((r for r in a.ctx.regelingen if r.id == v.regeling_id), None)
    gemeente = f"de gemeente {reg.gemeente}" if reg else "de gemeente"
    letters = sorted({x for x in v.letters.values() if x})
    bev = []
    for r in v.findings.iter_rows(named=True):
        van, tot = r["periode_van"], r["periode_tot"]
        periode = nl_datum(van) if van == tot else f"{nl_datum(van)} t/m {nl_datum(tot)}"
        bev.append({"check": r["check"], "titel": titels.get(r["check"], r["check"]), "periode": periode,
                    "toelichting": r["toelichting"] or "", "artikel": r["artikel"] or "",
                    "letter": v.letters.get(r["check"]) or "-", "bedrag": eur(r["financieel_effect_ct"] or 0)})
    b = bh.get(v.budgethouder_id, {})
    return {
        "v": v, "gemeente": gemeente, "gemeente_code": reg.gemeente_code if reg else None,
        "datum": nl_datum(a.peildatum), "van": nl_datum(v.ingangsdatum), "tot": nl_datum(v.einddatum),
        "bh_naam": b.get("naam"), "bsn": mask_bsn(b.get("bsn"), a.toon_bsn),
        "zv_naam": zv.get(v.zorgverlener_id, {}).get("naam") if v.zorgverlener_id else None,
        "totaal": eur(v.financieel_effect_ct), "drempel": eur(v.drempel_ct) if v.drempel_ct is not None else None,
        "bevindingen": bev,
        "gronden": "; ".join(GRONDEN[x] for x in letters) if letters else "(de regeling noemt geen grond per controle)",
        "jeugdwet_letters": (f"art. 8.1.4 lid 1 sub {_lijst(letters)} Jeugdwet" if letters
                             else "art. 8.1.4 lid 1 Jeugdwet"),
        "regeling_jeugdwet": REGELING_JEUGDWET,
        "onderzoek_artikel": onderzoek_artikel(v.opschorting_artikel),
        "versie": __version__,
    }


def lookup(df: pl.DataFrame, key: str, cols: list[str]) -> dict[str, dict]:
    have = [c for c in cols if c in df.columns]
    return {r[key]: r for r in df.select([key, *have]).iter_rows(named=True)}


def write_letters(a: Audit, vs: list[Voorstel], out_dir: Path, write) -> list[Path]:
    """Render one letter per proposal into OUT_DIR/brieven/ with `write(path, bytes)`."""
    if not vs:
        return []
    env = environment()
    tpl = env.get_template("brief_opschorting.html.j2")
    titels = CHECK_TITELS
    namen = a.toon_namen
    bh = lookup(a.ctx.t("budgethouders").collect().with_columns(mask_naam_expr("naam", namen)),
                "budgethouder_id", ["naam", "bsn"])
    zv = lookup(a.ctx.t("zorgverleners").collect().with_columns(
        mask_naam_expr("naam", namen, pl.col("soort") != "instelling")), "zorgverlener_id", ["naam"])
    d = out_dir / "brieven"
    private_dir(d)
    taken: set[str] = set()
    out = []
    for v in vs:
        p = d / safe_name(v.budgethouder_id, taken)
        write(p, tpl.render(**letter_context(a, v, titels, bh, zv)).encode("utf-8"))
        out.append(p)
    return out
