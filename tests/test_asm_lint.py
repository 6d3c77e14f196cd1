"""Linting ASM exports: directly, and through a topology that ``csmlint import`` wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asm_support import ACL, EXPORTS, RDP, RESERVED, load_estate

from csmlint.engine import RunOptions, run
from csmlint.model import CloudService, Estate
from csmlint.workflow.importer import run_import

CSDEF = """<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="LegacyRDP" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WCFServiceWebRole1" vmsize="Small">
    <Imports>
      <Import moduleName="RemoteAccess" />
      <Import moduleName="RemoteForwarder" />
    </Imports>
  </WebRole>
  <WorkerRole name="WorkerRole1" vmsize="Small">
    <Imports>
      <Import moduleName="RemoteAccess" />
    </Imports>
  </WorkerRole>
</ServiceDefinition>
"""


@pytest.fixture
def estate_dir(tmp_path: Path) -> Path:
    """exports/ with the rdpexttest Get Deployment, src/ with its `.csdef`."""
    (tmp_path / "exports").mkdir()
    (tmp_path / "src").mkdir()
    shutil.copy(EXPORTS / RDP, tmp_path / "exports" / RDP)
    (tmp_path / "src" / "ServiceDefinition.csdef").write_text(CSDEF)
    return tmp_path


def _cs(estate: Estate, name: str) -> CloudService:
    [cs] = [c for c in estate.cloud_services if c.name.lower() == name]
    return cs


def _assert_rdp_plugin_and_extension(estate: Estate) -> None:
    assert [c.name for c in estate.cloud_services] == ["rdpexttest"]
    cs = _cs(estate, "rdpexttest")
    assert cs.rdp_extension is True  # ExtensionConfiguration RDP-<guid>, type inferred
    assert cs.rdp_plugin is True  # the .csdef imports RemoteAccess
    assert cs.definition is not None and cs.definition.name == "LegacyRDP"
    [dep] = cs.deployments
    assert dep.live and dep.slot == "production" and dep.kind == "paas"
    assert dep.configuration is not None and dep.configuration.embedded
    assert dep.configuration.definition is cs.definition
    assert [r.instance_count for r in dep.roles] == [1, 1]


def test_import_then_lint_reports_rdp_plugin_and_extension_facts(estate_dir: Path) -> None:
    result = run_import(["exports"], output="estate.topology.json", cwd=str(estate_dir))
    assert not result.failed
    estate, ctx = load_estate(estate_dir, ["estate.topology.json", "src"])
    assert sorted((f.path, f.kind, f.error) for f in ctx.inputs.files) == [
        ("estate.topology.json", "topology", None),
        (f"exports/{RDP}", "asm", None),  # read because the deployment names it as its cscfg
        ("src/ServiceDefinition.csdef", "csdef", None),
    ]
    _assert_rdp_plugin_and_extension(estate)


def test_lint_of_the_export_itself_gives_the_same_facts(estate_dir: Path) -> None:
    estate, ctx = load_estate(estate_dir, ["exports", "src"])
    assert all(f.error is None for f in ctx.inputs.files)
    _assert_rdp_plugin_and_extension(estate)


def test_topology_and_its_exports_together_are_not_counted_twice(estate_dir: Path) -> None:
    run_import(["exports"], output="estate.topology.json", cwd=str(estate_dir))
    estate, _ = load_estate(estate_dir, ["."])
    _assert_rdp_plugin_and_extension(estate)


def test_facts_are_located_at_the_xml_elements(estate_dir: Path) -> None:
    estate, _ = load_estate(estate_dir, ["exports"])
    dep = _cs(estate, "rdpexttest").deployments[0]
    text = (EXPORTS / RDP).read_text()
    ref = dep.source_of("slot")
    assert ref is not None
    assert (ref.path, ref.line, ref.column) == (
        f"exports/{RDP}",
        1,
        text.index("<DeploymentSlot>") + 1,
    )


def test_embedded_cscfg_findings_name_the_export(estate_dir: Path) -> None:
    result, _ = run(RunOptions(paths=["exports"], cwd=str(estate_dir), select=["CSM173"]))
    text = (EXPORTS / RDP).read_text()
    locations = {(f.location.path, f.location.line, f.location.column) for f in result.findings}
    assert locations == {(f"exports/{RDP}", 1, text.index("<Configuration>") + 1)}
    assert sorted(f.location.embedded_line for f in result.findings) == [7, 13]


def test_all_fixture_exports_lint_without_input_errors(tmp_path: Path) -> None:
    shutil.copytree(EXPORTS, tmp_path / "exports")
    estate, ctx = load_estate(tmp_path, ["exports"])
    assert [(f.path, f.error) for f in ctx.inputs.files if f.error] == []
    kinds = {f.path.rsplit("/", 1)[-1]: f.kind for f in ctx.inputs.files}
    assert kinds["asm-get-network-configuration.xml"] == "netcfg"
    assert kinds[RESERVED] == kinds[ACL] == "asm"
    # MigAz's responses carry no namespace; they are linted too (by a telling child).
    assert all(kind == "asm" for name, kind in kinds.items() if name[:2] in ("VM", "VN"))
    assert len([n for n in kinds if n[:2] in ("VM", "VN")]) == 14
    names = sorted(cs.name for cs in estate.cloud_services)
    assert names == ["CS3", "clitestvm8667", "dndintellij", "myasmvm", "myservice", "rdpexttest"]
    vm = next(vm for vm in estate.vms if vm.name == "DnDIntelliJ")
    assert vm.agent is not None and vm.agent.status == "notready"
    assert [len(e.acl) for e in vm.endpoints] == [0, 0, 1]  # type: ignore[union-attr]
    assert {r.name for r in estate.reserved_ips} == {"clitestrip", "MyReservedIP"}
    assert any(v.name == "CliGtWyTestVnet" and v.gateways for v in estate.virtual_networks)


def test_a_broken_configuration_is_an_input_error_but_the_rest_counts(tmp_path: Path) -> None:
    text = (EXPORTS / RDP).read_text()
    start = text.index("<Configuration>") + len("<Configuration>")
    (tmp_path / RDP).write_text(text[:start] + "@@@" + text[text.index("</Configuration>") :])
    estate, ctx = load_estate(tmp_path, ["."])
    [entry] = ctx.inputs.files
    assert entry.error is not None and "not valid base64" in entry.error
    assert entry.src is not None and entry.src.column == text.index("<Configuration>") + 1
    assert _cs(estate, "rdpexttest").rdp_extension is True


def test_topology_naming_an_export_without_namespace(tmp_path: Path) -> None:
    """MigAz saved responses without namespaces; a topology may name one as the cscfg."""
    text = (EXPORTS / RDP).read_text()
    for old, new in (
        (' xmlns="http://schemas.microsoft.com/windowsazure"', ""),
        (' xmlns:i="http://www.w3.org/2001/XMLSchema-instance"', ""),
        ("i:type=", "type="),
        ("i:nil=", "nil="),
    ):
        text = text.replace(old, new)
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "CloudService-rdpexttest.xml").write_text(text)
    assert not run_import(["exports"], output="t.topology.json", cwd=str(tmp_path)).failed
    estate, ctx = load_estate(tmp_path, ["t.topology.json"])
    assert [(f.kind, f.error) for f in ctx.inputs.files] == [("topology", None), ("asm", None)]
    [dep] = _cs(estate, "rdpexttest").deployments
    assert dep.configuration is not None and dep.configuration.service_name == "LegacyRDP"
