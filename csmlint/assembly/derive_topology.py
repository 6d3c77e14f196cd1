"""Derived facts about live estate state: what a deployment adds to the ARM cores quota,
the migration provider's registration, classic role-assignment scopes, which imported
validation messages talk about a VNet or a storage account, and readable names of the
settings the migration drops.

Like :mod:`csmlint.assembly.derive`, this only states facts; the rule packs decide what
they mean for the migration.
"""

from __future__ import annotations

import re

from csmlint.model.azure.sizes import cores_for, normalize_region
from csmlint.model.azure.urls import url_host
from csmlint.model.cloud import CloudService, Deployment
from csmlint.model.compute import VirtualMachine
from csmlint.model.estate import Estate
from csmlint.model.facts import UNKNOWN, Fact
from csmlint.model.subscription import Quota, StorageAccount

MIGRATION_PROVIDER = "microsoft.classicinfrastructuremigrate"
_CLASSIC_SCOPE = re.compile(
    r"/providers/(Microsoft\.Classic(?:Compute|Network|Storage))/([^/]+)/([^/]+)", re.IGNORECASE
)
_FILE_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
"""What a role assignment's export file name may not hold (it is pasted into a command)."""
_VNET_TYPES = frozenset({"virtualnetwork", "vnet", "network", "virtualnetworksite"})
_STORAGE_TYPES = frozenset({"storage", "storageaccount", "storageservice"})


def derive_topology(estate: Estate) -> None:
    for cs in estate.cloud_services:
        _dropped_settings(cs)
        for dep in cs.deployments:
            dep.vm_states = [_vm_state(vm) for vm in dep.vms]
            if dep.live:
                dep.cores_required = deployment_cores(dep)
                dep.cores_quota = _cores_quota(cs, estate.quotas)
                if isinstance(dep.cores_quota, Quota):
                    dep.note_source("cores_quota", dep.cores_quota.src)
    _providers(estate)
    _rbac(estate)
    _validation_targets(estate)
    _storage(estate)


def _dropped_settings(cs: CloudService) -> None:
    """Readable names of autoscale settings, alert rules and JIT policies."""
    if isinstance(cs.autoscale, list):
        cs.autoscale_targets = [a.role or a.name or cs.name for a in cs.autoscale]
    if isinstance(cs.alerts, list):
        cs.alert_names = [
            a.name or a.metric or a.role or f"alert {i + 1}" for i, a in enumerate(cs.alerts)
        ]
    if isinstance(cs.jit_policies, list):
        cs.jit_targets = [
            p.vm or p.name or f"policy {i + 1}" for i, p in enumerate(cs.jit_policies)
        ]


def _vm_state(vm: VirtualMachine) -> str:
    states = [s for s in (vm.role_state, vm.provisioning_state) if isinstance(s, str) and s]
    return f"{vm.name} ({', '.join(states) or 'state unknown'})"


def deployment_cores(dep: Deployment) -> Fact[int]:
    """Instances x cores of every role and VM of one deployment (unknown when a size or a
    count is, and when the deployment lists neither roles nor VMs: a live deployment always
    runs something, so an empty listing means nobody said what)."""
    if not dep.roles and not dep.vms:
        return UNKNOWN
    total = 0
    for role in dep.roles:
        cores = cores_for(role.size if isinstance(role.size, str) else None)
        if cores is None or not isinstance(role.instance_count, int):
            return UNKNOWN
        total += cores * role.instance_count
    for vm in dep.vms:
        cores = cores_for(vm.size if isinstance(vm.size, str) else None)
        if cores is None:
            return UNKNOWN
        total += cores
    return total


def _cores_quota(cs: CloudService, quotas: list[Quota]) -> Fact[Quota | None]:
    """The ``cores`` counter of the service's region in its subscription, if listed."""
    if not isinstance(cs.region, str) or cs.subscription is None:
        return UNKNOWN
    for quota in quotas:
        if (
            quota.subscription is cs.subscription
            and quota.counter.lower() == "cores"
            and normalize_region(quota.region) == cs.region
        ):
            return quota
    return UNKNOWN


