"""A classic VM (``Role`` with ``RoleType=PersistentVMRole`` + its ``RoleInstance``) -> a
topology ``vms[]`` object."""

from __future__ import annotations

import re

from csmlint.loaders.asm.base import (
    Builder,
    Obj,
    boolean,
    elements,
    first,
    integer,
    lower,
    text,
    value,
)
from csmlint.model.azure.urls import url_host
from csmlint.parsing.xmlsafe import XmlElement, attr, local_name

VM_ROLE_TYPE = "persistentvmrole"
AGENT_STATES = frozenset({"ready", "notready", "unresponsive"})

_XML_EXTENSION_NAMES = re.compile(
    r"^(?:vs\d+debugger|remotedebug\w*|webdeployforvsdevtest)$", re.IGNORECASE
)
"""The XML extensions the migration documents name besides BGInfo 1.*: Visual Studio
debugger (``VS2012Debugger``, ``VS2013Debugger``...), Remote Debugging (``RemoteDebugVS2013``...)
and Web Deploy (``WebDeployForVSDevTest``)."""
_XML_EXTENSION_PUBLISHER = "microsoft.visualstudio.windowsazure."
_JSON_EXTENSIONS = frozenset(
    {
        "microsoftmonitoringagent",
        "iaasantimalware",
        "iaasdiagnostics",
        "customscriptextension",
        "customscript",
        "vmaccessagent",
        "vmaccessforlinux",
        "dsc",
        "omsagentforlinux",
        "linuxdiagnostic",
    }
)
"""Well-known JSON extensions: ``xml`` is stated false for these, unknown for the rest."""


def is_vm_role(role: XmlElement) -> bool:
    """``RoleType`` (or the ``i:type``/``type`` attribute) says ``PersistentVMRole``."""
    kind = lower(role, "RoleType") or (attr(role, "type") or "").strip().lower()
    return kind == VM_ROLE_TYPE or local_name(role) == "PersistentVMRole"


def is_xml_extension(publisher: str | None, name: str | None, version: str | None) -> bool | None:
    """``True`` for the XML extensions the migration refuses, ``False`` for well-known JSON
    ones, ``None`` (unknown) otherwise."""
    lname = (name or "").lower()
    if lname == "bginfo":
        return (version or "").strip().startswith("1")
    if _XML_EXTENSION_NAMES.match(lname) or (publisher or "").lower().startswith(
        _XML_EXTENSION_PUBLISHER
    ):
        return True
    if lname in _JSON_EXTENSIONS:
        return False
    return None


def agent_status(raw: str | None) -> str | None:
    """Guest agent / handler status lower-cased; values outside the enumeration: unknown."""
    if raw is None:
        return None
    status = raw.strip().lower()
    return status if status in AGENT_STATES else "unknown"


def network_set(role: XmlElement) -> XmlElement | None:
    for cs in elements(role, "ConfigurationSets", "ConfigurationSet"):
        if lower(cs, "ConfigurationSetType") == "networkconfiguration":
            return cs
    return None


def vm_object(b: Builder, role: XmlElement, instance: XmlElement | None) -> Obj:
    vm = b.obj(role)
    name, name_el = value(role, "RoleName")
    b.put(vm, "name", name or "", name_el)
    _put_text(b, vm, "size", role, "RoleSize")
    avset, avset_el = value(role, "AvailabilitySetName")
    b.put(vm, "availabilitySet", avset or "", avset_el if avset_el is not None else role)
    if instance is not None:
        _put_text(b, vm, "roleState", instance, "InstanceStatus", lowered=True)
        _put_text(b, vm, "powerState", instance, "PowerState", lowered=True)
        _agent(b, vm, instance)
    _network(b, vm, role)
    _extensions(b, vm, role, instance)
    _boot_diagnostics(b, vm, role)
    _disks(b, vm, role)
    state, state_el = value(role, "MigrationState")
    if state:
        b.put(vm, "migrationState", state.lower(), state_el)
    return vm


def _put_text(
    b: Builder, obj: Obj, key: str, el: XmlElement, name: str, *, lowered: bool = False
) -> None:
    found, found_el = value(el, name)
    if found:
        b.put(obj, key, found.lower() if lowered else found, found_el)


def _agent(b: Builder, vm: Obj, instance: XmlElement) -> None:
    status_el = first(instance, "GuestAgentStatus")
    if status_el is None:
        return
    agent = b.obj(status_el)
    status, st_el = value(status_el, "Status")
    b.put(agent, "status", agent_status(status), st_el)
    version = text(status_el, "GuestAgentVersion")
    if version and version.lower() != "unknown":
        b.put(agent, "version", version, first(status_el, "GuestAgentVersion"))
    b.put(vm, "agent", agent, status_el)


