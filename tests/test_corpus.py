"""The real-world corpus (``shared/corpus/real``: 465 files from 86 public repositories).

The whole corpus is linted without a crash; every input in it is either linted or reported
as an input error (nothing silently dropped); the two malformed files are reported at their
line and column; default excludes drop emulator configurations and build-output copies; the
report is deterministic.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest
from clirun import CliResult, run_cli
from conftest import shared_path

from csmlint.discovery import ASM_ROOTS

INPUT_EXTENSIONS = (".cscfg", ".csdef", ".netcfg")
FILE_ROOTS = ("ServiceDefinition", "ServiceConfiguration", "NetworkConfiguration")
BUILD_DIRS = re.compile(r"(^|/)(bin|obj|csx|[^/]+\.csx)/")
_PROLOG = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->)", re.S)
_ROOT = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)([^>]*)")
_XMLNS = re.compile(r"""\sxmlns\s*=\s*["']([^"']*)["']""")


@pytest.fixture(scope="module")
def corpus() -> Path:
    return shared_path("corpus", "real")


@pytest.fixture(scope="module")
def report_run(corpus: Path) -> CliResult:
    result = run_cli("lint", ".", "--format", "json", "-v", cwd=corpus, timeout=120)
    result.assert_clean_exit(0, 1)
    return result


def _root_of(data: bytes) -> tuple[str, str] | None:
    """(root element local name, default namespace): a test-side reading, not csmlint's."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace")
    text = text.lstrip("\ufeff")
    pos = 0
    while m := _PROLOG.match(text, pos):
        pos = m.end()
    m = _ROOT.match(text.lstrip()[:4096] if pos == 0 else text[pos:].lstrip()[:4096])
    if not m:
        return None
    ns = _XMLNS.search(m.group(2))
    return m.group(1), ns.group(1) if ns else ""


def _expected_inputs(corpus: Path) -> set[str]:
    """Files csmlint must lint by default: by extension, or .xml by root element."""
    out = set()
    for path in corpus.rglob("*"):
        rel = path.relative_to(corpus).as_posix()
        name = path.name
        # excluded by default: emulator-only configurations and build-generated definitions
        if not path.is_file() or name.lower().endswith((".local.cscfg", ".build.csdef")):
            continue
        if name.lower().endswith(INPUT_EXTENSIONS):
            out.add(rel)
        elif name.lower().endswith(".xml"):
            root = _root_of(path.read_bytes())
            # Service Management responses count with or without their namespace: the
            # corpus holds hand-trimmed ones (zyadamec/migAz test documents) without it.
            if root and (root[0] in FILE_ROOTS or root[0] in ASM_ROOTS):
                out.add(rel)
    return out


def test_the_corpus_lints_without_a_crash(report_run: CliResult) -> None:
    report = report_run.json()
    assert report["summary"]["files"] > 350
    assert report["summary"]["cloudServices"] > 150
    assert "internal error" not in report_run.stderr


def test_every_input_is_linted_or_an_input_error(corpus: Path, report_run: CliResult) -> None:
    report = report_run.json()
    files = set(report["files"])
    expected = _expected_inputs(corpus)
    assert len(expected) > 350, "the test-side classification found too few inputs"
    missing = sorted(expected - files)
    assert not missing, f"inputs neither linted nor reported: {missing[:20]}"
    unexpected = sorted(files - expected)
    assert not unexpected, f"linted, but not csmlint inputs (or excluded by default): {unexpected}"
    errors = {f["location"]["file"] for f in report["findings"] if f["ruleId"] == "CSM000"}
    assert errors <= files


def _position(corpus: Path, rel: str, line: int, needle: str, offset: int) -> tuple[int, int]:
    text = (corpus / rel).read_bytes().decode("utf-8-sig").splitlines()[line - 1]
    return line, text.index(needle) + offset + 1


