"""The shipped pre-commit hooks, run by pre-commit itself: ``pre-commit try-repo`` of this
checkout in a throwaway git repository, for both hooks.

A staged `.cscfg` with a finding fails the hook and names it; the same file fixed passes.
Only the `.cscfg` is staged, and the finding (a reserved IP without an input endpoint)
needs its `.csdef` to be decided: csmlint reads that from disk.

Offline: pre-commit (from the test extra) builds the hook's environment from this checkout
with ``pip install .``; pip gets no index (``PIP_NO_INDEX``, no configuration files), builds
without isolation (hatchling is in the test extra) and finds the dependencies on
``PYTHONPATH``, which points at the test environment's packages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

pytest.importorskip("pre_commit")
if shutil.which("git") is None:  # pragma: no cover - git is on every CI image
    pytest.skip("git is not installed", allow_module_level=True)

SERVICE = FIXTURES / "services" / "named-alone"
CSCFG = "svc/ServiceConfiguration.Cloud.cscfg"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PIP_", "PRE_COMMIT"))}
    out.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PIP_NO_INDEX="1",
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_BUILD_ISOLATION="0",  # pip reads this "no-" switch inverted: 0 = no isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONPATH=sysconfig.get_paths()["purelib"],
        GIT_AUTHOR_NAME="csmlint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="csmlint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        NO_COLOR="1",
    )
    return out


@pytest.fixture()
def repo(tmp_path: Path, env: dict[str, str]) -> Path:
    shutil.copytree(SERVICE, tmp_path / "svc")
    _git(tmp_path, env, "init", "-q", ".")
    _git(tmp_path, env, "add", ".")
    _git(tmp_path, env, "commit", "-q", "-m", "the service as it is")
    return tmp_path


def _git(repo: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def _try_repo(repo: Path, env: dict[str, str], hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def _stage_cscfg(repo: Path, env: dict[str, str], fixed: bool) -> None:
    path = repo / CSCFG
    text = path.read_text().replace('<Instances count="2" />', '<Instances count="3" />')
    if fixed:
        text = re.sub(r"\s*<ReservedIPs>.*?</ReservedIPs>", "", text, flags=re.S)
    path.write_text(text)
    _git(repo, env, "add", CSCFG)
    staged = _git(repo, env, "diff", "--cached", "--name-only").split()
    assert staged == [CSCFG]  # only the .cscfg: its .csdef is on disk, not staged


@pytest.mark.parametrize("hook", ["csmlint", "csmlint-repo"])
def test_the_hook_fails_with_the_finding_and_passes_after_the_fix(
    repo: Path, env: dict[str, str], hook: str
) -> None:
    _stage_cscfg(repo, env, fixed=False)
    failed = _try_repo(repo, env, hook)
    report = failed.stdout + failed.stderr
    assert failed.returncode == 1, report
    assert re.search(r"\.+Failed", report), report
    # a cross-file finding: the reserved IP is in the .cscfg, the endpoints in the .csdef
    assert f"{CSCFG}:18:9: error CSM136 reserved-ip-without-endpoint" in report, report
    _stage_cscfg(repo, env, fixed=True)
    passed = _try_repo(repo, env, hook)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"\.+Passed", passed.stdout), passed.stdout
