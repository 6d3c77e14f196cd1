"""The one hardened XML entry point. This is the only module that imports lxml.

Bytes in, never a filename (libxml2 would gunzip, resolve relative SYSTEM ids and report
I/O failures differently). No DOCTYPE (so no entity can ever be declared or expanded), no
network, no DTD loading, no XInclude, no XSLT, no huge trees. Comments are kept: inline
suppressions and fixture annotations live in them.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from typing import Any

from lxml import etree

from csmlint.errors import InputError
from csmlint.parsing.textpos import LineIndex
from csmlint.parsing.xmlencoding import detect, lenient_text, utf8_payload
from csmlint.records import record

XmlElement = Any
"""An lxml element; loaders use only ``.tag``, ``.get()``, ``.text``, iteration."""

_PROLOG_ITEM = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->)", re.S)
_ROOT_TAG = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)")
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", re.I)
_XMLNS = re.compile(r"""\sxmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""")


_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
    "remove_pis": True,
    "collect_ids": False,
}
"""The hardening flags every parser is built with (lxml does not expose them afterwards)."""


class _RefuseAll(etree.Resolver):  # type: ignore[misc]
    """Answers every external reference (DTD, entity, XInclude) with nothing.

    A resolver that returns ``None`` lets libxml2 load the URL itself, so this one always
    returns an empty document: no file, device, FIFO or URL is ever opened.
    """

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        return self.resolve_string("", context)


def _make_parser() -> Any:
    parser = etree.XMLParser(**_PARSER_OPTIONS, encoding="utf-8")
    parser.resolvers.add(_RefuseAll())
    return parser


def parser_settings() -> dict[str, Any]:
    """The hardening flags of the parser in use (asserted by tests)."""
    return {**_PARSER_OPTIONS, "lxml_version": etree.LXML_VERSION}


def decode_text(data: bytes) -> str:
    """Decode input bytes the way the parser reads them (for positions and sniffing)."""
    return lenient_text(data)


def _reject_doctype(text: str) -> None:
    pos = 0
    while True:
        m = _PROLOG_ITEM.match(text, pos)
        if not m:
            break
        pos = m.end()
    rest = text[pos:].lstrip()
    if rest.startswith("<!DOCTYPE") or rest.upper().startswith("<!DOCTYPE"):
        offset = text.index(rest[:9], pos)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise InputError("DOCTYPE/DTD is not allowed", line=line, column=column)


def sniff_root(data: bytes) -> tuple[str, str] | None:
    """(local name, namespace) of the root element, read without parsing the document.

    Used by discovery to classify ``.xml`` files cheaply. ``None`` when no root element
    can be seen in the first 8 KB.
    """
    text = decode_text(data[:8192]).lstrip("\ufeff")
    pos = 0
    while True:
        m = _PROLOG_ITEM.match(text, pos)
        if not m:
            break
        pos = m.end()
    rest = text[pos:].lstrip()
    if rest.startswith("<!"):
        # A DOCTYPE names the root element; classify by it so the file is still read
        # (and then rejected) instead of silently skipped.
        m = _DOCTYPE_NAME.match(rest)
        return (m.group(2), "") if m else None
    m = _ROOT_TAG.match(rest)
    if not m:
        return None
    prefix = (m.group(1) or "")[:-1]
    namespace = ""
    for ns in _XMLNS.finditer(m.group(3)):
        if (ns.group(1) or "") == prefix:
            namespace = ns.group(2)
    return m.group(2), namespace


@record(frozen=True)
class XmlComment:
    """A comment and the element it is bound to (see the fixture annotation convention)."""

    text: str
    line: int
    target: XmlElement | None
    target_line: int | None
    target_column: int | None
    column: int = 1
    """Column of the comment's ``<!--`` on :attr:`line` (1 when it cannot be found)."""


