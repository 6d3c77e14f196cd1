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


def test_topology_fingerprints_survive_an_inserted_cloud_service(tmp_path: Path) -> None:
    """A finding on a topology entity keeps its fingerprint when another cloud service is
    added in front of it (its JSON pointer's array index moves; the entity does not)."""
    import json

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "examples" / "tailspin", repo)
    (repo / ".git").mkdir()
    before = _fingerprints(repo, ".", repo)
    assert before, "the example estate must produce findings"
    topology = repo / "topology" / "tailspin.topology.json"
    document = json.loads(topology.read_text(encoding="utf-8"))
    document["subscriptions"][0]["cloudServices"].insert(
        0, {"name": "tailspin-newcomer", "location": "West Europe", "deployments": []}
    )
    topology.write_text(json.dumps(document, indent=2), encoding="utf-8")
    after = _fingerprints(repo, ".", repo)
    changed = sorted(key for key, fp in before.items() if after.get(key, fp) != fp)
    assert not changed, f"fingerprints changed for untouched entities: {changed}"
    assert any(key in after for key in before), "the same findings should still be reported"
