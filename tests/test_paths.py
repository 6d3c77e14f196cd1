"""File-system hazards from ``shared/corpus/hostile/paths/README.md``, created under tmp_path.

Symlink loops, links leading out of the tree, unreadable files, FIFOs, a directory named like
an input, odd file names and many files in one directory. Every run is a real CLI process.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from clirun import CliResult, run_cli
from conftest import FIXTURES
from test_sarif import check_sarif

from csmlint.reporting import REPORTERS

MODERN = FIXTURES / "services" / "modern"
LEGACY = FIXTURES / "services" / "legacy-size"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="symlinks/FIFOs/odd names: POSIX")


def _service(folder: Path, source: Path = LEGACY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in source.iterdir():
        shutil.copyfile(f, folder / f.name)
    return folder


def _skipped(result: CliResult) -> dict[str, str]:
    out = {}
    for line in result.stderr.splitlines():
        if line.startswith("skipped "):
            name, _, why = line.removeprefix("skipped ").partition(": ")
            out[name] = why
    return out


def _canary_csdef(role: str) -> bytes:
    """A .csdef that would echo ``role`` into a CSM127 finding if it were ever linted."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ServiceDefinition name="outside" xmlns="http://schemas.microsoft.com/ServiceHosting'
        '/2008/10/ServiceDefinition">\n'
        f'  <WorkerRole name="{role}" vmsize="Small" />\n'
        "</ServiceDefinition>\n"
    ).encode()


@POSIX_ONLY
def test_symlink_loops_finish_and_each_file_is_linted_once(tmp_path: Path) -> None:
    svc = _service(tmp_path / "repo" / "Reports")
    os.symlink("..", svc / "loop")
    os.symlink("self.cscfg", svc / "self.cscfg")
    os.symlink("ServiceDefinition.csdef", svc / "alias.csdef")
    result = run_cli("lint", "repo", "--format", "json", "-v", cwd=tmp_path, timeout=20)
    result.assert_clean_exit(0)
    assert result.json()["files"] == [
        "repo/Reports/ServiceConfiguration.Cloud.cscfg",
        "repo/Reports/ServiceDefinition.csdef",
    ], "the loop was followed or a file was linted twice (alias.csdef is the same file)"
    assert "broken symbolic link" in _skipped(result)["repo/Reports/self.cscfg"]
    assert len(result.findings("CSM127")) == 1


@POSIX_ONLY
def test_links_leading_out_of_the_tree_are_not_read(tmp_path: Path) -> None:
    canary = "OUTSIDE-TREE-CANARY-7f3a"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csdef").write_bytes(_canary_csdef(canary))
    repo = _service(tmp_path / "repo" / "Reports").parent
    os.symlink("../outside/secret.csdef", repo / "link.csdef")
    os.symlink(str(outside), repo / "outside-dir")
    os.symlink("/etc/hostname", repo / "x.cscfg")

    walked = run_cli("lint", "repo", "--format", "json", "-v", cwd=tmp_path)
    walked.assert_clean_exit(0)
    assert canary not in walked.stdout + walked.stderr
    skipped = _skipped(walked)
    assert skipped["repo/link.csdef"] == "symlink to a file outside the linted tree"
    assert skipped["repo/x.cscfg"] == "symlink to a file outside the linted tree"
    assert not any("outside-dir" in f for f in walked.json()["files"])

    # Named explicitly (as pre-commit passes file names): refused, and it must not look clean.
    named = run_cli("lint", "link.csdef", "--format", "json", cwd=repo)
    named.assert_clean_exit(1)
    assert canary not in named.stdout + named.stderr
    [error] = named.findings("CSM000")
    assert error["location"]["file"] == "link.csdef"
    assert "outside the working directory" in error["message"]


