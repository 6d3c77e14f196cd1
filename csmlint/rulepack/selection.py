"""Which rules run: ``--select`` and ``--ignore`` by rule id, rule name or pack name."""

from __future__ import annotations

from collections.abc import Iterable

from csmlint.errors import UsageError
from csmlint.findings.finding import Coverage
from csmlint.rulepack.rule import Rule

ALWAYS_ON = frozenset({"CSM000"})
"""Input errors are always reported, whatever ``--select`` says."""


def select_rules(rules: list[Rule], select: Iterable[str], ignore: Iterable[str]) -> list[Rule]:
    """Rules enabled by ``--select``/``--ignore`` (ids, names or pack names)."""
    select, ignore = list(select), list(ignore)
    keys: dict[str, list[Rule]] = {}
    for r in rules:
        for k in (r.id, r.name, r.pack):
            keys.setdefault(k.lower(), []).append(r)
    for opt, values in (("--select", select), ("--ignore", ignore)):
        for v in values:
            if v.lower() not in keys:
                from csmlint.rulepack.explain import suggest

                raise UsageError(
                    f"{opt}: unknown rule, rule name or pack {v!r}{suggest(v, rules)} "
                    "(see `csmlint rules`)"
                )
    if select:
        chosen = {id(r) for v in select for r in keys[v.lower()]}
        active = [r for r in rules if id(r) in chosen or r.id in ALWAYS_ON]
    else:
        active = [r for r in rules if r.enabled and not r.deprecated]
    dropped = {id(r) for v in ignore for r in keys[v.lower()]}
    kept = [r for r in active if id(r) not in dropped]
    if select and dropped and {id(r) for v in select for r in keys[v.lower()]} <= dropped:
        raise UsageError(
            f"--ignore {','.join(ignore)} leaves none of the rules --select {','.join(select)} "
            "chose: nothing would be checked (drop one of them)"
        )
    return kept


def blocking_ids(rules: list[Rule]) -> list[str]:
    """Ids of the live rules that bear on verdicts: leaving one out leaves them unconfirmed."""
    return [r.id for r in rules if r.bears_on_readiness and r.enabled and not r.deprecated]


def coverage(rules: list[Rule], ran: Iterable[Rule]) -> Coverage:
    """Which of ``rules`` that bear on verdicts did not run: those that can block (their
    absence leaves every verdict unconfirmed) and those that can only warn (a ready verdict
    says nothing about them)."""
    ids = {r.id for r in ran}
    live = [r for r in rules if r.enabled and not r.deprecated]
    blocking = blocking_ids(rules)
    warning = [r.id for r in live if r.can_warn and not r.bears_on_readiness]
    return Coverage(
        len(blocking),
        tuple(i for i in blocking if i not in ids),
        tuple(i for i in warning if i not in ids),
    )
