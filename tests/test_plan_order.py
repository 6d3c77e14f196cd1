"""Where a fix's commands land in the plan, and what a step shared by findings says (issue 12).

A fix done after the migration often needs something first: a record of what the migration
drops (an export to a file), or a classic command that only works before Commit
(``Set-AzureDeployment -Upgrade``, ``Remove-AzureDisk``). Those go before Validate; the
commands that work on the migrated resources go after Commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from csmlint.engine import RunOptions, run_with_estate
from csmlint.migration.plan import build_plan
from csmlint.migration.plan.model import Plan, Step, UnitPlan


def _plan(path: Path) -> Plan:
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, estate = run_with_estate(RunOptions(paths=[str(path)], cwd=str(ROOT)), rules)
    return build_plan(result, rules, estate, "test")


def _position(unit: UnitPlan, phase: str) -> int:
    return next(i for i, s in enumerate(unit.steps) if s.section == "migrate" and s.phase == phase)


def _where(plan: Plan, rule_id: str, command: str) -> list[tuple[UnitPlan, int, Step]]:
    return [
        (u, i, s)
        for u in plan.units
        for i, s in enumerate(u.steps)
        if any(r.rule_id == rule_id for r in s.resolves)
        and any(command in c.text for c in s.commands)
    ]


RULE_FIXTURES = FIXTURES / "rules"

SPLITS = [
    # CSM117: the configuration of the migrated service is downloaded after Commit, both lines
    (
        RULE_FIXTURES / "CSM117-default-vnet-cscfg-update" / "topology-default-vnet",
        "CSM117",
        None,
        "$cs.Configuration | Set-Content",
    ),
    # (estate, rule, a command that needs the classic resources, one for the migrated ones)
    (FIXTURES / "examples" / "alpineski", "CSM101", "| Set-Content", "New-AzAutoscaleSetting"),
    (FIXTURES / "examples" / "alpineski", "CSM102", "Insights/alertrules", "Add-AzMetric"),
    (FIXTURES / "examples" / "contoso", "CSM123", "Set-AzureDeployment -Upgrade", "Update-AzCloud"),
    (
        RULE_FIXTURES / "CSM105-jit-policies-dropped" / "topology-jit-policies",
        "CSM105",
        "Get-AzJitNetworkAccessPolicy",
        "Add-AzNetworkSecurityRuleConfig",
    ),
    (
        RULE_FIXTURES / "CSM114-rbac-classic-scope" / "topology-classic-scopes",
        "CSM114",
        "Export-Csv",
        "New-AzRoleAssignment",
    ),
    (
        RULE_FIXTURES / "CSM149-site-recovery-extension" / "topology-extensions",
        "CSM149",
        "| Set-Content",
        "New-AzRecoveryServicesAsrReplicationProtectedItem",
    ),
    (
        RULE_FIXTURES / "CSM156-unattached-disks-and-images" / "topology-accounts",
        "CSM156",
        "Remove-AzureDisk",
        "New-AzDisk",
    ),
]


@pytest.mark.parametrize(
    ("estate", "rule_id", "before", "after"), SPLITS, ids=[s[1] for s in SPLITS]
)
def test_what_needs_the_classic_resources_runs_before_validate(
    estate: Path, rule_id: str, before: str | None, after: str
) -> None:
    plan = _plan(estate)
    late = _where(plan, rule_id, after)
    if before is None:  # everything after Commit
        assert late and not any(s.section == "prepare" for _, _, s in _where(plan, rule_id, ""))
        assert all(s.section == "after" for _, _, s in late)
        assert all(
            any("$cs = Get-AzCloudService" in c.text for c in s.commands) for _, _, s in late
        )
        return
    early = _where(plan, rule_id, before)
    assert early, f"no step runs {before!r} for {rule_id}"
    assert late, f"no step runs {after!r} for {rule_id}"
    for unit, i, step in early:
        assert step.section == "prepare" and i < _position(unit, "validate"), step.title
        assert step.title.startswith("Before Validate"), step.title
        assert not any(after in c.text for c in step.commands)
    for unit, i, step in late:
        assert step.section == "after" and i > _position(unit, "commit"), step.title
        assert not any(before in c.text for c in step.commands)


def test_no_step_after_commit_runs_a_classic_command_or_records_a_file() -> None:
    """Across the example estates: after Commit the classic resources are gone, and a record
    of what the migration dropped is too late."""
    for estate in sorted((FIXTURES / "examples").iterdir()):
        for unit in _plan(estate).units:
            for step in unit.steps:
                if step.section != "after":
                    continue
                for c in step.commands:
                    # a storage account is a unit of its own: one still classic after this
                    # unit's Commit gives its key through the classic cmdlet (CSM124)
                    text = c.text.replace("(Get-AzureStorageKey ", "(Get-StorageKey ")
                    assert "-Azure" not in text.replace("-AzureRm", ""), (estate.name, c.text)
                    assert not c.text.startswith("azure "), (estate.name, c.text)
                    if "| Set-Content" in c.text or "| Export-Csv" in c.text:
                        # a record of the migrated resource (its new configuration)
                        assert "-migrated" in c.text, (estate.name, c.text)


def test_no_step_before_validate_works_on_a_resource_the_migration_creates() -> None:
    """A command naming a ``-migrated`` resource group (the boot-diagnostics re-enable on the
    Resource Manager VM) can only run once Prepare made it: never before Validate."""
    estates = [*sorted((FIXTURES / "examples").iterdir()), FIXTURES / "exports"]
    seen = 0
    for estate in estates:
        for unit in _plan(estate).units:
            for step in unit.steps:
                for c in step.commands:
                    if c.shell == "powershell" and '-migrated"' in c.text and "-Az" in c.text:
                        seen += 1
                        # a unit already prepared has them: finishing it looks at them first
                        early = step.section == "prepare" and step.phase != "finish-open-migration"
                        assert not early, (estate.name, step.title, c.text)
    assert seen


def test_the_migration_command_of_a_fix_is_left_to_the_platform_steps() -> None:
    plan = _plan(RULE_FIXTURES / "CSM156-unattached-disks-and-images" / "topology-accounts")
    for unit in plan.units:
        for step in unit.steps:
            if step.section != "migrate":
                assert not any("Move-AzureStorageAccount" in c.text for c in step.commands)


def test_a_shared_step_keeps_each_findings_fix_text() -> None:
    """Two roles of different legacy sizes share the step (same command): both sizes stay."""
    plan = _plan(RULE_FIXTURES / "CSM127-legacy-role-size" / "bad")
    steps = [
        s for u in plan.units for s in u.steps if any(r.rule_id == "CSM127" for r in s.resolves)
    ]
    assert len(steps) == 1
    step = steps[0]
    assert len(step.resolves) == 2
    paragraphs = step.detail.split("\n")
    assert len(paragraphs) == 2
    assert "role 'Storefront'" in paragraphs[0] and "'Standard_A1'" in paragraphs[0]
    assert "role 'OrderProcessor'" in paragraphs[1] and "'Standard_A2'" in paragraphs[1]

    from csmlint.migration.plan.render import to_html, to_markdown

    markdown = to_markdown(plan)
    assert "role 'OrderProcessor' in the .csdef to 'Standard\\_A2'" in markdown
    html = to_html(plan)
    assert "role &#39;OrderProcessor&#39; in the .csdef" in html or (
        "role 'OrderProcessor' in the .csdef" in html
    )


def test_the_staging_deployment_a_step_deletes_is_not_scaled() -> None:
    """adatum-portal runs in both slots: an earlier step deletes staging, so no step scales
    its roles; a single-instance production role is still scaled."""
    estate = RULE_FIXTURES / "CSM173-single-instance-role" / "two-slots"
    plan = _plan(estate)
    scaled = [
        c.text
        for u in plan.units
        for s in u.steps
        if any(r.rule_id == "CSM173" for r in s.resolves)
        for c in s.commands
    ]
    assert any('-ServiceName "adatum-portal" -Slot "Production"' in t for t in scaled)
    assert not any('"adatum-portal" -Slot "Staging"' in t for t in scaled)
    assert not any('-Slot "production"' in t or '-Slot "staging"' in t for t in scaled)
    # a service running in staging alone keeps its staging deployment (it is swapped, not
    # deleted), so its role is scaled there, and the finding says which deployment
    assert any('-ServiceName "adatum-preview" -Slot "Staging"' in t for t in scaled)
    messages = [
        r.message for u in plan.units for s in u.steps for r in s.resolves if r.rule_id == "CSM173"
    ]
    assert any("of the staging deployment of cloud service 'adatum-preview'" in m for m in messages)


def test_commit_may_cause_downtime_when_a_role_runs_one_instance() -> None:
    """New-user check: the single-instance step said "or accept a short outage during the
    commit" while the Commit step said "Downtime: no downtime"."""
    plan = _plan(RULE_FIXTURES / "CSM173-single-instance-role" / "one-instance")
    commits = {u.id: s for u in plan.units for s in u.steps if s.phase == "commit"}
    single = {
        u.id for u in plan.units for s in u.steps if any(r.rule_id == "CSM173" for r in s.resolves)
    }
    assert single and single <= commits.keys()
    for uid, step in commits.items():
        assert step.downtime == ("possible" if uid in single else "no"), uid
        assert ("a single instance" in step.detail) == (uid in single), step.detail
    plan = _plan(RULE_FIXTURES / "CSM173-single-instance-role" / "scaled-out")
    assert all(s.downtime == "no" for u in plan.units for s in u.steps if s.phase == "commit")