@POSIX_ONLY
def test_unreadable_file_is_an_input_error_and_the_rest_is_linted(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: mode 000 files are still readable")
    svc = _service(tmp_path / "Reports")
    locked = svc / "ServiceConfiguration.Cloud.cscfg"
    locked.chmod(0)
    try:
        result = run_cli("lint", ".", "--format", "json", cwd=tmp_path)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    result.assert_clean_exit(1)
    [error] = result.findings("CSM000")
    assert error["location"]["file"] == "Reports/ServiceConfiguration.Cloud.cscfg"
    assert "Permission denied" in error["message"]
    assert len(result.findings("CSM127")) == 1, "the readable .csdef was not linted"


@POSIX_ONLY
def test_fifo_does_not_hang_the_run(tmp_path: Path) -> None:
    svc = _service(tmp_path / "Reports")
    os.mkfifo(svc / "pipe.cscfg")
    walked = run_cli("lint", ".", "--format", "json", "-v", cwd=tmp_path, timeout=20)
    walked.assert_clean_exit(0)
    assert _skipped(walked)["Reports/pipe.cscfg"].startswith("not a regular file")
    named = run_cli("lint", "Reports/pipe.cscfg", "--format", "json", cwd=tmp_path, timeout=20)
    named.assert_clean_exit(1)
    [error] = named.findings("CSM000")
    assert "not a regular file" in error["message"]


def test_directory_named_like_an_input(tmp_path: Path) -> None:
    _service(tmp_path / "ServiceConfiguration.cscfg" / "Reports")
    walked = run_cli("lint", ".", "--format", "json", cwd=tmp_path)
    walked.assert_clean_exit(0)
    assert walked.json()["files"] == [
        "ServiceConfiguration.cscfg/Reports/ServiceConfiguration.Cloud.cscfg",
        "ServiceConfiguration.cscfg/Reports/ServiceDefinition.csdef",
    ]
    assert walked.findings("CSM000") == [], "a directory was read as a file"
    # Named explicitly, a directory is a folder to walk (like every linter), not an error.
    named = run_cli("lint", "ServiceConfiguration.cscfg", "--format", "json", cwd=tmp_path)
    assert named.json()["files"] == walked.json()["files"]


ODD_NAMES = [
    "Web Role#1/ServiceConfiguration.cscfg",
    "\u00fc/\u00df.cscfg",
    "a%20b.cscfg",
    "a\nb.cscfg",
    "src\\Web\\a.cscfg",  # a literal file name on POSIX, never converted
]


@POSIX_ONLY
def test_odd_file_names(tmp_path: Path) -> None:
    for name in ODD_NAMES:
        target = tmp_path / "repo" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    raw = os.fsencode(tmp_path / "repo") + b"/bad\xffname.cscfg"
    with open(raw, "wb"):
        pass
    expected = sorted(["repo/" + n for n in ODD_NAMES] + ["repo/bad\\xffname.cscfg"])

    result = run_cli("lint", "repo", "--format", "json", cwd=tmp_path)
    result.assert_clean_exit(1)
    assert sorted(result.json()["files"]) == expected
    errors = result.findings("CSM000")
    assert sorted(f["location"]["file"] for f in errors) == expected
    assert all("document is empty" in f["message"] for f in errors)

    # Text to a strict UTF-8 stdout: nothing un-encodable, one line per finding.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    text = run_cli("lint", "repo", env=env, cwd=tmp_path)
    text.assert_clean_exit(1)
    lines = [ln for ln in text.stdout.splitlines() if "CSM000" in ln]
    assert len(lines) == len(expected), text.describe()
    assert any(ln.startswith("repo/a\\nb.cscfg:1:1: ") for ln in lines), "newline not escaped"
    assert any(ln.startswith("repo/bad\\xffname.cscfg:1:1: ") for ln in lines)


@POSIX_ONLY
def test_odd_file_names_in_sarif_uris(tmp_path: Path) -> None:
    if "sarif" not in REPORTERS:
        pytest.skip("no SARIF reporter yet")
    for name in ODD_NAMES:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    result = run_cli("lint", ".", "--format", "sarif", cwd=tmp_path)
    result.assert_clean_exit(1)
    check_sarif(result.stdout)  # OASIS schema and GitHub's rules
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for run in result.json()["runs"]
        for res in run["results"]
        for loc in res.get("locations", [])
    ]
    assert len(uris) == len(ODD_NAMES)
    for uri in uris:
        assert not uri.startswith(("/", "file:")), uri
        assert not any(c in uri for c in " \n\\#"), f"not percent-encoded: {uri!r}"
        assert ".." not in uri.split("/"), uri


def test_many_files_in_one_directory(tmp_path: Path) -> None:
    """10,000 empty .cscfg files: one 'document is empty' finding each, bounded memory."""
    many = tmp_path / "many"
    many.mkdir()
    count = 10_000
    for i in range(count):
        (many / f"ServiceConfiguration.{i:05d}.cscfg").touch()
    result = run_cli("lint", "many", "--format", "json", cwd=tmp_path, timeout=120)
    result.assert_clean_exit(1)
    report = result.json()
    assert len(report["files"]) == count
    errors = [f for f in report["findings"] if f["ruleId"] == "CSM000"]
    assert len(errors) == count == len(report["findings"])
    assert {f["message"] for f in errors} == {"Cannot lint this file: document is empty"}
    assert report["files"] == sorted(report["files"]), "files are not reported in a stable order"
    assert result.max_rss_mb < 500, result.describe()


def test_oversize_files_are_classified_by_their_first_bytes(tmp_path: Path) -> None:
    """An oversize .xml that is no csmlint input (a NuGet XML doc file) is not an input
    error; an oversize topology under a plain .json name is one, not silently skipped."""
    svc = _service(tmp_path / "Reports")
    lib = tmp_path / "packages" / "Newtonsoft.Json" / "lib"
    lib.mkdir(parents=True)
    member = '<member name="M:Newtonsoft.Json.JsonConvert.SerializeObject"><summary>x</summary>'
    (lib / "Newtonsoft.Json.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<doc><assembly><name>Newtonsoft.Json</name>'
        "</assembly><members>\n" + (member + "</member>\n") * 2000 + "</members></doc>\n",
        encoding="utf-8",
    )
    (tmp_path / "estate.json").write_text(
        '{"schema": "csmlint.topology/v1", "subscriptions": [], "x-padding": "'
        + "x" * 200_000
        + '"}\n',
        encoding="utf-8",
    )
    result = run_cli("lint", ".", "--format", "json", "--max-file-size", "100KB", cwd=tmp_path)
    result.assert_clean_exit(1)
    errors = result.findings("CSM000")
    assert [e["location"]["file"] for e in errors] == ["estate.json"], result.describe()
    assert "larger than the limit" in errors[0]["message"]
    # the fix is the limit (new-user check: it said to fix the file at its line and column)
    assert "raise the limit (--max-file-size" in errors[0]["remediation"]["text"]
    assert len(result.findings("CSM127")) == 1, "the service next to them was not linted"
    assert "packages/Newtonsoft.Json/lib/Newtonsoft.Json.xml" not in result.json()["files"]
    del svc
