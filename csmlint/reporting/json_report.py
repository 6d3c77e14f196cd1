"""The JSON report: a versioned public contract (``schemas/report.schema.json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from csmlint.findings.finding import Finding, ReportContext, RunResult
from csmlint.findings.summary import summarize
from csmlint.rulepack.rule import Rule

SCHEMA_VERSION = "1.2"


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
            }
            for u in result.units
        ],
        "findings": [finding_dict(f) for f in result.findings],
        "notifications": list(result.notifications),
        **_folded(result),
    }


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    return (
        json.dumps(report_dict(result, rules, ctx), indent=2, ensure_ascii=True, allow_nan=False)
        + "\n"
    )


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
