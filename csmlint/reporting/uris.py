"""Artifact URIs: display paths -> RFC 3986 references relative to the source root.

Display paths (``SourceRef.path``) are relative to the working directory, or absolute when
the file lies outside it. SARIF wants paths relative to the repository root, because GitHub
resolves them against the checkout and matches alerts across runs by path. The relative path
itself comes from :func:`csmlint.model.location.root_relative` (fingerprints use it too).
"""

from __future__ import annotations

import ntpath
import re
from urllib.parse import quote

from csmlint.model.location import WINDOWS, absolute_path

SRCROOT = "%SRCROOT%"


def is_file_path(path: str) -> bool:
    """``False`` for the engine's placeholders such as ``<estate>`` (no file behind it)."""
    return bool(path) and not (path.startswith("<") and path.endswith(">"))


def to_uri(relative: str) -> str:
    """A relative path -> an RFC 3986 relative reference (``Web Role#1`` -> ``Web%20Role%231``).
    Everything but unreserved characters and ``/`` is percent-encoded (UTF-8), so a colon
    in the first segment can never read as a scheme, and a backslash is ``%5C``.

    A name byte that is not UTF-8 is shown in display paths as ``\\xNN`` (see
    :func:`csmlint.discovery.display_path`); the URI carries the byte itself (``%FF``), so
    it names the file on disk."""
    return quote(_raw_bytes(relative), safe="/", errors="surrogateescape")


_SHOWN_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def _raw_bytes(display: str) -> str:
    return _SHOWN_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), display)


def file_uri(path: str, cwd: str | None) -> str | None:
    """An absolute RFC 8089 ``file:`` URI for display ``path`` (relative to ``cwd``), or
    ``None`` when it cannot be made absolute."""
    full = absolute_path(path, cwd)
    if full is None:
        return None
    drive, rest = ntpath.splitdrive(full) if WINDOWS else ("", full)
    prefix = "file:///" + drive if drive else "file://"
    return prefix + quote(_raw_bytes(rest), safe="/", errors="surrogateescape")
