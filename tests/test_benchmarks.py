"""The benchmark tools keep working (no timing is asserted here: see docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, shared_path

BENCH = ROOT / "benchmarks"
HEADER_LINES = 5  # shebang + the four provenance comment lines


def test_generator_is_an_unchanged_copy() -> None:
    original = shared_path("tools", "gen_estate.py").read_text(encoding="utf-8").splitlines()
    copy = (BENCH / "gen_estate.py").read_text(encoding="utf-8").splitlines()
    assert copy[0] == original[0] == "#!/usr/bin/env python3"
    assert all(line.startswith("# ") for line in copy[1:HEADER_LINES])
    assert copy[HEADER_LINES:] == original[1:], "re-copy ../shared/tools/gen_estate.py"


def test_run_py_produces_the_table() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "3",
            "--runs",
            "1",
            "--estate-runs",
            "1",
            "--warmup",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "| command | wall ms | CPU ms | peak RSS MiB |" in out
    rows = [line for line in out.splitlines() if line.startswith("| `csmlint") or "N=3" in line]
    assert len(rows) == 4, out
    assert "| N=3: 6 files" in out
