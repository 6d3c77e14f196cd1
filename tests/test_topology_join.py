"""A topology joined with files: cloud services, deployments, VNets, derived facts, and the
engine loading the `.cscfg` files a topology names."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from csmlint.assembly import assemble
from csmlint.discovery import discover
from csmlint.engine import RunOptions, load, run
from csmlint.model import UNKNOWN, CloudService, Estate

ESTATE = FIXTURES / "topology" / "contoso"
TOPOLOGY = "topology/contoso.topology.json"
CSCFG = "src/ContosoWeb/ServiceConfiguration.Cloud.cscfg"


def load_estate(cwd: Path, paths: list[str], topology: list[str] = ()) -> tuple[Estate, Any]:  # type: ignore[assignment]
    """What :func:`engine.run` does up to assembly, so that tests can look at the model."""
    loaded = load(RunOptions(paths=paths, cwd=str(cwd), topology=list(topology)))
    return assemble(loaded.inputs), loaded


def _cs(estate: Estate, name: str) -> CloudService:
    return next(cs for cs in estate.cloud_services if cs.name.lower() == name.lower())


@pytest.fixture(scope="module")
def estate() -> Estate:
    result, ctx = load_estate(ESTATE, ["."])
    assert [f.error for f in ctx.inputs.files] == [None] * 4
    return result


def test_discovery_finds_the_topology(estate: Estate) -> None:
    assert estate.has_topology
    assert sorted(f.kind for f in estate.files) == ["cscfg", "csdef", "netcfg", "topology"]


def test_cloud_service_joins_its_files(estate: Estate) -> None:
    assert sorted((cs.name for cs in estate.cloud_services), key=str.lower) == [
        "contoso-orphan",
        "contoso-sql",
        "Contoso-Web",
    ]
    web = _cs(estate, "contoso-web")
    assert web.in_topology
    assert web.definition is not None and web.definition.path.endswith("ServiceDefinition.csdef")
    prod, stage = web.deployments
    assert prod.configuration is not None and prod.configuration.path == CSCFG
    assert stage.configuration is None
    assert web.configurations == [prod.configuration]
    roles = {r.name: r for r in prod.roles}
    assert roles["Storefront"].instance_count == 2  # the .cscfg
    assert roles["Storefront"].size == "Medium"  # topology wins over the .csdef
    assert roles["Storefront"].definition is not None
    assert roles["Storefront"].deployment is prod
    assert roles["Storefront"].settings is not UNKNOWN  # the .cscfg tells
    assert prod.vnet_name == "contoso-vnet"


def test_derived_service_facts(estate: Estate) -> None:
    web, sql, orphan = (_cs(estate, n) for n in ("contoso-web", "contoso-sql", "contoso-orphan"))
    assert web.slots == ["production", "staging"]
    assert web.production is web.deployments[0] and web.staging is web.deployments[1]
    assert web.rdp_extension is True
    assert web.rdp_plugin is True  # the files
    assert (web.has_paas, web.has_iaas) == (True, False)
    assert web.availability_sets == []
    assert (sql.slots, sql.staging) == (["production"], None)
    assert (sql.has_paas, sql.has_iaas) == (False, True)
    assert sql.availability_sets == ["sql-as"]
    assert sql.rdp_extension is UNKNOWN  # no extensions list, no refs
    # a topology cloud service that does not list deployments: nothing is known
    assert (orphan.slots, orphan.production, orphan.has_paas, orphan.has_iaas) == (
        UNKNOWN,
        UNKNOWN,
        UNKNOWN,
        UNKNOWN,
    )
    assert orphan.rdp_extension is UNKNOWN and orphan.availability_sets is UNKNOWN
    assert web.deployments[0].uses_reserved_ip is True


def test_vnet_joins_netcfg_topology_and_cscfg(estate: Estate) -> None:
    names = sorted(v.name.lower() for v in estate.virtual_networks)
    assert names == ["contoso-vnet", "isolated-vnet"]
    vnet = next(v for v in estate.virtual_networks if v.name.lower() == "contoso-vnet")
    assert vnet.src is not None and vnet.src.path.endswith("NetworkConfig.netcfg")
    peering_ref = vnet.source_of("peerings")
    assert peering_ref is not None and peering_ref.path.endswith(".topology.json")
    assert isinstance(vnet.peerings, list) and len(vnet.peerings) == 1
    assert {d.key for d in vnet.deployments} == {
        "cloudService:contoso-web/deployment:production",
        "cloudService:contoso-web/deployment:staging",
        "cloudService:contoso-sql/deployment:production",
    }
    assert vnet.cloud_service_names == ["Contoso-Web", "contoso-sql"]
    assert (vnet.has_paas, vnet.has_iaas, vnet.has_cloud_services) == (True, True, True)
    assert [vm.name for vm in vnet.vms] == ["sql1", "sql2"]
    assert vnet.has_express_route is True  # circuit er-1 links it
    sub = estate.subscriptions[0]
    assert vnet.subscription is sub
    assert any(v is vnet for v in sub.virtual_networks)  # the joined object, not a copy
    assert all(d.virtual_network is vnet for d in vnet.deployments)


def test_membership_unknown_while_a_service_has_unlisted_deployments(estate: Estate) -> None:
    isolated = next(v for v in estate.virtual_networks if v.name == "isolated-vnet")
    assert isolated.deployments == []
    assert isolated.has_cloud_services is UNKNOWN  # contoso-orphan could live anywhere
    assert isolated.vm_count is UNKNOWN


def test_membership_known_when_every_deployment_is(tmp_path: Path) -> None:
    doc = json.loads((ESTATE / TOPOLOGY).read_text("utf-8"))
    services = doc["subscriptions"][0]["cloudServices"]
    doc["subscriptions"][0]["cloudServices"] = [s for s in services if "deployments" in s]
    (tmp_path / "t.topology.json").write_text(json.dumps(doc), "utf-8")
    result, _ = load_estate(tmp_path, ["."])
    isolated = next(v for v in result.virtual_networks if v.name == "isolated-vnet")
    assert (isolated.has_cloud_services, isolated.has_paas, isolated.vm_count) == (False, False, 0)


def test_quota_requirement(estate: Estate) -> None:
    cores = next(q for q in estate.quotas if q.counter == "cores")
    # production: Storefront Medium(2) x2 + OrderProcessor Small(1) x1; staging: Medium x1;
    # IaaS: sql1 and sql2 Large(4) each
    assert cores.required == 4 + 1 + 2 + 4 + 4
    assert (cores.projected, cores.headroom) == (55, -7)
    ips = next(q for q in estate.quotas if q.counter == "publicIPAddresses")
    assert ips.required is UNKNOWN  # only cores are computed


def test_quota_unknown_when_a_live_service_has_no_region(tmp_path: Path) -> None:
    doc = json.loads((ESTATE / TOPOLOGY).read_text("utf-8"))
    del doc["subscriptions"][0]["cloudServices"][1]["location"]
    (tmp_path / "t.topology.json").write_text(json.dumps(doc), "utf-8")
    result, _ = load_estate(tmp_path, ["."])
    cores = next(q for q in result.quotas if q.counter == "cores")
    assert (cores.required, cores.headroom) == (UNKNOWN, UNKNOWN)


def test_referenced_cscfg_is_loaded_when_not_linted() -> None:
    result, ctx = load_estate(ESTATE, ["network"], [TOPOLOGY])
    assert sorted(f.path for f in ctx.inputs.files) == [
        "network/NetworkConfig.netcfg",
        CSCFG,
        TOPOLOGY,
    ]
    web = _cs(result, "contoso-web")
    assert web.deployments[0].configuration is not None
    assert web.definition is None  # the .csdef was not asked for
    assert web.deployments[0].configuration.path == CSCFG


def test_explicit_cscfg_wins_over_names(tmp_path: Path) -> None:
    shutil.copytree(ESTATE / "src", tmp_path / "src")
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {
                "cloudServices": [
                    {"name": "contoso-web", "deployments": [{"slot": "staging"}]},
                    {
                        "name": "renamed-in-portal",
                        "deployments": [{"slot": "production", "cscfg": "../" + CSCFG}],
                    },
                ]
            }
        ],
    }
    (tmp_path / "topo").mkdir()
    (tmp_path / "topo" / "estate.topology.json").write_text(json.dumps(doc), "utf-8")
    result, _ = load_estate(tmp_path, ["."])
    renamed = _cs(result, "renamed-in-portal")
    assert renamed.definition is not None
    assert renamed.deployments[0].configuration is not None
    assert _cs(result, "contoso-web").definition is None


def test_single_live_deployment_joins_the_single_cscfg(tmp_path: Path) -> None:
    shutil.copytree(ESTATE / "src", tmp_path / "src")
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [{"cloudServices": [{"name": "CONTOSO-WEB", "deployments": [{}]}]}],
    }
    (tmp_path / "estate.topology.json").write_text(json.dumps(doc), "utf-8")
    result, _ = load_estate(tmp_path, ["."])
    (web,) = result.cloud_services
    assert web.definition is not None and web.deployments[0].configuration is not None
    assert web.deployments[0].live and web.slots is UNKNOWN  # slot not stated


def test_a_cscfg_does_not_deploy_a_service_the_topology_says_has_no_deployment(
    tmp_path: Path,
) -> None:
    """`"deployments": []` is evidence (CSM121 blocks the empty service): a `.cscfg` of the
    service is a configuration, not a deployment that per-deployment rules and the plan's
    Move-AzureDeployment commands would act on."""
    shutil.copytree(ESTATE / "src", tmp_path / "src")
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [{"cloudServices": [{"name": "contoso-web", "deployments": []}]}],
    }
    (tmp_path / "estate.topology.json").write_text(json.dumps(doc), "utf-8")
    estate, _ = load_estate(tmp_path, ["."])
    (web,) = estate.cloud_services
    assert web.configurations and web.definition is not None
    assert web.deployments == []
    rules = {f.rule_id for f in _run(tmp_path, ".").active}
    assert "CSM121" in rules and "CSM116" not in rules
    doc["subscriptions"][0]["cloudServices"][0].pop("deployments")  # not listed: unknown
    (tmp_path / "estate.topology.json").write_text(json.dumps(doc), "utf-8")
    estate, _ = load_estate(tmp_path, ["."])
    assert len(estate.cloud_services[0].deployments) == 1


def _run(cwd: Path, *paths: str, topology: tuple[str, ...] = ()) -> Any:
    result, _ = run(RunOptions(paths=list(paths), topology=list(topology), cwd=str(cwd)))
    return result


def test_missing_referenced_cscfg_is_an_input_error_at_the_topology(tmp_path: Path) -> None:
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {"cloudServices": [{"name": "a", "deployments": [{"cscfg": "gone/a.cscfg"}]}]}
        ],
    }
    (tmp_path / "x.topology.json").write_text(json.dumps(doc, indent=1), "utf-8")
    result = _run(tmp_path, ".")
    errors = [f for f in result.findings if f.rule_id == "CSM000"]
    assert len(errors) == 1
    loc = errors[0].location
    assert (loc.path, loc.pointer) == (
        "x.topology.json",
        "/subscriptions/0/cloudServices/0/deployments/0/cscfg",
    )
    assert loc.line == 10
    assert "'gone/a.cscfg' does not exist" in errors[0].message


def test_referenced_cscfg_outside_the_working_directory_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    shutil.copy(ESTATE / CSCFG, tmp_path / "outside" / "a.cscfg")
    repo = tmp_path / "repo"
    repo.mkdir()
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {"cloudServices": [{"name": "a", "deployments": [{"cscfg": "../outside/a.cscfg"}]}]}
        ],
    }
    (repo / "x.topology.json").write_text(json.dumps(doc), "utf-8")
    result = _run(repo, ".")
    errors = [f for f in result.findings if f.rule_id == "CSM000"]
    assert len(errors) == 1 and "outside the working directory" in errors[0].message
    assert errors[0].location.path == "x.topology.json"
    assert "../outside/a.cscfg" in result.files  # never an absolute path outside the root
    assert not any(os.path.isabs(f) for f in result.files)


def test_referenced_file_must_be_a_cscfg(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SIBLING-SECRET-CANARY", "utf-8")
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {"cloudServices": [{"name": "a", "deployments": [{"cscfg": "secret.txt"}]}]}
        ],
    }
    (tmp_path / "x.topology.json").write_text(json.dumps(doc), "utf-8")
    result = _run(tmp_path, ".")
    (error,) = [f for f in result.findings if f.rule_id == "CSM000"]
    assert "is not a .cscfg file" in error.message
    assert all("CANARY" not in f.message for f in result.findings)


def test_topology_option_reads_a_file_without_the_marker(tmp_path: Path) -> None:
    (tmp_path / "estate.json").write_text('{"subscriptions": []}', "utf-8")
    result = _run(tmp_path, topology=("estate.json",))
    (error,) = [f for f in result.findings if f.rule_id == "CSM000"]
    assert "not a topology document" in error.message
    assert error.location.path == "estate.json"


def test_topology_option_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    from csmlint.errors import UsageError

    with pytest.raises(UsageError, match=r"--topology nope\.json"):
        _run(tmp_path, topology=("nope.json",))


def test_same_subscription_in_two_documents_is_merged(tmp_path: Path) -> None:
    for i, name in enumerate(("a", "b")):
        doc = {
            "schema": "csmlint.topology/v1",
            "subscriptions": [
                {
                    "id": "00000000-0000-0000-0000-0000000000AA",
                    "reservedIps": [{"name": f"rip-{name}"}],
                    "cloudServices": [{"name": name, "deployments": []}],
                    "virtualNetworks": [{"name": f"vnet-{name}"}],
                    "storageAccounts": [{"name": f"store{name}"}],
                }
            ],
        }
        (tmp_path / f"{i}.topology.json").write_text(json.dumps(doc), "utf-8")
    result, _ = load_estate(tmp_path, ["."])
    (sub,) = result.subscriptions
    assert sorted(cs.name for cs in sub.cloud_services) == ["a", "b"]
    assert all(cs.subscription is sub for cs in result.cloud_services)
    assert all(v.subscription is sub for v in result.virtual_networks)
    assert all(a.subscription is sub for a in result.storage_accounts)
    assert all(r.subscription is sub for r in result.reserved_ips)
    assert len(result.reserved_ips) == 2


def test_the_schema_file_next_to_a_topology_is_not_a_topology(tmp_path: Path) -> None:
    from csmlint.loaders.topology.schema import schema_document

    (tmp_path / "topology.schema.json").write_text(json.dumps(schema_document()), "utf-8")
    doc = {"$schema": "./topology.schema.json", "schema": "csmlint.topology/v1"}
    (tmp_path / "estate.json").write_text(json.dumps(doc), "utf-8")
    (tmp_path / "utf16.json").write_bytes(
        b"\xff\xfe" + '{ "schema" :\n "csmlint.topology/v1"}'.encode("utf-16-le")
    )
    found = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [(c.display, c.kind) for c in found.files] == [
        ("estate.json", "topology"),
        ("utf16.json", "topology"),
    ]


def _two_slot_service(tmp_path: Path, with_cscfg: bool) -> Path:
    shop = tmp_path / "shop"
    shop.mkdir()
    for name in ("ServiceDefinition.csdef", "ServiceConfiguration.Cloud.cscfg"):
        shutil.copy(FIXTURES / "services" / "modern" / name, shop / name)
    production: dict[str, Any] = {"slot": "production", "name": "prod"}
    if with_cscfg:
        production["cscfg"] = "shop/ServiceConfiguration.Cloud.cscfg"
    topology = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {
                "id": "00000000-0000-0000-0000-000000000001",
                "cloudServices": [
                    {
                        "name": "fabrikam-orders",
                        "deployments": [production, {"slot": "staging", "name": "stage"}],
                    }
                ],
            }
        ],
    }
    (tmp_path / "topo.json").write_text(json.dumps(topology), "utf-8")
    return tmp_path


def test_a_cscfg_no_listed_deployment_names_is_said_to_be_unpaired(tmp_path: Path) -> None:
    root = _two_slot_service(tmp_path, with_cscfg=False)
    result, _ = run(RunOptions(paths=["shop"], topology=["topo.json"], cwd=str(root)))
    [note] = [n for n in result.notifications if "not paired" in n]
    assert note.startswith("shop/ServiceConfiguration.Cloud.cscfg: not paired with a deployment")
    assert "the topology lists 2 (production, staging)" in note
    assert 'set "cscfg": "shop/ServiceConfiguration.Cloud.cscfg" (relative to topo.json)' in note


def test_a_cscfg_a_deployment_names_is_paired_without_a_note(tmp_path: Path) -> None:
    root = _two_slot_service(tmp_path, with_cscfg=True)
    result, _ = run(RunOptions(paths=["shop"], topology=["topo.json"], cwd=str(root)))
    assert not [n for n in result.notifications if "not paired" in n]


def test_a_deployment_known_only_by_its_slot_is_named_by_it_in_messages(tmp_path: Path) -> None:
    root = _two_slot_service(tmp_path, with_cscfg=False)
    topology = json.loads((root / "topo.json").read_text("utf-8"))
    for dep in topology["subscriptions"][0]["cloudServices"][0]["deployments"]:
        del dep["name"]
    (root / "topo.json").write_text(json.dumps(topology), "utf-8")
    result, _ = run(RunOptions(paths=["shop"], topology=["topo.json"], cwd=str(root)))
    quota = [f.message for f in result.findings if f.rule_id == "CSM106"]
    assert any("deployment '<deployment-name>' (production slot)" in m for m in quota), quota
    assert any("deployment '<deployment-name>' (staging slot)" in m for m in quota), quota
