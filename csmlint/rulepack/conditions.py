"""The condition language, compiled once into closures with three-valued logic.

A condition is a leaf ``{field: <path>, <operator>: <value>}``, a quantifier
``{field: <list>, any|all: <condition>}`` / ``{field: <list>, count: {where: <condition>,
<comparison>: <n>}}``, or a combinator ``allOf``/``anyOf``/``not``. Results are ``True``,
``False`` or ``None`` (unknown). A leaf reading an unknown fact is unknown unless it says
``unknownAs: true|false``. String comparisons ignore case unless ``caseSensitive: true``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from csmlint.model.base import Entity
from csmlint.model.facts import UNKNOWN
from csmlint.parsing.yamlsafe import line_of
from csmlint.rulepack.paths import CompiledPath, PathError, compile_path

Tri = bool | None
Unknowns = list[str] | None
Condition = Callable[[Any, Any, Unknowns], Tri]

COMPARISONS = (
    "equals",
    "notEquals",
    "in",
    "notIn",
    "match",
    "startsWith",
    "endsWith",
    "contains",
    "greater",
    "greaterOrEquals",
    "less",
    "lessOrEquals",
)
QUANTIFIERS = ("any", "all", "count")
OPERATORS = ("exists", *COMPARISONS)
LEAF_OPTIONS = ("field", "caseSensitive", "unknownAs")
_NUMERIC = ("greater", "greaterOrEquals", "less", "lessOrEquals")


class ConditionError(ValueError):
    """An invalid condition; ``line`` points into the rule file when known."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def compile_condition(
    spec: Any, scope: type[Entity], root: type[Entity] | None = None, *, checked: bool = False
) -> Condition:
    """``spec`` compiled for ``scope``. ``checked``: this code compiled it before (a rule from
    the prepared-pack cache), so a regular expression is compiled when first matched, not
    now (a one-service run matches few of them)."""
    return _Compiler(root or scope, checked).compile(spec, scope)


