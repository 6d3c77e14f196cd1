"""Reproducers from fuzzing a fork's pull request (issue #10, items 2, 4, 5 and 6).

Each test failed before its fix: a crash (exit 3), a hang, a read or a write through a
committed symbolic link, or a report set left half old, half new.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clirun import input_errors, run_cli
from conftest import FIXTURES

from csmlint.discovery import discover
from csmlint.parsing.numbers import decimal

SERVICE = FIXTURES / "rules" / "CSM183-instance-count-not-a-number" / "plain-digits"
VNET_SITES = FIXTURES / "exports" / "asm-list-virtual-network-sites.xml"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SERVICE, repo / "svc")
    (repo / ".git").mkdir()  # a working tree root, as a clone has
    return repo


# --- item 2: no crash from any value -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2", 2),
        (" 12 ", 12),
        ("0", 0),
        ("²", None),
        ("١٢", None),
        ("1_000", None),
        ("+5", None),
        ("-1", None),
        ("1e3", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
    ],
)
def test_decimal_reads_only_plain_ascii_digits(text: str | None, number: int | None) -> None:
    assert decimal(text) == number


@pytest.mark.parametrize("count", ["²", "9" * 5000, "-1", "1.5"])
def test_an_instance_count_that_is_not_a_number_is_a_finding(tmp_path: Path, count: str) -> None:
    repo = _repo(tmp_path)
    cscfg = repo / "svc" / "ServiceConfiguration.Cloud.cscfg"
    cscfg.write_text(
        cscfg.read_text(encoding="utf-8").replace('count=" 2 "', f'count="{count}"'),
        encoding="utf-8",
    )
    result = run_cli("lint", "svc", "--format", "json", "--fail-on", "warning", cwd=repo)
    result.assert_clean_exit(1)
    found = result.findings("CSM183")
    assert len(found) == 1
    assert found[0]["location"]["line"] == 5


@pytest.mark.parametrize(
    ("pattern", "replacement", "reason"),
    [
        (r"<Subnet><Name>[^<]*</Name>", "<Subnet>", "required key 'name' is missing"),
        (r"(<VirtualNetworkSite><Name>)[^<]*(</Name>)", r"\1\2", "must not be empty"),
    ],
)
def test_import_never_writes_a_document_its_schema_rejects(
    tmp_path: Path, pattern: str, replacement: str, reason: str
) -> None:
    export = tmp_path / "sites.xml"
    export.write_text(
        re.sub(pattern, replacement, VNET_SITES.read_text(encoding="utf-8"), count=1),
        encoding="utf-8",
    )
    result = run_cli("import", "sites.xml", "-o", "topology.json", cwd=tmp_path)
    result.assert_clean_exit(1)  # the rest is imported; the bad part is named and left out
    problems = [ln for ln in result.stderr.splitlines() if not ln.startswith("imported: ")]
    assert len(problems) == 1, result.stderr  # one line per problem, then the summary
    line = problems[0]
    assert re.match(r"sites\.xml:1:\d+: not imported \(the topology schema rejects it\)", line)
    assert reason in line
    written = tmp_path / "topology.json"
    lint = run_cli("lint", written.name, "--format", "json", cwd=tmp_path)
    lint.assert_clean_exit(0, 1)
    assert not input_errors(lint), "the document written must pass its own schema"
    sites = VNET_SITES.read_text(encoding="utf-8").count("<VirtualNetworkSite>")
    vnets = json.loads(written.read_text(encoding="utf-8"))["subscriptions"][0]["virtualNetworks"]
    assert len(vnets) == sites - (1 if "empty" in reason else 0)


def _special(tmp_path: Path, kind: str) -> str:
    if kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
        return str(path)
    return "/dev/zero"


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(
    "args",
    [
        ("lint", "svc", "--rules", "{}"),
        ("lint", "svc", "--config", "{}"),
        ("lint", "svc", "--topology", "{}"),
        ("lint", "svc", "--baseline", "{}"),
        ("plan", "svc", "--topology", "{}"),
        ("import", "{}", "-o", "t.json"),
        ("diagnose", "--file", "{}"),
    ],
)
def test_path_options_refuse_what_is_not_a_regular_file(
    tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    repo = _repo(tmp_path)
    special = _special(tmp_path, kind)
    result = run_cli(*(a.replace("{}", special) for a in args), cwd=repo, timeout=30)
    result.assert_clean_exit(2)
    assert "not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_named_fifo_is_an_input_error_not_a_hang(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    os.mkfifo(repo / "pipe")
    result = run_cli("lint", "svc", "pipe", "--format", "json", cwd=repo, timeout=30)
    result.assert_clean_exit(1)
    assert [f["location"]["file"] for f in input_errors(result)] == ["pipe"]


# --- item 4: nothing outside the tree unless named -------------------------------------------


def test_a_named_folder_link_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(SERVICE, outside)
    (repo / "elsewhere").symlink_to(outside)
    result = run_cli("lint", "elsewhere", "--format", "json", cwd=repo)
    result.assert_clean_exit(1)
    errors = input_errors(result)
    assert [e["location"]["file"] for e in errors] == ["elsewhere"]
    assert "outside the working directory" in errors[0]["message"]
    assert not [f for f in result.json()["findings"] if f["ruleId"] != "CSM000"]


def test_a_report_link_out_of_the_tree_is_never_written(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    (repo / "out").mkdir()
    (repo / "out" / "csmlint.sarif").symlink_to(victim)
    result = run_cli(
        "lint", "svc", "--format", "sarif=out/csmlint.sarif,json=out/csmlint.json", cwd=repo
    )
    result.assert_clean_exit(2)
    assert "outside the working tree" in result.stderr
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    assert not (repo / "out" / "csmlint.json").exists()  # all or nothing


def test_no_folder_is_created_through_a_dangling_link(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "out").symlink_to(repo / "missing" / "deeper")
    result = run_cli("lint", "svc", "--format", "json=out/r.json", cwd=repo)
    result.assert_clean_exit(2)
    assert "dangling symbolic link" in result.stderr
    assert not (repo / "missing").exists()


def test_pipes_devices_and_a_link_inside_the_tree_keep_working(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "reports").mkdir()
    (repo / "latest.json").symlink_to(repo / "reports" / "r.json")
    result = run_cli("lint", "svc", "--format", "json=latest.json,sarif=/dev/null", cwd=repo)
    result.assert_clean_exit(0)
    assert (repo / "latest.json").is_symlink()
    assert '"findings"' in (repo / "reports" / "r.json").read_text(encoding="utf-8")


def test_a_discovered_config_link_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    secret = tmp_path / "environ"
    secret.write_text("GITHUB_TOKEN: ghp_secretvalue\n", encoding="utf-8")
    (repo / ".csmlint.yaml").symlink_to(secret)
    result = run_cli("lint", "svc", cwd=repo)
    result.assert_clean_exit(2)
    assert "outside the repository" in result.stderr
    assert "GITHUB_TOKEN" not in result.stderr + result.stdout


@pytest.mark.parametrize("entry", ["../outside.json", "{abs}"])
def test_config_topology_outside_the_repository_is_refused(tmp_path: Path, entry: str) -> None:
    repo = _repo(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text('{"schema": "csmlint.topology/v1", "x-canary": "LEAKED"}', "utf-8")
    (repo / ".csmlint.yaml").write_text(
        f"topology: [{entry.replace('{abs}', str(outside))}]\n", encoding="utf-8"
    )
    result = run_cli("lint", "svc", "--format", "json", cwd=repo)
    result.assert_clean_exit(2)
    assert "resolves outside the repository" in result.stderr
    assert "LEAKED" not in result.stderr + result.stdout


# --- item 5: fail closed ------------------------------------------------------------------


def test_an_unreadable_folder_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run in-process: as root (CI containers) permissions do not stop a read, so the
    refusal is simulated where the walk lists the folder."""
    repo = _repo(tmp_path)
    (repo / "svc" / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(repo)
    found = discover(["svc"], cwd=str(repo))
    errors = [(c.display, c.error.reason) for c in found.files if c.error is not None]
    assert errors == [("svc/locked", "cannot read folder: Permission denied")]


# --- item 6: all or nothing ---------------------------------------------------------------


def test_a_failed_write_replaces_no_report_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    out = repo / "out"
    out.mkdir()
    (out / "a.json").write_text("old", encoding="utf-8")
    (out / "b.sarif").mkdir()  # cannot be replaced by a file
    result = run_cli("lint", "svc", "--format", "json=out/a.json,sarif=out/b.sarif", cwd=repo)
    result.assert_clean_exit(2)
    assert (out / "a.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.sarif"]


def test_sigint_prints_interrupted_and_exits_130(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    for n in range(1200):  # long enough to interrupt mid-run (about 2 s of linting)
        shutil.copytree(SERVICE, repo / f"svc{n}")
    child = subprocess.Popen(
        [sys.executable, "-m", "csmlint", "lint", ".", "--format", "json=out/r.json"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.7)  # past start-up, inside the run
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    if child.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert child.returncode == 130, err
    assert err.strip().endswith("csmlint: interrupted")
    assert "Traceback" not in err
    # interrupted before the report was renamed into place: no report and no temporary
    # file; after it (a fast run, a signal during exit): the whole report, never a part
    left = sorted(p.name for p in (repo / "out").iterdir()) if (repo / "out").exists() else []
    assert left in ([], ["r.json"]), left
    if left:
        assert json.loads((repo / "out" / "r.json").read_text(encoding="utf-8"))["findings"]


def test_import_refuses_a_planted_output_link_before_reading_it(tmp_path: Path) -> None:
    """`import -o out/t.json` with `out/t.json -> outside`: the outside file was read as the
    topology to merge into, and its first word echoed in the error (re-check after audit)."""
    repo = _repo(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET value\n", encoding="utf-8")
    (repo / "out").mkdir()
    (repo / "out" / "t.json").symlink_to(secret)
    shutil.copy(VNET_SITES, repo / "sites.xml")
    result = run_cli("import", "sites.xml", "-o", "out/t.json", cwd=repo)
    result.assert_clean_exit(2)
    assert "outside the working tree" in result.stderr
    assert "TOPSECRET" not in result.stderr + result.stdout
    assert secret.read_text(encoding="utf-8") == "TOPSECRET value\n"
