"""The two letters per proposal (verzoek_svb, kennisgeving) and the OUT_DIR they live in.

Hand-made batch: three identical DUBBEL lines of 250.00 at Z1 -> 2 copies x 250.00 = 500.00
= Losser's drempel -> one partial proposal for B1. The letters are dated BRIEF (a week from
today) and the window ends BRIEF + 90 days (7 x 13 - 1, Losser art. 8.3 lid 1 / Awb 4:56).
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from auditor.cli import invoke
from auditor.errors import InvoerFout
from auditor.registry import CHECK_CODES
from auditor.reports import letters as letters_mod
from auditor.write import MARKER, check_out_dir, write_outputs
from tests.builders import make_batch, run_batch

BRIEF = date.today() + timedelta(days=7)
EIND = BRIEF + timedelta(days=90)
ROOT = Path(__file__).resolve().parent.parent


def dubbel(bedrag: str, n: int, bh: str = "B1", zv: str = "Z1") -> list[dict]:
    return [{"declaratie_id": f"D{bh}{zv}{i}", "budgethouder_id": bh, "zorgverlener_id": zv, "bedrag": bedrag,
             "datum_van": "2025-03-03"} for i in range(n)]


def two_bh_batch(tmp_path: Path, second: bool = True) -> Path:
    """B1 always qualifies (500.00); B2 only when `second` (600.00) else 0."""
    bhs = [{}, {"budgethouder_id": "B2", "bsn": None}]
    rows = dubbel("250.00", 3) + (dubbel("300.00", 3, "B2") if second else dubbel("300.00", 1, "B2"))
    return make_batch(tmp_path, budgethouders=bhs, relaties=[{}, {"relatie_id": "R2", "budgethouder_id": "B2"}],
                      toekenningen=[{}, {"toekenning_id": "T2", "budgethouder_id": "B2"}],
                      zorgovereenkomsten=[{}, {"zorgovereenkomst_id": "ZO2", "budgethouder_id": "B2",
                                               "toekenning_id": "T2"}], declaraties=rows)


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


class _Text(HTMLParser):
    BLOCK = {"p", "h1", "h2", "li", "td", "th"}

    def __init__(self):
        super().__init__()
        self.out, self.cur, self.depth, self.skip = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title"):
            self.skip = True
        if tag in self.BLOCK:
            self.cur = []

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.skip = False
        if tag in self.BLOCK:
            t = " ".join("".join(self.cur).split())
            if t:
                self.out.append(t)
            self.cur = []

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def html_texts(path: Path) -> list[str]:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return p.out


def docx_texts(path: Path) -> list[str]:
    d = docx.Document(str(path))
    out = []
    for el in d.element.body.iterchildren():
        if el.tag.endswith("}p"):
            t = " ".join(docx.text.paragraph.Paragraph(el, d).text.split())
            if t:
                out.append(t)
        elif el.tag.endswith("}tbl"):
            for row in docx.table.Table(el, d).rows:
                prev = None
                for c in row.cells:
                    if c._tc is prev:
                        continue
                    prev = c._tc
                    t = " ".join(c.text.split())
                    if t:
                        out.append(t)
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("brieven")
    a = run_batch(two_bh_batch(tmp), checks=["DUBBEL"], briefdatum=BRIEF)
    out = tmp / "out"
    write_outputs(a, out)
    return a, out


def test_two_letters_per_proposal_in_html_and_docx(run):
    a, out = run
    assert [v.budgethouder_id for v in a.opschorting.voorstellen] == ["B1", "B2"]
    names = sorted(p.name for p in (out / "brieven").iterdir())
    assert names == sorted(f"{k}_{b}{s}" for k in ("verzoek_svb", "kennisgeving") for b in ("B1", "B2")
                           for s in (".html", ".docx"))


def test_letters_name_no_threshold_hash_code_or_id(run):
    _, out = run
    for p in (out / "brieven").glob("*.html"):
        text = " ".join(html_texts(p))
        for code in CHECK_CODES:
            assert not re.search(rf"\b{re.escape(code)}\b", text), (p.name, code)
        assert not re.search(r"\b[0-9a-f]{8,}\b", text), p.name            # no hash
        assert "drempel" not in text.lower() and "waarboven" not in text    # no internal threshold
        assert "Z1" not in text and "T1" not in text and "ZO1" not in text   # no ids but the klantnummer
        assert "Grond a" not in text


def test_verzoek_svb_wording(run):
    _, out = run
    t = " ".join(html_texts(out / "brieven" / "verzoek_svb_B1.html"))
    # the college requests, the SVB suspends; the wet's own words for the ground (DUBBEL: e, care
    # paid twice is a pgb not used for care)
    assert "college van burgemeester en wethouders van Losser verzoekt de Sociale Verzekeringsbank" in t
    assert "Het college kan de betaling" not in t
    assert "de jeugdige of zijn ouders het persoonsgebonden budget niet of voor een ander doel gebruiken" in t
    assert f"van {BRIEF:%d-%m-%Y} tot en met {EIND:%d-%m-%Y}: 13 weken" in t
    assert f"Datum: {BRIEF:%d-%m-%Y}" in t
    assert "Dubbel gedeclareerd" in t and "€ 500,00" in t and "€ 250,00" in t
    assert "artikel 8.3, derde lid, van de Verordening jeugdhulp Losser 2025" in t


def test_kennisgeving_wording(run):
    _, out = run
    t = " ".join(html_texts(out / "brieven" / "kennisgeving_B1.html"))
    assert "Aan de jeugdige of zijn ouders" in t
    assert "De SVB doet dit op verzoek van het college" in t
    assert f"De opschorting gaat in op {BRIEF:%d-%m-%Y}, de datum van deze brief, en duurt ten hoogste 13 weken" in t
    assert "onderzoeken wij of ons vermoeden klopt (artikel 8.3, derde lid" in t
    assert "Wilt u reageren?" in t and "Dit is geen besluit over uw pgb" in t
    assert "Dubbel gedeclareerd" in t


def test_docx_holds_the_same_text_as_html(run):
    _, out = run
    for kind in ("verzoek_svb", "kennisgeving"):
        for bh in ("B1", "B2"):
            h = html_texts(out / "brieven" / f"{kind}_{bh}.html")
            d = docx_texts(out / "brieven" / f"{kind}_{bh}.docx")
            assert d == h, (kind, bh)
            assert not any("{{" in x or "{%" in x for x in d)


def test_de_ronde_venen_does_not_claim_the_jeugdwet_sets_the_term(tmp_path):
    a = run_batch(make_batch(tmp_path, declaraties=dubbel("250.00", 3)), checks=["DUBBEL"],
                  regeling="de-ronde-venen-2026", briefdatum=BRIEF)
    write_outputs(a, tmp_path / "out")
    for kind in ("verzoek_svb", "kennisgeving"):
        t = " ".join(html_texts(tmp_path / "out" / "brieven" / f"{kind}_B1.html"))
        assert "De Ronde Venen" in t
        assert "toestaat" not in t and "langste termijn" not in t
        assert not re.search(r"8\.1\.4[^.]*(13|dertien) weken", t)
    t = " ".join(html_texts(tmp_path / "out" / "brieven" / "verzoek_svb_B1.html"))
    assert "De termijn van ten hoogste 13 weken sluit aan bij artikel 4:56 van de Algemene wet bestuursrecht" in t


def test_custom_briefsjabloon_is_used(tmp_path):
    eigen = tmp_path / "sjablonen"
    eigen.mkdir()
    d = docx.Document(str(ROOT / "templates" / "brief_kennisgeving.docx"))
    d.paragraphs[0].insert_paragraph_before("Gemeente Losser, Raadhuisplein 1 {{ klantnummer }}")
    d.save(str(eigen / "brief_kennisgeving.docx"))
    (eigen / "brief_verzoek_svb.html.j2").write_text(
        "<html><body><p>Eigen briefpapier voor {{ klantnummer }} van {{ van }}</p></body></html>", encoding="utf-8")
    batch = make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3))
    out = tmp_path / "out"
    rc = invoke(["run", str(batch), "--out", str(out), "--peildatum", "2026-01-31", "--stil",
                 "--briefdatum", BRIEF.strftime("%d-%m-%Y"), "--briefsjabloon", str(eigen)])
    assert rc == 0
    assert docx_texts(out / "brieven" / "kennisgeving_B1.docx")[0] == "Gemeente Losser, Raadhuisplein 1 B1"
    assert html_texts(out / "brieven" / "verzoek_svb_B1.html") == [f"Eigen briefpapier voor B1 van {BRIEF:%d-%m-%Y}"]
    # the kinds not supplied come from the bundled templates
    assert "Verzoek tot opschorting van betalingen" in docx_texts(out / "brieven" / "verzoek_svb_B1.docx")


def test_broken_briefsjabloon_exits_2(tmp_path):
    eigen = tmp_path / "sjablonen"
    eigen.mkdir()
    (eigen / "brief_verzoek_svb.html.j2").write_text("{% if %}", encoding="utf-8")
    batch = make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3))
    assert invoke(["run", str(batch), "--out", str(tmp_path / "o"), "--peildatum", "2026-01-31", "--stil",
                   "--briefsjabloon", str(eigen)]) == 2
    assert not (tmp_path / "o").exists()


def test_briefdatum_before_peildatum_or_in_the_past_exits_2(tmp_path, capsys):
    batch = make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3))
    gisteren = (date.today() - timedelta(days=1)).isoformat()
    assert invoke(["run", str(batch), "--out", str(tmp_path / "o"), "--stil", "--briefdatum", gisteren]) == 2
    assert "in het verleden" in capsys.readouterr().err
    assert invoke(["run", str(batch), "--out", str(tmp_path / "o"), "--stil", "--peildatum",
                   BRIEF.isoformat(), "--briefdatum", BRIEF.isoformat()]) == 2
    assert "niet na de peildatum" in capsys.readouterr().err


def test_second_run_with_fewer_proposals_leaves_no_old_letter(tmp_path):
    out = tmp_path / "out"
    a = run_batch(two_bh_batch(tmp_path / "1"), checks=["DUBBEL"], briefdatum=BRIEF)
    write_outputs(a, out)
    assert (out / "brieven" / "verzoek_svb_B2.html").exists()
    b = run_batch(two_bh_batch(tmp_path / "2", second=False), checks=["DUBBEL"], briefdatum=BRIEF)
    write_outputs(b, out)
    assert sorted(p.name for p in (out / "brieven").iterdir()) == [
        "kennisgeving_B1.docx", "kennisgeving_B1.html", "verzoek_svb_B1.docx", "verzoek_svb_B1.html"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]   # no staging left


def test_failed_run_leaves_earlier_folder_byte_identical(tmp_path, monkeypatch):
    out = tmp_path / "out"
    a = run_batch(two_bh_batch(tmp_path / "1"), checks=["DUBBEL"], briefdatum=BRIEF)
    write_outputs(a, out)
    before = snapshot(out)
    b = run_batch(two_bh_batch(tmp_path / "2", second=False), checks=["DUBBEL"], briefdatum=BRIEF)

    def boom(*args, **kw):
        raise RuntimeError("schijf vol")
    monkeypatch.setattr("auditor.reports.html.write", boom)   # letters already written, then the report fails
    with pytest.raises(RuntimeError):
        write_outputs(b, out)
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import auditor.reports.html as h
from auditor.cli import invoke
def slow(*a, **k):
    Path(sys.argv[3]).write_text("bezig")
    time.sleep(60)
h.write = slow
sys.exit(invoke(["run", sys.argv[1], "--out", sys.argv[2], "--peildatum", "2026-01-31", "--stil"]))
"""


