"""Several reports from one run: every file written, atomically, and nothing half-written
when the run fails part-way (a reporter crash, a write error, a kill during the write)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_main
from snapshots import ESTATE
from test_junit import check_junit
from test_sarif import check_sarif

from csmlint.cli import main

FORMATS = [
    "--format",
    "sarif=out/csmlint.sarif",
    "--format",
    "junit=out/junit.xml",
    "--format",
    "markdown=out/summary.md",
    "--format",
    "json=out/report.json",
    "--format",
    "text",
]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git-like work tree holding a copy of the reference estate under ``deploy/``."""
    root = tmp_path / "repo"
    shutil.copytree(ESTATE, root / "deploy")
    (root / ".git").mkdir()
    return root


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSMLINT")}
    return subprocess.run(
        [sys.executable, "-m", "csmlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".csmlint-*"))


def test_one_run_writes_every_report(repo: Path) -> None:
    proc = _cli(["lint", "deploy", *FORMATS], cwd=repo)
    assert proc.returncode == 1, proc.stderr  # the estate has errors
    assert "Traceback" not in proc.stderr
    assert "Readiness by cloud service:" in proc.stdout  # text went to standard output
    out = repo / "out"
    log = check_sarif((out / "csmlint.sarif").read_text(encoding="utf-8"))
    check_junit((out / "junit.xml").read_text(encoding="utf-8"))
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("## csmlint")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["findings"]) == len(log["runs"][0]["results"])
    umask = os.umask(0)
    os.umask(umask)
    for name in ("csmlint.sarif", "junit.xml", "summary.md", "report.json"):
        mode = stat.S_IMODE((out / name).stat().st_mode)
        assert mode == 0o666 & ~umask, oct(mode)  # like open(), not mkstemp's 0600
    assert not _leftovers(repo)


def test_sarif_uris_are_relative_to_the_repository_root(repo: Path) -> None:
    proc = _cli(
        ["lint", ".", "--sarif-category", "cs-es", "--format", "sarif=../out/a.sarif"],
        cwd=repo / "deploy",
    )
    assert proc.returncode == 1, proc.stderr
    log = check_sarif((repo / "out" / "a.sarif").read_text(encoding="utf-8"))
    (run_,) = log["runs"]
    assert run_["automationDetails"]["id"] == "cs-es/"
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]
    ]
    assert uris and all(u.startswith("deploy/") for u in uris), uris

    proc = _cli(
        ["lint", ".", "--source-root", ".", "--format", "sarif=../out/b.sarif"], cwd=repo / "deploy"
    )
    log = check_sarif((repo / "out" / "b.sarif").read_text(encoding="utf-8"))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris and not any(u.startswith("deploy/") for u in uris)

    proc = _cli(["lint", ".", "--source-root", "missing", "-f", "sarif=x.sarif"], cwd=repo)
    assert proc.returncode == 2 and "--source-root" in proc.stderr


