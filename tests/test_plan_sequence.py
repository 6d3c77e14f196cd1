"""Where steps run, as a migration lead follows them (new-user check helper-49): access and
connectivity come back first after Commit, a service's package and configuration are fixed
before anything updates it, VMs are recreated before their extensions are changed, and a
Prepare that restarts VMs says it causes downtime."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, ROOT

from csmlint.engine import RunOptions, run_with_estate
from csmlint.migration.plan import build_plan
from csmlint.migration.plan.model import Plan, Step, UnitPlan

RULES = FIXTURES / "rules"


def _plan(path: Path) -> Plan:
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    result, _, estate = run_with_estate(RunOptions(paths=[str(path)], cwd=str(ROOT)), rules)
    return build_plan(result, rules, estate, "test")


def _first(unit: UnitPlan, section: str, rule_ids: set[str]) -> int:
    return min(i for i, s in enumerate(unit.steps) if s.section == section and _about(s, rule_ids))


def _last(unit: UnitPlan, section: str, rule_ids: set[str]) -> int:
    return max(i for i, s in enumerate(unit.steps) if s.section == section and _about(s, rule_ids))


def _about(step: Step, rule_ids: set[str]) -> bool:
    return any(r.rule_id in rule_ids for r in step.resolves)


def test_package_and_configuration_fixes_come_before_the_updates_after_commit() -> None:
    """The legacy size and the .cscfg's VNet ID must be right "before the next update", and
    the RDP and WAD steps update the service (Update-AzCloudService)."""
    plan = _plan(FIXTURES / "examples" / "contoso")
    (unit,) = [u for u in plan.units if any(_about(s, {"CSM123"}) for s in u.steps)]
    before_updates = {"CSM127", "CSM133", "CSM174"}
    updates = {"CSM123", "CSM124"}
    assert _last(unit, "after", before_updates) < _first(unit, "after", updates)
    texts = [c.text for s in unit.steps if _about(s, updates) for c in s.commands]
    assert any("Update-AzCloudService" in t for t in texts)


def test_the_endpoint_acl_rules_are_the_first_step_after_commit() -> None:
    plan = _plan(RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics")
    (unit,) = [u for u in plan.units if u.kind == "virtualNetwork"]
    after = [s for s in unit.steps if s.section == "after"]
    acls = [i for i, s in enumerate(after) if _about(s, {"CSM138"})]
    assert acls == list(range(len(acls)))  # the endpoints are open until these run


def test_vms_are_recreated_before_their_extensions_change() -> None:
    plan = _plan(RULES / "CSM131-vm-without-subnet" / "topology-vnet-vms")
    (unit,) = [u for u in plan.units if u.kind == "virtualNetwork"]
    for find_out in (True, False):  # among the find-outs, and among the fixes
        steps = [
            s
            for s in unit.steps
            if s.section == "prepare" and all(r.unknown for r in s.resolves) == find_out
        ]
        recreated = [i for i, s in enumerate(steps) if _about(s, {"CSM131"})]
        extensions = [i for i, s in enumerate(steps) if _about(s, {"CSM140", "CSM141"})]
        if recreated and extensions:
            assert max(recreated) < min(extensions), [s.title for s in steps]
    recreating = [s for s in unit.steps if _about(s, {"CSM131"}) and s.section == "prepare"]
    assert recreating and all(s.phase == "recreate-vms" for s in recreating)


def test_a_prepare_that_restarts_vms_causes_downtime() -> None:
    plan = _plan(RULES / "CSM155-vm-not-in-vnet-restart" / "topology-deployments")
    restarting = [u for u in plan.units if any(_about(s, {"CSM155"}) for s in u.steps)]
    assert restarting
    for unit in restarting:
        (prepare,) = [s for s in unit.steps if s.phase == "prepare"]
        assert prepare.downtime in ("yes", "possible")
        assert "restart during Prepare" in prepare.detail
        assert "keeps serving" not in prepare.detail
    commands = [c.text for u in restarting for s in u.steps for c in s.commands]
    assert any('-ReservedIPName "<reserved-ip-name>"' in c for c in commands)  # not invented
    others = [u for u in plan.units if u not in restarting and u.kind != "storageAccount"]
    for unit in others:
        prepare = next((s for s in unit.steps if s.phase == "prepare"), None)
        if prepare is not None:
            assert "keeps serving" in prepare.detail and prepare.downtime == "no"


def test_titles_name_vms_as_the_inputs_spell_them(tmp_path: Path) -> None:
    source = RULES / "CSM141-boot-diagnostics-premium" / "topology-boot-diagnostics"
    text = (source / "estate.topology.json").read_text(encoding="utf-8")
    assert '"name": "lims-db1"' in text
    (tmp_path / "estate.topology.json").write_text(
        text.replace('"name": "lims-db1"', '"name": "LIMS-DB1"'), encoding="utf-8"
    )
    plan = _plan(tmp_path)
    titles = [s.title for u in plan.units for s in u.steps]
    assert any(t.endswith("VM 'LIMS-DB1'") for t in titles)
    assert not any("VM 'lims-db1'" in t for t in titles)


def test_a_subscription_wide_step_is_done_once_and_checked_in_the_other_units(
    tmp_path: Path,
) -> None:
    """New-user check: registering the migration provider came in full in every unit of the
    subscription (the registration commands three times for three cloud services)."""
    import json

    source = RULES / "CSM166-migration-provider-not-registered" / "topology-not-registered"
    data = json.loads((source / "estate.topology.json").read_text("utf-8"))
    sub = data["subscriptions"][0]
    sub["cloudServices"] = [
        {
            "name": f"svc{n}",
            "location": "West Europe",
            "deployments": [{"slot": "production", "name": f"svc{n}-1", "kind": "paas"}],
        }
        for n in range(3)
    ]
    data["subscriptions"] = [sub]
    (tmp_path / "estate.topology.json").write_text(json.dumps(data), "utf-8")
    plan = _plan(tmp_path)
    steps = [(u, s) for u in plan.units for s in u.steps if _about(s, {"CSM166"})]
    assert len(steps) == 3  # each unit still has one: its Validate needs the provider
    (whole,) = [(u, s) for u, s in steps if u.order == 1]
    assert any("Register-AzResourceProvider" in c.text for c in whole[1].commands)
    for _unit, step in steps:
        if step is whole[1]:
            continue
        assert f"step {whole[1].number} ({whole[0].heading}) does this" in step.detail
        texts = [c.text for c in step.commands]
        assert texts[0].startswith("Select-AzSubscription")  # the check runs where it should
        assert any(t.startswith("Get-AzResourceProvider") for t in texts)
        assert not any("Register" in t or t.startswith(("az ", "azure ")) for t in texts), texts


def test_a_unit_left_prepared_runs_the_platform_steps_only_after_an_abort() -> None:
    """New-user checks: after the step that commits or aborts the open migration, Validate,
    Prepare and Commit again read as the next steps."""
    plan = _plan(FIXTURES / "examples" / "lamna")
    (unit,) = [u for u in plan.units if any(_about(s, {"CSM178"}) for s in u.steps)]
    (finish,) = [s for s in unit.steps if _about(s, {"CSM178"})]
    migrate = [s for s in unit.steps if s.section == "migrate"]
    assert migrate and all(
        s.title.startswith(f"Only after an Abort in step {finish.number}: ") for s in migrate
    )
    others = _plan(FIXTURES / "examples" / "contoso").units[0].steps
    assert not any(s.title.startswith("Only after an Abort") for s in others)


def test_a_find_out_step_whose_commands_only_read_says_they_are_the_check() -> None:
    """New-user check: "the commands are the fix if it does" headed steps whose commands only
    gather the missing facts (CSM182's listing of the VNet)."""
    from csmlint.migration.plan.model import FIND_OUT_CHECKS, FIND_OUT_NOTE

    steps = [s for u in _plan(FIXTURES / "examples" / "contoso").units for s in u.steps]
    (describe,) = [s for s in steps if _about(s, {"CSM182"})]
    assert describe.detail.startswith(FIND_OUT_CHECKS)
    slots = [s for s in steps if _about(s, {"CSM119"}) and s.detail.startswith("First find out")]
    assert slots and all(s.detail.startswith(FIND_OUT_NOTE) for s in slots)  # they change
