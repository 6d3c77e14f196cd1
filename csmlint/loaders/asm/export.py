"""Service Management (ASM) REST XML exports -> a ``csmlint.topology/v1`` document.

``import_asm(bytes, display)`` reads one export: a single response (Get Deployment, Get
Cloud Service Properties with ``embed-detail=true``, List Cloud Services, List Reserved IPs,
List Virtual Network Sites, Get Virtual Network Gateway, List Affinity Groups, a
validate-migration response, Get Network Configuration...), MetadataExtract's
``<deployments>`` wrapper, or a MigAz ``MigAz-XML-<date>.log`` (request URL lines each
followed by a response). The result is a topology document dict using exactly the topology
keys, the location of the XML element each fact came from, the deployments' decoded
``.cscfg`` files, and facts whose owner is in another export (matched when exports are
merged: see :mod:`.merge`). A subscription's ``cloudServices`` is marked complete only when a
List Cloud Services response listed them (``cloudServicesComplete``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from csmlint.errors import InputError
from csmlint.loaders.asm import network as net
from csmlint.loaders.asm.base import (
    Builder,
    Collected,
    Context,
    EmbeddedConfig,
    Handler,
    Obj,
    Pending,
    Provenance,
    context_from_url,
    either,
    elements,
    first,
    label,
    subscription_from_url,
    text,
    value,
)
from csmlint.loaders.asm.deployment import deployment_object
from csmlint.loaders.asm.vm import vm_object
from csmlint.parsing.xmlsafe import XmlElement, decode_text, local_name, parse_xml
from csmlint.records import field, record

SOURCE_KIND = "asm-xml"
SCHEMA = "csmlint.topology/v1"
COMPLETE = "cloudServicesComplete"
"""A subscription's ``cloudServices`` lists all its cloud services (``false``: only those
the exports described)."""
_METADATA_FILE = re.compile(
    r"metadata_([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})\.xml$", re.IGNORECASE
)
_LOG_HEADER = re.compile(r"^\S.*?\s(https?://\S+)\s*$")


@record
class AsmImport:
    """One export, mapped."""

    source: Obj
    """``{"id", "kind": "asm-xml", "file"}``."""
    subscriptions: dict[str, Collected] = field(default_factory=dict)
    """By subscription id (``""``: the export does not say)."""
    prov: Provenance = field(default_factory=Provenance)
    problems: list[InputError] = field(default_factory=list)
    """Parts that could not be imported (the rest was)."""

    def collected(self, subscription: str | None) -> Collected:
        return self.subscriptions.setdefault(subscription or "", Collected())

    @property
    def configurations(self) -> list[EmbeddedConfig]:
        return [c for sub in self.subscriptions.values() for c in sub.configurations]

    @property
    def pending(self) -> list[Pending]:
        return [p for sub in self.subscriptions.values() for p in sub.pending]

    def document(self) -> Obj:
        """The topology document of this export alone (``source`` set on its objects)."""
        subs = []
        for sub_id, found in self.subscriptions.items():
            sub: Obj = {"id": sub_id} if sub_id else {}
            for key, items in found.lists.items():
                for item in items:
                    mark_source(item, self.source["id"], key)
                sub[key] = items
                if key == "cloudServices":  # complete only when a listing said so
                    sub[COMPLETE] = found.listing is not None
                    self.prov.mark_key(sub, COMPLETE, found.listing)
            if sub:
                subs.append(sub)
        return {"schema": SCHEMA, "sources": [dict(self.source)], "subscriptions": subs}


def mark_source(item: Obj, source_id: str, key: str) -> None:
    """``"source": id`` on a top-level object, its deployments and its VMs."""
    item.setdefault("source", source_id)
    if key == "cloudServices":
        for dep in item.get("deployments") or []:
            dep.setdefault("source", source_id)
            for vm in dep.get("vms") or []:
                vm.setdefault("source", source_id)


def import_asm(data: bytes, display: str, *, source_id: str = "asm1") -> AsmImport:
    """Map one export; an unreadable file raises :class:`InputError`, an unreadable part
    (one response of a log, one ``Configuration``) is kept in ``problems``."""
    result = AsmImport(source={"id": source_id, "kind": SOURCE_KIND, "file": display})
    base = Context()
    match = _METADATA_FILE.search(display)
    if match:
        base.subscription_id = match.group(1).lower()
    chunks = list(_log_chunks(data))
    if not chunks:
        doc = parse_xml(data)
        b = Builder(doc, display, result.prov)
        _import_root(b, doc.root, base, result)
        result.problems.extend(b.problems)
        return result
    for url, offset, body in chunks:
        try:
            doc = parse_xml(body)
        except InputError as exc:
            line = (exc.line or 1) + offset
            result.problems.append(InputError(exc.reason, line=line, column=exc.column))
            continue
        b = Builder(doc, display, result.prov, line_offset=offset)
        ctx = context_from_url(url, base)
        ctx.modern = True  # MigAz sends x-ms-version 2015-04-01
        try:
            _import_root(b, doc.root, ctx, result)
        except InputError as exc:
            result.problems.append(InputError(exc.reason, line=offset + 1, column=1))
        result.problems.extend(b.problems)
    return result


def _log_chunks(data: bytes) -> Iterator[tuple[str, int, bytes]]:
    """(request URL, lines before the body, body) of each response in a MigAz XML log;
    nothing when ``data`` is not such a log. Bodies that are not XML (``Cached``, ARM
    JSON) are skipped."""
    text_data = decode_text(data).lstrip("\ufeff")
    if text_data.lstrip().startswith("<"):
        return
    lines = text_data.splitlines()
    i = 0
    while i < len(lines):
        header = _LOG_HEADER.match(lines[i])
        if not header:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not _LOG_HEADER.match(lines[j]):
            j += 1
        body = "\n".join(lines[i + 1 : j]).strip()
        if body.startswith("<"):
            first_line = next(k for k in range(i + 1, j) if lines[k].strip())
            yield header.group(1), first_line, body.encode("utf-8")
        i = j


def _import_root(b: Builder, root: XmlElement, ctx: Context, result: AsmImport) -> None:
    name = local_name(root)
    handler = _HANDLERS.get(name) or _HANDLERS.get(name.lower())
    if handler is None:
        raise InputError(
            f"<{name}> is not a Service Management response csmlint can import", line=1
        )
    sub = ctx.subscription_id
    if name in ("HostedService", "HostedServices"):
        found = root if name == "HostedService" else first(root, "HostedService")
        sub = subscription_from_url(text(found, "Url")) or sub
    handler(b, root, ctx, result.collected(sub))


def _deployment(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    service, dep, extensions = deployment_object(b, root, ctx, out)
    if not service:
        b.problem(root, "cannot tell the cloud service of this deployment (no Url)")
        return
    cs = b.obj(root)
    cs["name"] = service
    b.prov.mark_key(cs, "name", b.ref(first(root, "Url")))
    if extensions:
        cs["extensions"] = extensions
    cs["deployments"] = [dep]
    out.add("cloudServices", [cs])


def _wrapper(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    """MetadataExtract's ``<deployments>`` (x-ms-version 2015-10-01): Get Deployment bodies."""
    inner = Context(subscription_id=ctx.subscription_id, modern=True)
    for dep in elements(root, "Deployment"):
        _deployment(b, dep, inner, out)


