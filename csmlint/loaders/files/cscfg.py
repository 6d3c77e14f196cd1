"""`.cscfg` (ServiceConfiguration) -> :class:`ServiceConfiguration`."""

from __future__ import annotations

import re

from csmlint.errors import InputError
from csmlint.loaders.files.csdef import DIAGNOSTICS_SETTING
from csmlint.model.configuration import Role, ServiceConfiguration
from csmlint.model.definition import Certificate, Setting
from csmlint.model.facts import UNKNOWN
from csmlint.model.location import SourceRef
from csmlint.parsing.locator import Locator
from csmlint.parsing.numbers import decimal
from csmlint.parsing.xmlsafe import XmlElement, attr, child, children, local_name, path

RDP_ENABLED_SETTING = "microsoft.windowsazure.plugins.remoteaccess.enabled"

_PIPELINE_TOKEN = re.compile(r"#\{.*\}#?|\$\(.*\)|\$\{.*\}|__\w+__|\{\{.*\}\}|%\w+%|@\w+@")
"""A placeholder the release pipeline replaces (``#{Count}#``, ``$(Count)``, ``__Count__``)."""


def load_cscfg(locate: Locator, *, embedded: bool = False) -> ServiceConfiguration:
    root = locate.doc.root
    if local_name(root) != "ServiceConfiguration":
        raise InputError(
            f"root element is <{local_name(root)}>, not <ServiceConfiguration>", line=1
        )
    name = attr(root, "serviceName")
    cfg = ServiceConfiguration(
        path=locate.path,
        service_name=name,
        os_family=attr(root, "osFamily"),
        os_version=attr(root, "osVersion"),
        schema_version=attr(root, "schemaVersion"),
        embedded=embedded,
        src=locate(root),
        key=f"ServiceConfiguration[@serviceName='{name}']",
    )
    cfg.note_source("service_name", cfg.src)
    for el in children(root, "Role"):
        cfg.roles.append(_role(el, cfg, locate))
    net = child(root, "NetworkConfiguration")
    if net is not None:
        _network(net, cfg, locate)
    subnets_by_role = _instance_addresses(net, locate) if net is not None else {}
    for role in cfg.roles:
        found = subnets_by_role.get(role.name.lower())
        if found is None:
            role.subnets = []
        else:
            role.subnets, ref = found
            role.note_source("subnets", ref)
    return cfg


def _role(el: XmlElement, cfg: ServiceConfiguration, locate: Locator) -> Role:
    name = attr(el, "name") or ""
    role = Role(
        name=name,
        vm_name=attr(el, "vmName"),
        src=locate(el),
        key=f"{cfg.key}/Role[@name='{name}']",
        configuration=cfg,
    )
    instances = child(el, "Instances")
    if instances is None:
        role.instance_count = None
    else:
        role.note_source("instance_count", locate(instances))
        count = (attr(instances, "count") or "").strip()
        # A token such as "#{WebInstances}#" is filled in by the release pipeline: unknown.
        number = decimal(count)
        role.instance_count = UNKNOWN if number is None else number
        if number is None and not _PIPELINE_TOKEN.search(count):
            role.instance_count_text = count[:80]
    settings: list[Setting] = []
    role.rdp_plugin_enabled = False
    role.has_diagnostics_setting = False
    for setting in path(el, "ConfigurationSettings", "Setting"):
        sname = attr(setting, "name") or ""
        value = attr(setting, "value")
        sref = locate(setting)
        settings.append(Setting(name=sname, value=value, src=sref))
        role.note_first("settings", sref)
        lname = sname.lower()
        if lname == RDP_ENABLED_SETTING and (value or "").strip().lower() == "true":
            role.rdp_plugin_enabled = True
            role.note_source("rdp_plugin_enabled", sref)
        elif lname == DIAGNOSTICS_SETTING:
            role.has_diagnostics_setting = True
            role.note_source("has_diagnostics_setting", sref)
    role.settings = settings
    certificates: list[Certificate] = []
    for cert in path(el, "Certificates", "Certificate"):
        cname = attr(cert, "name") or ""
        certificates.append(
            Certificate(
                name=cname,
                thumbprint=attr(cert, "thumbprint"),
                thumbprint_algorithm=attr(cert, "thumbprintAlgorithm"),
                src=locate(cert),
                key=f"{role.key}/Certificate[@name='{cname}']",
            )
        )
        role.note_first("certificates", certificates[-1].src)
    role.certificates = certificates
    return role


def _network(net: XmlElement, cfg: ServiceConfiguration, locate: Locator) -> None:
    cfg.has_network_configuration = True
    cfg.note_source("has_network_configuration", locate(net))
    site = child(net, "VirtualNetworkSite")
    if site is not None:
        name = (attr(site, "name") or "").strip()
        cfg.vnet_name = name or UNKNOWN  # in some VNet, but which one is not written here
        cfg.note_source("vnet_name", locate(site))
    for el in path(net, "AddressAssignments", "ReservedIPs", "ReservedIP"):
        cfg.reserved_ips.append(attr(el, "name") or "")
        cfg.note_first("reserved_ips", locate(el))
    for el in path(net, "AddressAssignments", "InstanceAddress", "PublicIPs", "PublicIP"):
        cfg.instance_public_ips.append(attr(el, "name") or "")
        cfg.note_first("instance_public_ips", locate(el))
    for el in path(net, "AccessControls", "AccessControl"):
        cfg.access_controls.append(attr(el, "name") or "")
        cfg.note_first("access_controls", locate(el))
    for el in path(net, "EndpointAcls", "EndpointAcl"):
        cfg.endpoint_acls.append(attr(el, "endpoint") or "")
        cfg.note_first("endpoint_acls", locate(el))
    for el in path(net, "LoadBalancers", "LoadBalancer"):
        cfg.internal_load_balancers.append(attr(el, "name") or "")
        cfg.note_first("internal_load_balancers", locate(el))
    for el in path(net, "Dns", "DnsServers", "DnsServer"):
        cfg.dns_servers.append(attr(el, "name") or "")
        cfg.note_first("dns_servers", locate(el))


def _instance_addresses(net: XmlElement, locate: Locator) -> dict[str, tuple[list[str], SourceRef]]:
    """Subnets per role name (lower-cased) from ``AddressAssignments/InstanceAddress``."""
    found: dict[str, tuple[list[str], SourceRef]] = {}
    for el in path(net, "AddressAssignments", "InstanceAddress"):
        role_name = (attr(el, "roleName") or "").lower()
        names = [attr(s, "name") or "" for s in path(el, "Subnets", "Subnet")]
        previous = found.get(role_name)
        if previous is not None:
            previous[0].extend(names)
        else:
            found[role_name] = (names, locate(el))
    return found
