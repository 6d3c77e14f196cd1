#!/usr/bin/env python3
"""Where csmlint's time goes (standard library only).

    python benchmarks/profile.py imports [PATH]     # -X importtime of `csmlint lint`, by package
    python benchmarks/profile.py phases PATH        # time per phase of one lint, in-process
    python benchmarks/profile.py cprofile PATH [-n 25]  # cProfile of `csmlint lint --format json`

``imports`` and ``cprofile`` run csmlint in a child process; ``phases`` times the engine's
steps by wrapping them (discovery, rule loading, loading files, assembling, evaluating,
reporting). Run with the same interpreter as csmlint (``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "csmlint-pycache"))
    return env


def imports(target: str) -> None:
    argv = [sys.executable, "-X", "importtime", "-m", "csmlint", "lint", target]
    subprocess.run(argv, env=_env(), capture_output=True)  # warm the bytecode cache
    err = subprocess.run(argv, env=_env(), capture_output=True, text=True).stderr
    self_us: dict[str, int] = defaultdict(int)
    for line in err.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        _, own, _, name = _fields(line)
        parts = name.split(".")
        key = ".".join(parts[:2]) if parts[0] == "csmlint" else parts[0]
        self_us[key] += int(own)
    total = sum(self_us.values())
    print(f"all imports: {total / 1000:.0f} ms (self time, summed by package)")
    for key, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {us / 1000:7.1f} ms  {key}")


def _fields(line: str) -> tuple[str, str, str, str]:
    own, cumulative, name = line.removeprefix("import time:").split("|")
    return "", own.strip(), cumulative.strip(), name.strip()


def phases(target: str) -> None:
    if "PYTHONDONTWRITEBYTECODE" in os.environ:  # measure csmlint as installed (with .pyc)
        argv = [sys.executable, __file__, "phases", target]
        raise SystemExit(subprocess.run(argv, env=_env(), check=False).returncode)
    t0 = time.perf_counter()
    import csmlint.cli  # noqa: F401  (what every run imports first)

    t1 = time.perf_counter()
    from csmlint import engine
    from csmlint.findings.finding import ReportContext
    from csmlint.reporting import get_reporter

    t2 = time.perf_counter()
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name in ("load_rules", "discover", "_load", "assemble", "evaluate"):
        setattr(engine, name, timed(name, getattr(engine, name)))
    pool = engine.prefetch

    def waited(*args, **kwargs):  # type: ignore[no-untyped-def]
        """The load pool's results, with the time spent waiting for each."""
        it = pool(*args, **kwargs)
        if it is None:
            return None

        def each():  # type: ignore[no-untyped-def]
            while True:
                start = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    spent["pool"] += time.perf_counter() - start
                yield item

        return each()

    engine.prefetch = waited
    start = time.perf_counter()
    result, rules = engine.run(engine.RunOptions(paths=[target]))
    total_run = time.perf_counter() - start
    start = time.perf_counter()
    text = get_reporter("json")(result, rules, ReportContext(version="profile"))
    spent["render json"] = time.perf_counter() - start
    start = time.perf_counter()
    get_reporter("text")(result, rules, ReportContext(version="profile"))
    spent["render text"] = time.perf_counter() - start
    print(f"import csmlint.cli (typer): {1000 * (t1 - t0):.0f} ms")
    print(f"import engine, findings, reporting: {1000 * (t2 - t1):.0f} ms")
    print(f"engine.run: {1000 * total_run:.0f} ms, of which:")
    names = {
        "_load": "read + parse + build model (in this process)",
        "pool": "waiting for the load pool (read + parse + build on both cores)",
    }
    steps = ("load_rules", "discover", "pool", "_load", "assemble", "evaluate")
    for name in steps:
        print(f"  {1000 * spent[name]:8.0f} ms  {names.get(name, name)}")
    rest = total_run - sum(spent[n] for n in steps)
    print(f"  {1000 * rest:8.0f} ms  suppressions, fingerprints, sorting, excerpts, readiness")
    print(f"render json: {1000 * spent['render json']:.0f} ms ({len(text) / 1e6:.1f} MB)")
    print(f"render text: {1000 * spent['render text']:.0f} ms")
    print(f"{len(result.files)} files, {len(result.findings)} findings, {len(rules)} rules")


def cprofile(target: str, top: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "lint.prof"
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(stats),
                "-m",
                "csmlint",
                "lint",
                target,
                "--format",
                "json",
                "--output",
                str(report),
                "--fail-on",
                "never",
            ],
            env=_env(),
            check=True,
        )
        import pstats

        p = pstats.Stats(str(stats))
        p.sort_stats("cumulative").print_stats(r"csmlint|json/encoder", top)
        p.sort_stats("tottime").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("imports").add_argument("path", nargs="?", default=".")
    sub.add_parser("phases").add_argument("path")
    c = sub.add_parser("cprofile")
    c.add_argument("path")
    c.add_argument("-n", type=int, default=25)
    args = parser.parse_args()
    if args.command == "imports":
        imports(args.path)
    elif args.command == "phases":
        phases(args.path)
    else:
        cprofile(args.path, args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
