"""SARIF 2.1.0 for GitHub code scanning, the Azure DevOps SARIF tab and SARIF viewers.

One run. ``tool.driver.rules`` holds one descriptor per rule that ran (sorted by id; results
point at them by ``ruleIndex``). Every result carries:

* ``locations[0].physicalLocation``: ``artifactLocation.uri`` relative to the source root
  (``uriBaseId: %SRCROOT%``; forward slashes, percent-encoded, never absolute, never ``..``)
  and ``region.startLine``/``startColumn`` when known. A finding on a file outside the
  source root keeps no physical location (an absolute path would make GitHub reject the
  upload and would leak the runner's layout): it says so in its properties and in a run
  notification, and keeps its logical location.
* ``locations[0].logicalLocations``: the entity (``ServiceConfiguration[@serviceName='x']/
  Role[@name='Web']``) and, for topology facts, the JSON pointer.
* ``partialFingerprints["csmlint/v1"]``: the finding's fingerprint (rule + file + entity,
  no line numbers), so alerts survive unrelated edits. ``primaryLocationLineHash`` is left
  to ``github/codeql-action/upload-sarif``, which computes it from the checked-out source.
* ``suppressions`` for suppressed findings (``inSource`` comments, ``external`` config).

At most ``ReportContext.max_results`` results (GitHub rejects runs over 25,000): the most
severe are kept and a ``toolExecutionNotifications`` entry says how many were left out.
Output is deterministic: sorted, no timestamps, no absolute paths, ASCII-only JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from csmlint.findings.finding import (
    SEVERITY_RANK,
    Finding,
    ReportContext,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.findings.summary import Summary, summarize
from csmlint.model.location import SourceRef, root_relative
from csmlint.reporting import sarif_rules
from csmlint.reporting.escape import visible
from csmlint.reporting.json_report import dumps_rows
from csmlint.reporting.uris import SRCROOT, file_uri, is_file_path, to_uri
from csmlint.rulepack.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RELATED = 100
_ROWS = (
    ("results",),
    ("tool", "driver", "rules"),
    ("properties", "readiness"),
    ("properties", "units"),
)
"""Arrays of a run written one item per line (:func:`csmlint.reporting.json_report.dumps_rows`)."""
_CATEGORY_RANK = {"blocker": 0, "dropped": 1, "post-migration": 2, "advisory": 3}


@lru_cache(maxsize=1)
def information_uri() -> str | None:
    """The project's home page from the installed package metadata (``[project.urls]``),
    or ``None`` while the project declares none."""
    from importlib import metadata

    try:
        urls = metadata.metadata("csmlint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, raw = str(entry).partition(",")
        url = raw.strip()
        if label.strip().lower() in ("homepage", "documentation", "source") and url.startswith(
            "https://"
        ):
            return url
    return None


def _some(paths: list[str], limit: int = 10) -> str:
    names = [p.replace("\\", "/").rsplit("/", 1)[-1] for p in paths[:limit]]
    more = len(paths) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


class _Locations:
    """Turns display paths into root-relative URIs, and remembers what it could not place."""

    def __init__(self, ctx: ReportContext) -> None:
        self.cwd = ctx.cwd
        self.root = ctx.source_root
        self.outside: set[str] = set()
        self._artifacts: dict[str, dict[str, Any] | None] = {}

    def artifact(self, path: str) -> dict[str, Any] | None:
        """See :meth:`_artifact` (one per path: thousands of results share a few files)."""
        if path not in self._artifacts:
            self._artifacts[path] = self._artifact(path)
        found = self._artifacts[path]
        return dict(found) if found is not None else None

    def _artifact(self, path: str) -> dict[str, Any] | None:
        """``artifactLocation``: relative to ``%SRCROOT%``, or for a file outside the root an
        absolute ``file:`` URI (GitHub rejects the whole upload when a single result has no
        artifact location; it keeps such results, unlinked)."""
        if not is_file_path(path):
            return None
        rel = root_relative(path, self.cwd, self.root)
        if rel is not None:
            return {"uri": to_uri(rel), "uriBaseId": SRCROOT}
        self.outside.add(path)
        absolute = file_uri(path, self.cwd)
        return {"uri": absolute} if absolute else None

    def physical(self, ref: SourceRef) -> dict[str, Any] | None:
        artifact = self.artifact(ref.path)
        if artifact is None:
            return None
        out: dict[str, Any] = {"artifactLocation": artifact}
        if ref.line is not None and ref.line >= 1:
            region: dict[str, Any] = {"startLine": ref.line}
            if ref.column is not None and ref.column >= 1:
                region["startColumn"] = ref.column
            out["region"] = region
        return out


def _logical(f: Finding) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if f.entity_key:
        kind = "element" if "[" in f.entity_key.split("#", 1)[0] else "resource"
        entity: dict[str, Any] = {"fullyQualifiedName": visible(f.entity_key), "kind": kind}
        name = f.cloud_service or f.virtual_network
        if name:
            entity["name"] = visible(name)
        out.append(entity)
    if f.location.pointer is not None:
        out.append({"fullyQualifiedName": visible(f.location.pointer), "kind": "object"})
    return out


def _result(f: Finding, index: dict[str, int], where: _Locations) -> dict[str, Any]:
    location: dict[str, Any] = {}
    physical = where.physical(f.location)
    if physical is not None:
        location["physicalLocation"] = physical
    logical = _logical(f)
    if logical:
        location["logicalLocations"] = logical
    props: dict[str, Any] = {"category": f.category, "migration": f.migration}
    for key, value in (
        ("cloudService", f.cloud_service),
        ("virtualNetwork", f.virtual_network),
        ("migrationUnit", f.unit),
    ):
        if value:
            props[key] = visible(value)
    if f.unknown:
        props["unknownFacts"] = True
        if f.unknown_facts:
            props["settledBy"] = list(f.unknown_facts)
    if f.merged:
        props["mergedRules"] = list(f.merged)
    if f.location.embedded_line is not None:
        props["embeddedLine"] = f.location.embedded_line
    if is_file_path(f.location.path) and f.location.path in where.outside:
        props["locationNote"] = (
            "the file lies outside the source root, so its location is an absolute file URI"
        )
    if f.remediation.text:
        props["remediation"] = visible(f.remediation.text)
    if f.remediation.commands:
        props["commands"] = [visible(c) for c in f.remediation.commands]
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": f.severity,
        "message": {"text": visible(f.message) or f"{f.rule_id} {f.rule_name}"},
        "locations": [location] if location else [],
        "properties": props,
    }
    if not location:
        del out["locations"]
    if f.fingerprint:
        out["partialFingerprints"] = {"csmlint/v1": f.fingerprint}
    related = [p for p in (where.physical(r) for r in f.related[:MAX_RELATED]) if p]
    if related:
        out["relatedLocations"] = [
            {"id": i, "physicalLocation": p} for i, p in enumerate(related, start=1)
        ]
    if f.suppression is not None:
        sup: dict[str, Any] = {"kind": f.suppression.kind, "status": "accepted"}
        if f.suppression.justification.strip():
            sup["justification"] = visible(f.suppression.justification)
        sup_props: dict[str, Any] = {}
        if f.suppression.origin:
            sup_props["origin"] = f.suppression.origin
        if f.suppression.until is not None:
            sup_props["until"] = f.suppression.until.isoformat()
        if sup_props:
            sup["properties"] = sup_props
        if f.suppression.location is not None:
            sup_loc = where.physical(f.suppression.location)
            if sup_loc is not None:
                sup["location"] = {"physicalLocation": sup_loc}
        out["suppressions"] = [sup]
    return out


def _priority(f: Finding) -> tuple[int, int, int, tuple[str, int, int, str, str, str]]:
    """Which results survive the cap: unsuppressed first, then by severity and category."""
    return (
        1 if f.suppression is not None else 0,
        -SEVERITY_RANK.get(f.severity, 0),
        _CATEGORY_RANK.get(f.category, 9),
        f.sort_key(),
    )


def _cap(findings: list[Finding], limit: int) -> tuple[list[Finding], int]:
    if limit < 0 or len(findings) <= limit:
        return findings, 0
    kept = sorted(findings, key=_priority)[:limit]
    return sorted(kept, key=Finding.sort_key), len(findings) - limit


def _rules(rules: Sequence[Rule], findings: list[Finding]) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for r in rules:
        by_id.setdefault(r.id, sarif_rules.descriptor(r))
    for f in findings:
        if f.rule_id not in by_id:
            by_id[f.rule_id] = sarif_rules.stand_in(f)
    return [by_id[k] for k in sorted(by_id)]


def _note(text: str, level: str = "note") -> dict[str, Any]:
    return {"level": level, "message": {"text": visible(text)}}


def sarif_log(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serializes it)."""
    summary = summarize(result)
    findings, dropped = _cap(sorted(result.findings, key=Finding.sort_key), ctx.max_results)
    descriptors = _rules(rules, findings)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    where = _Locations(ctx)
    results = [_result(f, index, where) for f in findings]
    notes: list[dict[str, Any]] = []
    if dropped:
        notes.append(
            _note(
                f"csmlint found {len(result.findings)} results; this SARIF run holds the "
                f"{ctx.max_results} most severe and leaves out {dropped} (GitHub code scanning "
                "rejects runs with more than 25,000 results). The JSON report has all of them.",
                "warning",
            )
        )
    outside = sorted(where.outside)
    if outside:
        notes.append(
            _note(
                f"{len(outside)} file(s) with findings lie outside the source root, so their "
                "results point at absolute file URIs that code scanning cannot link (set "
                "--source-root to a folder that holds them): " + _some(outside),
                "warning",
            )
        )
    if result.skipped:
        notes.append(
            _note(
                f"{len(result.skipped)} file(s) were seen but not linted (excluded by default "
                "or not supported); run with --verbose to list them."
            )
        )
    notes += [_note(n) for n in result.notifications]
    driver: dict[str, Any] = {
        "name": "csmlint",
        "version": ctx.version,
        "semanticVersion": ctx.version,
        "rules": descriptors,
    }
    info = information_uri()
    if info:
        driver["informationUri"] = info
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": automation_id(ctx.automation_id)},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The repository root (git top level, or --source-root); "
                    "result URIs are relative to it."
                }
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
        "properties": {
            "files": summary.files,
            "resultsTotal": len(result.findings),
            "resultsOmitted": dropped,
            "findings": dict(summary.severities),
            "groups": dict(summary.groups),
            "suppressed": summary.suppressed,
            "blockingRules": {"total": summary.blocking_rules, "notRun": list(summary.not_run)},
            "readiness": [
                _status(
                    summary,
                    s,
                    {
                        "cloudService": visible(s.name),
                        "deployedName": visible(s.deployed_name) if s.deployed_name else None,
                        "unit": s.unit,
                    },
                )
                for s in result.services
            ],
            "units": [
                _status(summary, u, {"id": visible(u.id), "kind": u.kind}) for u in result.units
            ],
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _status(
    summary: Summary, status: ServiceStatus | UnitStatus, head: dict[str, Any]
) -> dict[str, Any]:
    out = {**head, "readiness": status.readiness, "cannotTell": status.cannot_tell}
    note = summary.readiness_note(status)
    if note:
        out["unconfirmed"] = note
    return out


def automation_id(value: str) -> str:
    """``category/`` (GitHub reads what precedes the last ``/`` as the category)."""
    value = visible(value).strip() or "csmlint/"
    return value if "/" in value else value + "/"


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    log = sarif_log(result, rules, ctx)
    runs = len(log.get("runs") or [])
    rows = [(*("runs", str(n)), *key) for n in range(runs) for key in _ROWS]
    text = dumps_rows(log, rows, sort_keys=True)
    # '<', '>' and '&' only occur inside JSON strings; as \u escapes they decode to the same
    # data, and a viewer that pastes SARIF into a page never meets markup from the inputs.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
