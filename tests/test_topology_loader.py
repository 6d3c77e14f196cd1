"""Mapping a realistic topology document to model facts: values, unknowns and locations."""

from __future__ import annotations

import os
from typing import Any

import pytest
from conftest import FIXTURES

import csmlint.model as model
from csmlint import records
from csmlint.loaders.topology import networks as topology_networks
from csmlint.loaders.topology import services as topology_services
from csmlint.loaders.topology.document import TopologyPart, load_topology, load_topology_document
from csmlint.model import UNKNOWN, SourceRef

ESTATE = FIXTURES / "topology" / "contoso"
TOPOLOGY = ESTATE / "topology" / "contoso.topology.json"
DISPLAY = "fixtures/topology/contoso/topology/contoso.topology.json"


@pytest.fixture(scope="module")
def part() -> TopologyPart:
    return load_topology(TOPOLOGY.read_bytes(), DISPLAY, base_dir=str(TOPOLOGY.parent))


@pytest.fixture(scope="module")
def sub(part: TopologyPart) -> model.Subscription:
    assert len(part.subscriptions) == 1
    return part.subscriptions[0]


def _cs(sub: model.Subscription, name: str) -> model.CloudService:
    return next(cs for cs in sub.cloud_services if cs.name.lower() == name.lower())


def _at(ref: SourceRef | None) -> tuple[int | None, str | None]:
    assert ref is not None
    assert ref.path == DISPLAY
    return ref.line, ref.pointer


def test_subscription_level_facts(sub: model.Subscription) -> None:
    assert sub.id == "00000000-0000-0000-0000-000000000001"
    assert sub.name == "Contoso Production"
    assert sub.key == "subscription:00000000-0000-0000-0000-000000000001"
    assert isinstance(sub.providers, list)
    assert [(p.namespace, p.registration_state) for p in sub.providers] == [
        ("Microsoft.ClassicInfrastructureMigrate", "NotRegistered")
    ]
    quotas = {(q.region, q.counter): q for q in sub.quotas}
    assert set(quotas) == {("westeurope", "cores"), ("westeurope", "publicIPAddresses")}
    cores = quotas["westeurope", "cores"]
    assert (cores.current, cores.limit, cores.subscription) == (40, 48, sub)
    assert _at(cores.src) == (17, "/subscriptions/0/quotas/westeurope/cores")
    assert quotas["westeurope", "publicIPAddresses"].limit is UNKNOWN  # null
    assert isinstance(sub.reserved_ips, list)
    vip, spare = sub.reserved_ips
    assert (vip.name, vip.in_use, vip.cloud_service, vip.deployment) == (
        "contoso-web-vip",
        True,
        "contoso-web",
        "contoso-web-prod",
    )
    assert (spare.in_use, spare.cloud_service, spare.subscription) == (False, None, sub)
    assert isinstance(sub.network_security_groups, list)
    assert sub.network_security_groups[0].associations == ["vnet:contoso-vnet/subnet:front"]
    assert isinstance(sub.route_tables, list)
    assert sub.route_tables[0].subnets == []  # known: attached to nothing
    assert isinstance(sub.express_route_circuits, list)
    circuit = sub.express_route_circuits[0]
    assert (circuit.model, circuit.subscription_id) == (
        "classic",
        "00000000-0000-0000-0000-000000000002",
    )
    assert [(link.vnet, link.subscription_id) for link in circuit.links] == [
        ("contoso-vnet", "00000000-0000-0000-0000-000000000001")
    ]
    assert isinstance(sub.rbac, list)
    assert sub.rbac[0].role == "Contributor"
    assert sub.rbac[0].scope.endswith("/domainNames/contoso-web")
    assert isinstance(sub.affinity_groups, list)
    assert sub.affinity_groups[0].location == "West Europe"


def test_cloud_service_facts_and_conventions(sub: model.Subscription) -> None:
    web = _cs(sub, "contoso-web")
    assert web.name == "Contoso-Web"  # as written; joins case-insensitively
    assert web.key == "cloudService:contoso-web"
    assert web.in_topology and web.deployments_listed
    assert web.location == "West Europe"
    assert web.affinity_group is None  # "" = known none
    assert _cs(sub, "contoso-sql").affinity_group is UNKNOWN  # null = unknown
    assert web.subscription is sub
    assert isinstance(web.extensions, list)
    assert [e.id for e in web.extensions] == ["RDP-6d3c0f7a", "Antimalware-1"]
    assert isinstance(web.autoscale, list)
    assert (web.autoscale[0].role, web.autoscale[0].min, web.autoscale[0].max) == (
        "Storefront",
        2,
        6,
    )
    assert isinstance(web.alerts, list)
    assert web.alerts[0].name == "cpu-high"
    assert web.jit_policies == []  # present and empty: known none
    assert _at(web.src) == (41, "/subscriptions/0/cloudServices/0")
    assert _at(web.source_of("affinity_group")) == (
        44,
        "/subscriptions/0/cloudServices/0/affinityGroup",
    )


