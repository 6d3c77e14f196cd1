"""``csmlint lint`` parsed without typer (start-up, issue #13): the table agrees with the
typer declaration, both give the same values for the same command line, and whatever the
table does not cover goes to typer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from csmlint.cli import _app, main
from csmlint.cli.lint_run import LINT_CHOICES, LINT_OPTIONS, lint_options


def _lint_command() -> Any:
    from typer.main import get_command

    return get_command(_app("lint")).commands["lint"]  # type: ignore[attr-defined]


def test_the_table_holds_every_option_typer_declares_and_no_other() -> None:
    import enum

    declared: dict[str, tuple[str, str]] = {}
    choices = set()
    for param in _lint_command().params:
        if param.param_type_name == "argument":
            assert param.name == "paths" and param.nargs == -1
            continue
        kind = "flag" if param.is_flag else "many" if param.multiple else "value"
        for opt in [*param.opts, *param.secondary_opts]:
            declared[opt] = (param.name, kind)
        if hasattr(param.type, "choices"):
            choices.add(param.name)
    declared.pop("--help", None)
    declared.pop("-h", None)
    assert declared == LINT_OPTIONS
    assert choices == set(LINT_CHOICES)
    for param, make in LINT_CHOICES.items():
        assert isinstance(make, type) and issubclass(make, enum.Enum), param


CASES = [
    [],
    ["."],
    ["a", "b", "--format", "json"],
    ["-f", "json", "--format=sarif=out.sarif", "-o", "r.json"],
    ["--select", "CSM101,CSM102", "--select", "CSM110", "--ignore", "x"],
    ["--fail-on", "blocked", "--color", "never", "-v", "-q", "--debug"],
    ["--fail-on=warning", "--color=always", "."],
    ["--rules", "packs", "--topology", "t.json", "--include", "a/", "--exclude", "b"],
    ["--no-default-excludes", "--print-config", "--no-baseline", "--no-suppressions"],
    ["--max-file-size", "5MB", "--target-vnet", "v", "--config", "c.yaml", "--baseline", "b"],
    ["--source-root", "..", "--sarif-category", "cs-es", "x", "-o", "first", "-o", "last"],
    ["--output", ""],
]


@pytest.mark.parametrize("args", CASES)
def test_both_parsers_give_the_same_values(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from csmlint.cli import lint_run

    seen: list[dict[str, Any]] = []

    def capture(**options: Any) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(lint_run, "run_lint", capture)
    _app("lint")(args=["lint", *args], prog_name="csmlint", standalone_mode=False)
    fast = lint_options(args)
    assert fast is not None
    assert seen == [fast]
    with pytest.raises(SystemExit) as done:
        main(["lint", *args])
    assert done.value.code == 0 and seen[1] == fast


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--bogus"],
        ["-vq"],
        ["--", "-weird-name"],
        ["-"],
        ["--format"],
        ["--output", "-v"],
        ["--fail-on", "fatal"],
        ["--color=sometimes"],
        ["--verbose=yes"],
        ["-fjson"],
    ],
)
def test_what_the_table_does_not_cover_goes_to_typer(args: list[str]) -> None:
    assert lint_options(args) is None


def test_typer_still_words_the_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["lint", "--fail-on", "fatal"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("csmlint: error: ") and "'fatal'" in err and "lint --help" in err


def test_a_plain_lint_run_does_not_import_typer(tmp_path: Path) -> None:
    service = Path(__file__).parent.parent / "fixtures" / "services" / "legacy-size"
    report = tmp_path / "r.json"
    code = (
        "import sys\n"
        "from csmlint.cli import main\n"
        "try:\n"
        f"    main(['lint', {str(service)!r}, '-f', 'json', '-o', {str(report)!r}])\n"
        "except SystemExit as done:\n"
        "    print(done.code)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\n")
    assert out[0] == "0" and out[1] == "[]", out
    assert '"CSM' in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o=r.txt"], "-o=r.txt: write -o FILE or --output=FILE"),
        (["-f=json"], "-f=json: write -f FORMAT or --format=FORMAT"),
        (["--format="], "--format: empty value"),
        (["--select="], "--select: empty value"),
        (["--ignore", ""], "--ignore: empty value"),
        (["--output="], "--output: no file given"),
        (["--baseline", "b.json", "--no-baseline"], "--baseline and --no-baseline contradict"),
        (["-o"], "requires an argument. (see `csmlint lint --help`)"),
        (["-v", "-q"], "--verbose and --quiet contradict"),
        (["-vq"], "--verbose and --quiet contradict"),  # typer parses this one
        (["-f", "json", "-o", "a.json", "-o", "b.json"], "--output given 2 times"),
        (["--print-config", "-f", "json"], "--print-config prints the effective configuration"),
        (["--print-config", "-o", "c.yaml"], "leave out --format, --output"),
        (["--print-config", "-q"], "leave out --format, --output, --verbose and --quiet"),
        (["-f", "json=r.json", "-o", "-"], "--output needs exactly one --format without a path"),
    ],
)
def test_option_forms_that_did_something_else_are_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-user checks: -o=r.txt wrote a file named '=r.txt', --select= ran every rule, a
    missing value pointed at `csmlint --help`; -v -q, a second -o and --print-config with a
    format were accepted without a word (the last -o won; the configuration was not JSON)."""
    from conftest import run_main

    code, out, err = run_main(tmp_path, capsys, "lint", ".", *args)
    assert code == 2 and out == "", err
    assert err.startswith("csmlint: error: ") and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_plan_refuses_a_second_output_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import run_main

    code, out, err = run_main(tmp_path, capsys, "plan", ".", "-o", "a.md", "-o", "b.md")
    assert code == 2 and out == "" and "--output given 2 times (-o a.md -o b.md)" in err, err
    assert "--format markdown=out/plan.md --format html=out/plan.html" in err  # plan's formats
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_dash_is_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import FIXTURES, run_main

    service = FIXTURES / "services" / "legacy-size"
    code, out, _ = run_main(tmp_path, capsys, "lint", str(service), "-f", "json", "-o", "-")
    assert code in (0, 1) and out.startswith("{") and not (tmp_path / "-").exists()
