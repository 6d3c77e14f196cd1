"""The suite needs ../shared: without it the run stops with a message naming the folder and
the opt-out, instead of passing with silent skips (README, "Set up and run")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import NO_SHARED, ROOT, missing_shared


def test_a_missing_shared_folder_stops_the_run_unless_opted_out(tmp_path: Path) -> None:
    gone = tmp_path / "shared"
    problem = missing_shared(gone, opted_out=False)
    assert problem is not None and str(gone) in problem and f"{NO_SHARED}=1" in problem
    assert missing_shared(gone, opted_out=True) is None
    gone.mkdir()
    assert missing_shared(gone, opted_out=False) is None


def _pytest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """One small pytest run in a child (the catalogue test reads ../shared/design)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *args,
            "tests/test_catalog.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_pytest_fails_loudly_without_shared(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != NO_SHARED}
    env["CSMLINT_SHARED"] = str(tmp_path / "no-shared-here")
    stopped = _pytest(env, "--collect-only")
    assert stopped.returncode == 4, stopped.stdout + stopped.stderr
    assert "no-shared-here is missing" in stopped.stdout + stopped.stderr
    env[NO_SHARED] = "1"
    opted_out = _pytest(env, "-rs")
    assert opted_out.returncode == 0, opted_out.stdout
    assert "skipped" in opted_out.stdout and f"{NO_SHARED}=1" in opted_out.stdout
