"""Byte-faithful edits of XML text: decode keeping the encoding and BOM, find start tags and
their attributes' value spans by scanning the text (comments, CDATA and processing
instructions skipped), splice replacements in, encode back. The tree is never re-serialised,
so everything outside an edit (line endings, comments, attribute order, quoting) is kept."""

from __future__ import annotations

import codecs
import re

from csmlint.records import record

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@record(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding), encoding, bom)
    if data[:2] == b"<\x00":
        return Decoded(data.decode("utf-16-le"), "utf-16-le", b"")
    if data[:2] == b"\x00<":
        return Decoded(data.decode("utf-16-be"), "utf-16-be", b"")
    m = _DECLARED.match(data)
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    if encoding.replace("-", "") in ("utf16",):
        encoding = "utf-8"  # declared UTF-16 without a BOM or NULs: the bytes are not UTF-16
    return Decoded(data.decode(encoding), encoding, b"")


@record(frozen=True)
class Attr:
    name: str
    value: str
    start: int
    """Offset of the value's first character (inside the quotes)."""
    end: int


@record(frozen=True)
class Tag:
    local: str
    start: int
    end: int
    """Offset after the start tag's ``>``."""
    empty: bool
    attrs: tuple[Attr, ...]
    line: int

    def attr(self, name: str) -> Attr | None:
        return next((a for a in self.attrs if a.name == name), None)


_SKIP = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))
_NAME = re.compile(r"[^\s/>=]+")
_ATTR = re.compile(r"""\s*([^\s/>=]+)\s*=\s*("([^"]*)"|'([^']*)')""")


def tags(text: str) -> list[Tag]:
    """Every start tag of ``text`` in document order."""
    out: list[Tag] = []
    i, n = 0, len(text)
    while True:
        i = text.find("<", i)
        if i < 0 or i + 1 >= n:
            return out
        skipped = False
        for opening, closing in _SKIP:
            if text.startswith(opening, i):
                j = text.find(closing, i + len(opening))
                i = n if j < 0 else j + len(closing)
                skipped = True
                break
        if skipped:
            continue
        if text[i + 1] == "/":
            i += 2
            continue
        m = _NAME.match(text, i + 1)
        if m is None:
            i += 1
            continue
        pos, attrs = m.end(), []
        while True:
            am = _ATTR.match(text, pos)
            if am is None:
                break
            quoted = 3 if am.group(3) is not None else 4
            attrs.append(Attr(am.group(1), am.group(quoted), am.start(quoted), am.end(quoted)))
            pos = am.end()
        close = text.find(">", pos)
        if close < 0:
            return out
        local = m.group(0).rpartition(":")[2]
        empty = text[close - 1] == "/"
        out.append(Tag(local, i, close + 1, empty, tuple(attrs), text.count("\n", 0, i) + 1))
        i = close + 1


def element_span(text: str, tag: Tag) -> tuple[int, int]:
    """The element's span with its indentation and its line ending when it stands on lines of
    its own (so removing it leaves no blank line)."""
    end = tag.end
    if not tag.empty:
        depth, pos = 1, tag.end
        pattern = re.compile(r"<(/?)(?:[^\s/>:]+:)?" + re.escape(tag.local) + r"(?=[\s/>])")
        while depth:
            m = pattern.search(text, pos)
            if m is None:
                break
            close = text.find(">", m.end())
            if m.group(1):
                depth -= 1
            elif text[close - 1] != "/":
                depth += 1
            pos = close + 1
        end = pos
    start = tag.start
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() == "":
        after = end
        while after < len(text) and text[after] in " \t":
            after += 1
        if text.startswith("\r\n", after):
            return line_start, after + 2
        if text.startswith("\n", after):
            return line_start, after + 1
    return start, end


def escape_attr(value: str, quote: str = '"') -> str:
    out = value.replace("&", "&amp;").replace("<", "&lt;")
    return out.replace(quote, "&quot;" if quote == '"' else "&apos;")


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) applied; edits must not overlap."""
    out, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            raise ValueError("overlapping edits")
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)
