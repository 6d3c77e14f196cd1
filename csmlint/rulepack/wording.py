"""Rule conditions in words, for ``csmlint explain`` and the rule reference: users read
``gateways has an item where kind is 'vpn'``, not the condition's JSON."""

from __future__ import annotations

from typing import Any

_COMPARE = {
    "equals": "is",
    "notEquals": "is not",
    "in": "is one of",
    "notIn": "is none of",
    "match": "matches",
    "startsWith": "starts with",
    "endsWith": "ends with",
    "contains": "contains",
    "greater": "is more than",
    "greaterOrEquals": "is at least",
    "less": "is less than",
    "lessOrEquals": "is at most",
}
_COUNT = {
    "equals": "is",
    "notEquals": "is not",
    "greater": "is more than",
    "greaterOrEquals": "is at least",
    "less": "is less than",
    "lessOrEquals": "is at most",
}


def condition_words(spec: Any) -> str:
    """A condition (as written in a rule pack) as an English phrase."""
    return _words(spec, top=True)


def _words(spec: Any, top: bool = False) -> str:
    if not isinstance(spec, dict):
        return str(spec)
    if "allOf" in spec:
        return _join([_words(s) for s in spec["allOf"]], "and", top)
    if "anyOf" in spec:
        return _join([_words(s) for s in spec["anyOf"]], "or", top)
    if "not" in spec:
        return f"not ({_words(spec['not'], top=True)})"
    field = str(spec.get("field", "?"))
    text = _leaf(field, spec)
    unknown_as = spec.get("unknownAs")
    if isinstance(unknown_as, bool):
        # a condition that decides while its fact is unknown, in words that do not read as
        # "unknown is false" (the rule's own unknownAs, not the engine's default)
        text += " (or while unknown)" if unknown_as else " (once known)"
    return text


def _leaf(field: str, spec: dict[str, Any]) -> str:
    if "any" in spec:
        return f"{field} has an item where {_words(spec['any'], top=True)}"
    if "all" in spec:
        return f"every item of {field} has {_words(spec['all'], top=True)}"
    if "count" in spec:
        body = spec["count"] if isinstance(spec["count"], dict) else {}
        where = f" where {_words(body['where'], top=True)}" if "where" in body else ""
        tests = [f"{_COUNT.get(k, k)} {_value(v)}" for k, v in body.items() if k != "where"]
        return f"the number of {field}{where} {' and '.join(tests)}"
    if "exists" in spec:
        return f"{field} is {'set' if spec['exists'] else 'not set'}"
    if sorted(map(str, spec.get("in", ()))) == ["False", "True"]:
        return f"{field} is known"
    for op, phrase in _COMPARE.items():
        if op in spec:
            return f"{field} {phrase} {_value(spec[op])}"
    return field


def _value(value: Any) -> str:
    if isinstance(value, dict) and "field" in value:
        return f"the value of {value['field']}"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value.strip()}'"
    return str(value)


def _join(parts: list[str], word: str, top: bool) -> str:
    text = f" {word} ".join(parts)
    return text if top or len(parts) < 2 else f"({text})"
