"""`plan`, `diagnose` and `fix` as a new user meets them: help that explains every option,
one-line errors (exit 2, no traceback) for mistakes on the command line, output that stays
readable on odd input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_main

CONTOSO = FIXTURES / "examples" / "contoso"


@pytest.mark.parametrize("command", ["plan", "diagnose", "fix"])
def test_help_describes_every_option(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(Path.cwd(), capsys, command, "--help")
    assert code == 0
    options = [line for line in out.splitlines() if line.strip().startswith("-")]
    assert options
    for line in options:  # an option line with nothing after its metavar has no help
        assert len(line.split("  ")) > 1 or line.strip().startswith("-h"), line


BAD = [
    ("plan", "no-such-folder"),
    ("plan", "-f", "pdf", "."),
    ("plan", "--topology", "missing.json", "."),
    ("plan", "--max-file-size", "lots", "."),
    ("plan", "--config", "missing.yaml", "."),
    ("diagnose", "--file", "missing.txt"),
    ("diagnose", "-f", "xml", "some message"),
    ("diagnose", "hi", "--file", "x"),
    ("fix", "no-such-folder"),
    ("fix", ".", "--select", "CSM999"),
    ("fix", ".", "--subscription", "my-subscription"),
    (
        "fix",
        ".",
        "--subscription",
        "1f2e3d4c-0000-4000-8000-00000000abcd",
        "--resource-group",
        "rg.",
    ),
]


@pytest.mark.parametrize("args", BAD, ids=lambda a: " ".join(a))
def test_a_mistake_is_one_line_exit_2(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTOSO, tmp_path / "contoso")
    code, _, err = run_main(tmp_path, capsys, *args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("csmlint: error: "), err
    assert "Traceback" not in err


def test_fix_refuses_a_subscription_that_is_not_a_guid_before_touching_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTOSO, tmp_path / "contoso")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, _, err = run_main(tmp_path, capsys, "fix", "contoso", "--subscription", "prod")
    assert code == 2 and "--subscription: 'prod' is not a subscription id" in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_fix_diff_of_a_folder_outside_the_current_one_has_plain_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTOSO, tmp_path / "estate")
    (tmp_path / "elsewhere").mkdir()
    code, out, _ = run_main(
        tmp_path / "elsewhere", capsys, "fix", str(tmp_path / "estate"), "--diff"
    )
    assert code == 1
    headers = [line for line in out.splitlines() if line.startswith(("--- ", "+++ "))]
    assert headers and not [h for h in headers if "//" in h], headers
    estate = (tmp_path / "estate").as_posix().lstrip("/")
    assert headers[0].startswith(f"--- a/{estate}/"), headers


def test_diagnose_clips_a_huge_message_in_text_but_not_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "paste.txt"
    big.write_text("The operation failed because " + "of something unexpected " * 400)
    code, out, _ = run_main(tmp_path, capsys, "diagnose", "--file", str(big))
    assert code == 1
    shown = out.splitlines()[0]
    assert shown.startswith("message: ") and len(shown) < 500 and "characters)" in shown
    code, out, _ = run_main(tmp_path, capsys, "diagnose", "--file", str(big), "-f", "json")
    assert "of something unexpected " * 300 in out


@pytest.mark.parametrize("command", ["plan", "fix"])
def test_an_empty_folder_is_warned_about_and_v_lists_skipped_files(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run_main(tmp_path, capsys, command, "empty")
    assert code == 0 and "csmlint: warning: empty: no .csdef" in err
    build = tmp_path / "built" / "bin"
    build.mkdir(parents=True)
    shutil.copy(CONTOSO / "src" / "ContosoWeb" / "ServiceDefinition.csdef", build)
    code, _, err = run_main(tmp_path, capsys, command, "built", "-v")
    assert code == 0 and "skipped built/bin/ServiceDefinition.csdef: excluded" in err
