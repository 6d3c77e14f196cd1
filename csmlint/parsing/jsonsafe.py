"""The one hardened JSON entry point.

Bytes in (UTF-8 with or without BOM; UTF-16/UTF-32 with BOM), a :class:`JsonDocument` out:
the value, and where each of its values starts, worked out when asked. A document is read
by the C decoder of the standard library, with hooks that refuse what ``json.loads``
silently accepts (duplicate keys, ``NaN``/``Infinity``, numbers that overflow to infinity,
over-long integers) and a depth check; whatever the decoder refuses, and any document with
an escaped lone surrogate, is read again by the strict parser
(:mod:`csmlint.parsing.jsonstrict`), which gives the exact error with line, column and JSON
pointer, or the value with U+FFFD for lone surrogates. So every document gets the same
value and the same error either way; the strict parser only runs on the rare documents
that need it.

Positions cost nothing until asked for: a topology document of 5 MB has 60,000 containers
and a run reads the positions of a few of them (those of its findings). The first question
matches the brackets of the text once (one regular expression; strings are skipped whole),
and a container's members are listed when one of them is first asked for.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from csmlint.errors import InputError
from csmlint.parsing.jsonstrict import (
    ESCAPED_SURROGATE,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    SURROGATE,
    StrictParser,
    escape_pointer_token,
    pointer_at,
    scanstring,
    show_key,
    unescape_pointer_token,
)
from csmlint.parsing.textpos import LineIndex

__all__ = [
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "JsonDocument",
    "decode_json_bytes",
    "escape_pointer_token",
    "loads_text",
    "parse_json",
    "show_key",
    "split_pointer",
    "unescape_pointer_token",
]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_WS = re.compile(r"[ \t\n\r]*")
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_VALUE = rf"({_STRING}|[^ \t\n\r,\]}}{{\[]*)"
"""A string or a scalar whole; at a container, nothing (its end comes from the brackets)."""
_MEMBER = re.compile(rf'[ \t\n\r,]*"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\n\r]*:[ \t\n\r]*{_VALUE}')
_ITEM = re.compile(rf"[ \t\n\r,]*{_VALUE}")
_BRACKET = re.compile(rf'[^"\[\]{{}}]*(?:{_STRING}[^"\[\]{{}}]*)*[\[\]{{}}]')
"""Up to and including the next bracket outside a string (strings are skipped whole; the
"unrolled loop" form, so it never backtracks on the valid text it is used on)."""

Members = dict[str, int] | list[int]
"""A container's members: key or index -> offset of the value."""
_NO_MEMBERS: dict[str, int] = {}
"""The members of a scalar (shared; never written)."""


