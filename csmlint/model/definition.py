"""What a `.csdef` declares: the service definition and its roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity
from csmlint.model.facts import backref
from csmlint.model.location import SourceRef
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.cloud import CloudService
    from csmlint.model.configuration import ServiceConfiguration


@record(eq=False, kw_only=True, repr=False)
class PluginImport(Entity):
    """``Imports/Import/@moduleName`` of a role (RemoteAccess, Diagnostics, ...)."""

    module_name: str
    role: RoleDefinition | None = backref()


@record(eq=False, kw_only=True, repr=False)
class Endpoint(Entity):
    """An endpoint declared in a `.csdef` role."""

    name: str
    kind: str  # input | internal | instanceInput
    protocol: str | None = None
    port: str | None = None
    local_port: str | None = None
    certificate: str | None = None
    load_balancer_probe: str | None = None


@record(eq=False, kw_only=True, repr=False)
class Certificate(Entity):
    """A certificate: declared in `.csdef` (store) or bound in `.cscfg` (thumbprint)."""

    name: str
    thumbprint: str | None = None
    thumbprint_algorithm: str | None = None
    store_location: str | None = None
    store_name: str | None = None


@record(eq=False, kw_only=True, repr=False)
class Setting(Entity):
    """A configuration setting (`.cscfg` name/value, or a `.csdef` declaration).

    Not a rule scope, so it has no ``key`` of its own (its role's names it): the keys of
    every setting of an estate were the largest single part of the model (216 bytes
    each, 66 settings a service in the benchmark estate)."""

    name: str
    value: str | None = None
    # set by the ``src`` property below (``__init__`` passes ``src`` to it)
    _at: str | SourceRef = field(init=False, repr=False)
    _line: int | None = field(init=False, repr=False)
    _column: int | None = field(init=False, repr=False)


# Where a setting is: kept as its parts (path, line, column), the reference made when asked
# for. An estate holds more settings than anything else (66 a service in the benchmark
# estate), and a reference object of its own for each was 16 MB of 5,000 services. A
# property, set after the class is made: a slotted dataclass drops a class attribute named
# like one of its fields (``src``, inherited from Entity).
def _setting_src(self: Setting) -> SourceRef | None:
    at = self._at
    if isinstance(at, SourceRef):
        return at  # a position inside an embedded document: kept whole
    return SourceRef(at, self._line, self._column) if at else None


def _set_setting_src(self: Setting, ref: SourceRef | None) -> None:
    plain = ref is not None and ref.pointer is None and ref.embedded_line is None
    object.__setattr__(self, "_at", (ref.path if plain else ref) if ref is not None else "")
    object.__setattr__(self, "_line", ref.line if plain else None)  # type: ignore[union-attr]
    object.__setattr__(self, "_column", ref.column if plain else None)  # type: ignore[union-attr]


setattr(Setting, "src", property(_setting_src, _set_setting_src))  # noqa: B010 (see above)


@record(eq=False, kw_only=True, repr=False)
class RoleDefinition(Entity):
    """A ``WebRole``/``WorkerRole`` of a `.csdef`."""

    name: str
    role_type: str  # web | worker
    vmsize: str | None = None
    """The ``vmsize`` attribute as written; ``None`` when absent."""
    effective_size: str = "Small"
    """``vmsize``, or ``Small`` when the attribute is missing (the schema default)."""
    imports: list[PluginImport] = field(default_factory=list)
    input_endpoints: list[Endpoint] = field(default_factory=list)
    internal_endpoints: list[Endpoint] = field(default_factory=list)
    instance_input_endpoints: list[Endpoint] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    has_rdp_plugin: bool = False
    """Imports ``RemoteAccess`` or ``RemoteForwarder``."""
    has_diagnostics_plugin: bool = False
    """Imports ``Diagnostics`` or declares the Diagnostics connection-string setting."""
    definition: ServiceDefinition | None = backref()


@record(eq=False, kw_only=True, repr=False)
class ServiceDefinition(Entity):
    """A `.csdef` document."""

    path: str
    name: str | None = None
    schema_version: str | None = None
    upgrade_domain_count: str | None = None
    roles: list[RoleDefinition] = field(default_factory=list)
    load_balancer_probes: list[str] = field(default_factory=list)
    has_input_endpoints: bool = False
    """Some role has an ``InputEndpoint`` or ``InstanceInputEndpoint``."""
    has_public_endpoints: bool = False
    """Some role has an input or instance-input endpoint, or there are load-balancer probes."""
    configurations: list[ServiceConfiguration] = field(default_factory=list, repr=False)
    cloud_service: CloudService | None = backref()
