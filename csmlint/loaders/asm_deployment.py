"""A ``Deployment`` (Get Deployment, or one of ``HostedService/Deployments``) -> a topology
``deployments[]`` object, the cloud-service extensions it references, and its decoded
``Configuration`` (`.cscfg`)."""

from __future__ import annotations

import re

from csmlint.errors import InputError
from csmlint.loaders.asm_base import (
    Builder,
    Collected,
    Context,
    EmbeddedConfig,
    Obj,
    decode_base64,
    either,
    elements,
    first,
    host_label,
    label,
    lower,
    text,
    value,
)
from csmlint.loaders.asm_vm import is_vm_role, vm_object
from csmlint.loaders.cscfg import load_cscfg
from csmlint.loaders.locator import Locator
from csmlint.loaders.xmlsafe import XmlElement, parse_xml
from csmlint.model.location import SourceRef

RDP_PROVIDER = "Microsoft.Windows.Azure.Extensions"
RDP_TYPE = "RDP"
_RDP_ID = re.compile(r"^(?:rdp-|.+-rdp-(?:production|staging)-ext-\d+$)", re.IGNORECASE)
"""Extension ids that name the RDP extension: ``RDP-<guid>`` (Visual Studio, the xplat CLI)
and Azure PowerShell's ``<Default|role>-RDP-<slot>-Ext-<n>``."""
_MODERN_MARKERS = ("IsReserved", "ReservedIPName", "LoadBalancers", "VirtualIPName")
"""Elements that only ``x-ms-version`` 2014-05-01 and later return (reserved IPs, internal
load balancers, multiple VIPs): their presence dates the response."""


def is_modern(dep: XmlElement) -> bool:
    """The response shows it was produced by ``x-ms-version`` 2014-05-01 or later."""
    if any(first(dep, m) is not None for m in _MODERN_MARKERS):
        return True
    vips = elements(dep, "VirtualIPs", "VirtualIP")
    return any(first(v, m) is not None for v in vips for m in _MODERN_MARKERS)


def rdp_extension_id(ext_id: str) -> bool:
    return bool(_RDP_ID.match(ext_id.strip()))


def deployment_object(
    b: Builder, dep: XmlElement, ctx: Context, out: Collected
) -> tuple[str | None, Obj, list[Obj]]:
    """(cloud service name, deployment object, cloud-service extensions it references)."""
    url = text(dep, "Url")
    service = ctx.service or host_label(url)
    modern = ctx.modern or is_modern(dep)
    d = b.obj(dep)
    slot, slot_el = value(dep, "DeploymentSlot")
    b.put(d, "slot", slot.lower() if slot else ctx.slot, slot_el if slot else dep)
    name, name_el = value(dep, "Name")
    b.put(d, "name", name or None, name_el)
    b.put(d, "label", label(dep, "Label"), first(dep, "Label"))
    b.put(d, "status", lower(dep, "Status"), first(dep, "Status"))
    roles = list(elements(dep, "RoleList", "Role"))
    if roles:
        iaas = any(is_vm_role(r) for r in roles)
        b.put(d, "kind", "iaas" if iaas else "paas", first(dep, "RoleList"))
    else:
        iaas = False
    vnet, vnet_el = value(dep, "VirtualNetworkName")
    b.put(d, "vnet", vnet or "", vnet_el if vnet_el is not None else dep)
    _vips(b, d, dep, roles, modern)
    extensions = _extension_refs(b, d, dep, modern)
    instances = list(elements(dep, "RoleInstanceList", "RoleInstance"))
    if iaas:
        vms = [vm_object(b, r, _instance_of(r, instances)) for r in roles if is_vm_role(r)]
        b.put(d, "vms", vms, first(dep, "RoleList"))
        b.put(d, "roles", [], first(dep, "RoleList"))
    elif roles or instances:
        roles_out = _roles(b, roles, instances, first(dep, "RoleInstanceList"))
        b.put(d, "roles", roles_out, first(dep, "RoleList"))
        b.put(d, "vms", [], either(first(dep, "RoleList"), dep))
    _migration(b, d, roles)
    if service:
        _configuration(b, d, dep, service, out)
    return service, d, extensions


def _instance_of(role: XmlElement, instances: list[XmlElement]) -> XmlElement | None:
    name = (text(role, "RoleName") or "").lower()
    return next((i for i in instances if (text(i, "RoleName") or "").lower() == name), None)


def _roles(
    b: Builder, roles: list[XmlElement], instances: list[XmlElement], instance_list: XmlElement
) -> list[Obj]:
    by_name: dict[str, Obj] = {}
    for role_el in roles:
        name = text(role_el, "RoleName")
        if name and name.lower() not in by_name:
            role = b.obj(role_el)
            b.put(role, "name", name, first(role_el, "RoleName"))
            by_name[name.lower()] = role
    counts: dict[str, int] = {}
    sizes: dict[str, set[str]] = {}
    for inst in instances:
        name = text(inst, "RoleName")
        if not name:
            continue
        if name.lower() not in by_name:
            role = b.obj(inst)
            b.put(role, "name", name, first(inst, "RoleName"))
            by_name[name.lower()] = role
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
        size = text(inst, "InstanceSize")
        if size:
            sizes.setdefault(name.lower(), set()).add(size)
    for key, role in by_name.items():
        found = sizes.get(key, set())
        if len(found) == 1:
            b.put(role, "size", next(iter(found)), instance_list)
        if instance_list is not None:
            b.put(role, "instanceCount", counts.get(key, 0), instance_list)
    return list(by_name.values())


