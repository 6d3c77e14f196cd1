"""The strict JSON parser behind :mod:`csmlint.parsing.jsonsafe`: exact errors.

A small recursive-descent parser over decoded text, using the C ``scanstring`` of the
standard library for strings. :func:`csmlint.parsing.jsonsafe.parse_json` reads a document
with the C decoder first and comes here only when that refuses it (any error, an escaped
lone surrogate): this parser then gives the error json.loads would not (or would give
without the JSON pointer of the value being read) and the value json.loads would get wrong:

* duplicate object keys (naming the key and both positions);
* ``NaN``, ``Infinity``, ``-Infinity`` and numbers that overflow to infinity (``1e999999``);
* integers longer than :data:`MAX_INT_DIGITS` digits;
* nesting deeper than :data:`MAX_DEPTH` (no ``RecursionError``);
* raw control characters in strings;
* lone surrogates (``"\\ud800"``), replaced with U+FFFD so later output stays valid UTF-8.

Every error is an :class:`InputError` with line, column and the JSON pointer of the value
being read. Linear time: no slicing of the text per token, one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from json import decoder as _decoder
from typing import Any, NoReturn

from csmlint.errors import InputError
from csmlint.parsing.textpos import LineIndex

MAX_DEPTH = 64
MAX_INT_DIGITS = 4300
"""Python's own default ``int()`` limit (``sys.get_int_max_str_digits``)."""

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
SURROGATE = re.compile("[\ud800-\udfff]")
ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_WS_CHARS = " \t\n\r"
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_NOT_FINITE = frozenset({"NaN", "Infinity"})
_SHOW = 60
scanstring: Callable[[str, int, bool], tuple[str, int]] = _decoder.scanstring  # type: ignore[attr-defined]


