"""The JSON report: a versioned public contract (``schemas/report.schema.json``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from csmlint.findings.finding import Finding, ReportContext, RunResult
from csmlint.findings.summary import summarize
from csmlint.rulepack.rule import Rule

SCHEMA_VERSION = "1.4"


def finding_dict(f: Finding) -> dict[str, Any]:
    loc = f.location
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleName": f.rule_name,
        "severity": f.severity,
        "category": f.category,
        "migration": f.migration,
        "message": f.message,
        "remediation": {"text": f.remediation.text, "commands": list(f.remediation.commands)},
        "helpUri": f.help_uri,
        "cloudService": f.cloud_service,
        "virtualNetwork": f.virtual_network,
        "migrationUnit": f.unit,
        "location": {
            "file": loc.path,
            "line": loc.line,
            "column": loc.column,
            "pointer": loc.pointer,
        },
        "fingerprint": f.fingerprint,
        "unknownFacts": f.unknown,
    }
    if f.unknown_facts:
        out["settledBy"] = list(f.unknown_facts)
    if f.merged:
        out["mergedRules"] = list(f.merged)
    if loc.embedded_line is not None:
        out["location"]["embeddedLine"] = loc.embedded_line
    if f.suppression is not None:
        sup = f.suppression
        out["suppression"] = {"kind": sup.kind, "justification": sup.justification}
        if sup.origin:
            out["suppression"]["origin"] = sup.origin
        if sup.until is not None:
            out["suppression"]["until"] = sup.until.isoformat()
    return out


def report_dict(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> dict[str, Any]:
    out = _report(result, rules, ctx)
    if result.baseline is not None:
        b = result.baseline
        out["summary"]["baseline"] = {
            "file": b.path,
            "baselined": dict(b.counts),
            "oldestEntry": b.oldest.isoformat() if b.oldest else None,
            "stale": b.stale,
        }
    return out


def _report(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> dict[str, Any]:
    summary = summarize(result)
    return {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "csmlint", "version": ctx.version},
        "summary": {
            "files": len(result.files),
            "cloudServices": len(result.services),
            "findings": dict(summary.severities),
            "groups": dict(summary.groups),
            "suppressed": summary.suppressed,
            "rules": len(rules),
            "readiness": {
                "cloudServices": dict(summary.services),
                "units": dict(summary.units),
            },
            "blockingRules": {"total": summary.blocking_rules, "notRun": list(summary.not_run)},
            "warningRulesNotRun": list(summary.warnings_not_run),
            "unreadableFiles": summary.unreadable,
        },
        "files": list(result.files),
        "cloudServices": [
            {
                "name": s.name,
                "deployedName": s.deployed_name,
                "readiness": s.readiness,
                "migrationUnit": s.unit,
                "definition": s.definition,
                "findings": s.counts,
                "cannotTell": s.cannot_tell,
                "unconfirmed": summary.readiness_note(s) or None,
                "suppressedBlockers": s.suppressed_blockers,
                "unreadFiles": s.unread,
            }
            for s in result.services
        ],
        "units": [
            {
                "id": u.id,
                "kind": u.kind,
                "name": u.name,
                "cloudServices": u.cloud_services,
                "readiness": u.readiness,
                "findings": u.counts,
                "cannotTell": u.cannot_tell,
                "unconfirmed": summary.readiness_note(u) or None,
                "suppressedBlockers": u.suppressed_blockers,
                "unreadFiles": u.unread,
                "disputedBy": u.disputed_by,
            }
            for u in result.units
        ],
        "findings": Rows(result.findings, finding_dict),
        "notifications": list(result.notifications),
        **_folded(result),
    }


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    return "".join(stream(result, rules, ctx))


def stream(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> Iterator[str]:
    """The report in pieces, the same text as :func:`render`: each finding becomes a dict
    and a line only when written, so a run of 50,000 findings never holds the whole
    report (about 2 KB a finding) in memory."""
    rows = [("findings",), ("cloudServices",), ("units",), ("files",)]
    yield from iter_rows(report_dict(result, rules, ctx), rows)
    yield "\n"


def _folded(result: RunResult) -> dict[str, Any]:
    """``folded``: findings counted but not listed (present only when some were)."""
    if not result.folded:
        return {}
    return {
        "folded": [
            {"ruleId": f.rule_id, "file": f.path, "count": f.count, "suppressed": f.suppressed}
            for f in result.folded
        ]
    }


# --- JSON text with long arrays one item per line (this report and SARIF) ---------------
# ``json.dumps(indent=...)`` runs in pure Python (the C encoder only writes compact JSON):
# for 10,000 findings that is seconds. The arrays named are written by the C encoder, one
# compact item per line, spliced into the indented frame: same data, same key order, and
# diffs of one finding per line.


class Rows:
    """A list whose items become JSON values only as they are written (see
    :func:`iter_rows`): ``convert`` is applied to each item of ``items`` then."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.items = items
        self.convert = convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return map(self.convert, self.items)


