""" "Cannot tell" notes grouped per rule for the reports people read.

Without a topology, a note such as "cannot tell whether both slots are occupied" fires on
every cloud service. The text, Markdown and HTML reports show such notes as one entry per
rule (how many, which services, the topology field that settles them); ``-v`` lists each one.
JSON and SARIF, which tools read, keep one result per finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from csmlint.findings.finding import Finding
from csmlint.records import field, record

SHOWN = 8
"""Names listed in a group before "and N more"."""


@record
class NoteGroup:
    rule_id: str
    rule_name: str
    severity: str
    findings: list[Finding] = field(default_factory=list)
    labels: Mapping[str, str] = field(default_factory=dict)
    """How to name a cloud service, by service key (its deployed name, else
    ``<cloud-service-name> (csdef: X)``); a service without a label shows its name."""

    @property
    def subjects(self) -> list[str]:
        """What each note is about: its cloud service, VNet, or file (sorted, unique)."""
        names = {
            self.labels.get(f.service_key or "", f.cloud_service or "")
            or f.virtual_network
            or f.location.path
            for f in self.findings
        }
        return sorted(names, key=str.lower)

    @property
    def facts(self) -> list[str]:
        """The topology fields that would settle the notes."""
        return sorted({fact for f in self.findings for fact in f.unknown_facts})

    def subject_text(self, shown: int = SHOWN) -> str:
        names = self.subjects
        text = ", ".join(names[:shown])
        return text + (f" and {len(names) - shown} more" if len(names) > shown else "")


def group_notes(
    findings: Iterable[Finding], verbose: bool, labels: Mapping[str, str] | None = None
) -> tuple[list[Finding], list[NoteGroup]]:
    """(findings to list one by one, groups of "cannot tell" notes). A rule's notes form a
    group when it has two or more; ``verbose`` lists everything one by one. ``labels`` name
    the cloud services (see :attr:`NoteGroup.labels`)."""
    items = list(findings)
    if verbose:
        return items, []
    by_rule: dict[str, NoteGroup] = {}
    for f in items:
        if f.unknown:
            group = by_rule.setdefault(
                f.rule_id, NoteGroup(f.rule_id, f.rule_name, f.severity, labels=labels or {})
            )
            group.findings.append(f)
    groups = {rule_id: g for rule_id, g in by_rule.items() if len(g.findings) > 1}
    single = [f for f in items if not (f.unknown and f.rule_id in groups)]
    return single, sorted(groups.values(), key=lambda g: (-len(g.findings), g.rule_id))