class XmlDocument:
    """A parsed document plus what is needed to compute element positions."""

    def __init__(self, root: XmlElement, text: str):
        self.root = root
        self._text = text
        self._lines = LineIndex(text)
        self._places: dict[Any, tuple[int, int]] | None = None

    def _starts(self) -> list[int]:
        return self._lines.starts

    def _tag_places(self) -> dict[Any, tuple[int, int]]:
        """(line, column) of every start tag, found in the text in document order (the only
        way to tell apart elements on one line: ASM REST responses are one line). Computed
        once per document, for all its elements: a position is then one lookup.

        In a well-formed document every ``<`` outside comments, CDATA sections and processing
        instructions that opens no end tag or declaration opens a start tag, so the
        n-th such ``<`` is the n-th element: one regular expression finds them all. When the
        counts differ (markup this does not foresee), :meth:`_walk_places` searches for each
        element's tag instead."""
        text = self._text
        scan = _HIDDEN.sub(_blank, text) if "<!" in text or "<?" in text else text
        offsets = [m.start() for m in _START_TAG.finditer(scan)]
        elements = list(self.root.iter(etree.Element))
        if len(offsets) != len(elements):
            return self._walk_places()
        starts, line_of = self._starts(), bisect.bisect_right
        places: dict[Any, tuple[int, int]] = {}
        for node, at in zip(elements, offsets, strict=True):
            line = line_of(starts, at)
            places[node] = (line, at - starts[line - 1] + 1)
        self._places = places
        return places

    def _walk_places(self) -> dict[Any, tuple[int, int]]:
        """:meth:`_tag_places` by a search for each element's tag name, in document order."""
        places: dict[Any, tuple[int, int]] = {}
        text, cursor, starts = self._text, 0, self._starts()
        find, size, line_of = text.find, len(text), bisect.bisect_right
        lines = len(starts)
        for node in self.root.iter():
            tag = node.tag
            if not isinstance(tag, str):
                begin = find("<!--", cursor) if _is_comment(node) else -1
                end = find("-->", begin) if begin >= 0 else -1
                cursor = end + 3 if end >= 0 else cursor
                continue
            name = tag.rpartition("}")[2]
            needle = f"<{node.prefix}:{name}" if node.prefix else "<" + name
            at = find(needle, cursor)
            while at >= 0 and at + len(needle) < size and text[at + len(needle)] not in _ENDS:
                at = find(needle, at + 1)
            if at < 0:
                break
            line = line_of(starts, at)
            if line > (node.sourceline or lines):
                break  # out of step (CDATA, odd markup): positions fall back below
            places[node] = (line, at - starts[line - 1] + 1)
            cursor = at + len(needle)
        self._places = places
        return places

    def position(self, el: XmlElement) -> tuple[int, int]:
        """(line, column) of the ``<`` that opens ``el``'s start tag, 1-based.

        Start tags are located by a scan of the text in document order; should the scan
        fall out of step, by lxml's ``sourceline`` (the line where the start tag *ends*)
        and a search back for ``<name``.
        """
        places = self._places
        found = (places if places is not None else self._tag_places()).get(el)
        if found is not None:
            return found
        line = el.sourceline or 1
        starts = self._starts()
        if line > len(starts):
            return line, 1
        end = starts[line] if line < len(starts) else len(self._text)
        qname = local_name(el)
        if el.prefix:
            qname = f"{el.prefix}:{qname}"
        offset = self._text.rfind("<" + qname, 0, end)
        if offset < 0:
            return line, 1
        start_line = bisect.bisect_right(starts, offset)
        return start_line, offset - starts[start_line - 1] + 1

    def comments(self) -> list[XmlComment]:
        """Every comment with the element it binds to.

        A comment followed on its own line binds to the next sibling element; a comment on
        the same line after an element binds to that element (trailing form).
        """
        out: list[XmlComment] = []
        for node in _all_nodes(self.root):
            if not _is_comment(node):
                continue
            target = _trailing_target(node)
            if target is None:
                target = _next_element(node)
            line, text = node.sourceline or 1, node.text or ""
            column = self._comment_column(line, text)
            if target is not None:
                tline, tcol = self.position(target)
                out.append(XmlComment(text, line, target, tline, tcol, column))
            else:
                out.append(XmlComment(text, line, None, None, None, column))
        return out

    def _comment_column(self, line: int, text: str) -> int:
        starts = self._starts()
        if line > len(starts):
            return 1
        begin = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self._text)
        at = self._text.find("<!--" + text[:40], begin, end + len(text[:40]) + 4)
        return at - begin + 1 if begin <= at < end else 1


