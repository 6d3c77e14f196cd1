"""Topology ``cloudServices[]`` -> cloud services, deployments, roles and classic VMs."""

from __future__ import annotations

import os

from csmlint.loaders.topology.fields import (
    BOOL,
    ENUM,
    INT,
    NONE,
    NUMBER,
    STR,
    STRINGS,
    TEXT,
    FactSpec,
    Node,
    known_list,
)
from csmlint.model.cloud import (
    AlertRule,
    AutoscaleSetting,
    CloudService,
    Deployment,
    Extension,
    ExtensionRef,
    JitPolicy,
    ValidationMessage,
    Vip,
)
from csmlint.model.compute import (
    AclRule,
    Agent,
    BootDiagnostics,
    Disk,
    Nic,
    VirtualMachine,
    VmEndpoint,
    VmExtension,
)
from csmlint.model.configuration import Role
from csmlint.model.location import SourceRef

CS_FACTS: tuple[FactSpec, ...] = (
    ("location", "location", STR),
    ("affinity_group", "affinityGroup", NONE),
    ("label", "label", STR),
)
DEPLOYMENT_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", STR),
    ("slot", "slot", ENUM),
    ("label", "label", STR),
    ("status", "status", ENUM),
    ("kind", "kind", ENUM),
    ("vnet_name", "vnet", NONE),
    ("in_default_vnet", "inDefaultVnet", BOOL),
    ("regional_scope", "regionalScope", BOOL),
    ("package_available", "packageAvailable", BOOL),
)
EXTENSION_FACTS: tuple[FactSpec, ...] = (
    ("provider", "provider", STR),
    ("type", "type", STR),
    ("version", "version", TEXT),
)
AUTOSCALE_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", TEXT),
    ("role", "role", TEXT),
    ("min", "min", NUMBER),
    ("max", "max", NUMBER),
)
ALERT_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", TEXT),
    ("role", "role", TEXT),
    ("metric", "metric", TEXT),
)
JIT_FACTS: tuple[FactSpec, ...] = (("name", "name", TEXT), ("vm", "vm", TEXT))
VIP_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", TEXT),
    ("address", "address", TEXT),
    ("reserved", "reserved", BOOL),
    ("reserved_ip_name", "reservedIpName", NONE),
    ("endpoint_count", "endpointCount", INT),
)
ROLE_FACTS: tuple[FactSpec, ...] = (("size", "size", STR), ("instance_count", "instanceCount", INT))
VALIDATION_FACTS: tuple[FactSpec, ...] = (
    ("resource_type", "resourceType", TEXT),
    ("resource_name", "resourceName", TEXT),
    ("category", "category", TEXT),
    ("vm_name", "vmName", TEXT),
)
VM_FACTS: tuple[FactSpec, ...] = (
    ("size", "size", STR),
    ("availability_set", "availabilitySet", NONE),
    ("role_state", "roleState", STR),
    ("power_state", "powerState", STR),
    ("provisioning_state", "provisioningState", STR),
    ("managed_by", "managedBy", NONE),
    ("subnets", "subnets", STRINGS),
    ("static_ip", "staticIp", NONE),
    ("migration_state", "migrationState", ENUM),
)
NIC_FACTS: tuple[FactSpec, ...] = (("name", "name", TEXT), ("subnet", "subnet", TEXT))
AGENT_FACTS: tuple[FactSpec, ...] = (("status", "status", ENUM), ("version", "version", TEXT))
VM_EXTENSION_FACTS: tuple[FactSpec, ...] = (
    ("publisher", "publisher", TEXT),
    ("name", "name", TEXT),
    ("version", "version", TEXT),
    ("state", "state", TEXT),
    ("xml", "xml", BOOL),
    ("handler_status", "handlerStatus", ENUM),
)
BOOT_FACTS: tuple[FactSpec, ...] = (
    ("enabled", "enabled", BOOL),
    ("storage_account", "storageAccount", NONE),
    ("storage_sku", "storageSku", STR),
)
DISK_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", TEXT),
    ("lun", "lun", NUMBER),
    ("media_link", "mediaLink", NONE),
    ("media_link_accessible", "mediaLinkAccessible", BOOL),
    ("size_gb", "sizeGb", INT),
    ("blob_bytes", "blobBytes", INT),
)
ENDPOINT_FACTS: tuple[FactSpec, ...] = (
    ("name", "name", TEXT),
    ("protocol", "protocol", TEXT),
    ("public_port", "publicPort", NUMBER),
    ("local_port", "localPort", NUMBER),
)
ACL_FACTS: tuple[FactSpec, ...] = (
    ("order", "order", NUMBER),
    ("action", "action", TEXT),
    ("remote_subnet", "remoteSubnet", TEXT),
    ("description", "description", TEXT),
)


