"""`.csdef` (ServiceDefinition) -> :class:`ServiceDefinition`."""

from __future__ import annotations

from csmlint.errors import InputError
from csmlint.model.definition import (
    Certificate,
    Endpoint,
    PluginImport,
    RoleDefinition,
    ServiceDefinition,
    Setting,
)
from csmlint.parsing.locator import Locator
from csmlint.parsing.xmlsafe import XmlElement, attr, children, local_name, path

ROLE_ELEMENTS = {"WebRole": "web", "WorkerRole": "worker", "VirtualMachineRole": "vm"}
RDP_MODULES = frozenset({"remoteaccess", "remoteforwarder"})
DIAGNOSTICS_SETTING = "microsoft.windowsazure.plugins.diagnostics.connectionstring"
_ENDPOINT_KINDS = {
    "InputEndpoint": "input",
    "InternalEndpoint": "internal",
    "InstanceInputEndpoint": "instanceInput",
}


def load_csdef(locate: Locator) -> ServiceDefinition:
    root = locate.doc.root
    if local_name(root) != "ServiceDefinition":
        raise InputError(f"root element is <{local_name(root)}>, not <ServiceDefinition>", line=1)
    name = attr(root, "name")
    sdef = ServiceDefinition(
        path=locate.path,
        name=name,
        schema_version=attr(root, "schemaVersion"),
        upgrade_domain_count=attr(root, "upgradeDomainCount"),
        src=locate(root),
        key=f"ServiceDefinition[@name='{name}']",
    )
    sdef.note_source("name", sdef.src)
    for probe in path(root, "LoadBalancerProbes", "LoadBalancerProbe"):
        sdef.load_balancer_probes.append(attr(probe, "name") or "")
        sdef.note_first("load_balancer_probes", locate(probe))
    for el in children(root):
        kind = ROLE_ELEMENTS.get(local_name(el))
        if kind:
            sdef.roles.append(_role(el, kind, sdef, locate))
    for role in sdef.roles:
        for ep in role.input_endpoints + role.instance_input_endpoints:
            sdef.has_input_endpoints = True
            sdef.note_first("has_input_endpoints", ep.src)
    sdef.has_public_endpoints = sdef.has_input_endpoints or bool(sdef.load_balancer_probes)
    sdef.note_source(
        "has_public_endpoints",
        sdef.srcs.get("has_input_endpoints") or sdef.srcs.get("load_balancer_probes"),
    )
    return sdef


def _role(el: XmlElement, kind: str, sdef: ServiceDefinition, locate: Locator) -> RoleDefinition:
    name = attr(el, "name") or ""
    vmsize = attr(el, "vmsize")
    ref = locate(el)
    role = RoleDefinition(
        name=name,
        role_type=kind,
        vmsize=vmsize,
        effective_size=vmsize.strip() if vmsize and vmsize.strip() else "Small",
        src=ref,
        key=f"{sdef.key}/{local_name(el)}[@name='{name}']",
        definition=sdef,
    )
    role.note_source("vmsize", ref)
    role.note_source("effective_size", ref)
    for imp in path(el, "Imports", "Import"):
        module = attr(imp, "moduleName") or ""
        iref = locate(imp)
        role.imports.append(
            PluginImport(
                module_name=module,
                src=iref,
                key=f"{role.key}/Import[@moduleName='{module}']",
                role=role,
            )
        )
        role.note_first("imports", iref)
        if module.lower() in RDP_MODULES:
            role.has_rdp_plugin = True
            role.note_first("has_rdp_plugin", iref)
        elif module.lower() == "diagnostics":
            role.has_diagnostics_plugin = True
            role.note_first("has_diagnostics_plugin", iref)
    for ep_parent in children(el, "Endpoints"):
        for ep in children(ep_parent):
            ep_kind = _ENDPOINT_KINDS.get(local_name(ep))
            if ep_kind is None:
                continue
            endpoint = Endpoint(
                name=attr(ep, "name") or "",
                kind=ep_kind,
                protocol=attr(ep, "protocol"),
                port=attr(ep, "port"),
                local_port=attr(ep, "localPort"),
                certificate=attr(ep, "certificate"),
                load_balancer_probe=attr(ep, "loadBalancerProbe"),
                src=locate(ep),
                key=f"{role.key}/{local_name(ep)}[@name='{attr(ep, 'name')}']",
            )
            target = {
                "input": role.input_endpoints,
                "internal": role.internal_endpoints,
                "instanceInput": role.instance_input_endpoints,
            }[ep_kind]
            target.append(endpoint)
            role.note_first(f"{_snake(ep_kind)}_endpoints", endpoint.src)
    for cert in path(el, "Certificates", "Certificate"):
        cname = attr(cert, "name") or ""
        role.certificates.append(
            Certificate(
                name=cname,
                store_location=attr(cert, "storeLocation"),
                store_name=attr(cert, "storeName"),
                src=locate(cert),
                key=f"{role.key}/Certificate[@name='{cname}']",
            )
        )
        role.note_first("certificates", role.certificates[-1].src)
    for setting in path(el, "ConfigurationSettings", "Setting"):
        sname = attr(setting, "name") or ""
        sref = locate(setting)
        role.settings.append(Setting(name=sname, src=sref))
        role.note_first("settings", sref)
        if sname.lower() == DIAGNOSTICS_SETTING and not role.has_diagnostics_plugin:
            role.has_diagnostics_plugin = True
            role.note_first("has_diagnostics_plugin", sref)
    return role


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)
