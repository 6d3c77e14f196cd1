"""Every rule fixture case, run with only its rule, against its annotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from csmlint.rulepack.loader import load_rules
from csmlint.testing import run_case

RULES = {r.id: r for r in load_rules()}
CASES = sorted(p for p in (FIXTURES / "rules").glob("*/*") if p.is_dir())


def _rule_for(case: Path):  # type: ignore[no-untyped-def]
    rule_id = case.parent.name.split("-", 1)[0]
    return RULES.get(rule_id)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_case(case: Path) -> None:
    rule = _rule_for(case)
    assert rule is not None, f"no rule {case.parent.name.split('-', 1)[0]} for fixture {case}"
    assert case.parent.name == f"{rule.id}-{rule.name}", "fixture folder must be <ID>-<name>"
    outcome = run_case(case, rule, list(RULES.values()))
    assert not outcome.failures, "\n".join(outcome.failures)


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: f"{r.id}-{r.name}")
def test_rule_has_triggering_and_clean_case(rule) -> None:  # type: ignore[no-untyped-def]
    folder = FIXTURES / "rules" / f"{rule.id}-{rule.name}"
    assert folder.is_dir(), f"rule {rule.id} has no fixtures under {folder}"
    triggering = clean = 0
    for case in sorted(p for p in folder.iterdir() if p.is_dir()):
        outcome = run_case(case, rule, list(RULES.values()))
        expects = {rid for rid, _ in outcome.expectations.by_verb["expect"]}
        if rule.id in expects:
            triggering += 1
        elif not any(f.rule_id == rule.id for f in outcome.findings):
            clean += 1
    assert triggering, f"{rule.id}: no fixture case triggers the rule"
    assert clean, f"{rule.id}: no fixture case where the rule stays silent"
