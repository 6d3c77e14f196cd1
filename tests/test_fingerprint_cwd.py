"""Fingerprints are the same whichever folder of the repository csmlint runs from."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from csmlint.engine import RunOptions, run


def _fingerprints(cwd: Path, target: str, root: Path) -> dict[tuple[str, str], str]:
    result, _ = run(RunOptions(paths=[target], cwd=str(cwd), source_root=str(root)))
    return {(f.rule_id, f.message): f.fingerprint for f in result.findings}


def test_fingerprints_do_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "examples" / "contoso", repo / "deploy" / "contoso")
    (repo / ".git").mkdir()
    from_root = _fingerprints(repo, "deploy", repo)
    from_inside = _fingerprints(repo / "deploy" / "contoso", ".", repo)
    assert from_root, "the example estate must produce findings"
    assert from_root == from_inside
    assert len(set(from_root.values())) == len(from_root), "fingerprints must be distinct"


def test_same_named_services_in_two_folders_get_distinct_fingerprints(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for copy in ("a", "b"):
        shutil.copytree(FIXTURES / "examples" / "contoso" / "src", repo / copy)
    result, _ = run(RunOptions(paths=["."], cwd=str(repo), source_root=str(repo)))
    prints = [f.fingerprint for f in result.findings]
    assert len(prints) == len(set(prints))
    assert {f.location.path.split("/")[0] for f in result.findings} == {"a", "b"}