def test_absent_lists_stay_unknown(sub: model.Subscription) -> None:
    orphan = _cs(sub, "contoso-orphan")
    assert orphan.extensions is UNKNOWN
    assert orphan.autoscale is UNKNOWN
    assert orphan.alerts is UNKNOWN
    assert orphan.jit_policies is UNKNOWN
    assert orphan.deployments == [] and not orphan.deployments_listed
    assert orphan.affinity_group is UNKNOWN


def test_deployment_facts(sub: model.Subscription) -> None:
    web = _cs(sub, "contoso-web")
    prod, stage = web.deployments
    assert prod.live and stage.live
    assert (prod.slot, prod.kind, prod.status, prod.name) == (
        "production",
        "paas",
        "running",
        "contoso-web-prod",
    )  # enumerations lower-cased
    assert prod.key == "cloudService:contoso-web/deployment:production"
    assert (stage.slot, stage.status) == ("staging", "suspended")
    assert prod.vnet_name == "contoso-vnet"
    assert prod.in_default_vnet is UNKNOWN
    assert (prod.regional_scope, prod.package_available) == (True, True)
    assert stage.regional_scope is UNKNOWN
    assert prod.cscfg_hint == os.path.normpath(
        ESTATE / "src" / "ContosoWeb" / "ServiceConfiguration.Cloud.cscfg"
    )
    assert stage.cscfg_hint is None
    assert isinstance(prod.vips, list)
    vip = prod.vips[0]
    assert (vip.reserved, vip.reserved_ip_name, vip.endpoint_count) == (True, "contoso-web-vip", 2)
    assert stage.vips is UNKNOWN
    assert isinstance(prod.extension_refs, list)
    assert (prod.extension_refs[0].id, prod.extension_refs[0].roles) == ("RDP-6d3c0f7a", ["*"])
    assert [(r.name, r.size, r.instance_count) for r in prod.roles] == [
        ("Storefront", "Medium", 2),
        ("OrderProcessor", "Small", 1),
    ]
    assert prod.roles[0].settings is UNKNOWN  # only a .cscfg tells
    assert prod.migration_state is None  # "" = not migrating
    assert stage.migration_state is UNKNOWN and stage.last_validation is UNKNOWN
    assert isinstance(prod.last_validation, list)
    message = prod.last_validation[0]
    assert (message.resource_type, message.category) == ("Deployment", "Error")
    assert "VPN gateway" in message.message
    assert _at(prod.source_of("slot")) == (
        55,
        "/subscriptions/0/cloudServices/0/deployments/0/slot",
    )
    sql = _cs(sub, "contoso-sql").deployments[0]
    assert (sql.kind, sql.migration_state, sql.last_validation) == ("iaas", "prepared", UNKNOWN)


