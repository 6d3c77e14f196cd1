"""Source excerpts: attached by the engine from the bytes it read, clipped for display."""

from __future__ import annotations

import codecs

from csmlint.findings.excerpts import MAX_CHARS, SourceCache, decode, excerpt, split_lines
from csmlint.findings.finding import Excerpt, Finding, Remediation
from csmlint.model.location import SourceRef
from csmlint.parsing.xmlsafe import parse_xml


def _finding(path: str, line: int | None, column: int | None = None, **kw: object) -> Finding:
    return Finding(
        rule_id="CSM127",
        rule_name="legacy-role-size",
        severity="warning",
        category="post-migration",
        migration="cs-es",
        message="m",
        location=SourceRef(path, line, column, **kw),  # type: ignore[arg-type]
        remediation=Remediation("r"),
    )


def test_lines_around_the_finding_dedented() -> None:
    lines = split_lines("<a>\r\n  <b>\n    <c x='1'/>\n  </b>\r\n</a>")
    assert excerpt(lines, 3, 5) == Excerpt(2, ("<b>", "  <c x='1'/>", "</b>"), 3)
    assert excerpt(lines, 1) == Excerpt(1, ("<a>", "  <b>"), 1)
    assert excerpt(lines, 99) is None


def test_lines_are_counted_as_the_xml_parser_counts_them() -> None:
    # libxml2 ends a line at LF only: a lone CR (old Mac line ends) does not start one.
    text = "<a>\r<b/>\r\n<c name='x'/>\r<d/>\n<e/></a>"
    doc = parse_xml(text.encode())
    lines = split_lines(text)
    for element in doc.root.iter():
        line = element.sourceline
        assert line is not None
        ex = excerpt(lines, line)
        assert ex is not None
        highlighted = ex.lines[line - ex.first_line]
        assert f"<{element.tag}" in highlighted, (element.tag, line, ex)
    assert "\r" not in "".join(lines)


def test_long_lines_are_clipped_around_the_column() -> None:
    line = "x" * 1000 + "<Role name='Target'/>" + "y" * 1000
    ex = excerpt([line], 1, 1001)
    assert ex is not None
    (text,) = ex.lines
    assert len(text) <= MAX_CHARS and "<Role name='Target'/>" in text
    assert text.startswith("…") and text.endswith("…")
    short = excerpt(["z" * 500], 1, 1)
    assert short is not None and len(short.lines[0]) == MAX_CHARS


def test_decoding_follows_the_bom_and_never_fails() -> None:
    text = "<a>é</a>"
    assert decode(codecs.BOM_UTF8 + text.encode()) == text
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text
    assert decode(text.encode("utf-16-le")) == text
    assert decode(b"<a>\xff</a>") == "<a>\ufffd</a>"


def test_cache_attaches_shares_and_releases() -> None:
    cache = SourceCache()
    cache.keep("a.cscfg", b"<a>\n  <b/>\n</a>\n")
    one, two = _finding("a.cscfg", 2, 3), _finding("a.cscfg", 2, 3)
    topo = _finding("t.json", None, pointer="/cloudServices/0")
    embedded = _finding("a.cscfg", 2, 3, embedded_line=7)
    unread = _finding("b.cscfg", 1)
    cache.attach([one, two, topo, embedded, unread])
    assert one.excerpt == Excerpt(1, ("<a>", "  <b/>", "</a>"), 2)
    assert two.excerpt is one.excerpt
    assert topo.excerpt is None and embedded.excerpt is None and unread.excerpt is None
    late = _finding("a.cscfg", 1)
    cache.attach([late])
    assert late.excerpt is None, "bytes are released after attaching"


def test_budget_limits_what_is_kept() -> None:
    cache = SourceCache(budget=10)
    cache.keep("big", b"x" * 11)
    cache.keep("small", b"<a/>")
    big, small = _finding("big", 1), _finding("small", 1)
    cache.attach([big, small])
    assert big.excerpt is None and small.excerpt == Excerpt(1, ("<a/>",), 1)


def test_connection_string_secrets_are_redacted() -> None:
    line = (
        '<Setting name="Storage" value="DefaultEndpointsProtocol=https;AccountName=contoso;'
        'AccountKey=bXlzZWNyZXRrZXk=;EndpointSuffix=core.windows.net" />'
    )
    sas = (
        '<Setting name="Sas" value="https://x.blob.core.windows.net/c?sv=2022&amp;sig=abc%2Fdef" />'
    )
    ex = excerpt([line, sas], 1)
    assert ex is not None
    assert "bXlzZWNyZXRrZXk" not in ex.lines[0] and "AccountKey=(redacted);" in ex.lines[0]
    assert "AccountName=contoso" in ex.lines[0]
    assert "abc%2Fdef" not in ex.lines[1] and "sig=(redacted)" in ex.lines[1]