class _Compiler:
    def __init__(self, root: type[Entity], checked: bool = False):
        self.root = root
        self.checked = checked

    def compile(self, spec: Any, scope: type[Entity]) -> Condition:
        if not isinstance(spec, dict) or not spec:
            raise ConditionError("a condition must be a non-empty mapping", line_of(spec))
        keys = set(spec)
        for combinator in ("allOf", "anyOf", "not"):
            if combinator in keys:
                if len(keys) != 1:
                    extra = ", ".join(sorted(keys - {combinator}))
                    raise ConditionError(
                        f"'{combinator}' cannot be combined with {extra}", line_of(spec, combinator)
                    )
                return self._combinator(combinator, spec[combinator], scope, spec)
        if "field" not in keys:
            raise ConditionError(
                f"unknown condition keys {sorted(keys)}: expected field, allOf, anyOf or not",
                line_of(spec),
            )
        path = self._path(spec, scope)
        quantifiers = [k for k in QUANTIFIERS if k in keys]
        operators = [k for k in OPERATORS if k in keys]
        unknown = keys - set(QUANTIFIERS) - set(OPERATORS) - set(LEAF_OPTIONS)
        if unknown:
            raise ConditionError(
                f"unknown operator {sorted(unknown)[0]!r}", line_of(spec, sorted(unknown)[0])
            )
        if len(quantifiers) + len(operators) != 1:
            raise ConditionError("a leaf needs exactly one operator", line_of(spec))
        unknown_as = spec.get("unknownAs")
        if unknown_as is not None and not isinstance(unknown_as, bool):
            raise ConditionError("unknownAs must be true or false", line_of(spec, "unknownAs"))
        if quantifiers:
            return self._quantifier(quantifiers[0], spec, path, unknown_as)
        case = bool(spec.get("caseSensitive", False))
        return self._leaf(operators[0], spec, path, case, unknown_as, scope)

    def _path(self, spec: dict[str, Any], scope: type[Entity]) -> CompiledPath:
        text = spec["field"]
        if not isinstance(text, str):
            raise ConditionError("field must be a string path", line_of(spec, "field"))
        try:
            return compile_path(scope, self.root, text)
        except PathError as exc:
            raise ConditionError(str(exc), line_of(spec, "field")) from None

    def _combinator(self, name: str, value: Any, scope: type[Entity], spec: Any) -> Condition:
        if name == "not":
            inner = self.compile(value, scope)

            def negate(item: Any, root: Any, unknowns: Unknowns) -> Tri:
                r = inner(item, root, unknowns)
                return None if r is None else not r

            return negate
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{name}' needs a non-empty list", line_of(spec, name))
        parts = tuple(self.compile(v, scope) for v in value)
        if name == "allOf":
            return _all_of(parts)
        return _any_of(parts)

    def _quantifier(self, name: str, spec: Any, path: CompiledPath, unknown_as: Tri) -> Condition:
        if path.info.kind != "list":
            raise ConditionError(
                f"'{name}' needs a list field, '{path.text}' is a {path.info.kind}",
                line_of(spec, name),
            )
        item_scope = path.info.entity
        if name in ("any", "all"):
            if item_scope is None:
                raise ConditionError(
                    f"'{name}' over a list of plain values: use contains/in instead",
                    line_of(spec, name),
                )
            inner = self.compile(spec[name], item_scope)
            return _any(path, inner, unknown_as) if name == "any" else _all(path, inner, unknown_as)
        body = spec["count"]
        if not isinstance(body, dict):
            raise ConditionError("count needs a mapping", line_of(spec, "count"))
        where = None
        if "where" in body:
            if item_scope is None:
                raise ConditionError("count.where needs a list of entities", line_of(body, "where"))
            where = self.compile(body["where"], item_scope)
        comparisons = [k for k in body if k != "where"]
        if len(comparisons) != 1 or comparisons[0] not in ("equals", "notEquals", *_NUMERIC):
            ops = "equals, notEquals, greater, greaterOrEquals, less, lessOrEquals"
            raise ConditionError(f"count needs one of {ops}", line_of(body))
        op = comparisons[0]
        n = body[op]
        if not isinstance(n, int) or isinstance(n, bool):
            raise ConditionError(f"count.{op} needs an integer", line_of(body, op))
        return _count(path, where, _NUMBER_TESTS[op], n, unknown_as)

    def _leaf(
        self,
        op: str,
        spec: Any,
        path: CompiledPath,
        case: bool,
        unknown_as: Tri,
        scope: type[Entity],
    ) -> Condition:
        value = spec[op]
        line = line_of(spec, op)
        if op == "exists":
            if not isinstance(value, bool):
                raise ConditionError("exists needs true or false", line)
            return _exists(path, value, unknown_as)
        if path.info.kind == "entity":
            raise ConditionError(f"'{path.text}' is an entity; compare one of its fields", line)
        other: CompiledPath | None = None
        if isinstance(value, dict):
            if set(value) != {"field"}:
                raise ConditionError(f"{op} takes a value or {{field: <path>}}", line)
            other = self._path(value, scope)
        if path.info.kind == "list" and op not in ("contains",):
            raise ConditionError(
                f"'{op}' does not apply to the list '{path.text}' (use contains, any, all, count)",
                line,
            )
        if op in ("in", "notIn") and not isinstance(value, list):
            raise ConditionError(f"{op} needs a list", line)
        if op == "match":
            if not isinstance(value, str):
                raise ConditionError("match needs a regular expression string", line)
            test = _matcher(value, 0 if case else re.IGNORECASE, line, checked=self.checked)
            return _leaf_fn(path, test, None, None, unknown_as)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if op in _NUMERIC and other is None and not number:
            raise ConditionError(f"{op} needs a number", line)
        test = _tests(op, case)
        return _leaf_fn(path, test, value if other is None else None, other, unknown_as)


def _matcher(pattern: str, flags: int, line: int | None, *, checked: bool) -> Any:
    """The test of ``match``. ``re.compile`` keeps what it compiled (a later call is a lookup);
    ``checked`` (a rule from the cache) compiles on the first match instead of now."""
    if not checked:
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            raise ConditionError(f"invalid regular expression: {exc}", line) from None
    return lambda v, _x: isinstance(v, str) and bool(re.compile(pattern, flags).search(v))


_NUMBER_TESTS: dict[str, Callable[[int, int], bool]] = {
    "equals": lambda a, b: a == b,
    "notEquals": lambda a, b: a != b,
    "greater": lambda a, b: a > b,
    "greaterOrEquals": lambda a, b: a >= b,
    "less": lambda a, b: a < b,
    "lessOrEquals": lambda a, b: a <= b,
}


def _fold(v: Any, case: bool) -> Any:
    return v.lower() if isinstance(v, str) and not case else v


