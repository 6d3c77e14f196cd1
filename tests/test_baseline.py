"""Baselines: `csmlint baseline create|update|prune` and `lint --baseline`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import run_main

from csmlint.workflow import clock

NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"
SERVICE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    f'<ServiceDefinition name="Litware.Billing" xmlns="{NS}" schemaVersion="2015-04.2.6">\n'
    "{roles}</ServiceDefinition>\n"
)
WORKER = '  <WorkerRole name="Billing.Worker" vmsize="Large" />\n'
SOLVER = '  <WorkerRole name="Billing.Solver" vmsize="A8" />\n'
NEW = '  <WorkerRole name="Billing.Reports" vmsize="Medium" />\n'
BASELINE = ".csmlint-baseline.json"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the repository root (fingerprints are relative to it)
    (tmp_path / "src").mkdir()
    # the service has no .cscfg on purpose; keep the "cannot tell whether it is in a VNet"
    # note (service-without-cscfg) out of the counts these tests are about
    (tmp_path / ".csmlint.yaml").write_text("ignore: [service-without-cscfg]\n")
    _write(tmp_path, WORKER + SOLVER)
    return tmp_path


def _write(repo: Path, roles: str) -> None:
    (repo / "src" / "ServiceDefinition.csdef").write_text(SERVICE.format(roles=roles))


def _cli(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    day: str = "2026-03-01",
) -> tuple[int, str, str]:
    fixed = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
    monkeypatch.setattr(clock, "now", lambda: fixed)
    return run_main(repo, capsys, *args)


def _entries(repo: Path) -> list[dict[str, Any]]:
    doc = json.loads((repo / BASELINE).read_text())
    assert doc["schema"] == "csmlint.baseline/v1"
    entries: list[dict[str, Any]] = doc["entries"]
    return entries


def test_create_records_every_finding_sorted_with_its_date(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    assert code == 0, err
    assert "3 finding(s) recorded" in out
    entries = _entries(repo)
    assert sorted(e["rule"] for e in entries) == ["CSM118", "CSM127", "CSM128"]
    assert entries == sorted(entries, key=lambda e: (e["file"], e["rule"], e["fingerprint"]))
    (legacy,) = [e for e in entries if e["rule"] == "CSM127"]
    assert legacy["file"] == "src/ServiceDefinition.csdef"
    assert legacy["severity"] == "warning" and legacy["name"] == "legacy-role-size"
    assert "Billing.Worker" in legacy["message"] and legacy["added"] == "2026-03-01"
    text = (repo / BASELINE).read_text()
    assert text.isascii() and text.endswith("}\n")
    # refuses to replace it
    code, _, err = _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    assert code == 2 and "already exists" in err and "baseline update" in err
    assert f"set `baseline: {BASELINE}` in .csmlint.yaml" in out
    # named by the configuration already: no advice to add the line that is there
    (repo / BASELINE).unlink()
    (repo / ".csmlint.yaml").write_text(f"baseline: {BASELINE}\n")
    code, out, err = _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    assert code == 0, err
    assert "set `baseline:" not in out and "the configuration names it" in out


def test_only_the_new_problem_is_reported_when_lines_move(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src", day="2026-01-10")
    moved = "  <!-- a comment -->\n\n  <!-- and another -->\n" + SOLVER + NEW + WORKER
    _write(repo, moved)
    code, out, err = _cli(
        repo, capsys, monkeypatch, "lint", "src", "--baseline", BASELINE, day="2026-03-01"
    )
    assert code == 0, out + err  # the new problem is a warning: under --fail-on error
    reported = [line for line in out.splitlines() if " CSM" in line and ": " in line]
    assert len(reported) == 1 and "Billing.Reports" in reported[0], out
    (summary,) = [line for line in out.splitlines() if line.startswith("baseline ")]
    assert summary == (
        "baseline .csmlint-baseline.json: 3 known finding(s) not reported "
        "(1 error, 1 warning, 1 note); oldest added 2026-01-10, 50 days ago"
    )
    # JSON marks the baselined findings; --no-baseline shows everything
    code, out, _ = _cli(
        repo, capsys, monkeypatch, "lint", "src", "--baseline", BASELINE, "-f", "json"
    )
    report = json.loads(out)
    baselined = [f for f in report["findings"] if "suppression" in f]
    assert {f["ruleId"] for f in baselined} == {"CSM118", "CSM127", "CSM128"}
    assert all(f["suppression"]["origin"] == "baseline" for f in baselined)
    assert all(f["suppression"]["kind"] == "external" for f in baselined)
    assert report["summary"]["baseline"]["baselined"] == {"error": 1, "warning": 1, "note": 1}
    assert code == 0
    code, out, _ = _cli(repo, capsys, monkeypatch, "lint", "src", "--no-baseline", "-f", "json")
    assert code == 1 and not any("suppression" in f for f in json.loads(out)["findings"])


def test_sarif_shows_baselined_findings_as_external_suppressions(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    code, out, _ = _cli(
        repo, capsys, monkeypatch, "lint", "src", "--baseline", BASELINE, "-f", "sarif"
    )
    assert code == 0
    results = json.loads(out)["runs"][0]["results"]
    assert len(results) == 3
    for r in results:
        (sup,) = r["suppressions"]
        assert sup["kind"] == "external" and sup["status"] == "accepted"
        assert sup["justification"].startswith("in the baseline .csmlint-baseline.json since")
        uri = sup["location"]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == BASELINE


def test_update_keeps_old_entries_and_adds_new_ones(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src", day="2026-01-10")
    before = {e["fingerprint"]: e for e in _entries(repo)}
    _write(repo, SOLVER + NEW)  # Billing.Worker fixed, Billing.Reports new
    code, out, err = _cli(repo, capsys, monkeypatch, "baseline", "update", "src", day="2026-02-01")
    assert code == 0 and "1 new finding(s) added" in out, err
    after = {e["fingerprint"]: e for e in _entries(repo)}
    assert set(before) < set(after)  # the fixed worker's entry is kept by update
    assert all(after[k] == before[k] for k in before)
    (added,) = [e for k, e in after.items() if k not in before]
    assert added["added"] == "2026-02-01" and "Billing.Reports" in added["message"]


def test_prune_removes_stale_entries_and_lint_reports_them_as_a_note(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    _write(repo, SOLVER)  # Billing.Worker removed: its CSM127 entry is stale
    code, out, _ = _cli(repo, capsys, monkeypatch, "lint", "src", "--baseline", BASELINE)
    assert code == 0
    assert "; 1 stale entry" in out
    assert "note: 1 entry of the baseline .csmlint-baseline.json match no finding" in out
    code, out, _ = _cli(repo, capsys, monkeypatch, "baseline", "prune", "src")
    assert code == 0 and "1 stale entry removed" in out
    assert sorted(e["rule"] for e in _entries(repo)) == ["CSM118", "CSM128"]
    # pruning a run that did not lint the file (or run the rule) keeps its entries
    (repo / "other").mkdir()
    code, out, _ = _cli(repo, capsys, monkeypatch, "baseline", "prune", "other")
    assert code == 0 and "0 stale entries removed" in out
    assert len(_entries(repo)) == 2


def test_the_file_is_byte_identical_across_runs(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    first = (repo / BASELINE).read_bytes()
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src", "--force")
    assert (repo / BASELINE).read_bytes() == first
    for command in ("update", "prune"):  # nothing changed: the same bytes, another day
        _cli(repo, capsys, monkeypatch, "baseline", command, "src", day="2026-09-09")
        assert (repo / BASELINE).read_bytes() == first
    # from a subfolder the baseline is the same: paths are from the repository root
    monkeypatch.chdir(repo / "src")
    code, _, err = _cli(
        repo / "src", capsys, monkeypatch, "baseline", "create", ".", "--baseline", "b.json"
    )
    assert code == 0, err
    assert (repo / "src" / "b.json").read_bytes() == first


def test_config_names_the_baseline_and_broken_baselines_name_file_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".csmlint.yaml").write_text(
        "failOn: warning\nbaseline: ci/known.json\nignore: [service-without-cscfg]\n"
    )
    code, _, err = _cli(repo, capsys, monkeypatch, "lint", "src")
    assert code == 2
    assert err.startswith(
        "csmlint: error: .csmlint.yaml:2: baseline ci/known.json: no such file"
    ), err
    code, out, err = _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    assert code == 0 and out.startswith("ci/known.json: 3 finding(s)"), err
    code, out, _ = _cli(repo, capsys, monkeypatch, "lint", "src")
    assert code == 0 and "baseline ci/known.json: 3 known finding(s)" in out
    code, _, _ = _cli(repo, capsys, monkeypatch, "lint", "src", "--no-baseline")
    assert code == 1
    (repo / "ci" / "known.json").write_text('{"schema": "csmlint.baseline/v1",\n "entries": [1]}\n')
    code, _, err = _cli(repo, capsys, monkeypatch, "lint", "src")
    assert code == 2 and err.startswith("csmlint: error: ci/known.json:2: baseline entry"), err


CSCFG = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<ServiceConfiguration serviceName="Litware.Billing" '
    'xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration" '
    'osFamily="6" osVersion="*">\n'
    '  <Role name="Billing.Worker"><Instances count="2" /></Role>\n'
    '  <Role name="Billing.Solver"><Instances count="2" /></Role>\n'
    "</ServiceConfiguration>\n"
)


def test_pruning_a_named_file_keeps_the_entries_of_its_partner_read_for_context(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naming the .cscfg alone (what a pre-commit hook does) reads its .csdef to pair them,
    but lists only the .cscfg's findings: the .csdef's entries are not stale."""
    (repo / "src" / "ServiceConfiguration.Cloud.cscfg").write_text(CSCFG)
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    before = _entries(repo)
    assert any(e["file"] == "src/ServiceDefinition.csdef" for e in before), before
    cscfg = "src/ServiceConfiguration.Cloud.cscfg"
    code, out, _ = _cli(repo, capsys, monkeypatch, "lint", cscfg, "--baseline", BASELINE)
    assert code == 0 and "stale" not in out
    code, out, _ = _cli(repo, capsys, monkeypatch, "baseline", "prune", cscfg)
    assert code == 0 and "0 stale entries removed" in out
    assert _entries(repo) == before


def test_a_baselined_blocker_is_counted_in_the_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A baselined blocker still blocks (accepted, not fixed), and the readiness table says
    so instead of showing "blocked" beside "0 error(s)"."""
    _cli(repo, capsys, monkeypatch, "baseline", "create", "src")
    code, out, _ = _cli(repo, capsys, monkeypatch, "lint", "src", "--baseline", BASELINE)
    assert code == 0
    assert "0 error(s)" in out
    assert "blocked" in out and "blocking finding(s) suppressed: accepted, not fixed" in out, out
    code, out, _ = _cli(
        repo, capsys, monkeypatch, "lint", "src", "-f", "json", "--baseline", BASELINE
    )
    services = json.loads(out)["cloudServices"]
    assert services[0]["readiness"] == "blocked" and services[0]["suppressedBlockers"] >= 1
