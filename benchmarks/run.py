#!/usr/bin/env python3
"""Start-up and throughput benchmark for csmlint (standard library only).

    python benchmarks/run.py                       # N = 100, 1000, 5000; Markdown to stdout
    python benchmarks/run.py --sizes 100,1000 --runs 7 --out out/bench.md

What it measures, each command started as its own process, after warm-up runs:

* ``csmlint --version`` (interpreter + CLI start-up);
* ``csmlint lint`` on one small service (start-up + rule loading + one service);
* ``csmlint lint`` on synthetic estates of N services (``gen_estate.py estate``: a .csdef and
  a .cscfg per service), once with the default text report and once with ``--format json``
  to a file: wall and CPU time, files/s and MB/s, peak RSS.

Wall and CPU time and peak RSS come from ``os.wait4`` on each child: the per-child form of
``resource.getrusage(RUSAGE_CHILDREN)``, which only reports the maximum over all children
already waited for. Medians are shown with (min-max).

Bytecode: pip compiles ``.pyc`` files when csmlint is installed, but an editable install run
with ``PYTHONDONTWRITEBYTECODE=1`` recompiles csmlint's modules on every start. By default the
children get a private ``PYTHONPYCACHEPREFIX`` (and an untimed compile run) so that the figures
are those of an installed csmlint; ``--no-bytecode-cache`` measures the other case.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "gen_estate.py"
INPUT_SUFFIXES = (".csdef", ".cscfg", ".netcfg")


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mib: float
    code: int


@dataclass(frozen=True)
class Row:
    label: str
    samples: list[Sample]
    files: int = 0
    megabytes: float = 0.0

    def _stat(self, values: list[float]) -> str:
        median = statistics.median(values)
        return f"{median * 1000:,.0f} ({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"

    def cells(self) -> list[str]:
        walls = [s.wall for s in self.samples]
        cpus = [s.cpu for s in self.samples]
        rss = max(s.rss_mib for s in self.samples)
        cells = [self.label, self._stat(walls), self._stat(cpus), f"{rss:,.0f}"]
        if self.files:
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            cells += [
                f"{self.files / wall:,.0f}",
                f"{self.megabytes / wall:,.1f}",
                f"{self.files / cpu:,.0f}",
            ]
        else:
            cells += ["", "", ""]
        return cells


def _csmlint_command(given: str | None) -> list[str]:
    if given:
        return given.split()
    script = Path(sys.executable).parent / "csmlint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "csmlint"]


def _child_env(bytecode_cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    if bytecode_cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


def measure(argv: Sequence[str], env: dict[str, str], cwd: Path) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}:\n{err.decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


def repeat(
    argv: Sequence[str], env: dict[str, str], cwd: Path, runs: int, warmup: int
) -> list[Sample]:
    for _ in range(warmup):
        measure(argv, env, cwd)
    return [measure(argv, env, cwd) for _ in range(runs)]


def inputs_of(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def generate(work: Path, sizes: list[int]) -> dict[int, Path]:
    estates = {}
    for n in sizes:
        out = work / f"estate{n}"
        subprocess.run(
            [sys.executable, str(GENERATOR), "estate", str(out), str(n)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        estates[n] = out
    return estates


def _versions(csmlint: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([*csmlint, "--version"], env=env, capture_output=True, text=True)
    probe = (
        "import lxml.etree as e, yaml, sys; "
        "print('lxml', '.'.join(map(str, e.LXML_VERSION)), '(libxml2', "
        "'.'.join(map(str, e.LIBXML_VERSION)) + ')', '- PyYAML', yaml.__version__)"
    )
    libs = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return f"{out.stdout.strip()}; Python {platform.python_version()}; {libs.stdout.strip()}"


def table(rows: list[Row]) -> str:
    head = [
        "command",
        "wall ms",
        "CPU ms",
        "peak RSS MiB",
        "files/s (wall)",
        "MB/s (wall)",
        "files/s (CPU)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="estate sizes in services")
    parser.add_argument("--runs", type=int, default=7, help="timed runs for start-up commands")
    parser.add_argument("--estate-runs", type=int, default=3, help="timed runs per estate")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before each command")
    parser.add_argument("--csmlint", help="command to run (default: the csmlint beside python)")
    parser.add_argument("--out", help="write the Markdown here (default: standard output)")
    parser.add_argument("--keep", help="generate the estates in this folder and keep them")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="do not give the children a bytecode cache (see the module docstring)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    csmlint = _csmlint_command(args.csmlint)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="csmlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        cache = None if args.no_bytecode_cache else work / "pycache"
        env = _child_env(cache)
        estates = generate(work, sizes)
        smallest = estates[sizes[0]]
        one_service = next(p.parent for p in sorted(smallest.rglob("*.csdef")))
        measure([*csmlint, "lint", str(one_service)], env, work)  # compiles bytecode, untimed

        rows = [
            Row(
                "`csmlint --version`",
                repeat([*csmlint, "--version"], env, work, args.runs, args.warmup),
            ),
        ]
        files, mb = inputs_of(one_service)
        rows.append(
            Row(
                f"`csmlint lint` one service ({files} files, {mb * 1000:.0f} KB)",
                repeat([*csmlint, "lint", str(one_service)], env, work, args.runs, args.warmup),
            )
        )
        report = work / "report.json"
        for n, folder in estates.items():
            files, mb = inputs_of(folder)
            base = [*csmlint, "lint", str(folder), "--fail-on", "never"]
            for label, extra in (
                ("text", []),
                ("json", ["--format", "json", "--output", str(report)]),
            ):
                samples = repeat([*base, *extra], env, work, args.estate_runs, args.warmup)
                rows.append(
                    Row(f"N={n:,}: {files:,} files, {mb:.1f} MB, {label}", samples, files, mb)
                )

        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        text = "\n".join(
            [
                f"{_versions(csmlint, env)}; {os.cpu_count()} CPUs; load average {load}",
                f"bytecode cache: {'no' if cache is None else 'yes'}; "
                f"{args.runs} runs (estates: {args.estate_runs}) after {args.warmup} warm-up",
                "",
                table(rows),
                "",
            ]
        )
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(text, encoding="utf-8")
        sys.stdout.write(text)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
