"""Derived VNet facts: membership (hasPaas/hasIaas/hasCloudServices/vmCount) is known only
when a topology lists the subscription's cloud services; circuits across subscriptions;
peerings; static IPs shared with stop-deallocated VMs; the ``where`` template filter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_topology_join import load_estate

from csmlint.engine import RunOptions, run
from csmlint.model import UNKNOWN, Estate, VirtualNetwork
from csmlint.model.network import VnetService
from csmlint.rulepack.template import TemplateError, compile_template

HUB_ID = "/subscriptions/x/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub"
SUB = "5d2b8f14-7c3e-4a09-9e61-b0a4f3c2d817"
NETCFG = """<?xml version="1.0" encoding="utf-8"?>
<NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration">
  <VirtualNetworkConfiguration>
    <VirtualNetworkSites>
      <VirtualNetworkSite name="files-vnet" Location="West Europe">
        <AddressSpace><AddressPrefix>10.9.0.0/16</AddressPrefix></AddressSpace>
        <Gateway><VPNClientAddressPool><AddressPrefix>172.16.9.0/24</AddressPrefix></VPNClientAddressPool></Gateway>
      </VirtualNetworkSite>
    </VirtualNetworkSites>
  </VirtualNetworkConfiguration>
</NetworkConfiguration>
"""


def _vnet(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "location": "West Europe", "addressSpace": ["10.1.0.0/16"], **extra}


def _doc(sub: dict[str, Any]) -> dict[str, Any]:
    return {"schema": "csmlint.topology/v1", "subscriptions": [{"id": SUB, **sub}]}


def _estate(tmp_path: Path, *docs: dict[str, Any], netcfg: bool = False) -> Estate:
    for i, doc in enumerate(docs):
        (tmp_path / f"t{i}.topology.json").write_text(json.dumps(doc), "utf-8")
    if netcfg:
        (tmp_path / "NetworkConfig.netcfg").write_text(NETCFG, "utf-8")
    estate, ctx = load_estate(tmp_path, ["."])
    assert all(f.error is None for f in ctx.inputs.files)
    return estate


def _get(estate: Estate, name: str) -> VirtualNetwork:
    return next(v for v in estate.virtual_networks if v.name == name)


def _membership(vnet: VirtualNetwork) -> tuple[object, ...]:
    return vnet.has_paas, vnet.has_iaas, vnet.has_cloud_services, vnet.vm_count


def test_vnets_without_a_cloud_service_list_prove_nothing(tmp_path: Path) -> None:
    # e.g. an imported List Virtual Network Sites response: VNets, no cloudServices key
    estate = _estate(tmp_path, _doc({"virtualNetworks": [_vnet("a-vnet")]}))
    assert _membership(_get(estate, "a-vnet")) == (UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)


def test_an_empty_cloud_service_list_is_a_statement(tmp_path: Path) -> None:
    estate = _estate(tmp_path, _doc({"cloudServices": [], "virtualNetworks": [_vnet("a-vnet")]}))
    assert _membership(_get(estate, "a-vnet")) == (False, False, False, 0)


def test_members_are_evidence_either_way(tmp_path: Path) -> None:
    services = [
        {
            "name": "svc-vm",
            "deployments": [
                {"slot": "production", "kind": "iaas", "vnet": "a-vnet", "vms": [{"name": "vm1"}]}
            ],
        }
    ]
    listed = _estate(
        tmp_path, _doc({"cloudServices": services, "virtualNetworks": [_vnet("a-vnet")]})
    )
    vnet = _get(listed, "a-vnet")
    assert _membership(vnet) == (False, True, True, 1)
    assert (vnet.iaas_cloud_service_names, vnet.paas_cloud_service_names) == (["svc-vm"], [])


def test_a_service_with_unlisted_deployments_keeps_membership_unknown(tmp_path: Path) -> None:
    services = [{"name": "svc-unknown"}]
    estate = _estate(
        tmp_path, _doc({"cloudServices": services, "virtualNetworks": [_vnet("a-vnet")]})
    )
    assert _membership(_get(estate, "a-vnet")) == (UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)


def test_a_second_document_of_the_subscription_can_list_the_services(tmp_path: Path) -> None:
    vnets_only = _doc({"virtualNetworks": [_vnet("a-vnet")]})
    services = _doc({"cloudServices": []})
    estate = _estate(tmp_path, vnets_only, services)
    assert _membership(_get(estate, "a-vnet")) == (False, False, False, 0)


def test_a_netcfg_vnet_the_topology_does_not_declare_stays_unknown(tmp_path: Path) -> None:
    estate = _estate(tmp_path, _doc({"cloudServices": []}), netcfg=True)
    assert _membership(_get(estate, "files-vnet")) == (UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)


def test_gateway_rule_stays_hedged_without_a_service_list(tmp_path: Path) -> None:
    """CSM103 says "no web/worker roles" only when the topology lists the services."""
    vnet = _vnet("files-vnet", peerings=[], services=[])
    for docs, expected in (
        ((_doc({"virtualNetworks": [vnet]}),), "the inputs do not settle"),
        ((_doc({"cloudServices": [], "virtualNetworks": [vnet]}),), "and no web/worker roles"),
    ):
        for old in tmp_path.glob("*.topology.json"):
            old.unlink()
        _estate(tmp_path, *docs, netcfg=True)
        result, _ = run(RunOptions(paths=["."], select=["CSM103"], cwd=str(tmp_path)))
        (finding,) = [f for f in result.active if f.rule_id == "CSM103"]
        assert expected in finding.message


def test_a_topology_saying_no_gateway_does_not_wipe_the_netcfg_gateway(tmp_path: Path) -> None:
    """The inputs disagree: the gateway the network configuration holds stays (a blocker is
    never dropped on one input's word), and CSM103 still reports it."""
    doc = _doc({"virtualNetworks": [_vnet("files-vnet", gateways=[])]})
    estate = _estate(tmp_path, doc, netcfg=True)
    assert [g.kind for g in _get(estate, "files-vnet").gateways]
    result, _ = run(RunOptions(paths=["."], select=["CSM103"], cwd=str(tmp_path)))
    assert [f.rule_id for f in result.active] == ["CSM103"]
    (tmp_path / "alone").mkdir()
    alone = _estate(tmp_path / "alone", doc)
    assert _get(alone, "files-vnet").gateways == []  # alone, the statement holds


def _circuit_doc(circuit_sub: str | None, link_sub: str | None) -> dict[str, Any]:
    circuit: dict[str, Any] = {"name": "er-1", "model": "arm", "links": [{"vnet": "a-vnet"}]}
    if circuit_sub is not None:
        circuit["subscriptionId"] = circuit_sub
    if link_sub is not None:
        circuit["links"][0]["subscriptionId"] = link_sub
    return _doc({"expressRouteCircuits": [circuit], "virtualNetworks": [_vnet("a-vnet")]})


@pytest.mark.parametrize(
    ("circuit_sub", "link_sub", "crossing"),
    [
        (SUB, None, []),  # the link's VNet is in the circuit's subscription
        ("0a0a0a0a-0000-4000-8000-000000000001", None, ["er-1"]),
        ("0a0a0a0a-0000-4000-8000-000000000001", SUB, ["er-1"]),
        (None, SUB, UNKNOWN),  # the circuit's own subscription is not stated
    ],
)
def test_cross_subscription_circuits(
    tmp_path: Path, circuit_sub: str | None, link_sub: str | None, crossing: object
) -> None:
    vnet = _get(_estate(tmp_path, _circuit_doc(circuit_sub, link_sub)), "a-vnet")
    assert [c.name for c in vnet.express_route_circuits] == ["er-1"]
    assert vnet.has_express_route is True
    got = vnet.cross_subscription_circuits
    assert (got if not isinstance(got, list) else [c.name for c in got]) == crossing


def test_a_link_to_a_namesake_in_another_subscription_does_not_join(tmp_path: Path) -> None:
    doc = _circuit_doc(SUB, "0a0a0a0a-0000-4000-8000-000000000009")
    vnet = _get(_estate(tmp_path, doc), "a-vnet")
    assert vnet.express_route_circuits == []


def test_peered_with_names_the_remote_vnets(tmp_path: Path) -> None:
    peerings = [
        {"remoteVnetId": HUB_ID},
        {"remoteVnetId": "spoke-by-name"},
        {"state": "connected"},
    ]
    vnet = _get(
        _estate(tmp_path, _doc({"virtualNetworks": [_vnet("a-vnet", peerings=peerings)]})), "a-vnet"
    )
    assert vnet.peered_with == ["hub", "spoke-by-name", "peering 3"]


def _vm(name: str, ip: str | None, state: str | None) -> dict[str, Any]:
    vm: dict[str, Any] = {"name": name}
    if ip is not None:
        vm["staticIp"] = ip
    if state is not None:
        vm["roleState"] = state
    return vm


def _ip_doc(*vms: dict[str, Any]) -> dict[str, Any]:
    dep = {"slot": "production", "kind": "iaas", "vnet": "a-vnet", "vms": list(vms)}
    services = [{"name": "svc", "deployments": [dep]}]
    return _doc({"cloudServices": services, "virtualNetworks": [_vnet("a-vnet")]})


@pytest.mark.parametrize(
    ("vms", "expected"),
    [
        (
            (_vm("a", "10.1.0.4", "StoppedDeallocated"), _vm("b", "10.1.0.4", "Running")),
            ["10.1.0.4"],
        ),
        ((_vm("a", "10.1.0.4", "Running"), _vm("b", "10.1.0.5", "StoppedDeallocated")), []),
        ((_vm("a", "10.1.0.4", "Running"), _vm("b", None, "StoppedDeallocated")), UNKNOWN),
        ((_vm("a", "10.1.0.4", None), _vm("b", "10.1.0.4", "Running")), UNKNOWN),
        ((_vm("a", "", "StoppedDeallocated"), _vm("b", "", "StoppedDeallocated")), []),
    ],
)
def test_duplicate_static_ips(
    tmp_path: Path, vms: tuple[dict[str, Any], ...], expected: object
) -> None:
    vnet = _get(_estate(tmp_path, _ip_doc(*vms)), "a-vnet")
    assert vnet.duplicate_static_ips == expected


def test_where_filter_keeps_matching_items() -> None:
    tmpl = compile_template("{{ services | where:kind=apiManagement | quote }}", VirtualNetwork)
    vnet = VirtualNetwork(name="v")
    vnet.services = [
        VnetService(kind="apimanagement", name="apim-1"),
        VnetService(kind="hdinsight", name="hdi-1"),
    ]
    assert tmpl.render(vnet) == "'apim-1'"
    with pytest.raises(TemplateError, match="unknown field 'kinds'"):
        compile_template("{{ services | where:kinds=x }}", VirtualNetwork)
    with pytest.raises(TemplateError, match="needs <field>=<value>"):
        compile_template("{{ services | where:kind }}", VirtualNetwork)
