"""The platform migration of one unit (Validate, Prepare, check, Commit, the Abort path) and
what every unit needs after Commit, with the unit's real names or visible placeholders.

The state machine is the platform's (the migration overviews below): Validate changes
nothing; Prepare copies the resources' metadata into Azure Resource Manager and locks them
for create, update and delete (reads keep working on both sides, and the application keeps
serving); Commit removes them from the classic side; Abort removes the copy and unlocks, and
is no longer possible once a Commit was tried. Prepare, Commit and Abort are idempotent: a
failed one is retried.
"""

from __future__ import annotations

import re
from typing import Any, Final

from csmlint.migration.plan.model import (
    AFTER,
    PREPARE_RESTART_NOTE,
    PREPARE_SERVES,
    RESTART_NOTE,
    Command,
    Downtime,
    Reference,
    Step,
    UnitPlan,
)
from csmlint.model.azure.naming import in_command, placeholder, quoted_service
from csmlint.model.facts import UNKNOWN

CSES: Final = Reference(
    "Migrate Azure Cloud Services (classic) to Azure Cloud Services (extended support)",
    "https://learn.microsoft.com/azure/cloud-services-extended-support/in-place-migration-overview",
)
CSES_PS: Final = Reference(
    "Migrate to Cloud Services (extended support) using PowerShell",
    "https://learn.microsoft.com/azure/cloud-services-extended-support/in-place-migration-powershell",
)
IAAS: Final = Reference(
    "Platform-supported migration of IaaS resources from classic to Azure Resource Manager",
    "https://learn.microsoft.com/azure/virtual-machines/migration-classic-resource-manager-overview",
)
IAAS_PS: Final = Reference(
    "Migrate IaaS resources from classic to Azure Resource Manager by using PowerShell",
    "https://learn.microsoft.com/azure/virtual-machines/migration-classic-resource-manager-ps",
)
IAAS_CLI: Final = Reference(
    "Migrate IaaS resources from classic to Azure Resource Manager by using the Azure classic CLI",
    "https://learn.microsoft.com/azure/virtual-machines/migration-classic-resource-manager-cli",
)
LOCKED: Final = Reference(
    "Azure Cloud Services update fails during a migration",
    "https://learn.microsoft.com/troubleshoot/azure/cloud-services/classic/deploy/"
    "failed-update-ongoing-migration-process",
)
POST: Final = Reference(
    "Post-migration changes for Cloud Services (extended support)",
    "https://learn.microsoft.com/azure/cloud-services-extended-support/post-migration-changes",
)
SUBSCRIPTION = "<subscription-id>"
MIGRATION_REFS: Final = [CSES, CSES_PS, IAAS, IAAS_PS, IAAS_CLI]


def _ps(text: str) -> Command:
    return Command("powershell", text)


def _cli(text: str) -> Command:
    return Command("classic-cli", text)


def _what(unit: UnitPlan, entity: Any) -> str:
    if unit.kind == "virtualNetwork":
        labels = unit.service_labels or unit.cloud_services
        inside = ", ".join(_quoted(n) for n in labels) or "no cloud service migrates with it"
        return f"virtual network '{unit.name}' with everything in it ({inside})"
    if unit.kind == "storageAccount":
        return f"storage account '{unit.name}'"
    if _vnet_unknown(entity):
        return f"cloud service {_quoted(unit.shown_name)} (virtual network not known)"
    return f"cloud service {_quoted(unit.shown_name)} (outside any virtual network, into a new one)"


def _vnet_unknown(cs: Any) -> bool:
    """Whether the inputs do not say if the cloud service's deployments are in a virtual
    network: no deployment known (a .csdef alone: CSM181), or a ``VirtualNetworkSite``
    without a usable name (``inDefaultVnet: true`` does say: the hidden default VNet). Its
    unit is then a lone cloud service only for want of facts."""
    return cs.deployments_known is not True or any(
        d.vnet_name is UNKNOWN and d.in_default_vnet is not True for d in cs.deployments
    )


