"""Derived facts about virtual networks: what lives in them, what links them, and what
conflicts inside them.

Membership is the delicate part. A VNet's members are the deployments that name it (a
topology ``vnet`` or a ``.cscfg`` ``VirtualNetworkSite``). That a VNet holds *no* web/worker
roles (``hasPaas`` false), no classic VMs or no cloud services at all is known only when a
topology lists all the cloud services of the VNet's subscription (a ``cloudServices`` array not
marked ``cloudServicesComplete: false``: ``Subscription.cloud_services_listed``), every listed
service lists its deployments, and every deployment says which VNet it is in. A topology or an
imported ``List Virtual Network Sites`` response that lists VNets but no cloud services, or
imported single-service exports (Get Cloud Service Properties, Get Deployment) without a List
Cloud Services response, prove nothing about their members.

Like :mod:`csmlint.assembly.derive`, this only states facts; the rule packs decide what they
mean for the migration.
"""

from __future__ import annotations

from collections import defaultdict

from csmlint.model.azure.arm_ids import parse_vnet_id
from csmlint.model.azure.sizes import normalize_region
from csmlint.model.cloud import Deployment
from csmlint.model.compute import VirtualMachine
from csmlint.model.estate import Estate
from csmlint.model.facts import UNKNOWN, Fact
from csmlint.model.network import VirtualNetwork
from csmlint.model.subscription import ExpressRouteCircuit, ExpressRouteLink

STOPPED_DEALLOCATED = frozenset({"stoppeddeallocated", "stopped-deallocated", "deallocated"})


def derive_vnet(vnet: VirtualNetwork, estate: Estate, listed: set[int] | None = None) -> None:
    """Every derived fact of one VNet; ``listed`` (ids of the subscriptions whose members are
    all known, from :func:`subscriptions_with_known_members`) saves recomputing it per VNet."""
    if isinstance(vnet.location, str):
        vnet.region = normalize_region(vnet.location)
    if listed is None:
        listed = subscriptions_with_known_members(estate)
    known = vnet.subscription is not None and id(vnet.subscription) in listed
    vnet.described = True if vnet.declared else UNKNOWN
    vnet.topology_described = True if vnet.from_topology else UNKNOWN
    _members(vnet, known)
    _circuits(vnet, estate)
    if isinstance(vnet.peerings, list):
        vnet.peered_with = [_remote_name(p.remote_vnet_id, i) for i, p in enumerate(vnet.peerings)]
        vnet.peered_groups = [_remote_group(p.remote_vnet_id) for p in vnet.peerings]
    _static_ips(vnet, known)


def subscriptions_with_known_members(estate: Estate) -> set[int]:
    """Ids of the subscriptions whose VNets' members are all known: the subscription lists
    its cloud services, each of them lists its deployments, and every deployment (those known
    only from files too) says which VNet it is in."""
    files_known = all(
        _vnet_known(d) for cs in estate.cloud_services if not cs.in_topology for d in cs.deployments
    )
    undecided = {
        id(cs.subscription)
        for cs in estate.cloud_services
        if cs.in_topology
        and cs.subscription is not None
        and (not cs.deployments_listed or not all(_vnet_known(d) for d in cs.deployments))
    }
    if not files_known:
        return set()
    return {
        id(sub)
        for sub in estate.subscriptions
        if sub.cloud_services_listed and id(sub) not in undecided
    }


def _vnet_known(dep: Deployment) -> bool:
    """The deployment says which VNet it is in, or that it is in the platform's hidden
    default VNet (``inDefaultVnet``: then in none the inputs declare)."""
    return dep.vnet_name is not UNKNOWN or dep.in_default_vnet is True


def _members(vnet: VirtualNetwork, known: bool) -> None:
    members = vnet.deployments
    names: dict[str, set[str]] = defaultdict(set)
    for dep in members:
        if dep.cloud_service is not None:
            names["all"].add(dep.cloud_service.name)
            if isinstance(dep.kind, str):
                names[dep.kind].add(dep.cloud_service.name)
    vnet.cloud_service_names = sorted(names["all"])
    vnet.paas_cloud_service_names = sorted(names["paas"])
    vnet.iaas_cloud_service_names = sorted(names["iaas"])
    kinds = {d.kind for d in members}
    vnet.has_paas = _holds("paas", kinds, known)
    vnet.has_iaas = _holds("iaas", kinds, known)
    vnet.has_cloud_services = True if members else (False if known else UNKNOWN)
    vnet.vms = [vm for d in members for vm in d.vms]
    if known:
        vnet.vm_count = len(vnet.vms)