def _csdef(name: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ServiceDefinition name="{name}" xmlns="http://schemas.microsoft.com/ServiceHosting/'
        '2008/10/ServiceDefinition">\n'
        '  <WebRole name="WebRole1" vmsize="Standard_D1_v2" />\n'
        "</ServiceDefinition>\n"
    )


def test_units_of_the_same_name_are_told_apart_by_where_their_inputs_are(
    tmp_path: Path,
) -> None:
    """Two repositories' .csdefs both named AzureCloudService1, and two in one folder."""
    for folder in ("shop", "blog"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ServiceDefinition.csdef").write_text(_csdef("AzureCloudService1"))
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "ServiceDefinition.csdef").write_text(_csdef("Jobs"))
    (tmp_path / "jobs" / "Debug.csdef").write_text(_csdef("Jobs"))
    (tmp_path / "solo").mkdir()
    (tmp_path / "solo" / "ServiceDefinition.csdef").write_text(_csdef("Solo"))
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, estate = run_with_estate(RunOptions(paths=["."], cwd=str(tmp_path)), rules)
    plan = build_plan(result, rules, estate, "test")
    headings = [u.heading for u in plan.units if u.kind == "cloudService"]
    assert len(headings) == len(set(headings)) == 5, headings
    wheres = {u.where for u in plan.units if u.kind == "cloudService"}
    assert wheres == {"shop", "blog", "jobs/ServiceDefinition.csdef", "jobs/Debug.csdef", ""}
    solo = next(u for u in plan.units if "Solo" in u.heading)
    assert solo.where == "" and solo.heading.endswith("(csdef: Solo)")

    from csmlint.migration.plan.render import as_dict, to_markdown

    assert "(csdef: AzureCloudService1) in shop" in to_markdown(plan)
    units = as_dict(plan)["units"]
    assert sorted(u["where"] for u in units if "where" in u) == sorted(wheres - {""})


