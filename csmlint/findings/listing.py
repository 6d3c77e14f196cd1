"""Which findings a run lists, when files are named alone (a pre-commit hook) or read only
for context (a named ``.cscfg``'s ``.csdef``): the others still count toward readiness, and
the blocking ones among them are kept apart, so that ``--fail-on blocked`` and the text
report can name what blocks the named files' services."""

from __future__ import annotations

from collections.abc import Collection

from csmlint.findings.finding import Finding
from csmlint.findings.readiness import blocking_for
from csmlint.model.estate import Estate
from csmlint.records import field, record


@record
class Listing:
    shown: list[Finding]
    hidden_blockers: list[Finding] = field(default_factory=list)
    elsewhere: int = 0
    """Findings located outside the files named (0 when no file was named alone)."""


def listing(
    findings: list[Finding],
    estate: Estate,
    context: Collection[str],
    named: Collection[str] | None,
    files: Collection[str],
) -> Listing:
    """``findings`` split into those listed and, among the rest, those that block a cloud
    service of a listed file (its ``.csdef``, ``.cscfg`` or the export describing it)."""
    if not context and named is None:
        return Listing(findings)

    def listed(path: str) -> bool:
        return path not in context and (named is None or path in named)

    shown = [f for f in findings if listed(f.location.path)]
    rest = [f for f in findings if not listed(f.location.path)]
    own = set(named) if named is not None else {p for p in files if listed(p)}
    elsewhere = sum(1 for f in rest if f.location.path not in context) if named is not None else 0
    return Listing(shown, blocking_for(rest, estate, own), elsewhere)
