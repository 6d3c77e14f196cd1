"""`csmlint init`, shell completion, did-you-mean for rule names, `rules --format`, and
FORCE_COLOR beside NO_COLOR."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from clirun import run_cli
from conftest import FIXTURES, run_main

from csmlint.parsing.yamlsafe import load_yaml
from csmlint.parsing.yamlschema import first_violation


def _cli(where: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_main(where, capsys, *args)


def test_init_writes_a_valid_commented_starter_and_prints_snippets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(tmp_path, capsys, "init")
    assert code == 0, err
    starter = (tmp_path / ".csmlint.yaml").read_text()
    assert starter.count("\n# ") > 10  # commented
    data = load_yaml(starter.encode(), ".csmlint.yaml")
    assert first_violation(data, "config.schema.json") is None
    assert "repos:" in out and "id: csmlint" in out  # pre-commit
    assert "uses: <your-org>/csmlint@v" in out  # the GitHub action
    assert "PublishTestResults@2" in out  # Azure Pipelines
    # the commented-out settings are valid too once uncommented
    keys = [line[2:] for line in starter.splitlines() if re.match(r"# [a-zA-Z]+: \S", line)]
    assert {k.split(":")[0] for k in keys} == {"topology", "targetVnet", "rules", "baseline"}
    assert first_violation(load_yaml("\n".join(keys).encode(), "x"), "config.schema.json") is None
    # csmlint uses it, and it never overwrites
    code, out, _ = _cli(tmp_path, capsys, "lint", "--print-config")
    assert code == 0 and "# configuration file: .csmlint.yaml" in out
    (tmp_path / ".csmlint.yaml").write_text("failOn: never\n")
    code, _, err = _cli(tmp_path, capsys, "init")
    assert code == 2 and "already exists" in err
    assert (tmp_path / ".csmlint.yaml").read_text() == "failOn: never\n"


def test_shell_completion_is_enabled(tmp_path: Path) -> None:
    # typer detects the running shell unless told not to; a new-user check ran the suite
    # from sh ("Shell sh not supported"): name the shell, whatever runs the tests
    plain = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    shown = run_cli("--show-completion", "bash", cwd=tmp_path, env=plain)
    assert shown.code == 0 and "_CSMLINT_COMPLETE" in shown.stdout, shown.describe()
    env = dict(os.environ, _CSMLINT_COMPLETE="complete_bash", COMP_WORDS="csmlint bas")
    env["COMP_CWORD"] = "1"
    done = run_cli(cwd=tmp_path, env=env)
    assert done.stdout.split() == ["baseline"], done.describe()


UNKNOWN = "unknown rule, rule name or pack"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["explain", "legacy-role-sise"],
            "no rule 'legacy-role-sise'; did you mean 'legacy-role-size'?",
        ),
        (["explain", "CSM1277"], "did you mean 'CSM127'?"),
        (["explain", "CSM999"], "no rule 'CSM999' (see"),  # no id one digit away: no guess
        (
            ["explain", "two-slot"],
            "did you mean one of 'two-slots-dynamic-ip', 'two-slots-reserved-ip'?",
        ),
        (
            ["lint", ".", "--select", "retired-role-sise"],
            f"--select: {UNKNOWN} 'retired-role-sise'; did you mean 'retired-role-size'?",
        ),
        (
            ["lint", ".", "--ignore", "topolgy"],
            f"--ignore: {UNKNOWN} 'topolgy'; did you mean 'topology'?",
        ),
    ],
)
def test_did_you_mean_for_rule_ids_names_and_packs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, _, err = _cli(tmp_path, capsys, *args)
    assert code == 2 and expected in err, err


def test_rules_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from markdown_it import MarkdownIt

    _, text, _ = _cli(tmp_path, capsys, "rules")
    _, raw, _ = _cli(tmp_path, capsys, "rules", "--format", "json")
    rows = json.loads(raw)
    assert _cli(tmp_path, capsys, "rules", "-f", "json")[1] == raw  # -f as in lint and plan
    table = text.split("\n\n")[0]
    assert len(table.splitlines()) == len(rows) + 1
    # CSM103 is a note, an error where web/worker roles share the VNet: the list says so
    (gateway,) = [r for r in rows if r["id"] == "CSM103"]
    assert gateway["severity"] == "note" and "error" in gateway["severities"]
    assert re.search(r"^CSM103 .* note\* ", text, re.M)
    assert "* reported at another severity" in text
    assert not re.search(r"^CSM127 .* warning\* ", text, re.M)  # one severity: no mark
    code, md, _ = _cli(tmp_path, capsys, "rules", "--format", "markdown")
    assert code == 0
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<tr>") == len(rows) + 1
    assert "<code>legacy-role-size</code>" in html
    code, _, err = _cli(tmp_path, capsys, "rules", "--format", "yaml")
    assert code == 2 and "unknown format 'yaml' (known: text, json, markdown)" in err


@pytest.mark.parametrize(
    ("env", "colored"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"FORCE_COLOR": ""}, False),
    ],
)
def test_force_color_beside_no_color(env: dict[str, str], colored: bool) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    case = FIXTURES / "rules" / "CSM127-legacy-role-size"
    result = run_cli("lint", str(case), "--fail-on", "never", env={**base, **env})
    assert result.code == 0, result.describe()
    assert ("\x1b[" in result.stdout) is colored, result.describe()


def test_path_options_name_the_option_and_the_path_in_one_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``[--option ]<path as given>: <problem>``, whatever the option (audit: three styles,
    and `baseline create --baseline FIFO` said "already exists")."""
    (tmp_path / "ServiceDefinition.csdef").write_bytes(
        (
            FIXTURES / "examples" / "contoso" / "src" / "ContosoWeb" / "ServiceDefinition.csdef"
        ).read_bytes()
    )
    os.mkfifo(tmp_path / "fifo")
    cases = {
        ("lint", "nope"): "nope: no such file or directory",
        ("lint", ".", "--topology", "nope.json"): "--topology nope.json: no such file",
        ("lint", ".", "--baseline", "nope.json"): "--baseline nope.json: no such file (make",
        ("lint", ".", "--config", "nope.yaml"): "nope.yaml: no such file",
        ("lint", ".", "--config", "."): ".: is a folder, not a file",
        ("diagnose", "--file", "nope"): "--file nope: no such file",
        ("baseline", "create", ".", "--baseline", "fifo"): (
            "--baseline fifo: not a regular file (a named pipe)"
        ),
    }
    for args, expected in cases.items():
        code, _, err = _cli(tmp_path, capsys, *args)
        assert code == 2 and err.startswith(f"csmlint: error: {expected}"), (args, err)


