"""Networking and subscription-level ASM responses -> topology objects: List Virtual Network
Sites, Get Virtual Network Gateway, List Reserved IPs, List Affinity Groups, network security
groups, route tables, storage accounts, and the classic ``NetworkConfiguration`` (netcfg)."""

from __future__ import annotations

import re

from csmlint.loaders.asm.base import (
    SITE_ID,
    Builder,
    Collected,
    Context,
    Handler,
    Obj,
    Pending,
    boolean,
    either,
    elements,
    first,
    guid,
    lower,
    text,
    texts,
    value,
)
from csmlint.loaders.files.netcfg import EXPRESSROUTE_CONNECTION, load_netcfg
from csmlint.model.facts import UNKNOWN
from csmlint.model.location import SourceRef
from csmlint.model.network import VirtualNetwork
from csmlint.parsing.locator import Locator
from csmlint.parsing.xmlsafe import XmlElement, local_name

_EVENT_VNET = re.compile(r"virtual network:\s*(.+?)\.?\s*$", re.IGNORECASE)


def virtual_network_sites(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    sites = [root] if local_name(root) == "VirtualNetworkSite" else root
    out.add("virtualNetworks", [])
    for site in elements_named(sites, "VirtualNetworkSite"):
        vnet = _site(b, site)
        site_id = guid(text(site, "Id"))
        if site_id:
            vnet[SITE_ID] = site_id
        out.add("virtualNetworks", [vnet])


def elements_named(parent: object, name: str) -> list[XmlElement]:
    if isinstance(parent, list):
        return [e for e in parent if local_name(e) == name]
    return list(elements(parent, name))


def _site(b: Builder, site: XmlElement) -> Obj:
    vnet = b.obj(site)
    name, name_el = value(site, "Name")
    b.put(vnet, "name", name or "", name_el)
    location, loc_el = value(site, "Location")
    b.put(vnet, "location", location or None, loc_el)
    group, group_el = value(site, "AffinityGroup")
    b.put(vnet, "affinityGroup", group or "", group_el if group_el is not None else site)
    space_el = first(site, "AddressSpace")
    if space_el is not None:
        b.put(vnet, "addressSpace", texts(space_el, "AddressPrefixes", "AddressPrefix"), space_el)
    subnets_el = first(site, "Subnets")
    if subnets_el is not None:
        subnets = []
        for s in elements(subnets_el, "Subnet"):
            subnet = b.obj(s)
            _text(b, subnet, "name", s, "Name")
            _text(b, subnet, "prefix", s, "AddressPrefix")
            _text(b, subnet, "nsg", s, "NetworkSecurityGroup")
            _text(b, subnet, "routeTable", s, "RouteTableName")
            subnets.append(subnet)
        b.put(vnet, "subnets", subnets, subnets_el)
    dns_el = first(site, "Dns")
    servers = []
    for d in elements(dns_el, "DnsServers", "DnsServer"):
        server = b.obj(d)
        _text(b, server, "name", d, "Name")
        _text(b, server, "address", d, "Address")
        servers.append(server)
    b.put(vnet, "dnsServers", servers, dns_el if dns_el is not None else site)
    gateway_el = first(site, "Gateway")
    if gateway_el is None:
        b.put(vnet, "gateways", [], site)
    else:
        gateways = _site_gateways(b, gateway_el)
        if gateways:
            b.put(vnet, "gateways", gateways, gateway_el)
    state, state_el = value(site, "MigrationState")
    if state:
        b.put(vnet, "migrationState", state.lower(), state_el)
    return vnet


def _text(b: Builder, obj: Obj, key: str, el: XmlElement, name: str) -> None:
    found, found_el = value(el, name)
    if found:
        b.put(obj, key, found, found_el)


def _site_gateways(b: Builder, el: XmlElement) -> list[Obj]:
    """A ``vpn`` gateway for IPsec sites and point-to-site pools, an ``expressroute`` one
    for ``Dedicated`` sites; none when the element shows neither (kind unknown)."""
    vpn, er = b.obj(el), b.obj(el)
    vpn["kind"], er["kind"] = "vpn", "expressroute"
    for g in (vpn, er):
        b.put(g, "sku", text(el, "Profile"), first(el, "Profile"))
        g["connections"] = []
    for site in elements(el, "Sites", "LocalNetworkSite"):
        name = text(site, "Name")
        types: list[str | None] = [*texts(site, "Connections", "Connection", "Type")] or [None]
        for ctype in types:
            conn = b.obj(site)
            b.put(conn, "localSite", name, first(site, "Name"))
            b.put(conn, "type", ctype, first(site, "Connections"))
            target = er if (ctype or "").lower() == EXPRESSROUTE_CONNECTION else vpn
            target["connections"].append(conn)
    pool = texts(el, "VPNClientAddressPool", "AddressPrefixes", "AddressPrefix")
    if pool:
        b.put(vpn, "p2sPool", pool, first(el, "VPNClientAddressPool"))
    return [g for g in (vpn, er) if g["connections"] or g.get("p2sPool")]


def gateway(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    """Get Virtual Network Gateway: the response does not name its VNet; the request URL,
    the gateway id (= the VNet site id) or the last event's message does."""
    facts = b.obj(root)
    b.put(facts, "sku", text(root, "GatewaySize"), first(root, "GatewaySize"))
    b.put(facts, "state", lower(root, "State"), first(root, "State"))
    keys: dict[str, str] = {}
    gateway_id = guid(text(root, "GatewayId"))
    if gateway_id:
        keys["id"] = gateway_id
    vnet = ctx.vnet
    if vnet is None:
        match = _EVENT_VNET.search(text(root, "LastEvent", "Message") or "")
        vnet = match.group(1).strip() if match else None
    if vnet:
        keys["vnet"] = vnet
    out.pending.append(Pending("gateway", keys, facts, b.ref(root)))


def reserved_ips(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    items = []
    for el in elements_named([root] if local_name(root) == "ReservedIP" else root, "ReservedIP"):
        rip = b.obj(el)
        _text(b, rip, "name", el, "Name")
        _text(b, rip, "address", el, "Address")
        _text(b, rip, "location", el, "Location")
        in_use, in_use_el = boolean(el, "InUse"), first(el, "InUse")
        b.put(rip, "inUse", in_use if in_use is not None else False, either(in_use_el, el))
        for key, name in (("cloudService", "ServiceName"), ("deployment", "DeploymentName")):
            found, found_el = value(el, name)
            if found:
                b.put(rip, key, found, found_el)
            elif not in_use:
                b.put(rip, key, "", el)
        if rip.get("name"):
            items.append(rip)
    out.add("reservedIps", items)


def affinity_groups(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    groups = [root] if local_name(root) == "AffinityGroup" else root
    items = []
    for el in elements_named(groups, "AffinityGroup"):
        group = b.obj(el)
        _text(b, group, "name", el, "Name")
        _text(b, group, "location", el, "Location")
        if group.get("name"):
            items.append(group)
    out.add("affinityGroups", items)


def named_list(key: str, item: str) -> Handler:
    """A handler for a ``<item>`` or ``<item>s`` list root of named objects (NSGs, route
    tables): only the names are mapped; associations come from the VNets' subnets."""

    def handler(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
        found = [root] if local_name(root) == item else root
        items = []
        for el in elements_named(found, item):
            obj = b.obj(el)
            _text(b, obj, "name", el, "Name")
            if obj.get("name"):
                items.append(obj)
        out.add(key, items)

    return handler


def storage_services(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    found = [root] if local_name(root) == "StorageService" else root
    items = []
    for el in elements_named(found, "StorageService"):
        account = b.obj(el)
        _text(b, account, "name", el, "ServiceName")
        props = first(el, "StorageServiceProperties")
        if props is not None:
            _text(b, account, "location", props, "Location")
            _text(b, account, "sku", props, "AccountType")
            state, state_el = value(props, "MigrationState")
            if state:
                b.put(account, "migrationState", state.lower(), state_el)
        if account.get("name"):
            items.append(account)
    out.add("storageAccounts", items)


def network_configuration(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    """The classic netcfg, read by the netcfg loader and written as topology VNets. Local
    network sites have no place in the topology: lint the netcfg file itself for them."""
    net = load_netcfg(Locator(b.doc, b.display))
    addresses = {(d.name or "").lower(): d.address for d in net.dns_servers}
    out.add("virtualNetworks", [_netcfg_vnet(b, m, addresses) for m in net.virtual_networks])


def _netcfg_vnet(b: Builder, model: VirtualNetwork, addresses: dict[str, str | None]) -> Obj:
    vnet: Obj = {}
    prov = b.prov
    prov.mark(vnet, model.src)

    def put(key: str, val: object, ref: SourceRef | None) -> None:
        vnet[key] = val
        prov.mark_key(vnet, key, ref)

    put("name", model.name, model.src)
    if isinstance(model.location, str):
        put("location", model.location, model.src)
    if model.affinity_group is not UNKNOWN:
        put("affinityGroup", model.affinity_group or "", model.src)
    if isinstance(model.address_space, list):
        put("addressSpace", list(model.address_space), model.srcs.get("address_space"))
    if isinstance(model.subnets, list):
        subnets = []
        for s in model.subnets:
            subnet: Obj = {"name": s.name}
            if s.prefix:
                subnet["prefix"] = s.prefix
            prov.mark(subnet, s.src)
            subnets.append(subnet)
        put("subnets", subnets, model.src)
    if isinstance(model.dns_servers, list):
        servers = []
        for d in model.dns_servers:
            server: Obj = {"name": d.name} if d.name else {}
            address = addresses.get((d.name or "").lower())
            if address:
                server["address"] = address
            prov.mark(server, d.src)
            servers.append(server)
        put("dnsServers", servers, model.src)
    if isinstance(model.gateways, list):
        gateways = []
        for g in model.gateways:
            gw: Obj = {"kind": g.kind, "connections": []}
            prov.mark(gw, g.src)
            for c in g.connections:
                conn: Obj = {"localSite": c.local_site}
                if c.type:
                    conn["type"] = c.type
                prov.mark(conn, c.src)
                gw["connections"].append(conn)
            if g.p2s_pool:
                gw["p2sPool"] = list(g.p2s_pool)
            gateways.append(gw)
        put("gateways", gateways, model.srcs.get("gateways", model.src))
    return vnet
