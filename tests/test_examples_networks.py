"""End to end: the virtual-network example estates (issue 3 acceptance).

* ``fixtures/examples/adventureworks``: the store's web/worker roles (``.csdef``/``.cscfg`` in
  the repository, deployment in the topology) and the SQL Server VMs they use share
  ``adventureworks-vnet``. A VNet with both PaaS and IaaS deployments cannot be migrated, and
  the blocker on the VNet blocks every member; the reporting front end has a VNet of its own
  and stays ready.
* ``fixtures/examples/northwind``: the public API's VNet is peered with an ARM hub and hosts an
  API Management gateway (two blockers on the VNet); the operations VMs sit in a second, clean
  VNet that stays ready.

Both estates state the facts the VNet rules read (peerings, services, gateways, circuits,
the subscription's full list of cloud services), so no VNet rule is left guessing. The
estates are linted with every shipped rule, as the README's main command does.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
from conftest import ROOT

from csmlint.cli import main
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding, RunResult
from csmlint.rulepack.loader import load_rules
from csmlint.rulepack.rule import Rule

SERVICES: dict[str, dict[str, str]] = {
    "adventureworks": {
        "adventureworks-store": "blocked",
        "adventureworks-sql": "blocked",
        "adventureworks-reports": "ready",
    },
    "northwind": {"northwind-api": "blocked", "northwind-ops": "ready"},
}
UNITS: dict[str, dict[str, tuple[list[str], str]]] = {
    "adventureworks": {
        "vnet:adventureworks-vnet": (["adventureworks-sql", "adventureworks-store"], "blocked"),
        "vnet:adventureworks-reports-vnet": (["adventureworks-reports"], "ready"),
    },
    "northwind": {
        "vnet:northwind-api-vnet": (["northwind-api"], "blocked"),
        "vnet:northwind-ops-vnet": (["northwind-ops"], "ready"),
    },
}
VNET_RULES = frozenset(
    f"CSM{n}" for n in (103, 104, 107, 108, 109, 110, 111, 112, 113, 115, 126, 143, 158, 160)
) | frozenset(f"CSM{n}" for n in (161, 162, 165, 176))


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


@lru_cache(maxsize=4)
def _lint(path: str) -> RunResult:
    result, _ = run(RunOptions(paths=[path], cwd=str(ROOT)), rules=list(_rules()))
    return result


def _estate(name: str) -> RunResult:
    return _lint(f"fixtures/examples/{name}")


def _of(result: RunResult, rule_id: str) -> list[Finding]:
    return [f for f in result.active if f.rule_id == rule_id]


def _blockers(result: RunResult) -> list[tuple[str, str | None]]:
    return sorted(
        (f.rule_id, f.unit)
        for f in result.active
        if f.category == "blocker" and f.severity != "note"
    )


@pytest.mark.parametrize("estate", sorted(SERVICES))
def test_readiness_of_every_service_and_unit(estate: str) -> None:
    result = _estate(estate)
    assert {s.name: s.readiness for s in result.services} == SERVICES[estate]
    assert {s.name: s.unit for s in result.services} == {
        cs: uid for uid, (members, _) in UNITS[estate].items() for cs in members
    }
    assert {u.id: (u.cloud_services, u.readiness) for u in result.units} == UNITS[estate]
    assert all(u.kind == "virtualNetwork" for u in result.units)
    assert not _of(result, "CSM000"), "every example file must load"


@pytest.mark.parametrize("estate", sorted(SERVICES))
def test_no_vnet_rule_is_left_guessing(estate: str) -> None:
    """The topology lists peerings, services, gateways, circuits and every cloud service:
    no VNet rule reports an unknown-fact note."""
    unknown = [f.rule_id for f in _estate(estate).active if f.unknown and f.rule_id in VNET_RULES]
    assert unknown == []


def test_mixed_vnet_blocks_every_member() -> None:
    result = _estate("adventureworks")
    assert _blockers(result) == [("CSM126", "vnet:adventureworks-vnet")]
    (finding,) = _of(result, "CSM126")
    assert (finding.severity, finding.category, finding.migration) == ("error", "blocker", "both")
    assert finding.virtual_network == "adventureworks-vnet" and finding.cloud_service is None
    assert finding.location.path.endswith("adventureworks.topology.json")
    assert finding.location.pointer == "/subscriptions/0/virtualNetworks/0/name"
    assert "'adventureworks-store'" in finding.message  # web/worker roles, from the .cscfg join
    assert "'adventureworks-sql'" in finding.message  # classic VMs, from the topology
    # the other VNet holds web/worker roles only
    assert not [
        f
        for f in result.active
        if f.virtual_network == "adventureworks-reports-vnet" and f.severity != "note"
    ]
    # one cloud service per side: not the single-service rule
    assert not _of(result, "CSM142")


def test_the_store_keeps_its_own_post_migration_work() -> None:
    result = _estate("adventureworks")
    own = {f.rule_id for f in result.active if f.cloud_service == "adventureworks-store"}
    assert own == {"CSM133", "CSM172", "CSM179"}  # the .cscfg names its VNet; notes


def test_peered_vnet_with_api_management_is_blocked_and_the_clean_vnet_is_not() -> None:
    result = _estate("northwind")
    assert _blockers(result) == [
        ("CSM108", "vnet:northwind-api-vnet"),
        ("CSM111", "vnet:northwind-api-vnet"),
    ]
    (peering,) = _of(result, "CSM108")
    assert peering.location.pointer == "/subscriptions/0/virtualNetworks/0/peerings"
    assert "'northwind-hub'" in peering.message
    commands = "\n".join(peering.remediation.commands)
    assert 'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "northwind-api-vnet"' in commands
    assert 'Add-AzVirtualNetworkPeering -Name "northwind-api-vnet-to-northwind-hub"' in commands
    (apim,) = _of(result, "CSM111")
    assert apim.location.pointer == "/subscriptions/0/virtualNetworks/0/services"
    assert "'northwind-apim'" in apim.message
    assert any("Set-AzApiManagement" in c for c in apim.remediation.commands)
    clean = [
        f
        for f in result.active
        if (f.virtual_network == "northwind-ops-vnet" or f.cloud_service == "northwind-ops")
        and f.severity != "note"
    ]
    assert clean == []


@pytest.mark.parametrize("estate", sorted(SERVICES))
def test_json_report_groups_services_into_units(
    estate: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(["lint", f"fixtures/examples/{estate}", "--format", "json"])
    assert exit_.value.code == 1  # blocker errors
    report = json.loads(capsys.readouterr().out)
    services = {s["name"]: (s["readiness"], s["migrationUnit"]) for s in report["cloudServices"]}
    assert services == {
        cs: (SERVICES[estate][cs], uid)
        for uid, (members, _) in UNITS[estate].items()
        for cs in members
    }
    units = {u["id"]: (u["kind"], u["cloudServices"], u["readiness"]) for u in report["units"]}
    assert units == {
        uid: ("virtualNetwork", members, readiness)
        for uid, (members, readiness) in UNITS[estate].items()
    }


def test_text_report_lists_every_unit_with_its_readiness(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit):
        main(["lint", "fixtures/examples/adventureworks", "fixtures/examples/northwind"])
    text = capsys.readouterr().out
    section = text.split("Readiness by migration unit", 1)[1].splitlines()[1:]
    rows = {line.split()[0]: line.split()[1] for line in section if line.startswith("  ")}
    expected = {uid: r for units in UNITS.values() for uid, (_, r) in units.items()}
    assert rows == expected
    assert "adventureworks-sql, adventureworks-store" in text


def test_examples_linted_together_keep_these_verdicts() -> None:
    """``csmlint lint fixtures/examples`` lints every estate at once: names must not collide."""
    result = _lint("fixtures/examples")
    together = {s.name: s.readiness for s in result.services}
    assert len(together) == len(result.services), "cloud service names collide"
    units = {u.id: (u.cloud_services, u.readiness) for u in result.units}
    for estate in SERVICES:
        assert {cs: together.get(cs) for cs in SERVICES[estate]} == SERVICES[estate]
        assert {uid: units.get(uid) for uid in UNITS[estate]} == UNITS[estate]
