"""Shared paths and fixtures for the test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RULES = ROOT / "rules"
SHARED = Path(os.environ.get("CSMLINT_SHARED", ROOT.parent / "shared"))
NO_SHARED = "CSMLINT_NO_SHARED"
"""Set to 1 to run without ``../shared``: its tests are skipped instead of failing."""


def without_shared() -> bool:
    return os.environ.get(NO_SHARED, "") == "1"


def missing_shared(shared: Path, opted_out: bool) -> str | None:
    """Why the run cannot go on without ``shared`` (``None``: it is there, or opted out)."""
    if opted_out or shared.is_dir():
        return None
    return (
        f"{shared} is missing: the test suite needs the shared corpus and design documents "
        "beside this checkout (../shared, or CSMLINT_SHARED=DIR); set "
        f"{NO_SHARED}=1 to run without them (their tests are then skipped)"
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = missing_shared(SHARED, without_shared())
    if problem is not None:
        pytest.exit(problem, returncode=4)


def shared_path(*parts: str) -> Path:
    """A path under ../shared. Missing, it fails the test, unless CSMLINT_NO_SHARED=1 (then
    the test is skipped with the reason)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if without_shared():
            pytest.skip(f"../shared is not available ({path} missing; {NO_SHARED}=1)")
        pytest.fail(f"{path} is missing from ../shared (set {NO_SHARED}=1 to skip)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _rule_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The prepared rule-pack cache of every test (and of the CLI runs they start) lives in a
    temporary folder, never in ``~/.cache``; tests of the cache itself point
    ``XDG_CACHE_HOME`` at their own ``tmp_path``."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder))
        mp.delenv("CSMLINT_NO_CACHE", raising=False)
        yield folder


@pytest.fixture(scope="session")
def large_hostile_inputs(request: pytest.FixtureRequest) -> Path:
    """The large hostile inputs (gzip bombs, 12 MB nodes, deep nesting), generated once.

    ``fixtures/hostile/make_large.py`` is a byte-for-byte copy of the shared corpus tool. The
    output (about 40 MB, 5-10 s to make) is kept in pytest's cache folder, keyed by the
    script's hash, and published with an atomic rename (several sessions share the tree).
    Treat it as read-only: hard-link files into ``tmp_path`` to rename them.
    """
    import hashlib
    import shutil
    import subprocess
    import sys
    import tempfile

    script = FIXTURES / "hostile" / "make_large.py"
    stamp = hashlib.sha256(script.read_bytes()).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)
    if cache is None:
        root = request.getfixturevalue("tmp_path_factory").mktemp("hostile-large")
    else:
        root = Path(cache.mkdir("hostile-large"))
    final = root / stamp
    if (final / "DONE").is_file():
        return final
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    subprocess.run([sys.executable, str(script), str(work)], check=True, timeout=300)
    (work / "DONE").write_text(stamp)
    try:
        work.rename(final)
    except OSError:  # another session published it first
        shutil.rmtree(work, ignore_errors=True)
    return final


@pytest.fixture(scope="session")
def all_rules():  # type: ignore[no-untyped-def]
    from csmlint.rulepack.loader import load_rules

    return load_rules()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite reporter snapshots instead of comparing them.",
    )


def run_main(where: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``csmlint ARGS`` in this process, started in ``where``: (exit code, stdout, stderr)."""
    from csmlint.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(where)
        with pytest.raises(SystemExit) as info:
            main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err