class _RefusedError(ValueError):
    """The C decoder met something the strict parser must judge."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # a duplicate key
        raise _RefusedError
    return obj


def _no_constant(_name: str) -> Any:
    raise _RefusedError  # NaN, Infinity, -Infinity


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999999
        raise _RefusedError
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _RefusedError
    return int(text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_members,
    parse_constant=_no_constant,
    parse_float=_finite,
    # Python's own limit is the same unless PYTHONINTMAXSTRDIGITS raised or lifted it: only
    # then is every integer checked here (a Python call each)
    parse_int=None if 0 < sys.get_int_max_str_digits() <= MAX_INT_DIGITS else _bounded_int,
)


def split_pointer(pointer: str) -> list[str]:
    """The unescaped reference tokens of an RFC 6901 pointer (``""`` is the root)."""
    if not pointer:
        return []
    return [unescape_pointer_token(t) for t in pointer.lstrip("/").split("/")]


class JsonDocument:
    """A parsed JSON document that works out where its values start when asked."""

    def __init__(self, value: Any, text: str, root: int, *, surrogates: bool = False):
        self.value = value
        self._text = text
        self._root = root
        self._surrogates = surrogates  # keys of the value had lone surrogates replaced
        self._lines = LineIndex(text)
        self._close: dict[int, int] | None = None
        self._members: dict[int, Members] = {}
        self._found: dict[str, tuple[int, bool]] = {}

    @property
    def lines(self) -> LineIndex:
        """The document's line index (offset -> line, column)."""
        return self._lines

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the column counts characters."""
        return self._lines.line_column(offset)

    def position(self, pointer: str) -> tuple[int, int]:
        """(line, column) of the value at ``pointer`` (or its deepest existing ancestor)."""
        return self.line_column(self.offset(pointer))

    def offset(self, pointer: str) -> int:
        """Offset of the value at ``pointer``, or of its deepest existing ancestor."""
        return self._resolve(pointer)[0]

    def member_offset(self, base: str, key: str) -> int:
        """Offset of member ``key`` (unescaped) of the object at pointer ``base``, or of
        its deepest existing ancestor."""
        where, found = self._resolve(base)
        if found:
            at = self._member(where, key)
            if at is not None:
                return at
        return where

    def _resolve(self, pointer: str) -> tuple[int, bool]:
        """(offset, found) of ``pointer``; remembered, so the members of one container
        looked up one after another cost one step each."""
        if not pointer:
            return self._root, True
        hit = self._found.get(pointer)
        if hit is not None:
            return hit
        parent, _, token = pointer.rpartition("/")
        where, found = self._resolve(parent)
        if found:
            at = self._member(where, unescape_pointer_token(token))
            if at is None:
                found = False
            else:
                where = at
        result = (where, found)
        self._found[pointer] = result
        return result

    def _member(self, container: int, token: str) -> int | None:
        """Offset of member ``token`` of the container value at ``container``."""
        members = self._members.get(container)
        if members is None:
            members = self._members[container] = self._list_members(container)
        if isinstance(members, dict):
            return members.get(token)
        if token.isascii() and token.isdigit() and int(token) < len(members):
            return members[int(token)]
        return None

    def key_offset(self, base: str, key: str) -> int:
        """Offset of the quote that opens member ``key``'s name in the object at ``base``
        (an unknown key is reported where its name is); else as :meth:`member_offset`."""
        where, found = self._resolve(base)
        if found and self._text[where] == "{":
            at = self._list_members(where, keys=True).get(key)  # type: ignore[union-attr]
            if at is not None:
                return at
        return self.member_offset(base, key)

    def _list_members(self, at: int, *, keys: bool = False) -> Members:
        """Member -> offset of its value (``keys``: of its name's opening quote)."""
        text = self._text
        opener = text[at]
        if opener not in "{[":
            return _NO_MEMBERS
        close = self._close if self._close is not None else self._match_brackets()
        end, pos = close[at], at + 1
        if opener == "[":
            items: list[int] = []
            item = _ITEM.match
            while True:
                m = item(text, pos)
                start = m.start(1)  # type: ignore[union-attr]
                if start >= end:
                    return items
                items.append(start)
                pos = m.end()  # type: ignore[union-attr]
                if pos == start:  # a container: its group matched nothing
                    pos = close[start] + 1
        members: dict[str, int] = {}
        member = _MEMBER.match
        while True:
            m = member(text, pos)
            if m is None:
                return members
            key, start = m.group(1), m.start(2)
            if "\\" in key:
                key = scanstring(text, m.start(1), True)[0]
                if self._surrogates:
                    key = SURROGATE.sub("\ufffd", key)
            members[key] = m.start(1) - 1 if keys else start
            pos = m.end()
            if pos == start:
                pos = close[start] + 1

    def _match_brackets(self) -> dict[int, int]:
        """Opening bracket offset -> its closing bracket's, for the whole document."""
        text = self._text
        close: dict[int, int] = {}
        stack: list[int] = []
        push, pop = stack.append, stack.pop
        for m in _BRACKET.finditer(text, self._root, len(text.rstrip(" \t\n\r"))):
            i = m.end() - 1
            if text[i] in "{[":
                push(i)
            else:
                close[pop()] = i
        self._close = close
        return close


def decode_json_bytes(data: bytes) -> str:
    """Decode input bytes: a BOM picks the codec, otherwise strict UTF-8."""
    codec, skip = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, skip = name, len(bom)
            break
    else:
        if len(data) >= 2 and (data[0] == 0 or data[1] == 0):
            raise InputError(
                "UTF-16/UTF-32 without a byte order mark is not supported (save as UTF-8)",
                line=1,
                column=1,
                pointer="",
            )
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        bad = skip + exc.start
        line = data.count(b"\n", 0, bad) + 1 if codec == "utf-8" else None
        column = None
        if line is not None:
            start = data.rfind(b"\n", 0, bad) + 1
            column = len(data[max(start, skip) : bad].decode("utf-8", "replace")) + 1
        what = "UTF-8" if codec == "utf-8" else codec.upper()
        pointer = pointer_at(data[skip:bad].decode(codec, "replace"))
        raise InputError(
            f"invalid {what} at byte {bad}", line=line or 1, column=column or 1, pointer=pointer
        ) from None


def parse_json(data: bytes) -> JsonDocument:
    """Parse untrusted bytes into a :class:`JsonDocument` or raise :class:`InputError`."""
    return _read(decode_json_bytes(data))


def loads_text(text: str) -> JsonDocument:
    """Parse an already decoded document (tests, embedded JSON); a leading BOM is dropped."""
    return _read(text[1:] if text.startswith("\ufeff") else text)


def _read(text: str) -> JsonDocument:
    surrogates = ESCAPED_SURROGATE.search(text) is not None
    if not surrogates:
        try:
            value = _DECODER.decode(text)
        except (ValueError, RecursionError):
            pass  # the strict parser says what is wrong, and where
        else:
            if _within_depth(value):
                return JsonDocument(value, text, _WS.match(text).end())  # type: ignore[union-attr]
    value, root = StrictParser(text).parse()
    return JsonDocument(value, text, root, surrogates=surrogates)


def _within_depth(value: Any) -> bool:
    """No container of ``value`` is nested deeper than :data:`MAX_DEPTH`."""
    if not isinstance(value, (dict, list)):
        return True
    todo: list[tuple[Any, int]] = [(value, 1)]
    pop, push = todo.pop, todo.append
    while todo:
        container, depth = pop()
        if depth > MAX_DEPTH:
            return False
        for item in container.values() if type(container) is dict else container:
            if type(item) is dict or type(item) is list:
                push((item, depth + 1))
    return True
