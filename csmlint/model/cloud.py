"""Cloud services and their deployments (slots)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity, Migrates
from csmlint.model.configuration import Role, ServiceConfiguration
from csmlint.model.definition import ServiceDefinition
from csmlint.model.facts import Fact, backref, fact
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.compute import VirtualMachine
    from csmlint.model.network import VirtualNetwork
    from csmlint.model.subscription import Quota, Subscription

_DEP = "cloudServices[].deployments[]"


@record(eq=False, kw_only=True, repr=False)
class Vip(Entity):
    """A virtual IP of a deployment."""

    name: str | None = None
    address: str | None = None
    reserved: Fact[bool] = fact(f"{_DEP}.vips[].reserved")
    reserved_ip_name: Fact[str | None] = fact(f"{_DEP}.vips[].reservedIpName")
    endpoint_count: Fact[int] = fact(f"{_DEP}.vips[].endpointCount")


@record(eq=False, kw_only=True, repr=False)
class Extension(Entity):
    """A cloud-service extension (``List Extensions``): RDP, diagnostics, antimalware..."""

    id: str
    provider: Fact[str | None] = fact("cloudServices[].extensions[].provider")
    type: Fact[str | None] = fact("cloudServices[].extensions[].type")
    version: str | None = None
    is_rdp: Fact[bool] = fact("cloudServices[].extensions[].type")
    """Publisher ``Microsoft.Windows.Azure.Extensions`` and type ``RDP``."""


@record(eq=False, kw_only=True, repr=False)
class ExtensionRef(Entity):
    """A deployment's reference to an extension (``ExtensionConfiguration``)."""

    id: str
    roles: list[str] = field(default_factory=list)
    extension: Extension | None = None


@record(eq=False, kw_only=True, repr=False)
class ValidationMessage(Entity):
    """One ``ValidationMessages/ValidationMessage`` of a validate-migration response."""

    resource_type: str | None = None
    resource_name: str | None = None
    category: str | None = None
    message: str = ""
    vm_name: str | None = None


@record(eq=False, kw_only=True, repr=False)
class Deployment(Migrates):
    """A deployment in one slot.

    Every `.cscfg` file gives one deployment; when a topology deployment names that file
    (or is its only candidate) the two are the same deployment. Topology deployments
    without a `.cscfg` are deployments too. ``live`` says the deployment is known to exist.
    """

    name: Fact[str | None] = fact(f"{_DEP}.name")
    slot: Fact[str] = fact(f"{_DEP}.slot")
    shown_name: str = "'<deployment-name>'"
    """How prose names the deployment: its name in quotes, else the placeholder and, when
    known, its slot (``'<deployment-name>' (production slot)``) (derived; messages use it)."""
    slot_name: Fact[str] = fact(f"{_DEP}.slot")
    """The slot as ``-Slot`` takes it, ``Production`` or ``Staging`` (derived)."""
    label: Fact[str | None] = fact(f"{_DEP}.label")
    status: Fact[str | None] = fact(f"{_DEP}.status")
    kind: Fact[str] = fact(f"{_DEP}.kind")
    live: bool = False
    vnet_name: Fact[str | None] = fact(f"{_DEP}.vnet")
    cscfg_vnet_name: str | None = None
    """The VNet the deployment's ``.cscfg`` names when the topology puts the deployment in
    another (derived): the inputs disagree."""
    cscfg_vnet_unit: str | None = None
    """The migration unit of :attr:`cscfg_vnet_name` (derived): while the inputs disagree,
    the deployment may be in it, so its verdict bears on that unit too."""
    in_default_vnet: Fact[bool] = fact(f"{_DEP}.inDefaultVnet")
    regional_scope: Fact[bool] = fact(f"{_DEP}.regionalScope")
    package_available: Fact[bool] = fact(f"{_DEP}.packageAvailable")
    vips: Fact[list[Vip]] = fact(f"{_DEP}.vips")
    uses_reserved_ip: Fact[bool] = fact(f"{_DEP}.vips[].reserved")
    """A `.cscfg` ``ReservedIP`` or a reserved VIP."""
    extension_refs: Fact[list[ExtensionRef]] = fact(f"{_DEP}.extensionRefs")
    roles: list[Role] = field(default_factory=list)
    vms: list[VirtualMachine] = field(default_factory=list)
    vm_states: list[str] = field(default_factory=list)
    """Each VM as ``name (role state[, provisioning state])``, for messages (derived)."""
    migration_state: Fact[str | None] = fact(f"{_DEP}.migration.state")
    last_validation: Fact[list[ValidationMessage]] = fact(f"{_DEP}.migration.lastValidation")
    resource_kind: str = "deployment"
    """What the migration API moves (``deployment``, ``virtualNetwork``, ``storageAccount``)."""
    cores_required: Fact[int] = fact(f"{_DEP}.roles[].instanceCount")
    """Cores this live deployment adds in ARM: instances x cores of its roles and VMs."""
    cores_quota: Fact[Quota | None] = fact("subscriptions[].quotas")
    """The ARM ``cores`` usage counter of the cloud service's region (live deployments)."""
    target_vnet: Fact[str | None] = fact()
    """The VNet the user wants to migrate into (``--target-vnet``)."""
    configuration: ServiceConfiguration | None = None
    cscfg_hint: str | None = field(default=None, repr=False)
    """Path of the `.cscfg` a topology deployment names explicitly (resolved by the loader)."""
    virtual_network: VirtualNetwork | None = None
    cloud_service: CloudService | None = backref()


