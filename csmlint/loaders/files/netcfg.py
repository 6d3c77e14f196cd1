"""Classic ``NetworkConfiguration`` (netcfg) -> VNets, local network sites, prefixes."""

from __future__ import annotations

from csmlint.errors import InputError
from csmlint.model.azure.cidr import check_prefix
from csmlint.model.inputs import NetworkConfig
from csmlint.model.network import (
    DnsServer,
    Gateway,
    GatewayConnection,
    LocalNetworkSite,
    Subnet,
    VirtualNetwork,
)
from csmlint.parsing.locator import Locator
from csmlint.parsing.xmlsafe import XmlElement, attr, child, children, local_name, path, text_of

EXPRESSROUTE_CONNECTION = "dedicated"


def load_netcfg(locate: Locator) -> NetworkConfig:
    root = locate.doc.root
    if local_name(root) != "NetworkConfiguration":
        raise InputError(
            f"root element is <{local_name(root)}>, not <NetworkConfiguration>", line=1
        )
    out = NetworkConfig(path=locate.path)
    vnc = child(root, "VirtualNetworkConfiguration")
    if vnc is None:
        return out
    for el in path(vnc, "Dns", "DnsServers", "DnsServer"):
        out.dns_servers.append(
            DnsServer(name=attr(el, "name"), address=attr(el, "IPAddress"), src=locate(el))
        )
    for el in path(vnc, "LocalNetworkSites", "LocalNetworkSite"):
        out.local_sites.append(_local_site(el, out, locate))
    for el in path(vnc, "VirtualNetworkSites", "VirtualNetworkSite"):
        out.virtual_networks.append(_vnet(el, out, locate))
    return out


def _local_site(el: XmlElement, out: NetworkConfig, locate: Locator) -> LocalNetworkSite:
    name = attr(el, "name") or ""
    site = LocalNetworkSite(
        name=name,
        vpn_gateway_address=text_of(child(el, "VPNGatewayAddress")),
        src=locate(el),
        key=f"LocalNetworkSite[@name='{name}']",
    )
    for p in path(el, "AddressSpace", "AddressPrefix"):
        prefix = text_of(p) or ""
        site.address_space.append(prefix)
        out.prefixes.append(check_prefix(prefix, "localNetworkSite", name, locate(p)))
    return site


def _vnet(el: XmlElement, out: NetworkConfig, locate: Locator) -> VirtualNetwork:
    name = attr(el, "name") or ""
    ref = locate(el)
    vnet = VirtualNetwork(
        name=name, declared=True, src=ref, key=f"VirtualNetworkSite[@name='{name}']"
    )
    vnet.location = attr(el, "Location")
    vnet.affinity_group = attr(el, "AffinityGroup")
    for fact in ("name", "location", "affinity_group"):
        vnet.note_source(fact, ref)
    space: list[str] = []
    for p in path(el, "AddressSpace", "AddressPrefix"):
        prefix = text_of(p) or ""
        space.append(prefix)
        vnet.note_first("address_space", locate(p))
        out.prefixes.append(check_prefix(prefix, "virtualNetwork", name, locate(p)))
    vnet.address_space = space
    subnets: list[Subnet] = []
    for s in path(el, "Subnets", "Subnet"):
        sname = attr(s, "name") or ""
        prefix_el = child(s, "AddressPrefix")
        subnet_prefix = text_of(prefix_el)
        subnets.append(
            Subnet(
                name=sname,
                prefix=subnet_prefix,
                src=locate(s),
                key=f"{vnet.key}/Subnet[@name='{sname}']",
            )
        )
        if subnet_prefix is not None and prefix_el is not None:
            out.prefixes.append(
                check_prefix(subnet_prefix, "subnet", f"{name}/{sname}", locate(prefix_el))
            )
    vnet.subnets = subnets
    vnet.dns_servers = [
        DnsServer(name=attr(r, "name"), src=locate(r))
        for r in path(el, "DnsServersRef", "DnsServerRef")
    ]
    gateway_el = child(el, "Gateway")
    if gateway_el is not None:
        vnet.gateways = _gateways(gateway_el, vnet, out, locate) or vnet.gateways
    return vnet


def _gateways(
    el: XmlElement, vnet: VirtualNetwork, out: NetworkConfig, locate: Locator
) -> list[Gateway]:
    """Gateways the netcfg reveals; empty when it shows none (the netcfg cannot prove absence)."""
    vpn = Gateway(kind="vpn", src=locate(el), key=f"{vnet.key}/Gateway[vpn]")
    er = Gateway(kind="expressroute", src=locate(el), key=f"{vnet.key}/Gateway[expressroute]")
    for pool in children(el, "VPNClientAddressPool"):
        for p in children(pool, "AddressPrefix"):
            prefix = text_of(p) or ""
            vpn.p2s_pool.append(prefix)
            vpn.note_first("p2s_pool", locate(p))
            out.prefixes.append(check_prefix(prefix, "vpnClientAddressPool", vnet.name, locate(p)))
    for ref_el in path(el, "ConnectionsToLocalNetwork", "LocalNetworkSiteRef"):
        site = attr(ref_el, "name") or ""
        vnet.local_site_refs.append(site)
        vnet.note_first("local_site_refs", locate(ref_el))
        types = [(attr(c, "type") or "") for c in children(ref_el, "Connection")] or [""]
        for ctype in types:
            conn = GatewayConnection(local_site=site, type=ctype or None, src=locate(ref_el))
            target = er if ctype.lower() == EXPRESSROUTE_CONNECTION else vpn
            target.connections.append(conn)
    found = [g for g in (vpn, er) if g.connections or g.p2s_pool]
    for g in found:
        vnet.note_first("gateways", g.connections[0].src if g.connections else g.src)
    return found
