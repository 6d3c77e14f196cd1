"""Validating a topology document against ``schemas/topology.schema.json``.

Valid documents (the common case) are answered by the compiled quick check of
:mod:`csmlint.parsing.schemacheck` (0.3 s instead of jsonschema's 3.2 s for a 5 MB document,
and no 100 ms import). Only when it says "invalid" is jsonschema imported (its validator
compiled once per process) to find and word the violation: the most specific one (the
deepest in the document; the first in document order among equals) becomes one
:class:`InputError` with the line and JSON pointer of the offending value.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

from csmlint.errors import InputError
from csmlint.loaders.topology.fields import Locate
from csmlint.parsing.jsonsafe import escape_pointer_token, show_key
from csmlint.parsing.schemacheck import Check, compile_schema

SCHEMA_ID = "csmlint.topology/v1"
MAX_ERRORS = 200
"""Violations looked at to pick the most specific one (a broken 5 MB document has many)."""


def schema_document() -> dict[str, Any]:
    """The published topology schema."""
    text = resources.files("csmlint.schemas").joinpath("topology.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _quick_check() -> Check:
    return compile_schema(schema_document())


@cache
def _validator() -> Any:
    import jsonschema  # lazy: only runs that read a topology pay for it

    return jsonschema.Draft202012Validator(schema_document())


UNKNOWN_KEY = "unknown key"


def check_document(document: Any, locate: Locate) -> None:
    """Raise :class:`InputError` unless ``document`` is a valid ``csmlint.topology/v1``."""
    if not isinstance(document, dict):
        ref = locate("")
        what = type(document).__name__ if document is not None else "null"
        what = {"list": "an array", "str": "a string", "dict": "an object"}.get(what, what)
        raise InputError(
            f"topology must be an object, not {what}", line=ref.line, column=ref.column, pointer=""
        )
    marker = document.get("schema")
    if marker != SCHEMA_ID:
        pointer = "/schema" if "schema" in document else ""
        ref = locate(pointer)
        found = f"schema is {show_key(marker)}" if isinstance(marker, str) else "no schema key"
        raise InputError(
            f'not a topology document ({found}; expected "schema": "{SCHEMA_ID}")',
            line=ref.line,
            column=ref.column,
            pointer=pointer,
        )
    if _quick_check()(document):
        return
    errors = list(itertools.islice(_validator().iter_errors(document), MAX_ERRORS))
    if not errors:
        return
    ranked = []
    for error in errors:
        pointer, message = describe(error)
        at_key = getattr(locate, "key", None) if message.startswith(UNKNOWN_KEY) else None
        ref = (at_key or locate)(pointer)  # an unknown key: where its name is
        ranked.append((-pointer.count("/"), ref.line or 0, ref.column or 0, pointer, message))
    _, line, column, pointer, message = min(ranked)
    raise InputError(message, line=line or None, column=column or None, pointer=pointer)


def _pointer(parts: Any) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in parts)


def describe(error: Any) -> tuple[str, str]:
    """(JSON pointer of the offending value, one-line message) of a schema violation."""
    where = _pointer(error.absolute_path)
    shown = where or "the document"
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = set(schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known and not k.startswith("x-"))
        if extra:
            import difflib  # only for a document with an unknown key

            allowed = ", ".join(sorted(known - {"source"}))
            close = difflib.get_close_matches(extra[0], sorted(known), n=1, cutoff=0.6)
            guess = f"; did you mean {close[0]!r}?" if close else ""
            return (
                f"{where}/{escape_pointer_token(extra[0])}",
                f"{UNKNOWN_KEY} {show_key(extra[0])} in {shown}{guess} (known: {allowed}; "
                "prefix your own keys with 'x-')",
            )
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        return where, f"{shown}: required key {missing!r} is missing"
    if kind == "pattern" and "examples" in schema:
        values = ", ".join(repr(v) for v in schema["examples"] if v)
        empty = ' or ""' if "" in schema["examples"] else ""
        return (
            where,
            f"{shown}: {show_key(str(error.instance))} is not one of {values}{empty} (any case)",
        )
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        want = " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        return where, f"{shown}: expected {want}, found {_json_type(error.instance)}"
    if kind == "minLength" and error.instance == "":
        return where, f"{shown}: must not be empty"
    if kind in ("minimum", "maximum"):
        return where, f"{shown}: {error.instance} is out of range ({kind} {error.validator_value})"
    return where, f"{shown}: {str(error.message)[:200]}"


_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true/false",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
