"""``.pre-commit-hooks.yaml``: the hooks parse, their regexes pick the right files, and the
command pre-commit would run lints exactly the files it is given."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import run_cli
from conftest import FIXTURES, ROOT

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
LINTED = [
    "ServiceDefinition.csdef",
    "src/Contoso.Cloud/ServiceDefinition.csdef",
    "src/Contoso.Cloud/ServiceConfiguration.Cloud.cscfg",
    "deploy/ServiceConfiguration.Production.cscfg",
    "Azure Project #2/ServiceConfiguration.Cloud.cscfg",
    "SRC/LEGACY/SERVICEDEFINITION.CSDEF",
    "network/NetworkConfig.xml",
    "network/NetworkConfiguration.xml",
    "NetworkConfig.netcfg",
    "estate/prod.topology.json",
]
NOT_LINTED = [
    "src/Contoso.Cloud/ServiceConfiguration.Local.cscfg",
    "src/Contoso.Cloud/ServiceConfiguration.local.cscfg",
    "src/Contoso.Cloud/bin/Debug/ServiceConfiguration.cscfg",
    "src/Contoso.Cloud/obj/Release/ServiceDefinition.csdef",
    "bin/ServiceDefinition.csdef",
    "src/Contoso.Cloud/csx/Debug/ServiceDefinition.csdef",
    "src/Contoso.Cloud/local_package.csx/ServiceDefinition.csdef",
    "src/Contoso.Cloud/ServiceDefinition.build.csdef",
    "src/Contoso.Cloud/ServiceConfiguration.cscfg.orig",
    "network/NetworkConfig.txt",
    "network/MyNetworkConfig.xml",
    "web.config",
    "package.json",
    "estate/topology.json",
    "README.md",
]


def _hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return {h["id"]: h for h in data}


def _selected(hook: dict[str, Any], path: str) -> bool:
    """pre-commit's filter: ``re.search(files)`` and not ``re.search(exclude)``."""
    return bool(re.search(hook["files"], path)) and not re.search(hook.get("exclude", "^$"), path)


def test_hook_definition() -> None:
    hook = _hooks()["csmlint"]
    assert hook["entry"] == "csmlint lint"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True
    assert hook.get("types", ["file"]) == ["file"], "symlinks must not be passed (types: file)"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    scripts = pyproject.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    assert 'csmlint = "csmlint.cli:main"' in scripts, "the entry must be the installed script"
    repo = _hooks()["csmlint-repo"]
    assert repo["pass_filenames"] is False
    assert (repo["files"], repo["exclude"]) == (hook["files"], hook["exclude"])


@pytest.mark.parametrize("path", LINTED)
def test_hook_selects(path: str) -> None:
    assert _selected(_hooks()["csmlint"], path)


@pytest.mark.parametrize("path", NOT_LINTED)
def test_hook_skips(path: str) -> None:
    assert not _selected(_hooks()["csmlint"], path)


def test_the_hook_command_lints_exactly_the_passed_files(tmp_path: Path) -> None:
    """What pre-commit runs: ``csmlint lint [args] FILE...`` from the repository root."""
    service = tmp_path / "src" / "Reports"
    shutil.copytree(FIXTURES / "services" / "legacy-size", service)
    shutil.copyfile(
        service / "ServiceConfiguration.Cloud.cscfg", service / "ServiceConfiguration.Local.cscfg"
    )
    (service / "bin" / "Debug").mkdir(parents=True)
    (service / "bin" / "Debug" / "ServiceConfiguration.cscfg").write_bytes(b"<broken")
    staged = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    passed = [p for p in staged if _selected(_hooks()["csmlint"], p)]
    assert passed == [
        "src/Reports/ServiceConfiguration.Cloud.cscfg",
        "src/Reports/ServiceDefinition.csdef",
    ]
    hook_args = _hooks()["csmlint"]["entry"].split()[1:]
    result = run_cli(*hook_args, "--format", "json", "--fail-on", "warning", *passed, cwd=tmp_path)
    result.assert_clean_exit(1)
    report = result.json()
    assert report["files"] == passed
    assert {f["ruleId"] for f in report["findings"]} >= {"CSM127"}
