"""Message templates: ``{path}`` placeholders over the scope entity, checked at load time.

Deliberately not Jinja: rule text is data, so it must never execute anything, and linting
must not pay Jinja's import on every run. Syntax:

* ``{{ name }}``, ``{{ virtualNetwork.name }}``: a field path, checked against the scope type;
* ``{{ roles | count }}``, ``{{ cloudServiceNames | join }}``, ``{{ name | upper }}``: filters
  ``join[:separator]``, ``count``, ``first``, ``lower``, ``upper``, ``quote``, ``names``,
  ``map:<data table>`` (look the value up in the rule's ``data``), ``default:<text>``,
  ``where:<field>=<value>`` (keep the list items whose field equals the value);
* ``{{ $unknown }}``: the facts that were unknown (in ``onUnknown`` messages).

Single braces are literal text, so PowerShell script blocks need no escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from csmlint import records
from csmlint.model.azure.naming import (
    LONG_VALUE,
    MAX_COMMAND_VALUE,
    Built,
    in_command,
    shell_safe,
)
from csmlint.model.base import Entity
from csmlint.model.facts import UNKNOWN
from csmlint.records import record
from csmlint.rulepack.paths import CompiledPath, PathError, compile_path, snake

_TOKEN = re.compile(r"\{\{(.*?)\}\}|\{\{")
MAX_VALUE = 200
FILTERS = (
    "join",
    "count",
    "first",
    "lower",
    "upper",
    "quote",
    "xml",
    "map",
    "default",
    "names",
    "where",
    "pslist",
)


class TemplateError(ValueError):
    pass


@record(frozen=True)
class _Slot:
    path: CompiledPath | None  # None: $unknown
    filters: tuple[Callable[[Any, int | None], Any], ...]
    """Each takes the value and the length a text is cut at (``None`` in a command)."""


@record(eq=False, repr=False)
class Template:
    """A compiled message or command. One made by :func:`deferred_template` compiles its
    text on first use (a rule from the prepared-pack cache: checked when it was written)."""

    source: str
    _parts: tuple[str | _Slot, ...] | None = None
    _scope: type[Entity] | None = None
    _data: dict[str, Any] | None = None

    @property
    def parts(self) -> tuple[str | _Slot, ...]:
        """The literal texts and placeholders, in order."""
        parts = self._parts
        if parts is None:
            assert self._scope is not None
            parts = self._parts = _parts(self.source, self._scope, self._data or {})
        return parts

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def render(self, item: Any, unknown: list[str] | None = None, *, command: bool = False) -> str:
        """The text for ``item``. ``command``: the template is a command to paste, so a value
        from the inputs that could break out of its quotes shows as
        :data:`~csmlint.model.azure.naming.UNSAFE_VALUE` instead."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value: Any = (
                sorted(set(unknown or [])) if part.path is None else part.path.get(item, item)
            )
            limit = None if command else MAX_VALUE  # a command pastes a whole value or none
            for fn in part.filters:
                value = fn(value, limit)
            if not command or isinstance(value, Built):
                out.append(show(value, limit))  # a command csmlint built is pasted whole
                continue
            text = show(value, None)
            out.append(in_command(text) if len(text) <= MAX_COMMAND_VALUE else LONG_VALUE)
        return "".join(out)


def show(value: Any, limit: int | None = MAX_VALUE) -> str:
    """How a value reads inside a message: a text longer than ``limit`` is cut with ``…``
    (``None``: never cut)."""
    if value is UNKNOWN:
        return "unknown"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Entity):
        return show(getattr(value, "name", None) or value.key, limit)
    if isinstance(value, list):
        return ", ".join(show(v, limit) for v in value)
    text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def compile_template(
    text: str, scope: type[Entity], data: dict[str, Any] | None = None
) -> Template:
    """``text`` compiled for ``scope``; a :class:`TemplateError` says what is wrong."""
    return Template(text, _parts(text, scope, data or {}))


def deferred_template(
    text: str, scope: type[Entity], data: dict[str, Any] | None = None
) -> Template:
    """``text`` for ``scope``, compiled when first rendered: only for a text
    :func:`compile_template` accepted before (a one-service run renders few of a pack's
    texts)."""
    return Template(text, None, scope, data)


def _parts(text: str, scope: type[Entity], data: dict[str, Any]) -> tuple[str | _Slot, ...]:
    parts: list[str | _Slot] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        parts.append(text[pos : m.start()])
        pos = m.end()
        if m.group(1) is None:
            raise TemplateError(f"'{{{{' at character {m.start() + 1} is never closed by '}}}}'")
        parts.append(_slot(m.group(1).strip(), scope, data))
    parts.append(text[pos:])
    return tuple(p for p in parts if p != "")


