"""SourceRef: the single location type used everywhere."""

from __future__ import annotations

import ntpath
import posixpath
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

    def __reduce__(self) -> tuple[type[SourceRef], tuple[object, ...]]:
        # Pickled by the loading pool 100,000 times per 1,000 services: the positional
        # constructor is about twice as fast as the dataclass's field-by-field state.
        return (SourceRef, (self.path, self.line, self.column, self.pointer, self.embedded_line))

    def display(self) -> str:
        """``path:line:col`` (or ``path#pointer`` when no line is known)."""
        if self.line is None:
            return f"{self.path}#{self.pointer}" if self.pointer else self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.pointer or "")


def root_relative(path: str, cwd: str | None, root: str | None) -> str | None:
    """Display ``path`` (relative to ``cwd``) relative to ``root`` with forward slashes, or
    ``None`` when it lies outside the root (or cannot be placed: an absolute path with no
    known root). Pure string work, no file system access: SARIF URIs and fingerprints use it
    alike, so a report is the same wherever it is rendered."""
    if cwd is None and root is None:
        norm = path.replace("\\", "/")
        return None if _is_absolute(norm) else _clean(norm)
    full = absolute_path(path, cwd or root)
    top = posixpath.normpath((root or cwd or "").replace("\\", "/"))
    if full is None or _drive(full).lower() != _drive(top).lower():
        return None
    rel = posixpath.relpath(_strip_drive(full), _strip_drive(top))
    return _clean(rel)


def absolute_path(path: str, cwd: str | None) -> str | None:
    """Display ``path`` made absolute against ``cwd``, normalised, with forward slashes;
    ``None`` for a relative path when ``cwd`` is unknown. Pure string work."""
    norm = path.replace("\\", "/")
    if not _is_absolute(norm):
        if cwd is None:
            return None
        norm = posixpath.join(cwd.replace("\\", "/"), norm)
    return posixpath.normpath(norm)


def _clean(rel: str) -> str | None:
    rel = posixpath.normpath(rel)
    if rel in ("", ".") or rel == ".." or rel.startswith("../") or _is_absolute(rel):
        return None
    return rel


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or bool(ntpath.splitdrive(path)[0])


def _drive(path: str) -> str:
    return ntpath.splitdrive(path)[0]


def _strip_drive(path: str) -> str:
    return ntpath.splitdrive(path)[1] or "/"
