"""The steps of a unit's findings: which commands of a fix run before Validate and which after
Commit, and what a step shared by several findings says."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from csmlint.findings import commands as azure
from csmlint.findings.copy_blocks import split_at_migration
from csmlint.findings.finding import Finding
from csmlint.migration.plan.model import (
    AFTER,
    AFTER_STORAGE,
    BEFORE_MIGRATION,
    DOWNTIME_NOTES,
    FIND_OUT_CHECKS,
    FIND_OUT_NOTE,
    FINISH_OPEN_MIGRATION,
    WAIT_FOR_STORAGE_NOTE,
    Command,
    Phase,
    Reference,
    Resolves,
    Step,
    phase_of,
)
from csmlint.model.estate import storage_unit_id
from csmlint.rulepack.rule import Rule
from csmlint.sha256 import sha256

_VM_KEY = re.compile(r"[^#]*?(?:^|/)vm:[^/#]+")
"""The key of the VM a finding is about, at the start of its entity key
(``cloudService:s/deployment:d/vm:web1#at``, or a disk of that VM)."""

_Key = tuple[str, str, tuple[str, ...], str]
"""A step of a rule's findings: (section, rule id, commands with their .cscfg paths left out,
and the cloud service when a path was: see :func:`_one_of_the_configurations`)."""
_CSCFG = re.compile(r'(?<=-Configuration )"([^"]+\.cscfg)"', re.IGNORECASE)
"""The configuration a command deploys (not a file it saves a configuration to)."""


def finding_steps(
    uid: str,
    found: list[Finding],
    rules: dict[str, Rule],
    services: list[Any],
    vms: dict[str, Any] | None = None,
) -> tuple[list[Step], set[tuple[str, str]]]:
    """The steps of a unit's findings. Findings of one rule with the same commands share a
    step; each distinct fix text stays, one paragraph each (two roles of different legacy
    sizes each keep their new size). ``vms``: the estate's VMs by key, so that a step about one
    VM names it as the inputs spell it (keys are lower case)."""
    steps: dict[_Key, Step] = {}
    texts: dict[_Key, list[str]] = {}
    about: dict[_Key, set[str | None]] = defaultdict(set)
    machines: dict[_Key, set[str | None]] = defaultdict(set)
    configurations: dict[_Key, set[str]] = defaultdict(set)
    covered: set[tuple[str, str]] = set()
    for f in found:
        phase = phase_of(f.rule_id, f.category, f.severity)
        if phase is FINISH_OPEN_MIGRATION:  # the fix is the migration's own Commit or Abort
            before, after = list(f.remediation.commands), list[str]()
        else:
            before, after = split_at_migration(
                f.remediation.commands, phase is AFTER, keep_validate=f.unknown
            )
        # (section, phase, commands, which part of a split fix: see _PARTS)
        parts: list[tuple[str, Phase, list[str], str]] = []
        if phase is AFTER:
            if before:
                parts.append(("prepare", BEFORE_MIGRATION, before, "before"))
            parts.append(("after", AFTER, after, "rest" if before else ""))
        else:
            parts.append(("prepare", phase, before, "first" if after else ""))
            if after:
                parts.append(("after", AFTER, after, "finish"))
        for section, ph, cmds, part in parts:
            shaped = tuple(_CSCFG.sub('"<cscfg-path>"', c) for c in cmds)
            owner = (f.service_key or "") if shaped != tuple(cmds) else ""
            key = (section, f.rule_id, shaped, owner)
            configurations[key].update(p for c in cmds for p in _CSCFG.findall(c))
            step = steps.get(key)
            # the part after Commit says what is left, when the rule says it apart
            text = f.remediation.after_text if part in _LATER else f.remediation.text
            if step is None:
                step = _step(uid, section, ph, f, cmds, rules.get(f.rule_id), part, text)
                steps[key] = step
                texts[key] = [text]
            elif text not in texts[key]:
                texts[key].append(text)
                unsure = all(r.unknown for r in step.resolves) and f.unknown and _plain(part)
                step.detail = _detail(texts[key], section, ph, unsure, part, cmds)
            about[key].add(f.cloud_service)
            vm = _VM_KEY.match(f.entity_key)
            machine = (vms or {}).get(vm.group(0)) if vm else None
            machines[key].add(machine.name if machine is not None else None)
            step.resolves.append(
                Resolves(
                    f.rule_id,
                    f.rule_name,
                    f.severity,
                    f.location.display(),
                    f.message,
                    f.unknown,
                )
            )
        if f.cloud_service:
            covered.add((f.rule_id, f.cloud_service))
        elif not f.unknown:
            covered.update((f.rule_id, cs.name) for cs in services)
    for key, names in machines.items():
        if len(names) == 1 and None not in names:  # a step about one VM names it
            steps[key].title += f": VM '{next(iter(names))}'"
    for key, paths in configurations.items():
        if len(paths) > 1:
            _one_of_the_configurations(steps[key], key[2], sorted(paths))
    if len(services) > 1:
        _name_the_service(steps, about, services)
    return list(steps.values()), covered


def _one_of_the_configurations(step: Step, shaped: tuple[str, ...], paths: list[str]) -> None:
    """One step for findings whose fixes differ only in the .cscfg they deploy (copies of a
    cloud service's configuration: only one of them is what its deployment runs). Run once
    per configuration, the redeploy would run three times."""
    step.commands = [Command(azure.shell_of(c), c) for c in shaped]
    shown = ", ".join(f"'{p}'" for p in paths)
    step.detail = (
        f"The inputs hold {len(paths)} configurations of this cloud service ({shown}): run "
        "this once, with the one its deployment runs in place of <cscfg-path>.\n" + step.detail
    )


def storage_parts(
    steps: list[Step], found: list[Finding], vms: dict[str, Any], units: set[str]
) -> list[tuple[str, Step]]:
    """Take out of ``steps`` the after-Commit parts of :data:`AFTER_STORAGE` fixes that
    belong to the unit of the VM's storage account: (that unit's id, step). A part whose
    account no unit holds stays, and says what it waits for."""
    moved: list[tuple[str, Step]] = []
    for f in found:
        if f.rule_id not in AFTER_STORAGE:
            continue
        vm = vms.get(f.entity_key.partition("#")[0])
        accounts = sorted(getattr(vm, "storage_accounts", None) or [])
        targets = [storage_unit_id(a) for a in accounts if storage_unit_id(a) in units]
        for step in steps:
            if step.section != "after" or not any(
                r.rule_id == f.rule_id and r.location == f.location.display() for r in step.resolves
            ):
                continue
            if targets:
                moved.append((targets[-1], step))  # the last of them to migrate
            elif not step.detail.startswith("Run this once"):
                shown = ", ".join(f"'{a}'" for a in accounts) or "names unknown"
                step.detail = f"{WAIT_FOR_STORAGE_NOTE.format(accounts=shown)}\n{step.detail}"
    gone = {id(step) for _, step in moved}
    steps[:] = [s for s in steps if id(s) not in gone]
    return list({id(step): (uid, step) for uid, step in moved}.values())


def number_alike(steps: list[Step]) -> None:
    """Steps about the same thing in one section (two role assignments on scopes of one
    cloud service; the after-Commit parts of one rule for several VMs, whether or not their
    findings were "cannot tell" notes) are numbered in plan order: ``(1 of 2)``; each lists
    the finding it resolves."""
    seen = Counter((s.section, _about(s.title)) for s in steps)
    counted: Counter[tuple[str, str]] = Counter()
    for step in steps:
        key = (step.section, _about(step.title))
        if seen[key] > 1:
            counted[key] += 1
            step.title = f"{step.title} ({counted[key]} of {seen[key]})"


def _about(title: str) -> str:
    """A step's title without what :data:`_TITLES` puts before it."""
    for template in _TITLES.values():
        prefix = template.removesuffix("{}")
        if prefix and title.startswith(prefix):
            return title[len(prefix) :]
    return title


def _name_the_service(
    steps: dict[_Key, Step], about: dict[_Key, set[str | None]], services: list[Any]
) -> None:
    """In a unit of several cloud services, a step about one of them says which in its
    title (two services with both slots occupied get two steps of the same rule)."""
    labels = {cs.name: cs.shown_name or cs.name for cs in services}
    for key, step in steps.items():
        names = about[key]
        if len(names) == 1:
            (name,) = names
            if name in labels:
                step.title = f"{step.title}: {labels[name]}"


_TITLES = {
    ("", False): "{}",
    ("", True): "Find out, and fix if it applies: {}",
    ("finish", False): "After Commit, finish: {}",
    ("finish", True): "After Commit, if it applied: {}",
    ("before", False): "Before Validate: {}",
    ("before", True): "Before Validate, find out whether it applies: {}",
    ("rest", False): "{}",
    ("rest", True): "After Commit, if it applied: {}",
}
"""A step's title by when it runs (``finish``: the part of a fix after Commit; ``before``:
the part of an after-Commit fix that needs the classic resources; ``rest``: that fix's part
after Commit) and whether its finding is a "cannot tell" note."""


def _step(
    uid: str,
    section: str,
    phase: Phase,
    f: Finding,
    commands: list[str],
    rule: Rule | None,
    part: str,
    text: str,
) -> Step:
    when = "" if _plain(part) else part
    title = _TITLES[(when, f.unknown)].format(rule.title if rule is not None else f.rule_name)
    downtime = phase.downtime if section == "prepare" else "no"
    if f.unknown and not when:
        downtime = "possible" if phase.downtime != "no" else "no"
    seed = f.fingerprint or f"{f.entity_key}|{f.location.display()}"
    digest = sha256(seed.encode("utf-8")).hexdigest()[:10]
    refs = [Reference(r.title, r.url) for r in rule.references if r.url] if rule is not None else []
    return Step(
        id=f"{uid}/{section}/{f.rule_id}/{digest}",
        section="prepare" if section == "prepare" else "after",
        phase=phase.name,
        title=title,
        detail=_detail([text], section, phase, f.unknown and not when, part, commands),
        part=part,
        commands=[Command(azure.shell_of(c), c) for c in commands],
        downtime=downtime,
        references=refs,
    )


_OTHER = {
    "first": "the step after Commit for the same finding",
    "finish": "the step before Validate for the same finding",
    "before": "the step after Commit for the same finding",
    "rest": "the step before Validate for the same finding",
}
"""How a part of a split fix names the other part until the plan is numbered
(:func:`link_parts` puts in its number)."""

_PARTS = {
    "first": "Here: the part of this fix before Validate (the rest: {other}).",
    "finish": "Here: the part of this fix that runs after Commit, on the migrated resources "
    "(the first part: {other}).",
    "before": "Here: the part of this fix that needs the classic resources, before Validate "
    "(the rest: {other}).",
    "rest": "Here: the part of this fix after Commit (the first part: {other}).",
}
"""What a step that holds one part of a fix split around the migration says first (the
fix's text describes the whole fix, unless the rule says what is left after Commit)."""


def _plain(part: str) -> bool:
    """Whether a step of this part is titled as the fix itself: the whole fix, or the first
    part of a blocker's (the other parts' titles say when they run: :data:`_TITLES`)."""
    return part in ("", "first")


_PARTNERS = {"first": "finish", "finish": "first", "before": "rest", "rest": "before"}
_WHEN = {"first": "after Commit", "finish": "before Validate"}
_WHEN.update(before=_WHEN["first"], rest=_WHEN["finish"])


def link_parts(units: list[tuple[str, list[Step]]]) -> None:
    """Name the other part of each split fix by its step number. ``units``: (heading, numbered
    steps) of every unit; the other part may be in another unit (Site Recovery's is in the
    storage account's), and then "after Commit" is that unit's Commit. In a unit whose
    migration was left prepared, the platform steps' titles say they follow only an Abort of
    the step that finishes it (new-user checks: Validate, Prepare and Commit again read as
    the next steps after that step's Commit)."""
    by_finding: dict[tuple[str, str, str], list[tuple[str, Step]]] = defaultdict(list)
    for _heading, steps in units:
        finish = next((s.number for s in steps if s.phase == FINISH_OPEN_MIGRATION.name), "")
        for step in steps if finish else ():
            if step.section == "migrate":
                step.title = f"Only after an Abort in step {finish}: {step.title}"
    for heading, steps in units:
        for step in steps:
            for r in step.resolves if step.part else ():
                by_finding[(step.part, r.rule_id, r.location)].append((heading, step))
    for heading, steps in units:
        for step in steps:
            if not step.part:
                continue
            partners = {
                other.number: where
                for r in step.resolves
                for where, other in by_finding[(_PARTNERS[step.part], r.rule_id, r.location)]
                if other.number
            }
            if not partners:
                continue
            numbers = sorted(partners, key=lambda n: tuple(int(x) for x in n.split(".")))
            named = (
                f"step {numbers[0]}"
                if len(numbers) == 1
                else f"steps {', '.join(numbers[:-1])} and {numbers[-1]}"
            )
            elsewhere = {partners[n] for n in numbers} - {heading}
            when = _WHEN[step.part]
            if elsewhere:
                verb, _, event = when.partition(" ")
                named += f", {verb} the {event} of {', '.join(sorted(elsewhere))}"
            else:
                named += f" {when}"
            step.detail = step.detail.replace(_OTHER[step.part], named, 1)


_LATER = frozenset({"finish", "rest"})
"""The parts of a split fix after Commit."""


def _detail(
    texts: list[str],
    section: str,
    phase: Phase,
    find_out: bool = False,
    part: str = "",
    commands: Sequence[str] = (),
) -> str:
    """The fix texts of a step, one paragraph each, with what the phase adds once (and, for
    a "cannot tell" step, that the commands are for when it applies, or that they are the
    check when none of them changes anything; for a part of a split fix, which part it
    is)."""
    looks = commands and not any(azure.changes(c) for c in commands)
    lead = [FIND_OUT_CHECKS if looks else FIND_OUT_NOTE] * find_out
    lead += [_PARTS[part].format(other=_OTHER[part])] if part in _PARTS else []
    detail = "\n".join(lead + [t for t in texts if t])
    if phase is FINISH_OPEN_MIGRATION:
        detail = (
            f"{detail} After a Commit the platform migration below is done and only the steps "
            "after Commit remain; after an Abort, follow the plan from Validate."
        ).strip()
    if section == "prepare" and phase.downtime == "yes":
        detail = f"{detail} ({DOWNTIME_NOTES['yes']}: plan a window)".strip()
    return detail
