"""The rewrites ``csmlint fix`` knows, each tied to the rule whose finding it resolves:

- CSM133 ``.cscfg`` ``VirtualNetworkSite`` name -> the VNet's ARM ID (after the migration);
- CSM134 ``.cscfg`` ``ReservedIP`` portal name ``Group <rg> <name>`` -> ``group-<rg>-<name>``;
- CSM127 legacy ``vmsize`` in the ``.csdef`` -> the name the migration gives it (the rule's
  ``renames`` map);
- CSM173 a single instance in the ``.cscfg`` -> two (a later configuration update from the
  file would otherwise scale the role back after ``Set-AzureRole -Count 2``);
- CSM123 the legacy Remote Desktop plugin: its imports in the ``.csdef``, its settings and its
  PasswordEncryption certificate in every ``.cscfg`` beside it.

Each fixer gets a file's text and the findings in it, and returns edits on spans of that text."""

from __future__ import annotations

from collections.abc import Callable

from csmlint.migration.fix.text import Attr, Tag, element_span, escape_attr, tags
from csmlint.model.azure.arm_ids import arm_name
from csmlint.records import record

RDP_MODULES = ("RemoteAccess", "RemoteForwarder")
RDP_PREFIXES = tuple(f"Microsoft.WindowsAzure.Plugins.{m}." for m in RDP_MODULES)
RDP_CERT = "Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption"
ROLE_TAGS = ("WebRole", "WorkerRole")


@record(frozen=True)
class Edit:
    start: int
    end: int
    new: str
    rule_id: str
    line: int
    what: str


@record(frozen=True)
class FixContext:
    subscription: str | None
    resource_group: str | None
    size_renames: dict[str, str]
    keep_rdp_certificate: frozenset[str] = frozenset()
    """Roles (lower-case names) whose ``.csdef`` declares the plugin's certificate itself:
    their ``.cscfg`` entry stays, or the deployment would lack a certificate it declares."""


Fixer = Callable[[str, list[int], FixContext], list[Edit]]


def _on_lines(tag: Tag, text: str, lines: list[int]) -> bool:
    last = tag.line + text.count("\n", tag.start, tag.end)
    return any(tag.line <= line <= last for line in lines)


