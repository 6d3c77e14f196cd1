"""The command line: exit codes, help, version, rule listing, selection, output, colour and
terminal safety.

Exit codes (architecture.md): 0 nothing at or above ``--fail-on``; 1 findings at or above it
(unreadable inputs are findings); 2 the run is unusable (usage, configuration, rule pack);
3 internal error, one line, traceback only with ``--debug``. The matrix runs real processes;
the rest calls ``csmlint.cli.main`` in-process where a process adds nothing.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from clirun import TRACEBACK, CliResult, run_cli
from conftest import FIXTURES, run_main

from csmlint import __version__
from csmlint.cli import app, main
from csmlint.rulepack.loader import load_rules

MODERN = FIXTURES / "services" / "modern"
TRANSIENT = FIXTURES / "rules" / "CSM151-vm-transient-state" / "topology-states"
LEGACY = FIXTURES / "services" / "legacy-size"
BROKEN_PACK = FIXTURES / "rulepacks" / "broken" / "no-references"
ANSI = re.compile("\x1b\\[[0-9;]*m")
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def broken_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A service whose .cscfg is cut off mid-attribute: one CSM000 (error)."""
    folder = tmp_path_factory.mktemp("broken-xml")
    shutil.copytree(MODERN, folder, dirs_exist_ok=True)
    cscfg = folder / "ServiceConfiguration.Cloud.cscfg"
    cscfg.write_bytes(cscfg.read_bytes()[:400])
    return folder


