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
            "--topology-mb",
            "0.05",
            "--report-findings",
            "50",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "| command | wall ms | floor ms | ratio | CPU ms | peak RSS MiB |" in out
    first_table = out.split("| target |")[0]
    rows = [
        line
        for line in first_table.splitlines()
        if line.startswith("| `csmlint") or "| N=3" in line
    ]
    assert len(rows) == 5, out  # --version, rules, one service, N=3 text and json
    assert "| N=3: 6 files" in out
    assert "| topology document, 0.1 MB" in out or "| topology document, 0.0 MB" in out
    # every timed row has its floor and ratio; the targets table follows
    assert all(line.split("|")[4].strip().endswith("x") for line in rows), out
    assert "| target | measured | met |" in out
    assert "| SARIF of " in out and "| HTML of " in out


def test_ab_py_compares_two_commands_with_the_floor() -> None:
    csmlint = f"{sys.executable} -m csmlint"  # the same csmlint on both sides: it still runs
    out = subprocess.run(
        [sys.executable, str(BENCH / "ab.py"), "--old", csmlint, "--new", csmlint, "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    rows = [line.split()[0] for line in out.splitlines()]
    assert rows == ["floor", "old", "new"], out
    assert "1.00x (median)" in out.splitlines()[0]


def test_ab_py_times_a_topology_document_against_json_loads() -> None:
    csmlint = f"{sys.executable} -m csmlint"
    topology = ROOT / "fixtures" / "examples" / "northwind" / "topology" / "northwind.topology.json"
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "ab.py"),
            "--old",
            csmlint,
            "--new",
            csmlint,
            "--runs",
            "1",
            "--topology",
            str(topology),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert [line.split()[0] for line in out.splitlines()] == ["floor", "old", "new"], out
