"""A fast yes/no check of a document against one of csmlint's own JSON Schemas.

jsonschema takes about 2 s per megabyte of topology (every ``$ref`` is resolved again for
every value) and 100 ms to import. Valid documents are the common case, so the schema is
compiled once into plain closures that only answer "valid or not"; when the answer is "not",
jsonschema runs to find and word the violation. The compiler accepts only the keywords it
implements (a schema using another one is a programming error, raised at compile time), so
the quick check is never more lenient than the schema: ``tests/test_schemacheck.py``
compares both on every fixture and on mutated documents.

Implemented (draft 2020-12 semantics): ``type`` (one or a list), ``const``, ``enum``,
``properties``, ``patternProperties``, ``additionalProperties`` (bool or schema),
``required``, ``minProperties``, ``items``, ``minItems``, ``uniqueItems``, ``minLength``,
``maxLength``, ``pattern`` (searched), ``minimum``, ``maximum``, ``$ref`` (local
``#/$defs/...``), ``oneOf``, ``anyOf``, ``allOf``, ``not``, ``if``/``then``/``else``; and
the annotations ``$schema``, ``$id``, ``$defs``, ``title``, ``description``, ``examples``,
``default``, ``format``, ``$comment``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "examples", "default", "format", "$comment"}
)


class SchemaError(ValueError):
    """The schema uses a keyword the quick check does not implement."""


def _is_type(name: str) -> Check:
    if name == "object":
        return lambda v: isinstance(v, dict)
    if name == "array":
        return lambda v: isinstance(v, list)
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "null":
        return lambda v: v is None
    if name == "integer":
        return lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        )
    if name == "number":
        return lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    raise SchemaError(f"unknown type {name!r}")


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and isinstance(a, int | float) == isinstance(b, int | float)


def _any(checks: list[Check]) -> Check:
    # one or two alternatives (most ``type`` lists, ``x or null``) without a generator
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) or second(v)
    return lambda v: any(f(v) for f in checks)


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    return lambda v: all(f(v) for f in checks)


def _one(checks: list[Check]) -> Check:
    return lambda v: sum(1 for f in checks if f(v)) == 1


def _not(check: Check) -> Check:
    return lambda v: not check(v)


def _if(cond: Check, then: Check, other: Check) -> Check:
    return lambda v: then(v) if cond(v) else other(v)


def _const(expected: Any) -> Check:
    return lambda v: _equal(v, expected)


def _each(item: Check) -> Check:
    return lambda v: not isinstance(v, list) or all(item(x) for x in v)


def _when(kind: type, check: Check) -> Check:
    """``check`` applies to values of ``kind`` only (JSON Schema keywords ignore the rest)."""
    return lambda v: not isinstance(v, kind) or check(v)


def _at_least(n: int) -> Check:
    return lambda v: len(v) >= n


def _at_most(n: int) -> Check:
    return lambda v: len(v) <= n


def _searched(rx: re.Pattern[str]) -> Check:
    return lambda v: rx.search(v) is not None


def _bound(number: Check, limit: float, sign: int) -> Check:
    """``minimum`` (sign 1) or ``maximum`` (sign -1) of numbers."""
    return lambda v: not number(v) or (v - limit) * sign >= 0


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        if target in self.refs:
            return self.refs[target]
        if not target.startswith("#/$defs/"):
            raise SchemaError(f"only local $defs references are supported: {target!r}")
        slot: list[Check] = []
        self.refs[target] = lambda v: slot[0](v)  # recursive schemas resolve lazily
        definition = self.root["$defs"][target[len("#/$defs/") :]]
        slot.append(self.compile(definition))
        return self.refs[target]

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise SchemaError(f"a schema must be an object or a boolean, not {schema!r}")
        unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
        if unknown:
            raise SchemaError(f"unsupported keyword(s) {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            tests = [_is_type(n) for n in names]
            checks.append(_any(tests))
        if "const" in schema:
            checks.append(_const(schema["const"]))
        if "enum" in schema:
            values = schema["enum"]
            if values and all(isinstance(x, str) for x in values):
                strings = frozenset(values)  # strings equal only strings: a set lookup
                checks.append(lambda v: isinstance(v, str) and v in strings)
            else:
                checks.append(_any([_const(x) for x in values]))
        checks += self._object(schema)
        checks += self._array(schema)
        checks += self._scalar(schema)
        for key in ("allOf", "anyOf", "oneOf"):
            if key in schema:
                parts = [self.compile(s) for s in schema[key]]
                checks.append({"allOf": _all, "anyOf": _any, "oneOf": _one}[key](parts))
        if "not" in schema:
            inner = self.compile(schema["not"])
            checks.append(_not(inner))
        if "if" in schema:
            cond = self.compile(schema["if"])
            then = self.compile(schema.get("then", True))
            other = self.compile(schema.get("else", True))
            checks.append(_if(cond, then, other))
        if not checks:
            return lambda v: True
        return _all(checks)

    def _object(self, schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        props = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        patterns = [
            (re.compile(p), self.compile(s)) for p, s in schema.get("patternProperties", {}).items()
        ]
        extra = schema.get("additionalProperties", True)
        extra_check = self.compile(extra)
        required = tuple(schema.get("required", ()))
        min_props = schema.get("minProperties")
        if not (props or patterns or extra is not True or required or min_props):
            return out

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            if any(k not in v for k in required):
                return False
            if min_props is not None and len(v) < min_props:
                return False
            for key, value in v.items():
                matched = False
                sub = props.get(key)
                if sub is not None:
                    matched = True
                    if not sub(value):
                        return False
                for pattern, pattern_check in patterns:
                    if pattern.search(key):
                        matched = True
                        if not pattern_check(value):
                            return False
                if not matched and not extra_check(value):
                    return False
            return True

        out.append(check)
        return out

    def _array(self, schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "items" in schema:
            item = self.compile(schema["items"])
            out.append(_each(item))
        if "minItems" in schema:
            out.append(_when(list, _at_least(schema["minItems"])))
        if schema.get("uniqueItems"):
            out.append(
                lambda v: (
                    not isinstance(v, list)
                    or all(not _equal(a, b) for i, a in enumerate(v) for b in v[i + 1 :])
                )
            )
        return out

    def _scalar(self, schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "minLength" in schema:
            out.append(_when(str, _at_least(schema["minLength"])))
        if "maxLength" in schema:
            out.append(_when(str, _at_most(schema["maxLength"])))
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            out.append(_when(str, _searched(rx)))
        number = _is_type("number")
        if "minimum" in schema:
            out.append(_bound(number, schema["minimum"], 1))
        if "maximum" in schema:
            out.append(_bound(number, schema["maximum"], -1))
        return out


_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "const",
        "enum",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "items",
        "minItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "if",
        "then",
        "else",
    }
)


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function telling whether a document is valid against ``schema``."""
    return _Compiler(schema).compile(schema)
