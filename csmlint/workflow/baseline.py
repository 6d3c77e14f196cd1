"""Baselines: today's findings frozen in a file, so that a repository with hundreds of them
can turn csmlint on and fail only on new ones.

An entry is keyed by the finding's fingerprint (rule + file from the repository root +
entity, no line numbers: it survives lines moving) and keeps the rule, file, severity,
message and the day it was added. The file is JSON, one key per line, entries sorted by
file, rule and fingerprint, ASCII only: written twice from the same findings it is
byte-identical, and a change shows as a small diff.

Linting with a baseline reports its findings as suppressed (``external``, origin
``baseline``), never hides them: readiness still counts them (a baselined blocker still
blocks the migration); only the exit code and the list of new findings leave them out. An
entry whose file was linted and whose rule ran but that matches no finding is *stale*
(fixed, or its entity renamed); ``prune`` removes exactly those, ``update`` keeps every
entry and adds the new findings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from csmlint.errors import ConfigError, InputError
from csmlint.findings.finding import BaselineSummary, Finding, Suppression
from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import parse_json
from csmlint.parsing.source import read_capped
from csmlint.records import field, record
from csmlint.workflow.clock import parse_day

SCHEMA = "csmlint.baseline/v1"
DEFAULT_FILE = ".csmlint-baseline.json"
MAX_BYTES = 64 * 1024 * 1024
NEVER_BASELINED = frozenset({"CSM000", "CSM001"})
"""Input errors (a file csmlint cannot read was never checked, so it cannot be 'known') and
suppression problems (a baseline must not silence a lapsed ``until=`` or a missing reason:
that would defeat the accountability they exist for)."""
NOTE = (
    "Known csmlint findings, reported as suppressed. `csmlint baseline update` adds new "
    "findings, `csmlint baseline prune` removes the ones that are gone."
)
FIELDS = ("fingerprint", "rule", "name", "severity", "file", "message", "added")


@record(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    name: str
    severity: str
    file: str
    message: str
    added: str
    line: int = 0
    """Line of the entry in the baseline file (0: not read from a file)."""

    def order(self) -> tuple[str, str, str]:
        return (self.file, self.rule, self.fingerprint)


@record
class Baseline:
    path: str
    """How the file is shown (display path)."""
    entries: dict[str, Entry] = field(default_factory=dict)


def read(path: str, shown: str) -> Baseline:
    """Read a baseline file; a broken one stops the run with ``file:line``."""
    try:
        data = read_capped(path, MAX_BYTES)
        doc = parse_json(data)
    except InputError as exc:
        raise ConfigError(f"baseline: {exc.reason}", path=shown, line=exc.line or 1) from None
    value = doc.value
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        raise ConfigError(
            f'not a csmlint baseline (expected "schema": "{SCHEMA}"); create one with '
            "`csmlint baseline create`",
            path=shown,
            line=1,
        )
    entries = value.get("entries")
    if not isinstance(entries, list):
        raise ConfigError("baseline: 'entries' must be a list", path=shown, line=1)
    out = Baseline(shown)
    for i, raw in enumerate(entries):
        line = doc.position(f"/entries/{i}")[0]
        entry = _entry(raw, line, shown)
        out.entries.setdefault(entry.fingerprint, entry)
    return out


def _entry(raw: Any, line: int, shown: str) -> Entry:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in FIELDS):
        raise ConfigError(
            f"baseline entry needs the string fields {', '.join(FIELDS)}", path=shown, line=line
        )
    if parse_day(raw["added"]) is None:
        raise ConfigError(
            f"baseline entry: added {raw['added']!r} is not a date (YYYY-MM-DD)",
            path=shown,
            line=line,
        )
    values = {k: str(raw[k]) for k in FIELDS}
    return Entry(**values, line=line)


def render(entries: Iterable[Entry]) -> str:
    """The file's text: sorted, one key per line, ASCII, newline-terminated."""
    rows = [{k: getattr(e, k) for k in FIELDS} for e in sorted(entries, key=Entry.order)]
    doc = {"schema": SCHEMA, "note": NOTE, "entries": rows}
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


Relative = Callable[[str], str]


def entry_for(f: Finding, relative: Relative, today: date) -> Entry:
    return Entry(
        fingerprint=f.fingerprint,
        rule=f.rule_id,
        name=f.rule_name,
        severity=f.severity,
        file=relative(f.location.path),
        message=f.message,
        added=today.isoformat(),
    )


def _candidates(findings: list[Finding]) -> list[Finding]:
    """Findings a baseline takes: unsuppressed, and not input errors."""
    return [
        f
        for f in findings
        if f.suppression is None and f.rule_id not in NEVER_BASELINED and f.fingerprint
    ]


def create(findings: list[Finding], relative: Relative, today: date) -> list[Entry]:
    return [entry_for(f, relative, today) for f in _candidates(findings)]


def update(
    baseline: Baseline, findings: list[Finding], relative: Relative, today: date
) -> tuple[list[Entry], int]:
    """Every existing entry, plus the findings it does not hold yet; (entries, added)."""
    out = dict(baseline.entries)
    for f in _candidates(findings):
        if f.fingerprint not in out:
            out[f.fingerprint] = entry_for(f, relative, today)
    return list(out.values()), len(out) - len(baseline.entries)


def stale(
    baseline: Baseline, findings: list[Finding], linted: set[str], ran: set[str]
) -> list[Entry]:
    """Entries whose file was linted (``linted``: paths from the repository root) and whose
    rule ran (``ran``: rule ids) but that match no finding."""
    present = {f.fingerprint for f in findings}
    return [
        e
        for e in baseline.entries.values()
        if e.fingerprint not in present and e.file in linted and e.rule in ran
    ]


def prune(
    baseline: Baseline, findings: list[Finding], linted: set[str], ran: set[str]
) -> tuple[list[Entry], int]:
    gone = {e.fingerprint for e in stale(baseline, findings, linted, ran)}
    kept = [e for e in baseline.entries.values() if e.fingerprint not in gone]
    return kept, len(gone)


def apply(
    baseline: Baseline,
    findings: list[Finding],
    linted: set[str],
    ran: set[str],
    today: date,
) -> BaselineSummary:
    """Mark the findings the baseline holds as suppressed; what the summary line says."""
    counts = {"error": 0, "warning": 0, "note": 0}
    oldest: date | None = None
    for f in _candidates(findings):
        entry = baseline.entries.get(f.fingerprint)
        if entry is None:
            continue
        f.suppression = Suppression(
            "external",
            f"in the baseline {baseline.path} since {entry.added}",
            SourceRef(baseline.path, entry.line or 1),
            None,
            "baseline",
        )
        counts[f.severity] += 1
        added = parse_day(entry.added)
        if added is not None and (oldest is None or added < oldest):
            oldest = added
    return BaselineSummary(
        path=baseline.path,
        counts=counts,
        oldest=oldest,
        age_days=(today - oldest).days if oldest is not None else None,
        stale=len(stale(baseline, findings, linted, ran)),
    )
