"""End to end: the example estates under ``fixtures/examples/`` (issue 3 acceptance).

Each estate is linted through the engine with every shipped rule, as the README's main
command does. The tests pin the readiness of every cloud service and migration unit and the
findings that make it so; a new rule that changes an estate's verdict must update them
deliberately.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from csmlint.cli import main
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding, RunResult
from csmlint.rulepack.loader import load_rules
from csmlint.rulepack.rule import Rule

EXAMPLES = FIXTURES / "examples"
RDP_EXPORT = FIXTURES / "exports" / "asm-get-deployment-paas-webworker-rdp-extension.xml"

SERVICES: dict[str, dict[str, str]] = {
    "fourthcoffee": {"fourthcoffee-shop": "blocked"},
    "wingtip": {"wingtip-tickets": "needs-attention", "wingtip-promo": "blocked"},
    "lamna": {"lamna-portal": "blocked"},
    "alpineski": {"alpineski-web": "needs-attention"},
    "relecloud": {"relecloud-api": "needs-attention"},
}
UNITS: dict[str, dict[str, str]] = {
    "fourthcoffee": {"vnet:fourthcoffee-vnet": "blocked"},
    "wingtip": {"vnet:wingtip-vnet": "needs-attention", "cloudService:wingtip-promo": "blocked"},
    "lamna": {"vnet:lamna-vnet": "blocked"},
    "alpineski": {"vnet:alpineski-vnet": "needs-attention"},
    "relecloud": {"vnet:relecloud-vnet": "needs-attention"},
}


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


def _lint(*paths: str, cwd: Path = ROOT) -> RunResult:
    result, _ = run(RunOptions(paths=list(paths), cwd=str(cwd)), rules=list(_rules()))
    return result


def _estate(name: str) -> RunResult:
    return _lint(f"fixtures/examples/{name}")


def _readiness(result: RunResult) -> dict[str, str]:
    return {s.name: s.readiness for s in result.services}


def _units(result: RunResult) -> dict[str, str]:
    return {u.id: u.readiness for u in result.units}


def _of(result: RunResult, rule_id: str, service: str | None = None) -> list[Finding]:
    return [
        f
        for f in result.active
        if f.rule_id == rule_id and (service is None or f.cloud_service == service)
    ]


def _blockers(result: RunResult, service: str) -> list[str]:
    return sorted(
        f.rule_id
        for f in result.active
        if f.cloud_service == service and f.category == "blocker" and f.severity != "note"
    )


@pytest.mark.parametrize("estate", sorted(SERVICES))
def test_readiness_of_every_service_and_unit(estate: str) -> None:
    result = _estate(estate)
    assert _readiness(result) == SERVICES[estate]
    assert _units(result) == UNITS[estate]
    assert not _of(result, "CSM000"), "every example file must load"


def test_two_slots_with_a_reserved_ip() -> None:
    result = _estate("fourthcoffee")
    assert _blockers(result, "fourthcoffee-shop") == ["CSM119"]
    (finding,) = _of(result, "CSM119")
    assert finding.location.pointer == "/subscriptions/0/cloudServices/0"
    assert finding.location.path.endswith("fourthcoffee.topology.json")
    assert finding.unit == "vnet:fourthcoffee-vnet"
    # The reserved IP is known, so neither the dynamic-IP rule nor its note applies.
    assert not _of(result, "CSM118") and not _of(result, "CSM120")


def test_empty_cloud_service_beside_a_healthy_one() -> None:
    result = _estate("wingtip")
    (finding,) = _of(result, "CSM121")
    assert finding.cloud_service == "wingtip-promo"
    assert finding.location.pointer == "/subscriptions/0/cloudServices/1"
    assert _blockers(result, "wingtip-promo") == ["CSM121"]
    assert _blockers(result, "wingtip-tickets") == []
    # The healthy service only has post-migration work (the .cscfg names its VNet by name).
    attention = {
        f.rule_id
        for f in result.active
        if f.cloud_service == "wingtip-tickets" and f.severity != "note"
    }
    assert attention == {"CSM133"}


def test_prepared_deployment_is_locked() -> None:
    result = _estate("lamna")
    locked = {f.location.pointer for f in _of(result, "CSM178")}
    assert locked == {
        "/subscriptions/0/cloudServices/0/deployments/0/migration/state",
        "/subscriptions/0/virtualNetworks/0/migrationState",
    }
    assert all(f.severity == "error" and f.category == "blocker" for f in _of(result, "CSM178"))
    # Locked means nothing else can change until the migration is committed or aborted: an
    # error always blocks (readiness never reads "needs attention" over an error).
    assert _blockers(result, "lamna-portal") == ["CSM178"]
    commands = [c for f in _of(result, "CSM178") for c in f.remediation.commands]
    assert 'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "lamna-vnet"' in commands
    assert 'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "lamna-vnet"' in commands


def test_dropped_autoscale_and_alerts_on_an_otherwise_ready_service() -> None:
    result = _estate("alpineski")
    for rule_id, pointer in (
        ("CSM101", "/subscriptions/0/cloudServices/0/autoscale"),
        ("CSM102", "/subscriptions/0/cloudServices/0/alerts"),
    ):
        (finding,) = _of(result, rule_id, "alpineski-web")
        assert (finding.severity, finding.category) == ("warning", "dropped")
        assert finding.location.pointer == pointer
        assert finding.migration == "cs-es"
    assert _blockers(result, "alpineski-web") == []
    assert "'alpineski-web-cpu-high'" in _of(result, "CSM102")[0].message


def test_all_examples_linted_together_keep_their_verdicts() -> None:
    """The README's main command lints every example at once: names must not collide."""
    result = _lint("fixtures/examples")
    together = _readiness(result)
    assert len(together) == len(result.services), "cloud service names collide"
    for estate, expected in SERVICES.items():
        assert {name: together.get(name) for name in expected} == expected, estate
    units = _units(result)
    for estate, expected in UNITS.items():
        assert {uid: units.get(uid) for uid in expected} == expected, estate