def _slot(expr: str, scope: type[Entity], data: dict[str, Any]) -> _Slot:
    name, *filter_specs = [p.strip() for p in expr.split("|")]
    if not name:
        raise TemplateError("empty placeholder {{ }}")
    path: CompiledPath | None
    if name == "$unknown":
        path = None
    else:
        try:
            path = compile_path(scope, scope, name)
        except PathError as exc:
            raise TemplateError(f"placeholder {{{{ {name} }}}}: {exc}") from None
    item = path.info.entity if path is not None and path.info.kind == "list" else None
    filters = []
    for spec in filter_specs:
        filters.append(_filter(spec, data, item))
        if not spec.startswith("where"):
            item = None  # only ``where`` keeps a list of the same entities
    return _Slot(path, tuple(filters))


def _pslist(hole: str) -> Callable[[Any, int | None], Any]:
    """``pslist:<placeholder>``: a list as the items of a PowerShell array in a command
    (``"a", "b"``; nothing for an empty or unknown list, so ``@({{ x | pslist }})`` is
    ``@()``: the command must work without the list, as a filter's extra names do), built
    by csmlint and so inserted whole; ``"<placeholder>"`` when an item could break out of
    its quotes."""

    def render(v: Any, n: int | None) -> Any:
        if not isinstance(v, list):
            return Built("")
        items = [show(x, None) for x in v]
        if not all(shell_safe(x) and len(x) <= MAX_COMMAND_VALUE for x in items):
            return Built(f'"{hole}"')
        return Built(", ".join(f'"{x}"' for x in items))

    return render


def _where(arg: str, item: type[Entity] | None) -> Callable[[Any, int | None], Any]:
    """``where:<field>=<value>``: the list items whose field equals the value (ignoring
    case), e.g. ``services | where:kind=apiManagement``."""
    field, sep, want = arg.partition("=")
    field, want = field.strip(), want.strip().lower()
    if not sep or not field:
        raise TemplateError("filter where needs <field>=<value>")
    attr = snake(field)
    if item is not None and attr not in {f.name for f in records.fields(item)}:
        raise TemplateError(f"filter where: unknown field '{field}' on {item.__name__}")

    def keep(x: Any) -> bool:
        v = getattr(x, attr, None)
        return isinstance(v, (str, int)) and str(v).lower() == want

    return lambda v, n: [x for x in v if keep(x)] if isinstance(v, list) else v


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
"""The ``xml`` filter (not ``xml.sax.saxutils``: it imports ``urllib.request``, 25 ms)."""


def _filter(
    spec: str, data: dict[str, Any], item: type[Entity] | None
) -> Callable[[Any, int | None], Any]:
    fname, _, arg = spec.partition(":")
    fname = fname.strip()
    if fname == "where":
        return _where(arg, item)
    if fname == "join":
        sep = arg if arg else ", "
        return lambda v, n: sep.join(show(x, n) for x in v) if isinstance(v, list) else v
    if fname == "count":
        return lambda v, n: len(v) if isinstance(v, list) else v
    if fname == "first":
        return lambda v, n: (v[0] if v else None) if isinstance(v, list) else v
    if fname == "lower":
        return lambda v, n: show(v, n).lower()
    if fname == "upper":
        return lambda v, n: show(v, n).upper()
    if fname == "quote":
        return lambda v, n: (
            ", ".join(f"'{show(x, n)}'" for x in v) if isinstance(v, list) else f"'{show(v, n)}'"
        )
    if fname == "xml":  # a value inside an XML attribute of a snippet to paste into a file
        return lambda v, n: show(v, n).translate(_XML_ESCAPES)
    if fname == "pslist":
        return _pslist(arg or "<value>")
    if fname == "names":
        return lambda v, n: [getattr(x, "name", x) for x in v] if isinstance(v, list) else v
    if fname == "default":
        return lambda v, n: arg if v is None or v is UNKNOWN or v == [] or v == "" else v
    if fname == "map":
        table = data.get(arg)
        if not isinstance(table, dict):
            raise TemplateError(f"filter map:{arg}: the rule has no data table '{arg}'")
        folded = {str(k).lower(): v for k, v in table.items()}
        return lambda v, n: folded.get(v.lower(), v) if isinstance(v, str) else v
    raise TemplateError(f"unknown filter '{fname}' (known: {', '.join(FILTERS)})")
