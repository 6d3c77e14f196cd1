"""Records: csmlint's data classes, declared like dataclasses, with methods compiled once.

``@record`` takes what ``@dataclass`` takes for the options csmlint uses (``eq``,
``frozen``, ``repr``, ``kw_only``; every record is slotted) and makes the same methods:
``__init__`` (defaults, default factories, ``init=False`` fields, ``__post_init__``),
``__repr__``, ``__eq__``, ``__hash__`` (frozen records), frozen ``__setattr__`` and
``__delattr__``, pickling state for frozen records (the load pool sends them), and
``__match_args__``. :func:`fields` and :func:`replace` stand in for the ``dataclasses``
functions of the same names.

Why not ``@dataclass``: it writes each class's methods as source and compiles them on every
start: for the 86 classes a lint run imports, that was about 55 ms of a 220 ms one-service
run (``docs/performance.md``). Here the methods' source is generated once, into
:mod:`csmlint.records.compiled`, which Python's bytecode cache then loads as any module. A
record whose declaration no longer matches what was generated (a field added, an option
changed) is built from source at import, as ``@dataclass`` would, and listed in
:data:`STALE`; ``tests/test_records.py`` fails until the module is regenerated
(``--update-snapshots``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

from csmlint.records.declaration import (
    MISSING,
    Field,
    Options,
    field,
    fields,
    key_of,
    signature_of,
)

if TYPE_CHECKING or sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # Python 3.10: the decorator only informs type checkers

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


__all__ = ["MISSING", "Field", "FrozenInstanceError", "field", "fields", "is_record", "record",
           "replace"]  # fmt: skip

T = TypeVar("T")


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


STALE: Final[list[str]] = []
"""Records built from source at import because :mod:`compiled` does not match them."""

_COMPILED: dict[str, tuple[str, Callable[..., dict[str, Any]]]] | None = None


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(
    *,
    eq: bool = True,
    frozen: bool = False,
    repr: bool = True,
    kw_only: bool = False,
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: type[T] | None = None,
    /,
    *,
    eq: bool = True,
    frozen: bool = False,
    repr: bool = True,
    kw_only: bool = False,
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record (always slotted, as ``@dataclass(slots=True)``)."""
    options = Options(eq=eq, frozen=frozen, repr=repr, kw_only=kw_only)
    if cls is None:
        return lambda decorated: _build(decorated, options)
    return _build(cls, options)


def _build(cls: type[T], options: Options) -> type[T]:
    body = dict(cls.__dict__)
    all_fields = _collect(cls, body, options)
    post_init = "__post_init__" in body or any(
        hasattr(base, "__post_init__") for base in cls.__mro__[1:]
    )
    signature = signature_of(all_fields, options, post_init)
    key = key_of(cls)
    factory = _compiled_factory(key, signature)
    if factory is None:
        from csmlint.records.source import factory_from_source

        STALE.append(key)
        factory = factory_from_source(all_fields, options, post_init)
    defaults = {f.name: f.default for f in all_fields if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in all_fields if f.default_factory is not MISSING}
    methods = factory(defaults, factories, _HAS_FACTORY, object.__setattr__, FrozenInstanceError)
    return _finish(cls, body, all_fields, options, methods)


class _HasFactory:
    __slots__ = ()


_HAS_FACTORY: Final = _HasFactory()


def _compiled_factory(key: str, signature: str) -> Callable[..., dict[str, Any]] | None:
    global _COMPILED
    if _COMPILED is None:
        try:
            from csmlint.records import compiled
        except ImportError:  # before the first generation
            _COMPILED = {}
        else:
            _COMPILED = compiled.FACTORIES
    entry = _COMPILED.get(key)
    return entry[1] if entry is not None and entry[0] == signature else None


def _collect(cls: type, body: dict[str, Any], options: Options) -> tuple[Field, ...]:
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            found[f.name] = f
    for name, annotation in body.get("__annotations__", {}).items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if text.startswith(("ClassVar", "typing.ClassVar")):
            continue
        declared = body.get(name, MISSING)
        if isinstance(declared, Field):
            f = declared
        else:
            if declared is not MISSING and type(declared).__hash__ is None:
                raise ValueError(
                    f"mutable default {type(declared)} for field {name} is not allowed: "
                    "use default_factory"
                )
            f = Field(declared, MISSING, True, True, True, None, None, None)
        f.name = name
        f.type = annotation
        if f.kw_only is None:
            f.kw_only = options.kw_only
        found[name] = f
    return tuple(found.values())


def _finish(
    cls: type[T],
    body: dict[str, Any],
    all_fields: tuple[Field, ...],
    options: Options,
    methods: dict[str, Any],
) -> type[T]:
    qualname = cls.__qualname__
    for name, method in methods.items():
        if name == "__hash__":
            if not _explicit_hash(body):
                if method is not None:
                    method.__qualname__ = f"{qualname}.__hash__"
                body[name] = method  # None for a mutable record that compares (unhashable)
            continue
        if name in ("__setattr__", "__delattr__") and name in body:
            raise TypeError(f"cannot overwrite attribute {name} in frozen record {qualname}")
        if name not in body:
            if callable(method):
                method.__qualname__ = f"{qualname}.{method.__name__}"
            body[name] = method
    if options.frozen and "__getstate__" not in body:
        body["__getstate__"] = _frozen_getstate
        body["__setstate__"] = _frozen_setstate
    if options.repr and "__repr__" in methods and body["__repr__"] is methods["__repr__"]:
        import reprlib

        body["__repr__"] = reprlib.recursive_repr()(body["__repr__"])
    inherited = {s for base in cls.__mro__[1:-1] for s in base.__dict__.get("__slots__", ())}
    body["__slots__"] = tuple(f.name for f in all_fields if f.name not in inherited)
    for f in all_fields:
        body.pop(f.name, None)
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body["__record_fields__"] = all_fields
    body["__record_options__"] = options
    body["__match_args__"] = tuple(f.name for f in all_fields if f.init and not f.kw_only)
    made: type[T] = type(cls.__name__, cls.__bases__, body)
    made.__qualname__ = qualname
    return made


def _explicit_hash(body: dict[str, Any]) -> bool:
    own = body.get("__hash__", MISSING)
    return not (own is MISSING or (own is None and "__eq__" in body))


def _frozen_getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in self.__record_fields__]


def _frozen_setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(self.__record_fields__, state, strict=True):
        object.__setattr__(self, f.name, value)


def is_record(obj: Any) -> bool:
    """True for a record class or instance."""
    return hasattr(obj, "__record_fields__")


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of ``obj`` with ``changes`` (``dataclasses.replace``)."""
    for f in fields(obj):
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False")
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)
