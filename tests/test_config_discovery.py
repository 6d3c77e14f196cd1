"""Configuration discovery (nearest file up to the repository root, pyproject.toml),
``extends:``, ``--config``, ``--print-config`` and config errors at file:line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import run_main

NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"
CSDEF = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    f'<ServiceDefinition name="Litware.Web" xmlns="{NS}">\n'
    '  <WebRole name="Web" vmsize="Large" />\n'
    "</ServiceDefinition>\n"
)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    web = root / "src" / "Web"
    web.mkdir(parents=True)
    (web / "ServiceDefinition.csdef").write_text(CSDEF)
    return root


def _run(where: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_main(where, capsys, *args)


def _rules(out: str) -> list[str]:
    report: Any = json.loads(out)
    return sorted({f["ruleId"] for f in report["findings"] if "suppression" not in f})


def test_the_repository_config_applies_from_a_subfolder(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".csmlint.yaml").write_text("ignore: [CSM127]\n")
    _, out, err = _run(repo / "src" / "Web", capsys, "lint", ".", "-f", "json")
    assert "CSM127" not in _rules(out), err
    # the nearest file wins, and nothing is merged in silence
    (repo / "src" / "csmlint.yaml").write_text("select: [CSM127]\n")
    _, out, err = _run(repo / "src" / "Web", capsys, "lint", ".", "-f", "json")
    assert _rules(out) == ["CSM127"], err
    # a file above the repository root is not the repository's
    (repo / ".csmlint.yaml").unlink()
    (repo / "src" / "csmlint.yaml").unlink()
    (repo.parent / ".csmlint.yaml").write_text("ignore: [CSM127]\n")
    _, out, _ = _run(repo / "src" / "Web", capsys, "lint", ".", "-f", "json")
    assert "CSM127" in _rules(out)


def test_pyproject_tool_table_is_a_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.csmlint]\nfailOn = "never"\nselect = ["CSM127"]\n\n'
        '[[tool.csmlint.suppress]]\nrules = ["CSM127"]\npaths = ["src/Web/*"]\n'
        'reason = "sized on purpose"\nuntil = 2099-12-31\n'
    )
    (repo / "src" / "pyproject.toml").write_text(  # the words in a comment or a string only
        '[project]\nname = "no [tool.csmlint] table"\n# see [tool.csmlint] in ../pyproject.toml\n'
        'description = """\n  [ tool.csmlint ] is in a string\n"""\n'
    )
    code, out, err = _run(repo / "src" / "Web", capsys, "lint", ".", "-f", "json")
    report = json.loads(out)
    (f,) = report["findings"]
    assert code == 0 and f["suppression"]["justification"] == "sized on purpose", err
    assert f["suppression"]["until"] == "2099-12-31"
    (repo / "pyproject.toml").write_text('[tool.csmlint]\nfailOn = "never"\nignore = ["CSM1277"]\n')
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2
    assert err.strip() == (
        "csmlint: error: pyproject.toml:3: ignore: unknown rule, rule name or pack 'CSM1277'; "
        "did you mean 'CSM127'? (see `csmlint rules`)"
    )
    (repo / "pyproject.toml").write_text('tool.csmlint.ignore = ["CSM1277"]\n')  # dotted keys
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2 and "unknown rule, rule name or pack 'CSM1277'" in err, err
    (repo / "pyproject.toml").write_text('[tool.csmlint]\nfailOn = "never"\nselect = [1,\n')
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2 and err.startswith("csmlint: error: pyproject.toml:3: "), err
    # named by --config, a pyproject.toml without the table is a mistake, not "no settings"
    code, _, err = _run(repo, capsys, "lint", "src", "--config", "src/pyproject.toml")
    assert code == 2, err
    assert err.strip() == "csmlint: error: src/pyproject.toml:1: has no [tool.csmlint] table"


def test_extends_inherits_explicitly_and_keys_set_here_win(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "base.yaml").write_text("failOn: never\nignore: [CSM118]\nselect: [files]\n")
    (repo / ".csmlint.yaml").write_text("extends: ci/base.yaml\nignore: [CSM127]\n")
    code, out, err = _run(repo, capsys, "lint", "src", "--print-config")
    assert code == 0, err
    lines = {line.split(":", 1)[0]: line for line in out.splitlines() if not line.startswith("#")}
    assert lines["failOn"].startswith('failOn: "never"') and "# ci/base.yaml:1" in lines["failOn"]
    assert (
        lines["ignore"].startswith('ignore: ["CSM127"]') and "# .csmlint.yaml:2" in lines["ignore"]
    )
    assert "# ci/base.yaml:3" in lines["select"]
    assert "#   extends: ci/base.yaml" in out
    code, out, _ = _run(repo, capsys, "lint", "src", "-f", "json")
    assert code == 0 and "CSM127" not in _rules(out)
    (repo / "ci" / "base.yaml").write_text("extends: ../.csmlint.yaml\n")
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2 and err.startswith("csmlint: error: ci/base.yaml:1: extends: "), err
    assert "cycle" in err


def test_config_option_overrides_discovery_and_print_config_names_origins(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".csmlint.yaml").write_text("failOn: never\n")
    (repo / "strict.yaml").write_text("failOn: warning\nmaxFileSize: 2048\n")
    code, _, _ = _run(repo, capsys, "lint", "src")
    assert code == 0
    code, _, _ = _run(repo, capsys, "lint", "src", "--config", "strict.yaml")
    assert code == 1
    code, out, _ = _run(
        repo, capsys, "lint", "src", "--config", "strict.yaml", "--print-config",
        "--ignore", "CSM118", "--fail-on", "error",
    )  # fmt: skip
    assert code == 0
    assert "# configuration file: strict.yaml" in out
    rows = {line.split(":", 1)[0]: line.rsplit("# ", 1)[1] for line in out.splitlines()[2:]}
    assert rows["failOn"] == "--fail-on"
    assert rows["maxFileSize"] == "strict.yaml:2"
    assert rows["ignore"] == "--ignore"
    assert rows["targetVnet"] == "default"


def test_config_errors_name_the_file_and_line_never_a_flag(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".csmlint.yaml").write_text(
        "failOn: warning\nignore:\n  - CSM127\n  - legacy-role-sise\n"
    )
    code, _, err = _run(repo / "src" / "Web", capsys, "lint", ".")
    assert code == 2
    shown = os.path.join(str(repo), ".csmlint.yaml")
    assert err.startswith(f"csmlint: error: {shown}:4: ignore: unknown rule"), err
    assert "did you mean 'legacy-role-size'?" in err and "--ignore" not in err
    # the same mistake on the command line is reported by its flag
    (repo / ".csmlint.yaml").write_text("failOn: warning\n")
    code, _, err = _run(repo, capsys, "lint", "src", "--select", "CSM12")
    assert code == 2 and err.startswith("csmlint: error: --select: unknown rule"), err
    (repo / ".csmlint.yaml").write_text("rules: [../../outside]\n")
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2 and err.startswith("csmlint: error: .csmlint.yaml:1: rules: "), err
    assert "outside the repository" in err


def test_a_discovered_config_that_links_out_of_the_repository_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "elsewhere.yaml").write_text("failOn: never\n")
    (repo / ".csmlint.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    code, _, err = _run(repo, capsys, "lint", "src")
    assert code == 2 and err.startswith("csmlint: error: .csmlint.yaml: a symbolic link"), err


def test_paths_under_different_configurations_are_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = repo / "src" / "Api"
    api.mkdir()
    (api / "ServiceDefinition.csdef").write_text(CSDEF.replace("Litware.Web", "Litware.Api"))
    (api / ".csmlint.yaml").write_text("failOn: never\n")
    (repo / ".csmlint.yaml").write_text("failOn: warning\n")
    code, _, err = _run(repo, capsys, "lint", "src/Web", "src/Api")
    assert code == 2 and "different configurations" in err, err
    assert "src/Web -> .csmlint.yaml" in err and "src/Api -> src/Api/.csmlint.yaml" in err


def test_globs_are_relative_to_the_configuration_folder(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".csmlint.yaml").write_text(
        "select: [CSM127]\nsuppress:\n  - rules: [CSM127]\n    paths: ['src/Web/*.csdef']\n"
        "    reason: sized on purpose\n"
    )
    for where, path in ((repo, "src"), (repo / "src" / "Web", "."), (repo / "src", "Web")):
        _code, out, err = _run(where, capsys, "lint", path, "-f", "json")
        report = json.loads(out)
        assert [f["ruleId"] for f in report["findings"] if "suppression" in f] == ["CSM127"], (
            where,
            err,
        )
