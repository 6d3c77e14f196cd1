"""Fixes split around the migration: each part in the unit and section where it can run, each
saying which part it is, and each box doing what its text says (new-user checks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from csmlint.engine import RunOptions, run_with_estate
from csmlint.findings.commands import command_blocks, is_look
from csmlint.migration.plan import build_plan
from csmlint.migration.plan.model import Plan, Step, UnitPlan

RULES = FIXTURES / "rules"
SITE_RECOVERY = RULES / "CSM149-site-recovery-extension" / "topology-extensions"


def _plan(path: Path) -> Plan:
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, estate = run_with_estate(RunOptions(paths=[str(path)], cwd=str(ROOT)), rules)
    return build_plan(result, rules, estate, "test")


def _steps(unit: UnitPlan, rule_id: str, section: str) -> list[Step]:
    return [
        s
        for s in unit.steps
        if s.section == section and any(r.rule_id == rule_id for r in s.resolves)
    ]


def _unit(plan: Plan, kind: str) -> UnitPlan:
    (unit,) = [u for u in plan.units if u.kind == kind]
    return unit


def _texts(steps: list[Step]) -> list[str]:
    return [c.text for s in steps for c in s.commands]


def test_site_recovery_is_enabled_again_in_the_storage_accounts_unit() -> None:
    """Replication is enabled again once the disks' storage account has migrated: that part
    was an after-Commit step of the VNet's unit, which runs before the account's."""
    plan = _plan(SITE_RECOVERY)
    vnet, storage = _unit(plan, "virtualNetwork"), _unit(plan, "storageAccount")
    assert vnet.id in storage.after_units
    assert len(_steps(vnet, "CSM149", "prepare")) == 2  # record the settings, per VM
    assert _steps(vnet, "CSM149", "after") == []
    moved = _steps(storage, "CSM149", "after")
    assert len(moved) == 2
    assert all(
        any("New-AzRecoveryServicesAsrReplicationProtectedItem" in t for t in _texts([s]))
        for s in moved
    )
    commit = next(i for i, s in enumerate(storage.steps) if s.phase == "commit")
    assert all(storage.steps.index(s) > commit for s in moved)


def test_site_recovery_without_the_accounts_unit_says_what_the_step_waits_for(
    tmp_path: Path,
) -> None:
    doc = json.loads((SITE_RECOVERY / "estate.topology.json").read_text(encoding="utf-8"))
    for sub in doc["subscriptions"]:
        sub.pop("storageAccounts", None)
        for cs in sub["cloudServices"]:
            for dep in cs.get("deployments", []):
                for vm in dep.get("vms", []):
                    vm["osDisk"]["mediaLink"] = (
                        "https://elsewhereacct.blob.core.windows.net/vhds/" + vm["name"] + ".vhd"
                    )
    (tmp_path / "estate.topology.json").write_text(json.dumps(doc), encoding="utf-8")
    plan = _plan(tmp_path)
    assert not any(u.kind == "storageAccount" for u in plan.units)
    after = [s for u in plan.units for s in _steps(u, "CSM149", "after")]
    assert len(after) == 2
    for step in after:
        assert step.detail.startswith(
            "Run this once the storage account(s) of the VM ('elsewhereacct')"
        ), step.detail


def test_each_part_of_a_split_fix_says_which_part_it_is() -> None:
    """New-user check: the after-Commit step of CSM140 repeated the before-Validate text
    ("uninstall ... rerun Validate") with nothing saying which part was left."""
    plan = _plan(RULES / "CSM140-xml-vm-extension" / "topology-extensions")
    finish = [s for u in plan.units for s in _steps(u, "CSM140", "after")]
    assert finish
    assert all(
        s.detail.startswith("Here: the part of this fix that runs after Commit") for s in finish
    )
    first = [s for u in plan.units for s in _steps(u, "CSM140", "prepare")]
    assert first
    # each part names the other by its number (helper-47: they did not point at each other)
    numbers = {s.number for s in finish}
    for step in first:
        other = re.search(r"\(the rest: step (\d+\.\d+) after Commit\)", step.detail)
        assert other and other.group(1) in numbers, step.detail
    for step in finish:
        other = re.search(r"\(the first part: steps? ([\d., and]+) before Validate\)", step.detail)
        assert other, step.detail
        assert set(re.findall(r"\d+\.\d+", other.group(1))) <= {s.number for s in first}
    # the JSON equivalent is the user's to choose: no BGInfo on a VM that had Puppet
    assert not any('-ExtensionType "BGInfo"' in t for t in _texts(finish))


def test_endpoint_acls_are_saved_removed_and_rebuilt_as_applied_rules() -> None:
    """New-user check: the endpoint-ACL step built a rule object before the migration
    (`New-AzNetworkSecurityRuleConfig`, which changes nothing), never saved the ACL, and
    named no endpoint though the finding does."""
    plan = _plan(RULES / "CSM138-endpoint-acl-iaas" / "topology-endpoints")
    (unit,) = plan.units
    fixes = [s for s in _steps(unit, "CSM138", "prepare") if not s.resolves[0].unknown]
    before = _texts(fixes)
    after = _texts(_steps(unit, "CSM138", "after"))
    assert (
        'foreach ($e in "sql") { Get-AzureVM -ServiceName "woodgrove-sql" -Name "sql1"'
        in (before[0])
    )
    assert "| Get-AzureAclConfig -EndpointName $e | Export-Csv -Path" in before[0]
    assert "| Remove-AzureAclConfig -EndpointName $e | Update-AzureVM }" in before[1]
    assert not any("-Az" in t and "-Azure" not in t for t in before)
    rules = [t for t in after if "Add-AzNetworkSecurityRuleConfig" in t]
    assert rules and all(t.endswith("| Set-AzNetworkSecurityGroup") for t in rules)
    # the NIC gets a network security group first when it has none
    nics = [t for t in after if t.startswith("$nic = Get-AzNetworkInterface")]
    assert len(nics) == len(rules)
    assert all('-ResourceGroupName "woodgrove-sql-migrated"' in t for t in nics)
    assert all("New-AzNetworkSecurityGroup" in t for t in nics)
    # removing an ACL opens the endpoint: the last change before the network steps
    fixing = [
        s for s in unit.steps if s.section == "prepare" and not all(r.unknown for r in s.resolves)
    ]
    after_acls = fixing[fixing.index(fixes[-1]) + 1 :]
    assert {s.phase for s in after_acls} <= {"endpoint-acls", "network-connections"}
    assert "opens its endpoint to every address" in fixes[0].detail


def test_the_boot_diagnostics_find_out_step_looks_before_it_changes() -> None:
    """New-user check: the step disabled boot diagnostics first, and its only look listed
    containers instead of telling whether the account is Premium."""
    plan = _plan(RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics")
    steps = [s for u in plan.units for s in _steps(u, "CSM141", "prepare")]
    find_out = [s for s in steps if all(r.unknown for r in s.resolves)]
    assert find_out
    for step in [*find_out, *steps]:
        blocks = command_blocks([c.text for c in step.commands])
        assert is_look(blocks[0]), blocks[0]
        assert any("AccountType" in c for c in blocks[0])
        # it deletes the two blobs the VM's DebugSettings name, read before it disables
        # them (a container named by hand could be the one that holds the VHDs)
        (deletes,) = [c for b in blocks for c in b if "Remove-AzStorage" in c]
        assert "Remove-AzStorageBlob" in deletes and "Remove-AzStorageContainer" not in deletes
        assert deletes.index("SerialOutputBlobUri") < deletes.index("-Disable")


def test_expressroute_commands_name_the_circuit_the_topology_gives() -> None:
    """New-user check: CSM104 kept <circuit-name>/<service-key> though the topology gives
    them, and told to move a circuit already in Azure Resource Manager."""
    from csmlint.engine import run

    path = RULES / "CSM104-expressroute-gateway-present" / "topology-gateways-and-circuits"
    result, _ = run(RunOptions(paths=[str(path)], cwd=str(ROOT), select=["CSM104"]))
    by_vnet = {f.message.split("'")[1]: f for f in result.findings if f.rule_id == "CSM104"}
    linked = by_vnet["wgb-payments-vnet"]  # its one circuit: wgb-er-ashburn, model arm
    commands = linked.remediation.commands
    assert not any("Move-AzExpressRouteCircuit" in c for c in commands)
    assert any('Get-AzExpressRouteCircuit -Name "wgb-er-ashburn"' in c for c in commands)
    assert any('-ServiceKey "5c3f8a1e-9b2d-4e7f-a6c0-1d2e3f4a5b6c"' in c for c in commands)
    assert "already in Azure Resource Manager" in linked.remediation.text
    unlinked = by_vnet["wgb-integration-vnet"]  # no circuit in the inputs: placeholders
    assert any(
        'Move-AzExpressRouteCircuit -Name "<circuit-name>"' in c
        for c in unlinked.remediation.commands
    )


def test_a_storage_account_holding_boot_diagnostics_runs_after_their_vms() -> None:
    """New-user check: the accounts the VMs write boot diagnostics to ran first, though the
    VNet's steps disable boot diagnostics on the classic account."""
    plan = _plan(RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics")
    vnet = _unit(plan, "virtualNetwork")
    accounts = [u for u in plan.units if u.kind == "storageAccount"]
    assert accounts and all(vnet.id in u.after_units for u in accounts)
    assert all(u.order > vnet.order for u in accounts)


def test_each_part_of_a_vm_fix_names_its_vm_and_the_vault_context_comes_first() -> None:
    plan = _plan(SITE_RECOVERY)
    titles = [s.title for u in plan.units for s in u.steps if s.resolves]
    assert "Before Validate: Classic VM is replicated by Azure Site Recovery: VM 'hr-sql1'" in (
        titles
    )
    assert not any(re.search(r"\(\d+ of \d+\)", t) for t in titles if "Site Recovery" in t)
    for unit in plan.units:
        for step in _steps(unit, "CSM149", "prepare") + _steps(unit, "CSM149", "after"):
            for block in command_blocks([c.text for c in step.commands]):
                assert block[0].startswith("Set-AzRecoveryServicesAsrVaultContext"), block
    moved = _steps(_unit(plan, "storageAccount"), "CSM149", "after")
    assert all(s.detail.startswith("Here: the part of this fix after Commit") for s in moved)
    assert all(any("-ProtectionContainerMapping $mapping" in t for t in _texts([s])) for s in moved)


def test_the_after_commit_part_says_only_what_is_left_when_the_rule_says_it_apart() -> None:
    """New-user check (helper-47): after-Commit steps repeated the whole fix ("disable boot
    diagnostics ... migrate, then enable") above a box that only enables."""
    plan = _plan(RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics")
    finish = [s for u in plan.units for s in _steps(u, "CSM141", "after")]
    first = [s for u in plan.units for s in _steps(u, "CSM141", "prepare")]
    assert finish and first
    for step in finish:
        assert "Enable boot diagnostics on the Resource Manager VM" in step.detail
        assert "disable boot diagnostics" not in step.detail.lower()
    assert all("disable boot diagnostics" in s.detail.lower() for s in first)  # the whole fix


def test_after_commit_is_checked_like_any_template(tmp_path: Path) -> None:
    from csmlint.errors import RulePackError
    from csmlint.rulepack.loader import load_rules

    rule = (ROOT / "rules" / "topology" / "CSM141-boot-diagnostics-premium.yaml").read_text(
        encoding="utf-8"
    )
    pack = tmp_path / "pack"
    pack.mkdir()
    broken = (
        rule.replace("id: CSM141", "id: CSM952")
        .replace("name: boot-diagnostics-premium", "name: x952")
        .replace(
            "Enable boot diagnostics on the Resource Manager VM '{{ name }}'",
            "Enable boot diagnostics on '{{ noSuchField }}'",
        )
    )
    (pack / "CSM952.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_rules([str(pack)])
    assert "remediation.afterCommit" in str(info.value) and "noSuchField" in str(info.value)


def test_a_part_in_another_unit_is_named_with_that_unit() -> None:
    """New-user check: "step 2.9 after Commit does the rest" read as this unit's Commit."""
    plan = _plan(SITE_RECOVERY)
    vnet, storage = _unit(plan, "virtualNetwork"), _unit(plan, "storageAccount")
    for step in _steps(vnet, "CSM149", "prepare"):
        assert f"after the Commit of {storage.heading})" in step.detail, step.detail
    for step in _steps(storage, "CSM149", "after"):
        assert f"before the Validate of {vnet.heading})" in step.detail, step.detail


def test_known_endpoint_acls_become_filled_in_nsg_rules_in_their_order() -> None:
    """New-user check: the NSG box was all placeholders though the topology gives the ACL."""
    plan = _plan(RULES / "CSM138-endpoint-acl-iaas" / "topology-endpoints")
    (unit,) = plan.units
    after = _texts(_steps(unit, "CSM138", "after"))
    (sql1,) = [t for t in after if '"sql1-sql-100"' in t]
    assert (
        '-Name "sql1-sql-100" -Access Allow -Protocol Tcp -Direction Inbound -Priority 100 '
        '-SourceAddressPrefix "203.0.113.0/24"' in sql1
    )
    # the ACL's own orders are priorities; "everyone" is the Internet, not the VNet too
    assert (
        '-Name "sql1-sql-200" -Access Deny -Protocol Tcp -Direction Inbound -Priority 200 '
        '-SourceAddressPrefix "Internet"' in sql1
    )
    assert "-DestinationPortRange 1433" in sql1 and sql1.endswith(
        "$nsg | Set-AzNetworkSecurityGroup"
    )
    unknown = [t for t in after if t != sql1 and "Add-AzNetworkSecurityRuleConfig" in t]
    assert unknown and all('-Access "<allow-or-deny>"' in t for t in unknown)


def test_an_acl_value_that_could_break_out_of_the_command_gives_placeholders(
    tmp_path: Path,
) -> None:
    source = RULES / "CSM138-endpoint-acl-iaas" / "topology-endpoints" / "estate.topology.json"
    text = source.read_text(encoding="utf-8").replace(
        '"remoteSubnet": "203.0.113.0/24"', '"remoteSubnet": "203.0.113.0/24\\"; Remove-AzVM x"'
    )
    assert "Remove-AzVM" in text
    (tmp_path / "estate.topology.json").write_text(text, encoding="utf-8")
    plan = _plan(tmp_path)
    texts = _texts([s for u in plan.units for s in _steps(u, "CSM138", "after")])
    assert texts and not any("Remove-AzVM" in t for t in texts)
    assert any('-Name "sql1-<endpoint-name>-<order>"' in t for t in texts)


def test_endpoint_acl_find_outs_are_the_last_change_before_validate_too() -> None:
    """New-user check: "remove the ACLs as the last change before Validate", yet the find-out
    steps that remove them came first, with 16 VM changes after them."""
    plan = _plan(RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics")
    vnet = _unit(plan, "virtualNetwork")
    prepare = [s for s in vnet.steps if s.section == "prepare"]
    acls = [i for i, s in enumerate(prepare) if s.phase == "endpoint-acls"]
    assert acls and any(prepare[i].resolves[0].unknown for i in acls)
    assert all(s.phase in ("endpoint-acls", "network-connections") for s in prepare[min(acls) :])


def test_html_plan_links_each_named_step_to_its_anchor() -> None:
    """New-user check: "the rest: step 1.16" was plain text in the HTML plan."""
    from csmlint.migration.plan.render import to_html

    page = to_html(_plan(RULES / "CSM138-endpoint-acl-iaas" / "topology-endpoints"))
    links = re.findall(r'<a href="#step-([\d.]+)">([\d.]+)</a>', page)
    assert links and all(a == b for a, b in links)
    anchors = set(re.findall(r'<article class="finding" id="step-([\d.]+)"', page))
    assert {a for a, _ in links} <= anchors
    from csmlint.migration.plan.render import _step_links

    pieces = _step_links({"1.5", "1.6", "1.7"})("steps 1.5, 1.6 and 1.7 <b>, step 9.9")
    assert pieces == [
        ("steps ", False),
        ("1.5", True),
        (", ", False),
        ("1.6", True),
        (" and ", False),
        ("1.7", True),
        (" <b>, step 9.9", False),  # a number the plan does not have stays text
    ]
    hostile = to_html(_hostile_plan_for_links())
    assert 'see step <a href="#step-1.1">1.1</a> &lt;script&gt;alert(1)' in hostile
    assert "<script>alert" not in hostile


def _hostile_plan_for_links() -> Plan:
    from csmlint.migration.plan.model import Step, UnitPlan

    step = Step(id="u/prepare/x", section="prepare", phase="review", title="t", number="1.1")
    step.detail = "see step 1.1 <script>alert(1)</script>"
    unit = UnitPlan(id="u", kind="cloudService", name="u", readiness="ready", cloud_services=[])
    unit.steps = [step]
    unit.number = 1
    return Plan(units=[unit], version="test", files=0, notes=[])


def test_copies_of_one_configuration_share_one_redeploy_step(tmp_path: Path) -> None:
    # three .cscfg of one cloud service (Cloud, Ready, Test): only one is what its deployment
    # runs, so the redeploy into a VNet is one step, not three
    cscfg = (
        '<ServiceConfiguration serviceName="shop" xmlns="http://schemas.microsoft.com/'
        'ServiceHosting/2008/10/ServiceConfiguration" osFamily="6" osVersion="*">'
        '<Role name="Web"><Instances count="2" /></Role></ServiceConfiguration>'
    )
    for name in ("Cloud", "Ready", "Test"):
        (tmp_path / f"ServiceConfiguration.{name}.cscfg").write_text(cscfg, encoding="utf-8")
    plan = _plan(tmp_path)
    (unit,) = plan.units
    (step,) = _steps(unit, "CSM116", "prepare")
    assert len(step.resolves) == 3
    deploy = [c.text for c in step.commands if c.text.startswith("New-AzureDeployment")]
    assert deploy and all('-Configuration "<cscfg-path>"' in c for c in deploy)
    assert step.detail.startswith("The inputs hold 3 configurations of this cloud service (")
    assert "in place of <cscfg-path>" in step.detail.splitlines()[0]
