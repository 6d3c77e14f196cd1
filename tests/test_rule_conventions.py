"""Rule-pack conventions checked at load time (exit 2 with file:line), beyond the schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmlint.errors import RulePackError
from csmlint.rulepack.loader import load_rules

RULE = """\
id: CSM950
name: team-batch-size
title: Batch roles must use D-series sizes
severity: warning
category: advisory
migration: cs-es
scope: {scope}
when: {{field: key, exists: true}}
message: "Needs a look"
rationale: Team policy.
remediation:
  text: Resize the role.
  commands:
    - 'Set-AzureDeployment -Config -ServiceName "{{{{ {field} }}}}" -Slot Production'
references:
  - title: Team policy
    url: https://example.org/policy
"""


def _pack(tmp_path: Path, file: str, scope: str, field: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / file).write_text(RULE.format(scope=scope, field=field), encoding="utf-8")
    return pack


def test_a_rule_file_is_named_after_its_rule(tmp_path: Path) -> None:
    pack = _pack(
        tmp_path, "CSM950-wrongname.yaml", "roleDefinition", "definition.cloudService.serviceName"
    )
    with pytest.raises(RulePackError, match=r"rename it CSM950-team-batch-size\.yaml") as err:
        load_rules([str(pack)])
    assert err.value.line == 2


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ("roleDefinition", "definition.cloudService.name"),
        ("roleDefinition", "definition.name"),
        ("cloudService", "name"),
        ("serviceConfiguration", "serviceName"),
    ],
)
def test_service_name_parameters_never_take_a_package_name(
    tmp_path: Path, scope: str, field: str
) -> None:
    pack = _pack(tmp_path, "CSM950-team-batch-size.yaml", scope, field)
    with pytest.raises(RulePackError, match="hosted service's real name") as err:
        load_rules([str(pack)])
    assert err.value.line == 14  # the command


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ("roleDefinition", "definition.cloudService.serviceName | default:<cloud-service-name>"),
        ("cloudService", "serviceName | default:<cloud-service-name>"),
    ],
)
def test_the_real_name_is_accepted(tmp_path: Path, scope: str, field: str) -> None:
    pack = _pack(tmp_path, "CSM950-team-batch-size.yaml", scope, field)
    assert any(r.id == "CSM950" for r in load_rules([str(pack)]))


def test_shipped_rule_texts_are_plain_text_not_markdown() -> None:
    """Messages, rationales and fixes reach HTML, JUnit, SARIF and the console as text: a
    Markdown code span would show its backticks there (SARIF's help escapes them too)."""
    for rule in load_rules():
        texts = [rule.message, rule.rationale, rule.remediation, rule.unknown_message or ""]
        texts += [v.message or "" for v in rule.variants]
        texts += [v.remediation or "" for v in rule.variants]
        for text in texts:
            assert "`" not in text, f"{rule.id}: {text[:80]}"


def test_no_shipped_command_overwrites_a_linted_file() -> None:
    """A command that saves a configuration downloaded from Azure writes a new file beside
    the user's own (``.migrated``, ``Downloaded``): a Staging or per-environment .cscfg must
    never be replaced by the production deployment's."""
    import re

    target = re.compile(r"Set-Content\s+(?:-Path\s+)?\"([^\"]+)\"")
    for rule in load_rules():
        commands = list(rule.commands) + [c for v in rule.variants for c in v.commands]
        for command in commands:
            for path in target.findall(command):
                if path.endswith((".cscfg", ".csdef", "}}")):
                    assert "filePath" not in path and "ServiceConfiguration.Cloud" not in path, (
                        f"{rule.id}: {command}"
                    )