def _holds(kind: str, kinds: set[Fact[str]], known: bool) -> Fact[bool]:
    """A member of ``kind`` is true evidence; its absence counts only when membership is
    known and every member's kind is."""
    if kind in kinds:
        return True
    return False if known and UNKNOWN not in kinds else UNKNOWN


def _circuits(vnet: VirtualNetwork, estate: Estate) -> None:
    """Circuits linked to ``vnet``, whether it has ExpressRoute, and which links cross
    subscriptions (the circuit's ``subscriptionId`` against the link's, or the VNet's)."""
    own = vnet.subscription.id if vnet.subscription is not None else None
    circuits: list[ExpressRouteCircuit] = []
    cross: list[ExpressRouteCircuit] = []
    undecided = False
    for circuit in estate.express_route_circuits:
        links = [link for link in circuit.links if _links_to(link, vnet, own)]
        if not links:
            continue
        circuits.append(circuit)
        owner = _text(circuit.subscription_id)
        for link in links:
            where = _text(link.subscription_id) or own
            if owner is None or not where:
                undecided = True
            elif owner.lower() != where.lower() and circuit not in cross:
                cross.append(circuit)
                vnet.note_first("cross_subscription_circuits", link.src)
    vnet.express_route_circuits = circuits
    vnet.express_route_circuit = circuits[0] if len(circuits) == 1 else None
    vnet.cross_subscription_circuits = cross if cross or not undecided else UNKNOWN
    er_gateway: Fact[bool] = UNKNOWN
    if isinstance(vnet.gateways, list):
        er_gateway = any(g.kind == "expressroute" for g in vnet.gateways)
    vnet.has_express_route = True if circuits else er_gateway


def _links_to(link: ExpressRouteLink, vnet: VirtualNetwork, own: str | None) -> bool:
    """The link names ``vnet`` (and, when both are known, its subscription)."""
    if link.vnet.lower() != vnet.name.lower():
        return False
    where = _text(link.subscription_id)
    return where is None or own is None or where.lower() == own.lower()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _remote_name(remote_id: str | None, index: int) -> str:
    """``.../virtualNetworks/<name>`` -> ``<name>``; other IDs as written."""
    if not remote_id:
        return f"peering {index + 1}"
    parts = [p for p in remote_id.split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if part.lower() == "virtualnetworks":
            return parts[i + 1]
    return remote_id


def _remote_group(remote_id: str | None) -> str | None:
    parsed = parse_vnet_id(remote_id) if remote_id else None
    return parsed.resource_group if parsed is not None else None


def _stopped(vm: VirtualMachine) -> Fact[bool]:
    states = [s.lower() for s in (vm.role_state, vm.power_state) if isinstance(s, str) and s]
    if any(s in STOPPED_DEALLOCATED for s in states):
        return True
    return False if states else UNKNOWN


def _static_ips(vnet: VirtualNetwork, known: bool) -> None:
    """Static IPs held by more than one VM of the VNet while one of them is stop-deallocated
    (Prepare fails on the conflict; Validate does not check it)."""
    holders: dict[str, list[VirtualMachine]] = defaultdict(list)
    undecided = not known
    for vm in vnet.vms:
        if vm.static_ip is UNKNOWN:
            undecided = True
        elif isinstance(vm.static_ip, str) and vm.static_ip:
            holders[vm.static_ip.strip()].append(vm)
    duplicates: list[str] = []
    for ip, vms in holders.items():
        if len(vms) < 2:
            continue
        stopped = [_stopped(vm) for vm in vms]
        if True in stopped:
            duplicates.append(ip)
            vnet.note_first("duplicate_static_ips", vms[0].srcs.get("static_ip", vms[0].src))
        elif UNKNOWN in stopped:
            undecided = True
    if duplicates:
        vnet.duplicate_static_ips = sorted(duplicates)
    elif not undecided:
        vnet.duplicate_static_ips = []
