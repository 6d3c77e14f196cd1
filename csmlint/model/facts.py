"""The unknown fact.

A fact that no input provided is *unknown*, never false. Model fields default to
:data:`UNKNOWN`; ``None`` means "known to be absent" (the file was read and has no such
element, or the topology says so with an empty string/list).
"""

from __future__ import annotations

from typing import Any, Final, TypeVar, Union

from csmlint.records import field


class Unknown:
    """Singleton marker for a fact no input provided."""

    _instance: Unknown | None = None
    __slots__ = ()

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()

T = TypeVar("T")
Fact = Union[T, Unknown]  # noqa: UP007 - a generic alias needs Union on 3.10
"""A value that may be unknown: ``Fact[str | None]`` is a string, known-absent, or unknown."""


def is_known(value: object) -> bool:
    """True when ``value`` is not :data:`UNKNOWN`."""
    return value is not UNKNOWN


def fact(topology: str | None = None, *, default: Any = UNKNOWN) -> Any:
    """A dataclass field that starts unknown.

    ``topology`` names the topology-document field that would settle the fact; it is shown
    in the notes of rules that cannot decide without it.
    """
    metadata = {"topology": topology} if topology else {}
    return field(default=default, metadata=metadata)


def known_list(topology: str | None = None) -> Any:
    """A list field that is known (empty) by default."""
    metadata = {"topology": topology} if topology else {}
    return field(default_factory=list, metadata=metadata)


def backref() -> Any:
    """A reference to the owning entity, excluded from repr to avoid cycles."""
    return field(default=None, repr=False, metadata={"backref": True})
