#!/usr/bin/env python3
"""Interleaved A/B of one-service start-up, an estate or a topology (standard library only).

    python benchmarks/ab.py --old /path/to/old/.venv/bin/csmlint [--runs 30] [FOLDER]
    python benchmarks/ab.py --old ... --topology estate.topology.json [--runs 5]

``FOLDER`` is one service (the default) or a whole estate (its floor parses every file);
``--topology`` times a topology document against ``json.loads`` of its bytes.

Runs the floor (``import lxml.etree, yaml`` and parse the service's two files), the old
csmlint and the new one (the ``csmlint`` beside this Python) one after the other, ``--runs``
times, and prints each one's median and minimum wall time and its ratio to the floor.
Interleaving puts all three in the same moment of the machine: the floor of this machine
class moves by half within an evening, so two separate benchmark runs cannot tell a 5 %
change from the hour (docs/performance.md, "How to read this page"). The old csmlint is
typically a worktree of an earlier commit with its own virtual environment.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICE = HERE.parent / "fixtures" / "services" / "modern"


def _wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.waitpid(proc.pid, 0)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("service", nargs="?", default=str(SERVICE), help="a service folder")
    parser.add_argument("--old", required=True, help="the csmlint command to compare with")
    parser.add_argument("--new", default=str(Path(sys.executable).parent / "csmlint"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--topology",
        metavar="FILE",
        help="time a topology document instead (floor: json.loads of its bytes)",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: with the bytecode cache
    if args.topology:
        floor = "import sys, json\njson.loads(open(sys.argv[1], 'rb').read())\n"
        lint = ["lint", "--topology", args.topology, args.topology, "--fail-on", "never"]
        files = [args.topology]
    else:
        floor = "import sys, lxml.etree, yaml\nfor p in sys.argv[1:]: lxml.etree.parse(p)\n"
        lint = ["lint", "--fail-on", "never", args.service]
        suffixes = (".csdef", ".cscfg")
        files = sorted(str(p) for p in Path(args.service).rglob("*") if p.suffix in suffixes)
    commands = {
        "floor": [sys.executable, "-c", floor, *files],
        "old": [*args.old.split(), *lint, "--format", "json", "--output", os.devnull],
        "new": [*args.new.split(), *lint, "--format", "json", "--output", os.devnull],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the bytecode and rule caches
        _wall(argv, env)
    for _ in range(args.runs):
        for name, argv in commands.items():
            times[name].append(_wall(argv, env))
    base_median = statistics.median(times["floor"])
    base_min = min(times["floor"])
    for name, walls in times.items():
        median, low = statistics.median(walls), min(walls)
        print(
            f"{name:5s} median {1000 * median:7.1f} ms  min {1000 * low:7.1f} ms  "
            f"ratio {median / base_median:4.2f}x (median)  {low / base_min:4.2f}x (min)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