class CscfgRefs:
    """The ``.cscfg`` files deployments name explicitly, resolved against ``base_dir``."""

    def __init__(self, base_dir: str):
        self.base_dir = base_dir
        self.paths: list[str] = []
        self.sources: dict[str, SourceRef] = {}

    def resolve(self, value: str, ref: SourceRef) -> str:
        """An absolute, normalised path; backslashes are separators (Windows-written docs)."""
        value = value.replace("\\", "/") if os.sep == "/" else value
        path = os.path.normpath(os.path.join(self.base_dir, value))
        if path not in self.sources:
            self.paths.append(path)
            self.sources[path] = ref
        return path


def cloud_service(n: Node, refs: CscfgRefs) -> CloudService:
    name = n.name()
    cs = CloudService(name=name, src=n.ref(), key=f"cloudService:{name.lower()}", in_topology=True)
    cs.note_source("name", n.ref("name"))
    n.fill(cs, CS_FACTS)
    cs.extensions = known_list(n, "extensions", lambda e: _extension(e, cs), cs, "extensions")
    cs.autoscale = known_list(
        n, "autoscale", lambda e: _simple(AutoscaleSetting, e, cs, "autoscale"), cs, "autoscale"
    )
    cs.alerts = known_list(n, "alerts", lambda e: _simple(AlertRule, e, cs, "alert"), cs, "alerts")
    cs.jit_policies = known_list(n, "jitPolicies", lambda e: _jit(e, cs), cs, "jit_policies")
    deployments = n.items("deployments")
    if deployments is not None:
        cs.deployments_listed = True
        cs.note_source("deployments", n.ref("deployments"))
        for d in deployments:
            cs.deployments.append(deployment(d, cs, refs))
    return cs


def _extension(n: Node, cs: CloudService) -> Extension:
    ext_id = n.name("id")
    ext = Extension(id=ext_id, src=n.ref(), key=f"{cs.key}/extension:{ext_id.lower()}")
    n.fill(ext, EXTENSION_FACTS)
    return ext


def _simple(
    cls: type[AutoscaleSetting] | type[AlertRule], n: Node, cs: CloudService, what: str
) -> AutoscaleSetting | AlertRule:
    item = cls(src=n.ref(), key=f"{cs.key}/{what}:{_label(n)}")
    n.fill(item, AUTOSCALE_FACTS if cls is AutoscaleSetting else ALERT_FACTS)
    return item


def _jit(n: Node, cs: CloudService) -> JitPolicy:
    policy = JitPolicy(src=n.ref(), key=f"{cs.key}/jitPolicy:{_label(n)}")
    n.fill(policy, JIT_FACTS)
    ports = n.data.get("ports")
    if isinstance(ports, list):
        policy.ports = [p for p in ports if isinstance(p, int)]
    return policy


def _label(n: Node) -> str:
    """A stable name for keys: the object's ``name`` (or ``role``), else its index."""
    for key in ("name", "role"):
        value = n.data.get(key)
        if isinstance(value, str) and value:
            return value.lower()
    return "#" + n.index


def deployment(n: Node, cs: CloudService, refs: CscfgRefs) -> Deployment:
    slot = n.data.get("slot")
    ident = slot.lower() if isinstance(slot, str) and slot else _label(n)
    dep = Deployment(src=n.ref(), key=f"{cs.key}/deployment:{ident}", live=True)
    n.fill(dep, DEPLOYMENT_FACTS)
    cscfg = n.data.get("cscfg")
    if isinstance(cscfg, str) and cscfg:
        dep.cscfg_hint = refs.resolve(cscfg, n.ref("cscfg"))
        dep.note_source("cscfg_hint", n.ref("cscfg"))
    dep.vips = known_list(n, "vips", lambda v: _vip(v, dep), dep, "vips")
    dep.extension_refs = known_list(
        n, "extensionRefs", lambda r: _extension_ref(r, dep), dep, "extension_refs"
    )
    for r in n.each("roles"):
        role = Role(name=r.name(), src=r.ref(), key=f"{dep.key}/role:{r.name().lower()}")
        role.note_source("name", r.ref("name"))
        r.fill(role, ROLE_FACTS)
        dep.roles.append(role)
    if n.has("roles"):
        dep.note_source("roles", n.ref("roles"))
    for v in n.each("vms"):
        dep.vms.append(virtual_machine(v, dep, cs))
    migration = n.child("migration")
    if migration is not None:
        migration.fill(dep, (("migration_state", "state", ENUM),))
        dep.last_validation = known_list(
            migration,
            "lastValidation",
            lambda m: _validation(m, dep),
            dep,
            "last_validation",
        )
    return dep