def test_explain_keeps_mapped_values_apart() -> None:
    """``{{ effectiveSize | map:renames }}`` and ``| map:modern`` are two different values:
    rule help must not print both as the same ``<effectiveSize>``."""
    from csmlint.rulepack.rule import placeholders

    template = "'{{ effectiveSize | map:renames }}' or '{{ effectiveSize | map:modern }}'"
    shown = placeholders(template)
    assert shown == "'<effectiveSize via renames>' or '<effectiveSize via modern>'"
    assert placeholders("{{ name }} {{ x | default:<vm-name> }}") == "<name> <vm-name>"
    assert placeholders("in {{ context | map:contexts }}") == "in <context>"  # one form only


def test_quiet_hides_the_text_report_on_success_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-user check: ``-q -f json`` printed nothing, so ``| python -m json.tool`` failed."""
    case = FIXTURES / "rules" / "CSM116-deployment-not-in-vnet" / "no-virtual-network-site"
    code, out, _ = run_main(case, capsys, "lint", ".", "--fail-on", "never", "-q")
    assert code == 0 and out == ""  # quiet on success
    code, out, _ = run_main(case, capsys, "lint", ".", "--fail-on", "never", "-q", "-f", "json")
    assert code == 0 and json.loads(out)["findings"]  # the report asked for on stdout
    code, out, _ = run_main(case, capsys, "lint", ".", "--fail-on", "warning", "-q")
    assert code == 1 and "CSM116" in out  # a failing run still says why


def test_help_lists_lint_first_with_whole_one_line_summaries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-user check: lint was listed 8th of 12 commands, summaries were cut with '...'
    ("Import ASM exports into a topology document (exit 1: some..."), and options showed
    TEXT where a file, glob or rule list goes."""
    from csmlint.cli.application import COMMAND_ORDER

    _, out, _ = run_main(tmp_path, capsys, "--help")
    listed = re.findall(r"^  ([a-z-]+)\s{2,}\S", out.split("Commands:")[1], re.M)
    assert listed == list(COMMAND_ORDER)
    assert "..." not in out.split("Commands:")[1]
    _, out, _ = run_main(tmp_path, capsys, "baseline", "--help")
    assert "..." not in out.split("Commands:")[1]  # new-user check: all three were cut
    for command in COMMAND_ORDER:
        args = ["baseline", "create", "--help"] if command == "baseline" else [command, "--help"]
        _, out, _ = run_main(tmp_path, capsys, *args)
        assert " TEXT " not in out and not out.rstrip().endswith("TEXT"), (command, out)


@pytest.mark.parametrize(
    "args",
    [["lint", ".", "--fail-on", "fatal"], ["lint", ".", "--format"], ["fix"], ["lint", "--nope"]],
)
def test_click_usage_errors_are_one_line_like_every_other(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-user check: these printed click's Usage/Try/blank/Error block of 3-4 lines."""
    code, out, err = run_main(tmp_path, capsys, *args)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("csmlint: error: "), err
    assert err.rstrip().endswith("--help`)")
