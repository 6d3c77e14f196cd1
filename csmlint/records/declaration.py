"""What a record declares: its fields (:func:`field`, :class:`Field`) and options, and the
signature of both that its generated methods depend on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()
"""No default (as ``dataclasses.MISSING``)."""

_NO_METADATA: Final[Mapping[str, Any]] = {}


class Field:
    """One field of a record: what :func:`field` declared, plus its name and annotation."""

    __slots__ = (
        "compare",
        "default",
        "default_factory",
        "hash",
        "init",
        "kw_only",
        "metadata",
        "name",
        "repr",
        "type",
    )  # fmt: skip

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        compare: bool,
        hash: bool | None,
        kw_only: bool | None,
        metadata: Mapping[str, Any] | None,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash
        self.kw_only = kw_only
        self.metadata = metadata if metadata is not None else _NO_METADATA

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r})"

    def signature(self) -> str:
        """What the generated methods depend on (names and flags, never default values)."""
        default = "F" if self.default_factory is not MISSING else "D" if self.has_default else "-"
        flags = "".join(
            "1" if flag else "0"
            for flag in (self.init, self.repr, self.compare, self.hashed, self.kw_only)
        )
        return f"{self.name}:{default}{flags}"

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_factory is not MISSING

    @property
    def hashed(self) -> bool:
        return self.compare if self.hash is None else self.hash


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
    kw_only: bool | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """A field with options (as ``dataclasses.field``)."""
    return Field(default, default_factory, init, repr, compare, hash, kw_only, metadata)


class Options:
    """A record's class-level options."""

    __slots__ = ("eq", "frozen", "kw_only", "repr")

    def __init__(self, *, eq: bool, frozen: bool, repr: bool, kw_only: bool) -> None:
        self.eq, self.frozen, self.repr, self.kw_only = eq, frozen, repr, kw_only

    def signature(self) -> str:
        return "".join("1" if o else "0" for o in (self.eq, self.frozen, self.repr, self.kw_only))


def key_of(cls: type) -> str:
    """How :mod:`compiled` names a record: its module and qualified name."""
    return f"{cls.__module__}.{cls.__qualname__}"


def signature_of(fields_: tuple[Field, ...], options: Options, post_init: bool) -> str:
    """Everything the generated methods depend on, as one string."""
    own = ";".join(f.signature() for f in fields_)
    return f"{options.signature()}{int(post_init)}|{own}"


def fields(record_or_class: Any) -> tuple[Field, ...]:
    """A record's fields in declaration order, inherited first (``dataclasses.fields``)."""
    try:
        found: tuple[Field, ...] = record_or_class.__record_fields__
    except AttributeError:
        raise TypeError(f"{record_or_class!r} is not a record") from None
    return found
