"""Readiness per cloud service and per migration unit.

``blocked`` when an unsuppressed blocker finding of severity warning or above touches the
service or its migration unit: a blocker anywhere in a VNet blocks every cloud service in
it, because they migrate together. ``needs-attention`` when another finding of severity
warning or above touches the service itself or its unit as a whole (not a sibling service);
otherwise ``ready``. A subscription-wide blocker (the migration resource provider is not
registered, say) blocks every cloud service of that subscription. Notes (including
unknown-fact notes) never change readiness.
"""

from __future__ import annotations

from collections import defaultdict

from csmlint.findings.finding import SEVERITY_RANK, Finding, ServiceStatus, UnitStatus
from csmlint.model.estate import Estate

_RANK = {"ready": 0, "needs-attention": 1, "blocked": 2}


def _level(f: Finding) -> str:
    if SEVERITY_RANK[f.severity] < SEVERITY_RANK["warning"]:
        return "ready"
    return "blocked" if f.category == "blocker" else "needs-attention"


def _worst(levels: list[str]) -> str:
    return max(levels, key=_RANK.__getitem__, default="ready")


def compute(
    findings: list[Finding], estate: Estate
) -> tuple[list[ServiceStatus], list[UnitStatus]]:
    by_service: dict[str, list[Finding]] = defaultdict(list)
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    blocked_subscriptions: set[str] = set()
    for f in findings:
        if f.suppression is not None:
            continue
        wide = f.subscription and not (f.cloud_service or f.unit or f.virtual_network)
        if wide and f.subscription and _level(f) == "blocked":
            blocked_subscriptions.add(f.subscription)
        if f.service_key:
            by_service[f.service_key].append(f)
        if f.unit:
            by_unit[f.unit].append(f)
    services: list[ServiceStatus] = []
    unit_levels: dict[str, list[str]] = defaultdict(list)
    for cs in estate.cloud_services:
        own = by_service.get(cs.key, [])
        in_unit = by_unit.get(cs.migration_unit, [])
        unit_wide = [f for f in in_unit if not f.service_key]
        levels = [_level(f) for f in own + unit_wide]
        if any(_level(f) == "blocked" for f in in_unit):
            levels.append("blocked")
        sub = cs.subscription
        if sub is not None and (sub.key or sub.id) in blocked_subscriptions:
            levels.append("blocked")
        level = _worst(levels)
        counts = _counts(own)
        services.append(
            ServiceStatus(
                name=cs.name,
                readiness=level,
                unit=cs.migration_unit,
                definition=cs.definition.path if cs.definition else None,
                counts=counts,
                key=cs.key,
            )
        )
        unit_levels[cs.migration_unit].append(level)
    units: list[UnitStatus] = []
    for unit in estate.units:
        own = by_unit.get(unit.id, [])
        level = _worst([_level(f) for f in own] + unit_levels.get(unit.id, []))
        units.append(
            UnitStatus(
                id=unit.id,
                kind=unit.kind,
                name=unit.name,
                cloud_services=list(unit.cloud_services),
                readiness=level,
                counts=_counts(own),
            )
        )
    return services, units


def _counts(findings: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "note": 0}
    for f in findings:
        out[f.severity] += 1
    return out
