"""Azure naming rules, and the placeholders commands show where a real name is not known.

A remediation command is pasted into a shell: every name in it must be the real name of the
Azure object or a visible placeholder. Names are built only through :func:`valid`, which
checks them against the rules Azure applies to that kind of resource, so a value that
cannot be such a name (a `.csdef` name with dots, a Key Vault name over 24 characters)
becomes the placeholder instead.

Sources: "Naming rules and restrictions for Azure resources"
(https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules)
and, for classic cloud services (a DNS label under ``cloudapp.net``), the Cloud Services
(classic) service-creation rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from csmlint.model.azure.placeholders import GLOSSARY, other_values

_RULES: Final[dict[str, re.Pattern[str]]] = {
    # letters, digits and hyphens; starts and ends with a letter or digit (a DNS label)
    "cloudService": re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{1,61}[A-Za-z0-9])"),
    # 1-90: letters, digits, underscores, parentheses, hyphens, periods; not ending in '.'
    "resourceGroup": re.compile(r"[\w().-]{0,89}[\w()-]"),
    # 3-24: letters, digits, hyphens; starts with a letter, ends with a letter or digit,
    # no consecutive hyphens (checked below)
    "keyVault": re.compile(r"[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]"),
    # 1-80: letters, digits, underscores, periods, hyphens; starts with a letter or digit,
    # ends with a letter, digit or underscore
    "loadBalancer": re.compile(r"[A-Za-z0-9](?:[\w.-]{0,78}[A-Za-z0-9_])?"),
    "publicIp": re.compile(r"[A-Za-z0-9](?:[\w.-]{0,78}[A-Za-z0-9_])?"),
    # 2-64: letters, digits, underscores, periods, hyphens; starts with a letter or digit,
    # ends with a letter, digit or underscore
    "virtualNetwork": re.compile(r"[A-Za-z0-9][\w.-]{0,62}[A-Za-z0-9_]"),
    # 3-24 lower-case letters and digits
    "storageAccount": re.compile(r"[a-z0-9]{3,24}"),
    # a subscription id is a GUID
    "subscription": re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"),
}

PLACEHOLDERS: Final[dict[str, tuple[str, str]]] = {
    "cloudService": (
        "<cloud-service-name>",
        "the hosted service's name: Get-AzureService | Select-Object ServiceName, or set "
        "cloudServices[].name in the topology (a .csdef's name is the package's, not "
        "necessarily the cloud service's)",
    ),
    "deployment": (
        "<deployment-name>",
        "Get-AzureDeployment -ServiceName <cloud-service-name> -Slot Production | "
        "Select-Object DeploymentName, or set cloudServices[].deployments[].name in the "
        "topology",
    ),
    "keyVault": (
        "<key-vault-name>",
        "the vault the migration created for the cloud service: Get-AzKeyVault "
        "-ResourceGroupName <cloud-service-name>-migrated",
    ),
    "loadBalancer": (
        "<load-balancer-name>",
        "Get-AzLoadBalancer -ResourceGroupName <cloud-service-name>-migrated",
    ),
    "resourceId": (
        "<new-resource-id>",
        "the migrated resource's ID after commit: "
        "(Get-AzResource -Name <resource-name>).ResourceId",
    ),
    "virtualNetwork": (
        "<arm-vnet-name>",
        "the virtual network's name in Azure Resource Manager (for a migrated one, the name "
        "the migration gave it): Get-AzVirtualNetwork | "
        "Select-Object Name, ResourceGroupName",
    ),
    "resourceGroup": (
        "<migrated-resource-group>",
        "the resource group the migration created: Get-AzResourceGroup | Where-Object "
        "ResourceGroupName -like '*-migrated'",
    ),
}
"""Kind -> (placeholder, where to find the real name)."""


def valid(kind: str, name: str | None) -> bool:
    """``name`` can be the name of an Azure object of ``kind``."""
    if not isinstance(name, str) or not name:
        return False
    rule = _RULES.get(kind)
    if rule is None or not rule.fullmatch(name):
        return False
    return not (kind == "keyVault" and "--" in name)


_SHELL_UNSAFE = re.compile(r"[\"'`$\u2018-\u201f\x00-\x1f\x7f;|&]")
"""Characters that end or escape a PowerShell string, start an expression or a second
command: quotes (PowerShell also reads the typographic ones as quotes), backtick, ``$``,
control characters, ``;``, ``|`` and ``&``."""

UNSAFE_VALUE: Final = "<unsafe-value-see-the-finding>"
"""What a command shows instead of a value from the inputs that could break out of its
quotes when pasted (a topology from a fork's pull request names a deployment
``dep"$(calc)``)."""


LONG_VALUE: Final = "<value too long to paste: see the finding>"
"""What a command shows instead of a value from the inputs longer than
:data:`MAX_COMMAND_VALUE` characters: never a value cut short (a path cut with ``…`` names
a file that does not exist)."""
MAX_COMMAND_VALUE: Final = 4096
"""The longest value a command shows (a path's limit on Linux)."""


class Built(str):
    """A command csmlint built itself from names it checked (:func:`migration_commands`):
    a rule's command may insert it whole, quotes and all."""

    __slots__ = ()


def shell_safe(value: str) -> bool:
    """``value`` can stand inside a quoted argument of a pasted command as it is."""
    return _SHELL_UNSAFE.search(value) is None


def in_command(value: str) -> str:
    """``value``, or :data:`UNSAFE_VALUE` when it is not :func:`shell_safe` (a
    :class:`Built` command is pasted as it is)."""
    return value if isinstance(value, Built) or shell_safe(value) else UNSAFE_VALUE


def named(kind: str, name: str | None) -> str | None:
    """``name`` when it is valid for ``kind``, else ``None``."""
    return name if name is not None and valid(kind, name) else None


def placeholder(kind: str) -> str:
    return PLACEHOLDERS[kind][0]


def shown_service(name: str, service: str | None, source: str = "csdef") -> str:
    """How reports name a cloud service: its deployed name when known, else the placeholder
    and the name the inputs give (``<cloud-service-name> (csdef: Contoso.Web)``), so that a
    `.csdef`'s name (the package's) never reads as the deployed one."""
    if service:
        return service
    return f"{placeholder('cloudService')} ({source}: {name})"


def quoted_service(label: str) -> str:
    """A cloud service's label (:func:`shown_service`) for prose, quoted like every name: the
    deployed name (``'contoso-web'``), or the placeholder with what the inputs give
    (``'<cloud-service-name>' (csdef: Contoso.Web)``)."""
    shown = placeholder("cloudService")
    if label.startswith(shown):
        return f"'{shown}'{label[len(shown) :]}"
    return f"'{label}'"


_PLACEHOLDER = re.compile(r"<[a-z][a-z0-9]*(?:-[a-z0-9]+)*>")
_FILLED = frozenset(shown for shown, _ in PLACEHOLDERS.values())


def hints(commands: str, text: str = "") -> tuple[str, ...]:
    """One line per placeholder that ``commands`` contain, saying where the real value is
    (:data:`PLACEHOLDERS`, then the glossary of values no input holds, for a placeholder
    ``text`` does not already name), and one line naming any other placeholder."""
    lines = [f"Replace {shown} with {where}." for shown, where in PLACEHOLDERS.values()
             if shown in commands]  # fmt: skip
    rest = []
    for found in dict.fromkeys(_PLACEHOLDER.findall(commands)):
        if found in _FILLED or found in text:
            continue
        where = GLOSSARY.get(found)
        if where is not None:
            lines.append(f"Replace {found} with {where}.")
        else:
            rest.append(found)
    if rest:
        lines.append(other_values(rest))
    return tuple(lines)


@lru_cache(maxsize=1024)
def migration_commands(
    unit_kind: str, unit_name: str, service: str | None, deployment: str | None
) -> Mapping[str, str]:
    """The platform's Validate/Prepare/Commit/Abort commands for a migration unit.

    A virtual network migrates with everything in it (``Move-AzureVirtualNetwork``); a cloud
    service outside any VNet migrates its deployment (``Move-AzureService``, into a new
    VNet); a storage account migrates on its own (``Move-AzureStorageAccount``).
    """
    name = in_command(unit_name)
    if unit_kind == "virtualNetwork":
        ps = f'Move-AzureVirtualNetwork -@STEP -VirtualNetworkName "{name}"'
        cli = f'azure network vnet @VERB-migration "{name}"'
    elif unit_kind == "storageAccount":
        ps = f'Move-AzureStorageAccount -@STEP -StorageAccountName "{name}"'
        cli = f'azure storage account @VERB-migration "{name}"'
    else:
        svc = in_command(service) if service else placeholder("cloudService")
        dep = in_command(deployment) if deployment else placeholder("deployment")
        ps = f'Move-AzureService -@STEP -ServiceName "{svc}" -DeploymentName "{dep}"'
        cli = f'azure service deployment @VERB-migration "{svc}" "{dep}"'
    return _built(ps, cli, unit_kind not in ("virtualNetwork", "storageAccount"))


@lru_cache(maxsize=1024)
def _built(ps: str, cli: str, new_vnet: bool) -> Mapping[str, str]:
    """The eight commands of :func:`migration_commands` from its two patterns, cached: a
    cloud service and its deployment, and every service whose name is a placeholder, share
    one set (5,000 services held 5 MB of equal command strings). Never changed."""
    out: dict[str, str] = {}
    for step in ("Validate", "Prepare", "Commit", "Abort"):
        extra = " -CreateNewVirtualNetwork" if new_vnet and step in ("Validate", "Prepare") else ""
        # replace, not str.format: a name with braces must not be read as a field
        out[step.lower()] = Built(ps.replace("@STEP", step, 1) + extra)
        cli_extra = ' new "" "" ""' if extra else ""
        out[f"cli{step}"] = Built(cli.replace("@VERB", step.lower(), 1) + cli_extra)
    return MappingProxyType(out)