@pytest.fixture(scope="module")
def dangling(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .cscfg that cannot be read even by root: a symlink to a file that is gone."""
    folder = tmp_path_factory.mktemp("dangling")
    os.symlink("deleted-by-a-rebase.cscfg", folder / "ServiceConfiguration.Cloud.cscfg")
    return folder / "ServiceConfiguration.Cloud.cscfg"


def _one_error_line(result: CliResult, pattern: str) -> None:
    assert TRACEBACK not in result.stderr, result.describe()
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert any(re.search(pattern, ln) for ln in lines), result.describe()


# --- exit codes (real processes) ------------------------------------------------------

MATRIX: list[tuple[str, list[str], int, str | None]] = [
    ("clean", [str(MODERN)], 0, None),
    (
        "warning at --fail-on warning",
        [str(LEGACY), "--select", "legacy-role-size", "--fail-on", "warning"],
        1,
        None,
    ),
    ("warning below the default (error)", [str(LEGACY), "--select", "legacy-role-size"], 0, None),
    (
        "warning below --fail-on error",
        [str(LEGACY), "--select", "CSM127", "--fail-on", "error"],
        0,
        None,
    ),
    (
        "blocker warning below the default (error)",
        [str(TRANSIENT), "--topology", str(TRANSIENT / "estate.topology.json")],
        0,
        None,
    ),
    (
        "blocker warning at --fail-on blocked",
        [
            str(TRANSIENT),
            "--topology",
            str(TRANSIENT / "estate.topology.json"),
            "--fail-on",
            "blocked",
        ],
        1,
        None,
    ),
    (
        "other warning below --fail-on blocked",
        [str(LEGACY), "--select", "legacy-role-size", "--fail-on", "blocked"],
        0,
        None,
    ),
    (
        "bad option",
        [str(MODERN), "--no-such-option"],
        2,
        r"^csmlint: error: no such option: --no-such-option \(see `csmlint lint --help`\)$",
    ),
    (
        "mistyped option",
        [str(MODERN), "--selct", "CSM127"],
        2,
        r"^csmlint: error: no such option: --selct; did you mean --select\? \(see",
    ),
    ("bad --fail-on value", [str(MODERN), "--fail-on", "sometimes"], 2, "Invalid value"),
    (
        "unknown --select rule",
        [str(MODERN), "--select", "CSM999"],
        2,
        "^csmlint: error: --select: unknown rule, rule name or pack 'CSM999'",
    ),
    (
        "--ignore drops every rule --select chose",
        [str(MODERN), "--select", "CSM127", "--ignore", "legacy-role-size"],
        2,
        "^csmlint: error: --ignore legacy-role-size leaves none of the rules --select CSM127 "
        "chose: nothing would be checked",
    ),
    (
        "invalid rule pack",
        [str(MODERN), "--rules", str(BROKEN_PACK)],
        2,
        r"^csmlint: error: .*CSM907-contoso-dv2-only\.yaml:1: .*'references' is required",
    ),
    (
        "missing path",
        ["no-such-folder"],
        2,
        r"^csmlint: error: .*no-such-folder: no such file or directory$",
    ),
    (
        "huge --max-file-size",
        [str(MODERN), "--max-file-size", "99999999999999999999999GB"],
        2,
        r"^csmlint: error: --max-file-size: '99999999999999999999999GB' is outside 1KB\.\.1GB$",
    ),
    (
        "negative --max-file-size",
        [str(MODERN), "--max-file-size", "-5"],
        2,
        r"^csmlint: error: --max-file-size: '-5' is outside 1KB\.\.1GB$",
    ),
    (
        "report path is a folder",
        [str(MODERN), "--format", f"json={FIXTURES}"],
        2,
        r"^csmlint: error: cannot write report .*: it is a folder; "
        r"name a file in it \(.*/<file-name>\)$",
    ),
]


@pytest.mark.parametrize(("label", "args", "code", "stderr"), MATRIX, ids=[m[0] for m in MATRIX])
def test_exit_code(label: str, args: list[str], code: int, stderr: str | None) -> None:
    result = run_cli("lint", *args, "--format", "json")
    result.assert_clean_exit(code)
    if stderr is not None:
        _one_error_line(result, stderr)
        assert result.stdout == "", "no report when the run is unusable"
    else:
        result.json()  # a complete report


def test_an_empty_rule_pack_is_a_usage_error(tmp_path: Path) -> None:
    # a mistyped or empty --rules folder must not pass a hook that checks nothing of it
    (tmp_path / "pack").mkdir()
    result = run_cli("lint", MODERN, "--rules", tmp_path / "pack", "--format", "json")
    result.assert_clean_exit(2)
    _one_error_line(result, r"^csmlint: error: .*pack: no rules \(a pack holds one")


def test_error_finding_fails_the_run_unless_never(broken_xml: Path) -> None:
    failing = run_cli("lint", broken_xml, "--format", "json")
    failing.assert_clean_exit(1)
    [error] = failing.findings("CSM000")
    assert error["severity"] == "error"
    never = run_cli("lint", broken_xml, "--format", "json", "--fail-on", "never")
    never.assert_clean_exit(0)
    assert never.findings("CSM000") == failing.findings("CSM000"), "never must still report"


def test_unreadable_input_file_is_a_finding(dangling: Path) -> None:
    result = run_cli("lint", dangling.name, "--format", "json", cwd=dangling.parent)
    result.assert_clean_exit(1)
    [error] = result.findings()
    assert error["ruleId"] == "CSM000"
    assert error["location"]["file"] == "ServiceConfiguration.Cloud.cscfg"
    assert "cannot read: No such file or directory" in error["message"]


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_is_exit_3(
    debug: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_rule_engine(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("rule CSM127 tripped over a None")

    monkeypatch.setattr("csmlint.engine.evaluate", broken_rule_engine)
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", str(MODERN), *(["--debug"] if debug else [])])
    assert exit_info.value.code == 3
    out, err = capsys.readouterr()
    assert out == ""
    summary = "csmlint: internal error: RuntimeError: rule CSM127 tripped over a None"
    if debug:
        assert TRACEBACK in err
        assert err.rstrip().splitlines()[-1] == summary
    else:
        assert err.splitlines() == [summary + " (run with --debug for the traceback)"]


# --- help, version, rules, explain (in-process) ----------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err


def _command_names() -> list[str]:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert {"lint", "rules", "explain"} <= set(names)
    return sorted(names)


@pytest.mark.parametrize("command", [None, *_command_names()])
def test_help_is_clean(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    code, out, err = _run(args, capsys)
    assert code == 0
    assert err == ""
    assert out.startswith(f"Usage: csmlint {command or ''}".rstrip()), out[:200]
    assert "\x1b" not in out, "help must not carry ANSI codes"
    if command is None:
        for name in _command_names():
            assert re.search(rf"^\s+{name}\s", out, re.M), f"{name} missing from --help"


def test_no_arguments_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([], capsys)
    assert code in (0, 2)
    assert "Usage: csmlint" in out + err
    assert TRACEBACK not in err


def test_version() -> None:
    for flag in ("--version", "-V"):
        result = run_cli(flag)
        result.assert_clean_exit(0)
        assert result.stdout == f"csmlint {__version__}\n"
        assert result.stderr == ""


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = load_rules()
    code, out, _ = _run(["rules"], capsys)
    assert code == 0
    table = out.split("\n\n")[0]  # a footnote follows when some severity varies
    listed = [ln.split()[0] for ln in table.splitlines()[1:] if ln.strip()]
    assert listed == [r.id for r in shipped]
    code, out, _ = _run(["rules", "--format", "json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert [(r["id"], r["name"], r["pack"]) for r in rows] == [
        (r.id, r.name, r.pack) for r in shipped
    ]


def test_explain_by_name_and_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, by_name, _ = _run(["explain", "legacy-role-size"], capsys)
    assert code == 0
    code, by_id, _ = _run(["explain", "CSM127"], capsys)
    assert code == 0
    assert by_name == by_id
    assert by_id.startswith("CSM127 legacy-role-size: ")
    assert "References:" in by_id
    assert "https://learn.microsoft.com/" in by_id
    # templates show their fields, not their syntax
    assert "'<name>' uses the legacy size '<effective-size>'" in by_id and "{{" not in by_id
    code, out, _ = _run(["explain", "two-slots-dynamic-ip"], capsys)
    assert "{{" not in out and "or set <unknown-facts> in the topology" in out
    code, out, err = _run(["explain", "CSM999"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("csmlint: error: no rule 'CSM999'")


# --- selection and output (in-process, JSON) ---------------------------------------------


def _lint_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = _run(["lint", str(LEGACY), "--format", "json", *args], capsys)
    assert code in (0, 1), err
    report: dict[str, Any] = json.loads(out)
    return report


def _ids(report: dict[str, Any]) -> list[str]:
    return sorted({f["ruleId"] for f in report["findings"]})


def test_select_and_ignore_by_id_name_and_pack(capsys: pytest.CaptureFixture[str]) -> None:
    rules = load_rules()
    pack_of = {r.id: r.pack for r in rules}
    everything = _ids(_lint_json([], capsys))
    assert "CSM127" in everything and len(everything) >= 2, "fixture no longer exercises this"
    for key in ("CSM127", "legacy-role-size", "csm127"):
        assert _ids(_lint_json(["--select", key], capsys)) == ["CSM127"], key
    for key in ("CSM127", "legacy-role-size"):
        assert _ids(_lint_json(["--ignore", key], capsys)) == [
            i for i in everything if i != "CSM127"
        ]
    pack = pack_of["CSM127"]
    assert _ids(_lint_json(["--select", pack], capsys)) == [
        i for i in everything if pack_of[i] == pack
    ]
    assert _ids(_lint_json(["--ignore", pack], capsys)) == [
        i for i in everything if pack_of[i] != pack
    ]
    other = next(i for i in everything if i != "CSM127")
    assert _ids(_lint_json(["--select", f"CSM127,{other}"], capsys)) == sorted(["CSM127", other])


def test_output_writes_the_report_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports" / "csmlint.json"
    code, out, _ = _run(["lint", str(LEGACY), "--format", "json", "--output", str(target)], capsys)
    assert code == 0
    assert out == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert "CSM127" in _ids(report)
    assert not list(target.parent.glob(".csmlint-*")), "temporary file left behind"


# --- colour and terminal safety (real processes) ----------------------------------------


def _on_a_tty(*args: str, env: dict[str, str] | None = None) -> str:
    master, slave = pty.openpty()
    try:
        result = run_cli(*args, env=env, stdout=slave)
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    assert result.code == 0, result.describe()
    return b"".join(chunks).decode("utf-8")


def test_colour_only_on_a_terminal_or_when_asked() -> None:
    args = ["lint", str(LEGACY), "--select", "legacy-role-size"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert ANSI.search(_on_a_tty(*args, env=env)), "no colour on a terminal"
    assert not ANSI.search(_on_a_tty(*args, env={**env, "NO_COLOR": "1"})), "NO_COLOR ignored"
    assert not ANSI.search(_on_a_tty(*args, "--color", "never", env=env))
    piped = run_cli(*args, env=env)
    piped.assert_clean_exit(0)
    assert "CSM127" in piped.stdout and not ANSI.search(piped.stdout), "colour in a pipe"
    forced = run_cli(*args, "--color", "always", env=env)
    assert ANSI.search(forced.stdout), "--color always ignored"


def test_text_report_escapes_control_and_bidi_characters(tmp_path: Path) -> None:
    """Names from a linted file reach the terminal with nothing hidden or interpreted:
    C1 CSI (U+009B), bidi override, zero-width space, newline, tab."""
    csdef = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ServiceDefinition name="svc&#x9B;2J" xmlns="http://schemas.microsoft.com/'
        'ServiceHosting/2008/10/ServiceDefinition">\n'
        '  <WorkerRole name="Web&#x202E;eloR&#x200B;&#10;fake: error&#9;x" vmsize="Small" />\n'
        "</ServiceDefinition>\n"
    )
    (tmp_path / "ServiceDefinition.csdef").write_text(csdef, encoding="utf-8")
    result = run_cli("lint", ".", "--color", "never", "-v", cwd=tmp_path)
    result.assert_clean_exit(0, 1)
    assert "CSM127" in result.stdout, result.describe()
    assert not UNSAFE.search(result.stdout), repr(UNSAFE.findall(result.stdout))
    line = next(ln for ln in result.stdout.splitlines() if "CSM127" in ln)
    assert "Web\\u202eeloR\\u200b\\nfake: error x" in line, line
    assert not any(ln.startswith("fake: error") for ln in result.stdout.splitlines())
    assert "svc\\u009b2J" in result.stdout


def test_every_report_hides_the_same_invisible_characters(tmp_path: Path) -> None:
    """The text and Markdown reports show as escapes every character the HTML report marks:
    the Arabic letter mark (a bidi control), the word joiner and a Hangul filler included."""
    csdef = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ServiceDefinition name="svc" xmlns="http://schemas.microsoft.com/'
        'ServiceHosting/2008/10/ServiceDefinition">\n'
        '  <WorkerRole name="Web&#x61C;Role&#x2060;&#x3164;x" vmsize="Small" />\n'
        "</ServiceDefinition>\n"
    )
    (tmp_path / "ServiceDefinition.csdef").write_text(csdef, encoding="utf-8")
    text = run_cli("lint", ".", "--color", "never", cwd=tmp_path)
    text.assert_clean_exit(0, 1)
    line = next(ln for ln in text.stdout.splitlines() if "CSM127" in ln)
    assert "Web\\u061cRole\\u2060\\u3164x" in line, line
    markdown = run_cli("lint", ".", "--format", "markdown", cwd=tmp_path)
    markdown.assert_clean_exit(0, 1)
    # Markdown escapes the backslash too, so GitHub renders it as Web\u061cRole...
    assert "Web\\\\u061cRole\\\\u2060\\\\u3164x" in markdown.stdout, markdown.stdout
    for hidden in ("\u061c", "\u2060", "\u3164"):
        assert hidden not in text.stdout + markdown.stdout


def test_a_named_file_that_is_not_an_input_is_never_skipped_in_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app.config").write_text("<configuration/>")
    (tmp_path / "notes.json").write_text('{"schema": "something-else"}')
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["lint", "app.config", "notes.json"], capsys)
    assert code == 0 and out.startswith("0 file(s)")
    assert err.splitlines() == [
        "csmlint: warning: app.config: not linted: not a .csdef, .cscfg, network configuration "
        "or topology file",
        "csmlint: warning: notes.json: not linted: not a .csdef, .cscfg, network configuration "
        "or topology file",
    ]
    code, _, err = _run(["lint", "."], capsys)  # found by walking: listed only with -v
    assert code == 0 and "app.config" not in err and "notes.json" not in err
    assert err.splitlines() == [  # ... but a folder without any input is worth a warning
        "csmlint: warning: .: no .csdef, .cscfg, network configuration, topology document or "
        "Service Management export found there (-v lists what was skipped)"
    ]
    (tmp_path / "t.json").write_text("")  # a topology of any name, given with --topology
    code, _, err = _run(["lint", "--topology", "t.json"], capsys)
    assert code == 1 and "found there" not in err  # the folder had an input: that file


def test_text_marks_blocking_warnings_and_says_when_they_do_not_fail_the_run() -> None:
    """A warning of the blocker category makes its unit Blocked; with the default
    ``--fail-on error`` the run still exits 0, and the report says so instead of leaving a
    pre-commit user with a green hook under a Blocked table."""
    topology = str(TRANSIENT / "estate.topology.json")
    passing = run_cli("lint", TRANSIENT, "--topology", topology, "--select", "CSM151")
    passing.assert_clean_exit(0)
    warnings = [ln for ln in passing.stdout.splitlines() if " CSM151 " in ln]
    assert len(warnings) == 5 and all(": warning (blocker) CSM151 " in ln for ln in warnings)
    assert (
        "Exit 0 (--fail-on error), but 5 warnings (blocker) block the migration: "
        "--fail-on blocked fails on them." in passing.stdout
    )
    assert re.search(r"^  wingtip-erp\s+blocked ", passing.stdout, re.M)
    failing = run_cli("lint", TRANSIENT, "--topology", topology, "--fail-on", "blocked")
    failing.assert_clean_exit(1)
    assert "Exit 0" not in failing.stdout
    other = run_cli("lint", LEGACY, "--select", "legacy-role-size")
    other.assert_clean_exit(0)
    assert "(blocker)" not in other.stdout and "Exit 0" not in other.stdout


def test_fail_on_blocked_follows_the_verdict_of_the_files_named_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pre-commit hook names the staged .cscfg; the topology (a configured input) says its
    deployment is mid-operation (CSM151, a warning of the blocker category). The finding
    is located in the topology, so it is not listed, but the verdict is Blocked: with
    ``--fail-on blocked`` the hook fails, and with the default every report says why it
    does not."""
    estate = tmp_path / "wingtip"
    shutil.copytree(FIXTURES / "examples" / "wingtip", estate)
    topology = estate / "topology" / "wingtip.topology.json"
    text = topology.read_text("utf-8")
    assert text.count('"status": "running"') == 1
    topology.write_text(text.replace('"status": "running"', '"status": "RunningTransitioning"'))
    cscfg = "src/Wingtip.Tickets/ServiceConfiguration.Cloud.cscfg"
    args = ["lint", "--topology", "topology/wingtip.topology.json", cscfg]
    code, out, _ = run_main(estate, capsys, *args, "--fail-on", "blocked")
    assert code == 1, out
    assert re.search(r"^  wingtip-tickets\s+blocked ", out, re.M)
    listed = out.split("Blocking findings located outside the files named", 1)
    assert len(listed) == 2 and " CSM151 " not in listed[0]  # not among the file's own
    assert "topology/wingtip.topology.json:" in listed[1] and " CSM151 " in listed[1]
    code, out, _ = run_main(estate, capsys, *args)
    assert code == 0
    sentence = "Exit 0 (--fail-on error), but 1 warning (blocker) blocks the migration"
    assert sentence in out
    code, out, _ = run_main(estate, capsys, *args, "--format", "markdown")
    assert code == 0 and sentence in out
    html = tmp_path / "report.html"
    run_main(estate, capsys, *args, "--format", f"html={html}")
    assert sentence in html.read_text("utf-8")
    # the README's own run: errors are errors, not "warnings (blocker)"
    code, out, _ = run_main(FIXTURES / "examples", capsys, "lint", ".", "--fail-on", "never")
    assert code == 0 and "warning (blocker)" not in out and "Exit 0" not in out


def test_fail_on_blocked_sees_a_blocker_in_the_partner_read_for_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming the .csdef alone reads its .cscfg to pair them; a blocker in that .cscfg
    (CSM130: a role without a subnet) decides the verdict, so --fail-on blocked fails and
    the text names it, instead of exit 0 under a Blocked table."""
    estate = tmp_path / "contoso"
    shutil.copytree(FIXTURES / "examples" / "contoso", estate)
    csdef = "src/ContosoWeb/ServiceDefinition.csdef"
    code, out, _ = run_main(estate, capsys, "lint", "--fail-on", "blocked", csdef)
    assert code == 1, out
    listed = out.split("Blocking findings located outside the files named", 1)
    assert len(listed) == 2 and " CSM130 " in listed[1], out


def test_fail_on_blocked_sees_a_blocker_of_an_export_named_alone_in_its_topology(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The exports of one service, named alone with the topology imported from them: the
    XML extension blocker (CSM140) is located in the topology, and still fails the run."""
    exports = sorted((FIXTURES / "exports" / "migaz").glob("VM1-*.xml"))
    for export in exports:
        shutil.copy(export, tmp_path / export.name)
    names = [e.name for e in exports]
    code, _, _ = run_main(tmp_path, capsys, "import", *names, "-o", "vm1.topology.json")
    assert code == 0
    args = ["lint", "--fail-on", "blocked", "--topology", "vm1.topology.json", *names]
    code, out, _ = run_main(tmp_path, capsys, *args)
    assert code == 1, out
    assert " CSM140 " in out


def test_the_plan_of_a_file_named_alone_keeps_the_blockers_located_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """csmlint plan on the staged .cscfg: the topology's transient state (CSM151) blocks its
    unit, so the plan lists it and has the step that waits for it, as lint's verdict says."""
    estate = tmp_path / "wingtip"
    shutil.copytree(FIXTURES / "examples" / "wingtip", estate)
    topology = estate / "topology" / "wingtip.topology.json"
    text = topology.read_text("utf-8")
    topology.write_text(text.replace('"status": "running"', '"status": "RunningTransitioning"'))
    cscfg = "src/Wingtip.Tickets/ServiceConfiguration.Cloud.cscfg"
    args = ["plan", "--topology", "topology/wingtip.topology.json", cscfg, "-f", "json"]
    code, out, _ = run_main(estate, capsys, *args)
    assert code == 0
    blockers = [b["ruleId"] for u in json.loads(out)["units"] for b in u["blockers"]]
    assert "CSM151" in blockers


def test_a_suppressed_blocker_located_elsewhere_is_named_with_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = tmp_path / "wingtip"
    shutil.copytree(FIXTURES / "examples" / "wingtip", estate)
    topology = estate / "topology" / "wingtip.topology.json"
    text = topology.read_text("utf-8")
    topology.write_text(text.replace('"status": "running"', '"status": "RunningTransitioning"'))
    (estate / ".csmlint.yaml").write_text(
        "topology: [topology/wingtip.topology.json]\n"
        "suppress:\n  - rules: [vm-transient-state]\n    reason: release in progress, wait\n",
        "utf-8",
    )
    cscfg = "src/Wingtip.Tickets/ServiceConfiguration.Cloud.cscfg"
    code, out, _ = run_main(estate, capsys, "lint", "--fail-on", "blocked", cscfg)
    assert code == 0, out  # accepted: it does not fail the run
    listed = out.split("Suppressed blocking findings", 1)
    assert len(listed) == 2 and " CSM151 " in listed[1], out
    assert "(suppressed: release in progress, wait)" in listed[1]
    code, out, _ = run_main(estate, capsys, "plan", cscfg, "-f", "json")
    suppressed = [b["ruleId"] for u in json.loads(out)["units"] for b in u.get("suppressed", [])]
    assert "CSM151" in suppressed


def test_the_collector_is_off_during_a_command_and_back_on_after_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import csmlint.cli.session

    seen: list[bool] = []
    real = csmlint.cli.session.prepare

    def spy(*args: Any, **kwargs: Any) -> Any:  # loads the configuration and the rules
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(csmlint.cli.session, "prepare", spy)
    assert gc.isenabled()
    code, out, _ = run_main(FIXTURES, capsys, "lint", "--format", "json", str(MODERN))
    assert code == 0 and json.loads(out)["findings"]
    assert seen == [False], "start-up (imports, configuration, rules) runs without the collector"
    assert gc.isenabled(), "main() restores the collector for a caller in the same process"


def test_a_cloud_service_two_topology_documents_describe_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (
        '{"schema": "csmlint.topology/v1", "subscriptions": [{"id": "s1", "cloudServices": '
        '[{"name": "shop", "deployments": [{"slot": "production", "kind": "paas"%s}]}]}]}'
    )
    (tmp_path / "a.topology.json").write_text(doc % "")
    (tmp_path / "b.topology.json").write_text(doc % ', "vnet": "v1"')
    monkeypatch.chdir(tmp_path)
    _, _, err = _run(["lint", "--fail-on", "never", "."], capsys)
    assert "cloud service 'shop' is described in a.topology.json too" in err
    (tmp_path / "b.topology.json").write_text(doc.replace('"s1"', '"s2"') % "")
    _, _, err = _run(["lint", "--fail-on", "never", "."], capsys)
    assert "described in" not in err  # another subscription: another service