def _validate_detail(unit: UnitPlan, entity: Any) -> str:
    text = (
        "Validate changes nothing. Every message it returns is a blocker to fix first "
        "(csmlint diagnose explains it); run it again until it passes."
    )
    if unit.kind != "cloudService" or not _vnet_unknown(entity):
        return text
    service = entity.service_name if isinstance(entity.service_name, str) else None
    return (
        "The inputs do not say whether this deployment is in a virtual network (lint its "
        ".cscfg, or give the topology its deployments). These commands are for a deployment "
        "in no VNet; first run Get-AzureDeployment -ServiceName "
        f'"{service or placeholder("cloudService")}" -Slot Production | Select-Object '
        "VNetName, and when it names a VNet, migrate that VNet with everything in it "
        "(Move-AzureVirtualNetwork) instead. " + text
    )


def _quoted(label: str) -> str:
    """A deployed name in quotes; in the placeholder form (``'<cloud-service-name>' (csdef:
    x)``) the placeholder."""
    return quoted_service(label)


_DEPLOYMENT_NAME = re.compile(r'-ServiceName "(?P<svc>[^"]*)" -DeploymentName "(?P<dep>[^"]*)"')


def _in_production(command: str) -> str:
    """``Move-AzureService ... -DeploymentName "<old>"`` -> the name of whatever deployment
    is in the production slot when the command runs."""
    return _DEPLOYMENT_NAME.sub(
        lambda m: (
            f'-ServiceName "{m["svc"]}" -DeploymentName (Get-AzureDeployment '
            f'-ServiceName "{m["svc"]}" -Slot Production).DeploymentName'
        ),
        command,
    )


def _redeployed_note(entity: Any) -> str:
    match = _DEPLOYMENT_NAME.search(entity.migrate_validate)
    if match is None:
        return ""
    return (
        " If the deployment was replaced on the way (a new deployment uploaded to staging and "
        "swapped into production, as the step 'Deployment is not in a virtual network' may "
        "do), it has a new name: the PowerShell commands read it from the production slot; "
        f'in the classic CLI commands, replace "{match["dep"]}" with the name Get-AzureDeployment '
        f'-ServiceName "{match["svc"]}" -Slot Production | Select-Object DeploymentName shows.'
    )


def migrate_steps(
    unit: UnitPlan,
    entity: Any,
    resource_groups: list[str],
    redeployed: bool = False,
    notes: list[str] | None = None,
    restarts: bool = False,
    prepare_restarts: Downtime = "no",
) -> list[Step]:
    """Validate, Prepare, check, Commit and the Abort path of ``unit``; ``entity`` carries
    the commands assembly built (``migrate_*``, ``cli_*``). ``redeployed``: a step before
    may replace the production deployment by a new one, so the commands do not take the
    old deployment's name for granted. ``notes`` are added to Validate's text.
    ``restarts``: a role of the unit runs one instance (:data:`RESTARTS`), so Commit may
    cause downtime. ``prepare_restarts``: whether VMs of the unit restart during Prepare
    (:data:`PREPARE_RESTARTS`): ``yes``, ``possible`` (a "cannot tell" note) or ``no``."""
    uid, what = unit.id, _what(unit, entity)
    ps = _in_production if redeployed and unit.kind == "cloudService" else str
    note = _redeployed_note(entity) if redeployed and unit.kind == "cloudService" else ""
    note += "".join(f" {n}" for n in notes or [])
    groups = resource_groups or [placeholder("resourceGroup")]
    check_cmds = [
        _ps(f'Get-AzResource -ResourceGroupName "{in_command(g)}" | Format-Table') for g in groups
    ]
    return [
        Step(
            id=f"{uid}/migrate/validate",
            section="migrate",
            phase="validate",
            title=f"Validate the migration of {what}",
            detail=_validate_detail(unit, entity) + note,
            commands=[_ps(ps(entity.migrate_validate)), _cli(entity.cli_validate)],
            references=[CSES, IAAS],
        ),
        Step(
            id=f"{uid}/migrate/prepare",
            section="migrate",
            phase="prepare",
            title=f"Prepare: copy {what} into Azure Resource Manager",
            detail="From here until Commit or Abort the resources are locked for create, "
            "update and delete on both sides (classic: ChangeDeploymentConfigurationOperation"
            "Failed; extended support: OperationNotAllowed). Reads keep working"
            + (f". {PREPARE_RESTART_NOTE}" if prepare_restarts != "no" else PREPARE_SERVES)
            + " Prepare is idempotent: retry it when it fails.",
            commands=[_ps(ps(entity.migrate_prepare)), _cli(entity.cli_prepare)],
            downtime=prepare_restarts,
            references=[CSES, IAAS, LOCKED],
        ),
        Step(
            id=f"{uid}/migrate/check",
            section="migrate",
            phase="check",
            title="Check the prepared resources while they are locked",
            detail="Look at the resources Prepare created in the new resource group(s) "
            f"({', '.join(groups)}): names, addresses, subnets, load balancer, Key Vault; "
            "reads work on the classic and the new side. Do not deploy, scale or change "
            "configuration now: it fails until Commit or Abort. There is no time limit, but "
            "the management plane stays locked.",
            commands=check_cmds,
            references=[IAAS, LOCKED],
        ),
        Step(
            id=f"{uid}/migrate/commit",
            section="migrate",
            phase="commit",
            title=f"Commit the migration of {what}",
            detail="Commit removes the classic resources; from the first Commit attempt on, "
            "Abort is no longer possible. A failed Commit is retried (it is idempotent)."
            + (f" {RESTART_NOTE}" if restarts else ""),
            commands=[_ps(ps(entity.migrate_commit)), _cli(entity.cli_commit)],
            downtime="possible" if restarts else "no",
            references=[CSES, IAAS],
        ),
        Step(
            id=f"{uid}/migrate/abort",
            section="migrate",
            phase="abort",
            title="If the check fails (instead of Commit): Abort",
            detail="Abort removes the copy in Azure Resource Manager and unlocks the classic "
            "resources. Only possible while prepared: not after Validate alone, and never "
            "once a Commit was tried, even a failed one (then retry Commit).",
            commands=[_ps(ps(entity.migrate_abort)), _cli(entity.cli_abort)],
            references=[CSES, IAAS],
        ),
    ]


