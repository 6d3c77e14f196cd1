"""What a `.cscfg` declares: the service configuration and its roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csmlint.model.base import Entity
from csmlint.model.definition import Certificate, RoleDefinition, ServiceDefinition, Setting
from csmlint.model.facts import UNKNOWN, Fact, backref, fact
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.model.cloud import CloudService, Deployment


@record(eq=False, kw_only=True, repr=False)
class Role(Entity):
    """A role of one deployment: a `.cscfg` ``Role``, or a topology ``deployments[].roles[]``."""

    name: str
    instance_count: Fact[int | None] = fact("cloudServices[].deployments[].roles[].instanceCount")
    instance_count_text: str | None = None
    """``Instances/@count`` as written when it is neither a plain decimal nor a release
    pipeline token (``²``, ``-1``, ``1e3``, 30 digits): a value the platform rejects."""
    size: Fact[str | None] = fact("cloudServices[].deployments[].roles[].size")
    """The size the deployment runs: topology ``size``, else the `.csdef` effective size."""
    vm_name: str | None = None
    settings: Fact[list[Setting]] = fact()
    certificates: Fact[list[Certificate]] = fact()
    subnets: Fact[list[str]] = fact()
    """Subnets from ``AddressAssignments/InstanceAddress[@roleName]`` (empty when none)."""
    rdp_plugin_enabled: Fact[bool] = fact()
    """``Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled`` is ``true``."""
    has_diagnostics_setting: Fact[bool] = fact()
    definition: RoleDefinition | None = backref()
    configuration: ServiceConfiguration | None = backref()
    deployment: Deployment | None = backref()


@record(eq=False, kw_only=True, repr=False)
class ServiceConfiguration(Entity):
    """A `.cscfg` document (a file, or the ``Configuration`` embedded in an ASM export)."""

    path: str
    service_name: str | None = None
    os_family: str | None = None
    os_version: str | None = None
    schema_version: str | None = None
    embedded: bool = False
    file_path: str | None = None
    """``path`` when the configuration is a file on disk (one a command can name), ``None``
    when it is embedded in an export (derived)."""
    """Decoded from the base64 ``Configuration`` of an ASM export."""
    roles: list[Role] = field(default_factory=list)
    has_network_configuration: bool = False
    vnet_name: Fact[str | None] = None
    """``NetworkConfiguration/VirtualNetworkSite/@name``; ``None`` when there is no
    ``VirtualNetworkSite``, unknown when it has no usable name."""
    reserved_ips: list[str] = field(default_factory=list)
    """``AddressAssignments/ReservedIPs/ReservedIP/@name``."""
    reserved_ip_arm_names: list[str] = field(default_factory=list)
    """The static public IP names the migration gives ``reserved_ips``: ``rip`` stays
    ``rip``, a portal name ``Group <rg> <rip>`` becomes ``group-<rg>-<rip>``."""
    reserved_ips_renamed: bool = False
    """Whether any of ``reserved_ips`` gets another name (a portal name) in the migration."""
    instance_public_ips: list[str] = field(default_factory=list)
    access_controls: list[str] = field(default_factory=list)
    endpoint_acls: list[str] = field(default_factory=list)
    internal_load_balancers: list[str] = field(default_factory=list)
    dns_servers: list[str] = field(default_factory=list)
    definition: ServiceDefinition | None = backref()
    cloud_service: CloudService | None = backref()
    deployment: Deployment | None = backref()
    unknown_roles: Fact[list[str]] = fact()
    """`.cscfg` role names with no matching `.csdef` role (unknown without a `.csdef`)."""


__all__ = ["UNKNOWN", "Role", "ServiceConfiguration"]
