"""One compiled .docx letter template: docxtpl's work split into what is the same for every
letter (done once per kind) and what differs (done per letter).

`DocxTemplate.render` + `save` reads and re-serialises the whole package for every letter (the
bundled templates carry 800 kB of styles), which made 3,000 proposals cost minutes. Here the
body is patched and compiled to one jinja2 template once; per letter only the body is rendered,
post-processed exactly as docxtpl does (`render_xml_part`, `resolve_listing`, `fix_tables`,
`fix_docpr_ids`) and serialised as python-docx does; every other part of the package is taken,
already deflated, from one full docxtpl render of the first letter. The result is byte for
byte what `stable_zip(DocxTemplate(...).render(...).save(...))` gives (tests/test_brieven.py).

Only when a template has jinja2 tags outside the body (headers, footers, footnotes, document
properties) does every letter go through docxtpl whole (`Snel.geschikt` is False).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from typing import TYPE_CHECKING

import jinja2
from lxml import etree

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

# python-docx and docxtpl (0.2 s to import) are imported when the first letter is made


def serialize_part_xml(root) -> bytes:
    from docx.opc.oxml import serialize_part_xml as ser
    return ser(root)


def _sjabloon(docx: bytes) -> DocxTemplate:
    from docxtpl import DocxTemplate
    return DocxTemplate(io.BytesIO(docx))

BODY = "word/document.xml"
_TAG = re.compile(rb"\{[{%#]|\{_[{%]|\{<")
_LISTING = re.compile(r"[\t\a\n\f]")
_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
#: docxtpl's fix_tables changes a table only when a row has more cells than the grid has columns,
#: or when no row spans all of them; these find such rows in C (lxml) instead of a Python loop
_TE_VEEL = etree.XPath(".//w:tr[count(w:tc) > $n]", namespaces=_W)
#: the columns a row spans, counted as fix_tables counts them (a cell's gridSpan, else 1)
_SPANT = "sum(w:tc/w:tcPr/w:gridSpan/@w:val) + count(w:tc[not(w:tcPr/w:gridSpan)])"
_VOL = etree.XPath(f".//w:tr[{_SPANT} >= $n]", namespaces=_W)
_BREEDTE = etree.XPath(_SPANT, namespaces=_W)
_GRID = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces=_W)
#: what lxml's parse and serialisation would change in a rendered body, or resolve_listing would,
#: and so where the string path (`_als_tekst`) gives way to lxml's: characters XML has no place
#: for, a carriage return, a tab, a line break, a form feed (one scan of the text)
#: (`in` per character: a third of a regex's time; a lone surrogate fails the UTF-8 encoding)
_NIET_TEKST = tuple(chr(c) for c in [*range(0x0d), *range(0x0e, 0x20), 0x0d, 0xfffe, 0xffff])
#: a start tag right before a jinja2 tag in the compiled body: only such an element can be left
#: empty by a render (an element with any text or element of the template's own keeps it)
_VOOR_JINJA = re.compile(r"<([^<>/!?\s]+)[^<>]*(?<!/)>(?=\{[{%#])")
_DOSDATE = (1980 - 1980) << 9 | 1 << 5 | 1      # 1980-01-01 00:00:00, as stable_zip writes
_EXTERNAL = 0o600 << 16


def deflate(data: bytes) -> bytes:
    """Raw deflate exactly as zipfile's ZIP_DEFLATED writes it (default level)."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name: str, data: bytes) -> tuple[bytes, bytes, int, int]:
    return name.encode("ascii"), deflate(data), zlib.crc32(data) & 0xFFFFFFFF, len(data)


def zip_bytes(entries: list[tuple[bytes, bytes, int, int]]) -> bytes:
    """The zip zipfile writes for these entries with `stable_zip`'s ZipInfo (fixed time,
    deflated, mode 0600, no extra fields): local headers, central directory, end record."""
    out, cd = bytearray(), bytearray()
    for name, comp, crc, size in entries:
        off = len(out)
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, zipfile.ZIP_DEFLATED, 0, _DOSDATE, crc,
                           len(comp), size, len(name), 0)
        out += name
        out += comp
        cd += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, zipfile.ZIP_DEFLATED, 0, _DOSDATE, crc,
                          len(comp), size, len(name), 0, 0, 0, 0, _EXTERNAL, off)
        cd += name
    n = len(entries)
    return bytes(out + cd + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(cd), len(out), 0))


