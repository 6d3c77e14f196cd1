"""Element positions in one-line documents (ASM REST responses are one line)."""

from __future__ import annotations

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
