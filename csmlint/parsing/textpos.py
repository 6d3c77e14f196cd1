"""Character offsets to (line, column), shared by the XML and JSON entry points."""

from __future__ import annotations

import bisect


class LineIndex:
    """Start offsets of the lines of one text, computed on first use."""

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self._text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return self._starts

    def line_of(self, offset: int) -> int:
        """1-based line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset)

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; the column counts characters."""
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1
