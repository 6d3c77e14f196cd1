"""A run builds only the command it invokes (start-up, issue #13): same help, options and
messages as the whole app, fewer modules imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run_main

from csmlint.cli import _MODULE_OF, _app, _command_of
from csmlint.cli.application import COMMAND_ORDER


def _help(app: Any, args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = app(args=[*args, "--help"], prog_name="csmlint", standalone_mode=False)
    assert code == 0
    return capsys.readouterr().out


def test_every_command_has_its_module() -> None:
    assert sorted(_MODULE_OF) == sorted(COMMAND_ORDER)


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_one_command_app_has_that_command_with_the_same_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from typer.main import get_command

    narrowed = _app(command)
    assert sorted(get_command(narrowed).commands) == [command]  # type: ignore[attr-defined]
    args = ["baseline", "create"] if command == "baseline" else [command]
    whole = _help(_app(), args, capsys)
    assert whole.startswith(f"Usage: csmlint {' '.join(args)} ")
    assert _help(narrowed, args, capsys) == whole


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lint", "."], "lint"),
        (["test-pack", "x"], "test-pack"),
        (["--help"], None),
        (["-V"], None),
        (["lnit", "."], None),  # a typo: the whole app suggests the command
        ([], None),
    ],
)
def test_command_of(args: list[str], expected: str | None) -> None:
    assert _command_of(args) == expected


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CSMLINT_COMPLETE", "complete_bash")
    assert _command_of(["lint", "."]) is None


def test_a_plan_run_imports_no_other_command(tmp_path: Path) -> None:
    service = Path(__file__).parent.parent / "fixtures" / "services" / "legacy-size"
    report = tmp_path / "plan.md"
    code = (
        "import sys\n"
        "from csmlint.cli import main\n"
        "try:\n"
        f"    main(['plan', {str(service)!r}, '-o', {str(report)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('csmlint.cli.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert report.is_file()
    assert out.split(",") == [
        "csmlint.cli.application",
        "csmlint.cli.options",
        "csmlint.cli.plan",
        "csmlint.cli.session",
    ]


def test_a_misspelt_command_still_suggests_the_right_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(tmp_path, capsys, "lnit", ".")
    assert code == 2 and out == ""
    assert "lint" in err and "lnit" in err