def test_sigkill_half_way_leaves_earlier_folder_byte_identical(tmp_path):
    out = tmp_path / "out"
    a = run_batch(two_bh_batch(tmp_path / "1"), checks=["DUBBEL"], briefdatum=BRIEF)
    write_outputs(a, out)
    before = snapshot(out)
    flag = tmp_path / "bezig"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(two_bh_batch(tmp_path / "2", second=False)),
                             str(out), str(flag)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert flag.exists(), "the run never reached the report"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    assert snapshot(out) == before
    # the next run clears the killed run's staging folder
    write_outputs(a, out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.nieuw-")]


def test_out_dir_refusals(tmp_path):
    batch = make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3))
    for bad in (batch, batch / "uit"):
        with pytest.raises(InvoerFout, match="batchmap"):
            check_out_dir(bad, batch)
    vreemd = tmp_path / "documenten"
    vreemd.mkdir()
    (vreemd / "brief.txt").write_text("van iemand anders", encoding="utf-8")
    with pytest.raises(InvoerFout, match="geen uitvoer van pgb-audit"):
        check_out_dir(vreemd, batch)
    assert invoke(["run", str(batch), "--out", str(vreemd), "--stil"]) == 2
    assert (vreemd / "brief.txt").read_text(encoding="utf-8") == "van iemand anders"
    assert invoke(["run", str(batch), "--out", str(batch / "uit"), "--stil"]) == 2
    assert not (batch / "uit").exists()