def show_key(key: str) -> str:
    """A key for an error message: truncated, with control/format characters escaped."""
    short = key if len(key) <= _SHOW else key[:_SHOW] + "..."
    return repr(short) if short.isprintable() else ascii(short)


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """The reference token as a key (RFC 6901: ``~1`` is ``/``, ``~0`` is ``~``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_at(prefix: str) -> str | None:
    """The pointer of the value being read where ``prefix`` ends (the document is cut
    there, so parsing it fails inside that value)."""
    try:
        StrictParser(prefix).parse()
    except InputError as exc:
        return exc.pointer
    return None


class StrictParser:
    """Recursive descent over the decoded text; depth is capped before recursing."""

    def __init__(self, text: str):
        self.text = text
        self.path: list[str] = []
        self.surrogates = ESCAPED_SURROGATE.search(text) is not None
        self.lines = LineIndex(text)

    def parse(self) -> tuple[Any, int]:
        """(value, offset of the root value)."""
        text = self.text
        pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
        if pos >= len(text):
            raise InputError("document is empty", line=1, column=1, pointer="")
        root = pos
        try:
            value, pos = self.value(pos, 0)
        except ValueError as exc:  # JSONDecodeError from scanstring
            self.fail(_string_problem(str(getattr(exc, "msg", exc))), getattr(exc, "pos", pos))
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos < len(text):
            self.fail("extra data after the JSON document", pos)
        return value, root

    def pointer(self) -> str:
        return "".join("/" + escape_pointer_token(p) for p in self.path)

    def fail(self, reason: str, pos: int) -> NoReturn:
        line, column = self.lines.line_column(min(pos, len(self.text)))
        raise InputError(reason, line=line, column=column, pointer=self.pointer())

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        c = self.text[pos : pos + 1]
        if c == '"':
            return self.string(pos)
        if c == "{":
            return self.object(pos, depth + 1)
        if c == "[":
            return self.array(pos, depth + 1)
        return self.scalar(pos, c)

    def string(self, pos: int) -> tuple[str, int]:
        value, end = scanstring(self.text, pos + 1, True)
        if self.surrogates and SURROGATE.search(value):
            value = SURROGATE.sub("\ufffd", value)
        return value, end

    def scalar(self, pos: int, c: str) -> tuple[Any, int]:
        text = self.text
        if c == "-" or "0" <= c <= "9":
            return self.number(pos)
        m = _NAMES.match(text, pos)
        if m is not None:
            word = m.group()
            if word in _LITERALS:
                return _LITERALS[word], m.end()
            if word in _NOT_FINITE:
                self.fail(f"{word} is not valid JSON (numbers must be finite)", pos)
            self.fail(f"unexpected {show_key(word)} (not a JSON value)", pos)
        if not c:
            self.fail("unexpected end of document", pos)
        self.fail(f"unexpected character {show_key(c)}", pos)

    def number(self, pos: int) -> tuple[int | float, int]:
        m = _NUMBER.match(self.text, pos)
        if m is None:
            if self.text.startswith("-Infinity", pos):
                self.fail("-Infinity is not valid JSON (numbers must be finite)", pos)
            self.fail("invalid number", pos)
        integer, frac, exp = m.groups()
        if frac is None and exp is None:
            if len(integer.lstrip("-")) > MAX_INT_DIGITS:
                self.fail(f"integer with more than {MAX_INT_DIGITS} digits", pos)
            return int(integer), m.end()
        value = float(m.group())
        if not math.isfinite(value):
            self.fail("number out of range (not finite)", pos)
        return value, m.end()

    def object(self, pos: int, depth: int) -> tuple[dict[str, Any], int]:
        if depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH} levels", pos)
        text, ws, path, string = self.text, _WS.match, self.path, self.string
        obj: dict[str, Any] = {}
        table: dict[str, int] = {}  # key -> offset of its value (duplicate-key errors)
        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == "}":
            return obj, pos + 1
        while True:
            if text[pos : pos + 1] != '"':
                reason = "expected a string key in double quotes"
                self.fail(reason if pos < len(text) else "unexpected end of document", pos)
            key_at = pos
            key, pos = string(pos)
            if key in table:
                self._duplicate(key, key_at, table[key])
            c = text[pos : pos + 1]
            if c in _WS_CHARS:
                pos = ws(text, pos).end()  # type: ignore[union-attr]
                c = text[pos : pos + 1]
            if c != ":":
                self.fail("expected ':' after an object key", pos)
            pos += 1
            c = text[pos : pos + 1]
            if c in _WS_CHARS:
                pos = ws(text, pos).end()  # type: ignore[union-attr]
                c = text[pos : pos + 1]
            table[key] = pos
            path.append(key)
            if c == '"':
                obj[key], pos = string(pos)
            elif c == "{":
                obj[key], pos = self.object(pos, depth + 1)
            elif c == "[":
                obj[key], pos = self.array(pos, depth + 1)
            else:
                obj[key], pos = self.scalar(pos, c)
            path.pop()
            done, pos = self.after_item(pos, "}")
            if done:
                return obj, pos

    def _duplicate(self, key: str, key_at: int, first_value_at: int) -> NoReturn:
        first = self.lines.line_column(self._key_start(first_value_at))
        line, column = self.lines.line_column(key_at)
        self.path.append(key)
        self.fail(
            f"duplicate key {show_key(key)} at line {line}, column {column} "
            f"(first at line {first[0]}, column {first[1]})",
            key_at,
        )

    def _key_start(self, value_at: int) -> int:
        """Offset of the key whose value starts at ``value_at`` (for duplicate-key errors)."""
        text = self.text
        i = text.rfind('"', 0, text.rfind(":", 0, value_at))
        while True:
            i = text.rfind('"', 0, i)
            if i <= 0:
                return max(i, 0)
            escapes = 0
            while text[i - 1 - escapes] == "\\":
                escapes += 1
            if escapes % 2 == 0:
                return i

    def after_item(self, pos: int, closer: str) -> tuple[bool, int]:
        """After a member or element: skip a ',' (more follow) or the ``closer`` (done)."""
        text = self.text
        c = text[pos : pos + 1]
        if c in _WS_CHARS:
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            c = text[pos : pos + 1]
        if c == ",":
            pos += 1
            if text[pos : pos + 1] in _WS_CHARS:
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            return False, pos
        if c != closer:
            self.fail(f"expected ',' or '{closer}'" if c else "unexpected end of document", pos)
        return True, pos + 1

    def array(self, pos: int, depth: int) -> tuple[list[Any], int]:
        if depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH} levels", pos)
        text, ws, path, value = self.text, _WS.match, self.path, self.value
        arr: list[Any] = []
        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == "]":
            return arr, pos + 1
        while True:
            path.append(str(len(arr)))
            item, pos = value(pos, depth)
            arr.append(item)
            path.pop()
            done, pos = self.after_item(pos, "]")
            if done:
                return arr, pos


def _string_problem(message: str) -> str:
    if message.startswith("Invalid control character"):
        return "raw control character in a string (escape it as \\u00XX)"
    if message.startswith("Unterminated"):
        return "unterminated string"
    return message[:1].lower() + message[1:]