def _vip(n: Node, dep: Deployment) -> Vip:
    vip = Vip(src=n.ref(), key=f"{dep.key}/vip:{_label(n)}")
    n.fill(vip, VIP_FACTS)
    return vip


def _extension_ref(n: Node, dep: Deployment) -> ExtensionRef:
    ext_id = n.name("id")
    ref = ExtensionRef(id=ext_id, src=n.ref(), key=f"{dep.key}/extensionRef:{ext_id.lower()}")
    roles = n.get("roles", STRINGS)
    if isinstance(roles, list):
        ref.roles = roles
        ref.note_source("roles", n.ref("roles"))
    return ref


def _validation(n: Node, dep: Deployment) -> ValidationMessage:
    msg = ValidationMessage(src=n.ref(), key=f"{dep.key}/validation:{n.index}")
    n.fill(msg, VALIDATION_FACTS)
    text = n.data.get("message")
    msg.message = text if isinstance(text, str) else ""
    return msg


def virtual_machine(n: Node, dep: Deployment, cs: CloudService) -> VirtualMachine:
    name = n.name()
    vm = VirtualMachine(name=name, src=n.ref(), key=f"{dep.key}/vm:{name.lower()}")
    vm.note_source("name", n.ref("name"))
    n.fill(vm, VM_FACTS)
    vm.nics = known_list(n, "nics", lambda x: _part(Nic, x, vm, "nic", NIC_FACTS), vm, "nics")
    agent = n.child("agent")
    vm.agent = Agent(src=agent.ref() if agent else n.ref(), key=f"{vm.key}/agent")
    if agent is not None:
        agent.fill(vm.agent, AGENT_FACTS)
    vm.extensions = known_list(
        n,
        "extensions",
        lambda x: _part(VmExtension, x, vm, "extension", VM_EXTENSION_FACTS),
        vm,
        "extensions",
    )
    boot = n.child("bootDiagnostics")
    vm.boot_diagnostics = BootDiagnostics(
        src=boot.ref() if boot else n.ref(), key=f"{vm.key}/bootDiagnostics"
    )
    if boot is not None:
        boot.fill(vm.boot_diagnostics, BOOT_FACTS)
    os_disk = n.child("osDisk")  # left out: an OS disk whose facts are all unknown
    vm.os_disk = Disk(src=os_disk.ref() if os_disk else n.ref(), key=f"{vm.key}/osDisk")
    if os_disk is not None:
        os_disk.fill(vm.os_disk, DISK_FACTS)
    vm.data_disks = known_list(n, "dataDisks", lambda x: _data_disk(x, vm), vm, "data_disks")
    vm.endpoints = known_list(n, "endpoints", lambda x: _endpoint(x, vm), vm, "endpoints")
    vm.deployment = dep
    vm.cloud_service = cs
    return vm


def _part(
    cls: type[Nic] | type[VmExtension],
    n: Node,
    vm: VirtualMachine,
    what: str,
    specs: tuple[FactSpec, ...],
) -> Nic | VmExtension:
    item = cls(src=n.ref(), key=f"{vm.key}/{what}:{_label(n)}")
    n.fill(item, specs)
    return item


def _data_disk(n: Node, vm: VirtualMachine) -> Disk:
    lun = n.data.get("lun")
    ident = f"lun{lun}" if isinstance(lun, int) else _label(n)
    disk = Disk(src=n.ref(), key=f"{vm.key}/dataDisk:{ident}")
    n.fill(disk, DISK_FACTS)
    return disk


def _endpoint(n: Node, vm: VirtualMachine) -> VmEndpoint:
    ep = VmEndpoint(src=n.ref(), key=f"{vm.key}/endpoint:{_label(n)}")
    n.fill(ep, ENDPOINT_FACTS)
    for i, rule in enumerate(n.each("acl")):
        acl = AclRule(src=rule.ref(), key=f"{ep.key}/acl:{i}")
        rule.fill(acl, ACL_FACTS)
        ep.acl.append(acl)
    return ep
