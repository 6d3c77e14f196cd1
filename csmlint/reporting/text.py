"""Human text: one line per finding, then readiness per cloud service and unit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from csmlint.findings import Finding, ReportContext, RunResult
from csmlint.rulepack.rule import Rule

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_COLORS = {
    "error": "31",
    "warning": "33",
    "note": "36",
    "blocked": "31",
    "needs-attention": "33",
    "ready": "32",
}


def clean(text: str) -> str:
    """Make input-derived text safe for a terminal: no ANSI/control/bidi characters."""
    text = text.replace("\n", "\\n").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _paint(text: str, key: str, ctx: ReportContext) -> str:
    return f"\x1b[{_COLORS[key]}m{text}\x1b[0m" if ctx.color else text


def _line(f: Finding, ctx: ReportContext) -> str:
    loc = f.location
    where = clean(loc.display())
    if loc.embedded_line:
        where += f" (embedded .cscfg line {loc.embedded_line})"
    sev = _paint(f.severity, f.severity, ctx)
    return f"{where}: {sev} {f.rule_id} {f.rule_name} {clean(f.message)}"


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    out: list[str] = []
    for f in result.active:
        out.append(_line(f, ctx))
        if ctx.verbose:
            out.append(f"    fix: {clean(f.remediation.text)}")
            out.extend(f"      $ {clean(c)}" for c in f.remediation.commands)
    if out:
        out.append("")
    counts = result.counts()
    out.append(
        f"{len(result.files)} file(s), {len(result.services)} cloud service(s): "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)"
        + (f", {len(result.suppressed)} suppressed" if result.suppressed else "")
    )
    if result.services:
        out.append("Readiness by cloud service:")
        width = max(len(s.name) for s in result.services)
        for s in result.services:
            state = _paint(f"{s.readiness:<15}", s.readiness, ctx)
            out.append(f"  {clean(s.name):<{width}}  {state} {clean(s.unit)}")
    vnet_units = [u for u in result.units if u.kind == "virtualNetwork"]
    if vnet_units:
        out.append("Readiness by virtual network (migrates as one unit):")
        width = max(len(u.name) for u in vnet_units)
        for u in vnet_units:
            members = ", ".join(u.cloud_services) or "no cloud services in the inputs"
            state = _paint(f"{u.readiness:<15}", u.readiness, ctx)
            out.append(f"  {clean(u.name):<{width}}  {state} {clean(members)}")
    for note in result.notifications:
        out.append(f"note: {clean(note)}")
    return "\n".join(out) + "\n"
