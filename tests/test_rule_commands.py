"""Every shipped rule's commands run in order as written: a ``$variable`` a command uses is set
by an earlier command of the same list (or by itself), never left for the user to guess
(new-user check: '-VirtualMachineConfiguration $vmConfig' with no '$vmConfig = ...'). The
reports then keep a setter and its users in one copy box (``findings.commands``)."""

from __future__ import annotations

import re

import pytest

from csmlint.rulepack.loader import load_rules
from csmlint.rulepack.rule import Rule

BUILTIN = frozenset({"true", "false", "null", "_", "env", "PSItem"})
_SETS = re.compile(r"(?:^|;|\||\()\s*\$(\w+)\s*=(?!=)")
_LOOP = re.compile(r"foreach\s*\(\s*\$(\w+)\s+in", re.I)

RULES = load_rules()


def _lists(rule: Rule) -> list[tuple[str, tuple[str, ...]]]:
    return [("commands", rule.commands)] + [
        (f"variant {n}", v.commands) for n, v in enumerate(rule.variants)
    ]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_variable_a_command_uses_is_set_before(rule: Rule) -> None:
    for where, commands in _lists(rule):
        known: set[str] = set()
        for command in commands:
            here = set(_SETS.findall(command)) | set(_LOOP.findall(command))
            unset = set(re.findall(r"\$(\w+)", command)) - BUILTIN - known - here
            assert not unset, f"{rule.id} {where}: {sorted(unset)} never set before: {command}"
            known |= here


def test_the_check_finds_an_unset_variable() -> None:
    used = "New-AzBatchPool -Id p -VirtualMachineConfiguration $vmConfig"
    assert set(re.findall(r"\$(\w+)", used)) - BUILTIN == {"vmConfig"}
    assert _SETS.findall("$a = Get-X; $b = $a.Y") == ["a", "b"]