def test_the_plan_names_units_not_their_ids() -> None:
    """The storage account waits for a virtual network: the plan says which, by name and
    number, not as ``vnet:fabrikam-ops-vnet``."""
    from csmlint.migration.plan.render import to_html, to_markdown

    plan = _plan(FIXTURES / "plan" / "fabrikam")
    storage = next(u for u in plan.units if u.kind == "storageAccount")
    vnet = next(u for u in plan.units if u.name == "fabrikam-ops-vnet")
    wait = next(s for s in storage.steps if s.id.endswith("/after-units"))
    assert "commit virtual network 'fabrikam-ops-vnet' before you validate this storage" in (
        wait.detail
    )
    markdown = to_markdown(plan)
    # named with its run order (the column to follow), and the section number to find it
    shown = f"virtual network fabrikam-ops-vnet (run order {vnet.order}"
    assert f"| {shown}, section {vnet.number}) |" in markdown
    html = to_html(plan)
    assert f'<a href="#unit-{vnet.number}">{shown})</a>' in html
    for text in (markdown, html):
        assert "vnet:fabrikam" not in text and "storage:fabrikam" not in text


def test_the_peering_commands_take_the_resource_group_from_the_remote_vnet_id() -> None:
    plan = _plan(FIXTURES / "plan" / "fabrikam")
    texts = [
        c.text
        for _, _, s in _where(plan, "CSM108", "Remove-AzVirtualNetworkPeering")
        for c in s.commands
    ]
    remove = 'Remove-AzVirtualNetworkPeering -VirtualNetworkName "fabrikam-hub"'
    assert f'{remove} -ResourceGroupName "hub-rg"' in "\n".join(texts)
    assert not any("<peered-vnet-resource-group>" in t for t in texts)


