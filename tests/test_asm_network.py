"""Networking and subscription-level ASM exports -> topology lists."""

from __future__ import annotations

from pathlib import Path

from asm_support import EXPORTS, MIGAZ, document, only, subscription

from csmlint.loaders.asm.export import import_asm
from csmlint.loaders.asm.merge import merge_imports

SITES = "asm-list-virtual-network-sites.xml"


def test_reserved_ips() -> None:
    ips = subscription(document("asm-list-reserved-ips.xml"))["reservedIps"]
    assert only(ips, name="clitestrip") == {
        "name": "clitestrip",
        "address": "13.88.27.75",
        "location": "West US",
        "inUse": False,  # unassociated reserved IPs omit InUse
        "cloudService": "",
        "deployment": "",
        "source": "asm1",
    }
    used = only(ips, name="MyReservedIP")
    assert (used["inUse"], used["cloudService"], used["deployment"]) == (True, "mywin1", "mywin1")


def test_empty_reserved_ip_list_is_known_empty() -> None:
    assert subscription(document("VM1-04-ReservedIPs.xml", folder=MIGAZ))["reservedIps"] == []


def test_virtual_network_sites_gateway_affinity_group_route_table() -> None:
    sub = subscription(document(SITES))
    vnets = sub["virtualNetworks"]
    assert len(vnets) == 14
    gw = only(vnets, name="CliGtWyTestVnet")
    assert gw["location"] == "West US" and gw["affinityGroup"] == ""
    assert gw["addressSpace"] == ["10.1.0.0/16"]
    assert [s["name"] for s in gw["subnets"]] == ["Subnet-1", "GatewaySubnet"]
    assert gw["gateways"] == [
        {
            "kind": "vpn",  # Connection/Type IPsec
            "sku": "Small",
            "connections": [{"localSite": "CliGtWyTestLocNetwork", "type": "IPsec"}],
        }
    ]
    assert only(vnets, name="CliGtTestVnet4771")["gateways"] == []  # no Gateway element
    ag = only(vnets, name="mynetwork")
    assert ag["affinityGroup"] == "affinity1" and "location" not in ag
    rt = only(only(vnets, name="Vnet28")["subnets"], name="Subnet-1")
    assert rt["routeTable"] == "TestRoute"
    assert sub["routeTables"] == [
        {"name": "TestRoute", "source": "asm1", "subnets": ["vnet:Vnet28/subnet:Subnet-1"]}
    ]


def test_dedicated_connection_is_an_expressroute_gateway_with_gateway_details() -> None:
    doc = document(
        "VNET3-02-VirtualNetworks.xml", "VNET3-03-VirtualNetworkGateway-vnet3.xml", folder=MIGAZ
    )
    vnet = only(subscription(doc)["virtualNetworks"], name="vnet3")
    # Get Virtual Network Gateway names no VNet: its GatewayId is the VNet site Id.
    assert vnet["gateways"] == [
        {
            "kind": "expressroute",
            "sku": "Small",
            "connections": [{"localSite": "localsite", "type": "Dedicated"}],
            "state": "provisioned",
        }
    ]
    assert [d["address"] for d in vnet["dnsServers"]] == ["10.1.30.104", "10.1.30.105"]
    assert "x-unmatched" not in doc


def test_point_to_site_pool_and_gateway_by_site_id() -> None:
    doc = document(
        "VNET1-02-VirtualNetworks.xml", "VNET1-03-VirtualNetworkGateway-10.2.0.0.xml", folder=MIGAZ
    )
    vnet = only(subscription(doc)["virtualNetworks"], name="10.2.0.0")
    [vpn] = vnet["gateways"]
    assert vpn["kind"] == "vpn" and vpn["p2sPool"] == ["10.3.0.0/24"]
    assert vpn["state"] == "provisioned"
    assert [c["localSite"] for c in vpn["connections"]] == ["MOBILE DATACENTER", "EastUSNet"]


def test_gateway_without_its_vnet_is_kept_unmatched() -> None:
    doc = document("asm-get-virtual-network-gateway.xml")
    [entry] = doc["x-unmatched"]
    assert entry["kind"] == "gateway"
    # The VNet is named only by the last event's message; the GatewayId is not a known site.
    assert entry["matchOn"] == {
        "id": "bfe462d6-90ec-447b-bb8b-87079075a210",
        "vnet": "CliGtTestVnet3384",
    }
    assert entry["value"] == {"sku": "Default", "state": "provisioned"}


def test_gateway_joins_by_the_vnet_named_in_its_last_event() -> None:
    sites = (
        '<VirtualNetworkSites xmlns="http://schemas.microsoft.com/windowsazure">'
        "<VirtualNetworkSite><Name>CliGtTestVnet3384</Name><Gateway><Sites><LocalNetworkSite>"
        "<Name>onprem</Name><Connections><Connection><Type>IPsec</Type></Connection>"
        "</Connections></LocalNetworkSite></Sites></Gateway><Location>West US</Location>"
        "</VirtualNetworkSite></VirtualNetworkSites>"
    )
    gateway = (EXPORTS / "asm-get-virtual-network-gateway.xml").read_bytes()
    merged = merge_imports([import_asm(sites.encode(), "sites.xml"), import_asm(gateway, "gw.xml")])
    vnet = merged.document["subscriptions"][0]["virtualNetworks"][0]
    assert vnet["gateways"][0]["sku"] == "Default" and merged.unmatched == []


