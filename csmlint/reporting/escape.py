"""Escaping for input-derived text in machine and Markdown reports.

Every value that came from a linted file or a rule pack (names, messages, paths, commands)
passes through one of these before it is written:

* :func:`visible`: lone surrogates become U+FFFD, and control, bidi-override and zero-width
  characters become a visible ``\\uXXXX`` (no Trojan-source tricks in an alert or a PR
  comment). Newlines and tabs are kept only where the caller allows them.
* :func:`md_text`: Markdown/HTML-inert text (GitHub renders raw HTML in Markdown).
* :func:`md_code` / :func:`md_fence`: code spans and fenced blocks whose content cannot end
  the span or block early. Their content is literal in CommonMark, so it is never HTML.
* :func:`xml_text`: drops what XML 1.0 cannot hold at all.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]|~"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
"""Inline specials, in one pass so an entity is never backslash-escaped again. Without an
unescaped ``[`` no link or image can form, so ``(``, ``)`` and ``!`` stay as they are."""
_BLOCK_START = re.compile(r"^(\s*)([#=+-]|\d+[.)])")
"""What would start a heading, list or setext underline at the beginning of a line."""
_BACKTICKS = re.compile(r"`+")


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with nothing hidden: see the module docstring."""
    text = _SURROGATE.sub("\ufffd", text)
    if newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = text.replace("\t", " ")
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def md_text(text: str) -> str:
    """Markdown text that renders exactly as ``text``: no HTML, no emphasis, no links, no
    table-cell breaks. One line (newlines become spaces)."""
    out = "".join(_MD_ESCAPES.get(c, c) for c in visible(text))
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_last(m.group(2)), out, count=1)


def _escape_last(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]


def md_code(text: str) -> str:
    """An inline code span holding ``text`` literally (one line)."""
    body = visible(text)
    longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if body.startswith(("`", " ")) or body.endswith(("`", " ")) or not body else ""
    return f"{ticks}{pad}{body}{pad}{ticks}"


def md_fence(text: str, info: str = "") -> str:
    """A fenced code block holding ``text`` literally (several lines allowed)."""
    body = visible(text, newlines=True)
    longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent (lone surrogates become
    U+FFFD first). Escaping of ``<``/``&`` is left to the XML serializer."""
    return _XML_ILLEGAL.sub("", _SURROGATE.sub("\ufffd", text))