def test_a_peering_remote_that_is_no_arm_id_keeps_the_placeholder(tmp_path: Path) -> None:
    import json

    doc = json.loads((FIXTURES / "plan" / "fabrikam" / "fabrikam.topology.json").read_text())
    for sub in doc["subscriptions"]:
        for vnet in sub.get("virtualNetworks", []):
            for peering in vnet.get("peerings", []):
                peering["remoteVnetId"] = "fabrikam-hub"
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    plan = _plan(target)
    texts = [
        c.text
        for _, _, s in _where(plan, "CSM108", "Remove-AzVirtualNetworkPeering")
        for c in s.commands
    ]
    assert any('-ResourceGroupName "<peered-vnet-resource-group>"' in t for t in texts), texts


def test_steps_about_one_of_several_services_name_it() -> None:
    """adventure-vnet holds five services; three occupy both slots: three steps of the same
    two rules, each titled with its service."""
    plan = _plan(RULE_FIXTURES / "CSM177-staging-slot-only" / "topology-slots")
    vnet = next(u for u in plan.units if u.name == "adventure-vnet")
    titles = [s.title for s in vnet.steps if any(r.rule_id == "CSM118" for r in s.resolves)]
    assert "Cloud service occupies both slots (dynamic IP): 'adventure-cms'" in titles
    assert "Cloud service occupies both slots (dynamic IP): 'adventure-shop'" in titles
    # a step about the whole VNet names no service
    validate = next(s for s in vnet.steps if s.phase == "validate")
    assert not validate.title.endswith("'")
    lone = next(u for u in plan.units if u.name == "adventure-archive")
    assert all(not s.title.endswith("'adventure-archive'") for s in lone.steps)


def test_split_of_an_after_commit_fix() -> None:
    from csmlint.findings.copy_blocks import split_at_migration as _split

    before, after = _split(
        [
            "Get-AzureDisk | Select-Object DiskName",  # classic: before
            'Get-AzRoleAssignment -Scope "/x" | Export-Csv "rbac.csv"',  # a record: before
            'Move-AzureStorageAccount -Validate -StorageAccountName "s"',  # the platform's
            '(Get-AzCloudService -ResourceGroupName "a-migrated").Configuration | Set-Content x',
            "New-AzureRmVirtualNetworkPeering -Name p",  # AzureRM is ARM, not classic
            'New-AzDisk -DiskName "d"',
            'azure vm disk delete "d"',  # classic CLI: before
            '$cs.Configuration | Set-Content "x.cscfg"',  # reads what $cs got: not a record
        ],
        after_migration=True,
    )
    assert before == [
        "Get-AzureDisk | Select-Object DiskName",
        'Get-AzRoleAssignment -Scope "/x" | Export-Csv "rbac.csv"',
        'azure vm disk delete "d"',
    ]
    assert after == [
        '(Get-AzCloudService -ResourceGroupName "a-migrated").Configuration | Set-Content x',
        "New-AzureRmVirtualNetworkPeering -Name p",
        'New-AzDisk -DiskName "d"',
        '$cs.Configuration | Set-Content "x.cscfg"',
    ]
    # a blocker's fix keeps what is not after a migration command before Validate
    before, after = _split(['Remove-AzVirtualNetworkPeering -Name "p"'], after_migration=False)
    assert (before, after) == (['Remove-AzVirtualNetworkPeering -Name "p"'], [])