@record(eq=False, kw_only=True, repr=False)
class AutoscaleSetting(Entity):
    name: str | None = None
    role: str | None = None
    min: int | None = None
    max: int | None = None


@record(eq=False, kw_only=True, repr=False)
class AlertRule(Entity):
    name: str | None = None
    role: str | None = None
    metric: str | None = None


@record(eq=False, kw_only=True, repr=False)
class JitPolicy(Entity):
    name: str | None = None
    vm: str | None = None
    ports: list[int] = field(default_factory=list)


@record(eq=False, kw_only=True, repr=False)
class CloudService(Migrates):
    """A cloud service (hosted service): its definition, configurations and deployments."""

    name: str
    """The cloud service's name as the inputs give it: the hosted service's name from a
    topology or export, else the `.csdef`'s ``name`` (the package's, maybe not the
    service's). Commands use :attr:`service_name`."""
    service_name: Fact[str | None] = fact("cloudServices[].name")
    """The hosted service's real name, for commands: known from a topology or an export
    (and a valid cloud service name), unknown from files alone (derived)."""
    display_name: str = ""
    """How reports name the service: :attr:`service_name` when known, else
    ``<cloud-service-name> (csdef: <name>)`` (derived)."""
    shown_name: str = ""
    """:attr:`display_name` for prose, quoted like every name: the deployed name
    (``'contoso-web'``), else the placeholder form with its placeholder quoted
    (``'<cloud-service-name>' (csdef: Contoso.Web)``) (derived; message templates use it)."""
    resource_group: str | None = None
    """``<service name>-migrated``, the group the migration creates (derived)."""
    key_vault: str | None = None
    """``KV-<service name>``, the vault migrated certificates go to, when that is a valid
    vault name (derived)."""
    load_balancer: str | None = None
    """``LB-<service name>``, the read-only platform load balancer (derived)."""
    location: Fact[str | None] = fact("cloudServices[].location")
    region: Fact[str | None] = fact("cloudServices[].location")
    """``location`` normalised for comparison (``West Europe`` -> ``westeurope``)."""
    affinity_group: Fact[str | None] = fact("cloudServices[].affinityGroup")
    label: Fact[str | None] = fact()
    in_topology: bool = False
    extensions: Fact[list[Extension]] = fact("cloudServices[].extensions")
    autoscale: Fact[list[AutoscaleSetting]] = fact("cloudServices[].autoscale")
    alerts: Fact[list[AlertRule]] = fact("cloudServices[].alerts")
    jit_policies: Fact[list[JitPolicy]] = fact("cloudServices[].jitPolicies")
    autoscale_targets: list[str] = field(default_factory=list)
    """What each autoscale setting scales: its role, else its name (derived)."""
    alert_names: list[str] = field(default_factory=list)
    """Each alert rule's name, else its metric or role (derived)."""
    jit_targets: list[str] = field(default_factory=list)
    """Each JIT policy's VM, else its name (derived)."""
    definition: ServiceDefinition | None = None
    configurations: list[ServiceConfiguration] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    deployments_listed: bool = False
    """A topology lists this service's deployments (so an empty list means none)."""
    deployments_known: Fact[bool] = fact("cloudServices[].deployments")
    """Some deployment of the service is known (a `.cscfg` or the topology), or the topology
    lists them all; unknown for a `.csdef` alone (derived)."""
    slots: Fact[list[str]] = fact("cloudServices[].deployments[].slot")
    """Occupied slots (``production``, ``staging``); known only from a topology."""
    production: Fact[Deployment | None] = fact("cloudServices[].deployments[].slot")
    staging: Fact[Deployment | None] = fact("cloudServices[].deployments[].slot")
    rdp_plugin: bool = False
    """Some role imports RemoteAccess/RemoteForwarder or enables RemoteAccess in a `.cscfg`."""
    rdp_plugin_roles: list[str] = field(default_factory=list)
    """Names of the roles that carry the RDP plugin (`.csdef` spelling first)."""
    diagnostics_plugin: bool = False
    """Some role imports Diagnostics or declares/sets the Diagnostics connection-string
    setting (`.csdef` or `.cscfg`): the legacy diagnostics plugin wiring."""
    diagnostics_plugin_roles: list[str] = field(default_factory=list)
    """Names of the roles wired to the diagnostics plugin."""
    rdp_extension: Fact[bool] = fact("cloudServices[].extensions")
    """A live deployment references an RDP extension."""
    has_certificates: bool = False
    certificate_names: list[str] = field(default_factory=list)
    """Certificate names declared in the `.csdef` or bound in a `.cscfg` (no duplicates)."""
    vms: list[VirtualMachine] = field(default_factory=list)
    availability_sets: Fact[list[str]] = fact("cloudServices[].deployments[].vms[].availabilitySet")
    has_paas: Fact[bool] = fact("cloudServices[].deployments[].kind")
    has_iaas: Fact[bool] = fact("cloudServices[].deployments[].kind")
    vnet_names: list[str] = field(default_factory=list)
    migration_unit: str = ""
    subscription: Subscription | None = backref()
