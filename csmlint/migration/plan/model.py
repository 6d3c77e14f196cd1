"""What a migration plan is made of, and which preparation phase each rule's fix belongs to.

The phase table is a fact about the migration's order, not policy: the platform validates a
virtual network only once nothing in it blocks (the migration provider is registered, no
peering, no gateway, one deployment per cloud service, named reserved IPs, no unsupported
extension), so fixes run in that order. A rule the table does not know falls back by its
category (a blocker is resolved before Validate, what is dropped or must change afterwards is
done after Commit), so a new rule in a pack still lands in a sensible place.
"""

from __future__ import annotations

from typing import Final, Literal

from csmlint.findings.commands import Shell
from csmlint.findings.copy_blocks import AFTER_CATEGORIES
from csmlint.records import field, record

PLAN_SCHEMA: Final = "csmlint.plan/v1"

KIND_TITLES: Final = {
    "virtualNetwork": "virtual network",
    "cloudService": "cloud service",
    "storageAccount": "storage account",
}
"""How the plan names a migration unit's kind."""

Section = Literal["prepare", "migrate", "after"]
Downtime = Literal["yes", "no", "possible"]


@record(frozen=True)
class Phase:
    """Where a rule's fix goes in a unit's preparation (``rank`` orders the phases)."""

    rank: int
    name: str
    downtime: Downtime


REGISTER = Phase(10, "register-providers", "no")
FINISH_OPEN_MIGRATION = Phase(15, "finish-open-migration", "no")
INPUTS = Phase(17, "settle-disagreeing-inputs", "no")
"""Inputs that contradict each other (the topology and a .cscfg on a deployment's VNet):
settled by looking, before anything is changed for a unit that may be the wrong one."""
DESCRIBE = Phase(16, "complete-the-inputs", "no")
"""A virtual network or a deployment the inputs do not describe (only a .cscfg names it,
only the network configuration has it, no .cscfg was found): exporting what is missing and
linting again reads only, and it comes first since it may show more blockers."""
DEPENDENCIES_FIRST = Phase(20, "migrate-dependencies-first", "possible")
"""A service in the VNet that migrates on its own, before the VNet (Microsoft Entra Domain
Services: Migrate-Aadds -Prepare, then -Commit); the domain may be briefly unavailable."""
SETTLE = Phase(18, "settle-running-operations", "no")
NETWORK = Phase(80, "network-connections", "yes")
"""Last before Validate: deleting a gateway or a peering cuts connectivity, so it waits until
every check that could still stop the unit has run and everything is recorded."""
QUOTAS = Phase(25, "quotas", "no")
"""A quota increase takes days and changes nothing running: it is asked for early."""
SLOTS = Phase(30, "single-deployment", "no")
REDEPLOY = Phase(35, "redeploy-into-a-vnet", "possible")
"""A deployment in no VNet redeployed through the staging slot into a default VNet (CSM116):
after the staging slot is emptied (a two-slot service's staging deployment goes first)."""
RESERVED_IPS = Phase(40, "reserved-ips", "no")
SCALE_OUT = Phase(45, "scale-out", "no")
"""A single-instance role gets a second instance before anything upgrades the deployment:
an in-place upgrade of one instance is an outage, of two a rolling update."""
RECREATE_VMS = Phase(47, "recreate-vms", "yes")
"""VMs removed and created again from their disks (no subnet, two availability sets, a disk
blob name with a slash): before the steps that change a VM's extensions or settings, which a
recreated VM would lose or get back by default (BGInfo)."""
EXTENSIONS = Phase(50, "unsupported-extensions", "no")
OTHER_BLOCKERS = Phase(60, "other-blockers", "possible")
SPLIT = Phase(60, "split-the-vnet", "yes")
"""Moving the cloud services (or the VMs) into a new VNet redeploys them: certain downtime
for what moves (CSM126)."""
BEFORE_MIGRATION = Phase(65, "before-migration", "no")
"""The part of an after-Commit fix that needs the classic resources: record what the
migration drops, or remove what it cannot take."""
REVIEW = Phase(70, "review", "no")
ENDPOINT_ACLS = Phase(75, "endpoint-acls", "no")
"""Removing a VM endpoint's ACL opens the endpoint to every address until its network
security group rules exist after Commit: it is the last change before the network steps and
Validate, after every other blocker is resolved (CSM138)."""
FIND_OUT_RANK: Final = 19
"""Where a "cannot tell" step goes (after the providers and any open migration): it may
still show that the unit cannot migrate, so it runs before anything is deleted."""
AFTER = Phase(90, "after-commit", "no")
AFTER_RANKS: Final[dict[str, int]] = {
    # an endpoint is open to every address until its ACL is rebuilt as NSG rules
    "CSM138": 0,
    # connectivity cut before Validate comes back: peerings, gateways
    **dict.fromkeys(("CSM108", "CSM103", "CSM104", "CSM113", "CSM159", "CSM160", "CSM161"), 1),
    # what must be right before the next update of a Cloud Service (extended support): the
    # package's sizes, the .cscfg's VNet ID and reserved IP names, the vault it reads
    **dict.fromkeys(
        ("CSM127", "CSM133", "CSM134", "CSM117", "CSM174", "cscfg-vnet-id", "key-vault"), 2
    ),
}
"""Order of the steps after Commit (lower first; others 3, then the rest of the platform's
own steps): access and connectivity come back first, and a service's package and
configuration are corrected before any step updates it (``Update-AzCloudService``). Keys
are rule ids, or the name of a platform step (``<unit>/after/<name>/...``)."""