def test_import_then_lint_reports_rdp_plugin_and_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``csmlint import`` of a Get Deployment export whose deployment has the RDP extension,
    then ``csmlint lint`` of that topology with the service's .csdef (RemoteAccess imports)."""
    if not RDP_EXPORT.is_file():
        pytest.skip(f"{RDP_EXPORT} is missing")
    (tmp_path / "exports").mkdir()
    shutil.copy(RDP_EXPORT, tmp_path / "exports" / RDP_EXPORT.name)
    shutil.copy(
        FIXTURES
        / "rules"
        / "CSM122-rdp-plugin-and-extension"
        / "asm-export-with-plugin"
        / "ServiceDefinition.csdef",
        tmp_path / "ServiceDefinition.csdef",
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["import", "exports", "-o", "estate.topology.json"])
    assert exit_.value.code == 0
    result = _lint("estate.topology.json", "ServiceDefinition.csdef", cwd=tmp_path)
    (finding,) = _of(result, "CSM122")
    assert finding.cloud_service == "rdpexttest"
    assert finding.severity == "error" and finding.category == "blocker"
    assert finding.location.path == "ServiceDefinition.csdef"
    assert "'WCFServiceWebRole1', 'WorkerRole1'" in finding.message
    assert _readiness(result) == {"rdpexttest": "blocked"}
    # Without the export's extension facts the same .csdef gets one finding on its imports:
    # rdp-plugin-present, which stands for rdp-plugin-and-extension's "cannot tell" note too
    alone = _lint("ServiceDefinition.csdef", cwd=tmp_path)
    assert _of(alone, "CSM122") == []
    [plugin] = _of(alone, "CSM123")
    assert plugin.merged == ("CSM122",) and "rdp-plugin-and-extension" in plugin.message
    assert alone.services[0].cannot_tell >= 1  # the undecided blocker still counts


def test_files_only_verdicts_are_unconfirmed_while_the_vnet_is_not_described() -> None:
    """relecloud's .cscfg names a VNet nothing describes: one note for the VNet (not one per
    rule) lists the VNet-level blockers that cannot be decided, and the verdict says so."""
    result = _estate("relecloud")
    [note] = _of(result, "CSM180")
    assert note.unknown and note.severity == "note"
    assert "gateway" in note.message and "peering" in note.message
    [service] = result.services
    assert service.cannot_tell >= 1
    from csmlint.findings.summary import summarize

    assert "cannot tell" in summarize(result).readiness_note(service)
