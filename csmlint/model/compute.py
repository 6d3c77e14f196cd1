"""Classic IaaS virtual machines (``deployments[].vms[]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity
from csmlint.model.facts import Fact, backref, fact
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.cloud import CloudService, Deployment

_VM = "cloudServices[].deployments[].vms[]"


@record(eq=False, kw_only=True, repr=False)
class Nic(Entity):
    name: str | None = None
    subnet: str | None = None


@record(eq=False, kw_only=True, repr=False)
class Agent(Entity):
    status: Fact[str | None] = fact(f"{_VM}.agent.status")
    version: str | None = None


@record(eq=False, kw_only=True, repr=False)
class VmExtension(Entity):
    publisher: str | None = None
    name: str | None = None
    version: str | None = None
    state: str | None = None
    xml: Fact[bool] = fact(f"{_VM}.extensions[].xml")
    handler_status: Fact[str | None] = fact(f"{_VM}.extensions[].handlerStatus")


@record(eq=False, kw_only=True, repr=False)
class BootDiagnostics(Entity):
    enabled: Fact[bool] = fact(f"{_VM}.bootDiagnostics.enabled")
    storage_account: Fact[str | None] = fact(f"{_VM}.bootDiagnostics.storageAccount")
    storage_sku: Fact[str | None] = fact(f"{_VM}.bootDiagnostics.storageSku")


@record(eq=False, kw_only=True, repr=False)
class Disk(Entity):
    name: str | None = None
    lun: int | None = None
    media_link: Fact[str | None] = fact(f"{_VM}.dataDisks[].mediaLink")
    size_gb: Fact[int | None] = fact(f"{_VM}.dataDisks[].sizeGb")
    blob_bytes: Fact[int | None] = fact(f"{_VM}.dataDisks[].blobBytes")
    blob_name: Fact[str | None] = fact(f"{_VM}.dataDisks[].mediaLink")
    """The blob path after the container in ``mediaLink``."""
    size_matches_blob: Fact[bool] = fact(f"{_VM}.dataDisks[].blobBytes")
    """``sizeGb`` GiB (plus the 512-byte VHD footer) equals ``blobBytes``."""
    media_link_accessible: Fact[bool] = fact(f"{_VM}.dataDisks[].mediaLinkAccessible")


@record(eq=False, kw_only=True, repr=False)
class AclRule(Entity):
    order: int | None = None
    action: str | None = None
    remote_subnet: str | None = None
    description: str | None = None


@record(eq=False, kw_only=True, repr=False)
class VmEndpoint(Entity):
    name: str | None = None
    protocol: str | None = None
    public_port: int | None = None
    local_port: int | None = None
    acl: list[AclRule] = field(default_factory=list)


@record(eq=False, kw_only=True, repr=False)
class VirtualMachine(Entity):
    """A classic VM (a ``PersistentVMRole``)."""

    name: str
    size: Fact[str | None] = fact(f"{_VM}.size")
    availability_set: Fact[str | None] = fact(f"{_VM}.availabilitySet")
    role_state: Fact[str | None] = fact(f"{_VM}.roleState")
    power_state: Fact[str | None] = fact(f"{_VM}.powerState")
    provisioning_state: Fact[str | None] = fact(f"{_VM}.provisioningState")
    managed_by: Fact[str | None] = fact(f"{_VM}.managedBy")
    subnets: Fact[list[str]] = fact(f"{_VM}.subnets")
    """Distinct subnets of the VM and its NICs."""
    nics: Fact[list[Nic]] = fact(f"{_VM}.nics")
    static_ip: Fact[str | None] = fact(f"{_VM}.staticIp")
    agent: Agent | None = None
    extensions: Fact[list[VmExtension]] = fact(f"{_VM}.extensions")
    boot_diagnostics: BootDiagnostics | None = None
    os_disk: Disk | None = None
    data_disks: Fact[list[Disk]] = fact(f"{_VM}.dataDisks")
    disks: list[Disk] = field(default_factory=list)
    """The OS disk and the data disks."""
    storage_accounts: list[str] = field(default_factory=list)
    """Storage accounts holding the VM's disks (the ``mediaLink`` hosts, derived)."""
    endpoints: Fact[list[VmEndpoint]] = fact(f"{_VM}.endpoints")
    acl_endpoint_names: list[str] = field(default_factory=list)
    """Names of the endpoints that carry ACL rules (derived)."""
    acl_nsg_rules: str = ""
    """The network security group rules that rebuild the endpoint ACLs after Commit, as
    PowerShell for commands (``$nsg | Add-AzNetworkSecurityRuleConfig ...; ...``, one per ACL
    rule, in the ACL's order), or one rule of placeholders when a rule is unknown or not
    safe to paste (derived)."""
    acl_endpoint_list: str = ""
    """:attr:`acl_endpoint_names` as a PowerShell list for commands (``"sql", "rdp"``), or the
    placeholder ``"<endpoint-name>"`` when a name is unknown or not safe to paste (derived)."""
    running: Fact[bool] = fact(f"{_VM}.roleState")
    """Role state ``running``/``readyrole`` or power state ``started``."""
    migration_state: Fact[str | None] = fact(f"{_VM}.migrationState")
    deployment: Deployment | None = backref()
    cloud_service: CloudService | None = backref()
