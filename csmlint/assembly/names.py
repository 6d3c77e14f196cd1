"""Names and migration commands for what a finding's remediation may touch.

Runs after the migration units are known. Every name goes through
:mod:`csmlint.model.azure.naming`: a cloud service's real name is known only from a topology
or an export (a `.csdef`'s ``name`` is the package's), and a derived name that breaks
Azure's rules (a Key Vault name over 24 characters) stays unset, so templates show a
placeholder instead of a name that cannot exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csmlint.model.azure.naming import (
    Built,
    migration_commands,
    named,
    quoted_service,
    shell_safe,
    shown_service,
)
from csmlint.model.base import Migrates
from csmlint.model.cloud import CloudService, Deployment
from csmlint.model.estate import Estate, MigrationUnit, storage_unit_id, vnet_unit_id
from csmlint.model.facts import UNKNOWN
from csmlint.model.subscription import RbacAssignment


def name_everything(estate: Estate) -> None:
    units = {u.id: u for u in estate.units}
    for cfg in estate.service_configurations:
        cfg.file_path = None if cfg.embedded else cfg.path
    for cs in estate.cloud_services:
        service = named("cloudService", cs.name) if cs.in_topology else None
        cs.service_name = service if service is not None else UNKNOWN
        source = "csdef" if cs.definition is not None and not cs.in_topology else "topology"
        if not cs.in_topology and cs.definition is None:
            source = "cscfg"
        cs.display_name = shown_service(cs.name, service, source)
        cs.shown_name = quoted_service(cs.display_name)
        if service is not None:
            cs.resource_group = named("resourceGroup", f"{service}-migrated")
            cs.key_vault = named("keyVault", f"KV-{service}")
            cs.load_balancer = named("loadBalancer", f"LB-{service}")
        unit = units.get(cs.migration_unit)
        primary = _primary(cs)
        _steps(cs, unit, service, _deployment_name(primary))
        for dep in cs.deployments:
            own = unit
            if dep.virtual_network is not None:
                own = units.get(vnet_unit_id(dep.virtual_network.name), unit)
            _steps(dep, own, service, _deployment_name(dep))
            dep.shown_name = _shown_deployment(dep)
            if isinstance(dep.slot, str) and dep.slot:
                dep.slot_name = dep.slot.capitalize()
    for vnet in estate.virtual_networks:
        _steps(vnet, units.get(vnet_unit_id(vnet.name)), None, None)
        kinds: dict[str, set[str]] = {"paas": set(), "iaas": set()}
        shown: dict[str, dict[str, str]] = {"all": {}, "paas": {}, "iaas": {}}
        for dep in vnet.deployments:
            owner = dep.cloud_service
            name = owner.service_name if owner is not None else None
            if isinstance(name, str) and dep.kind in kinds:
                kinds[str(dep.kind)].add(name)
            if owner is not None:
                for group in ("all", str(dep.kind)):
                    if group in shown:
                        shown[group].setdefault(owner.name, owner.shown_name)
        vnet.paas_service_names = sorted(kinds["paas"])
        vnet.iaas_service_names = sorted(kinds["iaas"])
        vnet.shown_service_names = [shown["all"][n] for n in sorted(shown["all"])]
        vnet.shown_paas_service_names = [shown["paas"][n] for n in sorted(shown["paas"])]
        vnet.shown_iaas_service_names = [shown["iaas"][n] for n in sorted(shown["iaas"])]
    for account in estate.storage_accounts:
        _steps(account, units.get(storage_unit_id(account.name)), None, None)
    for assignment in estate.rbac_assignments:
        scope = _arm_scope(estate, assignment)
        # names from the inputs and csmlint's own $(Get-AzContext) expression: pasted as it
        # is when the names are safe in a command, else the template's placeholder
        safe = scope is not None and shell_safe(scope.replace(_CONTEXT, ""))
        assignment.arm_scope = Built(scope) if scope is not None and safe else None
        _scope_unit(estate, assignment, {u.id for u in estate.units})


def _scope_unit(estate: Estate, a: RbacAssignment, units: set[str]) -> None:
    """The migration unit (and cloud service) of a role assignment's classic scope: the
    plan recreates the assignment after that unit's Commit, not after every unit's."""
    kind, name = a.classic_resource_type or "", a.classic_resource_name or ""
    cs: CloudService | None = None
    unit: str | None = None
    if kind == "Microsoft.ClassicCompute/domainNames":
        cs = _by_name(estate.cloud_services, name)
    elif kind == "Microsoft.ClassicCompute/virtualMachines":
        vm = _by_name(estate.vms, name)
        cs = vm.cloud_service if vm is not None else None
    elif kind == "Microsoft.ClassicNetwork/virtualNetworks":
        vnet = _by_name(estate.virtual_networks, name)
        unit = vnet_unit_id(vnet.name) if vnet is not None else None
    elif kind == "Microsoft.ClassicStorage/storageAccounts":
        account = _by_name(estate.storage_accounts, name)
        unit = storage_unit_id(account.name) if account is not None else None
    if cs is not None:
        unit = cs.migration_unit or None
    a.scope_service = cs
    a.scope_unit = unit if unit in units else None


_CONTEXT = "$((Get-AzContext).Subscription.Id)"
"""The current subscription's id, read when the command runs."""


