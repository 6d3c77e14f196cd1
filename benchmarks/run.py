#!/usr/bin/env python3
"""Start-up and throughput benchmark for csmlint (standard library only).

    python benchmarks/run.py                       # N = 1000, 5000; Markdown to stdout
    python benchmarks/run.py --sizes 100,1000 --runs 7 --out out/bench.md

What it measures, each command started as its own process, after warm-up runs:

Every figure stands next to its floor, measured in the same run with the same interpreter:
``import lxml.etree, yaml`` for start-up; one process that starts, imports both parsers and
parses every input file once with lxml for linting files; ``json.loads`` of the same bytes
for a topology document. A second table compares the ratios with the targets.

* ``csmlint --version`` and ``csmlint rules`` (interpreter + CLI start-up, rule loading);
* ``csmlint lint`` on one small service (start-up + rule loading + one service);
* ``csmlint lint`` on synthetic estates of N services (``gen_estate.py estate``: a .csdef and
  a .cscfg per service), once with the default text report and once with ``--format json``
  to a file: wall and CPU time, files/s and MB/s, peak RSS;
* a synthetic topology document (``topology_doc.py``) of about 5 MB;
* the SARIF and HTML reporters on 10,000 findings (in-process render time and size).

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
from typing import Any

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
    floor: list[Sample] | None = None
    """The same work's physical floor, measured in the same run (see :data:`FLOORS`)."""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.wall / statistics.median(s.wall for s in self.floor)

    def _stat(self, values: list[float]) -> str:
        median = statistics.median(values)
        return f"{median * 1000:,.0f} ({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"

    def cells(self) -> list[str]:
        walls = [s.wall for s in self.samples]
        cpus = [s.cpu for s in self.samples]
        rss = max(s.rss_mib for s in self.samples)
        floor = self._stat([s.wall for s in self.floor]) if self.floor else ""
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else ""
        floor_rss = f"{max(s.rss_mib for s in self.floor):,.0f}" if self.floor else ""
        cells = [
            self.label,
            self._stat(walls),
            floor,
            ratio,
            self._stat(cpus),
            f"{rss:,.0f}",
            floor_rss,
        ]
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


FLOOR_IMPORT = "import lxml.etree, yaml"
"""The floor of a start: the interpreter and the two parsers csmlint cannot do without."""
FLOOR_PARSE = (
    "import sys, lxml.etree, yaml\n"
    "for path in open(sys.argv[1], encoding='utf-8').read().splitlines():\n"
    "    with open(path, 'rb') as fh:\n"
    "        lxml.etree.fromstring(fh.read())\n"
)
"""The floor of linting files: start, import, and parse every file once with lxml."""
FLOOR_JSON = "import json, sys\nwith open(sys.argv[1], 'rb') as fh:\n    json.loads(fh.read())\n"
REPORTS = (
    "import json, sys, time\n"
    "from csmlint.engine import RunOptions, run\n"
    "from csmlint.findings.finding import ReportContext\n"
    "from csmlint.reporting import get_reporter\n"
    "result, rules = run(RunOptions(paths=[sys.argv[1]], cwd=sys.argv[1]))\n"
    "result.findings = result.findings[: int(sys.argv[2])]\n"
    "import gc; gc.freeze()  # as csmlint lint does before it renders\n"
    "ctx = ReportContext(version='bench', cwd=sys.argv[1], source_root=sys.argv[1])\n"
    "out = {'findings': len(result.findings)}\n"
    "for fmt in ('sarif', 'html'):\n"
    "    start = time.perf_counter()\n"
    "    text = get_reporter(fmt)(result, rules, ctx)\n"
    "    out[fmt] = [time.perf_counter() - start, len(text.encode('utf-8'))]\n"
    "print(json.dumps(out))\n"
)
"""Times the SARIF and HTML reporters in-process on the first N findings of an estate."""


def _csmlint_command(given: str | None) -> list[str]:
    if given:
        return given.split()
    script = Path(sys.executable).parent / "csmlint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "csmlint"]