FIND_OUT_IN_PLACE: Final = frozenset({ENDPOINT_ACLS.name, REDEPLOY.name})
"""Phases whose "cannot tell" steps stay at the phase's place instead of coming first: what
they find out never stops the unit, and their fix must come after other steps (removing
endpoint ACLs is the last change before Validate; a redeploy through the staging slot needs
that slot empty)."""

PHASES: Final[dict[str, Phase]] = {
    # register the migration provider (and, for Cloud Services, the feature) first
    "CSM166": REGISTER,
    "CSM167": REGISTER,
    # a unit prepared earlier is committed or aborted before anything else
    "CSM178": FINISH_OPEN_MIGRATION,
    "CSM180": DESCRIBE,
    "CSM181": DESCRIBE,
    "CSM182": DESCRIBE,
    "CSM184": INPUTS,
    "CSM176": DEPENDENCIES_FIRST,
    "CSM126": SPLIT,
    "CSM131": RECREATE_VMS,
    "CSM145": RECREATE_VMS,
    "CSM154": RECREATE_VMS,
    "CSM138": ENDPOINT_ACLS,
    "CSM151": SETTLE,
    "CSM106": QUOTAS,
    # peerings and gateways go just before the VNet is validated: connectivity is lost meanwhile
    "CSM108": NETWORK,
    "CSM103": NETWORK,
    "CSM104": NETWORK,
    "CSM113": NETWORK,
    "CSM159": NETWORK,
    "CSM160": NETWORK,
    "CSM161": NETWORK,
    # one deployment per cloud service: the staging deployment goes
    "CSM118": SLOTS,
    "CSM116": REDEPLOY,
    "CSM119": SLOTS,
    "CSM120": SLOTS,
    "CSM177": SLOTS,
    # reserved IPs: named, carrying an endpoint
    "CSM135": RESERVED_IPS,
    "CSM136": RESERVED_IPS,
    # a second instance before any upgrade of the deployment (CSM123 repackages it)
    "CSM173": SCALE_OUT,
    # extensions the migration does not take: moved out, re-added afterwards
    "CSM122": EXTENSIONS,
    "CSM140": EXTENSIONS,
    "CSM147": EXTENSIONS,
    "CSM148": EXTENSIONS,
    "CSM150": EXTENSIONS,
}
"""Rule id -> phase of its fix (rules not listed: :func:`phase_of`)."""

