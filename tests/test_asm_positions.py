"""Element positions in one-line documents (ASM REST responses are one line)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, shared_path
from lxml import etree

from csmlint.errors import InputError
from csmlint.parsing.xmlsafe import children, parse_xml


def test_elements_on_one_line_are_told_apart() -> None:
    text = (
        '<a xmlns="urn:x"><RoleName>r</RoleName><Role/><Role n="2"/>'
        "<RoleList><Role/></RoleList></a>"
    )
    doc = parse_xml(text.encode())
    found = [doc.position(el) for el in doc.root.iter()]
    columns = [text.index(tag) + 1 for tag in ("<a", "<RoleName", "<Role/", "<Role n", "<RoleList")]
    columns.append(text.index("<Role/", text.index("<RoleList")) + 1)
    assert found == [(1, c) for c in columns]


def test_commented_out_elements_do_not_shift_positions() -> None:
    text = "<a>\n  <!-- <b/> <c/> -->\n  <b/><c/>\n  <!--<b/>--><b/>\n</a>\n"
    doc = parse_xml(text.encode())
    assert [doc.position(el) for el in children(doc.root)] == [(3, 3), (3, 7), (4, 14)]


def test_prefixed_and_multi_line_start_tags() -> None:
    text = '<p:a xmlns:p="urn:p">\n<p:b\n   x="1"/><p:bb/></p:a>'
    doc = parse_xml(text.encode())
    assert [doc.position(el) for el in doc.root.iter()] == [(1, 1), (2, 1), (3, 11)]


def test_cdata_and_processing_instructions_do_not_shift_positions() -> None:
    text = (
        '<?xml version="1.0"?>\n<a><?pi <b/> ?><![CDATA[ <b/> ]]>\n'
        "<b/><!--x--><c>&lt;d/&gt;</c></a>"
    )
    doc = parse_xml(text.encode())
    assert [doc.position(el) for el in doc.root.iter("b", "c")] == [(3, 1), (3, 13)]


def _xml_files() -> list[Path]:
    roots = [FIXTURES, *([shared_path("corpus", "real")] if shared_path("corpus").is_dir() else [])]
    return sorted(
        p for root in roots for p in root.rglob("*") if p.suffix in (".csdef", ".cscfg", ".xml")
    )


def test_every_position_is_the_start_tag_of_its_element_in_real_files() -> None:
    """Element positions come from one regular expression over the text (the n-th start tag
    is the n-th element). On every fixture and corpus file, each element's position is a
    ``<`` followed by its own tag name, no later than lxml's line for it, and in document
    order."""
    checked = 0
    for path in _xml_files():
        try:
            doc = parse_xml(path.read_bytes())
        except InputError:
            continue
        text, starts = doc._text, doc._starts()
        last = -1
        for el in doc.root.iter(etree.Element):
            line, column = doc.position(el)
            at = starts[line - 1] + column - 1
            name = el.tag.rpartition("}")[2]
            qname = f"{el.prefix}:{name}" if el.prefix else name
            assert text.startswith("<" + qname, at), (path, qname, line, column)
            assert text[at + 1 + len(qname)] in " \t\r\n/>", (path, qname, line, column)
            assert line <= (el.sourceline or line) and at > last, (path, qname, line)
            last = at
            checked += 1
    assert checked > 10_000
