"""From one lint run (findings, readiness, the assembled estate) to an ordered plan.

Each unsuppressed finding that needs doing becomes a step of its migration unit (a finding
about a whole subscription, such as the unregistered migration provider, a step of every
unit of that subscription): blockers and their "cannot tell" notes before Validate, in the
order of :data:`csmlint.migration.plan.model.PHASES`; what is dropped or changes after
Commit (:mod:`csmlint.migration.plan.finding_steps` says which command of a fix runs
when). The commands are the findings' own remediation commands, which assembly
filled with the real names or visible placeholders.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from csmlint.findings.commands import shell_of
from csmlint.findings.finding import Finding, RunResult, UnitStatus
from csmlint.findings.readiness import disputes, level
from csmlint.findings.summary import summarize
from csmlint.migration.plan.finding_steps import (
    finding_steps,
    link_parts,
    number_alike,
    storage_parts,
)
from csmlint.migration.plan.model import (
    ADVISORY_STEPS,
    AFTER,
    AFTER_RANKS,
    BEFORE_MIGRATION,
    DISPUTES,
    FIND_OUT_IN_PLACE,
    FIND_OUT_RANK,
    KIND_TITLES,
    OTHER_BLOCKERS,
    PHASES,
    PREPARE_RESTARTS,
    REDEPLOYS,
    REGISTER,
    RESTARTS,
    REVIEW,
    SPLIT_NOTE,
    SPLITS,
    Blocker,
    Command,
    Downtime,
    Phase,
    Plan,
    Reference,
    Step,
    UnitPlan,
    after_the_split,
)
from csmlint.migration.plan.platform import IAAS, after_steps, migrate_steps, resource_groups
from csmlint.migration.plan.subscription_steps import share_subscription_steps, subscription_wide
from csmlint.model.estate import Estate, storage_unit_id, vnet_unit_id
from csmlint.rulepack.rule import Rule, placeholders

_WAIT = Phase(5, "after-other-units", "no")
_READINESS_RANK = {"blocked": 0, "needs-attention": 1, "ready": 2}
_SECTION_RANK = {"prepare": 0, "migrate": 1, "after": 2}


def build_plan(result: RunResult, rules: Sequence[Rule], estate: Estate, version: str) -> Plan:
    """The plan of every migration unit of ``estate``."""
    by_rule = {r.id: r for r in rules}
    blocking = {r.id for r in rules if r.can_block}
    statuses = {u.id: u for u in result.units}
    entities = _entities(estate)
    services: dict[str, list[Any]] = defaultdict(list)
    for cs in estate.cloud_services:
        services[cs.migration_unit].append(cs)
    unit_subs = {u.id: _subscription_key(entities.get(u.id), services[u.id]) for u in estate.units}

    placed: dict[str, list[Finding]] = defaultdict(list)
    hidden: dict[str, list[Finding]] = defaultdict(list)
    notes: list[str] = []

    def targets(f: Finding) -> list[str]:
        if f.unit:
            return [f.unit]
        if f.subscription and f.entity_key.startswith("subscription:"):
            # about the whole subscription (the migration provider): every unit's concern
            return [uid for uid, subs in unit_subs.items() if f.subscription in subs]
        return []

    # a file named alone (a pre-commit hook): blockers located elsewhere (the topology's
    # transient state) block its units all the same, so they get their steps too
    for f in [*result.active, *result.hidden_active]:
        if not _worth_a_step(f, blocking):
            continue
        if not targets(f):
            notes.append(
                f"{f.rule_id} at {f.location.display()} belongs to no migration unit: {f.message}"
            )
        for uid in targets(f):
            placed[uid].append(f)
    hidden_suppressed = [f for f in result.hidden_blockers if f.suppression is not None]
    for f in [*result.suppressed, *hidden_suppressed]:  # accepted, not fixed
        if level(f) == "blocked":
            for uid in targets(f):
                hidden[uid].append(f)
                placed[uid].append(f)  # so it keeps the step that resolves it

    disputed = _disputed(result.active, estate)
    vms = {vm.key: vm for vm in estate.vms}
    unit_ids = {u.id for u in estate.units}
    later: dict[str, list[Step]] = defaultdict(list)  # steps another unit's findings give
    plans: list[UnitPlan] = []
    titles = {u.id: f"{KIND_TITLES.get(u.kind, u.kind)} '{u.name}'" for u in estate.units}
    for unit in estate.units:
        status: UnitStatus | None = statuses.get(unit.id)
        plan = UnitPlan(
            id=unit.id,
            kind=unit.kind,
            name=unit.name,
            readiness=status.readiness if status is not None else "needs-attention",
            unconfirmed=(
                summarize(result).readiness_note(status)
                if status is not None
                else "csmlint has no verdict for this unit"
            ),
            cloud_services=list(
                status.cloud_services if status is not None else unit.cloud_services
            ),
            service_labels=list(status.service_labels) if status is not None else [],
        )
        deployed = {
            cs.name: cs.service_name if isinstance(cs.service_name, str) else None
            for cs in services[unit.id]
        }
        plan.deployed_names = [deployed.get(name) for name in plan.cloud_services]
        entity = entities.get(unit.id)
        found = sorted(placed.get(unit.id, []), key=Finding.sort_key)
        steps, covered = finding_steps(unit.id, found, by_rule, services[unit.id], vms)
        if not unit_subs[unit.id] and not any(s.phase == REGISTER.name for s in steps):
            steps.extend(_registration_unknown(unit.id, by_rule.get(PROVIDER_RULE)))
        plan.after_units = _storage_after(unit, entity, estate.vms)
        if plan.after_units:
            steps.append(_wait_step(unit.id, plan.after_units, titles))
        if entity is not None and not _nothing_to_migrate(unit, services[unit.id]):
            redeployed = any(r.rule_id in REDEPLOYS for s in steps for r in s.resolves)
            split = any(r.rule_id in SPLITS and not r.unknown for s in steps for r in s.resolves)
            groups = resource_groups(plan, entity, services[unit.id])
            split_notes = [SPLIT_NOTE] if split else []
            restarts = any(r.rule_id in RESTARTS for s in steps for r in s.resolves)
            vm_restarts = [r for s in steps for r in s.resolves if r.rule_id in PREPARE_RESTARTS]
            downtime: Downtime = (
                "no"
                if not vm_restarts
                else "possible"
                if all(r.unknown for r in vm_restarts)
                else "yes"
            )
            own = migrate_steps(plan, entity, groups, redeployed, split_notes, restarts, downtime)
            own += after_steps(plan, entity, services[unit.id], covered)
            steps.extend(after_the_split(own) if split else own)
        for target, step in storage_parts(steps, found, vms, unit_ids):
            later[target].append(step)
        plan.steps = steps
        plan.blockers = [
            Blocker(f.rule_id, f.rule_name, f.location.display(), f.message)
            for f in [*found, *disputed.get(unit.id, [])]
            if level(f) == "blocked" and f.suppression is None
        ]
        plan.suppressed = [
            Blocker(
                f.rule_id,
                f.rule_name,
                f.location.display(),
                f.message,
                suppressed=(f.suppression.justification if f.suppression else "").strip()
                or "no justification given",
            )
            for f in sorted(hidden.get(unit.id, []), key=Finding.sort_key)
        ]
        plans.append(plan)
    for plan in plans:
        plan.steps = _ordered([*plan.steps, *later.get(plan.id, [])])
        number_alike(plan.steps)
    _tell_apart(plans, services)
    _number(plans)
    share_subscription_steps(plans, subscription_wide([*result.active, *result.hidden_active]))
    link_parts([(p.heading, p.steps) for p in plans])
    return Plan(units=plans, version=version, files=len(result.files), notes=notes)


def _worth_a_step(f: Finding, blocking: set[str]) -> bool:
    if f.unknown:
        return f.rule_id in blocking or f.category == "blocker"
    if level(f) != "ready" or f.rule_id in ADVISORY_STEPS:
        return True
    return f.category in ("dropped", "post-migration")


def _entities(estate: Estate) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for vnet in estate.virtual_networks:
        out.setdefault(vnet_unit_id(vnet.name), vnet)
    for account in estate.storage_accounts:
        out.setdefault(storage_unit_id(account.name), account)
    kinds = {u.id: u.kind for u in estate.units}
    for cs in estate.cloud_services:
        if kinds.get(cs.migration_unit) == "cloudService":
            out.setdefault(cs.migration_unit, cs)
    return out


def _key(sub: Any) -> str | None:
    if sub is None:
        return None
    value = sub.key or sub.id
    return str(value) if value else None


def _subscription_key(entity: Any, services: list[Any]) -> set[str]:
    keys = {_key(getattr(entity, "subscription", None))}
    keys.update(_key(cs.subscription) for cs in services)
    return {k for k in keys if k}


def _storage_after(unit: Any, entity: Any, vms: list[Any]) -> list[str]:
    """The units of the VMs that use a storage account: its disks' VMs, and those writing
    boot diagnostics to it (their steps disable them on the classic account first)."""
    if unit.kind != "storageAccount" or entity is None:
        return []
    users = list(entity.attached_vms)
    for vm in vms:
        diagnostics = vm.boot_diagnostics
        account = getattr(diagnostics, "storage_account", None) if diagnostics else None
        if isinstance(account, str) and account.lower() == entity.name.lower():
            users.append(vm)
    units = {
        vm.cloud_service.migration_unit
        for vm in users
        if vm.cloud_service is not None and vm.cloud_service.migration_unit
    }
    return sorted(units)


def _tell_apart(plans: list[UnitPlan], services: dict[str, list[Any]]) -> None:
    """Give units of the same heading where their inputs are: the folder, or the file when
    the folder does not tell them apart (the corpus has 11 cloud services named
    ``AzureCloudService1`` by their .csdef, three of them in one folder)."""
    by_heading: dict[str, list[UnitPlan]] = defaultdict(list)
    for p in plans:
        by_heading[p.heading].append(p)
    for same in by_heading.values():
        if len(same) < 2:
            continue
        files = {p.id: _first_input(services.get(p.id, [])) for p in same}
        folders = {uid: posixpath.dirname(f) or "." for uid, f in files.items() if f}
        shared = Counter(folders.values())
        for p in same:
            folder = folders.get(p.id, "")
            p.where = (folder if shared[folder] == 1 else files[p.id]) or ""


def _first_input(services: list[Any]) -> str | None:
    paths = sorted({cs.src.path for cs in services if cs.src is not None and cs.src.path})
    return paths[0] if paths else None


def _wait_step(uid: str, after: list[str], titles: dict[str, str]) -> Step:
    return Step(
        id=f"{uid}/prepare/after-units",
        section="prepare",
        phase=_WAIT.name,
        title="Migrate the VMs that use this storage account first",
        detail="A storage account migrates after the virtual machines whose disks or boot "
        "diagnostics it holds: "
        "commit "
        + ", ".join(titles.get(a, a) for a in after)
        + " before you validate this storage account.",
        references=[IAAS],
    )


def _phase_rank(step: Step) -> int:
    ranks = {
        p.name: p.rank
        for p in (*PHASES.values(), _WAIT, OTHER_BLOCKERS, BEFORE_MIGRATION, REVIEW, AFTER)
    }
    return ranks.get(step.phase, REVIEW.rank)


def _after_rank(step: Step, generic: bool) -> int:
    """Where a step after Commit goes (:data:`AFTER_RANKS`)."""
    if generic:
        name = step.id.split("/after/", 1)[-1].split("/", 1)[0]
        return AFTER_RANKS.get(name, 4)
    return min((AFTER_RANKS.get(r.rule_id, 3) for r in step.resolves), default=3)


def _ordered(steps: list[Step]) -> list[Step]:
    platform = {"validate": 0, "prepare": 1, "check": 2, "commit": 3, "abort": 4}
    generic = [s for s in steps if s.section == "after" and "/after/CSM" not in s.id]

    def key(s: Step) -> tuple[int, int, int, str]:
        if s.section == "migrate":
            return (1, platform[s.phase], 0, s.id)
        if s.section == "after":
            return (2, _after_rank(s, s in generic), 0, s.id)
        finding_out = bool(s.resolves) and all(r.unknown for r in s.resolves)
        rank = _phase_rank(s)
        early = finding_out and s.phase not in FIND_OUT_IN_PLACE
        # find-outs first, among themselves in the order of their phases
        return (0, min(rank, FIND_OUT_RANK) if early else rank, rank if early else 0, s.id)

    return sorted(steps, key=key)


def _number(plans: list[UnitPlan]) -> None:
    """Execution order (storage accounts after the units whose VMs use them), then the
    display order: blocked units first, in execution order."""
    plain = sorted((p for p in plans if not p.after_units), key=lambda p: p.id)
    waiting = sorted((p for p in plans if p.after_units), key=lambda p: p.id)
    for n, p in enumerate(plain + waiting, start=1):
        p.order = n
    plans.sort(key=lambda p: (_READINESS_RANK.get(p.readiness, 3), p.order))
    numbers: dict[str, str] = {}
    for n, p in enumerate(plans, start=1):
        p.number = n
        for m, step in enumerate(p.steps, start=1):
            step.number = f"{n}.{m}"
            for r in step.resolves:  # a unit's own step first: plans are numbered in turn
                numbers.setdefault(f"{p.id}\0{r.location}{r.rule_id}", step.number)
                numbers.setdefault(f"{r.location}{r.rule_id}", step.number)
    for p in plans:
        for b in [*p.blockers, *p.suppressed]:
            own = numbers.get(f"{p.id}\0{b.location}{b.rule_id}")
            b.step = own or numbers.get(b.location + b.rule_id, "")
        p.blockers.sort(key=lambda b: _step_rank(b.step))


def _disputed(findings: list[Finding], estate: Estate) -> dict[str, list[Finding]]:
    """Unit id -> the :data:`DISPUTES` findings of services whose ``.cscfg`` names that
    unit's VNet while the topology puts them in another: they block it too."""
    units: dict[str, set[str]] = defaultdict(set)  # service key -> units it may be in
    for unit_id, claims in disputes(estate).items():
        for cs in claims:
            units[cs.key].add(unit_id)
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.rule_id in DISPUTES and f.service_key:
            for unit_id in sorted(units.get(f.service_key, ())):
                out[unit_id].append(f)
    return out


