"""The model's memory shapes (issue #13): a lint run frees its model when it returns (no
cycles left for a collector the run keeps off), a setting keeps its position as parts and
gives the same reference back, and the migration commands of a unit are built once."""

from __future__ import annotations

import gc
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from csmlint.engine import RunOptions, run, run_with_estate
from csmlint.model.azure.naming import migration_commands
from csmlint.model.base import Entity
from csmlint.model.definition import Setting
from csmlint.model.location import SourceRef
from csmlint.rulepack.paths import PathError, compile_path, field_names


def _entities_in_garbage() -> list[str]:
    """The entity types only a cyclic collection would free (the tests collect first)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return sorted({type(o).__name__ for o in gc.garbage if isinstance(o, Entity)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_a_run_leaves_no_model_cycles_behind(tmp_path: Path) -> None:
    estate = tmp_path / "estate"
    shutil.copytree(FIXTURES / "snapshots" / "estate", estate)
    options = RunOptions(paths=[str(estate)], cwd=str(tmp_path), excerpts=False)
    gc.collect()
    result, _ = run(options)
    assert result.findings, "the estate has findings: the model was built and evaluated"
    assert _entities_in_garbage() == []


def test_without_release_the_model_would_be_cyclic(tmp_path: Path) -> None:
    # the check above can fail: the same run, keeping the estate, then dropping it unreleased
    estate = tmp_path / "estate"
    shutil.copytree(FIXTURES / "snapshots" / "estate", estate)
    options = RunOptions(paths=[str(estate)], cwd=str(tmp_path), excerpts=False)
    gc.collect()
    kept = run_with_estate(options)[2]
    assert kept.cloud_services
    del kept
    assert "CloudService" in _entities_in_garbage()


def test_a_setting_gives_back_the_reference_it_was_given() -> None:
    plain = SourceRef("svc/ServiceConfiguration.Cloud.cscfg", 12, 9)
    embedded = SourceRef("export.json", 3, 5, "/deployments/0/configuration", 41)
    for ref in (plain, embedded, None):
        setting = Setting(name="Mode", value="On", src=ref)
        assert setting.src == ref
        assert pickle.loads(pickle.dumps(setting)).src == ref
    moved = Setting(name="Mode", src=plain)
    moved.src = SourceRef("other.cscfg", 1, 2)
    assert moved.src == SourceRef("other.cscfg", 1, 2)
    assert "_at" not in repr(moved)


def test_a_rule_cannot_read_a_settings_private_parts() -> None:
    assert field_names(Setting) == ["key", "name", "value"]
    with pytest.raises(PathError, match="unknown field '_at'"):
        compile_path(Setting, Setting, "_at")


def test_a_service_and_its_deployment_share_one_set_of_commands() -> None:
    first = migration_commands("cloudService", "contoso", "contoso", "prod")
    again = migration_commands("cloudService", "contoso", "contoso", "prod")
    assert first["validate"] is again["validate"]
    assert first["validate"] == (
        'Move-AzureService -Validate -ServiceName "contoso" -DeploymentName "prod" '
        "-CreateNewVirtualNetwork"
    )
    commit = 'Move-AzureService -Commit -ServiceName "contoso" -DeploymentName "prod"'
    assert first["commit"] == commit
    assert first["cliPrepare"].endswith(' new "" "" ""')
    vnet = migration_commands("virtualNetwork", "Group rg vnet", None, None)
    prepare = 'Move-AzureVirtualNetwork -Prepare -VirtualNetworkName "Group rg vnet"'
    assert vnet["prepare"] == prepare
    assert vnet["cliCommit"] == 'azure network vnet commit-migration "Group rg vnet"'


def test_a_paths_field_type_is_the_one_typing_gives() -> None:
    """Rule paths read one field's annotation at a time (start-up); for every field of every
    rule scope it is what ``typing.get_type_hints`` gives for the whole class."""
    import typing

    import csmlint.model as model
    from csmlint import records
    from csmlint.model.estate import SCOPES
    from csmlint.rulepack.paths import _hint

    checked = 0
    for cls, _ in SCOPES.values():
        hints = typing.get_type_hints(cls, vars(model))
        for f in records.fields(cls):
            assert _hint(cls, f.name) == hints[f.name], (cls.__name__, f.name)
            checked += 1
    assert checked > 300
