"""Files named on their own (the pre-commit hook's case): a `.cscfg` is paired with its
`.csdef` from disk and the reverse, so cross-file rules still run; only the named files'
findings are listed; generated `*.build.csdef` copies are skipped like build output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clirun import run_cli
from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import RunResult

SERVICE = FIXTURES / "services" / "named-alone"
CSCFG = "svc/ServiceConfiguration.Cloud.cscfg"
CSDEF = "svc/ServiceDefinition.csdef"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(SERVICE, tmp_path / "svc")
    return tmp_path


def _lint(repo: Path, *paths: str) -> RunResult:
    result, _ = run(RunOptions(paths=list(paths), cwd=str(repo), excerpts=False))
    return result


def _rules_by_file(result: RunResult) -> set[tuple[str, str]]:
    return {(f.rule_id, f.location.path) for f in result.findings}


def test_a_cscfg_named_alone_gets_its_csdef_for_cross_file_rules(repo: Path) -> None:
    result = _lint(repo, CSCFG)
    # reserved IP in the .cscfg, no input endpoint in the .csdef: needs both files
    assert ("CSM136", CSCFG) in _rules_by_file(result)
    assert CSDEF in result.files
    # the .csdef's own finding (QueueWorker has no vmsize, so Small) is not listed ...
    assert all(f.location.path == CSCFG for f in result.findings), _rules_by_file(result)
    assert any(CSDEF in n and "not listed" in n for n in result.notifications)
    # ... and readiness still sees everything
    [service] = result.services
    assert (service.readiness, service.unit) == ("blocked", "vnet:fabrikam-vnet")


def test_a_csdef_named_alone_gets_its_deployable_cscfg(repo: Path) -> None:
    result = _lint(repo, CSDEF)
    assert {rule for rule, _ in _rules_by_file(result)} >= {"CSM127"}
    assert all(f.location.path == CSDEF for f in result.findings), _rules_by_file(result)
    # the unit comes from the .cscfg's VirtualNetworkSite, and the blocker in the .cscfg
    # (CSM136) keeps the verdict honest although it is not listed
    [service] = result.services
    assert (service.readiness, service.unit) == ("blocked", "vnet:fabrikam-vnet")
    assert "svc/ServiceConfiguration.Local.cscfg" not in result.files  # emulator only


def test_without_a_partner_on_disk_nothing_is_invented(repo: Path) -> None:
    (repo / CSDEF).unlink()
    (repo / "svc" / "ServiceDefinition.build.csdef").unlink()
    result = _lint(repo, CSCFG)
    assert result.files == [CSCFG]
    assert ("CSM136", CSCFG) not in _rules_by_file(result)  # unknown, not false


def test_a_partner_of_another_service_is_not_taken(repo: Path) -> None:
    other = (repo / CSDEF).read_text().replace('name="fabrikam-api"', 'name="other-service"')
    (repo / CSDEF).write_text(other)
    result = _lint(repo, CSCFG)
    assert CSDEF not in result.files


def test_both_named_lists_the_findings_of_both(repo: Path) -> None:
    result = _lint(repo, CSCFG, CSDEF)
    files = {path for _, path in _rules_by_file(result)}
    assert files == {CSCFG, CSDEF}
    assert not result.notifications


def test_build_generated_csdef_is_skipped_by_default_and_said_under_verbose(repo: Path) -> None:
    quiet = run_cli("lint", "svc", "--format", "json", "--fail-on", "never", cwd=repo)
    quiet.assert_clean_exit(0)
    assert "svc/ServiceDefinition.build.csdef" not in quiet.json()["files"]
    assert quiet.stderr == ""
    verbose = run_cli("lint", "svc", "--fail-on", "never", "-v", cwd=repo)
    assert "skipped svc/ServiceDefinition.build.csdef: excluded by *.build.csdef" in (
        verbose.stderr.splitlines()
    )
    # the generated copy (vmsize ExtraSmall) would be a second fabrikam-api otherwise
    assert [s["name"] for s in quiet.json()["cloudServices"]] == ["fabrikam-api"]
    back = run_cli(
        "lint", "svc", "--format", "json", "--fail-on", "never", "--no-default-excludes", cwd=repo
    )
    assert "svc/ServiceDefinition.build.csdef" in back.json()["files"]


def test_a_folder_without_inputs_is_a_warning(repo: Path) -> None:
    (repo / "docs").mkdir()
    (repo / "docs" / "README.md").write_text("# nothing to lint here\n")
    out = run_cli("lint", "docs", "svc", "--fail-on", "never", cwd=repo)
    out.assert_clean_exit(0)
    assert "csmlint: warning: docs: no .csdef, .cscfg" in out.stderr
    assert "svc" not in out.stderr
