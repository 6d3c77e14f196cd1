"""Entity: the base of every model object a rule can be scoped to."""

from __future__ import annotations

import reprlib
from typing import Any, NoReturn

from csmlint import records
from csmlint.model.location import SourceRef
from csmlint.records import field, record


class _NoSources(dict[str, SourceRef]):
    """The ``srcs`` of an entity that has recorded none: one shared, read-only empty
    mapping (100,000 settings each with their own empty dict were 6 MB per 1,000
    services). It unpickles to the shared instance (the load pool sends entities)."""

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise TypeError("record a source with Entity.note_source")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> str:
        return "NO_SOURCES"


NO_SOURCES = _NoSources()


def _no_sources() -> dict[str, SourceRef]:
    return NO_SOURCES


@record(eq=False, kw_only=True, repr=False)
class Entity:
    """A model object with its source locations and a stable logical identity.

    ``src`` is where the entity itself is declared; ``srcs`` maps a fact's Python field
    name to where that fact was read (an attribute's element, a JSON value). ``key`` is a
    stable logical identity (``cloudService:contoso/role:WebRole1``) used for fingerprints:
    it never contains line numbers.
    """

    src: SourceRef | None = field(default=None, repr=False)
    srcs: dict[str, SourceRef] = field(default_factory=_no_sources, repr=False)
    key: str = ""

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        """What a dataclass's own ``__repr__`` shows (the fields with ``repr=True``),
        written once here: the entity classes are declared ``repr=False``, because making
        a ``__repr__`` for each of 50 classes was about a fifth of csmlint's start-up."""
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in records.fields(self) if f.repr
        )
        return f"{type(self).__qualname__}({shown})"

    def source_of(self, fact_name: str) -> SourceRef | None:
        """Location of one fact, falling back to the entity's own location."""
        return self.srcs.get(fact_name, self.src)

    def note_source(self, fact_name: str, ref: SourceRef | None) -> None:
        """Record where ``fact_name`` was read (replacing an earlier location)."""
        if ref is not None:
            if self.srcs is NO_SOURCES:
                self.srcs = {}
            self.srcs[fact_name] = ref

    def note_first(self, fact_name: str, ref: SourceRef | None) -> None:
        """Record where ``fact_name`` was first seen (keeping an earlier location)."""
        if ref is not None and fact_name not in self.srcs:
            if self.srcs is NO_SOURCES:
                self.srcs = {}
            self.srcs[fact_name] = ref


@record(eq=False, kw_only=True, repr=False)
class Migrates(Entity):
    """An entity the platform migrates, or that migrates inside a unit: the commands of its
    migration unit, built by assembly (``Move-AzureVirtualNetwork`` for everything in a VNet,
    ``Move-AzureService`` for a cloud service outside any VNet, ``Move-AzureStorageAccount``
    for a storage account), with real names or visible placeholders."""

    migrate_validate: str = ""
    migrate_prepare: str = ""
    migrate_commit: str = ""
    migrate_abort: str = ""
    cli_validate: str = ""
    """The same steps with the classic Azure CLI (``azure config mode asm``)."""
    cli_prepare: str = ""
    cli_commit: str = ""
    cli_abort: str = ""
