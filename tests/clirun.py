"""Run the csmlint CLI in a child process, with limits, and look at what it did.

Every run gets an address-space limit (``RLIMIT_AS`` in ``preexec_fn``), a wall-clock
timeout and its own peak RSS (``os.wait4``). ``audit=True`` runs the CLI behind a Python
audit hook that reports process creation and socket use on stderr (``AUDIT-EVENT <name>``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYCACHE = os.path.join(tempfile.gettempdir(), f"csmlint-test-pycache-{os.getuid()}")
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space (reliability.md section 8)
TRACEBACK = "Traceback (most recent call last)"
AUDITED_EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "urllib.Request",
    "webbrowser.open",
)
_AUDIT_MAIN = f"""
import os, sys
_WATCH = frozenset({AUDITED_EVENTS!r})
def _hook(event, args):
    if event in _WATCH:
        os.write(2, ("\\nAUDIT-EVENT " + event + "\\n").encode())
sys.addaudithook(_hook)
from csmlint.cli import main
main()
"""


@dataclass(frozen=True, slots=True)
class CliResult:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    timed_out: bool

    def json(self) -> Any:
        try:
            return json.loads(self.stdout)
        except ValueError as exc:
            raise AssertionError(f"stdout is not JSON ({exc}):\n{self.describe()}") from None

    def findings(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.json()["findings"]
        return [f for f in found if rule_id is None or f["ruleId"] == rule_id]

    @property
    def audit_events(self) -> list[str]:
        return [
            line.split(" ", 1)[1]
            for line in self.stderr.splitlines()
            if line.startswith("AUDIT-EVENT ")
        ]

    def describe(self) -> str:
        return (
            f"csmlint {' '.join(self.args)}\n exit {self.code} in {self.seconds:.2f} s "
            f"({self.cpu_seconds:.2f} s CPU), "
            f"peak RSS {self.max_rss_mb:.0f} MB{' (TIMED OUT)' if self.timed_out else ''}\n"
            f"--- stdout ---\n{self.stdout[:3000]}\n--- stderr ---\n{self.stderr[:3000]}"
        )

    def assert_clean_exit(self, *codes: int) -> None:
        """Exit code in ``codes``, no traceback, no crash by signal, no time-out."""
        assert not self.timed_out, self.describe()
        assert TRACEBACK not in self.stderr, self.describe()
        assert self.code in codes, self.describe()


_CHILD = (
    "import atexit, os, resource, runpy, sys\n"
    "memory, peak_file, mode, target = sys.argv[1:5]\n"
    "if memory != 'none':\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))\n"
    "    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "def _peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as fh:\n"
    "            kb = next(ln.split()[1] for ln in fh if ln.startswith('VmHWM:'))\n"
    "        with open(peak_file, 'w') as fh:\n"
    "            fh.write(kb)\n"
    "    except (OSError, StopIteration):\n"
    "        pass\n"
    "atexit.register(_peak)\n"
    "if mode == '-m':\n"
    "    sys.argv = [target, *sys.argv[5:]]\n"
    "    runpy.run_module(target, run_name='__main__', alter_sys=True)\n"
    "else:\n"
    "    sys.argv = ['-c', *sys.argv[5:]]\n"
    "    exec(compile(target, '<csmlint-test>', 'exec'), {'__name__': '__main__'})\n"
)
"""How every child starts: it sets its limits and records its own peak RSS (``VmHWM``,
per address space) when it exits. ``wait4``'s ``ru_maxrss`` cannot be used: Linux counts
the memory of the process that spawned the child (fork or vfork, the test process) in the
child's peak, so after memory-hungry tests every child "used" 140 MB."""


def run_cli(
    *args: str | os.PathLike[str],
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    memory: int | None = MEMORY_LIMIT,
    audit: bool = False,
    stdout: int | None = None,
) -> CliResult:
    """``python -m csmlint ARGS`` in a child process; see the module docstring."""
    argv = tuple(os.fspath(a) for a in args)
    entry: Sequence[str] = ("-c", _AUDIT_MAIN) if audit else ("-m", "csmlint")
    fd, peak_path = tempfile.mkstemp(prefix="csmlint-peak-")
    os.close(fd)
    limit = str(memory) if memory is not None else "none"
    entry = ("-c", _CHILD, limit, peak_path, *entry)
    child_env = dict(os.environ if env is None else env)
    # Like an installed package (pip compiles bytecode at install): without this, every child
    # recompiles csmlint's ~60 modules (+0.25 s CPU) when PYTHONDONTWRITEBYTECODE is set.
    # The bytecode goes to a temporary folder, never into the source tree.
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    child_env.setdefault("PYTHONPYCACHEPREFIX", PYCACHE)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *entry, *argv],
            cwd=cwd,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=err,
        )
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            os.kill(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        peak_kb = _read_peak(peak_path)
        out.seek(0)
        err.seek(0)
        return CliResult(
            args=argv,
            code=proc.returncode,
            stdout=out.read().decode("utf-8", "backslashreplace"),
            stderr=err.read().decode("utf-8", "backslashreplace"),
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            max_rss_mb=(peak_kb if peak_kb is not None else usage.ru_maxrss) / 1024,
            timed_out=fired.is_set(),
        )


def _read_peak(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as fh:
            text = fh.read().strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def input_errors(result: CliResult) -> list[dict[str, Any]]:
    return result.findings("CSM000")


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