SHOP = FIXTURES / "plan" / "contoso-shop" / "estate.topology.json"
"""Written by a new user: shop-vnet (gateway, peering, shop-web in both slots, shop-api),
lonely-worker in the default VNet, legacy-vnet with VM sqlvm01 whose disks are in
contosovhds, and role assignments on shop-web, sqlvm01 and contosovhds."""


def test_a_role_assignment_is_recreated_in_the_unit_of_its_scope_only() -> None:
    plan = _plan(SHOP)
    where: dict[str, set[str]] = {}
    for u in plan.units:
        for s in u.steps:
            for r in s.resolves:
                if r.rule_id == "CSM114":
                    where.setdefault(r.location, set()).add(u.name)
    assert sorted(map(sorted, where.values())) == [["contosovhds"], ["legacy-vnet"], ["shop-vnet"]]
    lonely = next(u for u in plan.units if u.name == "lonely-worker")
    assert not any("New-AzRoleAssignment" in c.text for s in lonely.steps for c in s.commands)
    storage = next(u for u in plan.units if u.name == "contosovhds")
    texts = [c.text for s in storage.steps for c in s.commands]
    assert any("storageAccounts/contosovhds" in t for t in texts)
    assert not any("cloudServices/shop-web" in t for t in texts)


def test_a_role_assignment_of_no_unit_is_a_plan_note() -> None:
    plan = _plan(RULE_FIXTURES / "CSM114-rbac-classic-scope" / "topology-classic-scopes")
    assert any(n.startswith("CSM114 at ") and "woodgrovevhds" in n for n in plan.notes)
    for u in plan.units:
        for s in u.steps:
            assert not any(
                "woodgrovevhds" in r.message for r in s.resolves if r.rule_id == "CSM114"
            )


def test_names_that_could_break_out_of_a_commands_quotes_are_never_pasted(
    tmp_path: Path,
) -> None:
    """A topology from a fork's pull request names a deployment `dep"$(calc)` and a VM
    fab`ops$(x): no command carries them; a visible placeholder stands in."""
    import json

    from csmlint.engine import run
    from csmlint.model.azure.naming import UNSAFE_VALUE

    text = (FIXTURES / "plan" / "fabrikam" / "fabrikam.topology.json").read_text()
    doc = json.loads(text)
    jobs = next(
        cs for cs in doc["subscriptions"][0]["cloudServices"] if cs["name"] == "fabrikam-jobs"
    )
    jobs["deployments"][0]["name"] = 'dep"$(calc)'
    ops = next(
        cs for cs in doc["subscriptions"][0]["cloudServices"] if cs["name"] == "fabrikam-ops"
    )
    ops["deployments"][0]["vms"][0]["name"] = "fab`ops$(x)"
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    plan = _plan(target)
    texts = [c.text for u in plan.units for s in u.steps for c in s.commands]
    assert not any("calc" in t or "$(x)" in t or "`" in t for t in texts)
    assert f'azure service deployment commit-migration "fabrikam-jobs" "{UNSAFE_VALUE}"' in texts
    result, _ = run(RunOptions(paths=[str(target)], cwd=str(ROOT)))
    for f in result.findings:
        assert not any("calc" in c or "$(x)" in c for c in f.remediation.commands), f.rule_id


