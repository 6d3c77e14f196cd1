"""``csmlint fix``: deterministic rewrites of ``.cscfg``/``.csdef`` files for findings that
have a fix (see :mod:`csmlint.migration.fix.rewrite`). The files are linted first; only the
elements findings point at (and, for the RDP plugin, its parts in the ``.cscfg`` files beside
the ``.csdef``) are edited, as text at the attribute's or element's span, so encoding, BOM,
line endings, comments and attribute order stay as they were.

The RDP plugin removal (CSM123) and the two rewrites to names that exist only after the
commit (CSM133 VNet ARM ID, CSM134 reserved IP names) run only when selected (``--select``):
see :data:`OPT_IN`."""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from typing import Final

from csmlint.engine import RunOptions, run_with_estate
from csmlint.errors import UsageError
from csmlint.findings.finding import RunResult
from csmlint.migration.fix.plugin import PluginRemoval
from csmlint.migration.fix.rewrite import (
    Edit,
    FixContext,
    Fixer,
    instance_counts,
    legacy_sizes,
    rdp_plugin_cscfg,
    rdp_plugin_csdef,
    reserved_ip_names,
    vnet_arm_id,
)
from csmlint.migration.fix.text import decode, splice
from csmlint.migration.fix.write import write_bytes_atomic
from csmlint.model.azure.naming import valid
from csmlint.model.estate import Estate
from csmlint.parsing.source import read_capped
from csmlint.parsing.xmlsafe import parse_xml
from csmlint.records import field, record, replace
from csmlint.rulepack.rule import Rule

FIXERS: dict[str, dict[str, Fixer]] = {
    "CSM133": {".cscfg": vnet_arm_id},
    "CSM134": {".cscfg": reserved_ip_names},
    "CSM127": {".csdef": legacy_sizes},
    "CSM173": {".cscfg": instance_counts},
    "CSM123": {".csdef": rdp_plugin_csdef, ".cscfg": rdp_plugin_cscfg},
}
_AFTER_COMMIT_ONLY = (
    "names that exist only once the migration is committed, so the classic deployment "
    "cannot use that .cscfg: select it for the copy you deploy after the commit"
)
OPT_IN: Final = {
    "CSM123": "it removes the RDP plugin, right only if you keep remote desktop through the "
    "RDP extension after the migration",
    "CSM133": f"it writes the VNet's Azure Resource Manager ID, {_AFTER_COMMIT_ONLY}",
    "CSM134": f"it writes the public IP names the reserved IPs become, {_AFTER_COMMIT_ONLY}",
    "CSM173": "it doubles the role's instances (and what they cost); the other way is a short "
    "outage of the role while the commit restarts it",
}
"""Fixes that run only when ``--select`` names them, and why: the RDP plugin removal is
right only for some teams, the two after-commit rewrites would break the classic
deployment of a ``.cscfg`` fixed before the migration, and a second instance costs money."""


@record(frozen=True)
class FileFix:
    path: str
    shown: str
    """The path as the user gave it (relative to the working directory when possible)."""
    before: bytes
    after: bytes
    edits: tuple[Edit, ...]
    findings: tuple[str, ...]
    """The findings resolved, as ``RULE path:line message``."""

    def diff(self) -> str:
        old, new = decode(self.before).text, decode(self.after).text
        lines = difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{self.shown.lstrip('/')}",  # an absolute path: a/work/..., not a//
            tofile=f"b/{self.shown.lstrip('/')}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@record
class FixPlan:
    files: list[FileFix] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """``path:line:col: not fixed: reason`` of each input that could not be read."""
    result: RunResult | None = None
    """The lint run the fixes come from (its warnings and skipped files)."""
    unfixed: int = 0
    """Findings of a chosen fix that could not be fixed (CSM133 without a subscription):
    the exit code says so, as a CI check must not pass on them."""

    @property
    def changes(self) -> bool:
        return any(f.before != f.after for f in self.files)

    def apply(self) -> None:
        for f in self.files:
            if f.before != f.after:
                write_bytes_atomic(f.path, f.after)