class Snel:
    """The compiled template of one kind. `render(context)` -> the .docx bytes."""

    def __init__(self, docx: bytes):
        self.docx = docx
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            self.geschikt = all(not _TAG.search(z.read(i)) for i in z.infolist()
                                if i.filename != BODY and i.filename.endswith(".xml"))
        self.tpl = None
        self.rest: list | None = None      # every entry but the body, deflated once (from the first letter)

    def _full(self, context: dict) -> bytes:
        doc = _sjabloon(self.docx)
        doc.render(context, autoescape=True)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    def _compile(self) -> None:
        tpl = _sjabloon(self.docx)
        tpl.render_init()
        src = tpl.patch_xml(tpl.get_xml())
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        self.body = jinja2.Environment(autoescape=True).from_string(src)
        self.tpl = tpl
        # the document part around its body, as python-docx serialises it: the body is spliced in
        # (moving a rendered body into the document tree costs more than rendering it)
        root = tpl.docx._element
        ser = serialize_part_xml(root)
        self.voor, self.na = ser[:ser.index(b"<w:body")], ser[ser.rindex(b"</w:body>") + len(b"</w:body>"):]
        self.ns = {p: u for p, u in root.nsmap.items() if p}
        self.als_tekst = tekst_volstaat(src)
        # `<w:t xml:space="preserve"></w:t>` -> `<w:t xml:space="preserve"/>`, as lxml writes it
        self.leeg = sorted({(m.group(0) + f"</{m.group(1)}>", m.group(0)[:-1] + "/>")
                            for m in _VOOR_JINJA.finditer(src)})
        self.getoetst = False              # the string path is compared with lxml's once (2nd letter)
        m = re.match(r"<([\w:]+)[^<>]*>", src)
        w = etree.fromstring(m.group(0) + f"</{m.group(1)}>") if m else None
        self.wortel = w is not None and w.prefix == "w" and not w.attrib and all(
            self.ns.get(p) == u for p, u in w.nsmap.items())

    def render(self, context: dict) -> bytes:
        if not self.geschikt:
            return stable_zip(self._full(context))
        if self.rest is None:              # the first letter: docxtpl whole, and keep its other parts
            data = self._full(context)
            self._compile()
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                self.rest = [None if i.filename == BODY else entry(i.filename, z.read(i)) for i in z.infolist()]
            return stable_zip(data)
        body = self._body(context)
        return zip_bytes([entry(BODY, body) if e is None else e for e in self.rest])

    def _body(self, context: dict) -> bytes:
        """docxtpl's render_xml_part + fix_tables + fix_docpr_ids, then the part's bytes as
        python-docx's save writes them after map_tree."""
        tpl = self.tpl
        dst = self.body.render(context)
        dst = dst.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")   # re.sub(r"\n<w:p([ >])", ...)
        if "{_" in dst or "_}" in dst:
            dst = dst.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if self.als_tekst and not any(c in dst for c in _NIET_TEKST):
            try:
                body = _als_tekst(dst, self.leeg)
            except UnicodeEncodeError:     # a lone surrogate: lxml's path says what it does with it
                return self._via_lxml(dst)
            if not self.getoetst:          # once per template: the string path must be lxml's
                self.getoetst = True
                self.als_tekst = body == etree.tostring(self._boom(dst), encoding="UTF-8")
            start = body.index(b">") + 1
            if self.als_tekst and self.wortel and b"xmlns" not in body[start:]:
                return self.voor + b"<w:body>" + body[start:] + self.na
        return self._via_lxml(dst)

    def _boom(self, dst: str):
        """The body's tree as docxtpl makes it: resolve_listing, fix_tables, fix_docpr_ids."""
        tpl = self.tpl
        if _LISTING.search(dst):           # resolve_listing changes nothing without these characters
            dst = tpl.resolve_listing(dst)
        tree = fix_tables(tpl, dst)
        tpl.docx_ids_index = 1000
        if "docPr" in dst:                 # fix_docpr_ids renumbers wp:docPr elements only
            tpl.fix_docpr_ids(tree)
        return tree

    def _via_lxml(self, dst: str) -> bytes:
        tpl = self.tpl
        tree = self._boom(dst)
        body = etree.tostring(tree, encoding="UTF-8")
        start = body.index(b">") + 1
        # in the document the body's namespace declarations are the root's and are left out; only
        # when that is all they declare (and nothing inside declares any) is the splice exact
        if b"xmlns" not in body[start:] and tree.prefix == "w" and not tree.attrib and all(
                self.ns.get(p) == u for p, u in tree.nsmap.items()):
            return self.voor + b"<w:body>" + body[start:] + self.na
        root = tpl.docx._element
        root.replace(root.body, tree)
        return serialize_part_xml(root)