def _eq(a: Any, b: Any, case: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(_fold(a, case) == _fold(b, case))


def _tests(op: str, case: bool) -> Callable[[Any, Any], bool]:
    def contains(v: Any, x: Any) -> bool:
        if isinstance(v, list):
            return any(_eq(item, x, case) for item in v)
        return isinstance(v, str) and isinstance(x, str) and _fold(x, case) in _fold(v, case)

    def numeric(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        def test(v: Any, x: Any) -> bool:
            ok = (
                isinstance(v, (int, float))
                and not isinstance(v, bool)
                and isinstance(x, (int, float))
                and not isinstance(x, bool)
            )
            return ok and fn(v, x)

        return test

    table: dict[str, Callable[[Any, Any], bool]] = {
        "equals": lambda v, x: v is not None and _eq(v, x, case),
        "notEquals": lambda v, x: v is None or not _eq(v, x, case),
        "in": lambda v, x: v is not None and any(_eq(v, i, case) for i in x),
        "notIn": lambda v, x: v is None or not any(_eq(v, i, case) for i in x),
        "startsWith": lambda v, x: isinstance(v, str) and _fold(v, case).startswith(_fold(x, case)),
        "endsWith": lambda v, x: isinstance(v, str) and _fold(v, case).endswith(_fold(x, case)),
        "contains": contains,
        "greater": numeric(lambda a, b: a > b),
        "greaterOrEquals": numeric(lambda a, b: a >= b),
        "less": numeric(lambda a, b: a < b),
        "lessOrEquals": numeric(lambda a, b: a <= b),
    }
    return table[op]


def _unknown(path: CompiledPath, unknowns: Unknowns, unknown_as: Tri) -> Tri:
    if unknown_as is not None:
        return unknown_as
    if unknowns is not None:
        unknowns.append(path.topology or path.text)
    return None


def _leaf_fn(
    path: CompiledPath,
    test: Callable[[Any, Any], bool],
    value: Any,
    other: CompiledPath | None,
    unknown_as: Tri,
) -> Condition:
    def leaf(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        v = path.get(item, root)
        if v is UNKNOWN:
            return _unknown(path, unknowns, unknown_as)
        x = value
        if other is not None:
            x = other.get(item, root)
            if x is UNKNOWN:
                return _unknown(other, unknowns, unknown_as)
        return test(v, x)

    return leaf


def _present(v: Any) -> bool:
    return v is not None and v != "" and v != []


def _exists(path: CompiledPath, want: bool, unknown_as: Tri) -> Condition:
    def leaf(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        v = path.get(item, root)
        if v is UNKNOWN:
            return _unknown(path, unknowns, unknown_as)
        return _present(v) is want

    return leaf


def _items(path: CompiledPath, item: Any, root: Any) -> Any:
    v = path.get(item, root)
    return [] if v is None else v


def _any(path: CompiledPath, inner: Condition, unknown_as: Tri) -> Condition:
    def quant(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        items = _items(path, item, root)
        if items is UNKNOWN:
            return _unknown(path, unknowns, unknown_as)
        result: Tri = False
        for it in items:
            r = inner(it, root, unknowns)
            if r is True:
                return True
            if r is None:
                result = None
        return result

    return quant


def _all(path: CompiledPath, inner: Condition, unknown_as: Tri) -> Condition:
    def quant(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        items = _items(path, item, root)
        if items is UNKNOWN:
            return _unknown(path, unknowns, unknown_as)
        result: Tri = True
        for it in items:
            r = inner(it, root, unknowns)
            if r is False:
                return False
            if r is None:
                result = None
        return result

    return quant


def _count(
    path: CompiledPath,
    where: Condition | None,
    test: Callable[[int, int], bool],
    n: int,
    unknown_as: Tri,
) -> Condition:
    def quant(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        items = _items(path, item, root)
        if items is UNKNOWN:
            return _unknown(path, unknowns, unknown_as)
        low = high = 0
        for it in items:
            r = True if where is None else where(it, root, unknowns)
            if r is True:
                low += 1
                high += 1
            elif r is None:
                high += 1
        outcomes = {test(k, n) for k in range(low, high + 1)}
        return outcomes.pop() if len(outcomes) == 1 else None

    return quant


def _all_of(parts: tuple[Condition, ...]) -> Condition:
    def cond(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        result: Tri = True
        for part in parts:
            r = part(item, root, unknowns)
            if r is False:
                return False
            if r is None:
                result = None
        return result

    return cond


def _any_of(parts: tuple[Condition, ...]) -> Condition:
    def cond(item: Any, root: Any, unknowns: Unknowns) -> Tri:
        result: Tri = False
        for part in parts:
            r = part(item, root, unknowns)
            if r is True:
                return True
            if r is None:
                result = None
        return result

    return cond