def plan_fixes(
    paths: list[str],
    *,
    select: list[str] | None = None,
    subscription: str | None = None,
    resource_group: str | None = None,
    cwd: str | None = None,
    options: RunOptions | None = None,
    rules: list[Rule] | None = None,
) -> FixPlan:
    """``options`` and ``rules``: the lint run the configuration makes (``csmlint fix`` gives
    them, so ignored rules, excluded files and suppressions are not fixed either); without
    them, a plain run over ``paths``."""
    where = cwd or os.getcwd()
    check_names(subscription, resource_group)
    if options is None:
        options = RunOptions(paths=paths, cwd=where)
    options.excerpts = False
    result, ran, estate = run_with_estate(options, rules=rules)
    known = _subscriptions(estate)
    chosen, held_in_packs = _chosen(
        select or [], list(rules if rules is not None else ran), {r.id for r in ran}
    )
    size_rule = next((r for r in ran if r.id == "CSM127"), None)
    renames = dict(size_rule.data.get("renames") or {}) if size_rule is not None else {}
    contexts: dict[str, FixContext] = {}
    targets: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    resolved: dict[str, list[str]] = defaultdict(list)
    plan = FixPlan(result=result)
    held_back: dict[str, int] = defaultdict(int)
    plugin = PluginRemoval(
        where,
        options.max_file_size,
        _paired(estate, where),
        {os.path.realpath(os.path.join(where, name)) for name in result.files},
        [
            os.path.abspath(os.path.join(where, shown))
            for shown, _why in result.skipped
            if shown.lower().endswith(".cscfg")
        ],
    )
    for f in result.active:
        loc = f.location
        if f.rule_id == "CSM000":  # fail closed: an input that cannot be read is not fixed
            reason = f.message.removeprefix("Cannot lint this file: ")
            plan.unreadable.append(f"{loc.display()}: not fixed: {reason}")
            continue
        suffix = os.path.splitext(loc.path)[1].lower()
        if f.rule_id in OPT_IN and f.rule_id not in chosen and not select:
            held_back[f.rule_id] += 1
        if f.rule_id not in chosen or loc.embedded_line is not None or loc.line is None:
            continue
        if suffix not in FIXERS[f.rule_id]:
            continue
        path = os.path.abspath(os.path.join(where, loc.path))
        sid = subscription or known.get(loc.path)
        if f.rule_id == "CSM133" and not sid:
            plan.unfixed += 1
            plan.notes.append(
                f"{loc.path}:{loc.line}: CSM133 not fixed: needs --subscription (no topology "
                "gives this cloud service's subscription)"
            )
            continue
        if f.rule_id == "CSM123" and suffix == ".csdef":
            if not plugin.plan(path, loc.path):
                continue
            for cfg in plugin.configurations[path]:
                targets[cfg]["CSM123"].append(0)
        contexts.setdefault(path, FixContext(sid, resource_group, renames))
        targets[path][f.rule_id].append(loc.line)
        resolved[path].append(f"{f.rule_id} {loc.path}:{loc.line} {f.message}")
    plan.unfixed += len(plugin.refused)
    found = {f.rule_id for f in result.active}
    plan.notes += [
        f"{r} of pack {pack!r} not applied: it runs only when named (--select {r}): {OPT_IN[r]}"
        for r, pack in held_in_packs
        if r in found
    ]
    plan.notes += plugin.notes
    for path in sorted(targets):
        ctx = contexts.get(path) or FixContext(subscription, resource_group, renames)
        if path in plugin.keep_certificate:
            ctx = replace(ctx, keep_rdp_certificate=plugin.keep_certificate[path])
        plan.files.append(_fix_file(path, targets[path], ctx, resolved[path], where))
    plan.files = [f for f in plan.files if f.edits]
    plan.notes += plugin.summary({f.path for f in plan.files})
    for rule_id, n in sorted(held_back.items()):
        plan.notes.append(
            f"{rule_id} not applied to its {n} finding(s): it runs only when selected "
            f"(--select {rule_id}): {OPT_IN[rule_id]}"
        )
    after_commit = sorted({e.rule_id for f in plan.files for e in f.edits} & AFTER_COMMIT.keys())
    if after_commit:
        what = " and ".join(AFTER_COMMIT[r] for r in after_commit)
        plan.notes.append(
            f"{'/'.join(after_commit)} write{'s' if len(after_commit) == 1 else ''} {what} "
            "(names that exist only once the migration is committed): that .cscfg is for the "
            "extended-support deployment after the commit; the classic deployment cannot use "
            "it (keep the classic .cscfg until the commit)"
        )
    return plan


AFTER_COMMIT: Final = {
    "CSM133": "the VNet's Azure Resource Manager ID",
    "CSM134": "the public IP names the reserved IPs become",
}
"""Fixes whose names exist only in Azure Resource Manager, after the commit."""