def _als_tekst(dst: str, leeg: list[tuple[str, str]]) -> bytes:
    """The rendered body as lxml would serialise it after parsing, made from the text: jinja2's
    `&#34;` and `&#39;` in text become the characters, and an element left empty is written
    `<x .../>` (`leeg`: each start tag before a jinja2 tag with its end tag, and the short form;
    in well-formed XML that text is always an empty element). Exact when `tekst_volstaat` holds
    for the template and the text has no character of `_NIET_TEKST` and no lone surrogate
    (tested against lxml and docxtpl)."""
    t = dst.replace("&#34;", '"').replace("&#39;", "'")
    for lang, kort in leeg:
        if lang in t:
            t = t.replace(lang, kort)
    return t.encode("utf-8")


def tekst_volstaat(src: str) -> bool:
    """Whether a compiled body makes, for every context, a document in which docxtpl's
    post-processing changes nothing and lxml's serialisation only what `_als_tekst` does: no
    jinja2 inside a tag (values only in text), no `safe` or autoescape switch, no image
    (docPr), and every table fixed: no nested table, no jinja2 tag inside a row, no row with more
    cells than the grid has columns, and a first row, before any jinja2 tag, that spans the grid
    (so docxtpl's fix_tables never adds or removes a column)."""
    if re.search(r"<[^<>]*\{[{%#]", src) or re.search(r"\|\s*safe\b|autoescape", src) or "docPr" in src:
        return False
    try:
        tree = etree.fromstring(src.encode("utf-8"))
    except etree.XMLSyntaxError:
        return False
    w = "{" + _W["w"] + "}"
    for t in tree.iter(w + "tbl"):
        rijen = t.findall(w + "tr")
        n = int(_GRID(t))
        if (t.find(w + "tblGrid") is None or len(list(t.iter(w + "tbl"))) > 1 or not rijen
                or len(list(t.iter(w + "tr"))) != len(rijen)):
            return False
        for r in rijen:
            if "{%" in etree.tostring(r, encoding="unicode", with_tail=False) or len(r.findall(w + "tc")) > n:
                return False
        voor = [t.text or ""]
        for c in t:
            if c is rijen[0]:
                break
            voor += [etree.tostring(c, encoding="unicode")]
        if "{%" in "".join(voor) or _BREEDTE(rijen[0]) < n:
            return False
    return True


def fix_tables(tpl: DocxTemplate, xml: str):
    """docxtpl's `fix_tables(xml)`, the same tree, with the common case (no table to change)
    decided by XPath; a table it would change goes through docxtpl's own code."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    if tree.nsmap.get("w") != _W["w"]:
        return tpl.fix_tables(xml)
    w = "{" + _W["w"] + "}"
    for t in tree.iter(w + "tbl"):
        n = int(_GRID(t))
        if t.find(w + "tblGrid") is None or _TE_VEEL(t, n=n) or not _VOL(t, n=n):
            return tpl.fix_tables(xml)
    return tree


def stable_zip(data: bytes) -> bytes:
    """The .docx (a zip) with fixed entry times: same input, same bytes (determinism)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, zin.read(info.filename))
    return out.getvalue()