ROW_BATCH = 256
"""Items joined into one piece by :func:`iter_rows` (fewer, larger writes)."""


def dumps_rows(
    doc: dict[str, Any], rows: Sequence[tuple[str, ...]], *, sort_keys: bool = False
) -> str:
    """``doc`` as JSON; each key path in ``rows`` (``("runs", "0", "results")``) that leads
    to a non-empty list (or :class:`Rows`) is written one item per line. ``doc`` is not
    changed."""
    return "".join(iter_rows(doc, rows, sort_keys=sort_keys))


def iter_rows(
    doc: dict[str, Any], rows: Sequence[tuple[str, ...]], *, sort_keys: bool = False
) -> Iterator[str]:
    """:func:`dumps_rows` in pieces: the frame around the lists, then the lists' lines in
    batches of :data:`ROW_BATCH` items."""
    options: dict[str, Any] = {"sort_keys": sort_keys, "ensure_ascii": True, "allow_nan": False}
    frame, lists = _frame(doc, rows)
    text = json.dumps(frame, indent=2, **options)
    quoted = [(json.dumps(mark), items) for mark, items in lists]
    done = 0
    for at, mark, items in sorted((text.index(q), q, items) for q, items in quoted):
        line = text[text.rfind("\n", 0, at) + 1 : at]
        indent = " " * (len(line) - len(line.lstrip())) + "  "
        yield text[done:at] + "[\n"
        batch: list[str] = []
        first = True
        for item in items:
            batch.append(indent + json.dumps(item, separators=(",", ":"), **options))
            if len(batch) == ROW_BATCH:
                yield ("" if first else ",\n") + ",\n".join(batch)
                batch, first = [], False
        if batch:
            yield ("" if first else ",\n") + ",\n".join(batch)
        yield "\n" + indent[:-2] + "]"
        done = at + len(mark)
    yield text[done:]


def _frame(
    doc: dict[str, Any], rows: Sequence[tuple[str, ...]]
) -> tuple[Any, list[tuple[str, list[Any] | Rows]]]:
    """A shallow copy of ``doc`` along each row path, the lists replaced by markers."""
    frame: Any = dict(doc)
    lists: list[tuple[str, list[Any] | Rows]] = []
    for n, path in enumerate(rows):
        node = frame
        for key in path[:-1]:
            step = int(key) if isinstance(node, list) else key
            try:
                child = node[step]
            except (KeyError, IndexError, TypeError):
                break
            child = list(child) if isinstance(child, list) else dict(child)
            node[step] = child
            node = child
        else:
            items = node.get(path[-1]) if isinstance(node, dict) else None
            if isinstance(items, (list, Rows)) and len(items):
                mark = f"@@csmlint-rows-{n}@@"
                lists.append((mark, items))
                node[path[-1]] = mark
            elif isinstance(items, Rows):
                node[path[-1]] = []
    return frame, lists