def _step_rank(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split(".")) if number else (1 << 30,)


def _nothing_to_migrate(unit: Any, services: list[Any]) -> bool:
    """A lone cloud service known to have no live deployment (an export listed them all),
    or known only from a ``.csdef`` that declares no role (CSM185: a template, not a
    package): the platform has nothing to validate, prepare or commit, so the plan has no
    such steps."""

    def roleless(cs: Any) -> bool:
        return cs.definition is not None and not cs.definition.roles

    return (
        unit.kind == "cloudService"
        and bool(services)
        and all(
            not any(d.live for d in cs.deployments) and (cs.deployments_listed or roleless(cs))
            for cs in services
        )
    )


PROVIDER_RULE = "CSM166"
"""The rule whose fix registers the migration provider (run first, :data:`PHASES`)."""


def _registration_unknown(uid: str, rule: Rule | None) -> list[Step]:
    """When the inputs name no subscription (only files were linted), nothing says whether
    it is registered for the migration: the plan still starts by checking it."""
    if rule is None:
        return []
    return [
        Step(
            id=f"{uid}/prepare/{rule.id}/subscription-unknown",
            section="prepare",
            phase=REGISTER.name,
            title=f"Find out, and fix if it applies: {rule.title}",
            detail="The inputs name no subscription, so csmlint cannot tell whether it is "
            f"registered for the migration. {placeholders(rule.remediation)}",
            commands=[Command(shell_of(c), c) for c in map(placeholders, rule.commands)],
            downtime="no",
            references=[Reference(r.title, r.url) for r in rule.references if r.url],
        )
    ]