_ENDS = frozenset(" \t\r\n/>")
_START_TAG = re.compile(r"<(?![!?/])")
_HIDDEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
"""Comments, CDATA sections and processing instructions: a ``<`` in them opens nothing."""


def _blank(m: re.Match[str]) -> str:
    """The same number of characters, none of them ``<`` (offsets stay where they are)."""
    return " " * len(m.group())


"""What may follow ``<name`` in a start tag (``<Role`` is not ``<RoleName``)."""


def _is_comment(node: Any) -> bool:
    return node.tag is etree.Comment


def _all_nodes(root: XmlElement) -> Iterator[Any]:
    yield from reversed(list(root.itersiblings(preceding=True)))
    yield from root.iter()
    yield from root.itersiblings()


def _trailing_target(comment: Any) -> XmlElement | None:
    prev = comment.getprevious()
    while prev is not None and _is_comment(prev):
        if "\n" in (prev.tail or ""):
            return None
        prev = prev.getprevious()
    if prev is None or not isinstance(prev.tag, str):
        return None
    return prev if "\n" not in (prev.tail or "") else None


def _next_element(comment: Any) -> XmlElement | None:
    nxt = comment.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def parse_xml(data: bytes) -> XmlDocument:
    """Parse untrusted bytes into an :class:`XmlDocument` or raise :class:`InputError`."""
    if data[:2] == b"\x1f\x8b":
        raise InputError("not a text XML file (gzip data)", line=1, column=1)
    enc = detect(data)
    payload = utf8_payload(data, enc)
    text = payload.decode("utf-8", errors="replace")
    if not text.strip("\ufeff \t\r\n"):
        raise InputError("document is empty", line=1, column=1)
    _reject_doctype(text.lstrip("\ufeff"))
    try:
        root = etree.fromstring(payload, _make_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        reason = _clean_reason(str(exc.msg or exc))
        raise InputError(reason, line=max(line, 1), column=max(column, 1)) from None
    except (ValueError, LookupError) as exc:
        raise InputError(f"cannot parse: {exc}", line=1, column=1) from None
    if root is None:
        raise InputError("document is empty", line=1, column=1)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError("DOCTYPE/DTD is not allowed", line=1, column=1)
    for node in root.iter():
        if node.tag is etree.Entity:
            raise InputError("entity references are not allowed", line=node.sourceline)
    return XmlDocument(root, text)


def _clean_reason(msg: str) -> str:
    msg = re.sub(r",\s*line \d+, column \d+\s*$", "", " ".join(msg.split()))
    return msg[:300]


# --- navigation helpers (namespace-agnostic by local name) -------------------------------


def local_name(el: XmlElement) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(el: XmlElement) -> str:
    tag = el.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(el: XmlElement, name: str | None = None) -> Iterator[XmlElement]:
    """Child elements, optionally only those with local name ``name`` (in any namespace or
    none: lxml's ``{*}`` filter, which skips comments and processing instructions in C)."""
    return el.iterchildren(etree.Element if name is None else "{*}" + name)  # type: ignore[no-any-return]


def child(el: XmlElement, name: str) -> XmlElement | None:
    return next(children(el, name), None)


def path(el: XmlElement, *names: str) -> Iterator[XmlElement]:
    """Descendants along a path of local names (``path(role, "Imports", "Import")``), in
    document order."""
    nodes = [el]
    for name in names:
        tag = "{*}" + name
        nodes = [c for node in nodes for c in node.iterchildren(tag)]
    return iter(nodes)


def text_of(el: XmlElement | None) -> str | None:
    """Stripped text of an element; ``None`` when the element or its text is missing."""
    if el is None or el.text is None:
        return None
    value: str = el.text.strip()
    return value


def attr(el: XmlElement, name: str) -> str | None:
    """An attribute value, matched case-insensitively on the attribute name.

    Short values are interned: setting, role, plugin and size names repeat across every
    service of an estate, and each read would otherwise keep its own copy in the model."""
    value = el.get(name)
    if value is None:
        lname = name.lower()
        value = next((v for k, v in el.attrib.items() if k.lower() == lname), None)
        if value is None:
            return None
    text = str(value)
    return sys.intern(text) if len(text) <= INTERN_UP_TO else text


INTERN_UP_TO = 96
"""Longest attribute value :func:`attr` interns (names; not connection strings)."""