def _arm_scope(estate: Estate, a: RbacAssignment) -> str | None:
    """Where a role assignment on a classic resource must be recreated: the new resource's ID
    (``<cloud service>-migrated`` for a cloud service and its VMs, ``<vnet>-migrated`` for a
    VNet, ``<account>-migrated`` for a storage account), or ``None`` when not known."""
    kind, name = a.classic_resource_type or "", a.classic_resource_name or ""
    sub = f"/subscriptions/{_CONTEXT}/resourceGroups"
    if kind == "Microsoft.ClassicCompute/domainNames":
        cs = _by_name(estate.cloud_services, name)
        service = cs.service_name if cs is not None else None
        if not isinstance(service, str) or cs is None or cs.has_paas is not True:
            return None  # VMs get no cloudServices resource; unknown kind: no guess
        return f"{sub}/{service}-migrated/providers/Microsoft.Compute/cloudServices/{service}"
    if kind == "Microsoft.ClassicCompute/virtualMachines":
        vm = _by_name(estate.vms, name)
        owner = vm.cloud_service if vm is not None else None
        service = owner.service_name if owner is not None else None
        if not isinstance(service, str):
            return None
        return f"{sub}/{service}-migrated/providers/Microsoft.Compute/virtualMachines/{name}"
    if kind == "Microsoft.ClassicNetwork/virtualNetworks":
        vnet = _by_name(estate.virtual_networks, name)
        if vnet is None or not vnet.arm_name or not vnet.arm_resource_group:
            return None
        return (
            f"{sub}/{vnet.arm_resource_group}/providers/Microsoft.Network/virtualNetworks/"
            f"{vnet.arm_name}"
        )
    if kind == "Microsoft.ClassicStorage/storageAccounts" and named("storageAccount", name):
        return f"{sub}/{name}-migrated/providers/Microsoft.Storage/storageAccounts/{name}"
    return None


def _by_name(items: Sequence[Any], name: str) -> Any:
    matches = [i for i in items if str(getattr(i, "name", "")).lower() == name.lower()]
    return matches[0] if len(matches) == 1 else None


def _primary(cs: CloudService) -> Deployment | None:
    for slot in (cs.production, cs.staging):
        if isinstance(slot, Deployment):
            return slot
    return cs.deployments[0] if len(cs.deployments) == 1 else None


def _shown_deployment(dep: Deployment) -> str:
    name = _deployment_name(dep)
    if name is not None:
        return f"'{name}'"
    slot = f" ({dep.slot} slot)" if isinstance(dep.slot, str) and dep.slot else ""
    return f"'<deployment-name>'{slot}"


def _deployment_name(dep: Deployment | None) -> str | None:
    name = dep.name if dep is not None else None
    return name if isinstance(name, str) and name else None


def _steps(
    item: Migrates, unit: MigrationUnit | None, service: str | None, deployment: str | None
) -> None:
    if unit is None:
        return
    commands = migration_commands(unit.kind, unit.name, service, deployment)
    item.migrate_validate = commands["validate"]
    item.migrate_prepare = commands["prepare"]
    item.migrate_commit = commands["commit"]
    item.migrate_abort = commands["abort"]
    item.cli_validate = commands["cliValidate"]
    item.cli_prepare = commands["cliPrepare"]
    item.cli_commit = commands["cliCommit"]
    item.cli_abort = commands["cliAbort"]
