"""The Estate: everything the inputs revealed, and the scopes rules iterate."""

from __future__ import annotations

import re

from csmlint import records
from csmlint.model.base import Entity
from csmlint.model.cloud import CloudService, Deployment
from csmlint.model.compute import VirtualMachine
from csmlint.model.configuration import Role, ServiceConfiguration
from csmlint.model.definition import PluginImport, RoleDefinition, ServiceDefinition
from csmlint.model.network import AddressPrefix, LocalNetworkSite, VirtualNetwork
from csmlint.model.subscription import (
    ExpressRouteCircuit,
    NetworkSecurityGroup,
    Quota,
    RbacAssignment,
    ReservedIp,
    RouteTable,
    StorageAccount,
    Subscription,
)
from csmlint.records import field, record


@record(eq=False, kw_only=True, repr=False)
class InputFile(Entity):
    """One file csmlint read. ``error`` is set when it could not be read or parsed."""

    path: str
    kind: str
    """``csdef``, ``cscfg``, ``netcfg``, ``topology`` or ``asm``."""
    error: str | None = None


def vnet_unit_id(name: str) -> str:
    """Migration unit id of a virtual network (names join case-insensitively)."""
    return f"vnet:{name.lower()}"


def storage_unit_id(name: str) -> str:
    """Migration unit id of a storage account."""
    return f"storage:{name.lower()}"


@record(eq=False, kw_only=True, repr=False)
class MigrationUnit(Entity):
    """What migrates together: a VNet and everything in it, a cloud service outside any
    VNet, or a storage account."""

    id: str
    """``vnet:<name>``, ``storage:<name>``, or a cloud service's own key
    (``cloudService:<name>``, ``#n`` appended when files hold same-named services)."""
    kind: str  # virtualNetwork | cloudService | storageAccount
    name: str
    cloud_services: list[str] = field(default_factory=list)


@record(eq=False, kw_only=True)
class Estate:
    """The assembled model. Each list is one rule scope (see :data:`SCOPES`)."""

    files: list[InputFile] = field(default_factory=list)
    cloud_services: list[CloudService] = field(default_factory=list)
    service_definitions: list[ServiceDefinition] = field(default_factory=list)
    role_definitions: list[RoleDefinition] = field(default_factory=list)
    plugin_imports: list[PluginImport] = field(default_factory=list)
    service_configurations: list[ServiceConfiguration] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    vms: list[VirtualMachine] = field(default_factory=list)
    virtual_networks: list[VirtualNetwork] = field(default_factory=list)
    local_network_sites: list[LocalNetworkSite] = field(default_factory=list)
    address_prefixes: list[AddressPrefix] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    reserved_ips: list[ReservedIp] = field(default_factory=list)
    network_security_groups: list[NetworkSecurityGroup] = field(default_factory=list)
    route_tables: list[RouteTable] = field(default_factory=list)
    express_route_circuits: list[ExpressRouteCircuit] = field(default_factory=list)
    rbac_assignments: list[RbacAssignment] = field(default_factory=list)
    storage_accounts: list[StorageAccount] = field(default_factory=list)
    units: list[MigrationUnit] = field(default_factory=list)
    has_topology: bool = False
    """A topology document (or an imported export) was part of the inputs."""

    def entities(self, scope: str) -> list[Entity]:
        """The entities of one rule scope, in a stable order."""
        cls, attr = SCOPES[scope]
        del cls
        items: list[Entity] = getattr(self, attr)
        return items

    def release(self) -> None:
        """Cut every reference between entities (owners, :func:`~csmlint.model.facts.backref`,
        and joins such as a deployment's virtual network and the network's deployments):
        the model's only cycles. Reference counting then frees the whole model as soon as
        it is dropped; a lint run keeps the cyclic collector off, and a 5,000-service model
        is over 100 MB that the reports can reuse. The estate is not to be read afterwards."""
        for cls, attr in SCOPES.values():
            names = _links(cls)
            for entity in getattr(self, attr):
                for name in names:
                    setattr(entity, name, None)


SCOPES: dict[str, tuple[type[Entity], str]] = {
    "inputFile": (InputFile, "files"),
    "cloudService": (CloudService, "cloud_services"),
    "serviceDefinition": (ServiceDefinition, "service_definitions"),
    "roleDefinition": (RoleDefinition, "role_definitions"),
    "pluginImport": (PluginImport, "plugin_imports"),
    "serviceConfiguration": (ServiceConfiguration, "service_configurations"),
    "role": (Role, "roles"),
    "deployment": (Deployment, "deployments"),
    "vm": (VirtualMachine, "vms"),
    "virtualNetwork": (VirtualNetwork, "virtual_networks"),
    "localNetworkSite": (LocalNetworkSite, "local_network_sites"),
    "addressPrefix": (AddressPrefix, "address_prefixes"),
    "subscription": (Subscription, "subscriptions"),
    "quota": (Quota, "quotas"),
    "reservedIp": (ReservedIp, "reserved_ips"),
    "networkSecurityGroup": (NetworkSecurityGroup, "network_security_groups"),
    "routeTable": (RouteTable, "route_tables"),
    "expressRouteCircuit": (ExpressRouteCircuit, "express_route_circuits"),
    "rbacAssignment": (RbacAssignment, "rbac_assignments"),
    "storageAccount": (StorageAccount, "storage_accounts"),
}
"""Rule scope name -> (entity class, :class:`Estate` attribute)."""


_LINKS: dict[type, tuple[str, ...]] = {}
_WORD = re.compile(r"\w+")


def _links(cls: type) -> tuple[str, ...]:
    """The fields of an entity class that can hold another scope's entity (their
    annotations name an entity class of :data:`SCOPES`)."""
    found = _LINKS.get(cls)
    if found is None:
        names = {c.__name__ for c, _ in SCOPES.values()}
        found = _LINKS[cls] = tuple(
            f.name for f in records.fields(cls) if names.intersection(_WORD.findall(str(f.type)))
        )
    return found
