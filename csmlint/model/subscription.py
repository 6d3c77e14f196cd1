"""Subscription-level facts: providers, quotas, network resources, storage, RBAC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity, Migrates
from csmlint.model.facts import Fact, backref, fact
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.cloud import CloudService, ValidationMessage
    from csmlint.model.compute import VirtualMachine
    from csmlint.model.network import VirtualNetwork

_SUB = "subscriptions[]"


@record(eq=False, kw_only=True, repr=False)
class Provider(Entity):
    namespace: str
    registration_state: Fact[str | None] = fact(f"{_SUB}.providers[].registrationState")


@record(eq=False, kw_only=True, repr=False)
class Quota(Entity):
    """One ARM usage counter in one region, with what the migration would add."""

    region: str
    counter: str
    current: Fact[int] = fact(f"{_SUB}.quotas")
    limit: Fact[int] = fact(f"{_SUB}.quotas")
    required: Fact[int] = fact("cloudServices[].deployments[].roles[].instanceCount")
    """What migrating the estate's resources in this region adds to the counter."""
    projected: Fact[int] = fact(f"{_SUB}.quotas")
    headroom: Fact[int] = fact(f"{_SUB}.quotas")
    """``limit - (current + required)``; negative means the quota is insufficient."""
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class AffinityGroup(Entity):
    name: str
    location: str | None = None


@record(eq=False, kw_only=True, repr=False)
class ReservedIp(Entity):
    name: str
    address: str | None = None
    location: str | None = None
    in_use: Fact[bool] = fact(f"{_SUB}.reservedIps[].inUse")
    cloud_service: str | None = None
    deployment: str | None = None
    attached: Fact[bool] = fact(f"{_SUB}.reservedIps[].inUse")
    resource_kind: str = "reservedIp"
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class NetworkSecurityGroup(Entity):
    name: str
    associations: Fact[list[str]] = fact(f"{_SUB}.networkSecurityGroups[].associations")
    attached: Fact[bool] = fact(f"{_SUB}.networkSecurityGroups[].associations")
    resource_kind: str = "networkSecurityGroup"
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class RouteTable(Entity):
    name: str
    subnets: Fact[list[str]] = fact(f"{_SUB}.routeTables[].subnets")
    attached: Fact[bool] = fact(f"{_SUB}.routeTables[].subnets")
    resource_kind: str = "routeTable"
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class ExpressRouteLink(Entity):
    vnet: str
    subscription_id: Fact[str | None] = fact(
        f"{_SUB}.expressRouteCircuits[].links[].subscriptionId"
    )


@record(eq=False, kw_only=True, repr=False)
class ExpressRouteCircuit(Entity):
    name: str
    service_key: str | None = None
    model: Fact[str | None] = fact(f"{_SUB}.expressRouteCircuits[].model")
    subscription_id: Fact[str | None] = fact(f"{_SUB}.expressRouteCircuits[].subscriptionId")
    links: list[ExpressRouteLink] = field(default_factory=list)
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class RbacAssignment(Entity):
    principal: str | None = None
    role: str | None = None
    scope: str = ""
    classic_resource_type: str | None = None
    """``Microsoft.Classic*/<type>`` when ``scope`` is (inside) a classic resource (derived)."""
    classic_resource_name: str | None = None
    """The classic resource's name in ``scope`` (derived)."""
    export_name: str | None = None
    """A file name for the assignments at ``scope``: the classic resource's name and what
    the scope names below it (``shop-web-slots-Production``), file-safe (derived)."""
    arm_scope: str | None = None
    """The Azure Resource Manager ID the classic resource becomes, when csmlint knows it
    (the resource group and name the migration gives it; derived)."""
    scope_unit: str | None = None
    """The migration unit the classic resource migrates in (its cloud service's, its VNet's
    or its storage account's), when the estate has it (derived)."""
    scope_service: CloudService | None = None
    """The cloud service of a scope that is a cloud service or one of its VMs (derived)."""
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class StorageDisk(Entity):
    name: str
    attached_to: Fact[str | None] = fact(f"{_SUB}.storageAccounts[].disks[].attachedTo")


@record(eq=False, kw_only=True, repr=False)
class StorageAccount(Migrates):
    name: str
    location: Fact[str | None] = fact(f"{_SUB}.storageAccounts[].location")
    sku: Fact[str | None] = fact(f"{_SUB}.storageAccounts[].sku")
    disks: Fact[list[StorageDisk]] = fact(f"{_SUB}.storageAccounts[].disks")
    os_images: Fact[list[str]] = fact(f"{_SUB}.storageAccounts[].osImages")
    vm_images: Fact[list[str]] = fact(f"{_SUB}.storageAccounts[].vmImages")
    migration_state: Fact[str | None] = fact(f"{_SUB}.storageAccounts[].migrationState")
    resource_kind: str = "storageAccount"
    last_validation: list[ValidationMessage] = field(default_factory=list, repr=False)
    """Validation messages (of imported Validate responses) about this account (derived)."""
    attached_vms: list[VirtualMachine] = field(default_factory=list, repr=False)
    """VMs (known to the estate) whose disks live in this account."""
    attached_vm_names: list[str] = field(default_factory=list)
    """Names of the VMs whose disks live in this account: the disks' ``attachedTo`` and the
    known VMs with a disk ``mediaLink`` in this account (derived)."""
    unlisted_vm_names: list[str] = field(default_factory=list)
    """``attachedTo`` names of the account's disks that match no VM of the estate (derived)."""
    unattached_disks: Fact[list[str]] = fact(f"{_SUB}.storageAccounts[].disks[].attachedTo")
    """Names of the account's classic disks that are attached to no VM (derived)."""
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class Subscription(Entity):
    id: str | None = None
    name: str | None = None
    providers: Fact[list[Provider]] = fact(f"{_SUB}.providers")
    migration_provider: Fact[Provider | None] = fact(f"{_SUB}.providers[].registrationState")
    """The ``Microsoft.ClassicInfrastructureMigrate`` provider, when ``providers`` lists it."""
    quotas: list[Quota] = field(default_factory=list)
    affinity_groups: Fact[list[AffinityGroup]] = fact(f"{_SUB}.affinityGroups")
    reserved_ips: Fact[list[ReservedIp]] = fact(f"{_SUB}.reservedIps")
    network_security_groups: Fact[list[NetworkSecurityGroup]] = fact(
        f"{_SUB}.networkSecurityGroups"
    )
    route_tables: Fact[list[RouteTable]] = fact(f"{_SUB}.routeTables")
    express_route_circuits: Fact[list[ExpressRouteCircuit]] = fact(f"{_SUB}.expressRouteCircuits")
    rbac: Fact[list[RbacAssignment]] = fact(f"{_SUB}.rbac")
    cloud_services: list[CloudService] = field(default_factory=list, repr=False)
    cloud_services_listed: bool = False
    """A topology lists every cloud service of this subscription (a ``cloudServices`` array
    not marked ``cloudServicesComplete: false``), so a cloud service missing from it is not
    in the subscription."""
    virtual_networks: list[VirtualNetwork] = field(default_factory=list, repr=False)
    storage_accounts: list[StorageAccount] = field(default_factory=list, repr=False)
