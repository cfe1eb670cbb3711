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

import jinja2
from lxml import etree
from docx.opc.oxml import serialize_part_xml
from docxtpl import DocxTemplate

BODY = "word/document.xml"
_TAG = re.compile(rb"\{[{%#]|\{_[{%]|\{<")
_LISTING = re.compile(r"[\t\a\n\f]")
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
        doc = DocxTemplate(io.BytesIO(self.docx))
        doc.render(context, autoescape=True)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    def _compile(self) -> None:
        tpl = DocxTemplate(io.BytesIO(self.docx))
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
        dst = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst)
        dst = dst.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _LISTING.search(dst):           # resolve_listing changes nothing without these characters
            dst = tpl.resolve_listing(dst)
        tree = tpl.fix_tables(dst)
        tpl.docx_ids_index = 1000
        tpl.fix_docpr_ids(tree)
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
