"""Unknown is not false: a `.cscfg` value csmlint cannot read is unknown, never absent."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.loaders.files.cscfg import load_cscfg
from csmlint.model.facts import UNKNOWN
from csmlint.parsing.locator import Locator
from csmlint.parsing.xmlsafe import parse_xml

CSDEF = (
    FIXTURES / "rules" / "CSM173-single-instance-role" / "one-instance" / "ServiceDefinition.csdef"
)

NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"
CSCFG = """<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="OrleansAzureSample" xmlns="{ns}" osFamily="6">
  <Role name="WebRole">
    <Instances count="{count}" />
  </Role>
  <Role name="Orleans.Silos">
    <Instances count="2" />
  </Role>
  <NetworkConfiguration>
    {site}
  </NetworkConfiguration>
</ServiceConfiguration>
"""


# The live deployment is known not to sit in a hidden default VNet; its VNet name comes
# from the .cscfg.
TOPOLOGY = """{"schema": "csmlint.topology/v1", "subscriptions": [{
  "id": "3c9e1a27-58b4-4d6f-a0e2-7f1b9c4d2e86",
  "cloudServices": [{"name": "OrleansAzureSample", "deployments": [
    {"slot": "production", "kind": "paas", "inDefaultVnet": false}]}]}]}
"""


def _run(tmp_path: Path, count: str, site: str):  # type: ignore[no-untyped-def]
    (tmp_path / "ServiceDefinition.csdef").write_bytes(CSDEF.read_bytes())
    cscfg = CSCFG.format(ns=NS, count=count, site=site)
    (tmp_path / "ServiceConfiguration.Cloud.cscfg").write_text(cscfg)
    (tmp_path / "estate.topology.json").write_text(TOPOLOGY)
    return run(RunOptions(paths=["."], cwd=str(tmp_path), select=["CSM116", "CSM173"]))


def test_unnamed_virtual_network_site_is_an_unknown_vnet_not_no_vnet(tmp_path: Path) -> None:
    result, _ = _run(tmp_path, "2", '<VirtualNetworkSite name=" " />')
    (deployment_not_in_vnet,) = [f for f in result.active if f.rule_id == "CSM116"]
    assert deployment_not_in_vnet.unknown and deployment_not_in_vnet.severity == "note"
    result, _ = _run(tmp_path, "2", "")
    (known,) = [f for f in result.active if f.rule_id == "CSM116"]
    assert not known.unknown and known.severity != "note"


def test_instance_count_token_is_unknown(tmp_path: Path) -> None:
    data = CSCFG.format(ns=NS, count="#{WebRoleInstances}#", site="").encode()
    cfg = load_cscfg(Locator(parse_xml(data), "ServiceConfiguration.Cloud.cscfg"))
    counts = {role.name: role.instance_count for role in cfg.roles}
    assert counts == {"WebRole": UNKNOWN, "Orleans.Silos": 2}
    result, _ = _run(tmp_path, "#{WebRoleInstances}#", "")
    assert not [f for f in result.active if f.rule_id == "CSM173"]
    result, _ = _run(tmp_path, "1", "")
    assert [f.message.split("'")[1] for f in result.active if f.rule_id == "CSM173"] == ["WebRole"]