def test_nothing_is_deleted_before_the_checks_that_could_still_stop_the_unit() -> None:
    """Find-out steps (quota, App Service Environment, mixed roles and VMs) and the records
    of what the migration drops come before the gateway and the peering are deleted, which
    cut connectivity: those two run last, right before Validate."""
    plan = _plan(SHOP)
    vnet = next(u for u in plan.units if u.name == "shop-vnet")
    prepare = [s for s in vnet.steps if s.section == "prepare"]
    cutting = [i for i, s in enumerate(prepare) if s.phase == "network-connections"]
    checks = [i for i, s in enumerate(prepare) if s.resolves and all(r.unknown for r in s.resolves)]
    records = [i for i, s in enumerate(prepare) if s.phase == "before-migration"]
    assert cutting and checks and records
    assert max(checks + records) < min(cutting)
    assert max(cutting) == len(prepare) - 1  # then Validate
    validate = next(i for i, s in enumerate(vnet.steps) if s.phase == "validate")
    assert vnet.steps[validate - 1].phase == "network-connections"


def _lonely_worker_vnet_unknown(tmp_path: Path) -> Path:
    """The shop estate with lonely-worker's VNet unknown (no inDefaultVnet)."""
    import json

    doc = json.loads(SHOP.read_text(encoding="utf-8"))
    for cs in doc["subscriptions"][0]["cloudServices"]:
        for dep in cs["deployments"]:
            dep.pop("inDefaultVnet", None)
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    return target


def test_a_deployment_in_the_default_vnet_leaves_the_declared_vnets_members_known() -> None:
    """lonely-worker is in the platform's hidden default VNet: every deployment of the
    subscription says where it is, so shop-vnet (roles only) and legacy-vnet (VMs only) are
    known not to mix roles and VMs."""
    from csmlint.engine import run

    result, _ = run(RunOptions(paths=[str(SHOP)], cwd=str(ROOT)))
    assert not [f for f in result.findings if f.rule_id == "CSM126"]


def test_a_find_out_step_says_its_commands_are_for_when_it_applies(tmp_path: Path) -> None:
    """With lonely-worker's VNet unknown, shop-vnet may hold VMs too: whether it mixes roles
    and VMs is a find-out step, whose commands only read (what is in the VNet) and leave no
    blank where a name would go."""
    from csmlint.migration.plan.model import FIND_OUT_CHECKS

    plan = _plan(_lonely_worker_vnet_unknown(tmp_path))
    vnet = next(u for u in plan.units if u.name == "shop-vnet")
    [mixed] = [
        s
        for s in vnet.steps
        if s.section == "prepare" and any(r.rule_id == "CSM126" for r in s.resolves)
    ]
    assert mixed.title.startswith("Find out")
    assert mixed.detail.split("\n")[0] == FIND_OUT_CHECKS
    assert "  " not in mixed.detail and " of  " not in mixed.detail
    assert mixed.commands and all(c.text.startswith("Get-Azure") for c in mixed.commands)
    assert any('Where-Object VNetName -eq "shop-vnet"' in c.text for c in mixed.commands)


def test_a_vnet_the_plan_splits_says_to_plan_again_after_the_move() -> None:
    plan = _plan(FIXTURES / "examples" / "adventureworks")
    vnet = next(u for u in plan.units if u.name == "adventureworks-vnet")
    validate = next(s for s in vnet.steps if s.phase == "validate")
    assert "run csmlint plan again on the updated inputs" in validate.detail
    # every platform step after Validate says the new plan's steps hold after the split
    from csmlint.migration.plan.model import SPLIT_LATER

    later = vnet.steps[vnet.steps.index(validate) + 1 :]
    platform = [s for s in later if "/CSM" not in s.id]
    assert platform and all(s.detail.startswith(SPLIT_LATER) for s in platform)
    other = next(u for u in plan.units if u.name == "adventureworks-reports-vnet")
    check = next(s for s in other.steps if s.phase == "validate")
    assert "run csmlint plan again" not in check.detail
    assert not any(SPLIT_LATER in s.detail for s in other.steps)


