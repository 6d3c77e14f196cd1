"""The estate topology document (``csmlint.topology/v1``) -> model subscriptions.

Two entry points:

* :func:`load_topology` reads a JSON file's bytes through the hardened JSON entry point,
  validates it against the published schema and maps it;
* :func:`load_topology_document` maps an already validated document; importers (ASM XML,
  PowerShell JSON) build a document in this shape and call it with their own ``locate``.

Conventions (``docs/topology.md``): absent or ``null`` is unknown; ``""`` for a none-able
fact is known none; a present list is known (a subscription's ``cloudServices`` too, unless
``cloudServicesComplete`` is ``false``); enumerations are stored lower-case; ``x-`` keys
are never read. Deployments from a topology are live. An explicit deployment ``cscfg`` is
resolved against ``base_dir`` and returned in :attr:`TopologyPart.cscfg_paths` so that the
engine can load it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from csmlint.errors import InputError
from csmlint.loaders.topology.fields import ENUM, INT, NONE, STR, STRINGS, TEXT, Node, known_list
from csmlint.loaders.topology.locations import json_locator
from csmlint.loaders.topology.networks import (
    affinity_group,
    express_route_circuit,
    network_security_group,
    reserved_ip,
    route_table,
    virtual_network,
)
from csmlint.loaders.topology.schema import check_document
from csmlint.loaders.topology.services import CscfgRefs, cloud_service
from csmlint.model.cloud import ValidationMessage
from csmlint.model.location import SourceRef
from csmlint.model.subscription import (
    Provider,
    Quota,
    RbacAssignment,
    StorageAccount,
    StorageDisk,
    Subscription,
)
from csmlint.parsing.jsonsafe import parse_json
from csmlint.records import field, record

__all__ = [
    "TopologyPart",
    "json_locator",
    "load_topology",
    "load_topology_document",
    "validate_topology_document",
]


@record
class TopologyPart:
    """What one topology document contributes to a run."""

    subscriptions: list[Subscription] = field(default_factory=list)
    cscfg_paths: list[str] = field(default_factory=list)
    """Absolute, normalised paths of the ``.cscfg`` files deployments name explicitly."""
    cscfg_sources: dict[str, SourceRef] = field(default_factory=dict)
    """Where each of :attr:`cscfg_paths` was named (for "cannot read" findings)."""
    unattached_validation: list[ValidationMessage] = field(default_factory=list)
    """Validate messages kept under ``x-unmatched`` (no deployment of the document owns
    them); the engine reports them through the platform error catalogue."""


def load_topology(data: bytes, path: str, *, base_dir: str) -> TopologyPart:
    """Parse, validate and map one topology file (``path`` is its display path)."""
    try:
        doc = parse_json(data)
    except InputError as exc:
        if exc.pointer == "" and exc.reason == "unexpected character '<'":
            exc.reason = (
                "not a topology document: it starts with '<' (XML?), and a topology document "
                "(csmlint.topology/v1, --topology) is JSON; lint .csdef, .cscfg and network "
                "configuration files without --topology"
            )
            exc.args = (exc.reason,)
        raise
    locate = json_locator(doc, path)
    validate_topology_document(doc.value, locate)
    return load_topology_document(doc.value, locate, base_dir=base_dir)


def validate_topology_document(document: Any, locate: Callable[[str], SourceRef]) -> None:
    """Raise :class:`~csmlint.errors.InputError` for the most specific schema violation."""
    check_document(document, locate)


def load_topology_document(
    document: dict[str, Any], locate: Callable[[str], SourceRef], *, base_dir: str
) -> TopologyPart:
    """Map a schema-valid topology document to model subscriptions.

    ``locate(pointer)`` gives the :class:`SourceRef` of the value at a JSON pointer;
    ``base_dir`` is the directory that relative deployment ``cscfg`` paths start from.
    """
    refs = CscfgRefs(os.path.abspath(base_dir))
    root = Node(document, "", locate)
    part = TopologyPart()
    for sub_node in root.each("subscriptions"):
        part.subscriptions.append(subscription(sub_node, refs))
    part.cscfg_paths = list(refs.paths)
    part.cscfg_sources = dict(refs.sources)
    part.unattached_validation = _unmatched_validation(root)
    return part


def _unmatched_validation(root: Node) -> list[ValidationMessage]:
    """The messages of ``x-unmatched`` entries of kind ``lastValidation`` (``csmlint
    import`` writes them; ``x-`` keys are free-form, so every value is checked)."""
    out: list[ValidationMessage] = []
    for entry in root.each("x-unmatched"):
        if entry.data.get("kind") != "lastValidation":
            continue
        for item in entry.each("value"):
            text = item.data.get("message")
            if not isinstance(text, str) or not text.strip():
                continue
            facts = {k: v for k, v in item.data.items() if isinstance(v, str)}
            out.append(
                ValidationMessage(
                    src=item.ref("message"),
                    key=f"validation:unmatched{item.pointer}",
                    resource_type=facts.get("resourceType"),
                    resource_name=facts.get("resourceName"),
                    category=facts.get("category"),
                    message=text,
                    vm_name=facts.get("vmName"),
                )
            )
    return out


def subscription(n: Node, refs: CscfgRefs) -> Subscription:
    sub = Subscription(src=n.ref())
    n.fill(sub, (("id", "id", TEXT), ("name", "name", TEXT)))
    ident = sub.id or sub.name or f"#{n.index}"
    sub.key = f"subscription:{ident.lower()}"
    sub.providers = known_list(n, "providers", _provider, sub, "providers")
    sub.quotas = _quotas(n, sub)
    sub.affinity_groups = known_list(n, "affinityGroups", affinity_group, sub, "affinity_groups")
    sub.reserved_ips = known_list(n, "reservedIps", reserved_ip, sub, "reserved_ips")
    sub.network_security_groups = known_list(
        n, "networkSecurityGroups", network_security_group, sub, "network_security_groups"
    )
    sub.route_tables = known_list(n, "routeTables", route_table, sub, "route_tables")
    sub.express_route_circuits = known_list(
        n, "expressRouteCircuits", express_route_circuit, sub, "express_route_circuits"
    )
    sub.rbac = known_list(n, "rbac", _rbac, sub, "rbac")
    for items in (
        sub.reserved_ips,
        sub.network_security_groups,
        sub.route_tables,
        sub.express_route_circuits,
        sub.rbac,
    ):
        for item in items if isinstance(items, list) else ():
            item.subscription = sub
    # a list is complete unless the document says it holds only the services it describes
    complete = n.data.get("cloudServicesComplete") is not False
    sub.cloud_services_listed = n.items("cloudServices") is not None and complete
    for cs_node in n.each("cloudServices"):
        cs = cloud_service(cs_node, refs)
        cs.subscription = sub
        sub.cloud_services.append(cs)
    for vnet_node in n.each("virtualNetworks"):
        vnet = virtual_network(vnet_node)
        vnet.subscription = sub
        sub.virtual_networks.append(vnet)
    for account_node in n.each("storageAccounts"):
        account = storage_account(account_node)
        account.subscription = sub
        sub.storage_accounts.append(account)
    return sub


def _provider(n: Node) -> Provider:
    namespace = n.name("namespace")
    provider = Provider(namespace=namespace, src=n.ref(), key=f"provider:{namespace.lower()}")
    n.fill(provider, (("registration_state", "registrationState", STR),))
    return provider


def _quotas(n: Node, sub: Subscription) -> list[Quota]:
    """``quotas: {region: {counter: {current, limit}}}`` -> one :class:`Quota` per counter."""
    regions = n.child("quotas")
    out: list[Quota] = []
    if regions is None:
        return out
    sub.note_source("quotas", regions.ref())
    for region, counters in regions.data.items():
        if region.startswith("x-") or not isinstance(counters, dict):
            continue
        region_node = regions.child(region)
        if region_node is None:
            continue
        for counter in counters:
            usage = region_node.child(counter)
            if counter.startswith("x-") or usage is None:
                continue
            quota = Quota(
                region=region,
                counter=counter,
                src=usage.ref(),
                key=f"quota:{region.lower()}/{counter.lower()}",
                subscription=sub,
            )
            usage.fill(quota, (("current", "current", INT), ("limit", "limit", INT)))
            out.append(quota)
    return out


def _rbac(n: Node) -> RbacAssignment:
    assignment = RbacAssignment(src=n.ref())
    n.fill(assignment, (("principal", "principal", TEXT), ("role", "role", TEXT)))
    scope = n.data.get("scope")
    assignment.scope = scope if isinstance(scope, str) else ""
    who = (assignment.principal or f"#{n.index}").lower()
    assignment.key = f"rbac:{who}/{(assignment.role or '').lower()}/{assignment.scope.lower()}"
    return assignment


def storage_account(n: Node) -> StorageAccount:
    name = n.name()
    account = StorageAccount(name=name, src=n.ref(), key=f"storageAccount:{name.lower()}")
    account.note_source("name", n.ref("name"))
    n.fill(
        account,
        (
            ("location", "location", STR),
            ("sku", "sku", STR),
            ("os_images", "osImages", STRINGS),
            ("vm_images", "vmImages", STRINGS),
            ("migration_state", "migrationState", ENUM),
        ),
    )
    account.disks = known_list(n, "disks", lambda d: _storage_disk(d, account), account, "disks")
    return account


def _storage_disk(n: Node, account: StorageAccount) -> StorageDisk:
    name = n.name()
    disk = StorageDisk(name=name, src=n.ref(), key=f"{account.key}/disk:{name.lower()}")
    n.fill(disk, (("attached_to", "attachedTo", NONE),))
    return disk
