"""Where the values of a parsed JSON file are: the ``locate`` of a topology document.

The topology loader records a location for every fact it reads (160,000 of them in a 5 MB
document) and a finding reads a few: a location here keeps the value's offset and works out
its line, column and JSON pointer only when they are read.
"""

from __future__ import annotations

from typing import Any

from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import JsonDocument, escape_pointer_token
from csmlint.parsing.textpos import LineIndex


class JsonRef(SourceRef):
    """A :class:`SourceRef` into a JSON file, by character offset. Equal to, hashed like
    and pickled as the plain reference with the same path, line, column and pointer."""

    __slots__ = ("_at", "_base", "_key", "_lines", "_offset")
    _lines: LineIndex
    _offset: int
    _base: str
    _key: str | None
    _at: tuple[int, int] | None

    def __new__(
        cls, path: str, lines: LineIndex, offset: int, base: str, key: str | None = None
    ) -> JsonRef:
        self = object.__new__(cls)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_lines", lines)
        object.__setattr__(self, "_offset", offset)
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_at", None)
        return self

    def _line_column(self) -> tuple[int, int]:
        at = self._at
        if at is None:  # worked out once: sorting and every report read it again
            at = self._lines.line_column(self._offset)
            object.__setattr__(self, "_at", at)
        return at

    @property
    def line(self) -> int:  # type: ignore[override]
        return self._line_column()[0]

    @property
    def column(self) -> int:  # type: ignore[override]
        return self._line_column()[1]

    @property
    def pointer(self) -> str:
        """``base`` alone, or ``base/key`` (the member ``key`` of the object at ``base``)."""
        key = self._key
        return self._base if key is None else f"{self._base}/{escape_pointer_token(key)}"


class JsonLocator:
    """``locate`` for a parsed JSON file: pointer -> (path, line, column, pointer)."""

    __slots__ = ("_container", "_doc", "_lines", "_path", "_table")

    def __init__(self, doc: JsonDocument, path: str) -> None:
        self._doc = doc
        self._lines = doc.lines
        self._path = path
        self._container: object = None
        self._table: dict[str, int] | None = None

    def __call__(self, pointer: str) -> SourceRef:
        return JsonRef(self._path, self._lines, self._doc.offset(pointer), pointer)

    def member(self, container: Any, key: str, base: str) -> SourceRef:
        """Where member ``key`` of ``container`` (the object at pointer ``base``) is:
        straight from the container's offsets, without resolving a pointer from the root."""
        if container is not self._container:  # the loader reads an object's members in a row
            self._container, self._table = container, self._doc.member_offsets(container)
        offset = None if self._table is None else self._table.get(key)
        if offset is None:
            return self(f"{base}/{escape_pointer_token(key)}")
        return JsonRef(self._path, self._lines, offset, base, key)


def json_locator(doc: JsonDocument, path: str) -> JsonLocator:
    """``locate`` for a parsed JSON file (see :class:`JsonLocator`)."""
    return JsonLocator(doc, path)