def _subscription_id(item: Any) -> str:
    sub = getattr(item, "subscription", None)
    sid = getattr(sub, "id", None)
    return sid if isinstance(sid, str) and sid else SUBSCRIPTION


def new_ids(unit: UnitPlan, entity: Any, services: list[Any]) -> list[tuple[str, str]]:
    """(what, new resource ID) of everything the unit becomes: where dropped settings and role
    assignments are recreated."""
    out: list[tuple[str, str]] = []
    if unit.kind == "storageAccount":
        sid = _subscription_id(entity)
        out.append(
            (
                f"storage account {unit.name}",
                f"/subscriptions/{sid}/resourceGroups/{unit.name}-migrated/providers/"
                f"Microsoft.Storage/storageAccounts/{unit.name}",
            )
        )
        return out
    if unit.kind == "virtualNetwork":
        name = entity.arm_name or unit.name
        group = entity.arm_resource_group or placeholder("resourceGroup")
        out.append(
            (
                f"virtual network {unit.name}",
                f"/subscriptions/{_subscription_id(entity)}/resourceGroups/{group}/providers/"
                f"Microsoft.Network/virtualNetworks/{name}",
            )
        )
    for cs in services:
        svc = cs.service_name if isinstance(cs.service_name, str) else None
        shown = svc or placeholder("cloudService")
        group = cs.resource_group or f"{shown}-migrated"
        base = f"/subscriptions/{_subscription_id(cs)}/resourceGroups/{group}/providers"
        if cs.has_paas is True:
            out.append(
                (
                    f"cloud service {cs.display_name or cs.name}",
                    f"{base}/Microsoft.Compute/cloudServices/{shown}",
                )
            )
        for vm in cs.vms:
            out.append((f"VM {vm.name}", f"{base}/Microsoft.Compute/virtualMachines/{vm.name}"))
    return out


def resource_groups(unit: UnitPlan, entity: Any, services: list[Any]) -> list[str]:
    """The ``-migrated`` resource groups the unit's resources land in."""
    if unit.kind == "storageAccount":
        return [f"{unit.name}-migrated"]
    groups: list[str] = []
    if unit.kind == "virtualNetwork" and entity.arm_resource_group:
        groups.append(entity.arm_resource_group)
    for cs in services:
        group = cs.resource_group or f"{placeholder('cloudService')}-migrated"
        if group not in groups:
            groups.append(group)
    return groups