def _hosted_services(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    """Get Cloud Service Properties (``<HostedService>``: that service alone), or List Cloud
    Services (``<HostedServices>``: every cloud service of the subscription, even none)."""
    if local_name(root) == "HostedService":
        items = [root]
    else:
        items = list(elements(root, "HostedService"))
        out.add("cloudServices", [])
        out.listing = b.ref(root)
    for hs in items:
        out.add("cloudServices", [_hosted_service(b, hs, ctx, out)])


def _hosted_service(b: Builder, hs: XmlElement, ctx: Context, out: Collected) -> Obj:
    cs = b.obj(hs)
    name, name_el = value(hs, "ServiceName")
    b.put(cs, "name", name or ctx.service or "", name_el)
    props = first(hs, "HostedServiceProperties")
    if props is not None:
        location, loc_el = value(props, "Location")
        b.put(cs, "location", location or None, loc_el)
        group, group_el = value(props, "AffinityGroup")
        b.put(cs, "affinityGroup", group or ("" if location else None), either(group_el, loc_el))
        b.put(cs, "label", label(props, "Label"), first(props, "Label"))
    deps_el = first(hs, "Deployments")
    if deps_el is not None:
        inner = Context(subscription_id=ctx.subscription_id, service=cs["name"], modern=ctx.modern)
        deployments, extensions = [], []
        for dep in elements(deps_el, "Deployment"):
            _, d, exts = deployment_object(b, dep, inner, out)
            deployments.append(d)
            extensions.extend(exts)
        b.put(cs, "deployments", deployments, deps_el)
        if extensions:
            cs["extensions"] = extensions
    return cs


def _validation(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    messages = []
    keys: dict[str, str] = {}
    for el in elements(root, "ValidationMessage"):
        msg = b.obj(el)
        for key, tag in (
            ("resourceType", "ResourceType"),
            ("resourceName", "ResourceName"),
            ("category", "Category"),
            ("message", "Message"),
            ("vmName", "VirtualMachineName"),
        ):
            b.put(msg, key, text(el, tag), first(el, tag))
        if (msg.get("resourceType") or "").lower() == "deployment" and msg.get("resourceName"):
            keys.setdefault("deployment", msg["resourceName"])
        if msg.get("vmName"):
            keys.setdefault("vm", msg["vmName"])
        messages.append(msg)
    keys.update(_request_keys(ctx))
    out.pending.append(Pending("validation", keys, messages, b.ref(root)))


def _role(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    """Get Role (``PersistentVMRole``): merged into the same VM of a deployment export."""
    vm = vm_object(b, root, None)
    keys = {"vm": ctx.vm or vm.get("name") or ""}
    keys.update(_request_keys(ctx))
    out.pending.append(Pending("vm", keys, vm, b.ref(root)))


def _request_keys(ctx: Context) -> dict[str, str]:
    """The cloud service and deployment the request URL named (MigAz logs)."""
    found = {"service": ctx.service, "deployment": ctx.deployment}
    return {k: v for k, v in found.items() if v}


def _error(b: Builder, root: XmlElement, ctx: Context, out: Collected) -> None:
    code, message = text(root, "Code"), text(root, "Message")
    b.problem(root, f"the response is an error, not an export: {code}: {message}")


_HANDLERS: dict[str, Handler] = {
    "Deployment": _deployment,
    "deployments": _wrapper,
    "HostedService": _hosted_services,
    "HostedServices": _hosted_services,
    "ReservedIPs": net.reserved_ips,
    "ReservedIP": net.reserved_ips,
    "VirtualNetworkSites": net.virtual_network_sites,
    "VirtualNetworkSite": net.virtual_network_sites,
    "Gateway": net.gateway,
    "AffinityGroups": net.affinity_groups,
    "AffinityGroup": net.affinity_groups,
    "ValidationMessages": _validation,
    "NetworkSecurityGroups": net.named_list("networkSecurityGroups", "NetworkSecurityGroup"),
    "NetworkSecurityGroup": net.named_list("networkSecurityGroups", "NetworkSecurityGroup"),
    "RouteTables": net.named_list("routeTables", "RouteTable"),
    "RouteTable": net.named_list("routeTables", "RouteTable"),
    "StorageServices": net.storage_services,
    "StorageService": net.storage_services,
    "PersistentVMRole": _role,
    "NetworkConfiguration": net.network_configuration,
    "Error": _error,
}
"""Root element local name -> handler (the wrapper matches ``<deployments>`` in any case)."""
IMPORTABLE_ROOTS = frozenset(name for name in _HANDLERS if name != "Error")
"""Root elements of the responses csmlint imports (``deployments`` in any case)."""


def is_importable_root(name: str) -> bool:
    return name in IMPORTABLE_ROOTS or name.lower() == "deployments"
