"""Topology ``virtualNetworks[]`` and the subscription's network resources."""

from __future__ import annotations

from csmlint.loaders.topology.fields import (
    BOOL,
    ENUM,
    NONE,
    STR,
    STRINGS,
    TEXT,
    FactSpec,
    Node,
    known_list,
)
from csmlint.model.network import (
    DnsServer,
    Gateway,
    GatewayConnection,
    Peering,
    Subnet,
    VirtualNetwork,
    VnetService,
)
from csmlint.model.subscription import (
    AffinityGroup,
    ExpressRouteCircuit,
    ExpressRouteLink,
    NetworkSecurityGroup,
    ReservedIp,
    RouteTable,
)

VNET_FACTS: tuple[FactSpec, ...] = (
    ("location", "location", STR),
    ("affinity_group", "affinityGroup", NONE),
    ("address_space", "addressSpace", STRINGS),
    ("migration_state", "migrationState", ENUM),
)
SUBNET_FACTS: tuple[FactSpec, ...] = (
    ("prefix", "prefix", TEXT),
    ("nsg", "nsg", NONE),
    ("route_table", "routeTable", NONE),
)
GATEWAY_FACTS: tuple[FactSpec, ...] = (("sku", "sku", STR), ("state", "state", STR))
CONNECTION_FACTS: tuple[FactSpec, ...] = (
    ("local_site", "localSite", TEXT),
    ("type", "type", TEXT),
    ("state", "state", STR),
)
PEERING_FACTS: tuple[FactSpec, ...] = (
    ("remote_vnet_id", "remoteVnetId", TEXT),
    ("state", "state", TEXT),
)
SERVICE_FACTS: tuple[FactSpec, ...] = (("name", "name", TEXT), ("subnet", "subnet", TEXT))
DNS_FACTS: tuple[FactSpec, ...] = (("name", "name", TEXT), ("address", "address", TEXT))
RESERVED_IP_FACTS: tuple[FactSpec, ...] = (
    ("address", "address", TEXT),
    ("location", "location", TEXT),
    ("in_use", "inUse", BOOL),
    ("cloud_service", "cloudService", TEXT),
    ("deployment", "deployment", TEXT),
)
CIRCUIT_FACTS: tuple[FactSpec, ...] = (
    ("service_key", "serviceKey", TEXT),
    ("model", "model", ENUM),
    ("subscription_id", "subscriptionId", NONE),
)


def virtual_network(n: Node) -> VirtualNetwork:
    name = n.name()
    vnet = VirtualNetwork(
        name=name,
        declared=True,
        from_topology=True,
        src=n.ref(),
        key=f"virtualNetwork:{name.lower()}",
    )
    vnet.note_source("name", n.ref("name"))
    n.fill(vnet, VNET_FACTS)
    vnet.subnets = known_list(n, "subnets", lambda s: _subnet(s, vnet), vnet, "subnets")
    vnet.dns_servers = known_list(n, "dnsServers", lambda d: _dns(d, vnet), vnet, "dns_servers")
    vnet.gateways = known_list(n, "gateways", lambda g: _gateway(g, vnet), vnet, "gateways")
    if isinstance(vnet.gateways, list):
        for gateway in vnet.gateways:
            for conn in gateway.connections:
                if conn.local_site and conn.local_site not in vnet.local_site_refs:
                    vnet.local_site_refs.append(conn.local_site)
                    vnet.note_first("local_site_refs", conn.src)
    vnet.peerings = known_list(n, "peerings", lambda p: _peering(p, vnet), vnet, "peerings")
    vnet.services = known_list(n, "services", lambda s: _service(s, vnet), vnet, "services")
    return vnet


def _subnet(n: Node, vnet: VirtualNetwork) -> Subnet:
    name = n.name()
    subnet = Subnet(name=name, src=n.ref(), key=f"{vnet.key}/subnet:{name.lower()}")
    n.fill(subnet, SUBNET_FACTS)
    return subnet


def _dns(n: Node, vnet: VirtualNetwork) -> DnsServer:
    server = DnsServer(src=n.ref(), key=f"{vnet.key}/dns:{n.index}")
    n.fill(server, DNS_FACTS)
    return server


def _gateway(n: Node, vnet: VirtualNetwork) -> Gateway:
    kind = n.name("kind").lower()
    gateway = Gateway(kind=kind, src=n.ref(), key=f"{vnet.key}/gateway:{kind}")
    gateway.note_source("kind", n.ref("kind"))
    n.fill(gateway, GATEWAY_FACTS)
    for c in n.each("connections"):
        conn = GatewayConnection(src=c.ref(), key=f"{gateway.key}/connection:{c.index}")
        c.fill(conn, CONNECTION_FACTS)
        if isinstance(conn.local_site, str):
            conn.key = f"{gateway.key}/connection:{conn.local_site.lower()}"
        gateway.connections.append(conn)
    pool = n.get("p2sPool", STRINGS)
    if isinstance(pool, list):
        gateway.p2s_pool = pool
        gateway.note_source("p2s_pool", n.ref("p2sPool"))
    return gateway


def _peering(n: Node, vnet: VirtualNetwork) -> Peering:
    peering = Peering(src=n.ref(), key=f"{vnet.key}/peering:{n.index}")
    n.fill(peering, PEERING_FACTS)
    if isinstance(peering.remote_vnet_id, str):
        peering.key = f"{vnet.key}/peering:{peering.remote_vnet_id.lower()}"
    return peering


def _service(n: Node, vnet: VirtualNetwork) -> VnetService:
    kind = n.name("kind").lower()
    service = VnetService(kind=kind, src=n.ref())
    service.note_source("kind", n.ref("kind"))
    n.fill(service, SERVICE_FACTS)
    ident = service.name.lower() if service.name else n.index
    service.key = f"{vnet.key}/service:{kind}:{ident}"
    return service


def affinity_group(n: Node) -> AffinityGroup:
    name = n.name()
    group = AffinityGroup(name=name, src=n.ref(), key=f"affinityGroup:{name.lower()}")
    n.fill(group, (("location", "location", TEXT),))
    return group


def reserved_ip(n: Node) -> ReservedIp:
    name = n.name()
    rip = ReservedIp(name=name, src=n.ref(), key=f"reservedIp:{name.lower()}")
    n.fill(rip, RESERVED_IP_FACTS)
    return rip


def network_security_group(n: Node) -> NetworkSecurityGroup:
    name = n.name()
    nsg = NetworkSecurityGroup(name=name, src=n.ref(), key=f"networkSecurityGroup:{name.lower()}")
    n.fill(nsg, (("associations", "associations", STRINGS),))
    return nsg


def route_table(n: Node) -> RouteTable:
    name = n.name()
    table = RouteTable(name=name, src=n.ref(), key=f"routeTable:{name.lower()}")
    n.fill(table, (("subnets", "subnets", STRINGS),))
    return table


def express_route_circuit(n: Node) -> ExpressRouteCircuit:
    name = n.name()
    circuit = ExpressRouteCircuit(name=name, src=n.ref(), key=f"expressRouteCircuit:{name.lower()}")
    n.fill(circuit, CIRCUIT_FACTS)
    for link_node in n.each("links"):
        vnet = link_node.name("vnet")
        link = ExpressRouteLink(
            vnet=vnet, src=link_node.ref(), key=f"{circuit.key}/link:{vnet.lower()}"
        )
        link_node.fill(link, (("subscription_id", "subscriptionId", NONE),))
        circuit.links.append(link)
    return circuit
