"""Join the loaded parts into one :class:`Estate`.

Files give definitions, configurations and network configurations; topology documents (and
imported exports) give subscriptions with their cloud services, deployments, VNets and the
rest. Names join case-insensitively. A user-written topology wins over file facts it states
explicitly; facts nobody stated stay unknown.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

from csmlint.assembly.overlay import overlay
from csmlint.assembly.pairing import pair_configurations
from csmlint.model.azure.arm_ids import arm_name, parse_vnet_id
from csmlint.model.azure.cidr import check_prefix
from csmlint.model.cloud import CloudService, Deployment
from csmlint.model.configuration import ServiceConfiguration
from csmlint.model.definition import ServiceDefinition
from csmlint.model.estate import Estate, vnet_unit_id
from csmlint.model.facts import UNKNOWN
from csmlint.model.inputs import Inputs
from csmlint.model.network import AddressPrefix, VirtualNetwork
from csmlint.model.subscription import Subscription


def build(inputs: Inputs) -> Estate:
    estate = Estate(files=list(inputs.files))
    estate.has_topology = bool(inputs.subscriptions)
    estate.subscriptions = _merge_subscriptions(inputs.subscriptions)
    pairs = pair_configurations(inputs.definitions, inputs.configurations)
    for cfg in inputs.configurations:
        cfg.definition = pairs.get(id(cfg))
        if cfg.definition is not None:
            cfg.definition.configurations.append(cfg)
    topo_services = _topology_services(estate.subscriptions)
    services = _file_services(inputs, topo_services)
    for cs in services:
        _link_deployments(cs)
    _join_networks(estate, inputs, services)
    estate.cloud_services = services
    _collect(estate, inputs)
    for dep in estate.deployments:
        dep.target_vnet = inputs.target_vnet if inputs.target_vnet else UNKNOWN
    return estate


def _merge_subscriptions(subs: list[Subscription]) -> list[Subscription]:
    """Subscriptions with the same id (from several documents) become one."""
    merged: dict[str, Subscription] = {}
    out: list[Subscription] = []
    for sub in subs:
        key = (sub.id or "").lower()
        base = merged.get(key) if key else None
        if base is None:
            if key:
                merged[key] = sub
            out.append(sub)
            continue
        for attr in ("cloud_services", "virtual_networks", "storage_accounts", "quotas"):
            getattr(base, attr).extend(getattr(sub, attr))
        base.cloud_services_listed = base.cloud_services_listed or sub.cloud_services_listed
        for attr in (
            "providers",
            "affinity_groups",
            "reserved_ips",
            "network_security_groups",
            "route_tables",
            "express_route_circuits",
            "rbac",
        ):
            mine, theirs = getattr(base, attr), getattr(sub, attr)
            if theirs is UNKNOWN:
                continue
            setattr(base, attr, (mine if mine is not UNKNOWN else []) + list(theirs))
        for cs in sub.cloud_services:
            cs.subscription = base
        owned: list[Any] = [*sub.virtual_networks, *sub.storage_accounts, *sub.quotas]
        for attr in (
            "reserved_ips",
            "network_security_groups",
            "route_tables",
            "express_route_circuits",
            "rbac",
        ):
            items = getattr(sub, attr)
            if isinstance(items, list):
                owned.extend(items)
        for item in owned:
            item.subscription = base
    return out


def _topology_services(subs: list[Subscription]) -> dict[str, list[CloudService]]:
    index: dict[str, list[CloudService]] = defaultdict(list)
    for sub in subs:
        for cs in sub.cloud_services:
            cs.in_topology = True
            cs.subscription = sub
            index[cs.name.lower()].append(cs)
    return index


def _file_services(inputs: Inputs, topo: dict[str, list[CloudService]]) -> list[CloudService]:
    """One cloud service per definition, per group of unpaired configurations, and per
    topology cloud service; file groups join the topology service of the same name."""
    groups: list[tuple[str, ServiceDefinition | None, list[ServiceConfiguration]]] = []
    for d in sorted(inputs.definitions, key=lambda x: x.path):
        groups.append((d.name or "", d, list(d.configurations)))
    unpaired: dict[tuple[str, str], list[ServiceConfiguration]] = defaultdict(list)
    for cfg in inputs.configurations:
        if cfg.definition is None:
            key = ((cfg.service_name or "").lower(), os.path.dirname(cfg.path))
            unpaired[key].append(cfg)
    for (_, _), cfgs in sorted(unpaired.items(), key=lambda kv: kv[1][0].path):
        groups.append((cfgs[0].service_name or "", None, cfgs))
    claimed: set[int] = set()
    services: list[CloudService] = []
    taken: set[str] = set()  # the keys of ``services`` (a set per new service was quadratic)
    hints = _hint_index([cs for candidates in topo.values() for cs in candidates])
    hinted = [_by_hint(cfgs, hints, claimed) for _, _, cfgs in groups]
    for (name, definition, cfgs), by_hint in zip(groups, hinted, strict=True):
        cs = by_hint or _claim(topo.get(name.lower(), []), claimed)
        if cs is None:
            first = definition or cfgs[0]
            cs = CloudService(
                name=name or "(unnamed)",
                src=first.src,
                key=_unique_key(f"cloudService:{(name or '(unnamed)').lower()}", taken),
            )
            cs.note_source("name", first.src)
        cs.definition = definition
        cs.configurations = cfgs
        if definition is not None:
            definition.cloud_service = cs
        for cfg in cfgs:
            cfg.cloud_service = cs
        services.append(cs)
        taken.add(cs.key)
    for candidates in topo.values():
        for cs in candidates:
            if id(cs) not in claimed:
                services.append(cs)
    return services


def _hint_index(everyone: list[CloudService]) -> dict[str, list[tuple[int, CloudService]]]:
    """Normalised ``cscfg`` path -> (position in ``everyone``, topology cloud service) of
    each deployment that names its ``.cscfg`` explicitly (a scan per file group was
    quadratic: 1 s of a 5 MB topology run)."""
    index: dict[str, list[tuple[int, CloudService]]] = defaultdict(list)
    for pos, cs in enumerate(everyone):
        for d in cs.deployments:
            if d.cscfg_hint:
                index[_norm(d.cscfg_hint)].append((pos, cs))
    return index


def _by_hint(
    cfgs: list[ServiceConfiguration],
    hints: dict[str, list[tuple[int, CloudService]]],
    claimed: set[int],
) -> CloudService | None:
    """The topology cloud service whose deployment names one of ``cfgs`` explicitly
    (``cscfg``), whatever its name: an explicit path wins over joining by name. Of several,
    the first in document order that no other file group claimed."""
    found = sorted((hit for c in cfgs for hit in hints.get(_norm(c.path), ())), key=lambda h: h[0])
    for _, cs in found:
        if id(cs) not in claimed:
            claimed.add(id(cs))
            return cs
    return None


def _claim(candidates: list[CloudService], claimed: set[int]) -> CloudService | None:
    """The first unclaimed topology cloud service of the file group's name."""
    free = [c for c in candidates if id(c) not in claimed]
    if free:
        claimed.add(id(free[0]))
        return free[0]
    return None


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _link_deployments(cs: CloudService) -> None:
    """Attach configurations to live deployments; the rest become file-only deployments."""
    live = list(cs.deployments)
    unlinked = [c for c in cs.configurations if c.deployment is None]
    for dep in live:
        if dep.configuration is None and dep.cscfg_hint:
            for cfg in unlinked:
                if _norm(cfg.path) == _norm(dep.cscfg_hint):
                    dep.configuration = cfg
                    unlinked.remove(cfg)
                    break
    waiting = [d for d in live if d.configuration is None]
    if len(waiting) == 1 and len(unlinked) == 1:
        waiting[0].configuration = unlinked.pop()
    if cs.in_topology and cs.deployments_listed and not live:
        unlinked = []  # the topology says it has no deployment: a .cscfg deploys nothing
    for cfg in unlinked:
        dep = Deployment(src=cfg.src, key=f"{cfg.key}#deployment")
        dep.configuration = cfg
        dep.kind = "paas"
        cs.deployments.append(dep)
    for dep in cs.deployments:
        dep.cloud_service = cs
        if dep.configuration is not None:
            _merge_configuration(dep, dep.configuration, cs.definition)
        for role in dep.roles:
            role.deployment = dep
        for vm in dep.vms:
            vm.deployment = dep
            vm.cloud_service = cs