def test_the_two_malformed_files(corpus: Path, report_run: CliResult) -> None:
    mismatch = "brectanus-sigsci__azure_cloud_service/ServiceConfiguration.csdef"
    unescaped = "dtPaTh__Dynatrace-Azure-CloudServices/ServiceConfiguration.Cloud.cscfg"
    errors = {
        f["location"]["file"]: f for f in report_run.json()["findings"] if f["ruleId"] == "CSM000"
    }
    assert sorted(errors) == [mismatch, unescaped], "only the two malformed files may fail"
    # libxml2 reports the mismatch just after the offending end tag (line 18)...
    want = _position(corpus, mismatch, 18, "</WorkerRole>", len("</WorkerRole>"))
    got = errors[mismatch]
    assert (got["location"]["line"], got["location"]["column"]) == want, got
    assert "Opening and ending tag mismatch: WokerRole line 3 and WorkerRole" in got["message"]
    # ...and the unescaped '<' at the character itself (line 6)
    want = _position(corpus, unescaped, 6, 'value="<', len('value="'))
    got = errors[unescaped]
    assert (got["location"]["line"], got["location"]["column"]) == want, got
    assert "Unescaped '<' not allowed in attributes values" in got["message"]


def test_local_configurations_are_skipped_and_said_so(corpus: Path, report_run: CliResult) -> None:
    local = sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.name.endswith(".Local.cscfg")
    )
    assert len(local) > 40
    skipped = [ln for ln in report_run.stderr.splitlines() if ln.startswith("skipped ")]
    for rel in local:
        assert f"skipped {rel}: excluded by *.Local.cscfg" in skipped, rel


def test_two_runs_give_identical_json(corpus: Path, report_run: CliResult) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    again = run_cli("lint", ".", "--format", "json", "-v", cwd=corpus, env=env, timeout=120)
    again.assert_clean_exit(report_run.code)
    assert again.stdout == report_run.stdout


@pytest.fixture(scope="module")
def rebuilt(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The corpus put back at its repository paths (PROVENANCE.tsv), so that bin/, obj/ and
    csx/ are folders again: (root, relative paths)."""
    root = tmp_path_factory.mktemp("rebuilt")
    mapping: dict[str, str] = {}
    with (corpus / "PROVENANCE.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            repo_dir = row["repo"].replace("/", "__")
            rel = f"{repo_dir}/{row['path_in_repo']}"
            if rel in mapping:  # the same path at several commits: keep the first
                continue
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(corpus / row["local_path"], target)
            mapping[rel] = row["local_path"]
    return root, set(mapping)


def test_default_excludes_on_the_rebuilt_tree(rebuilt: tuple[Path, set[str]]) -> None:
    root, rels = rebuilt
    inputs = {rel for rel in rels if rel.lower().endswith(INPUT_EXTENSIONS)}
    excluded = {
        rel
        for rel in inputs
        if rel.endswith((".Local.cscfg", ".local.cscfg", ".build.csdef")) or BUILD_DIRS.search(rel)
    }
    assert len([r for r in excluded if BUILD_DIRS.search(r)]) > 20, "no build output rebuilt"

    default = run_cli("lint", ".", "--format", "json", "-v", cwd=root, timeout=120)
    default.assert_clean_exit(0, 1)
    linted = set(default.json()["files"])
    assert not linted & excluded, sorted(linted & excluded)[:10]
    assert inputs - excluded <= linted, sorted((inputs - excluded) - linted)[:10]
    skipped = {
        ln.removeprefix("skipped ").split(": excluded by ")[0]
        for ln in default.stderr.splitlines()
        if ": excluded by " in ln
    }
    assert excluded <= skipped, sorted(excluded - skipped)[:10]

    everything = run_cli(
        "lint", ".", "--format", "json", "--no-default-excludes", cwd=root, timeout=120
    )
    everything.assert_clean_exit(0, 1)
    assert excluded <= set(everything.json()["files"])
