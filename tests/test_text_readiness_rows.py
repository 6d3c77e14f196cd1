"""The text report's readiness rows can be told apart: three copies of one project (a
backup, a build output) were three identical rows, and their unit ids changed case from the
second on (``cloudService:SmallCloudService``, ``cloudService:smallcloudservice#2``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES
from snapshots import reference_context

from csmlint.engine import RunOptions, run
from csmlint.reporting import text

CASE = FIXTURES / "rules" / "CSM116-deployment-not-in-vnet" / "no-virtual-network-site"


def test_copies_of_one_service_are_told_apart_by_their_csdef(tmp_path: Path) -> None:
    for copy in ("Backup", "Current", "Old"):
        shutil.copytree(CASE, tmp_path / copy)
    result, rules = run(RunOptions(paths=[str(tmp_path)], cwd=str(tmp_path)))
    units = sorted(u.shown_id for u in result.units if u.kind == "cloudService")
    name = units[0].partition(":")[2]
    assert units == [f"cloudService:{name}", f"cloudService:{name}#2", f"cloudService:{name}#3"]
    report = text.render(result, rules, reference_context(cwd=str(tmp_path)))
    rows = report.split("Readiness by cloud service:\n")[1].split("Readiness by migration")[0]
    lines = rows.splitlines()
    assert len(lines) == 3 and len(set(lines)) == 3
    for copy in ("Backup", "Current", "Old"):
        assert sum(f"[{copy}/ServiceDefinition.csdef]" in line for line in lines) == 1, rows


def test_a_service_alone_of_its_name_keeps_its_plain_label(tmp_path: Path) -> None:
    shutil.copytree(CASE, tmp_path / "svc")
    result, rules = run(RunOptions(paths=[str(tmp_path)], cwd=str(tmp_path)))
    report = text.render(result, rules, reference_context(cwd=str(tmp_path)))
    rows = report.split("Readiness by cloud service:\n")[1].split("Readiness by migration")[0]
    assert "[" not in rows
