"""End to end: the classic IaaS example estate ``fixtures/examples/tailspin`` (issue 3).

Tailspin Toys runs two classic VM cloud services in their own virtual networks: the ERP
service has its application servers in one availability set and its SQL Server pair in a
second one (a blocker: one availability set per cloud service), the storefront is a plain
two-VM web farm in one set (ready). Each VM's disks live in a storage account of the estate;
storage accounts are migration units of their own and must move after their VMs.

The estate states every fact the IaaS rules read (agent and extension status, boot
diagnostics, disks and blob sizes, endpoints, subnets), so no rule is left guessing: the only
notes are the ones that hold whatever the facts (a VNet migrates as a whole).
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

ESTATE = "fixtures/examples/tailspin"
TOPOLOGY = "tailspin.topology.json"
SERVICES = {"tailspin-erp": "blocked", "tailspin-web": "ready"}
UNITS = {
    "vnet:tailspin-erp-vnet": "blocked",
    "vnet:tailspin-web-vnet": "ready",
    # The accounts hold the disks of VMs that are not migrated yet (CSM157).
    "storage:tailspinerpvhds": "needs-attention",
    "storage:tailspinwebvhds": "needs-attention",
}
IAAS_RULES = frozenset(f"CSM{n}" for n in (131, 138, 139, 140, 141, *range(145, 158)))


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


@lru_cache(maxsize=2)
def _lint(path: str = ESTATE) -> RunResult:
    result, _ = run(RunOptions(paths=[path], cwd=str(ROOT)), rules=list(_rules()))
    return result


def _of(rule_id: str, result: RunResult | None = None) -> list[Finding]:
    return [f for f in (result or _lint()).active if f.rule_id == rule_id]


def test_readiness_of_every_service_and_unit() -> None:
    result = _lint()
    assert {s.name: s.readiness for s in result.services} == SERVICES
    assert {u.id: u.readiness for u in result.units} == UNITS
    assert {u.id: u.kind for u in result.units if u.id.startswith("storage:")} == {
        "storage:tailspinerpvhds": "storageAccount",
        "storage:tailspinwebvhds": "storageAccount",
    }
    assert not _of("CSM000"), "the topology must load"


def test_two_availability_sets_block_the_erp_service() -> None:
    (finding,) = _of("CSM145")
    assert (finding.severity, finding.category, finding.migration) == ("error", "blocker", "iaas")
    assert finding.cloud_service == "tailspin-erp"
    assert finding.unit == "vnet:tailspin-erp-vnet"
    assert finding.location.path.endswith(TOPOLOGY)
    assert finding.location.pointer == "/subscriptions/0/cloudServices/0"
    assert "2 availability sets ('erp-app-as', 'erp-sql-as')" in finding.message
    assert any("Set-AzureAvailabilitySet" in c for c in finding.remediation.commands)
    # Every VM is in a set, so the mixed-membership rule stays silent; the blocker is the only
    # finding above a note on the service.
    assert not _of("CSM146")
    serious = [
        f for f in _lint().active if f.cloud_service == "tailspin-erp" and f.severity != "note"
    ]
    assert [f.rule_id for f in serious] == ["CSM145"]


def test_the_storefront_is_ready_with_no_iaas_findings() -> None:
    result = _lint()
    web = [f for f in result.active if f.cloud_service == "tailspin-web"]
    assert all(f.severity == "note" and f.category != "blocker" for f in web), [
        (f.rule_id, f.message) for f in web
    ]
    # The estate states every VM fact: no IaaS rule fires or asks for a missing field on any VM.
    vm_findings = [f for f in result.active if f.rule_id in IAAS_RULES and f.rule_id != "CSM157"]
    assert [f.rule_id for f in vm_findings] == ["CSM145"]


def test_storage_accounts_migrate_after_their_vms() -> None:
    by_account = {f.unit: f for f in _of("CSM157")}
    assert set(by_account) == {"storage:tailspinerpvhds", "storage:tailspinwebvhds"}
    erp = by_account["storage:tailspinerpvhds"]
    assert (erp.severity, erp.category) == ("warning", "advisory")
    assert erp.cloud_service is None
    assert erp.location.pointer == "/subscriptions/0/storageAccounts/0/disks"
    assert "('erp-app1', 'erp-app2', 'erp-sql1', 'erp-sql2')" in erp.message
    assert 'Move-AzureStorageAccount -Validate -StorageAccountName "tailspinwebvhds"' in (
        by_account["storage:tailspinwebvhds"].remediation.commands
    )


def test_json_report_lists_storage_units_with_readiness(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(["lint", ESTATE, "--format", "json"])
    assert exit_.value.code == 1  # an error-severity blocker
    report = json.loads(capsys.readouterr().out)
    units = {u["id"]: (u["kind"], u["readiness"]) for u in report["units"]}
    assert units["storage:tailspinerpvhds"] == ("storageAccount", "needs-attention")
    assert units["storage:tailspinwebvhds"] == ("storageAccount", "needs-attention")
    services = {s["name"]: (s["readiness"], s["migrationUnit"]) for s in report["cloudServices"]}
    assert services == {
        "tailspin-erp": ("blocked", "vnet:tailspin-erp-vnet"),
        "tailspin-web": ("ready", "vnet:tailspin-web-vnet"),
    }


def test_linted_with_every_other_example_keeps_its_verdicts() -> None:
    """``csmlint lint fixtures/examples`` lints all estates at once: names must not collide."""
    together = _lint("fixtures/examples")
    names = [s.name for s in together.services]
    assert len(names) == len(set(names)), "cloud service names collide"
    readiness = {s.name: s.readiness for s in together.services}
    assert {name: readiness.get(name) for name in SERVICES} == SERVICES
    units = {u.id: u.readiness for u in together.units}
    assert {uid: units.get(uid) for uid in UNITS} == UNITS
    # No other estate's cloud service or VNet joins the tailspin units.
    members = {uid: u.cloud_services for u in together.units for uid in [u.id] if uid in UNITS}
    assert members["vnet:tailspin-erp-vnet"] == ["tailspin-erp"]
    assert members["vnet:tailspin-web-vnet"] == ["tailspin-web"]
