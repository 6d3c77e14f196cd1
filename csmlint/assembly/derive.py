"""Domain normalisation: facts computed from other facts once the estate is joined.

Policy (what blocks which migration) stays in the rule packs; this module only states
facts: whether a service carries the RDP plugin, which slots are occupied, whether a VNet
holds web/worker roles, how many cores a region would need.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from csmlint.assembly.derive_network import derive_vnet, subscriptions_with_known_members
from csmlint.assembly.derive_topology import deployment_cores, derive_topology
from csmlint.model.azure.arm_ids import arm_name
from csmlint.model.azure.naming import PLACEHOLDERS, Built, shell_safe, valid
from csmlint.model.azure.sizes import normalize_region
from csmlint.model.azure.urls import url_path
from csmlint.model.cloud import CloudService, Deployment
from csmlint.model.compute import AclRule, Disk, VirtualMachine, VmEndpoint
from csmlint.model.estate import Estate
from csmlint.model.facts import UNKNOWN, Fact
from csmlint.model.network import LocalNetworkSite, VirtualNetwork

if TYPE_CHECKING:
    import ipaddress

RDP_PUBLISHER = "microsoft.windows.azure.extensions"
RUNNING_ROLE_STATES = frozenset({"running", "readyrole", "started", "starting"})
VHD_FOOTER = 512


def derive(estate: Estate) -> None:
    for cs in estate.cloud_services:
        _cloud_service(cs)
    for dep in estate.deployments:
        _deployment(dep)
    for vm in estate.vms:
        _vm(vm)
    listed = subscriptions_with_known_members(estate)
    for vnet in estate.virtual_networks:
        derive_vnet(vnet, estate, listed)
        _vnet_arm_names(vnet)
    _local_sites(estate.local_network_sites, estate.virtual_networks)
    _subscription_resources(estate)
    _quotas(estate)
    derive_topology(estate)


def _tri_any(values: list[Fact[bool]]) -> Fact[bool]:
    if any(v is True for v in values):
        return True
    if any(v is UNKNOWN for v in values):
        return UNKNOWN
    return False


def _cloud_service(cs: CloudService) -> None:
    if isinstance(cs.location, str):
        cs.region = normalize_region(cs.location)
    elif cs.location is None:
        cs.region = None
    _plugins_and_certificates(cs)
    cs.deployments_known = True if cs.deployments or cs.deployments_listed else UNKNOWN
    extensions = {e.id.lower(): e for e in cs.extensions} if isinstance(cs.extensions, list) else {}
    for ext in extensions.values():
        if isinstance(ext.type, str) and isinstance(ext.provider, str):
            ext.is_rdp = ext.type.lower() == "rdp" and ext.provider.lower() == RDP_PUBLISHER
        elif isinstance(ext.type, str) and ext.type.lower() != "rdp":
            ext.is_rdp = False
    live = [d for d in cs.deployments if d.live]
    if cs.in_topology and cs.deployments_listed:
        refs: list[Fact[bool]] = []
        for dep in live:
            if not isinstance(dep.extension_refs, list):
                refs.append(UNKNOWN)
                continue
            for ref in dep.extension_refs:
                ref.extension = ref.extension or extensions.get(ref.id.lower())
                refs.append(ref.extension.is_rdp if ref.extension else UNKNOWN)
        if cs.extensions is UNKNOWN and not refs:
            cs.rdp_extension = UNKNOWN
        else:
            cs.rdp_extension = _tri_any(refs)
        slots = [d.slot for d in live]
        if all(isinstance(s, str) for s in slots):
            cs.slots = sorted({str(s).lower() for s in slots})
            cs.production = next((d for d in live if str(d.slot).lower() == "production"), None)
            cs.staging = next((d for d in live if str(d.slot).lower() == "staging"), None)
    kinds = [d.kind for d in cs.deployments]
    listed = cs.in_topology and cs.deployments_listed and UNKNOWN not in kinds
    cs.has_paas = True if "paas" in kinds else (False if listed else UNKNOWN)
    cs.has_iaas = True if "iaas" in kinds else (False if listed else UNKNOWN)
    if not cs.in_topology and cs.deployments:
        # Known from files only: each deployment is a .cscfg, so a PaaS one.
        cs.has_iaas = False if all(d.configuration is not None for d in cs.deployments) else UNKNOWN
    cs.vms = [vm for d in cs.deployments for vm in d.vms]
    cs.vnet_names = sorted({d.vnet_name for d in cs.deployments if isinstance(d.vnet_name, str)})
    if cs.vms:
        sets = [vm.availability_set for vm in cs.vms]
        if all(s is not UNKNOWN for s in sets):
            cs.availability_sets = sorted({s for s in sets if isinstance(s, str) and s})
    elif cs.in_topology and cs.deployments_listed and all(d.kind == "paas" for d in cs.deployments):
        cs.availability_sets = []


def _plugins_and_certificates(cs: CloudService) -> None:
    """RDP/diagnostics plugin wiring and certificates, with the roles and the first
    evidence (`.csdef` before `.cscfg`) of each."""
    rdp: dict[str, str] = {}
    diag: dict[str, str] = {}
    certs: dict[str, str] = {}
    if cs.definition is not None:
        for rdef in cs.definition.roles:
            if rdef.has_rdp_plugin:
                rdp.setdefault(rdef.name.lower(), rdef.name)
                cs.note_first("rdp_plugin", rdef.srcs.get("has_rdp_plugin", rdef.src))
            if rdef.has_diagnostics_plugin:
                diag.setdefault(rdef.name.lower(), rdef.name)
                cs.note_first(
                    "diagnostics_plugin", rdef.srcs.get("has_diagnostics_plugin", rdef.src)
                )
            if rdef.certificates:
                cs.has_certificates = True
                cs.note_first("has_certificates", rdef.srcs.get("certificates"))
                for cert in rdef.certificates:
                    certs.setdefault(cert.name.lower(), cert.name)
    for dep in cs.deployments:
        for role in dep.roles:
            if role.rdp_plugin_enabled is True:
                rdp.setdefault(role.name.lower(), role.name)
                cs.note_first("rdp_plugin", role.srcs.get("rdp_plugin_enabled", role.src))
            if role.has_diagnostics_setting is True:
                diag.setdefault(role.name.lower(), role.name)
                cs.note_first(
                    "diagnostics_plugin", role.srcs.get("has_diagnostics_setting", role.src)
                )
            if isinstance(role.certificates, list) and role.certificates:
                cs.has_certificates = True
                cs.note_first("has_certificates", role.srcs.get("certificates"))
                for cert in role.certificates:
                    certs.setdefault(cert.name.lower(), cert.name)
    cs.rdp_plugin = bool(rdp)
    cs.rdp_plugin_roles = list(rdp.values())
    cs.diagnostics_plugin = bool(diag)
    cs.diagnostics_plugin_roles = list(diag.values())
    cs.certificate_names = list(certs.values())


def _deployment(dep: Deployment) -> None:
    cfg = dep.configuration
    if cfg is not None:
        cfg.reserved_ip_arm_names = [arm_name(n) for n in cfg.reserved_ips]
        cfg.reserved_ips_renamed = cfg.reserved_ip_arm_names != cfg.reserved_ips
    reserved_in_cfg = bool(cfg and cfg.reserved_ips)
    if reserved_in_cfg and cfg is not None:
        dep.uses_reserved_ip = True
        dep.note_source("uses_reserved_ip", cfg.srcs.get("reserved_ips"))
    elif isinstance(dep.vips, list):
        flags = [v.reserved for v in dep.vips]
        dep.uses_reserved_ip = _tri_any(flags)
        first = next((v for v in dep.vips if v.reserved is True), None)
        if first is not None:
            dep.note_source("uses_reserved_ip", first.src)


def _vm(vm: VirtualMachine) -> None:
    subnets: list[str] = []
    if isinstance(vm.subnets, list):
        subnets.extend(vm.subnets)
    if isinstance(vm.nics, list):
        subnets.extend(n.subnet for n in vm.nics if n.subnet)
    if vm.subnets is not UNKNOWN or vm.nics is not UNKNOWN:
        seen: dict[str, str] = {}
        for s in subnets:
            seen.setdefault(s.lower(), s)
        vm.subnets = list(seen.values())
    states = [s.lower() for s in (vm.role_state, vm.power_state) if isinstance(s, str)]
    if states:
        vm.running = any(s in RUNNING_ROLE_STATES for s in states)
    disks = [vm.os_disk] if vm.os_disk is not None else []
    if isinstance(vm.data_disks, list):
        disks.extend(vm.data_disks)
    vm.disks = disks
    if isinstance(vm.endpoints, list):
        vm.acl_endpoint_names = [e.name or "(unnamed)" for e in vm.endpoints if e.acl]
    vm.acl_nsg_rules = Built(_nsg_rules(vm))
    named = [e.name for e in vm.endpoints if e.acl] if isinstance(vm.endpoints, list) else []
    pasteable = named and all(n and shell_safe(n) for n in named)
    vm.acl_endpoint_list = Built(
        ", ".join(f'"{n}"' for n in named) if pasteable else '"<endpoint-name>"'
    )
    for disk in disks:
        _disk(disk)


_NSG_RULE = (
    '$nsg | Add-AzNetworkSecurityRuleConfig -Name "{name}" -Access {access} -Protocol {protocol} '
    '-Direction Inbound -Priority {priority} -SourceAddressPrefix "{source}" '
    "-SourcePortRange * -DestinationAddressPrefix * -DestinationPortRange {port} | Out-Null"
)
_RULE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$")


def _nsg_rules(vm: VirtualMachine) -> str:
    """:attr:`VirtualMachine.acl_nsg_rules`: every ACL rule of every endpoint, in the ACL's
    order, as an inbound rule, when every value is known and valid; else one rule of
    placeholders. The priority is the ACL rule's order when every order of the VM is a
    distinct NSG priority (100-4096), else 100, 110, ... in the same order."""
    endpoints = [e for e in vm.endpoints if e.acl] if isinstance(vm.endpoints, list) else []
    rules = [
        (endpoint, rule)
        for endpoint in endpoints
        for rule in sorted(endpoint.acl, key=lambda r: r.order if r.order is not None else -1)
    ]
    found = [v for endpoint, rule in rules if (v := _nsg_rule(vm.name, endpoint, rule))]
    if not found or len(found) < len(rules) or len(found) > 300:
        return _NSG_RULE.format(
            name=f"{vm.name if _RULE_NAME.match(vm.name) else '<vm-name>'}-<endpoint-name>-<order>",
            access='"<allow-or-deny>"',
            protocol='"<endpoint-protocol>"',
            priority='"<priority>"',
            source="<remote-subnet>",
            port='"<local-port>"',
        )
    orders = [values["order"] for values in found]
    own = len(set(orders)) == len(orders) and all(100 <= o <= 4096 for o in orders)
    return "; ".join(
        _NSG_RULE.format(**values, priority=values["order"] if own else 100 + 10 * n)
        for n, values in enumerate(found)
    )


def _nsg_rule(vm: str, endpoint: VmEndpoint, rule: AclRule) -> dict[str, Any] | None:
    """The values of one ACL rule's NSG rule, or ``None`` when one is unknown or not valid
    (then no rule of the VM is pasted with values)."""
    action = (rule.action or "").lower()
    protocol = (endpoint.protocol or "").lower()
    port = endpoint.local_port
    name = f"{vm}-{endpoint.name}-{rule.order}"
    import ipaddress  # only VMs with ACLs and VNets need it (start-up)

    try:
        network = ipaddress.ip_network(rule.remote_subnet or "", strict=False)
    except ValueError:
        return None
    if (
        not isinstance(rule.order, int)
        or not _RULE_NAME.match(name)
        or action not in ("permit", "deny")
        or protocol not in ("tcp", "udp")
        or not isinstance(port, int)
        or not 0 < port < 65536
    ):
        return None
    return {
        "name": name,
        "access": "Allow" if action == "permit" else "Deny",
        "protocol": protocol.capitalize(),
        # an ACL filtered what came in through the public endpoint only: "everyone" is the
        # Internet, not the VNet's own traffic too
        "source": "Internet" if network.prefixlen == 0 else str(network),
        "port": port,
        "order": rule.order,
    }


def _disk(disk: Disk) -> None:
    if isinstance(disk.media_link, str) and disk.media_link:
        parts = url_path(disk.media_link).lstrip("/").split("/", 1)
        disk.blob_name = parts[1] if len(parts) == 2 else ""
    if isinstance(disk.size_gb, int) and isinstance(disk.blob_bytes, int):
        expected = disk.size_gb * (1 << 30)
        disk.size_matches_blob = disk.blob_bytes in (expected, expected + VHD_FOOTER)


def _vnet_arm_names(vnet: VirtualNetwork) -> None:
    """The name and resource group the migration gives a VNet (CST naming table): a
    portal-created ``Group <rg> <vnet>`` becomes ``group-<rg>-<vnet>``, other names are
    kept; the resource group is ``<name>-migrated``. An ARM ID names no classic VNet."""
    name = vnet.name.strip()
    if not name or name.startswith("/"):
        return
    name = arm_name(name)  # the same portal naming rule as reserved IPs
    # a name ARM cannot hold (spaces other than the portal's "Group" form): the migration
    # must rename it, and how is not documented, so commands show a visible placeholder
    vnet.arm_name = name if valid("virtualNetwork", name) else PLACEHOLDERS["virtualNetwork"][0]
    group = f"{name}-migrated"
    vnet.arm_resource_group = (
        group if valid("resourceGroup", group) else PLACEHOLDERS["resourceGroup"][0]
    )


def _networks(prefixes: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    import ipaddress

    out = []
    for p in prefixes:
        try:
            out.append(ipaddress.ip_network(p.strip(), strict=False))
        except ValueError:
            continue
    return out


def _local_sites(sites: list[LocalNetworkSite], vnets: list[VirtualNetwork]) -> None:
    """Which other VNets a local site's address space covers (VNet-to-VNet through a
    local site), and which of its prefixes lie outside them (on-premises: transit)."""
    refs: dict[str, list[str]] = defaultdict(list)
    for vnet in vnets:
        for name in vnet.local_site_refs:
            refs[name.lower()].append(vnet.name)
    for site in sites:
        site.referenced_by = refs.get(site.name.lower(), [])
        local = _networks(site.address_space)
        covered: list[str] = []
        used: set[int] = set()
        for vnet in vnets:
            if vnet.name in site.referenced_by or not isinstance(vnet.address_space, list):
                continue
            space = _networks(vnet.address_space)
            holders = [[i for i, net in enumerate(local) if _inside(s, net)] for s in space]
            if space and all(holders):
                covered.append(vnet.name)
                used.update(i for h in holders for i in h)
        site.covered_vnets = covered
        site.extra_prefixes = (
            [str(net) for i, net in enumerate(local) if i not in used] if covered else []
        )


def _inside(
    inner: ipaddress.IPv4Network | ipaddress.IPv6Network,
    outer: ipaddress.IPv4Network | ipaddress.IPv6Network,
) -> bool:
    if inner.version != outer.version:
        return False
    return inner.subnet_of(outer)  # type: ignore[arg-type]


def _subscription_resources(estate: Estate) -> None:
    for rip in estate.reserved_ips:
        rip.attached = rip.in_use
    for nsg in estate.network_security_groups:
        if isinstance(nsg.associations, list):
            nsg.attached = bool(nsg.associations)
    for rt in estate.route_tables:
        if isinstance(rt.subnets, list):
            rt.attached = bool(rt.subnets)
    vm_by_name = {vm.name.lower(): vm for vm in estate.vms}
    for account in estate.storage_accounts:
        if isinstance(account.disks, list):
            account.attached_vms = [
                vm_by_name[d.attached_to.lower()]
                for d in account.disks
                if isinstance(d.attached_to, str) and d.attached_to.lower() in vm_by_name
            ]


def _quotas(estate: Estate) -> None:
    """Cores each subscription needs per region: instances x cores of every live PaaS role
    and VM of its cloud services in the region (quotas are per subscription and region)."""
    needed: dict[tuple[int, str], Fact[int]] = {}
    unplaced: set[int] = set()  # subscriptions with a live deployment in an unknown region
    for cs in estate.cloud_services:
        sub = id(cs.subscription)
        region = cs.region if isinstance(cs.region, str) else None
        if region is None:
            if any(d.live for d in cs.deployments):
                unplaced.add(sub)
            continue
        total: Fact[int] = needed.get((sub, region), 0)
        for dep in cs.deployments:
            if dep.live:
                cores = deployment_cores(dep)
                total = (
                    total + cores if isinstance(total, int) and isinstance(cores, int) else UNKNOWN
                )
        needed[(sub, region)] = total
    for quota in estate.quotas:
        if quota.counter.lower() != "cores":
            continue
        sub = id(quota.subscription)
        region = normalize_region(quota.region) or ""
        required = UNKNOWN if sub in unplaced else needed.get((sub, region), 0)
        quota.required = required
        if isinstance(required, int) and isinstance(quota.current, int):
            quota.projected = quota.current + required
            if isinstance(quota.limit, int):
                quota.headroom = quota.limit - quota.projected