def test_steps_titled_alike_are_numbered(tmp_path: Path) -> None:
    import json

    doc = json.loads(SHOP.read_text(encoding="utf-8"))
    rbac = doc["subscriptions"][0]["rbac"]
    rbac.append(
        {**rbac[0], "principal": "dev@contoso.com", "scope": rbac[0]["scope"] + "/slots/Production"}
    )
    target = tmp_path / "estate.topology.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    plan = _plan(target)
    vnet = next(u for u in plan.units if u.name == "shop-vnet")
    titles = [s.title for s in vnet.steps]
    assert len(titles) == len(set(titles))
    records = [t for t in titles if t.startswith("Before Validate: Role assignment")]
    assert [t[-8:] for t in records] == ["(1 of 2)", "(2 of 2)"]
    # each scope is exported to its own file, and recreated from it
    texts = [c.text for s in vnet.steps for c in s.commands]
    exports = sorted(t.split('Export-Csv "')[1].split('"')[0] for t in texts if "Export-Csv" in t)
    assert exports == ["rbac-shop-web-slots-Production.csv", "rbac-shop-web.csv"]
    imports = sorted(t.split('Import-Csv "')[1].split('"')[0] for t in texts if "Import-Csv" in t)
    assert imports == exports


def test_plan_exits_1_and_names_an_input_it_could_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import run_main

    (tmp_path / "estate.topology.json").write_text(SHOP.read_text(encoding="utf-8"))
    (tmp_path / "broken.topology.json").write_text('{"schema": "csmlint.topology/v1",')
    code, out, err = run_main(tmp_path, capsys, "plan", ".")
    assert code == 1
    assert out.startswith("# Migration plan")  # written anyway
    [line] = err.strip().splitlines()
    assert (
        line.startswith("csmlint: broken.topology.json:")
        and "the plan leaves this input out" in line
    )
    (tmp_path / "broken.topology.json").unlink()
    code, _, err = run_main(tmp_path, capsys, "plan", ".")
    assert (code, err) == (0, "")


def test_a_service_in_the_default_vnet_is_not_said_to_be_in_an_unknown_vnet() -> None:
    plan = _plan(SHOP)
    lonely = next(u for u in plan.units if u.name == "lonely-worker")
    validate = next(s for s in lonely.steps if s.phase == "validate")
    assert "(virtual network not known)" not in validate.title
    assert "Select-Object VNetName" not in validate.detail


def test_a_quota_increase_is_asked_for_early_and_causes_no_downtime() -> None:
    plan = _plan(FIXTURES / "rules" / "CSM106-arm-quota-insufficient")
    steps = [(u, s) for u in plan.units for s in u.steps if s.phase == "quotas"]
    assert steps, "no quota step"
    for unit, step in steps:
        assert step.downtime == "no"
        quota = unit.steps.index(step)
        assert quota < _position(unit, "validate")


def test_a_single_instance_role_is_scaled_out_before_the_deployment_is_upgraded() -> None:
    """CSM123's fix upgrades the deployment in place: with one instance that is an outage,
    with two a rolling update, so CSM173's scale-out comes first."""
    for estate in sorted((FIXTURES / "examples").iterdir()):
        for unit in _plan(estate).units:
            order = {
                r.rule_id: i
                for i, step in reversed(list(enumerate(unit.steps)))
                for r in step.resolves
                if step.section == "prepare"
            }
            if "CSM173" in order and "CSM123" in order:
                assert order["CSM173"] < order["CSM123"], (estate.name, unit.name)
                return
    raise AssertionError("no example plans both a scale-out and the RDP plugin's upgrade")


@pytest.mark.parametrize(
    ("rule", "case"),
    [
        ("CSM180-vnet-not-described", "cscfg-only"),
        ("CSM181-service-without-cscfg", "csdef-only"),
        ("CSM182-vnet-only-in-netcfg", "netcfg-only"),
    ],
)
def test_completing_the_inputs_comes_first_and_causes_no_downtime(rule: str, case: str) -> None:
    """New-user check: exporting a VNet's description or a deployment's .cscfg and linting
    again was an 'other blockers' step that 'may cause downtime', after the scale-out."""
    plan = _plan(FIXTURES / "rules" / rule / case)
    rule_id = rule.split("-", 1)[0]
    found = [
        (u, s) for u in plan.units for s in u.steps if any(r.rule_id == rule_id for r in s.resolves)
    ]
    assert found, rule
    for unit, step in found:
        assert (step.phase, step.downtime) == ("complete-the-inputs", "no")
        assert unit.steps.index(step) < _position(unit, "validate")
        others = [s for s in unit.steps if s.section == "prepare" and s.phase != step.phase]
        assert all(
            unit.steps.index(s) > unit.steps.index(step)
            for s in others
            if s.phase not in ("register-providers", "finish-open-migration")
        )


