"""Where the values of a parsed JSON file are: the ``locate`` of a topology document.

The topology loader records a location for every fact it reads (160,000 of them in a 5 MB
document) and a finding reads a few: a location here keeps the pointer of the value (an
object's pointer and the member's key) and asks the document for its offset, line and
column only when they are read.
"""

from __future__ import annotations

from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import JsonDocument, escape_pointer_token, unescape_pointer_token


class JsonRef(SourceRef):
    """A :class:`SourceRef` into a JSON file, by pointer. Equal to, hashed like and pickled
    as the plain reference with the same path, line, column and pointer."""

    __slots__ = ("_at", "_base", "_doc", "_key")
    _doc: JsonDocument
    _base: str
    _key: str | None
    _at: tuple[int, int] | None

    def __new__(cls, path: str, doc: JsonDocument, base: str, key: str | None = None) -> JsonRef:
        # the slots' own setters: half the cost of object.__setattr__ (160,000 per 5 MB)
        self = object.__new__(cls)
        _SET_PATH(self, path)
        _SET_DOC(self, doc)
        _SET_BASE(self, base)
        _SET_KEY(self, key)
        _SET_AT(self, None)
        return self

    def _line_column(self) -> tuple[int, int]:
        at = self._at
        if at is None:  # worked out once: sorting and every report read it again
            at = self._doc.line_column(self._offset())
            object.__setattr__(self, "_at", at)
        return at

    def _offset(self) -> int:
        doc, key = self._doc, self._key
        return doc.offset(self._base) if key is None else doc.member_offset(self._base, key)

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

    __slots__ = ("_doc", "_path")

    def __init__(self, doc: JsonDocument, path: str) -> None:
        self._doc = doc
        self._path = path

    def __call__(self, pointer: str) -> SourceRef:
        return JsonRef(self._path, self._doc, pointer)

    def member(self, key: str, base: str) -> SourceRef:
        """Where member ``key`` of the object at pointer ``base`` is, without escaping and
        joining a pointer (the loader asks 160,000 times)."""
        return JsonRef(self._path, self._doc, base, key)

    def key(self, pointer: str) -> SourceRef:
        """Where the name of the member at ``pointer`` is (an unknown key's error)."""
        base, _, token = pointer.rpartition("/")
        return JsonKeyRef(self._path, self._doc, base, unescape_pointer_token(token))


_SET_PATH = vars(SourceRef)["path"].__set__
_SET_DOC = vars(JsonRef)["_doc"].__set__
_SET_BASE = vars(JsonRef)["_base"].__set__
_SET_KEY = vars(JsonRef)["_key"].__set__
_SET_AT = vars(JsonRef)["_at"].__set__


class JsonKeyRef(JsonRef):
    """A :class:`JsonRef` at the name of member ``key`` rather than its value."""

    __slots__ = ()

    def _offset(self) -> int:
        return self._doc.key_offset(self._base, self._key or "")


def json_locator(doc: JsonDocument, path: str) -> JsonLocator:
    """``locate`` for a parsed JSON file (see :class:`JsonLocator`)."""
    return JsonLocator(doc, path)
