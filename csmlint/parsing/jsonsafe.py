"""The one hardened JSON entry point.

Bytes in (UTF-8 with or without BOM; UTF-16/UTF-32 with BOM). A small recursive-descent
parser that records where every value starts, using the C ``scanstring`` of the standard
library for strings. It rejects what ``json.loads`` silently accepts or crashes on:

* invalid UTF-8 ("invalid UTF-8 at byte N");
* duplicate object keys (naming the key and both positions);
* ``NaN``, ``Infinity``, ``-Infinity`` and numbers that overflow to infinity (``1e999999``);
* integers longer than :data:`MAX_INT_DIGITS` digits (Python raises ``ValueError``);
* nesting deeper than :data:`MAX_DEPTH` (no ``RecursionError``);
* raw control characters in strings.

Lone surrogates (``"\\ud800"``) are replaced with U+FFFD so any later output stays valid
UTF-8. Escaped control characters (``\\u001b``) are kept: output escaping is the reporters'
job. Every error is an :class:`InputError` with line, column and the JSON pointer of the
value being read. Linear time: no slicing of the text per token, one pass.
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
"""Python's own ``int()`` limit (``sys.get_int_max_str_digits``)."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_WS_CHARS = " \t\n\r"
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_NOT_FINITE = frozenset({"NaN", "Infinity"})
_SHOW = 60
_scanstring: Callable[[str, int, bool], tuple[str, int]] = _decoder.scanstring  # type: ignore[attr-defined]

Positions = dict[str, int] | list[int]


def show_key(key: str) -> str:
    """A key for an error message: truncated, with control/format characters escaped."""
    short = key if len(key) <= _SHOW else key[:_SHOW] + "..."
    return repr(short) if short.isprintable() else ascii(short)


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def split_pointer(pointer: str) -> list[str]:
    """The unescaped reference tokens of an RFC 6901 pointer (``""`` is the root)."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


class JsonDocument:
    """A parsed JSON document that knows where each of its values starts."""

    def __init__(self, value: Any, text: str, root: int, positions: dict[int, Positions]):
        self.value = value
        self._text = text
        self._root = root
        self._positions = positions
        self._lines = LineIndex(text)
        self._cache: dict[str, tuple[Any, int, bool]] = {}

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the column counts characters."""
        return self._lines.line_column(offset)

    def offset(self, pointer: str) -> int:
        """Offset of the value at ``pointer``, or of its deepest existing ancestor."""
        return self._resolve(pointer)[1]

    def _resolve(self, pointer: str) -> tuple[Any, int, bool]:
        """(value, offset, found) at ``pointer``; containers are cached by pointer, so
        looking up the members of one object one after another costs one step each."""
        if not pointer:
            return self.value, self._root, True
        hit = self._cache.get(pointer)
        if hit is not None:
            return hit
        parent, _, token = pointer.rpartition("/")
        node, where, found = self._resolve(parent)
        if found:
            token = token.replace("~1", "/").replace("~0", "~")
            table = self._positions.get(id(node))
            if isinstance(node, dict) and isinstance(table, dict) and token in table:
                node, where = node[token], table[token]
            elif (
                isinstance(node, list)
                and isinstance(table, list)
                and token.isdigit()
                and int(token) < len(node)
            ):
                node, where = node[int(token)], table[int(token)]
            else:
                found = False
        result = (node, where, found)
        if found and isinstance(node, (dict, list)):
            self._cache[pointer] = result
        return result

    def position(self, pointer: str) -> tuple[int, int]:
        """(line, column) of the value at ``pointer`` (or its deepest existing ancestor)."""
        return self.line_column(self.offset(pointer))

    @property
    def lines(self) -> LineIndex:
        """The document's line index (offset -> line, column)."""
        return self._lines

    def member_offsets(self, container: Any) -> dict[str, int] | None:
        """Member name -> offset of its value, for ``container`` (an object of this
        document), without resolving a pointer from the root; ``None`` when it is not one."""
        table = self._positions.get(id(container))
        return table if isinstance(table, dict) else None


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
        pointer = _pointer_at(data[skip:bad].decode(codec, "replace"))
        raise InputError(
            f"invalid {what} at byte {bad}", line=line or 1, column=column or 1, pointer=pointer
        ) from None


def _pointer_at(prefix: str) -> str | None:
    """The pointer of the value being read where ``prefix`` ends (the document is cut
    there, so parsing it fails inside that value)."""
    try:
        _Parser(prefix).parse()
    except InputError as exc:
        return exc.pointer
    return None


def parse_json(data: bytes) -> JsonDocument:
    """Parse untrusted bytes into a :class:`JsonDocument` or raise :class:`InputError`."""
    text = decode_json_bytes(data)
    return _Parser(text).parse()


def loads_text(text: str) -> JsonDocument:
    """Parse an already decoded document (tests, embedded JSON); a leading BOM is dropped."""
    return _Parser(text[1:] if text.startswith("\ufeff") else text).parse()


class _Parser:
    """Recursive descent over the decoded text; depth is capped before recursing."""

    def __init__(self, text: str):
        self.text = text
        self.positions: dict[int, Positions] = {}
        self.path: list[str] = []
        self.surrogates = _ESCAPED_SURROGATE.search(text) is not None
        self._doc = JsonDocument(None, text, 0, self.positions)

    def parse(self) -> JsonDocument:
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
        self._doc.value = value
        self._doc._root = root
        return self._doc

    def pointer(self) -> str:
        return "".join("/" + escape_pointer_token(p) for p in self.path)

    def fail(self, reason: str, pos: int) -> NoReturn:
        line, column = self._doc.line_column(min(pos, len(self.text)))
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
        value, end = _scanstring(self.text, pos + 1, True)
        if self.surrogates and _SURROGATE.search(value):
            value = _SURROGATE.sub("\ufffd", value)
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
        table: dict[str, int] = {}
        self.positions[id(obj)] = table
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
        first = self._doc.line_column(self._key_start(first_value_at))
        line, column = self._doc.line_column(key_at)
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
        table: list[int] = []
        self.positions[id(arr)] = table
        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == "]":
            return arr, pos + 1
        while True:
            path.append(str(len(arr)))
            table.append(pos)
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
