"""Field paths: checked against the model's types at load time, compiled into getters.

A path is dotted camelCase (``configuration.vnetName``); each segment is a dataclass field
of the entity reached so far, so a typo is a rule-pack error, not a silently silent rule.
Paths may follow references (``deployment.virtualNetwork.gateways``) but not step through
lists: lists are entered with the ``any``/``all``/``count`` quantifiers. A path starting
with ``$.`` is read from the rule's scope entity instead of the current quantifier item.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import csmlint.model as model
from csmlint import records
from csmlint.model.base import Entity
from csmlint.model.facts import UNKNOWN, Unknown
from csmlint.records import record

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_HIDDEN = frozenset({"src", "srcs"})


class PathError(ValueError):
    """A path that does not exist on the scope's type."""


@record(frozen=True)
class FieldType:
    """What a path leads to."""

    kind: str  # scalar | list | entity
    entity: type[Entity] | None = None
    """The entity class (``kind == 'entity'``) or the list's item class, when entities."""
    scalar: tuple[type, ...] = ()
    """Scalar types (``str``, ``int``, ``bool``) of the value or of the list's items."""


@record(frozen=True)
class CompiledPath:
    text: str
    segments: tuple[str, ...]
    from_root: bool
    info: FieldType
    owner: type[Entity]
    """The entity class that holds the last segment."""
    topology: str | None
    """The topology field that would settle this fact, when documented."""

    def get(self, item: Any, root: Any) -> Any:
        obj = root if self.from_root else item
        for name in self.segments:
            if obj is None or obj is UNKNOWN:
                return obj
            obj = getattr(obj, name)
        return obj

    def owner_of(self, item: Any, root: Any) -> Any:
        """The entity holding the last segment (for locations), or ``None``."""
        obj = root if self.from_root else item
        for name in self.segments[:-1]:
            if obj is None or obj is UNKNOWN:
                return None
            obj = getattr(obj, name)
        return obj if isinstance(obj, Entity) else None


def snake(segment: str) -> str:
    return _CAMEL.sub("_", segment).lower()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


_HINTS: dict[tuple[type, str], Any] = {}


def _hint(cls: type, name: str) -> Any:
    """The type of field ``name`` of ``cls``: its annotation (a string, the model modules
    use postponed annotations) evaluated in the model's namespace, as
    ``typing.get_type_hints(cls, vars(model))[name]`` would, but for the one field a path
    needs: evaluating every field of a class and its bases was a tenth of a one-service
    lint."""
    key = (cls, name)
    if key not in _HINTS:
        for klass in cls.__mro__:
            annotations = klass.__dict__.get("__annotations__", {})  # noqa: RUF063 (faster)
            if name in annotations:
                hint = annotations[name]
                _HINTS[key] = _evaluate(hint) if isinstance(hint, str) else hint
                break
        else:
            raise KeyError(name)
    return _HINTS[key]


_EVALUATED: dict[str, Any] = {}


def _evaluate(hint: str) -> Any:
    """One annotation's text evaluated once: many fields share a text (``str | None``)."""
    found = _EVALUATED.get(hint, _EVALUATED)
    if found is _EVALUATED:
        # the annotation is csmlint's own source text, never input
        found = _EVALUATED[hint] = eval(hint, vars(model))
    return found


def _classify(annotation: Any) -> FieldType:
    args = _flatten(annotation)
    entities = [a for a in args if isinstance(a, type) and issubclass(a, Entity)]
    lists = [a for a in args if typing.get_origin(a) is list]
    if lists:
        (item,) = typing.get_args(lists[0]) or (Any,)
        item_args = _flatten(item)
        ents = [a for a in item_args if isinstance(a, type) and issubclass(a, Entity)]
        if ents:
            return FieldType("list", entity=ents[0])
        return FieldType("list", scalar=tuple(a for a in item_args if isinstance(a, type)))
    if entities:
        return FieldType("entity", entity=entities[0])
    if any(typing.get_origin(a) is dict for a in args):
        return FieldType("dict")
    return FieldType("scalar", scalar=tuple(a for a in args if isinstance(a, type)))


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_flatten(arg))
        return out
    if annotation is Unknown or annotation is type(None):
        return []
    return [annotation]


def field_names(cls: type[Entity]) -> list[str]:
    """The camelCase names a rule may use on ``cls``."""
    return sorted(
        camel(f.name)
        for f in records.fields(cls)
        if f.name not in _HIDDEN and not f.name.startswith("_")
    )


_COMPILED: dict[tuple[type, type, str], CompiledPath] = {}
_FIELDS: dict[type, dict[str, records.Field]] = {}


def compile_path(scope: type[Entity], root: type[Entity], text: str) -> CompiledPath:
    """Check ``text`` against ``scope`` (or ``root`` for ``$.`` paths) and compile it.

    Compiled paths are immutable and shared: the same path in many rules is checked once.
    """
    key = (scope, root if text.startswith("$.") else scope, text)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = _compile_path(scope, root, text)
    return found


def _fields(cls: type) -> dict[str, records.Field]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = {f.name: f for f in records.fields(cls)}
    return found


def _compile_path(scope: type[Entity], root: type[Entity], text: str) -> CompiledPath:
    from_root = text.startswith("$.")
    parts = text[2:].split(".") if from_root else text.split(".")
    cls: type[Entity] = root if from_root else scope
    segments: list[str] = []
    ftype = FieldType("entity", entity=cls)
    owner = cls
    topology: str | None = None
    for i, part in enumerate(parts):
        if ftype.kind != "entity" or ftype.entity is None:
            raise PathError(
                f"'{'.'.join(parts[:i])}' is a {ftype.kind}, so '{text}' cannot go on from it"
                + (" (use any/all/count to look inside a list)" if ftype.kind == "list" else "")
            )
        owner = ftype.entity
        name = snake(part)
        fields = _fields(owner)
        if not part or name not in fields or name in _HIDDEN or name.startswith("_"):
            known = ", ".join(field_names(owner))
            raise PathError(f"unknown field '{part}' on {owner.__name__} (known: {known})")
        topology = fields[name].metadata.get("topology")
        segments.append(name)
        ftype = _classify(_hint(owner, name))
        if ftype.kind == "dict":
            raise PathError(f"field '{part}' of {owner.__name__} cannot be used in rules")
    return CompiledPath(text, tuple(segments), from_root, ftype, owner, topology)


Getter = Callable[[Any, Any], Any]