def test_network_security_groups_and_route_tables_with_their_subnets() -> None:
    doc = document(
        "VNET2-02-NetworkSecurityGroup-asmnsg.xml",
        "VNET2-03-RouteTable-asmrt.xml",
        "VNET2-04-VirtualNetworks.xml",
        folder=MIGAZ,
    )
    sub = subscription(doc)
    nsg = only(sub["networkSecurityGroups"], name="asmnsg")
    assert nsg["associations"] == ["vnet:asmtest/subnet:Subnet-1"]
    assert only(sub["routeTables"], name="asmrt")["subnets"] == ["vnet:asmtest/subnet:Subnet-1"]
    # Named only by a subnet: the NSG exists, and that subnet uses it.
    portal = only(sub["networkSecurityGroups"], name="Group vnettest ClassicNSG")
    assert portal["associations"] == ["vnet:Group vnettest classicvnet/subnet:default"]


def test_nsg_alone_has_no_associations_stated() -> None:
    doc = document("VNET2-02-NetworkSecurityGroup-asmnsg.xml", folder=MIGAZ)
    assert subscription(doc)["networkSecurityGroups"] == [{"name": "asmnsg", "source": "asm1"}]


def test_vnet_without_subnets() -> None:
    vnet = subscription(document("VNET4-02-VirtualNetworks.xml", folder=MIGAZ))["virtualNetworks"]
    assert vnet[0]["subnets"] == [] and vnet[0]["location"] == "East US"


def test_affinity_groups() -> None:
    groups = subscription(document("asm-list-affinity-groups.xml"))["affinityGroups"]
    assert [(g["name"], g["location"]) for g in groups] == [
        ("testsdkVirtualNetwork01AG", "West US"),
        ("xplat-afg-1483", "West US"),
    ]


def test_network_configuration_maps_like_the_netcfg_loader() -> None:
    vnets = subscription(document("asm-get-network-configuration.xml"))["virtualNetworks"]
    gw = only(vnets, name="VnetForGateway")
    assert gw["gateways"] == [
        {"kind": "vpn", "connections": [{"localSite": "LocalNet", "type": "IPsec"}]}
    ]
    ag = only(vnets, name="testvnet8981")
    assert ag["affinityGroup"] == "AG-CLI-05f8c31394d2a45b" and "location" not in ag
    assert only(vnets, name="vnet2")["dnsServers"] == [
        {"name": "dns-cli-25964", "address": "66.77.88.82"}
    ]
    assert "gateways" not in only(vnets, name="testnet1")  # a netcfg cannot prove absence


def test_storage_accounts() -> None:
    xml = (
        '<StorageServices xmlns="http://schemas.microsoft.com/windowsazure"><StorageService>'
        "<ServiceName>contosovhds</ServiceName><StorageServiceProperties><Location>West Europe"
        "</Location><AccountType>Standard_GRS</AccountType><MigrationState>Prepared"
        "</MigrationState></StorageServiceProperties></StorageService></StorageServices>"
    )
    doc = merge_imports([import_asm(xml.encode(), "storage.xml")]).document
    assert doc["subscriptions"][0]["storageAccounts"] == [
        {
            "name": "contosovhds",
            "location": "West Europe",
            "sku": "Standard_GRS",
            "migrationState": "prepared",
            "source": "asm1",
        }
    ]


def test_an_export_subnet_is_checked_even_when_a_netcfg_names_its_vnet(tmp_path: Path) -> None:
    """The network configuration describes MyNetwork with other subnets than List Virtual
    Network Sites does; the export's subnet 10.4.2.0/19 (host bits set) is checked whether
    the exports are linted directly or imported first: the same blocker either way."""
    import shutil

    from csmlint.engine import RunOptions, run

    for name in ("asm-get-network-configuration.xml", "asm-list-virtual-network-sites.xml"):
        shutil.copy(EXPORTS / name, tmp_path / name)

    def flagged(paths: list[str], topology: list[str]) -> list[str]:
        result, _ = run(RunOptions(paths=paths, topology=topology, cwd=str(tmp_path)))
        return [f.message for f in result.active if f.rule_id == "CSM163"]

    direct = [m for m in flagged(["."], []) if "'10.4.2.0/19'" in m]
    assert len(direct) == 1 and "subnet 'mynetwork/Subnet-1'" in direct[0]
    from csmlint.cli import main

    try:
        main(["import", str(tmp_path), "-o", str(tmp_path / "estate.topology.json")])
    except SystemExit as done:
        assert done.code == 0
    imported = [m for m in flagged(["estate.topology.json"], []) if "'10.4.2.0/19'" in m]
    assert len(imported) == 1
