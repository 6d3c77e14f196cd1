"""SourceRef: the single location type used everywhere."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact came from.

    ``path`` is the display path (relative to the working directory when possible, with
    forward slashes). ``pointer`` is an RFC 6901 JSON pointer for topology facts.
    ``embedded_line`` is the line inside a document embedded in ``path`` (the base64
    ``.cscfg`` inside an ASM export), when the finding comes from it.
    """

    path: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    embedded_line: int | None = None

    def display(self) -> str:
        """``path:line:col`` (or ``path#pointer`` when no line is known)."""
        if self.line is None:
            return f"{self.path}#{self.pointer}" if self.pointer else self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.pointer or "")
