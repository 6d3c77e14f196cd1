"""Finding: the one result type every rule, reporter and exit code speaks."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Final, Literal

from csmlint.model.location import SourceRef
from csmlint.records import field, record

if TYPE_CHECKING:
    from csmlint.findings.summary import Summary

Severity = Literal["error", "warning", "note"]
Category = Literal["blocker", "dropped", "post-migration", "advisory"]

SEVERITIES: Final = ("error", "warning", "note")
CATEGORIES: Final = ("blocker", "dropped", "post-migration", "advisory")
SEVERITY_RANK: Final = {"note": 1, "warning": 2, "error": 3}
"""Higher is more severe; ``--fail-on`` compares ranks."""


@record(frozen=True)
class Remediation:
    """What to do: a short text and, where they exist, the exact commands.

    ``hints`` ("Replace <cloud-service-name> with ...") follow the text, one sentence each:
    :attr:`text` joins them when read. They are kept apart because the same few sentences
    end thousands of otherwise different texts (2 MB per 1,000 services held once per
    finding)."""

    base: str
    commands: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    after: str = ""
    """What is left after Commit (the rule's ``afterCommit``), for the plan's after-Commit
    step of a fix split around the migration; empty when the rule has none."""

    @property
    def text(self) -> str:
        return " ".join((self.base, *self.hints)) if self.hints else self.base

    @property
    def after_text(self) -> str:
        """:attr:`after` with the hints, else the whole :attr:`text`."""
        if not self.after:
            return self.text
        return " ".join((self.after, *self.hints)) if self.hints else self.after


@record(frozen=True)
class Suppression:
    """Why a finding is not counted: an inline comment, or an external ignore."""

    kind: Literal["inSource", "external"]
    justification: str
    location: SourceRef | None = None
    until: date | None = None
    """The last day the suppression works, when it has one."""
    origin: Literal["comment", "config", "baseline", ""] = ""
    """Where it comes from: an inline comment, the configuration's ``suppress:``, a baseline."""


@record(frozen=True)
class Excerpt:
    """A few source lines around a finding, clipped for display. Attached by the engine from
    the bytes it already read (``csmlint.findings.excerpts``); reporters never read files."""

    first_line: int
    """Line number of ``lines[0]``."""
    lines: tuple[str, ...]
    line: int
    """The finding's own line."""


@record
class Finding:
    """One problem found in the estate."""

    rule_id: str
    rule_name: str
    severity: Severity
    category: Category
    migration: str
    message: str
    location: SourceRef
    remediation: Remediation
    help_uri: str = ""
    cloud_service: str | None = None
    service_key: str | None = None
    """The cloud service's unique key: same-named services from different folders differ."""
    virtual_network: str | None = None
    unit: str | None = None
    subscription: str | None = None
    """Key of the subscription the finding's entity belongs to, when known."""
    entity_key: str = ""
    fingerprint: str = ""
    unknown: bool = False
    """Reported by the rule's ``onUnknown``: a deciding fact is missing."""
    unknown_facts: tuple[str, ...] = ()
    """The topology fields that would settle it (for ``unknown`` findings)."""
    merged: tuple[str, ...] = ()
    """Ids of rules whose "cannot tell" note on the same element this finding also stands
    for (``onUnknown.mergeInto``)."""
    suppression: Suppression | None = None
    related: tuple[SourceRef, ...] = field(default=())
    excerpt: Excerpt | None = None

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location
        return (
            loc.path,
            loc.line or 0,
            loc.column or 0,
            loc.pointer or "",
            self.rule_id,
            self.message,
        )

    @property
    def blocks(self) -> bool:
        """Whether this finding alone makes its service or unit *blocked*: an ``error``, or
        a ``warning`` of the ``blocker`` category (a transient state, say)."""
        return self.severity == "error" or (
            self.severity == "warning" and self.category == "blocker"
        )

    @property
    def merged_note(self) -> str:
        """What the finding says of the "cannot tell" notes folded into it (checks the
        readiness counts as undecided, which no other line names); empty without any."""
        if not self.merged:
            return ""
        return (
            f"Cannot tell: {', '.join(self.merged)} on the same element (the readiness counts "
            f"it as undecided; csmlint explain {self.merged[0]} says which facts decide it)"
        )

    def at_or_above(self, level: str) -> bool:
        """Whether this finding fails a run with ``--fail-on level``; ``blocked`` means the
        findings that block (:attr:`blocks`), between ``error`` and ``warning``."""
        if level == "never":
            return False
        if level == "blocked":
            return self.blocks
        return SEVERITY_RANK[self.severity] >= SEVERITY_RANK[level]


READINESS: Final = ("blocked", "needs-attention", "ready")


@record
class ServiceStatus:
    """Readiness of one cloud service."""

    name: str
    readiness: str
    unit: str
    definition: str | None = None
    """Path of the `.csdef` (disambiguates services that share a name)."""
    counts: dict[str, int] = field(default_factory=dict)
    """Unsuppressed findings of the service itself, by severity."""
    key: str = ""
    """The service's unique key (:attr:`Finding.service_key` of its findings)."""
    cannot_tell: int = 0
    """"Cannot tell" notes of blocking rules about the service or its unit as a whole."""
    wide_checks: list[str] = field(default_factory=list)
    """Rule ids of the "cannot tell" notes among :attr:`cannot_tell` that are about the whole
    subscription (the migration provider): reports name them, as no finding of the service
    carries them."""
    suppressed_blockers: int = 0
    """Blocking findings about the service or its unit that a suppression hides: the verdict
    takes the suppression's word, but is never ``ready`` on it and says so."""
    unread: int = 0
    """Input files that could not be read and may hold facts of this service (see
    :func:`csmlint.findings.readiness.unread_inputs`): its verdict is never ``ready``."""
    deployed_name: str | None = None
    """The hosted service's name in Azure, when a topology or an export gives it."""
    label: str = ""
    """How reports name it: the deployed name, else ``<cloud-service-name> (csdef: <name>)``."""

    def __post_init__(self) -> None:
        self.label = self.label or self.name


@record
class UnitStatus:
    """Readiness of one migration unit (a VNet, a lone cloud service, a storage account)."""

    id: str
    kind: str
    name: str
    cloud_services: list[str]
    readiness: str
    counts: dict[str, int] = field(default_factory=dict)
    """Unsuppressed findings anywhere in the unit (its cloud services' too), by severity."""
    cannot_tell: int = 0
    """"Cannot tell" notes of blocking rules anywhere in the unit."""
    wide_checks: list[str] = field(default_factory=list)
    """As :attr:`ServiceStatus.wide_checks`."""
    suppressed_blockers: int = 0
    """Blocking findings anywhere in the unit that a suppression hides."""
    unread: int = 0
    """Input files that could not be read and may hold facts of the unit or its services."""
    service_labels: list[str] = field(default_factory=list)
    """:attr:`ServiceStatus.label` of each of :attr:`cloud_services`."""
    disputed_by: list[str] = field(default_factory=list)
    """Labels of cloud services the topology puts elsewhere while their ``.cscfg`` names
    this VNet (CSM184): until that is settled, each may be in this unit."""

    def __post_init__(self) -> None:
        self.service_labels = self.service_labels or list(self.cloud_services)

    @property
    def shown_id(self) -> str:
        """:attr:`id` with the name as the inputs write it (``vnet:POC-Vnet``,
        ``cloudService:Shop#2``; the id itself is lower-case, for joining)."""
        kind, _, key = self.id.partition(":")
        base, hash_, n = key.partition("#")  # a second service of one name: ``#2``
        return f"{kind}:{self.name}{hash_}{n}" if self.name.lower() == base else self.id


@record(frozen=True)
class Coverage:
    """Which of the rules that can block ran (``--select``/``--ignore`` narrow a run)."""

    blocking: int = 0
    """Rules loaded that can block: an error, or the blocker category, in any variant."""
    not_run: tuple[str, ...] = ()
    """Ids of those that did not run."""
    warnings_not_run: tuple[str, ...] = ()
    """Ids of the rules that cannot block but can warn (something is dropped, or changes
    after the migration) and did not run: a *ready* verdict says nothing about them."""


@record
class BaselineSummary:
    """What a baseline hid in one run (``csmlint.workflow.baseline``)."""

    path: str
    counts: dict[str, int]
    """Baselined findings by severity."""
    oldest: date | None = None
    """When the oldest of the entries that matched was added."""
    age_days: int | None = None
    stale: int = 0
    """Entries that match no finding any more (``csmlint baseline prune`` removes them)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        """The one summary line."""
        parts = ", ".join(
            f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in self.counts.items() if n
        )
        text = f"baseline {self.path}: {self.total} known finding(s) not reported"
        if parts:
            text += f" ({parts})"
        if self.oldest is not None:
            age = self.age_days or 0
            text += (
                f"; oldest added {self.oldest.isoformat()}, {age} day{'s' if age != 1 else ''} ago"
            )
        if self.stale:
            text += f"; {self.stale} stale entr{'ies' if self.stale != 1 else 'y'}"
        return text


@record(frozen=True)
class Folded:
    """``count`` more findings of ``rule_id`` in ``path`` than the report lists."""

    rule_id: str
    path: str
    count: int
    suppressed: bool = False


@record
class RunResult:
    """Everything a reporter needs about one run."""

    findings: list[Finding]
    """All findings, suppressed ones included, sorted."""
    files: list[str]
    services: list[ServiceStatus] = field(default_factory=list)
    units: list[UnitStatus] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notifications: list[str] = field(default_factory=list)
    """Things the run wants the user to know that are not findings (truncation, ...)."""
    coverage: Coverage = field(default_factory=Coverage)
    summary: Summary | None = None
    """Filled by :func:`csmlint.findings.summary.summarize`, which every reporter reads."""
    warnings: list[str] = field(default_factory=list)
    """Problems with how csmlint was pointed at the inputs (a folder holding none): shown on
    standard error, not in reports."""
    baseline: BaselineSummary | None = None
    """Set when the run used a baseline."""
    folded: list[Folded] = field(default_factory=list)
    """Findings counted but not listed (:mod:`csmlint.findings.fold`)."""
    unlisted: set[str] = field(default_factory=set)
    """Files of :attr:`files` read only for context (a named .cscfg's .csdef, a topology
    when files are named alone): their findings are not listed, so a baseline entry of
    theirs is never stale."""
    hidden_blockers: list[Finding] = field(default_factory=list)
    """Findings not listed because they are located outside the files named alone (a
    topology's), that block those files' services or units: ``--fail-on blocked`` fails
    on the unsuppressed ones, since it follows the verdicts; the suppressed ones are named
    with the other suppressed blockers."""

    @property
    def hidden_active(self) -> list[Finding]:
        """:attr:`hidden_blockers` that no suppression accepts."""
        return [f for f in self.hidden_blockers if f.suppression is None]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]


@record
class ReportContext:
    """How a report is rendered (not what it says)."""

    version: str
    color: bool = False
    fail_on: str = "error"
    verbose: bool = False
    automation_id: str = "csmlint/"
    max_results: int = 25000
    cwd: str | None = None
    """Absolute working directory the display paths are relative to (``None``: unknown)."""
    source_root: str | None = None
    """Absolute repository root SARIF URIs are relative to (``None``: the working directory)."""
    generated: datetime | None = None
    """When the report was made (shown by the HTML report; ``None``: not shown, so that
    snapshots stay byte-identical)."""