def _network(b: Builder, vm: Obj, role: XmlElement) -> None:
    net = network_set(role)
    if net is None:
        return
    names_el = first(net, "SubnetNames")
    subnets = [t for t in (text(s) for s in elements(net, "SubnetNames", "SubnetName")) if t]
    b.put(vm, "subnets", subnets, names_el if names_el is not None else net)
    static, static_el = value(net, "StaticVirtualNetworkIPAddress")
    b.put(vm, "staticIp", static or "", static_el if static_el is not None else net)
    nics_el = first(net, "NetworkInterfaces")
    if nics_el is not None:
        nics = []
        for nic_el in elements(nics_el, "NetworkInterface"):
            nic = b.obj(nic_el)
            _put_text(b, nic, "name", nic_el, "Name")
            subnet, subnet_el = value(nic_el, "IPConfigurations", "IPConfiguration", "SubnetName")
            b.put(nic, "subnet", subnet, subnet_el)
            nics.append(nic)
        b.put(vm, "nics", nics, nics_el)
    endpoints_el = first(net, "InputEndpoints")
    endpoints = [_endpoint(b, ep) for ep in elements(net, "InputEndpoints", "InputEndpoint")]
    b.put(vm, "endpoints", endpoints, endpoints_el if endpoints_el is not None else net)


def _endpoint(b: Builder, el: XmlElement) -> Obj:
    ep = b.obj(el)
    _put_text(b, ep, "name", el, "Name")
    _put_text(b, ep, "protocol", el, "Protocol", lowered=True)
    b.put(ep, "publicPort", _port(integer(el, "Port")), first(el, "Port"))
    b.put(ep, "localPort", _port(integer(el, "LocalPort")), first(el, "LocalPort"))
    acl_el = first(el, "EndpointAcl")
    rules = []
    for rule_el in elements(acl_el, "Rules", "Rule"):
        rule = b.obj(rule_el)
        b.put(rule, "order", integer(rule_el, "Order"), first(rule_el, "Order"))
        _put_text(b, rule, "action", rule_el, "Action", lowered=True)
        _put_text(b, rule, "remoteSubnet", rule_el, "RemoteSubnet")
        _put_text(b, rule, "description", rule_el, "Description")
        rules.append(rule)
    b.put(ep, "acl", rules, acl_el if acl_el is not None else el)
    return ep


def _port(number: int | None) -> int | None:
    return number if number is not None and number <= 65535 else None


def _extensions(b: Builder, vm: Obj, role: XmlElement, instance: XmlElement | None) -> None:
    refs_el = first(role, "ResourceExtensionReferences")
    if refs_el is None:
        return
    statuses: dict[str, tuple[str | None, XmlElement | None]] = {}
    for st in elements(instance, "ResourceExtensionStatusList", "ResourceExtensionStatus"):
        handler = (text(st, "HandlerName") or "").lower()
        statuses[handler] = value(st, "Status")
    out = []
    for ref_el in elements(refs_el, "ResourceExtensionReference"):
        ext = b.obj(ref_el)
        publisher, name, version = (
            text(ref_el, "Publisher"),
            text(ref_el, "Name"),
            text(ref_el, "Version"),
        )
        b.put(ext, "publisher", publisher, first(ref_el, "Publisher"))
        b.put(ext, "name", name, first(ref_el, "Name"))
        b.put(ext, "version", version, first(ref_el, "Version"))
        _put_text(b, ext, "state", ref_el, "State", lowered=True)
        b.put(ext, "xml", is_xml_extension(publisher, name, version), ref_el)
        status, status_el = statuses.get(f"{publisher}.{name}".lower(), (None, None))
        b.put(ext, "handlerStatus", agent_status(status), status_el)
        out.append(ext)
    b.put(vm, "extensions", out, refs_el)


def _boot_diagnostics(b: Builder, vm: Obj, role: XmlElement) -> None:
    debug = first(role, "DebugSettings")
    if debug is None:
        return
    diag = b.obj(debug)
    enabled = boolean(debug, "BootDiagnosticsEnabled")
    b.put(diag, "enabled", enabled, first(debug, "BootDiagnosticsEnabled"))
    uri, uri_el = value(debug, "ConsoleScreenshotBlobUri")
    account = _storage_account(uri)
    if account is not None:
        b.put(diag, "storageAccount", account, uri_el)
    elif enabled is False:
        b.put(diag, "storageAccount", "", debug)
    b.put(vm, "bootDiagnostics", diag, debug)


def _storage_account(url: str | None) -> str | None:
    """``https://acct.blob.core.windows.net/...`` -> ``acct``."""
    if not url:
        return None
    host = url_host(url)
    return host.split(".", 1)[0] if ".blob." in host else None


def _disks(b: Builder, vm: Obj, role: XmlElement) -> None:
    os_el = first(role, "OSVirtualHardDisk")
    if os_el is not None:
        b.put(vm, "osDisk", _disk(b, os_el), os_el)
    data_el = first(role, "DataVirtualHardDisks")
    if data_el is not None:
        disks = [_disk(b, d) for d in elements(data_el, "DataVirtualHardDisk")]
        b.put(vm, "dataDisks", disks, data_el)


def _disk(b: Builder, el: XmlElement) -> Obj:
    disk = b.obj(el)
    _put_text(b, disk, "name", el, "DiskName")
    b.put(disk, "lun", integer(el, "Lun"), first(el, "Lun"))
    _put_text(b, disk, "mediaLink", el, "MediaLink")
    b.put(disk, "sizeGb", integer(el, "LogicalDiskSizeInGB"), first(el, "LogicalDiskSizeInGB"))
    return disk