def vnet_arm_id(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    if not ctx.subscription:
        return []
    out = []
    for tag in tags(text):
        name = tag.attr("name")
        if tag.local != "VirtualNetworkSite" or name is None or not _on_lines(tag, text, lines):
            continue
        if name.value.strip().startswith("/"):
            continue
        vnet = arm_name(name.value.strip())
        group = ctx.resource_group or f"{vnet}-migrated"
        new = (
            f"/subscriptions/{ctx.subscription}/resourceGroups/{group}"
            f"/providers/Microsoft.Network/virtualNetworks/{vnet}"
        )
        what = f"VirtualNetworkSite name '{name.value}' -> '{new}'"
        out.append(_set_attr(tag, name, new, "CSM133", what))
    return out


def reserved_ip_names(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    out = []
    for tag in tags(text):
        name = tag.attr("name")
        if tag.local != "ReservedIP" or name is None:
            continue
        new = arm_name(name.value.strip())
        if new != name.value:
            what = f"ReservedIP name '{name.value}' -> '{new}'"
            out.append(_set_attr(tag, name, new, "CSM134", what))
    return out


def legacy_sizes(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    lower = {k.lower(): v for k, v in ctx.size_renames.items()}
    out = []
    for tag in tags(text):
        if tag.local not in ROLE_TAGS or not _on_lines(tag, text, lines):
            continue
        size = tag.attr("vmsize")
        current = size.value.strip() if size is not None else "Small"
        new = lower.get(current.lower())
        if new is None:
            continue
        role = tag.attr("name")
        what = f"role '{role.value if role else '?'}' vmsize '{current}' -> '{new}'"
        if size is not None:
            out.append(_set_attr(tag, size, new, "CSM127", what))
        else:
            anchor = tag.attrs[-1].end + 1 if tag.attrs else tag.start + 1 + len(tag.local)
            out.append(Edit(anchor, anchor, f' vmsize="{new}"', "CSM127", tag.line, what))
    return out


def instance_counts(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    """``<Instances count="1">`` of the roles the findings are on -> ``count="2"``."""
    out = []
    role: Tag | None = None
    for tag in tags(text):
        if tag.local == "Role":
            role = tag
            continue
        count = tag.attr("count")
        if tag.local != "Instances" or count is None or count.value.strip() != "1":
            continue
        if _on_lines(tag, text, lines) or (role is not None and _on_lines(role, text, lines)):
            name = role.attr("name") if role is not None else None
            what = f"role '{name.value if name else '?'}' Instances count '1' -> '2'"
            out.append(_set_attr(tag, count, "2", "CSM173", what))
    return out


def _rdp_import(tag: Tag) -> bool:
    module = tag.attr("moduleName")
    return tag.local == "Import" and module is not None and module.value in RDP_MODULES


def _rdp_setting(tag: Tag) -> bool:
    name = tag.attr("name")
    return tag.local == "Setting" and name is not None and name.value.startswith(RDP_PREFIXES)


def _rdp_certificate(tag: Tag) -> bool:
    name = tag.attr("name")
    return tag.local == "Certificate" and name is not None and name.value == RDP_CERT


def _rdp_setting_or_cert(tag: Tag) -> bool:
    return _rdp_setting(tag) or _rdp_certificate(tag)


def _only_these(text: str, container: Tag, children: list[Tag]) -> bool:
    """Nothing but ``children`` and white space inside ``container`` (a comment there is the
    user's, and stays with the container)."""
    close = text.rfind("</", container.end, element_span(text, container)[1])
    rest, pos = [], container.end
    for child in children:
        start, end = element_span(text, child)
        rest.append(text[pos : min(start, child.start)])
        pos = max(end, pos)
    rest.append(text[pos:close])
    return not "".join(rest).strip()


def rdp_plugin_csdef(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    return _remove_all(text, _rdp_import, "Imports")


def rdp_plugin_cscfg(text: str, lines: list[int], ctx: FixContext) -> list[Edit]:
    if not ctx.keep_rdp_certificate:
        return _remove_all(text, _rdp_setting_or_cert, "Certificates")
    kept = [_span(text, t) for t in _roles(text) if _role_name(t) in ctx.keep_rdp_certificate]

    def doomed(tag: Tag) -> bool:
        if _rdp_certificate(tag):
            return not any(start < tag.start < end for start, end in kept)
        return _rdp_setting(tag)

    return _remove_all(text, doomed, "Certificates")


@record(frozen=True)
class CertificateUse:
    """How a ``.csdef``'s roles use the RDP plugin's certificate beyond the plugin."""

    declared: frozenset[str]
    """Roles (lower-case) that declare it in their ``<Certificates>``: it stays for them."""
    declared_names: tuple[str, ...]
    """The same roles as the ``.csdef`` names them."""
    undeclared: tuple[str, ...]
    """Roles with an endpoint naming it that only the plugin's import declares: removing
    the import would leave the endpoint naming a certificate nothing declares."""


def rdp_certificate_use(text: str) -> CertificateUse:
    declared: dict[str, str] = {}
    named: dict[str, str] = {}
    found = tags(text)
    for role in _roles(text, found):
        start, end = _span(text, role)
        name, label = _role_name(role), role.attr("name")
        for tag in found:
            if not start < tag.start < end:
                continue
            if _rdp_certificate(tag):
                declared[name] = label.value if label is not None else ""
            certificate = tag.attr("certificate")
            if certificate is not None and certificate.value == RDP_CERT:
                named[name] = label.value if label is not None else ""
    undeclared = tuple(sorted(shown for key, shown in named.items() if key not in declared))
    return CertificateUse(frozenset(declared), tuple(sorted(declared.values())), undeclared)


_ROLES = frozenset({"Role", "WebRole", "WorkerRole", "VirtualMachineRole"})


def _roles(text: str, found: list[Tag] | None = None) -> list[Tag]:
    return [t for t in (found if found is not None else tags(text)) if t.local in _ROLES]


def _role_name(tag: Tag) -> str:
    name = tag.attr("name")
    return name.value.lower() if name is not None else ""


def _span(text: str, tag: Tag) -> tuple[int, int]:
    return element_span(text, tag) if not tag.empty else (tag.start, tag.end)


def _remove_all(text: str, doomed: Callable[[Tag], bool], *containers: str) -> list[Edit]:
    """Every element ``doomed`` picks, removed; a container (``<Imports>``) whose children
    would all go is removed whole instead of being left empty."""
    found = tags(text)
    out: list[Edit] = []
    covered: list[tuple[int, int]] = []
    for tag in found:
        if tag.local in containers and not tag.empty:
            start, end = element_span(text, tag)
            inner = [t for t in found if tag.start < t.start < end]
            if inner and all(doomed(t) for t in inner) and _only_these(text, tag, inner):
                what = f"removed {tag.local} (only the RDP plugin's entries were in it)"
                out.append(Edit(start, end, "", "CSM123", tag.line, what))
                covered.append((start, end))
    for tag in found:
        if doomed(tag) and not any(s <= tag.start < e for s, e in covered):
            if tag.local == "Import":
                module = tag.attr("moduleName")
                what = f"removed Import moduleName='{module.value if module else ''}'"
            else:
                name = tag.attr("name")
                what = f"removed {tag.local} '{name.value if name else ''}'"
            out.append(_remove(text, tag, what))
    return sorted(out, key=lambda e: e.start)


def _set_attr(tag: Tag, attr: Attr, value: str, rule_id: str, what: str) -> Edit:
    """``attr``'s value of ``tag`` becomes ``value``."""
    return Edit(attr.start, attr.end, escape_attr(value), rule_id, tag.line, what)


def _remove(text: str, tag: Tag, what: str) -> Edit:
    """The element ``tag`` opens removed, with its line when it stands alone (RDP plugin)."""
    start, end = element_span(text, tag)
    return Edit(start, end, "", "CSM123", tag.line, what)
