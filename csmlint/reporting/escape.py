"""Escaping for input-derived text in machine and Markdown reports.

Every value that came from a linted file or a rule pack (names, messages, paths, commands)
passes through one of these before it is written:

* :func:`visible`: lone surrogates become U+FFFD, and control, bidi-override and zero-width
  characters become a visible ``\\uXXXX`` (no Trojan-source tricks in an alert or a PR
  comment). Newlines and tabs are kept only where the caller allows them.
* :func:`md_text`: Markdown/HTML-inert text (GitHub renders raw HTML in Markdown).
* :func:`html_code` / :func:`html_pre`: inline code and code blocks for paths and commands,
  written as ``<code>``/``<pre>`` with entity-escaped content. A Markdown code span or fence
  would also render its content as text, but it must carry the characters raw (a command
  naming a role ``<script>`` would put ``<script`` in the file); entities keep every ``<``
  of input out of the Markdown source, and GitHub renders both alike.
* :func:`link_target`: a URL for an angle-bracket link destination.
* :func:`xml_text`: drops what XML 1.0 cannot hold at all.
"""

from __future__ import annotations

import re

HIDDEN = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
)
"""The one list of characters no report prints as themselves (a regex character-class
body): C0/C1 controls, bidi marks and overrides, zero-width and invisible characters,
Hangul fillers, variation selectors. Tab, LF and CR are not in it: each report decides
what a line break becomes; each also decides how it shows lone surrogates."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = re.compile(f"[{HIDDEN}\r]")
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]|~"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
"""Inline specials, in one pass so an entity is never backslash-escaped again. Without an
unescaped ``[`` no link or image can form, so ``(``, ``)`` and ``!`` stay as they are."""
_BLOCK_START = re.compile(r"^(\s*)([#=+-]|\d+[.)])")
"""What would start a heading, list or setext underline at the beginning of a line."""
_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in "<>\"' \\`"}


_PLAIN = re.compile(f"[{HIDDEN}\t\n\r\ud800-\udfff]")
"""Whatever :func:`visible` changes: a text with none of it is returned as it is (one
search instead of two substitutions and five replacements: most texts are plain)."""


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with nothing hidden: see the module docstring."""
    if _PLAIN.search(text) is None:
        return text
    text = _SURROGATE.sub("\ufffd", text)
    if newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = text.replace("\t", " ")
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def md_text(text: str) -> str:
    """Markdown text that renders exactly as ``text``: no HTML, no emphasis, no links, no
    table-cell breaks, no ``@mention`` (a role named ``@octocat`` would ping that user in a
    pull-request comment) and no ``#123`` reference. One line (newlines become spaces)."""
    out = "".join(_MD_ESCAPES.get(c, c) for c in visible(text))
    out = _MENTION.sub(lambda m: m.group(1) + "&#8203;", out)
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_last(m.group(2)), out, count=1)


_MENTION = re.compile(r"(?<![\w/.])([@#])(?=[A-Za-z0-9])")
"""``@user``, ``@org/team``, ``#123``, ``GH-1``-style references start with these; a
zero-width space entity after the marker keeps the text and breaks the autolink."""


def _escape_last(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_code(text: str) -> str:
    """Inline code showing ``text`` (one line). A ``|`` is written as an entity: GitHub
    splits table cells on it even inside HTML."""
    return f"<code>{_entities(visible(text)).replace('|', '&#124;')}</code>"


def html_pre(text: str) -> str:
    """A code block showing ``text`` (several lines). It is an HTML block, so the caller
    puts it at the start of a line after a blank line; it runs to ``</pre>``, which the
    escaped content can never contain."""
    body = _entities(visible(text, newlines=True))
    return f"<pre><code>{body}</code></pre>"


def link_target(url: str) -> str:
    """``url`` for ``[text](<url>)``: nothing in it can end the destination or the link."""
    return "".join(_URL_ESCAPES.get(c, c) for c in visible(url))


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent (lone surrogates become
    U+FFFD first). Escaping of ``<``/``&`` is left to the XML serializer."""
    return _XML_ILLEGAL.sub("", _SURROGATE.sub("\ufffd", text))