def _merge_configuration(
    dep: Deployment, cfg: ServiceConfiguration, definition: ServiceDefinition | None
) -> None:
    cfg.deployment = dep
    if dep.kind is UNKNOWN:
        dep.kind = "paas"
    if dep.vnet_name is UNKNOWN:
        dep.vnet_name = cfg.vnet_name
        dep.note_source("vnet_name", cfg.srcs.get("vnet_name", cfg.src))
    topo_roles = {r.name.lower(): r for r in dep.roles}
    for role in cfg.roles:
        top = topo_roles.pop(role.name.lower(), None)
        if top is not None:
            if role.instance_count is UNKNOWN or role.instance_count is None:
                role.instance_count = top.instance_count
            if top.size is not UNKNOWN:
                role.size = top.size
    dep.roles = list(cfg.roles) + list(topo_roles.values())
    defs = {r.name.lower(): r for r in definition.roles} if definition else {}
    for role in dep.roles:
        rdef = defs.get(role.name.lower())
        role.definition = rdef
        if role.size is UNKNOWN and rdef is not None:
            role.size = rdef.effective_size
    if definition is not None:
        cfg.unknown_roles = [r.name for r in cfg.roles if r.name.lower() not in defs]
        for r in cfg.roles:
            if r.name.lower() not in defs:
                cfg.note_first("unknown_roles", r.src)