def _paired(estate: Estate, cwd: str) -> dict[str, set[str]]:
    """``.csdef`` path -> the paths of the ``.cscfg`` files the lint run paired with it
    (by service name, wherever they are: ``configs/ServiceConfiguration.Prod.cscfg``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for cs in estate.cloud_services:
        if cs.definition is None:
            continue
        for cfg in cs.configurations:
            out[cs.definition.path].add(os.path.abspath(os.path.join(cwd, cfg.path)))
    return out


def _subscriptions(estate: Estate) -> dict[str, str]:
    """``.cscfg`` path -> the id of the subscription a topology gives its cloud service."""
    out: dict[str, str] = {}
    for cs in estate.cloud_services:
        sid = cs.subscription.id if cs.subscription is not None else None
        if not isinstance(sid, str) or not valid("subscription", sid):
            continue
        for cfg in cs.configurations:
            out[cfg.path] = sid
    return out


def check_names(subscription: str | None, resource_group: str | None) -> None:
    """The names that go into ARM IDs are refused before anything is read when Azure could
    not have such a subscription or resource group."""
    if subscription is not None and not valid("subscription", subscription.strip()):
        raise UsageError(
            f"--subscription: {subscription!r} is not a subscription id (a GUID: "
            "Get-AzSubscription | Select-Object Id)"
        )
    if resource_group is not None and not valid("resourceGroup", resource_group):
        raise UsageError(
            f"--resource-group: {resource_group!r} is not a resource group name (1-90 "
            "letters, digits, '_', '-', '.', '(', ')'; not ending in '.')"
        )


def _chosen(
    select: list[str], rules: list[Rule], ran: set[str]
) -> tuple[frozenset[str], list[tuple[str, str]]]:
    """The fixes ``--select`` names, matched as lint matches it (id, name or pack, any
    case). A pack brings its default fixes only: an opt-in one (:data:`OPT_IN`) is named."""
    if not select:
        return frozenset(FIXERS) - OPT_IN.keys(), []
    held: list[tuple[str, str]] = []
    fixable = ", ".join(sorted(FIXERS))
    ids: set[str] = set()
    for key in select:
        wanted = key.strip().lower()
        named = [r for r in rules if wanted in (r.id.lower(), r.name.lower())]
        in_pack = [r for r in rules if r.pack.lower() == wanted]
        if named:
            rule = named[0]
            if rule.id not in FIXERS:
                raise UsageError(
                    f"--select: {_shown(key, [rule.id])} has no fix (fixable: {fixable})"
                )
            picked = [rule.id]
        elif in_pack:
            picked = [r.id for r in in_pack if r.id in FIXERS and r.id not in OPT_IN]
            opt_in = sorted(r.id for r in in_pack if r.id in OPT_IN)
            held += [(r, key) for r in opt_in]
            if not picked and not opt_in:
                raise UsageError(
                    f"--select: pack {key!r} has no rule with a fix (fixable: {fixable})"
                )
        else:
            from csmlint.rulepack.explain import suggest

            raise UsageError(
                f"--select: {key!r} is no rule or pack{suggest(key, rules)} (fixable: "
                f"{fixable}; see `csmlint rules`)"
            )
        off = [rule_id for rule_id in picked if rule_id not in ran]
        if off:
            raise UsageError(
                f"--select: {_shown(key, off)} does not run: the configuration or "
                "--ignore turns it off, so there is nothing of it to fix"
            )
        ids.update(picked)
    return frozenset(ids), held


def _shown(key: str, ids: list[str]) -> str:
    """``'CSM123'``, or ``'rdp-plugin-present' (CSM123)`` for a name or pack."""
    return repr(key) if ids == [key] else f"{key!r} ({', '.join(ids)})"


def _fix_file(
    path: str, lines: dict[str, list[int]], ctx: FixContext, resolved: list[str], cwd: str
) -> FileFix:
    data = read_capped(path)
    parse_xml(data)  # hostile or broken XML is refused before any edit
    decoded = decode(data)
    suffix = os.path.splitext(path)[1].lower()
    edits: list[Edit] = []
    for rule_id in sorted(lines):
        edits.extend(FIXERS[rule_id][suffix](decoded.text, lines[rule_id], ctx))
    text = splice(decoded.text, [(e.start, e.end, e.new) for e in edits])
    shown = os.path.relpath(path, cwd)
    return FileFix(
        path,
        shown if not shown.startswith("..") else path,
        data,
        decoded.encode(text),
        tuple(sorted(edits, key=lambda e: e.start)),
        tuple(resolved),
    )
