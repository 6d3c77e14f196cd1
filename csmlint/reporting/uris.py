"""Artifact URIs: display paths -> RFC 3986 references relative to the source root.

Display paths (``SourceRef.path``) are relative to the working directory, or absolute when
the file lies outside it. SARIF wants paths relative to the repository root, because GitHub
resolves them against the checkout and matches alerts across runs by path. Pure string work:
no file system access, so a report is the same wherever it is rendered.
"""

from __future__ import annotations

import ntpath
import posixpath
from urllib.parse import quote

SRCROOT = "%SRCROOT%"


def is_file_path(path: str) -> bool:
    """``False`` for the engine's placeholders such as ``<estate>`` (no file behind it)."""
    return bool(path) and not (path.startswith("<") and path.endswith(">"))


def root_relative(path: str, cwd: str | None, root: str | None) -> str | None:
    """``path`` relative to ``root`` with forward slashes, or ``None`` when it lies outside
    the root (or cannot be placed: an absolute path with no known root)."""
    norm = path.replace("\\", "/")
    absolute = _is_absolute(norm)
    if cwd is None and root is None:
        return None if absolute else _clean(norm)
    base = (cwd or root or "").replace("\\", "/")
    top = (root or cwd or "").replace("\\", "/")
    full = norm if absolute else posixpath.join(base, norm)
    full, top = posixpath.normpath(full), posixpath.normpath(top)
    if _drive(full).lower() != _drive(top).lower():
        return None
    rel = posixpath.relpath(_strip_drive(full), _strip_drive(top))
    return _clean(rel)


def to_uri(relative: str) -> str:
    """A relative path -> an RFC 3986 relative reference (``Web Role#1`` -> ``Web%20Role%231``).
    Everything but unreserved characters and ``/`` is percent-encoded (UTF-8), so a colon
    in the first segment can never read as a scheme."""
    return quote(relative, safe="/")


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
