"""Azure Resource Manager names and IDs the migration gives classic objects.

Naming table: "Migration of IaaS resources from classic to Azure Resource Manager",
https://learn.microsoft.com/azure/virtual-machines/migration-classic-resource-manager-overview
"""

from __future__ import annotations

from csmlint.records import record


@record(frozen=True)
class ArmVnetId:
    subscription: str
    resource_group: str
    name: str


def arm_name(classic: str) -> str:
    """The ARM name of a classic VNet or reserved IP: a portal-created
    ``Group <rg> <name>`` turns into ``group-<rg>-<name>``; other names are kept."""
    parts = classic.split()
    if len(parts) >= 3 and parts[0].lower() == "group":
        return "-".join(["group", *parts[1:]])
    return classic


def parse_vnet_id(text: str) -> ArmVnetId | None:
    """``/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<n>``
    (segment names in any case), or ``None`` when ``text`` is not such an ID."""
    parts = text.strip().split("/")
    if len(parts) != 9 or parts[0] or not all(parts[1:]):
        return None
    keys = [p.lower() for p in parts[1:9:2]]
    if keys != ["subscriptions", "resourcegroups", "providers", "virtualnetworks"]:
        return None
    if parts[6].lower() != "microsoft.network":
        return None
    return ArmVnetId(parts[2], parts[4], parts[8])


__all__ = ["ArmVnetId", "arm_name", "parse_vnet_id"]