ADVISORY_STEPS: Final = frozenset({"CSM176"})
"""Advisory rules whose fix is a step all the same: the migration is supported, but only in
an order the plan must keep (the managed domain first)."""

REDEPLOYS: Final = frozenset({"CSM116"})
"""Rules whose fix may replace the production deployment by a new one (upload to staging,
swap, delete the old): the platform steps after it cannot take the old deployment's name."""

DISPUTES: Final = frozenset({"CSM184"})
"""Rules about inputs that disagree on a deployment's VNet: the finding's unit follows the
topology, but it blocks the VNet the ``.cscfg`` names too, which lists it among its
blockers (resolved by the step in the other unit)."""

SPLITS: Final = frozenset({"CSM126"})
"""Rules whose fix moves part of a virtual network into a new one: the unit the plan shows
is what the inputs describe today, not what is left after the move."""

AFTER_STORAGE: Final = frozenset({"CSM149"})
"""Rules whose after-Commit part waits for the VM's storage account to migrate too (Site
Recovery is enabled again once the disks are Resource Manager resources): that part is a
step of the storage account's unit, which runs after the VM's."""

WAIT_FOR_STORAGE_NOTE: Final = (
    "Run this once the storage account(s) of the VM ({accounts}) have migrated too; the "
    "inputs do not describe them, so this plan has no unit for them."
)

PREPARE_RESTARTS: Final = frozenset({"CSM155"})
"""Rules saying VMs stop, deallocate and restart during Prepare (classic VMs outside a
virtual network): the Prepare step of the unit then causes downtime."""

PREPARE_SERVES: Final = ", and the application keeps serving."
PREPARE_RESTART_NOTE: Final = (
    "The VMs outside a virtual network stop, deallocate and restart during Prepare (step "
    "'Classic VMs outside a virtual network restart ...' above), and their internal IP "
    "addresses change: the application is down until they are running again."
)

RESTARTS: Final = frozenset({"CSM173"})
"""Rules saying a role goes down while its instances restart after Commit: the Commit step
of the unit then may cause downtime (the finding's step scales the role out)."""

RESTART_NOTE: Final = (
    "After Commit the role instances restart one update domain at a time: a role that "
    "still runs a single instance (the step 'Role runs a single instance ...' above) is down "
    "while it restarts."
)

SPLIT_NOTE: Final = (
    "A step before moves part of this virtual network into a new one (web/worker roles and "
    "classic VMs cannot migrate together): once that is done, run csmlint plan again on the "
    "updated inputs. The new VNet is then a unit of its own, and this one migrates only what "
    "stayed; the names in these commands are those of today."
)

SPLIT_LATER: Final = (
    "After the split of this virtual network (a step before), follow the new plan that "
    "csmlint plan gives on the updated inputs instead of this step: it names the VNet and "
    "its cloud services as they are today."
)
"""On every platform step after Validate of a unit a step splits (Validate says so itself)."""


def after_the_split(steps: list[Step]) -> list[Step]:
    """``steps`` (a split unit's platform steps), each but Validate marked :data:`SPLIT_LATER`."""
    for s in steps:
        if s.phase != "validate":
            s.detail = f"{SPLIT_LATER}\n{s.detail}" if s.detail else SPLIT_LATER
    return steps


FIND_OUT_NOTE: Final = (
    "First find out whether this applies: the finding says what to check. The commands are "
    "the fix if it does; run none of them if it does not."
)
FIND_OUT_CHECKS: Final = (
    "First find out whether this applies: the commands below only read, and are that check. "
    "If it applies, fix it as the finding says."
)
"""A "cannot tell" step whose commands change nothing (they gather the missing facts)."""

DOWNTIME_NOTES: Final[dict[str, str]] = {
    "yes": "causes downtime",
    "no": "no downtime",
    "possible": "may cause downtime (read the finding)",
}


