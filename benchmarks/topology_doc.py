"""A synthetic ``csmlint.topology/v1`` document of about a given size (standard library only).

    python benchmarks/topology_doc.py OUT.json MB

Deterministic: one subscription with virtual networks of 3 subnets, cloud services that are
half web/worker-role deployments (2 roles) and half classic VMs (2 VMs with disks and
extensions), in a few regions, until the document reaches ``MB`` megabytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REGIONS = ("West Europe", "North Europe", "East US 2", "West US")


def _vm(i: int, j: int) -> dict[str, Any]:
    name = f"vm{i:05d}-{j}"
    return {
        "name": name,
        "roleState": "ReadyRole",
        "powerState": "Started",
        "size": "Standard_D2_v2",
        "availabilitySet": f"as{i:05d}",
        "subnets": ["app"],
        "agent": {"status": "Ready", "version": "2.7.41491.1010"},
        "extensions": [
            {
                "publisher": "Microsoft.Compute",
                "name": "BGInfo",
                "version": "2.1",
                "handlerStatus": "Ready",
            }
        ],
        "osDisk": {
            "name": f"{name}-os",
            "mediaLink": f"https://stor{i % 97:03d}.blob.core.windows.net/vhds/{name}-os.vhd",
        },
        "dataDisks": [
            {
                "name": f"{name}-data",
                "lun": 0,
                "sizeGb": 128,
                "mediaLink": f"https://stor{i % 97:03d}.blob.core.windows.net/vhds/{name}-d.vhd",
            }
        ],
        "endpoints": [
            {"name": "RDP", "protocol": "tcp", "publicPort": 3389, "localPort": 3389, "acl": []}
        ],
    }


def _service(i: int, vnet: str) -> dict[str, Any]:
    name = f"svc{i:05d}"
    paas = i % 2 == 0
    deployment: dict[str, Any] = {
        "slot": "production",
        "name": f"{name}-prod",
        "label": name,
        "status": "running",
        "kind": "paas" if paas else "iaas",
        "vnet": vnet,
        "inDefaultVnet": False,
        "regionalScope": True,
        "packageAvailable": True,
        "vips": [
            {
                "name": f"{name}ContractContract",
                "address": f"40.{i % 250}.{i % 199}.7",
                "reserved": False,
                "reservedIpName": "",
                "endpointCount": 1,
            }
        ],
        "extensionRefs": [],
        "roles": [
            {"name": f"{name}.Web", "size": "Standard_D2_v2", "instanceCount": 2},
            {"name": f"{name}.Worker", "size": "Standard_D1_v2", "instanceCount": 2},
        ]
        if paas
        else [],
        "vms": [] if paas else [_vm(i, 0), _vm(i, 1)],
        "migration": {"state": "", "lastValidation": []},
    }
    return {
        "name": name,
        "location": REGIONS[i % len(REGIONS)],
        "affinityGroup": "",
        "label": name,
        "extensions": [],
        "autoscale": [],
        "alerts": [],
        "jitPolicies": [],
        "deployments": [deployment],
    }


def document(megabytes: float) -> dict[str, Any]:
    services: list[dict[str, Any]] = []
    vnets: list[dict[str, Any]] = []
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {
                "id": "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
                "name": "Benchmark",
                "providers": [
                    {
                        "namespace": "Microsoft.ClassicInfrastructureMigrate",
                        "registrationState": "Registered",
                    }
                ],
                "cloudServices": services,
                "virtualNetworks": vnets,
            }
        ],
    }
    target = int(megabytes * 1_000_000)
    size, i = 200, 0
    while size < target:
        if i % 20 == 0:
            n = len(vnets)
            vnets.append(
                {
                    "name": f"vnet{n:04d}",
                    "location": REGIONS[n % len(REGIONS)],
                    "affinityGroup": "",
                    "addressSpace": [f"10.{n % 250}.0.0/16"],
                    "dnsServers": [],
                    "subnets": [
                        {"name": s, "prefix": f"10.{n % 250}.{k}.0/24", "nsg": "", "routeTable": ""}
                        for k, s in enumerate(("web", "app", "data"))
                    ],
                    "gateways": [],
                    "peerings": [],
                    "services": [],
                    "migrationState": "",
                }
            )
            size += len(json.dumps(vnets[-1]))
        services.append(_service(i, vnets[-1]["name"]))
        size += len(json.dumps(services[-1]))
        i += 1
    return doc


def render(megabytes: float) -> str:
    """The document as written (one-space indent), within 2 % of ``megabytes``."""
    text = json.dumps(document(megabytes), indent=1)
    scaled = megabytes * megabytes * 1_000_000 / len(text)  # indentation adds a constant share
    return json.dumps(document(scaled), indent=1)


def main(argv: list[str]) -> int:
    out, mb = Path(argv[0]), float(argv[1])
    out.write_text(render(mb), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
