"""The hardened JSON entry point: values, positions, and every hazard of reliability.md §3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csmlint.errors import InputError
from csmlint.parsing.jsonsafe import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    decode_json_bytes,
    loads_text,
    parse_json,
    split_pointer,
)
from csmlint.parsing.jsonstrict import StrictParser


def _error(data: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        parse_json(data)
    return info.value


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": [true, false, null], "c": {"d": -1.5e3, "e": "x\\"y\\u00e9"}}',
        "[]",
        "{}",
        '"just a string"',
        "0",
        "-0.0",
        '[1, [2, [3, [4]]], {"k": []}]',
        ' \t\r\n{"spaces"  :  [ 1 ,2 ]  } \n',
        '{"": 1, "a/b": 2, "m~n": 3}',
        '"\\ud83d\\ude00 astral"',
    ],
)
def test_values_equal_json_loads(text: str) -> None:
    assert parse_json(text.encode()).value == json.loads(text)


def test_positions_of_every_value_are_line_and_column() -> None:
    text = '{\n  "a": 1,\n  "list": [\n    "x",\n    {"deep": true}\n  ],\n  "a/b": null\n}\n'
    doc = parse_json(text.encode())
    assert doc.position("") == (1, 1)
    assert doc.position("/a") == (2, 8)
    assert doc.position("/list") == (3, 11)
    assert doc.position("/list/0") == (4, 5)
    assert doc.position("/list/1/deep") == (5, 14)
    assert doc.position("/a~1b") == (7, 10)
    # a pointer that does not resolve gives its deepest existing ancestor
    assert doc.position("/list/1/missing") == doc.position("/list/1")
    assert doc.position("/list/7") == doc.position("/list")


def test_columns_count_characters_not_bytes() -> None:
    doc = parse_json('{"ü": "ß", "k": 1}'.encode())
    assert doc.position("/k") == (1, 17)


def test_split_pointer_unescapes_tokens() -> None:
    assert split_pointer("") == []
    assert split_pointer("/a~1b/m~0n/0") == ["a/b", "m~n", "0"]


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),
        ('{"a": "Gr\u00f6\u00dfe"}'.encode("utf-16-le").join([b"\xff\xfe", b""]), {"a": "Größe"}),
        (b"\xfe\xff" + '{"a": 2}'.encode("utf-16-be"), {"a": 2}),
        (b"\xff\xfe\x00\x00" + '{"a": 3}'.encode("utf-32-le"), {"a": 3}),
    ],
)
def test_byte_order_marks(data: bytes, value: object) -> None:
    assert parse_json(data).value == value


def test_utf16_without_bom_is_explained() -> None:
    err = _error('{"a": 1}'.encode("utf-16-le"))
    assert "without a byte order mark" in err.reason
    assert (err.line, err.column) == (1, 1)


def test_invalid_utf8_names_the_byte_the_line_and_the_value() -> None:
    err = _error(b'{\n  "roles": {"Web\xff\xfeRole": {}}}\n')
    assert err.reason == "invalid UTF-8 at byte 18"
    assert (err.line, err.column) == (2, 17)
    assert err.pointer == "/roles"


def test_duplicate_keys_name_the_key_and_both_positions() -> None:
    err = _error(b'{"roles": {"WebRole1": {"n": 2},\n "WebRole1": {"n": 0}}}')
    assert "duplicate key 'WebRole1' at line 2, column 2" in err.reason
    assert "(first at line 1, column 12)" in err.reason
    assert (err.line, err.column, err.pointer) == (2, 2, "/roles/WebRole1")


def test_duplicate_keys_with_escaped_quotes() -> None:
    err = _error(b'{"a\\"b": 1, "x": 2, "a\\"b": 3}')
    assert "first at line 1, column 2" in err.reason
    assert err.pointer == '/a"b'


@pytest.mark.parametrize(
    ("text", "reason", "pointer"),
    [
        ('{"a": NaN}', "NaN is not valid JSON", "/a"),
        ('{"a": [Infinity]}', "Infinity is not valid JSON", "/a/0"),
        ('{"a": -Infinity}', "-Infinity is not valid JSON", "/a"),
        ('{"a": 1e999999}', "not finite", "/a"),
        ('{"a": -1e400}', "not finite", "/a"),
    ],
)
def test_non_finite_numbers_are_rejected(text: str, reason: str, pointer: str) -> None:
    err = _error(text.encode())
    assert reason in err.reason
    assert err.pointer == pointer


def test_integer_digit_limit() -> None:
    ok = "9" * MAX_INT_DIGITS
    assert parse_json(f'{{"n": {ok}}}'.encode()).value["n"] == int(ok)
    err = _error(f'{{"n": -{"9" * (MAX_INT_DIGITS + 1)}}}'.encode())
    assert f"more than {MAX_INT_DIGITS} digits" in err.reason
    assert (err.line, err.column, err.pointer) == (1, 7, "/n")


def test_nesting_limit() -> None:
    fine = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_json(fine.encode()).value is not None
    err = _error(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode())
    assert f"deeper than {MAX_DEPTH}" in err.reason
    assert (err.line, err.column) == (1, MAX_DEPTH + 1)
    err = _error(('{"a":' * 100 + "1" + "}" * 100).encode())
    assert f"deeper than {MAX_DEPTH}" in err.reason
    assert err.pointer == "/a" * MAX_DEPTH


def test_raw_control_characters_are_rejected_escaped_ones_kept() -> None:
    err = _error(b'{"a": "x\x01y"}')
    assert "raw control character" in err.reason
    assert (err.line, err.column) == (1, 9)
    value = parse_json(b'{"a": "x\\u0000\\u001b[31m\\u0007"}').value
    assert value == {"a": "x\x00\x1b[31m\x07"}


def test_lone_surrogates_become_replacement_characters() -> None:
    value = parse_json(b'{"W\\ud800": ["\\udfff", "\\ud83d\\ude00"]}').value
    assert value == {"W\ufffd": ["\ufffd", "\U0001f600"]}
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # must not raise


@pytest.mark.parametrize(
    ("text", "reason", "where"),
    [
        ("", "document is empty", (1, 1)),
        (" \n\t ", "document is empty", (1, 1)),
        ('{"a": 2', "unexpected end of document", (1, 8)),
        ('{"a": "abc', "unterminated string", (1, 7)),
        ('{"a" 1}', "expected ':'", (1, 6)),
        ('{"a": 1,}', "expected a string key", (1, 9)),
        ("{'a': 1}", "expected a string key", (1, 2)),
        ("[1, 2,]", "unexpected character ']'", (1, 7)),
        ("[1 2]", "expected ',' or ']'", (1, 4)),
        ('{"a": 1} x', "extra data", (1, 10)),
        ('{"a": tru}', "unexpected 'tru'", (1, 7)),
        ('{"a": "\\x"}', "invalid \\escape", (1, 8)),
        ("[-]", "invalid number", (1, 2)),
        ("\n\n  [1,\n  @]", "unexpected character '@'", (4, 3)),
    ],
)
def test_syntax_errors_have_line_and_column(text: str, reason: str, where: tuple[int, int]) -> None:
    err = _error(text.encode())
    assert reason in err.reason
    assert (err.line, err.column) == where


def test_long_keys_are_truncated_in_messages() -> None:
    key = "R" * 200_000
    err = _error(f'{{"{key}": 1, "{key}": 2}}'.encode())
    assert len(err.reason) < 200


def test_loads_text_drops_a_bom() -> None:
    assert loads_text('\ufeff{"a": []}').value == {"a": []}


def test_generated_deep_nesting_is_rejected_quickly() -> None:
    data = ("[" * 100_000 + "]" * 100_000).encode()  # as make_large.py writes it
    start = time.perf_counter()
    err = _error(data)
    assert time.perf_counter() - start < 0.5
    assert "deeper than" in err.reason


def test_long_line_is_linear() -> None:
    data = ('{"roles": {"' + "R" * 200_000 + '": {}}}\n').encode()  # as make_large.py
    start = time.perf_counter()
    doc = parse_json(data)
    assert doc.position("/roles/" + "R" * 200_000) == (1, 200_016)
    assert time.perf_counter() - start < 0.5


def test_one_megabyte_document_parses_to_the_same_value() -> None:
    """Speed is the benchmark's (benchmarks/run.py: the 5 MB topology against json.loads),
    never a timed assertion here: a busy machine made this one flaky."""
    service = {
        "name": "svc",
        "location": "West Europe",
        "deployments": [
            {
                "slot": "production",
                "roles": [{"name": f"R{j}", "size": "Small", "instanceCount": j} for j in range(5)],
                "vips": [{"address": "1.2.3.4", "reserved": True, "endpointCount": 2}],
            }
        ],
    }
    doc = {"subscriptions": [{"cloudServices": [dict(service, name=f"s{i}") for i in range(2500)]}]}
    data = json.dumps(doc).encode()
    assert len(data) > 1_000_000
    parsed = parse_json(data)
    assert parsed.value == doc


# The C decoder reads documents first; the strict parser reads those it refuses. Positions
# are found on demand by matching brackets. These tests hold both paths to one answer.

TRICKY = (
    '{"a": "x]}{[\\"", "b\\\\": ["\\\\", "\\"]", {"c": []}, {}, [[], [{}]]],\n'
    '  "n": -1.5e-3, "t": true, "f": false, "z": null, "e": "",\n'
    '\t"u": "\\u00e9\\u2028 \\ud83d\\ude00", "k]": {"[": {"{": 0}},\r\n'
    ' "deep": [[[["x", {"y": [1, 2, {"z": "}"}]}]]]]  }\n'
)


def _pointers(value: object, base: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [(base, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            token = key.replace("~", "~0").replace("/", "~1")
            out += _pointers(item, f"{base}/{token}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _pointers(item, f"{base}/{i}")
    return out


def _replace_surrogates(value: object) -> object:
    if isinstance(value, str):
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        TRICKY.replace('"e": ""', '"e": "\\ud800"'),  # an escaped lone surrogate: strict path
        TRICKY.replace('"k]"', '"k\\udfff]"'),  # ... in a key
        '["only", "an", ["array"]]',
        '  {"x~y/z": {"~": [0, "/"]}}',
    ],
)
def test_every_value_starts_at_the_offset_found_for_its_pointer(text: str) -> None:
    doc = loads_text(text)
    raw = json.JSONDecoder()
    for pointer, value in _pointers(doc.value):
        at = doc.offset(pointer)
        found, _ = raw.raw_decode(text, at)
        found = _replace_surrogates(found)  # as the strict parser does
        assert found == value, pointer


def test_member_offsets_and_missing_members_fall_back_to_the_container() -> None:
    doc = loads_text(TRICKY)
    assert doc.member_offset("/k]", "[") == doc.offset("/k]/[")
    assert doc.member_offset("/k]", "nope") == doc.offset("/k]")
    assert doc.member_offset("/nope", "x") == doc.offset("")
    assert doc.offset("/b\\/²") == doc.offset("/b\\")  # not an index: no crash


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in (Path(__file__).parent.parent / "fixtures").rglob("*.json")
        if "hostile" in p.parts or "topology" in p.parts
    )[:80],
    ids=lambda p: p.name,
)
def test_the_fast_and_the_strict_reader_agree_on_every_fixture(path: Path) -> None:
    data = path.read_bytes()
    try:
        text = decode_json_bytes(data)
    except InputError:
        return  # decoding comes before either reader
    try:
        strict = StrictParser(text[1:] if text.startswith("\ufeff") else text).parse()[0]
    except InputError as exc:
        assert _error(data).reason == exc.reason
    else:
        assert parse_json(data).value == strict


def test_the_digit_limit_holds_when_python_lifts_its_own() -> None:
    code = (
        "from csmlint.parsing.jsonsafe import parse_json\n"
        "from csmlint.errors import InputError\n"
        "try:\n"
        f"    parse_json(b'[' + b'9' * {MAX_INT_DIGITS + 1} + b']')\n"
        "except InputError as exc:\n"
        "    print(exc.reason)\n"
    )
    env = {**os.environ, "PYTHONINTMAXSTRDIGITS": "0"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert f"more than {MAX_INT_DIGITS} digits" in out.stdout