def _run_main(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    code = exit_info.value.code
    return code if isinstance(code, int) else 0


@pytest.mark.parametrize("broken", ["junit", "json"])
def test_a_reporter_crash_writes_no_report_at_all(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    """junit fails before writing; json (streamed) fails half-way through its file."""
    from collections.abc import Iterator

    import csmlint.reporting as reporting

    (repo / "out").mkdir()
    previous = repo / "out" / "csmlint.sarif"
    previous.write_text("previous complete report\n", encoding="utf-8")
    real = reporting.get_stream

    def flaky(name: str):  # type: ignore[no-untyped-def]
        if name != broken:
            return real(name)

        def boom(*args: object) -> Iterator[str]:
            if name == "junit":
                raise RuntimeError("disk quota exceeded while thinking")
            for n, piece in enumerate(real(name)(*args)):  # type: ignore[arg-type]
                if n == 2:
                    raise RuntimeError("disk quota exceeded while thinking")
                yield piece

        return boom

    monkeypatch.setattr(reporting, "get_stream", flaky)
    monkeypatch.chdir(repo)
    code = _run_main(["lint", "deploy", *FORMATS])
    assert code == 3
    assert "internal error" in capsys.readouterr().err
    assert previous.read_text(encoding="utf-8") == "previous complete report\n"
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["csmlint.sarif"]


def test_a_write_error_is_a_clean_exit_2_and_leaves_no_partial_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csmlint.reporting.output as output

    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes half of what it is given, then fails like a full disk."""

        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self._fh = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()

        def write(self, text: str) -> int:
            self._fh.write(text[: len(text) // 2])
            self._fh.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fdopen", HalfWriter)
    monkeypatch.chdir(repo)
    code = _run_main(["lint", "deploy", "--format", "sarif=out/csmlint.sarif"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "cannot write report out/csmlint.sarif: No space left on device" in err
    assert not (repo / "out" / "csmlint.sarif").exists()
    assert not _leftovers(repo)


def test_killed_while_writing_leaves_the_previous_report(repo: Path) -> None:
    out = repo / "out"
    out.mkdir()
    target = out / "csmlint.sarif"
    target.write_text("previous complete report\n", encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "import csmlint.reporting.output as output\n"
        "def die(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "output.os.replace = die\n"
        "from csmlint.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "lint", "deploy", "--format", "sarif=out/csmlint.sarif"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "previous complete report\n"
    (tmp,) = [p for p in out.iterdir() if p.name.startswith(".csmlint-")]
    check_sarif(tmp.read_text(encoding="utf-8"))  # the complete new report, never renamed


def _doc_commands() -> list[tuple[str, list[str]]]:
    """The ``csmlint lint`` invocations of the two pipelines in docs/ci.md."""
    import re
    import shlex

    import yaml
    from conftest import ROOT

    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        doc = yaml.safe_load(block)
        steps = doc["steps"] if "steps" in doc else doc["jobs"]["csmlint"]["steps"]
        for step in steps:
            script = step.get("run") or step.get("script") or ""
            if script.strip().startswith("csmlint lint"):
                script = script.replace("$(Build.ArtifactStagingDirectory)", "staging")
                out.append(("azure" if "script" in step else "github", shlex.split(script)))
    return out


def test_the_documented_pipelines_run_and_write_what_they_upload(repo: Path) -> None:
    commands = _doc_commands()
    assert {name for name, _ in commands} == {"github", "azure"}
    for _name, argv in commands:
        proc = _cli(argv[1:], cwd=repo)
        assert proc.returncode == 1, proc.stderr
        for arg in argv:
            if "=" in arg and not arg.startswith("-"):
                path = repo / arg.split("=", 1)[1]
                assert path.is_file(), path
                if path.suffix == ".sarif":
                    check_sarif(path.read_text(encoding="utf-8"))
                if path.suffix == ".xml":
                    check_junit(path.read_text(encoding="utf-8"))
    assert (repo / "staging" / "CodeAnalysisLogs" / "csmlint.sarif").is_file()


def test_reports_are_byte_identical_across_hash_seeds(repo: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSMLINT")}
        env["PYTHONHASHSEED"] = seed
        subprocess.run(
            [sys.executable, "-m", "csmlint", "lint", "deploy", *FORMATS[:-2]],
            cwd=repo,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted((repo / "out").iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"csmlint.sarif", "junit.xml", "summary.md", "report.json"}


def test_a_symlinked_report_path_keeps_its_link(repo: Path) -> None:
    (repo / "reports").mkdir()
    (repo / "latest.json").symlink_to(repo / "reports" / "run.json")
    proc = _cli(["lint", "deploy", "--format", "json=latest.json"], cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert (repo / "latest.json").is_symlink()
    report = json.loads((repo / "reports" / "run.json").read_text(encoding="utf-8"))
    assert report["findings"]
    assert not _leftovers(repo)


def test_a_fifo_is_written_through_not_replaced(repo: Path) -> None:
    import threading

    fifo = repo / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = _cli(["lint", "deploy", "--format", "sarif=report.pipe"], cwd=repo)
    reader.join(timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a pipe, not a regular file
    check_sarif(received[0].decode("utf-8"))


def test_dash_is_standard_output_and_two_reports_cannot_share_a_path(repo: Path) -> None:
    proc = _cli(["lint", "deploy", "--format", "json=-"], cwd=repo)
    assert json.loads(proc.stdout)["findings"] and not (repo / "-").exists()
    proc = _cli(["lint", "deploy", "-f", "json=out/a.json", "-f", "sarif=out/./a.json"], cwd=repo)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "csmlint: error: --format json and --format sarif would both write 'out/./a.json'"
    ]
    assert not (repo / "out").exists()


def test_a_file_where_the_report_folder_should_be_is_named(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "out").write_text("not a folder\n", "utf-8")
    code, _, err = run_main(repo, capsys, "lint", "deploy", "-f", "json=out/reports/a.json")
    assert code == 2
    assert err.strip() == (
        "csmlint: error: cannot write report out/reports/a.json: out is a file, not a folder"
    )
    assert (repo / "out").read_text("utf-8") == "not a folder\n"


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "deploy", "-o", "deploy/network/NetworkConfig.netcfg"],
        ["lint", "deploy", "-f", "text", "-f", "sarif=./deploy/network/NetworkConfig.netcfg"],
        ["plan", "deploy", "-f", "markdown=deploy/network/NetworkConfig.netcfg"],
        ["lint", "deploy", "-f", "json=.csmlint.yaml"],
        ["lint", "deploy", "-f", "json=ci/base.yaml"],  # what the configuration extends
        # skipped by default, but the service's all the same
        ["lint", "deploy", "-o", "deploy/src/Fabrikam.Shop/ServiceConfiguration.Local.cscfg"],
        # a rule pack and the baseline are read too
        ["lint", "deploy", "--rules", "pack", "-f", "json=pack/pack.yaml"],
        ["lint", "deploy", "--rules", "pack", "-f", "json=pack/new.yaml"],  # a new pack file
        ["plan", "deploy", "--rules", "pack", "-o", "pack/CSM908-contoso-dv2-only.yaml"],
        ["lint", "deploy", "--baseline", "bl.json", "-f", "sarif=bl.json"],
    ],
)
def test_a_report_never_replaces_an_input(repo: Path, args: list[str]) -> None:
    """New-user check: ``-o ServiceDefinition.csdef`` wrote the text report over the .csdef
    and exited 0. Every file the run read (inputs, the configuration) is refused."""
    (repo / "ci").mkdir()
    (repo / "ci" / "base.yaml").write_text("ignore: []\n", "utf-8")
    (repo / ".csmlint.yaml").write_text("extends: ci/base.yaml\n", "utf-8")
    shutil.copytree(
        Path(__file__).parent.parent / "fixtures" / "rulepacks" / "contoso", repo / "pack"
    )
    assert _cli(["baseline", "create", "deploy", "--baseline", "bl.json"], cwd=repo).returncode == 0
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    proc = _cli(args, cwd=repo)
    assert proc.returncode == 2, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert "refusing to write the" in line and "report over a file csmlint reads" in line, line
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before
    assert not _leftovers(repo)