def phase_of(rule_id: str, category: str, severity: str) -> Phase:
    """The phase of a finding's fix: the table, else by category."""
    if rule_id in PHASES:
        return PHASES[rule_id]
    if category in AFTER_CATEGORIES:
        return AFTER
    if category == "blocker" or severity == "error":
        return OTHER_BLOCKERS
    return REVIEW


@record(frozen=True)
class Command:
    shell: Shell
    text: str


@record(frozen=True)
class Reference:
    title: str
    url: str


@record(frozen=True)
class Resolves:
    """The finding a step resolves."""

    rule_id: str
    rule_name: str
    severity: str
    location: str
    """``path:line:col`` or ``path#pointer``."""
    message: str
    unknown: bool = False
    """A "cannot tell" note: the step is to find out, and fix if it applies."""


@record
class Step:
    id: str
    """Stable across runs: unit id, section, what the step is about."""
    section: Section
    phase: str
    title: str
    detail: str = ""
    commands: list[Command] = field(default_factory=list)
    resolves: list[Resolves] = field(default_factory=list)
    downtime: Downtime = "no"
    references: list[Reference] = field(default_factory=list)
    number: str = ""
    """``<unit>.<step>``, given once the plan is ordered."""
    part: str = ""
    """Which part of a fix split around the migration the step holds (``first``/``finish``
    for a blocker's, ``before``/``rest`` for an after-Commit fix's), or empty."""


@record
class Blocker:
    rule_id: str
    rule_name: str
    location: str
    message: str
    step: str = ""
    """Number of the step that resolves it (empty when no step does)."""
    suppressed: str = ""
    """For a suppressed blocker: the suppression's justification (the plan has no step for
    it, and names it so that nobody is surprised by a failing Validate)."""


@record
class UnitPlan:
    id: str
    kind: str
    """``virtualNetwork``, ``cloudService`` or ``storageAccount``."""
    name: str
    readiness: str
    cloud_services: list[str]
    unconfirmed: str = ""
    """Why the verdict is not confirmed, as the lint reports word it (empty: confirmed)."""
    deployed_names: list[str | None] = field(default_factory=list)
    """For each of :attr:`cloud_services`: its deployed name, or ``None`` when unknown."""
    service_labels: list[str] = field(default_factory=list)
    """How the plan names each of :attr:`cloud_services`: the deployed name, else
    ``<cloud-service-name> (csdef: <name>)``."""
    blockers: list[Blocker] = field(default_factory=list)
    suppressed: list[Blocker] = field(default_factory=list)
    """Blocking findings a suppression hides: no step, but listed."""
    after_units: list[str] = field(default_factory=list)
    """Ids of the units to commit before this one starts (a storage account's VMs)."""
    where: str = ""
    """Where the unit's inputs are (their folder, else their file), when another unit has
    the same heading (11 cloud services named ``AzureCloudService1`` by their .csdef);
    empty otherwise."""
    steps: list[Step] = field(default_factory=list)
    number: int = 0
    order: int = 0
    """Where the unit runs in the migration (storage accounts after the VMs using them)."""
    subscription: str | None = None

    @property
    def shown_name(self) -> str:
        """How the plan names the unit: a lone cloud service by its label (its deployed
        name, else ``<cloud-service-name> (csdef: X)``), any other unit by its name."""
        if self.kind == "cloudService" and len(self.service_labels) == 1:
            return self.service_labels[0]
        return self.name

    @property
    def heading(self) -> str:
        """``cloud service 'contoso-web'``-style heading, with :attr:`where` when set."""
        where = f" in {self.where}" if self.where else ""
        return f"{KIND_TITLES.get(self.kind, self.kind)} {self.shown_name}{where}"


@record
class Plan:
    units: list[UnitPlan]
    version: str
    files: int = 0
    notes: list[str] = field(default_factory=list)
