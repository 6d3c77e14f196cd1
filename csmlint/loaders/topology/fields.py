"""Reading facts out of topology objects, with the unknown/none conventions in one place.

The conventions (documented in ``docs/topology.md``):

* a key that is absent or ``null`` is **unknown** (the model's ``UNKNOWN``);
* for a fact that can be "none" (``availabilitySet``, ``vnet``, ``nsg``, a migration
  state...), the empty string ``""`` means **known to be none** (``None``);
* a list that is present is known; ``[]`` is known to be empty;
* enumerations match case-insensitively and are stored lower-case;
* keys starting with ``x-`` are the user's own data and are never read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from csmlint.model.base import Entity
from csmlint.model.facts import UNKNOWN
from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import escape_pointer_token as escape
from csmlint.records import record

Locate = Callable[[str], SourceRef]
"""JSON pointer -> where that value is (file, line, column, pointer)."""

STR = "str"
"""A string fact: absent/``null`` unknown, anything else as written (``""`` stays ``""``)."""
NONE = "none"
"""A none-able string fact: absent/``null`` unknown, ``""`` known none, else as written."""
ENUM = "enum"
"""Like :data:`NONE`, lower-cased."""
BOOL = "bool"
INT = "int"
STRINGS = "strings"
"""A list of strings: absent/``null`` unknown, present known."""
TEXT = "text"
"""A plain optional string (not a fact): absent, ``null`` and ``""`` all give ``None``."""
NUMBER = "number"
"""A plain optional integer (not a fact): absent or ``null`` give ``None``."""

FactSpec = tuple[str, str, str]
"""(model field name, JSON key, kind)."""


def _convert(value: Any, kind: str) -> Any:
    """The model value of a JSON value that is present and not ``null``."""
    if kind in (STR, TEXT):
        return value if kind == STR or value != "" else None
    if kind == NONE:
        return value if value != "" else None
    if kind == ENUM:
        return value.lower() if value != "" else None
    if kind == STRINGS:
        return [v for v in value if isinstance(v, str)]
    return value


@record
class Node:
    """One JSON object of a topology document, with its pointer."""

    data: dict[str, Any]
    pointer: str
    locate: Locate

    def ref(self, key: str | None = None) -> SourceRef:
        """Where this object (or its member ``key``) is."""
        if key is None:
            return self.locate(self.pointer)
        member = getattr(self.locate, "member", None)  # a JSON file's locator: no joining
        if member is not None:
            return member(key, self.pointer)  # type: ignore[no-any-return]
        return self.locate(f"{self.pointer}/{escape(key)}")

    @property
    def index(self) -> str:
        """The last reference token of the pointer (an array index for array items)."""
        return self.pointer.rsplit("/", 1)[-1]

    def has(self, key: str) -> bool:
        """The member is present and not ``null`` (the fact is known)."""
        return self.data.get(key) is not None

    def get(self, key: str, kind: str) -> Any:
        """The model value of member ``key`` read as ``kind`` (``UNKNOWN`` when unknown)."""
        value = self.data.get(key)
        if value is None:
            return None if kind in (TEXT, NUMBER) else UNKNOWN
        return _convert(value, kind)

    def name(self, key: str = "name") -> str:
        """A required identity name (the schema guarantees a non-empty string)."""
        value = self.data.get(key)
        return value if isinstance(value, str) else ""

    def fill(self, entity: Entity, specs: tuple[FactSpec, ...]) -> None:
        """Set every known fact of ``specs`` on ``entity`` and record where it was read."""
        for field_name, key, kind in specs:
            if key not in self.data:
                continue
            value = self.get(key, kind)
            if value is UNKNOWN:
                continue
            setattr(entity, field_name, value)
            entity.note_source(field_name, self.ref(key))

    def child(self, key: str) -> Node | None:
        """The member object ``key`` (``None`` when absent or ``null``)."""
        value = self.data.get(key)
        if not isinstance(value, dict):
            return None
        return Node(value, f"{self.pointer}/{escape(key)}", self.locate)

    def items(self, key: str) -> list[Node] | None:
        """The objects of the member array ``key``; ``None`` when unknown."""
        value = self.data.get(key)
        if not isinstance(value, list):
            return None
        base = f"{self.pointer}/{escape(key)}"
        return [
            Node(item, f"{base}/{i}", self.locate)
            for i, item in enumerate(value)
            if isinstance(item, dict)
        ]

    def each(self, key: str) -> Iterator[Node]:
        """The objects of the member array ``key`` (none when unknown)."""
        yield from self.items(key) or ()


def known_list(
    node: Node, key: str, build: Callable[[Node], Any], owner: Entity, field: str
) -> Any:
    """``[build(item) ...]`` when the array ``key`` is present, else ``UNKNOWN``; the
    list's location is recorded on ``owner`` under ``field``."""
    items = node.items(key)
    if items is None:
        return UNKNOWN
    owner.note_source(field, node.ref(key))
    return [build(item) for item in items]