def _join_networks(estate: Estate, inputs: Inputs, services: list[CloudService]) -> None:
    vnets: dict[str, VirtualNetwork] = {}
    order: list[VirtualNetwork] = []
    for net in inputs.networks:
        for vnet in net.virtual_networks:
            key = vnet.name.lower()
            if key in vnets:
                overlay(vnets[key], vnet)
            else:
                vnets[key] = vnet
                order.append(vnet)
        estate.local_network_sites.extend(net.local_sites)
        estate.address_prefixes.extend(net.prefixes)
    checked = {p.key.lower() for p in estate.address_prefixes}
    for sub in estate.subscriptions:
        for vnet in sub.virtual_networks:
            key = vnet.name.lower()
            # a prefix a netcfg states too is checked where the netcfg was read; one only
            # the topology (or an export) states is checked here, even for a netcfg's VNet
            estate.address_prefixes.extend(
                p for p in _topology_prefixes(vnet) if p.key.lower() not in checked
            )
            if key in vnets:
                overlay(vnets[key], vnet, skip=frozenset({"deployments", "vms"}))
                vnets[key].declared = True
                vnets[key].from_topology = True
                vnets[key].subscription = sub
                sub.virtual_networks = [
                    vnets[key] if v is vnet else v for v in sub.virtual_networks
                ]
            else:
                vnet.subscription = sub
                vnets[key] = vnet
                order.append(vnet)
    for cs in services:
        for dep in cs.deployments:
            name = dep.vnet_name
            if name is None or name == "":  # stated "in no VNet": the .cscfg may say otherwise
                _note_disagreement(dep, "", vnets)
            if not isinstance(name, str) or not name:
                continue
            name = dep.vnet_name = _classic_vnet_name(name, vnets)
            _note_disagreement(dep, name, vnets)
            found = vnets.get(name.lower())
            if found is None:
                ref = dep.srcs.get("vnet_name", dep.src)
                found = VirtualNetwork(name=name, src=ref, key=f"virtualNetwork:{name.lower()}")
                vnets[name.lower()] = found
                order.append(found)
            vnet = found
            dep.virtual_network = vnet
            vnet.deployments.append(dep)
    estate.virtual_networks = order