def test_entra_domain_services_migrates_first_as_its_own_step() -> None:
    """New-user check: lint said "migrate the managed domain on its own first (Migrate-Aadds
    ...)", and the plan had no step for it (an advisory note makes no step by default)."""
    case = FIXTURES / "rules" / "CSM176-aad-domain-services-in-vnet" / "topology-services"
    plan = _plan(case)
    [(unit, step)] = [
        (u, s)
        for u in plan.units
        for s in u.steps
        if any(r.rule_id == "CSM176" for r in s.resolves)
    ]
    assert step.phase == "migrate-dependencies-first" and step.section == "prepare"
    assert unit.steps.index(step) < _position(unit, "validate")
    assert any("Migrate-Aadds -Commit" in c.text for c in step.commands)


def test_splitting_a_vnet_causes_downtime() -> None:
    """New-user check: CSM126's step removes and recreates deployments, yet it said "may
    cause downtime" (the default of other blockers)."""
    plan = _plan(FIXTURES / "examples")
    steps = [
        s
        for u in plan.units
        for s in u.steps
        if s.section == "prepare"
        and any(r.rule_id == "CSM126" and not r.unknown for r in s.resolves)
    ]
    assert steps
    for step in steps:
        assert (step.phase, step.downtime) == ("split-the-vnet", "yes")
        assert any(c.text.startswith("Remove-AzureDeployment") for c in step.commands)


def test_a_two_slot_service_outside_a_vnet_empties_staging_before_it_redeploys(
    tmp_path: Path,
) -> None:
    """The redeploy into a default VNet (CSM116) goes through the staging slot: the plan
    deletes the staging deployment (CSM118, its configuration saved) first, and only the
    production deployment gets the redeploy (the staging one is deleted anyway)."""
    (tmp_path / "estate.topology.json").write_text(
        '{"schema": "csmlint.topology/v1", "subscriptions": [{"id": '
        '"22222222-2222-2222-2222-222222222222", "cloudServices": [{"name": "old", '
        '"location": "North Europe", "deployments": ['
        '{"slot": "production", "name": "old-prod", "kind": "paas", "roles": '
        '[{"name": "Web", "size": "Small", "instanceCount": 2}]},'
        '{"slot": "staging", "name": "old-stage", "kind": "paas", "roles": '
        '[{"name": "Web", "size": "Small", "instanceCount": 2}]}]}]}]}',
        encoding="utf-8",
    )
    (unit,) = _plan(tmp_path).units
    ids = [s.id for s in unit.steps]
    redeploy = [i for i, s in enumerate(unit.steps) if "/CSM116/" in s.id]
    delete = [i for i, s in enumerate(unit.steps) if "/CSM118/" in s.id and s.section == "prepare"]
    assert len(redeploy) == 1 and len(delete) == 1, ids
    assert delete[0] < redeploy[0], ids
    step = unit.steps[redeploy[0]]
    assert [r.message for r in step.resolves if "old-stage" in r.message] == []
    texts = [c.text for c in step.commands]
    swap = next(i for i, t in enumerate(texts) if t.startswith("Move-AzureDeployment"))
    remove = next(i for i, t in enumerate(texts) if t.startswith("Remove-AzureDeployment"))
    saved = [i for i, t in enumerate(texts) if "-Slot Staging).Configuration | Set-Content" in t]
    assert swap < saved[0] < remove, texts
    # "cannot tell" whether it is in a default VNet: the step keeps the Validate that tells,
    # before the redeploy it decides
    validate = next(i for i, t in enumerate(texts) if t.startswith("Move-AzureService -Validate"))
    upload = next(i for i, t in enumerate(texts) if t.startswith("New-AzureDeployment"))
    assert validate < upload, texts
