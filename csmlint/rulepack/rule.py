"""Rule: one compiled rule, with the metadata reporters show."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from csmlint.model.azure.naming import placeholder
from csmlint.records import field, record
from csmlint.rulepack.conditions import Condition
from csmlint.rulepack.paths import CompiledPath
from csmlint.rulepack.template import Template


@record(frozen=True)
class Reference:
    title: str
    url: str | None = None
    seed: str | None = None
    """Provenance for rule authors: the source document the rule was written from. Never
    shown to users, who get the public document's title and URL."""


Fix = tuple[Template, tuple[Template, ...], Template | None]
"""A remediation compiled: its text, its commands, and its after-Commit part (if any)."""


@record(frozen=True)
class ScopeCode:
    """What a rule compiled for one scope type."""

    when: Condition | None
    at: CompiledPath | None
    message: Template
    remediation: Template
    commands: tuple[Template, ...]
    unknown_message: Template | None
    variant_whens: tuple[Condition, ...]
    variant_messages: tuple[Template | None, ...]
    variant_remediations: tuple[Fix | None, ...] = ()
    unknown_remediation: Fix | None = None
    after_commit: Template | None = None
    """``remediation.afterCommit``: the part of the fix after Commit, for the plan."""


class ScopeCodes(Mapping[str, ScopeCode]):
    """A rule's :class:`ScopeCode` per scope, compiled on first use.

    A rule read from its YAML file is compiled at once (:meth:`compile_all`), so that every
    problem stops the load; a rule from the prepared-pack cache was compiled by this exact
    code before (the cache key covers it) and compiles only the scopes a run evaluates."""

    __slots__ = ("_build", "_done", "_scopes")

    def __init__(self, scopes: tuple[str, ...], build: Callable[[str], ScopeCode]) -> None:
        self._scopes = scopes
        self._build = build
        self._done: dict[str, ScopeCode] = {}

    def __getitem__(self, scope: str) -> ScopeCode:
        found = self._done.get(scope)
        if found is None:
            if scope not in self._scopes:
                raise KeyError(scope)
            found = self._done[scope] = self._build(scope)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._scopes)

    def __len__(self) -> int:
        return len(self._scopes)

    def compile_all(self) -> None:
        for scope in self._scopes:
            self[scope]


@record(frozen=True)
class Variant:
    """Overrides that apply when the variant's condition also holds (first match wins)."""

    severity: str | None
    category: str | None
    migration: str | None
    message: str | None = None
    condition: str = ""
    """The variant's ``when``, as compact JSON (for ``csmlint explain``)."""
    when: Any = None
    """The variant's ``when`` as written (for ``csmlint explain`` in words)."""
    remediation: str | None = None
    commands: tuple[str, ...] = ()


@record(frozen=True, eq=False)
class Rule:
    id: str
    name: str
    title: str
    severity: str
    category: str
    migration: str
    scopes: tuple[str, ...]
    message: str
    rationale: str
    remediation: str
    commands: tuple[str, ...]
    references: tuple[Reference, ...]
    help_uri: str
    tags: tuple[str, ...]
    pack: str
    path: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)
    unknown_severity: str | None = None
    """Severity of the ``onUnknown`` finding; ``None`` when the rule has no ``onUnknown``."""
    unknown_message: str | None = None
    merge_into: tuple[str, ...] = ()
    """Ids or names of rules whose finding on the same element folds this rule's "cannot
    tell" note into it (``onUnknown.mergeInto``)."""
    variants: tuple[Variant, ...] = ()
    when: Any = None
    """The rule's ``when`` as written (for ``csmlint explain`` in words)."""
    builtin: bool = False
    enabled: bool = True
    deprecated: bool = False
    after_commit: str = ""
    """``remediation.afterCommit`` as written: what is left after Commit (the plan's
    after-Commit step of a split fix)."""
    code: Mapping[str, ScopeCode] = field(default_factory=dict, repr=False)

    @property
    def learn_urls(self) -> tuple[str, ...]:
        return tuple(r.url for r in self.references if r.url)

    @property
    def severities(self) -> tuple[str, ...]:
        """Every severity the rule's findings can have: its own, then its variants' (a
        "cannot tell" note aside)."""
        found = [self.severity, *(v.severity for v in self.variants if v.severity)]
        return tuple(dict.fromkeys(found))

    @property
    def bears_on_readiness(self) -> bool:
        """Leaving the rule out leaves verdicts unconfirmed: it can block (:attr:`can_block`),
        or it is of the ``blocker`` category, whose notes say a blocker could not be decided
        (CSM180: no network configuration describes the VNet)."""
        return self.can_block or self.category == "blocker"

    def _outcomes(self) -> list[tuple[str | None, str]]:
        """(severity, category) of each outcome: the rule, its ``onUnknown``, each variant."""
        outcomes = [(self.severity, self.category), (self.unknown_severity, self.category)]
        return outcomes + [
            (v.severity or self.severity, v.category or self.category) for v in self.variants
        ]

    @property
    def can_warn(self) -> bool:
        """Some outcome of the rule is a ``warning``: it can make a verdict
        *needs-attention*."""
        return any(sev == "warning" for sev, _ in self._outcomes())

    @property
    def can_block(self) -> bool:
        """Some outcome of the rule makes a unit blocked: an error, or the blocker
        category."""
        return any(
            sev == "error" or (cat == "blocker" and sev in ("error", "warning"))
            for sev, cat in self._outcomes()
        )


_PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
_STEPS = {
    "migrateValidate": "<migration-validate-command>",
    "migratePrepare": "<migration-prepare-command>",
    "migrateCommit": "<migration-commit-command>",
    "migrateAbort": "<migration-abort-command>",
    "cliValidate": "<classic-cli-validate-command>",
    "cliPrepare": "<classic-cli-prepare-command>",
    "cliCommit": "<classic-cli-commit-command>",
    "cliAbort": "<classic-cli-abort-command>",
}


_NAMED: dict[str, str] = {
    "cloudService": "cloudService",
    "deployment": "deployment",
    "production": "deployment",
    "staging": "deployment",
}
"""The placeholder kind (:data:`~csmlint.model.azure.naming.PLACEHOLDERS`) that ``shownName``
(an entity's name, quoted, as a message shows it) reads as without an entity, by the entity
it names (the path before it, else the rule's scope)."""


def placeholders(template: str, scopes: Sequence[str] = ()) -> str:
    """Rule-level text is a template; where there is no entity to render it with (rule help,
    ``csmlint explain``) each placeholder reads as what it stands for: its ``<...>`` default
    when it has one, the unit's migration step, the name of what ``shownName`` names (by
    ``scopes``, the rule's, when the path does not say), or ``<field>``;
    ``{{ $unknown }}`` becomes ``<unknown-facts>``."""

    def shown(m: re.Match[str]) -> str:
        name, *filters = [p.strip() for p in m.group(1).split("|")]
        if name == "$unknown":
            return "<unknown-facts>"
        for f in filters:
            if f.startswith("default:") and f[len("default:") :].startswith("<"):
                return f[len("default:") :]
        owner, _, last = name.rpartition(".")
        if last == "shownName":
            named = owner.rpartition(".")[2] or (scopes[0] if len(scopes) == 1 else "")
            if named in _NAMED:
                return f"'{placeholder(_NAMED[named])}'"
        maps = _maps(filters)
        if maps and len(mapped.get(name, ())) > 1:  # mapped differently: must not read the same
            return f"<{name} via {' then '.join(maps)}>"
        return _STEPS.get(last) or f"<{_kebab(name)}>"

    mapped: dict[str, set[tuple[str, ...]]] = {}
    for m in _PLACEHOLDER.finditer(template):
        name, *filters = [p.strip() for p in m.group(1).split("|")]
        mapped.setdefault(name, set()).add(tuple(_maps(filters)))
    return _PLACEHOLDER.sub(shown, template)


_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _kebab(path: str) -> str:
    """``staging.vnetName`` -> ``staging-vnet-name``: how a placeholder is spelled."""
    return "-".join(_HUMP.sub("-", part).lower() for part in path.split(".") if part)


def _maps(filters: list[str]) -> list[str]:
    return [f[len("map:") :].strip() for f in filters if f.startswith("map:")]