def _child_env(
    bytecode_cache: Path | None, rule_cache: Path | None, pool: bool = True
) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("CSMLINT_POOL_MIN_FILES", None)
    if bytecode_cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    if rule_cache is not None:  # a private prepared-pack cache, filled by the warm-up run
        env.pop("CSMLINT_NO_CACHE", None)
        env["XDG_CACHE_HOME"] = str(rule_cache)
    else:
        env["CSMLINT_NO_CACHE"] = "1"
    if not pool:
        env["CSMLINT_POOL_MIN_FILES"] = "0"
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
        "floor ms",
        "ratio",
        "CPU ms",
        "peak RSS MiB",
        "floor RSS MiB",
        "files/s (wall)",
        "MB/s (wall)",
        "files/s (CPU)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def _file_list(folder: Path, work: Path) -> Path:
    listing = work / f"{folder.name}.files"
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES)
    listing.write_text("\n".join(str(p) for p in paths) + "\n", encoding="utf-8")
    return listing


def _reports(env: dict[str, str], work: Path, folder: Path, findings: int) -> dict[str, Any] | None:
    """SARIF and HTML render time and size for ``findings`` findings (in-process)."""
    import json

    out = subprocess.run(
        [sys.executable, "-c", REPORTS, str(folder), str(findings)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        return None
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _pool_note(off: bool) -> str:
    """How the runs load files: in one process, or with the worker pool above its
    threshold (the pool also stays off while no core is idle)."""
    if off:
        return "off (--no-pool)"
    try:
        from csmlint.loaders.files.batch import POOL_MIN_FILES
    except ImportError:  # run with another interpreter than csmlint's
        return "on above its threshold, when a core is idle"
    return f"on from {POOL_MIN_FILES:,} files, when a core is idle"


def targets(rows: dict[str, Row], reports: dict[str, Any] | None, sizes: list[int]) -> str:
    """The issue's targets next to what this run measured (ratios, never timed tests)."""
    lines = ["| target | measured | met |", "|---|---|---|"]

    def add(name: str, value: str, ok: bool | None) -> None:
        lines.append(f"| {name} | {value} | {'' if ok is None else ('yes' if ok else 'no')} |")

    for key, limit in (("version", 1.0), ("one", 1.5)):
        row = rows.get(key)
        if row is not None and row.ratio is not None:
            add(f"{row.label} <= {limit}x its floor", f"{row.ratio:.2f}x", row.ratio <= limit)
    for n in sizes:
        row = rows.get(f"json{n}")
        if row is not None and row.ratio is not None and n >= 1000:
            add(f"N={n:,} json <= 3.0x the parse-only floor", f"{row.ratio:.2f}x", row.ratio <= 3.0)
    big, small = rows.get("json5000"), rows.get("json1000")
    if big is not None and small is not None:
        scale = big.wall / small.wall
        add("N=5,000 / N=1,000 wall <= 5.5", f"{scale:.2f}", scale <= 5.5)
    if big is not None:
        rss = max(s.rss_mib for s in big.samples)
        add("peak RSS at N=5,000 (json) <= 300 MB", f"{rss:,.0f} MiB", rss * 1.048576 <= 300)
    topo = rows.get("topology")
    if topo is not None and topo.ratio is not None:
        add("5 MB topology <= 8x json.loads", f"{topo.ratio:.1f}x", topo.ratio <= 8.0)
    if reports:
        n = int(reports["findings"])
        judged = n >= 10_000  # the targets are set for 10,000 findings: fewer prove nothing
        short = "" if judged else f" (only {n:,} findings: not judged)"
        for fmt in ("sarif", "html"):
            secs = reports[fmt][0]
            add(
                f"{fmt.upper()} of 10,000 findings <= 1.5 s",
                f"{secs:.2f} s{short}",
                secs <= 1.5 if judged else None,
            )
        add(
            "HTML of 10,000 findings <= 3 MB",
            f"{reports['html'][1]:,} bytes{short}",
            reports["html"][1] <= 3e6 if judged else None,
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="estate sizes in services")
    parser.add_argument("--runs", type=int, default=7, help="timed runs for start-up commands")
    parser.add_argument("--estate-runs", type=int, default=3, help="timed runs per estate")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before each command")
    parser.add_argument("--topology-mb", type=float, default=5.0, help="topology document size")
    parser.add_argument("--report-findings", type=int, default=10_000, help="findings rendered")
    parser.add_argument("--csmlint", help="command to run (default: the csmlint beside python)")
    parser.add_argument("--out", help="write the Markdown here (default: standard output)")
    parser.add_argument("--keep", help="generate the estates in this folder and keep them")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="do not give the children a bytecode cache (see the module docstring)",
    )
    parser.add_argument(
        "--no-rule-cache",
        action="store_true",
        help="run csmlint with CSMLINT_NO_CACHE=1 (rule packs parsed on every start)",
    )
    parser.add_argument(
        "--no-pool",
        action="store_true",
        help="load in one process (CSMLINT_POOL_MIN_FILES=0)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    csmlint = _csmlint_command(args.csmlint)
    python = [sys.executable, "-c"]

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="csmlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        cache = None if args.no_bytecode_cache else work / "pycache"
        rule_cache = None if args.no_rule_cache else work / "xdg-cache"
        env = _child_env(cache, rule_cache, pool=not args.no_pool)
        estates = generate(work, sizes)
        smallest = estates[sizes[0]]
        one_service = next(p.parent for p in sorted(smallest.rglob("*.csdef")))
        measure([*csmlint, "lint", str(one_service)], env, work)  # compiles bytecode, untimed

        def timed(argv: Sequence[str], runs: int) -> list[Sample]:
            return repeat(argv, env, work, runs, args.warmup)

        rows: dict[str, Row] = {}
        rows["version"] = Row(
            "`csmlint --version`",
            timed([*csmlint, "--version"], args.runs),
            floor=timed([*python, FLOOR_IMPORT], args.runs),
        )
        rows["rules"] = Row(
            "`csmlint rules`",
            timed([*csmlint, "rules"], args.runs),
            floor=timed([*python, FLOOR_IMPORT], args.runs),
        )
        files, mb = inputs_of(one_service)
        listing = _file_list(one_service, work)
        rows["one"] = Row(
            f"`csmlint lint --format json` one service ({files} files, {mb * 1000:.0f} KB)",
            timed([*csmlint, "lint", str(one_service), "--format", "json"], args.runs),
            floor=timed([*python, FLOOR_PARSE, str(listing)], args.runs),
        )
        report = work / "report.json"
        for n, folder in estates.items():
            files, mb = inputs_of(folder)
            listing = _file_list(folder, work)
            floor = timed([*python, FLOOR_PARSE, str(listing)], args.estate_runs)
            base = [*csmlint, "lint", str(folder), "--fail-on", "never"]
            for label, extra in (
                ("text", []),
                ("json", ["--format", "json", "--output", str(report)]),
            ):
                rows[f"{label}{n}"] = Row(
                    f"N={n:,}: {files:,} files, {mb:.1f} MB, {label}",
                    timed([*base, *extra], args.estate_runs),
                    files,
                    mb,
                    floor=floor,
                )
        topology = work / "estate.topology.json"
        sys.path.insert(0, str(HERE))
        from topology_doc import render

        topology.write_text(render(args.topology_mb), encoding="utf-8")
        size = topology.stat().st_size / 1e6
        rows["topology"] = Row(
            f"topology document, {size:.1f} MB, `--format json`",
            timed(
                [
                    *csmlint,
                    "lint",
                    "--topology",
                    str(topology),
                    str(topology),
                    "--fail-on",
                    "never",
                    "--format",
                    "json",
                    "--output",
                    str(report),
                ],
                args.estate_runs,
            ),
            floor=timed([*python, FLOOR_JSON, str(topology)], args.estate_runs),
        )
        reports = _reports(env, work, estates[sizes[-1]], args.report_findings)

        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        text = "\n".join(
            [
                f"{_versions(csmlint, env)}; {os.cpu_count()} CPUs; load average {load}",
                f"bytecode cache: {'no' if cache is None else 'yes'}; "
                f"rule-pack cache: {'no' if rule_cache is None else 'yes'}; "
                f"load pool: {_pool_note(args.no_pool)}; "
                f"{args.runs} timed runs per start-up command, {args.estate_runs} per estate "
                f"and topology, each after {args.warmup} warm-up run(s)",
                "",
                table(list(rows.values())),
                "",
                targets(rows, reports, sizes),
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
