"""The configuration file (``.csmlint.yaml``): what it sets, how its mistakes are reported,
and its ``suppress:`` entries (used, unused, or naming a rule that did not run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from csmlint.cli import main
from csmlint.errors import ConfigError
from csmlint.parsing.yamlschema import first_violation
from csmlint.workflow.config import KEYS, _plainly_valid, load_config

LEGACY = FIXTURES / "rules" / "CSM001-unused-suppression" / "used-comment"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository with one service whose worker is 'Large' (CSM127) and 'A8' (CSM128),
    its inline suppressions removed."""
    shutil.copytree(LEGACY, tmp_path / "src", ignore=shutil.ignore_patterns("*.yaml"))
    csdef = tmp_path / "src" / "ServiceDefinition.csdef"
    kept = [line for line in csdef.read_text().splitlines() if "csmlint-disable" not in line]
    csdef.write_text("\n".join(kept) + "\n")
    return tmp_path


def _lint(
    repo: Path, config: str, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, Any, str]:
    (repo / ".csmlint.yaml").write_text(config)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(repo)
        with pytest.raises(SystemExit) as exit_info:
            main(["lint", "src", "--format", "json", *args])
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), (json.loads(out) if out else None), err


def _by_rule(report: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        out.setdefault(f["ruleId"], []).append(f)
    return out


def test_used_config_suppression_marks_the_finding_external(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "suppress:\n"
        "  - rules: [legacy-role-size]\n"
        "    paths: ['src/*']\n"
        "    reason: capacity review in Q3\n"
    )
    code, report, err = _lint(repo, config, capsys)
    assert code == 1, err  # CSM128 (retired size, an error) still fails the run
    found = _by_rule(report)
    (legacy,) = found["CSM127"]
    assert legacy["suppression"]["kind"] == "external"
    assert legacy["suppression"]["justification"] == "capacity review in Q3"
    assert "CSM001" not in found


def test_unused_config_suppression_is_reported_at_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "failOn: never\n"
        "suppress:\n"
        "  - rules: [legacy-role-size]\n"
        "    reason: used\n"
        "  - rules: [CSM173]\n"
        "    paths: ['src/*']\n"
        "    reason: stale\n"
        "  - rules: [retired-roel-size]\n"
        "    reason: typo\n"
    )
    code, report, err = _lint(repo, config, capsys)
    assert code == 0, err
    unused = sorted(
        (f["location"]["file"], f["location"]["line"], f["message"])
        for f in _by_rule(report)["CSM001"]
    )
    assert unused == [
        (
            ".csmlint.yaml",
            5,
            "Configuration suppression of CSM173 matches no finding; remove it",
        ),
        (
            ".csmlint.yaml",
            8,
            "Configuration suppression names no known rule (retired-roel-size: did you "
            "mean 'retired-role-size'?); correct or remove it",
        ),
    ]


def test_suppression_of_a_rule_that_did_not_run_is_not_judged(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "suppress:\n  - rules: [CSM173]\n    reason: stale unless CSM173 runs\n"
    _, report, err = _lint(repo, config, capsys, "--ignore", "CSM173")
    assert "CSM001" not in _by_rule(report), err
    _, report, err = _lint(repo, config, capsys)
    assert [f["location"]["line"] for f in _by_rule(report)["CSM001"]] == [2], err


def test_config_settings_apply_and_the_command_line_wins(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, err = _lint(repo, "ignore: [CSM128]\nfailOn: warning\n", capsys)
    assert "CSM128" not in _by_rule(report) and "CSM127" in _by_rule(report)
    assert code == 1, err  # the CSM127 warning fails the run at failOn: warning
    code, _, err = _lint(repo, "ignore: [CSM128]\nfailOn: warning\n", capsys, "--fail-on", "never")
    assert code == 0, err


@pytest.mark.parametrize(
    ("config", "line", "text"),
    [
        ("select: [CSM127]\nfailon: error\n", 2, "unknown key 'failon'; did you mean 'failOn'?"),
        ("fail_on: error\n", 1, "unknown key 'fail_on'; did you mean 'failOn'?"),
        ("zzz: error\n", 1, "unknown key 'zzz'"),
        ("failOn: sometimes\n", 1, "failOn: 'sometimes' is not one of"),
        ("maxFileSize: 10\n", 1, "maxFileSize: 10 is less than the minimum of 1024"),
        ("suppress:\n  - rules: [CSM127]\n", 2, "suppress[0]: 'reason' is required"),
        ("suppress:\n  - rules: []\n    reason: x\n", 2, "suppress[0].rules"),
        ("select: CSM127\n", 1, "select: 'CSM127' is not of type 'array'"),
        ("select: [CSM127\n", 2, "did not find expected ',' or ']'"),
    ],
)
def test_config_mistakes_exit_2_with_file_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str], config: str, line: int, text: str
) -> None:
    code, report, err = _lint(repo, config, capsys)
    assert code == 2 and report is None
    (message,) = err.strip().splitlines()
    assert message.startswith(f"csmlint: error: .csmlint.yaml:{line}: "), message
    assert text in message
    assert "Traceback" not in err


GOOD = [
    {},
    {"select": ["CSM127", "files"], "ignore": [], "failOn": "note", "maxFileSize": 1024},
    {"include": ["**/*.cscfg"], "exclude": ["tmp/**"], "rules": ["packs"], "topology": ["t.json"]},
    {"targetVnet": "vnet-a", "suppress": [{"rules": ["CSM127"], "reason": "r", "paths": ["a"]}]},
    {"failOn": "blocked"},
]
BAD = [
    {"select": "CSM127"},
    {"select": [""]},
    {"select": [1]},
    {"failOn": "sometimes"},
    {"maxFileSize": 1023},
    {"maxFileSize": True},
    {"maxFileSize": "5MB"},
    {"targetVnet": ""},
    {"suppress": [{"rules": [], "reason": "r"}]},
    {"suppress": [{"rules": ["CSM127"]}]},
    {"suppress": [{"rules": ["CSM127"], "reason": "r", "why": "x"}]},
    {"suppress": {"rules": ["CSM127"], "reason": "r"}},
    {"other": 1},
]


@pytest.mark.parametrize("data", GOOD + BAD, ids=lambda d: json.dumps(d)[:60])
def test_quick_check_never_accepts_what_the_schema_rejects(data: dict[str, Any]) -> None:
    schema_ok = first_violation(data, "config.schema.json") is None
    quick_ok = _plainly_valid(data)
    assert not (quick_ok and not schema_ok)
    if data in GOOD:
        assert schema_ok and quick_ok  # valid files never pay for jsonschema
    else:
        assert not schema_ok


def test_quick_check_knows_every_key_of_the_schema() -> None:
    from importlib import resources

    schema = json.loads(
        resources.files("csmlint.schemas").joinpath("config.schema.json").read_text()
    )
    assert set(schema["properties"]) == KEYS


def test_explicit_config_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "missing.yaml"), str(tmp_path))
    assert "missing.yaml: no such file" in str(info.value)
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "folder.yaml"), str(tmp_path))
    assert "folder.yaml: is a folder, not a file" in str(info.value)