def _providers(estate: Estate) -> None:
    for sub in estate.subscriptions:
        if not isinstance(sub.providers, list):
            continue
        found = next((p for p in sub.providers if p.namespace.lower() == MIGRATION_PROVIDER), None)
        if found is not None:  # a list without it says nothing about it: stays unknown
            sub.migration_provider = found
            sub.note_source("migration_provider", found.src)


def _rbac(estate: Estate) -> None:
    for assignment in estate.rbac_assignments:
        m = _CLASSIC_SCOPE.search(assignment.scope)
        if m is not None:
            assignment.classic_resource_type = f"{m.group(1)}/{m.group(2)}"
            assignment.classic_resource_name = m.group(3)
            below = assignment.scope[m.end() :].strip("/")
            name = "-".join(p for p in (m.group(3), *below.split("/")) if p)
            assignment.export_name = _FILE_UNSAFE.sub("_", name)[:120]


def _validation_targets(estate: Estate) -> None:
    """Messages of imported Validate responses whose resource is a VNet or an account."""
    vnets = {v.name.lower(): v for v in estate.virtual_networks}
    accounts = {a.name.lower(): a for a in estate.storage_accounts}
    for dep in estate.deployments:
        if not isinstance(dep.last_validation, list):
            continue
        for msg in dep.last_validation:
            kind = "".join((msg.resource_type or "").split()).lower()
            name = (msg.resource_name or "").strip().lower()
            vnet = vnets.get(name) if kind in _VNET_TYPES else None
            if vnet is not None and msg not in vnet.last_validation:
                vnet.last_validation.append(msg)
            account = accounts.get(name) if kind in _STORAGE_TYPES else None
            if account is not None and msg not in account.last_validation:
                account.last_validation.append(msg)


def blob_account(url: object) -> str | None:
    """``https://acct.blob.core.windows.net/c/x.vhd`` -> ``acct`` (lower-case)."""
    if not isinstance(url, str) or not url:
        return None
    host = url_host(url).lower()
    return host.split(".", 1)[0] if ".blob." in host else None


def _storage(estate: Estate) -> None:
    """Which VMs use each storage account, its unattached disks, and the SKU of the
    account a VM's boot diagnostics write to (when the estate lists that account)."""
    accounts: dict[str, StorageAccount] = {a.name.lower(): a for a in estate.storage_accounts}
    for vm in estate.vms:
        for disk in vm.disks:
            host = blob_account(disk.media_link)
            if host is not None and host not in vm.storage_accounts:
                vm.storage_accounts.append(host)
            account = accounts.get(host or "")
            if account is not None and vm not in account.attached_vms:
                account.attached_vms.append(vm)
        boot = vm.boot_diagnostics
        if boot is None or not isinstance(boot.storage_account, str):
            continue
        account = accounts.get(boot.storage_account.lower())
        if boot.storage_sku is UNKNOWN and account is not None and account.sku is not UNKNOWN:
            boot.storage_sku = account.sku
            boot.note_source("storage_sku", account.srcs.get("sku", account.src))
    listed = {vm.name.lower() for vm in estate.vms}
    for account in estate.storage_accounts:
        names = {vm.name.lower(): vm.name for vm in account.attached_vms}
        unattached: list[str] = []
        unknown = False
        for stored in account.disks if isinstance(account.disks, list) else []:
            if isinstance(stored.attached_to, str) and stored.attached_to:
                names.setdefault(stored.attached_to.lower(), stored.attached_to)
            elif stored.attached_to is UNKNOWN:
                unknown = True
            else:
                unattached.append(stored.name)
        account.attached_vm_names = sorted(names.values(), key=str.lower)
        account.unlisted_vm_names = [
            n for n in account.attached_vm_names if n.lower() not in listed
        ]
        if isinstance(account.disks, list) and (unattached or not unknown):
            account.unattached_disks = unattached
            if unattached:
                account.note_source("unattached_disks", account.srcs.get("disks"))