def test_only_created_folders_get_0700(tmp_path):
    a = run_batch(make_batch(tmp_path / "b", declaraties=dubbel("250.00", 3)), checks=["DUBBEL"], briefdatum=BRIEF)
    gedeeld = tmp_path / "gedeeld"
    gedeeld.mkdir()
    os.chmod(gedeeld, 0o1777)
    write_outputs(a, gedeeld)                      # an existing empty folder: filled, never chmod-ed
    assert stat.S_IMODE(gedeeld.stat().st_mode) == 0o1777
    assert (gedeeld / MARKER).exists() and (gedeeld / "brieven" / "verzoek_svb_B1.html").exists()
    nieuw = tmp_path / "nieuw"
    write_outputs(a, nieuw)
    assert stat.S_IMODE(nieuw.stat().st_mode) == 0o700
    assert stat.S_IMODE((nieuw / "brieven").stat().st_mode) == 0o700


def test_one_compiled_template_per_kind(run, monkeypatch, tmp_path):
    a, _ = run
    calls = []
    orig = letters_mod.jinja2.Environment.get_template
    monkeypatch.setattr(letters_mod.jinja2.Environment, "get_template",
                        lambda self, name, *x, **k: calls.append(name) or orig(self, name, *x, **k))
    letters_mod.write_letters(a, a.opschorting.voorstellen, tmp_path, lambda p, b: None)
    assert sorted(calls) == ["brief_kennisgeving.html.j2", "brief_verzoek_svb.html.j2"]


