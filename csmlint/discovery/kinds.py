"""What kind of input a file is: by extension, or for ``.xml``/``.json`` by a cheap look at
the root element or the topology document's ``schema`` key."""

from __future__ import annotations

import os
import re

from csmlint.discovery.candidates import InputCandidate
from csmlint.errors import InputError
from csmlint.parsing.source import read_capped, read_head
from csmlint.parsing.xmlsafe import sniff_root

XML_ROOTS = {
    "ServiceDefinition": "csdef",
    "ServiceConfiguration": "cscfg",
    "NetworkConfiguration": "netcfg",
}
ASM_NAMESPACE = "http://schemas.microsoft.com/windowsazure"
ASM_ROOTS = frozenset(
    {
        "Deployment",
        "Deployments",
        "HostedService",
        "HostedServices",
        "ReservedIPs",
        "VirtualNetworkSites",
        "Gateway",
        "AffinityGroups",
        "ValidationMessages",
        "StorageServices",
        "StorageService",
        "ReservedIP",
        "VirtualNetworkSite",
        "AffinityGroup",
        "NetworkSecurityGroups",
        "NetworkSecurityGroup",
        "RouteTables",
        "RouteTable",
        "PersistentVMRole",
    }
)
ASM_MARKERS: dict[str, tuple[bytes, ...]] = {
    "Deployment": (b"<DeploymentSlot>",),
    "Deployments": (b"<DeploymentSlot>",),
    "HostedService": (b"<ServiceName>",),
    "HostedServices": (b"<ServiceName>",),
    "PersistentVMRole": (b"<RoleType>PersistentVMRole</RoleType>",),
    "VirtualNetworkSites": (b"<AddressSpace>",),
    "VirtualNetworkSite": (b"<AddressSpace>",),
    "Gateway": (b"<GatewayType>",),
    "NetworkSecurityGroups": (b"<NetworkSecurityGroup>",),
    "NetworkSecurityGroup": (b"<Rules>", b"<Rules/>"),
    "RouteTables": (b"<RouteTable>",),
    "RouteTable": (b"<RouteList>", b"<RouteList/>"),
    "ReservedIPs": (b"<ReservedIP>", b"<ReservedIPs/>"),
    "AffinityGroups": (b"<AffinityGroup>",),
    "ValidationMessages": (b"<ValidationMessage>",),
    "StorageServices": (b"<StorageServiceProperties>",),
    "StorageService": (b"<StorageServiceProperties>",),
}
"""Service Management responses saved without their namespace (hand-trimmed test data,
some export scripts) are recognised by a child element only such a response has, so an
unrelated ``<Deployment>`` or ``<Gateway>`` file is not taken for one."""
ASM_WRAPPERS = frozenset({"deployments"})
"""Roots of files that concatenate responses without a namespace (MetadataExtract.ps1 writes
``<deployments>``), matched in any case."""
TOPOLOGY_MARKER = b"csmlint.topology/v1"
_TOPOLOGY_KEY = re.compile(r'"schema"\s*:\s*"csmlint\.topology/v1"')
"""The marker as the document's ``schema`` value: the JSON Schema of the topology (which
also names the marker, e.g. ``topology.schema.json`` next to a document) is not one."""
SNIFF_BYTES = 8192
"""What classification reads of a ``.xml``/``.json`` file (root element, topology marker)."""
EXTENSION_KINDS = {".csdef": "csdef", ".cscfg": "cscfg", ".netcfg": "netcfg"}
MAYBE_INPUT = (*EXTENSION_KINDS, ".xml", ".json")


def classify(path: str, display: str, max_bytes: int) -> InputCandidate | None:
    """The candidate for ``path``, or ``None`` when it is not a csmlint input."""
    ext = os.path.splitext(path)[1].lower()
    kind = EXTENSION_KINDS.get(ext)
    if kind:
        return InputCandidate(path, display, kind)
    if ext not in (".xml", ".json"):
        return None
    try:
        data = read_capped(path, max_bytes)
    except InputError as exc:
        # Too large (or unreadable): classify by the first bytes, which is all the sniffing
        # looks at anyway, so that a big unrelated .xml is no input error and a big topology
        # is one; when not even those can be read, report what may be an input.
        head = read_head(path, SNIFF_BYTES)
        if head is None:
            if ext == ".json" and not display.endswith(".topology.json"):
                return None
            return InputCandidate(path, display, "topology" if ext == ".json" else "xml", error=exc)
        kind = _sniffed_kind(head, ext, display)
        return None if kind is None else InputCandidate(path, display, kind, error=exc)
    kind = _sniffed_kind(data, ext, display)
    return None if kind is None else InputCandidate(path, display, kind, data=data)


def _sniffed_kind(data: bytes, ext: str, display: str) -> str | None:
    """The input kind of a ``.json``/``.xml`` file from its first :data:`SNIFF_BYTES`."""
    if ext == ".json":
        if display.endswith(".topology.json") or _utf8_marker(data) or _utf16_marker(data):
            return "topology"
        return None
    root = sniff_root(data)
    if root is None:
        return None
    name, ns = root
    if name in XML_ROOTS:
        return XML_ROOTS[name]
    if (name in ASM_ROOTS and ns == ASM_NAMESPACE) or name.lower() in ASM_WRAPPERS:
        return "asm"
    if name in ASM_ROOTS and ns == "" and any(m in data for m in ASM_MARKERS.get(name, ())):
        return "asm"
    return None


def _utf8_marker(data: bytes) -> bool:
    head = data[:4096]
    if TOPOLOGY_MARKER not in head:
        return False
    return _TOPOLOGY_KEY.search(head.decode("utf-8", "replace")) is not None


def _utf16_marker(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return False
    text = head.decode("utf-16", "replace")
    return _TOPOLOGY_KEY.search(text) is not None


def kind_guess(path: str) -> str:
    """The input kind by extension alone (for files that cannot be read)."""
    ext = os.path.splitext(path)[1].lower()
    return EXTENSION_KINDS.get(ext) or ("topology" if ext == ".json" else "xml")
