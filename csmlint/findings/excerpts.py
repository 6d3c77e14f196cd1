"""Source excerpts: a few clipped lines around each finding, from the bytes already read.

The engine keeps the bytes of every input it loaded (up to a memory budget) and, once the
findings are known, attaches an :class:`~csmlint.findings.finding.Excerpt` to each finding
that has a line. Reporters only show what is attached; they never open files themselves.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from csmlint.findings.finding import Excerpt, Finding

CONTEXT = 1
"""Lines shown before and after the finding's line."""
MAX_CHARS = 200
"""Longest excerpt line (longer lines are clipped around the finding's column)."""
DEFAULT_BUDGET = 32 * 1024 * 1024
"""Bytes of input kept for excerpts; files read after the budget is spent get none."""

_SECRET = re.compile(
    r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature|sig|Password|Pwd)=([^;\"'&<>\s]+)"
)
"""``key=value`` secrets of connection strings and SAS URLs, redacted from excerpts: reports
are published as CI artifacts, to readers who may not see the repository's secrets."""
_LONG = 4 * MAX_CHARS
_MARGIN = 300


class SourceCache:
    """Raw bytes of the inputs, by display path, kept until excerpts are attached."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self._data: dict[str, bytes] = {}
        self._left = budget

    def keep(self, path: str, data: bytes) -> None:
        if path not in self._data and len(data) <= self._left:
            self._data[path] = data
            self._left -= len(data)

    def attach(self, findings: Iterable[Finding]) -> None:
        """Give every finding with a line (outside an embedded document) its excerpt, then
        release the bytes."""
        lines: dict[str, list[str] | None] = {}
        made: dict[tuple[str, int, int], Excerpt | None] = {}
        for f in findings:
            loc = f.location
            if loc.line is None or loc.embedded_line is not None or f.excerpt is not None:
                continue
            key = (loc.path, loc.line, loc.column or 0)
            if key not in made:
                if loc.path not in lines:
                    data = self._data.get(loc.path)
                    lines[loc.path] = None if data is None else split_lines(decode(data))
                text = lines[loc.path]
                made[key] = None if text is None else excerpt(text, loc.line, loc.column)
            f.excerpt = made[key]
        self._data.clear()


def decode(data: bytes) -> str:
    """Text of an input for display: BOM-aware, never failing (bad bytes become U+FFFD)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")


def split_lines(text: str) -> list[str]:
    """Lines as libxml2 and our JSON entry point count them: only ``\n`` ends a line (not a
    lone ``\r``, nor ``str.splitlines``'s extra breaks). A ``\r`` left inside a line is shown
    as a space."""
    return [line.rstrip("\r").replace("\r", " ") for line in text.split("\n")]


def excerpt(lines: list[str], line: int, column: int | None = None) -> Excerpt | None:
    """Lines ``line - CONTEXT .. line + CONTEXT`` (1-based), dedented and clipped to
    :data:`MAX_CHARS` around ``column``; ``None`` when ``line`` is not in the file."""
    if not 1 <= line <= len(lines):
        return None
    first = max(1, line - CONTEXT)
    last = min(len(lines), line + CONTEXT)
    col0 = max(0, (column or 1) - 1)
    raw = [lines[n - 1].rstrip() for n in range(first, last + 1)]
    shift = 0
    if max(len(s) for s in raw) > _LONG:
        # Cut very long lines to a window first, so excerpts of many findings on one 1 MB
        # line stay linear; the window starts _MARGIN early so a secret's `key=` is seen.
        shift = max(0, col0 - MAX_CHARS - _MARGIN)
        raw = [s[shift : col0 + MAX_CHARS + _MARGIN] for s in raw]
    chosen = [_SECRET.sub(r"\1=(redacted)", s) for s in raw]
    indent = _common_indent(chosen) if not shift else ""
    chosen = [s[len(indent) :] for s in chosen]
    col = max(0, col0 - shift - len(indent))
    width = max(len(s) for s in chosen)
    start = 0
    if width > MAX_CHARS and col > MAX_CHARS // 2:
        start = min(col - MAX_CHARS // 4, width - MAX_CHARS + 1)
    return Excerpt(first, tuple(_clip(s, start) for s in chosen), line)


def _common_indent(lines: list[str]) -> str:
    """The leading whitespace every non-blank line shares."""
    indents = [s[: len(s) - len(s.lstrip(" \t"))] for s in lines if s.strip()]
    if not indents:
        return ""
    low, high = min(indents), max(indents)
    n = 0
    while n < len(low) and low[n] == high[n]:
        n += 1
    return low[:n]


def _clip(text: str, start: int) -> str:
    if start > 0:
        text = "…" + text[start + 1 :] if len(text) > start + 1 else ""
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1] + "…"
    return text
