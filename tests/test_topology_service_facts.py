"""Derived facts the topology rules read (``csmlint.assembly.derive_topology``): a live
deployment's cores and its region's cores quota, the migration provider, classic RBAC scopes,
validation messages about VNets and storage accounts, names of dropped settings."""

from __future__ import annotations

from typing import Any

from csmlint.assembly import Inputs, assemble
from csmlint.loaders.topology.document import load_topology_document
from csmlint.model import UNKNOWN, Estate, Provider, Quota, SourceRef

SUB = "00000000-0000-4000-8000-000000000042"


def _estate(subscription: dict[str, Any]) -> Estate:
    document = {"schema": "csmlint.topology/v1", "subscriptions": [{"id": SUB, **subscription}]}
    part = load_topology_document(
        document, lambda p: SourceRef("estate.topology.json", None, None, p), base_dir="."
    )
    return assemble(Inputs(subscriptions=part.subscriptions))


def _service(name: str, location: str, roles: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {
        "name": name,
        "location": location,
        "deployments": [
            {
                "slot": "production",
                "name": f"{name}-1",
                "kind": "paas",
                "roles": [{"name": r, "size": s, "instanceCount": n} for r, s, n in roles],
            }
        ],
    }


def test_deployment_cores_and_the_regions_cores_quota() -> None:
    estate = _estate(
        {
            "quotas": {"westeurope": {"cores": {"current": 10, "limit": 20}}},
            "cloudServices": [
                _service("web", "West Europe", [("Web", "Standard_D2_v2", 3)]),
                _service("dr", "North Europe", [("Web", "Standard_D2_v2", 1)]),
                _service("odd", "West Europe", [("Web", "Standard_Q9_v9", 1)]),
            ],
        }
    )
    web, dr, odd = (cs.deployments[0] for cs in estate.cloud_services)
    assert web.cores_required == 6
    assert isinstance(web.cores_quota, Quota) and web.cores_quota.counter == "cores"
    assert web.srcs["cores_quota"].pointer == "/subscriptions/0/quotas/westeurope/cores"
    assert dr.cores_required == 2 and dr.cores_quota is UNKNOWN  # no quota listed there
    assert odd.cores_required is UNKNOWN  # a size csmlint has no core count for


def test_migration_provider_is_unknown_unless_listed() -> None:
    listed = _estate(
        {
            "providers": [
                {"namespace": "Microsoft.Compute", "registrationState": "Registered"},
                {
                    "namespace": "microsoft.classicinfrastructuremigrate",
                    "registrationState": "NotRegistered",
                },
            ]
        }
    )
    provider = listed.subscriptions[0].migration_provider
    assert isinstance(provider, Provider)
    assert provider.registration_state == "NotRegistered"
    other = _estate({"providers": [{"namespace": "Microsoft.Compute"}]})
    assert other.subscriptions[0].migration_provider is UNKNOWN
    assert _estate({}).subscriptions[0].migration_provider is UNKNOWN


def test_classic_resource_of_a_role_assignment() -> None:
    base = f"/subscriptions/{SUB}/resourceGroups/rg/providers/"
    estate = _estate(
        {
            "rbac": [
                {"role": "Reader", "scope": base + "Microsoft.ClassicCompute/domainNames/web"},
                {
                    "role": "Reader",
                    "scope": base + "microsoft.classicstorage/storageAccounts/vhds/services/blob",
                },
                {"role": "Owner", "scope": base + "Microsoft.Compute/cloudServices/web"},
                {"role": "Owner", "scope": f"/subscriptions/{SUB}"},
            ]
        }
    )
    facts = [(a.classic_resource_type, a.classic_resource_name) for a in estate.rbac_assignments]
    assert facts == [
        ("Microsoft.ClassicCompute/domainNames", "web"),
        ("microsoft.classicstorage/storageAccounts", "vhds"),
        (None, None),
        (None, None),
    ]


def test_validation_messages_reach_the_vnet_and_the_account_they_name() -> None:
    def msg(kind: str, name: str) -> dict[str, str]:
        return {"resourceType": kind, "resourceName": name, "message": f"{name} is locked"}

    service = _service("web", "West Europe", [("Web", "Standard_D1_v2", 2)])
    service["deployments"][0]["migration"] = {
        "lastValidation": [
            msg("VirtualNetwork", "WEB-VNET"),
            msg("Storage", "webvhds"),
            msg("Deployment", "web-1"),
            msg("VirtualNetwork", "elsewhere"),
        ]
    }
    estate = _estate(
        {
            "cloudServices": [service],
            "virtualNetworks": [{"name": "web-vnet"}],
            "storageAccounts": [{"name": "webvhds"}, {"name": "spare"}],
        }
    )
    (vnet,) = estate.virtual_networks
    assert [m.resource_name for m in vnet.last_validation] == ["WEB-VNET"]
    used, spare = estate.storage_accounts
    assert [m.resource_name for m in used.last_validation] == ["webvhds"]
    assert spare.last_validation == []


def test_names_of_dropped_settings() -> None:
    service = _service("web", "West Europe", [("Web", "Standard_D1_v2", 2)])
    service["autoscale"] = [{"role": "Web", "min": 2, "max": 4}, {"name": "nightly"}, {}]
    service["alerts"] = [{"name": "cpu"}, {"metric": "Network In"}, {}]
    service["jitPolicies"] = [{"vm": "jump1", "ports": [3389]}, {"name": "ssh"}]
    (cs,) = _estate({"cloudServices": [service]}).cloud_services
    assert cs.autoscale_targets == ["Web", "nightly", "web"]
    assert cs.alert_names == ["cpu", "Network In", "alert 3"]
    assert cs.jit_targets == ["jump1", "ssh"]