def _vips(b: Builder, d: Obj, dep: XmlElement, roles: list[XmlElement], modern: bool) -> None:
    vips_el = first(dep, "VirtualIPs")
    if vips_el is None:
        return
    items = list(elements(vips_el, "VirtualIP"))
    top_reserved = text(dep, "ReservedIPName")
    endpoints = _input_endpoints(roles)
    out = []
    for vip_el in items:
        vip = b.obj(vip_el)
        name, address = text(vip_el, "Name"), text(vip_el, "Address")
        b.put(vip, "name", name, first(vip_el, "Name"))
        b.put(vip, "address", address, first(vip_el, "Address"))
        flag, flag_el = value(vip_el, "IsReserved")
        reserved = flag.lower() == "true" if flag else (False if modern else None)
        rip, rip_el = value(vip_el, "ReservedIPName")
        if not rip and top_reserved and len(items) == 1:
            rip, rip_el = top_reserved, first(dep, "ReservedIPName")
        if rip and reserved is None:
            reserved = True
        b.put(vip, "reserved", reserved, flag_el if flag_el is not None else vip_el)
        if rip:
            b.put(vip, "reservedIpName", rip, rip_el)
        elif reserved is False:
            b.put(vip, "reservedIpName", "", vip_el)
        if roles:
            count = _endpoint_count(endpoints, name, address, single=len(items) == 1)
            b.put(vip, "endpointCount", count, first(dep, "RoleList"))
        out.append(vip)
    b.put(d, "vips", out, vips_el)


def _input_endpoints(roles: list[XmlElement]) -> list[tuple[str, XmlElement]]:
    found = []
    for role in roles:
        role_name = text(role, "RoleName") or ""
        for cs in elements(role, "ConfigurationSets", "ConfigurationSet"):
            for ep in elements(cs, "InputEndpoints", "InputEndpoint"):
                found.append((role_name, ep))
    return found


def _endpoint_count(
    endpoints: list[tuple[str, XmlElement]], name: str | None, address: str | None, *, single: bool
) -> int:
    """Distinct endpoints on one VIP (a load-balanced set counts once)."""
    keys: set[tuple[str, ...]] = set()
    for role_name, ep in endpoints:
        vip_name, vip_addr = text(ep, "VirtualIPName"), text(ep, "Vip")
        on_vip = (
            (vip_name is not None and vip_name == name)
            or (vip_name is None and vip_addr is not None and vip_addr == address)
            or (vip_name is None and vip_addr is None and single)
        )
        if not on_vip:
            continue
        lb_set = text(ep, "LoadBalancedEndpointSetName")
        keys.add(
            ("set", lb_set.lower())
            if lb_set
            else (
                "ep",
                role_name.lower(),
                (text(ep, "Name") or "").lower(),
                text(ep, "Port") or "",
                (text(ep, "Protocol") or "").lower(),
            )
        )
    return len(keys)


def _extension_refs(b: Builder, d: Obj, dep: XmlElement, modern: bool) -> list[Obj]:
    config = first(dep, "ExtensionConfiguration")
    if config is None:
        if modern:
            b.put(d, "extensionRefs", [], dep)
        return []
    refs: dict[str, Obj] = {}

    def add(ext_el: XmlElement, role: str) -> None:
        ext_id, id_el = value(ext_el, "Id")
        if not ext_id:
            return
        ref = refs.get(ext_id.lower())
        if ref is None:
            ref = b.obj(ext_el)
            b.put(ref, "id", ext_id, id_el)
            b.put(ref, "roles", [], ext_el)
            refs[ext_id.lower()] = ref
        if role not in ref["roles"]:
            ref["roles"].append(role)

    for ext_el in elements(config, "AllRoles", "Extension"):
        add(ext_el, "*")
    for role_el in elements(config, "NamedRoles", "Role"):
        role_name = text(role_el, "RoleName") or ""
        for ext_el in elements(role_el, "Extensions", "Extension"):
            add(ext_el, role_name)
    b.put(d, "extensionRefs", list(refs.values()), config)
    extensions = []
    for ref in refs.values():
        ext = b.obj(None)
        b.prov.mark(ext, b.prov.of(ref))
        ext["id"] = ref["id"]
        b.prov.copy_key(ext, ref, "id")
        if rdp_extension_id(ref["id"]):
            # Inferred from the id: only a List Extensions response states type/provider.
            ext["provider"] = RDP_PROVIDER
            ext["type"] = RDP_TYPE
            b.prov.mark_key(ext, "provider", b.prov.of_key(ref, "id"))
            b.prov.mark_key(ext, "type", b.prov.of_key(ref, "id"))
        extensions.append(ext)
    return extensions


def _migration(b: Builder, d: Obj, roles: list[XmlElement]) -> None:
    for role in roles:
        state, state_el = value(role, "MigrationState")
        if state:
            migration = b.obj(state_el)
            b.put(migration, "state", state.lower(), state_el)
            b.put(d, "migration", migration, state_el)
            return


def _configuration(b: Builder, d: Obj, dep: XmlElement, service: str, out: Collected) -> None:
    raw, el = value(dep, "Configuration")
    if not raw or el is None:
        return
    outer = b.ref(el) or SourceRef(b.display, 1, 1)
    try:
        data = decode_base64(raw)
        cfg_doc = parse_xml(data)
        cfg = load_cscfg(Locator(cfg_doc, b.display, outer=outer), embedded=True)
    except ValueError as exc:
        b.problem(el, f"deployment Configuration: {exc}")
        return
    except InputError as exc:
        where = f" (line {exc.line} of the decoded .cscfg)" if exc.line else ""
        b.problem(el, f"deployment Configuration is not a readable .cscfg: {exc.reason}{where}")
        return
    slot = d.get("slot")
    out.configurations.append(
        EmbeddedConfig(
            service=service,
            slot=slot if isinstance(slot, str) else None,
            deployment=d.get("name"),
            configuration=cfg,
            owner=d,
        )
    )
