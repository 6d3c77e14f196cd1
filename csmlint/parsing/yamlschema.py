"""Validate YAML data (rule packs, the configuration) against a shipped JSON Schema, with
file:line errors. Topology documents have their own messages, keyed by JSON pointer
(:mod:`csmlint.loaders.topology.schema`)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from csmlint.errors import RulePackError
from csmlint.parsing.yamlsafe import line_of


@cache
def _validator(schema_file: str, definition: str | None) -> Any:
    import jsonschema  # lazy: ~100 ms, only when something is validated

    schema = json.loads(
        resources.files("csmlint.schemas").joinpath(schema_file).read_text(encoding="utf-8")
    )
    root = dict(schema)
    if definition is not None:
        root.pop("oneOf", None)
        root["$ref"] = f"#/$defs/{definition}"
    return jsonschema.Draft202012Validator(root)


def first_violation(
    data: Any, schema_file: str, definition: str | None = None
) -> tuple[int | None, str, str] | None:
    """(line, dotted path, message) of the most relevant violation of ``schema_file`` (or of
    its ``$defs/definition``), or ``None`` when ``data`` is valid."""
    validator = _validator(schema_file, definition)
    errors = sorted(validator.iter_errors(data), key=lambda e: (-len(e.absolute_path), e.path))
    if not errors:
        return None
    error = _best(errors)
    line, where = _locate(data, list(error.absolute_path))
    message = _describe(error)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        # Point at the unknown key itself, not at the mapping that holds it.
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        line = (line_of(error.instance, extra[0]) if extra else None) or line
    return line, where, message


def validate(data: Any, definition: str, *, path: str, rule_id: str | None = None) -> None:
    """Raise :class:`RulePackError` for the first (deepest) rule-pack schema violation."""
    found = first_violation(data, "rulepack.schema.json", definition)
    if found is not None:
        line, where, message = found
        raise RulePackError(
            f"{where}: {message}" if where else message, path=path, line=line, rule_id=rule_id
        )


def _best(errors: list[Any]) -> Any:
    import jsonschema.exceptions

    return jsonschema.exceptions.best_match(errors) or errors[0]


def _locate(data: Any, parts: list[Any]) -> tuple[int | None, str]:
    node = data
    line = line_of(node)
    for part in parts:
        line = line_of(node, part) or line
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in parts).replace(".[", "[")
    return line, where


def _describe(error: Any) -> str:
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        if not extra:
            return str(error.message)
        return f"unknown key {extra[0]!r}{_did_you_mean(str(extra[0]), known)}"
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"{error.instance!r} is not one of {allowed}"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value}"
    return str(error.message)


def _did_you_mean(key: str, known: list[str]) -> str:
    """``; did you mean 'failOn'?`` for ``fail_on``, ``fail-on`` or ``failon``: a close known
    key, compared without case, ``_`` and ``-``."""
    import difflib

    def fold(name: str) -> str:
        return name.replace("_", "").replace("-", "").lower()

    folded = {fold(k): k for k in known}
    if fold(key) in folded:
        return f"; did you mean {folded[fold(key)]!r}?"
    close = difflib.get_close_matches(fold(key), list(folded), 1, 0.8)
    return f"; did you mean {folded[close[0]]!r}?" if close else ""
