"""Classic virtual networks, local network sites and address prefixes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity, Migrates
from csmlint.model.facts import Fact, backref, fact
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.cloud import Deployment, ValidationMessage
    from csmlint.model.compute import VirtualMachine
    from csmlint.model.subscription import ExpressRouteCircuit, Subscription

_VN = "virtualNetworks[]"


@record(eq=False, kw_only=True, repr=False)
class Subnet(Entity):
    name: str
    prefix: str | None = None
    nsg: Fact[str | None] = fact(f"{_VN}.subnets[].nsg")
    route_table: Fact[str | None] = fact(f"{_VN}.subnets[].routeTable")


@record(eq=False, kw_only=True, repr=False)
class GatewayConnection(Entity):
    local_site: str | None = None
    type: str | None = None
    """Connection type from a netcfg/ASM export: ``IPsec``, ``Dedicated`` (ExpressRoute)."""
    state: Fact[str | None] = fact(f"{_VN}.gateways[].connections[].state")


@record(eq=False, kw_only=True, repr=False)
class Gateway(Entity):
    kind: str  # vpn | expressroute
    sku: Fact[str | None] = fact(f"{_VN}.gateways[].sku")
    state: Fact[str | None] = fact(f"{_VN}.gateways[].state")
    connections: list[GatewayConnection] = field(default_factory=list)
    p2s_pool: list[str] = field(default_factory=list)
    """``VPNClientAddressPool`` prefixes (point-to-site)."""


@record(eq=False, kw_only=True, repr=False)
class Peering(Entity):
    remote_vnet_id: str | None = None
    state: str | None = None


@record(eq=False, kw_only=True, repr=False)
class VnetService(Entity):
    """Something else that lives in the VNet: APIM, ASE, HDInsight, Batch, ..."""

    kind: str
    name: str | None = None
    subnet: str | None = None


@record(eq=False, kw_only=True, repr=False)
class DnsServer(Entity):
    name: str | None = None
    address: str | None = None


@record(eq=False, kw_only=True, repr=False)
class VirtualNetwork(Migrates):
    """A classic VNet, from a netcfg, a topology, or only named by a `.cscfg`."""

    name: str
    declared: bool = False
    described: Fact[bool] = fact("virtualNetworks[]")
    """A network configuration or topology describes the VNet (derived from ``declared``);
    unknown when only a `.cscfg` names it, so its gateways, peerings, services and members
    are all unknown."""
    from_topology: bool = False
    """A topology document (or an imported export) describes the VNet."""
    topology_described: Fact[bool] = fact("virtualNetworks[]")
    """True when a topology describes the VNet, unknown otherwise: a network configuration
    shows subnets and gateways, not peerings, circuits, services or members (derived)."""
    """Declared by a netcfg or a topology (not only referenced by a `.cscfg`)."""
    location: Fact[str | None] = fact(f"{_VN}.location")
    region: Fact[str | None] = fact(f"{_VN}.location")
    affinity_group: Fact[str | None] = fact(f"{_VN}.affinityGroup")
    address_space: Fact[list[str]] = fact(f"{_VN}.addressSpace")
    subnets: Fact[list[Subnet]] = fact(f"{_VN}.subnets")
    dns_servers: Fact[list[DnsServer]] = fact(f"{_VN}.dnsServers")
    gateways: Fact[list[Gateway]] = fact(f"{_VN}.gateways")
    local_site_refs: list[str] = field(default_factory=list)
    """``Gateway/ConnectionsToLocalNetwork/LocalNetworkSiteRef/@name`` of the netcfg."""
    peerings: Fact[list[Peering]] = fact(f"{_VN}.peerings")
    services: Fact[list[VnetService]] = fact(f"{_VN}.services")
    migration_state: Fact[str | None] = fact(f"{_VN}.migrationState")
    resource_kind: str = "virtualNetwork"
    last_validation: list[ValidationMessage] = field(default_factory=list, repr=False)
    """Validation messages (of imported Validate responses) about this VNet (derived)."""
    deployments: list[Deployment] = field(default_factory=list, repr=False)
    """Deployments (of any kind) that live in this VNet."""
    cloud_service_names: list[str] = field(default_factory=list)
    paas_cloud_service_names: list[str] = field(default_factory=list)
    """Cloud services with a web/worker-role deployment in this VNet (derived)."""
    iaas_cloud_service_names: list[str] = field(default_factory=list)
    """Cloud services with a classic-VM deployment in this VNet (derived)."""
    shown_service_names: list[str] = field(default_factory=list)
    """:attr:`CloudService.shown_name` of the cloud services in :attr:`cloud_service_names`,
    for prose (derived)."""
    shown_paas_service_names: list[str] = field(default_factory=list)
    shown_iaas_service_names: list[str] = field(default_factory=list)
    paas_service_names: list[str] = field(default_factory=list)
    """The real names of those with web/worker roles, where known (for commands; derived)."""
    iaas_service_names: list[str] = field(default_factory=list)
    """The real names of those with classic VMs, where known (for commands; derived)."""
    vms: list[VirtualMachine] = field(default_factory=list, repr=False)
    vm_count: Fact[int] = fact("cloudServices[].deployments[].vms")
    has_paas: Fact[bool] = fact("cloudServices[].deployments[].vnet")
    """A web/worker-role deployment lives here (unknown without a topology)."""
    has_iaas: Fact[bool] = fact("cloudServices[].deployments[].vnet")
    has_cloud_services: Fact[bool] = fact("cloudServices[].deployments[].vnet")
    """Membership (``hasPaas``, ``hasIaas``, ``hasCloudServices``, ``vmCount``) is known to be
    complete only when a topology lists the cloud services of the VNet's subscription."""
    express_route_circuits: list[ExpressRouteCircuit] = field(default_factory=list, repr=False)
    express_route_circuit: ExpressRouteCircuit | None = field(default=None, repr=False)
    """The circuit linked to the VNet when it is the only one (its name and service key go
    into commands; derived)."""
    has_express_route: Fact[bool] = fact(f"{_VN}.gateways[].kind")
    cross_subscription_circuits: Fact[list[ExpressRouteCircuit]] = fact(
        "expressRouteCircuits[].subscriptionId"
    )
    """Linked circuits that belong to another subscription than the VNet (derived)."""
    peered_with: list[str] = field(default_factory=list)
    """Remote VNet names (or IDs) of the peerings (derived)."""
    peered_groups: list[str | None] = field(default_factory=list)
    """For each of :attr:`peered_with`: the resource group its ARM ID names, else ``None``
    (derived)."""
    duplicate_static_ips: Fact[list[str]] = fact("cloudServices[].deployments[].vms[].staticIp")
    """Static IPs held by more than one VM of the VNet, one of them stop-deallocated."""
    arm_name: str | None = None
    """The VNet's name after migration: the classic name, or ``group-<rg>-<vnet>`` for a
    portal-created ``Group <rg> <vnet>``; ``None`` when the name is already an ARM ID."""
    arm_resource_group: str | None = None
    """The resource group the migration puts the VNet in: ``<armName>-migrated``."""
    subscription: Subscription | None = backref()


@record(eq=False, kw_only=True, repr=False)
class LocalNetworkSite(Entity):
    """``LocalNetworkSites/LocalNetworkSite`` of a netcfg."""

    name: str
    address_space: list[str] = field(default_factory=list)
    vpn_gateway_address: str | None = None
    covered_vnets: list[str] = field(default_factory=list)
    """Other VNets whose address space this local site covers (VNet-to-VNet)."""
    extra_prefixes: list[str] = field(default_factory=list)
    """Prefixes outside the covered VNets (on-premises ranges: transit routing)."""
    referenced_by: list[str] = field(default_factory=list)
    """VNets whose gateway connects to this local site."""


@record(eq=False, kw_only=True, repr=False)
class AddressPrefix(Entity):
    """One CIDR prefix written in a netcfg, checked for validity."""

    prefix: str
    context: str
    """``virtualNetwork``, ``subnet``, ``localNetworkSite`` or ``vpnClientAddressPool``."""
    owner: str
    """Name of the VNet/subnet/local site that declares it."""
    valid: bool = True
    problem: str | None = None
    suggestion: str | None = None
    """The prefix with host bits cleared, when that is the fix."""