def test_classic_vm_facts(sub: model.Subscription) -> None:
    dep = _cs(sub, "contoso-sql").deployments[0]
    sql1, sql2 = dep.vms
    assert sql1.key == "cloudService:contoso-sql/deployment:production/vm:sql1"
    assert (sql1.deployment, sql1.cloud_service) == (dep, _cs(sub, "contoso-sql"))
    assert (sql1.size, sql1.availability_set, sql1.role_state, sql1.power_state) == (
        "Large",
        "sql-as",
        "ReadyRole",
        "Started",
    )
    assert sql1.provisioning_state is UNKNOWN and sql1.managed_by is UNKNOWN  # null
    assert sql1.subnets == ["back"]
    assert isinstance(sql1.nics, list)
    assert [(n.name, n.subnet) for n in sql1.nics] == [("nic2", "front")]
    assert sql1.static_ip == "10.20.2.10"
    assert sql1.agent is not None
    assert (sql1.agent.status, sql1.agent.version) == ("ready", "2.7.1198.778")
    assert isinstance(sql1.extensions, list)
    ext = sql1.extensions[0]
    assert (ext.publisher, ext.name, ext.xml, ext.handler_status) == (
        "Microsoft.Compute",
        "BGInfo",
        True,
        "notready",
    )
    boot = sql1.boot_diagnostics
    assert boot is not None
    assert (boot.enabled, boot.storage_account, boot.storage_sku) == (
        True,
        "contosodiag",
        "Premium_LRS",
    )
    assert sql1.os_disk is not None
    assert sql1.os_disk.media_link == "https://contosovhds.blob.core.windows.net/vhds/sql1-os.vhd"
    assert sql1.os_disk.media_link_accessible is UNKNOWN
    assert isinstance(sql1.data_disks, list)
    disk = sql1.data_disks[0]
    assert (disk.lun, disk.size_gb, disk.blob_bytes, disk.media_link_accessible) == (
        0,
        1023,
        1098437886464,
        True,
    )
    assert disk.key.endswith("/vm:sql1/dataDisk:lun0")
    assert isinstance(sql1.endpoints, list)
    endpoint = sql1.endpoints[0]
    assert (endpoint.protocol, endpoint.public_port, endpoint.local_port) == ("tcp", 1433, 1433)
    assert [(a.order, a.action, a.remote_subnet) for a in endpoint.acl] == [
        (1, "permit", "10.10.0.0/16")
    ]
    assert _at(endpoint.acl[0].src)[0] == 117
    pointer = _at(endpoint.acl[0].src)[1]
    assert pointer == "/subscriptions/0/cloudServices/1/deployments/0/vms/0/endpoints/0/acl/0"
    # sql2: only a few facts; everything else stays unknown, never false
    assert sql2.availability_set is None  # ""
    assert sql2.role_state == "StoppedDeallocated"
    assert sql2.power_state is UNKNOWN
    assert sql2.subnets is UNKNOWN and sql2.nics is UNKNOWN and sql2.endpoints is UNKNOWN
    assert sql2.extensions is UNKNOWN and sql2.data_disks is UNKNOWN
    assert sql2.agent is not None and sql2.agent.status is UNKNOWN
    assert sql2.boot_diagnostics is not None and sql2.boot_diagnostics.enabled is UNKNOWN
    assert sql2.os_disk is not None and sql2.os_disk.media_link is UNKNOWN


def test_virtual_network_facts(sub: model.Subscription) -> None:
    vnet, isolated = sub.virtual_networks
    assert vnet.name == "CONTOSO-VNET" and vnet.declared
    assert vnet.key == "virtualNetwork:contoso-vnet"
    assert vnet.subscription is sub
    assert vnet.affinity_group is UNKNOWN
    assert vnet.address_space == ["10.20.0.0/16"]
    assert isinstance(vnet.subnets, list)
    front, back = vnet.subnets
    assert (front.nsg, front.route_table) == ("nsg-front", None)
    assert (back.nsg, back.route_table) == (UNKNOWN, UNKNOWN)
    assert isinstance(vnet.gateways, list)
    gateway = vnet.gateways[0]
    assert (gateway.kind, gateway.sku, gateway.state) == ("vpn", "Default", "provisioned")
    assert [(c.local_site, c.type, c.state) for c in gateway.connections] == [
        ("contoso-hq", "IPsec", "connected")
    ]
    assert vnet.local_site_refs == ["contoso-hq"]
    assert isinstance(vnet.peerings, list) and vnet.peerings[0].state == "connected"
    assert isinstance(vnet.services, list)
    assert [(s.kind, s.name, s.subnet) for s in vnet.services] == [
        ("apimanagement", "contoso-apim", "front")
    ]
    assert isinstance(vnet.dns_servers, list) and vnet.dns_servers[0].address == "10.20.0.4"
    assert vnet.migration_state is UNKNOWN
    assert isolated.migration_state is None
    assert (isolated.subnets, isolated.gateways, isolated.peerings, isolated.services) == (
        [],
        [],
        [],
        [],
    )


def test_storage_account_facts(sub: model.Subscription) -> None:
    account = sub.storage_accounts[0]
    assert (account.name, account.sku, account.subscription) == ("contosovhds", "Standard_LRS", sub)
    assert isinstance(account.disks, list)
    assert [(d.name, d.attached_to) for d in account.disks] == [
        ("sql1-os", "sql1"),
        ("old-disk", None),
    ]
    assert (account.os_images, account.vm_images, account.migration_state) == ([], [], UNKNOWN)