def _note_disagreement(dep: Deployment, name: str, vnets: dict[str, VirtualNetwork]) -> None:
    """Keep the VNet the ``.cscfg`` names when the topology says another (CSM184): the
    deployment follows the topology, but its unit, blockers and commands then rest on one
    input contradicting the other."""
    cfg = dep.configuration
    if cfg is None or not isinstance(cfg.vnet_name, str) or not cfg.vnet_name.strip():
        return
    classic = _classic_vnet_name(cfg.vnet_name, vnets)
    if classic.lower() != name.lower():
        dep.cscfg_vnet_name = cfg.vnet_name
        dep.cscfg_vnet_unit = vnet_unit_id(classic)
        dep.note_source("cscfg_vnet_name", cfg.srcs.get("vnet_name", cfg.src))


def _classic_vnet_name(name: str, vnets: dict[str, VirtualNetwork]) -> str:
    """A ``.cscfg`` that ``csmlint fix`` (CSM133) already gave the VNet's ARM ID names the
    classic VNet the migration turns into it: the known VNet with that ARM name, else the
    ID's name (the migration keeps a VNet's name unless it is a portal ``Group`` name)."""
    arm = parse_vnet_id(name)
    if arm is None:
        return name
    for vnet in vnets.values():
        if arm_name(vnet.name).lower() == arm.name.lower():
            return vnet.name
    return arm.name


def _topology_prefixes(vnet: VirtualNetwork) -> list[AddressPrefix]:
    """The address space and subnet prefixes a topology gives a VNet, checked like a
    netcfg's (a topology or an imported export must not hide an invalid CIDR)."""
    out: list[AddressPrefix] = []
    if isinstance(vnet.address_space, list):
        ref = vnet.srcs.get("address_space", vnet.src)
        out += [check_prefix(p, "virtualNetwork", vnet.name, ref) for p in vnet.address_space]
    if isinstance(vnet.subnets, list):
        for subnet in vnet.subnets:
            if isinstance(subnet.prefix, str):
                ref = subnet.srcs.get("prefix", subnet.src)
                out.append(check_prefix(subnet.prefix, "subnet", f"{vnet.name}/{subnet.name}", ref))
    return out


def _collect(estate: Estate, inputs: Inputs) -> None:
    """Fill the per-scope lists of the estate in a stable order."""
    for cs in estate.cloud_services:
        if cs.definition is not None:
            estate.service_definitions.append(cs.definition)
        for dep in cs.deployments:
            estate.deployments.append(dep)
            if dep.configuration is not None:
                estate.service_configurations.append(dep.configuration)
            estate.roles.extend(dep.roles)
            estate.vms.extend(dep.vms)
    seen = {id(d) for d in estate.service_definitions}
    for d in inputs.definitions:
        if id(d) not in seen:
            estate.service_definitions.append(d)
    for d in estate.service_definitions:
        estate.role_definitions.extend(d.roles)
        for r in d.roles:
            estate.plugin_imports.extend(r.imports)
    for sub in estate.subscriptions:
        estate.quotas.extend(sub.quotas)
        for attr, target in (
            ("reserved_ips", estate.reserved_ips),
            ("network_security_groups", estate.network_security_groups),
            ("route_tables", estate.route_tables),
            ("express_route_circuits", estate.express_route_circuits),
            ("rbac", estate.rbac_assignments),
        ):
            items = getattr(sub, attr)
            if items is not UNKNOWN:
                target.extend(items)
        estate.storage_accounts.extend(sub.storage_accounts)


def _unique_key(key: str, taken: set[str]) -> str:
    """``key``, or ``key#n`` when services of the same name came from other files (``taken``:
    the keys so far): keys carry no paths, so fingerprints do not change with the folder
    csmlint runs from."""
    n = 1
    unique = key
    while unique in taken:
        n += 1
        unique = f"{key}#{n}"
    return unique