def test_compiled_docx_is_docxtpl_byte_for_byte(monkeypatch, tmp_path):
    """docx_snel renders the body only and reuses the rest of the package: every letter must be
    the bytes docxtpl's own render + save (+ stable_zip) give, letter after letter."""
    from auditor.reports import docx_snel
    a = run_batch(ROOT / "samples" / "losser-2025", briefdatum=BRIEF, peildatum=date(2025, 12, 31))
    vs = a.opschorting.voorstellen[:4]
    assert len(vs) == 4
    seen = []
    orig = letters_mod.Sjablonen.render

    def render(self, kind, context):
        h, d = orig(self, kind, context)
        seen.append(d == docx_snel.stable_zip(self.docx[kind]._full(context)))
        return h, d
    monkeypatch.setattr(letters_mod.Sjablonen, "render", render)
    letters_mod.write_letters(a, vs, tmp_path, lambda p, b: None)
    assert seen == [True] * 8


VIJANDIG = ['a "b" & \'c\' <d> >e', "", "xmlns:x=\"y\" in de tekst", "regel 1\nregel 2", "tab\there",
            "é ü € 😀 ß", "terug\rloop", "los \ud800 deel", "\x01\x1f", "]]> &#34; &amp; &lt;", "  spaties  ", "<w:t></w:t>", "{{ x }} {% if %}"]