def test_every_entity_has_a_location_and_a_stable_key(part: TopologyPart) -> None:
    seen: list[model.Entity] = []

    def walk(value: Any) -> None:
        if isinstance(value, model.Entity):
            if any(value is s for s in seen):
                return
            seen.append(value)
            for f in records.fields(value):
                if f.name not in ("src", "srcs") and not f.metadata.get("backref"):
                    walk(getattr(value, f.name))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(part.subscriptions)
    assert len(seen) > 50
    for entity in seen:
        assert entity.src is not None and entity.src.path == DISPLAY, entity
        assert entity.src.pointer is not None and entity.src.line is not None, entity
        assert entity.key and "line" not in entity.key, entity
        for ref in entity.srcs.values():
            assert ref.pointer is not None and ref.pointer.startswith(entity.src.pointer), entity


def test_explicit_cscfg_paths_are_reported(part: TopologyPart) -> None:
    expected = os.path.normpath(ESTATE / "src" / "ContosoWeb" / "ServiceConfiguration.Cloud.cscfg")
    assert part.cscfg_paths == [expected]
    ref = part.cscfg_sources[expected]
    assert ref.pointer == "/subscriptions/0/cloudServices/0/deployments/0/cscfg"


def test_windows_separators_in_cscfg_paths(tmp_path: Any) -> None:
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {"cloudServices": [{"name": "a", "deployments": [{"cscfg": "..\\src\\a.cscfg"}]}]}
        ],
    }
    part = load_topology_document(doc, lambda p: SourceRef("x", 1, 1, p), base_dir=str(tmp_path))
    assert part.cscfg_paths == [os.path.normpath(tmp_path.parent / "src" / "a.cscfg")]


def test_load_topology_document_uses_the_callers_locate() -> None:
    """The ASM importer's entry: a dict plus its own locate()."""
    asked: list[str] = []

    def locate(pointer: str) -> SourceRef:
        asked.append(pointer)
        return SourceRef("export.xml", 7, 3, pointer, embedded_line=None)

    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [{"cloudServices": [{"name": "a", "deployments": [{"slot": "Staging"}]}]}],
    }
    part = load_topology_document(doc, locate, base_dir=".")
    dep = part.subscriptions[0].cloud_services[0].deployments[0]
    assert dep.slot == "staging"
    assert dep.src == SourceRef(
        "export.xml", 7, 3, "/subscriptions/0/cloudServices/0/deployments/0"
    )
    assert "/subscriptions/0/cloudServices/0/deployments/0/slot" in asked


TABLES: dict[str, type[model.Entity]] = {
    "CS_FACTS": model.CloudService,
    "DEPLOYMENT_FACTS": model.Deployment,
    "EXTENSION_FACTS": model.Extension,
    "AUTOSCALE_FACTS": model.AutoscaleSetting,
    "ALERT_FACTS": model.AlertRule,
    "JIT_FACTS": model.JitPolicy,
    "VIP_FACTS": model.Vip,
    "ROLE_FACTS": model.Role,
    "VALIDATION_FACTS": model.ValidationMessage,
    "VM_FACTS": model.VirtualMachine,
    "NIC_FACTS": model.Nic,
    "AGENT_FACTS": model.Agent,
    "VM_EXTENSION_FACTS": model.VmExtension,
    "BOOT_FACTS": model.BootDiagnostics,
    "DISK_FACTS": model.Disk,
    "ENDPOINT_FACTS": model.VmEndpoint,
    "ACL_FACTS": model.AclRule,
    "VNET_FACTS": model.VirtualNetwork,
    "SUBNET_FACTS": model.Subnet,
    "GATEWAY_FACTS": model.Gateway,
    "CONNECTION_FACTS": model.GatewayConnection,
    "PEERING_FACTS": model.Peering,
    "SERVICE_FACTS": model.VnetService,
    "DNS_FACTS": model.DnsServer,
    "RESERVED_IP_FACTS": model.ReservedIp,
    "CIRCUIT_FACTS": model.ExpressRouteCircuit,
}


def test_fact_tables_name_real_model_fields() -> None:
    tables = {
        name: getattr(module, name)
        for module in (topology_services, topology_networks)
        for name in dir(module)
        if name.endswith("_FACTS")
    }
    assert set(tables) == set(TABLES)
    for name, specs in tables.items():
        fields = {f.name for f in records.fields(TABLES[name])}
        for field_name, _key, _kind in specs:
            assert field_name in fields, (name, field_name)
