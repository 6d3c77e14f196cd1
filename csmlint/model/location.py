"""SourceRef: the single location type used everywhere."""

from __future__ import annotations

import ntpath
import os
import posixpath


class SourceRef:
    """Where a fact came from.

    ``path`` is the display path (relative to the working directory when possible, with
    forward slashes). ``pointer`` is an RFC 6901 JSON pointer for topology facts.
    ``embedded_line`` is the line inside a document embedded in ``path`` (the base64
    ``.cscfg`` inside an ASM export), when the finding comes from it.

    Immutable, compared and hashed by value. A reference with neither ``pointer`` nor
    ``embedded_line`` (every position in an XML file: about 100 per service) is built with
    three slots only; the others are a :class:`_PointedRef` (16 bytes less for each of the
    half a million references of 5,000 services).
    """

    __slots__ = ("column", "line", "path")
    path: str
    line: int | None
    column: int | None

    def __new__(
        cls,
        path: str,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
        embedded_line: int | None = None,
    ) -> SourceRef:
        if pointer is None and embedded_line is None:
            self = object.__new__(SourceRef)
        else:
            self = object.__new__(_PointedRef)
            object.__setattr__(self, "pointer", pointer)
            object.__setattr__(self, "embedded_line", embedded_line)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        return self

    @property
    def pointer(self) -> str | None:
        return None

    @property
    def embedded_line(self) -> int | None:
        return None

    def _fields(self) -> tuple[object, ...]:
        return (self.path, self.line, self.column, self.pointer, self.embedded_line)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"SourceRef is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"SourceRef is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceRef):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        path, line, column, pointer, embedded = self._fields()
        return (
            f"SourceRef(path={path!r}, line={line!r}, column={column!r}, "
            f"pointer={pointer!r}, embedded_line={embedded!r})"
        )

    def __reduce__(self) -> tuple[type[SourceRef], tuple[object, ...]]:
        # Pickled by the loading pool 100,000 times per 1,000 services: the positional
        # constructor is about twice as fast as a field-by-field state.
        return (SourceRef, self._fields())

    def display(self) -> str:
        """``path:line:col`` (or ``path#pointer`` when no line is known)."""
        if self.line is None:
            pointer = self.pointer
            return f"{self.path}#{pointer}" if pointer else self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.pointer or "")


class _PointedRef(SourceRef):
    """A :class:`SourceRef` with a JSON pointer or an embedded line."""

    __slots__ = ("embedded_line", "pointer")
    pointer: str | None
    embedded_line: int | None


def is_within(real: str, root: str) -> bool:
    """``real`` is ``root`` or below it (both already resolved)."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


WINDOWS = os.sep == "\\"
"""Path flavour of this host. On POSIX a backslash is a character of a file name and
``c:x`` is a relative name; only on Windows are they a separator and a drive."""


def root_relative(
    path: str, cwd: str | None, root: str | None, *, windows: bool = WINDOWS
) -> str | None:
    """Display ``path`` (relative to ``cwd``) relative to ``root`` with forward slashes, or
    ``None`` when it lies outside the root (or cannot be placed: an absolute path with no
    known root). Pure string work, no file system access: SARIF URIs and fingerprints use it
    alike, so a report is the same wherever it is rendered on one kind of host."""
    if cwd is None and root is None:
        norm = _slashes(path, windows)
        return None if _is_absolute(norm, windows) else _clean(norm, windows)
    full = absolute_path(path, cwd or root, windows=windows)
    top = posixpath.normpath(_slashes(root or cwd or "", windows))
    if full is None or _drive(full, windows).lower() != _drive(top, windows).lower():
        return None
    rel = posixpath.relpath(_strip_drive(full, windows), _strip_drive(top, windows))
    return _clean(rel, windows)


def absolute_path(path: str, cwd: str | None, *, windows: bool = WINDOWS) -> str | None:
    """Display ``path`` made absolute against ``cwd``, normalised, with forward slashes;
    ``None`` for a relative path when ``cwd`` is unknown. Pure string work."""
    norm = _slashes(path, windows)
    if not _is_absolute(norm, windows):
        if cwd is None:
            return None
        norm = posixpath.join(_slashes(cwd, windows), norm)
    return posixpath.normpath(norm)


def _slashes(path: str, windows: bool) -> str:
    return path.replace("\\", "/") if windows else path


def _clean(rel: str, windows: bool) -> str | None:
    rel = posixpath.normpath(rel)
    if rel in ("", ".") or rel == ".." or rel.startswith("../") or _is_absolute(rel, windows):
        return None
    return rel


def _is_absolute(path: str, windows: bool) -> bool:
    return path.startswith("/") or (windows and bool(ntpath.splitdrive(path)[0]))


def _drive(path: str, windows: bool) -> str:
    return ntpath.splitdrive(path)[0] if windows else ""


def _strip_drive(path: str, windows: bool) -> str:
    return (ntpath.splitdrive(path)[1] or "/") if windows else path