@pytest.mark.parametrize("waarde", VIJANDIG)
def test_the_string_path_is_docxtpl_byte_for_byte_for_hostile_values(waarde):
    """The body of a .docx is made from the rendered text, without lxml's parse and serialisation,
    when nothing lxml would change is in it (docx_snel._als_tekst). Every value of a real letter
    replaced by quotes, ampersands, brackets, an empty text (empty elements), a line break, a tab,
    a carriage return, emoji, "xmlns" or jinja2 syntax: still the bytes docxtpl's render + save
    give. The bundled templates qualify for the string path, and it is taken for plain values."""
    from auditor.reports import docx_snel
    a = run_batch(ROOT / "samples" / "losser-2025", briefdatum=BRIEF, peildatum=date(2025, 12, 31))
    sj, jobs = letters_mod.plan(a, a.opschorting.voorstellen[:2], Path(tempfile.mkdtemp()))

    def vervang(o):
        if isinstance(o, str):
            return waarde
        if isinstance(o, dict):
            return {k: vervang(v) for k, v in o.items()}
        if isinstance(o, list):
            return [vervang(v) for v in o]
        return o
    for kind, snel in sj.docx.items():
        snel.render(jobs[0][0])                   # the first letter: docxtpl whole
        assert snel.als_tekst, kind
        via_lxml = []
        orig = snel._via_lxml
        snel._via_lxml = lambda dst, o=orig: via_lxml.append(1) or o(dst)
        assert snel.render(jobs[1][0]) == docx_snel.stable_zip(snel._full(jobs[1][0]))
        assert via_lxml == [] and snel.als_tekst, kind      # plain values: the string path
        ctx = vervang(jobs[1][0])
        assert snel.render(ctx) == docx_snel.stable_zip(snel._full(ctx)), (kind, waarde)


def test_a_template_with_a_value_in_a_tag_or_a_column_loop_takes_lxmls_path():
    from auditor.reports.docx_snel import tekst_volstaat
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    rij = '<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
    tabel = ('<w:tbl><w:tblGrid><w:gridCol w:w="1"/><w:gridCol w:w="1"/></w:tblGrid>' + rij
             + '{% for x in xs %}' + rij + '{% endfor %}</w:tbl>')
    assert tekst_volstaat(f'<w:body {w}><w:p><w:r><w:t>{{{{ a }}}}</w:t></w:r></w:p>{tabel}</w:body>')
    assert not tekst_volstaat(f'<w:body {w}><w:p w:rsidR="{{{{ a }}}}"/></w:body>')            # in a tag
    assert not tekst_volstaat(f'<w:body {w}>' + tabel.replace("<w:tc><w:p/></w:tc></w:tr>",
                                                              "{% for c in cs %}<w:tc><w:p/></w:tc>{% endfor %}</w:tr>", 1)
                              + '</w:body>')                                                  # a column loop
    assert not tekst_volstaat(f'<w:body {w}>' + tabel.replace(rij, "", 1) + '</w:body>')    # every row in a loop
    assert not tekst_volstaat(f'<w:body {w}><w:p><w:r><w:t>{{{{ a|safe }}}}</w:t></w:r></w:p></w:body>')


def test_letters_in_a_second_process_are_the_same_files(monkeypatch, tmp_path):
    import auditor.reports as reports
    a = run_batch(two_bh_batch(tmp_path / "b"), checks=["DUBBEL"], briefdatum=BRIEF)
    write_outputs(a, tmp_path / "hier")
    monkeypatch.setattr(reports, "BRIEVEN_APART", 1)
    forks = []
    monkeypatch.setattr(reports.os, "fork", lambda f=reports.os.fork: forks.append(1) or f())
    write_outputs(a, tmp_path / "apart")
    assert forks == [1, 1]            # one process writes rapport.xlsx, one shares the letters
    hier, apart = snapshot(tmp_path / "hier" / "brieven"), snapshot(tmp_path / "apart" / "brieven")
    assert len(hier) == 8 and apart == hier
    # a template the child cannot fill in: the run stops with the Dutch message (exit 2 in the CLI)
    eigen = tmp_path / "sjablonen"
    eigen.mkdir()
    d = docx.Document(str(ROOT / "templates" / "brief_kennisgeving.docx"))
    d.paragraphs[0].insert_paragraph_before("{{ onbekend.veld }}")
    d.save(str(eigen / "brief_kennisgeving.docx"))
    a.briefsjabloon = eigen
    with pytest.raises(InvoerFout, match="brief_kennisgeving|kennisgeving"):
        write_outputs(a, tmp_path / "fout")
    assert not (tmp_path / "fout").exists()