def after_steps(
    unit: UnitPlan, entity: Any, services: list[Any], covered: set[tuple[str, str]]
) -> list[Step]:
    """What every migrated unit needs after Commit; ``covered`` holds (rule id, service
    name) pairs a finding's own step already handles, so they are not repeated."""
    uid = unit.id
    steps: list[Step] = []
    groups = resource_groups(unit, entity, services)
    steps.append(
        _after(
            f"{uid}/after/resource-groups",
            "Review the new -migrated resource group(s)",
            "The migration puts the resources into new resource groups named after "
            f"them with -migrated ({', '.join(groups) or 'none known'}). Move them into your "
            "own resource groups later if you wish (Move-AzResource), and tag them.",
            [f'Get-AzResourceGroup -Name "{in_command(g)}"' for g in groups],
            [IAAS, POST],
        )
    )
    for cs in services:
        svc = cs.service_name if isinstance(cs.service_name, str) else None
        shown = svc or placeholder("cloudService")
        group = cs.resource_group or f"{shown}-migrated"
        if (
            unit.kind == "virtualNetwork"
            and cs.has_paas is True
            and (("CSM133", cs.name) not in covered)
        ):
            vnet_name = in_command(entity.arm_name or unit.name)
            vnet_group = in_command(entity.arm_resource_group or placeholder("resourceGroup"))
            paths = [c.path for c in cs.configurations if isinstance(c.path, str) and c.path]
            # beside the user's file, never over it (a Staging or per-environment .cscfg)
            saved = in_command(f"{paths[0]}.migrated" if paths else f"{shown}-migrated.cscfg")
            kept = "beside your file as .migrated" if paths else f"as '{saved}'"
            steps.append(
                _after(
                    f"{uid}/after/cscfg-vnet-id/{cs.name.lower()}",
                    f"Name the VNet by its ARM ID in the .cscfg of {cs.shown_name or cs.name}",
                    "The next deployment of the cloud service must name the virtual "
                    "network in its .cscfg NetworkConfiguration by its Azure Resource Manager "
                    "ID, not by its classic name; export the configuration the migration "
                    f"wrote (saved {kept}: compare, then replace) and "
                    "keep it in source control (csmlint fix --select CSM133 can rewrite it).",
                    [
                        f'(Get-AzVirtualNetwork -Name "{vnet_name}" -ResourceGroupName '
                        f'"{vnet_group}").Id',
                        f'(Get-AzCloudService -ResourceGroupName "{in_command(group)}" '
                        f'-CloudServiceName "{in_command(shown)}").Configuration | '
                        f'Set-Content -Path "{saved}" -Encoding UTF8',
                    ],
                    [POST],
                )
            )
        if cs.has_certificates and ("CSM174", cs.name) not in covered:
            vault = in_command(cs.key_vault or placeholder("keyVault"))
            steps.append(
                _after(
                    f"{uid}/after/key-vault/{cs.name.lower()}",
                    "Grant access to the Key Vault holding the certificates of "
                    f"{cs.shown_name or cs.name}",
                    "The migration moves the certificates into a new Key Vault with no "
                    "access policies for your operators: allow deployments to read it and give "
                    "the team access before the next certificate rotation.",
                    [
                        f'Set-AzKeyVaultAccessPolicy -VaultName "{vault}" -EnabledForDeployment',
                        f'Set-AzKeyVaultAccessPolicy -VaultName "{vault}" -UserPrincipalName '
                        '"<operator-upn>" -PermissionsToCertificates get,list,import,update '
                        "-PermissionsToSecrets get,list",
                    ],
                    [POST, CSES],
                )
            )
    ids = new_ids(unit, entity, services)
    if ids:
        steps.append(
            _after(
                f"{uid}/after/recreate-dropped",
                "Recreate what the migration drops on the new resource IDs",
                "Role assignments on the classic resources, autoscale settings, "
                "classic alerts and just-in-time access policies are not carried over: "
                "recreate them on the new resources ("
                + "; ".join(f"{what}: {rid}" for what, rid in ids)
                + "), and point scripts and monitoring at the new IDs. The role assignments "
                "csmlint found have their own steps (recreated from the CSV recorded before "
                "the migration); the command lists what each new ID holds, to check: right "
                "after Commit it holds only what was inherited.",
                [f'Get-AzRoleAssignment -Scope "{in_command(rid)}"' for _, rid in ids],
                [CSES, IAAS, POST],
            )
        )
    return steps


def _after(
    step_id: str, title: str, detail: str, powershell: list[str], references: list[Reference]
) -> Step:
    """A step after Commit (PowerShell commands)."""
    return Step(
        id=step_id,
        section="after",
        phase=AFTER.name,
        title=title,
        detail=detail,
        commands=[_ps(c) for c in powershell],
        references=references,
    )
