"""The one summary every report prints: counts by severity and by group, readiness totals,
and what keeps a verdict from being confirmed.

Every reporter reads its numbers from :func:`summarize` (never counts on its own), so the
text, JSON, SARIF, HTML, JUnit and Markdown reports of one run agree; a test compares them.

Groups: a finding belongs to its rule's category (``blocker``, ``dropped``,
``post-migration``, ``advisory``), except "cannot tell" notes (a deciding fact is unknown),
which form the ``unknown`` group whatever their rule's category.

A verdict is *unconfirmed* (and never ``ready``: :mod:`csmlint.findings.readiness`) when
something that could still block was not decided: a blocking rule could not tell (a
``cannot tell`` note of a rule that can block, touching the service or its unit), a
blocking rule did not run (``--select``/``--ignore``), or an input file could not be read.
Blocked verdicts need no such note: nothing can make them better.
"""

from __future__ import annotations

from typing import Final

from csmlint.findings.finding import (
    READINESS,
    SEVERITIES,
    Finding,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.records import field, record

GROUPS: Final = ("blocker", "dropped", "post-migration", "advisory", "unknown")
INPUT_ERROR: Final = "CSM000"


def group_of(f: Finding) -> str:
    """The report group of a finding (its category, or ``unknown`` for "cannot tell")."""
    return "unknown" if f.unknown else f.category


@record(frozen=True)
class Summary:
    files: int
    cloud_services: int
    severities: dict[str, int]
    """Unsuppressed findings by severity."""
    groups: dict[str, int]
    """Unsuppressed findings by :data:`GROUPS`."""
    suppressed: int
    services: dict[str, int]
    """Cloud services by readiness."""
    units: dict[str, int]
    """Migration units by readiness."""
    blocking_rules: int
    """Rules loaded that can block (an error or a blocker in any of their variants)."""
    not_run: tuple[str, ...]
    """Ids of the blocking rules that did not run."""
    unreadable: int
    """Input files that could not be read or parsed."""
    notes: dict[str, str] = field(default_factory=dict)
    warnings_not_run: tuple[str, ...] = ()
    """Ids of the rules that can warn, cannot block, and did not run."""
    """Status key (unit id or service key) -> why its verdict is unconfirmed."""

    @property
    def total(self) -> int:
        return sum(self.severities.values())

    def readiness_note(self, status: ServiceStatus | UnitStatus) -> str:
        """Why ``status``'s verdict is not confirmed, or ``""``."""
        return self.notes.get(_key(status), "")

    @staticmethod
    def accepted(status: ServiceStatus | UnitStatus) -> str:
        """``"2 blocking finding(s) suppressed"`` when suppressions hide some of a blocked
        verdict's blockers (accepted, not fixed: the verdict stays blocked), else ``""``."""
        n = status.suppressed_blockers
        return f"{n} blocking finding(s) suppressed" if n else ""

    def shown(self, status: ServiceStatus | UnitStatus) -> str:
        """The verdict as reports print it: ``needs-attention (unconfirmed: ...)``."""
        note = self.readiness_note(status)
        return f"{status.readiness} (unconfirmed: {note})" if note else status.readiness


def _key(status: ServiceStatus | UnitStatus) -> str:
    return status.key if isinstance(status, ServiceStatus) else status.id


def summarize(result: RunResult) -> Summary:
    """The run's summary (computed once, then kept on ``result``)."""
    if result.summary is None:
        result.summary = _summarize(result)
    return result.summary


def _summarize(result: RunResult) -> Summary:
    active = result.active
    severities = dict.fromkeys(SEVERITIES, 0)
    groups = dict.fromkeys(GROUPS, 0)
    for f in active:
        severities[f.severity] += 1
        groups[group_of(f)] += 1
    # an unreadable file stays unread when its finding is suppressed
    unreadable = len({f.location.path for f in result.findings if f.rule_id == INPUT_ERROR})
    coverage = result.coverage
    common: list[str] = []
    if coverage.not_run:
        common.append(f"{len(coverage.not_run)} of {coverage.blocking} blocking rules not run")
    notes: dict[str, str] = {}
    statuses: list[ServiceStatus | UnitStatus] = [*result.services, *result.units]
    for status in statuses:
        if status.readiness == "blocked":
            continue
        parts = list(common)
        if status.unread:  # the files that may hold its facts (readiness.unread_inputs)
            parts.append(f"{status.unread} input file(s) could not be read")
        if status.cannot_tell:
            wide = status.wide_checks  # no finding of the service or unit names these
            named = f"{', '.join(wide)} for the whole subscription"
            about = (
                ""
                if not wide
                else f": {named}"
                if len(wide) >= status.cannot_tell
                else f", among them {named}"
            )
            parts.insert(0, f"{status.cannot_tell} blocking check(s) cannot tell{about}")
        if parts:
            notes[_key(status)] = ", ".join(parts)
    return Summary(
        files=len(result.files),
        cloud_services=len(result.services),
        severities=severities,
        groups=groups,
        suppressed=len(result.suppressed),
        services=_tally(result.services),
        units=_tally(result.units),
        blocking_rules=coverage.blocking,
        not_run=coverage.not_run,
        warnings_not_run=coverage.warnings_not_run,
        unreadable=unreadable,
        notes=notes,
    )


def run_fails(result: RunResult, fail_on: str) -> bool:
    """Whether the run exits 1: a listed finding at or above ``fail_on``; with ``blocked``,
    also a blocker located outside the files named alone that blocks their verdict
    (:attr:`RunResult.hidden_blockers`), since ``blocked`` follows the verdicts."""
    if any(f.at_or_above(fail_on) for f in result.active):
        return True
    return fail_on == "blocked" and bool(result.hidden_active)


def unfailed_blockers(result: RunResult, fail_on: str) -> str:
    """The sentence every report shows when the run exits 0 (``--fail-on error`` or
    ``never``) although warnings of the blocker category make a verdict *blocked*, or
    ``""``: a green check under a Blocked table needs saying."""
    if fail_on not in ("error", "never") or run_fails(result, fail_on):
        return ""
    listed = [*result.active, *result.hidden_active]
    n = sum(1 for f in listed if f.blocks and f.severity == "warning")
    if not n:
        return ""
    return (
        f"Exit 0 (--fail-on {fail_on}), but {n} warning{'s' if n != 1 else ''} (blocker) "
        f"block{'' if n != 1 else 's'} the migration: --fail-on blocked fails on "
        f"{'them' if n != 1 else 'it'}."
    )


def left_out(summary: Summary) -> str:
    """What a *ready* verdict of this run does not cover, or ``""``: the rules that can warn
    (something is dropped, or changes after the migration) but did not run."""
    ids = summary.warnings_not_run
    ready = summary.services.get("ready", 0) + summary.units.get("ready", 0)
    if not ids or not ready:
        return ""
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return (
        f"Ready leaves out {len(ids)} rule{'s' if len(ids) != 1 else ''} that can warn "
        f"(--select/--ignore): {shown}; a ready verdict says nothing about what they check."
    )


def _tally(statuses: list[ServiceStatus] | list[UnitStatus]) -> dict[str, int]:
    out = dict.fromkeys(READINESS, 0)
    for s in statuses:
        out[s.readiness] = out.get(s.readiness, 0) + 1
    return out
