"""Unknown is not false: an imported ``cloudServices`` list claims to hold every cloud
service of its subscription only when a List Cloud Services response (``<HostedServices>``)
was imported.

The exports are MigAz's recordings (``fixtures/exports/migaz``): a Get Cloud Service
Properties response of ``myservice`` (a VM in VNet ``Group Group-2 myservice``) and a List
Virtual Network Sites response whose VNet ``10.2.0.0`` has a VPN gateway (and
``<InUse>true</InUse>``) and holds none of the imported deployments. Without a listing of the
subscription's cloud services nothing says that no web/worker roles live in ``10.2.0.0``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from asm_support import MIGAZ

from csmlint.cli import main
from csmlint.loaders.asm.merge import merge_into
from csmlint.loaders.topology.document import load_topology

SUB = "f2175d43-ac02-49b4-9262-47db12ec799b"
SERVICE = "VM1-05-CloudService-myservice.xml"
SITES = "VNET1-02-VirtualNetworks.xml"
LISTING = "list-cloud-services.xml"
NO_ROLES = "and no web/worker roles"

# A List Cloud Services response (GET https://management.core.windows.net/<subscription-id>
# /services/hostedservices) in the documented shape, naming the one cloud service that the
# MigAz recording of Get Cloud Service Properties describes.
LIST_CLOUD_SERVICES = f"""<?xml version="1.0" encoding="utf-8"?>
<HostedServices xmlns="http://schemas.microsoft.com/windowsazure"
    xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <HostedService>
    <Url>https://management.core.windows.net/{SUB}/services/hostedservices/myservice</Url>
    <ServiceName>myservice</ServiceName>
    <HostedServiceProperties>
      <Description>myservice</Description>
      <Location>Australia East</Location>
      <Label>dG9tc2NvbnRhaW5lcnM=</Label>
      <Status>Created</Status>
    </HostedServiceProperties>
  </HostedService>
</HostedServices>
"""


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, _ = capsys.readouterr()
    return int(exc.value.code or 0), out


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in (SERVICE, SITES):
        shutil.copy(MIGAZ / name, exports / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _import(capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, Any]:
    code, _ = _run(["import", *paths, "-o", "estate.topology.json"], capsys)
    assert code == 0
    doc: dict[str, Any] = json.loads(Path("estate.topology.json").read_text("utf-8"))
    return doc


def _gateway_note(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The CSM103 finding of VNet 10.2.0.0 when the imported topology is linted."""
    args = ["lint", "--topology", "estate.topology.json", "exports", "--format", "json"]
    _, out = _run([*args, "--fail-on", "never"], capsys)
    found = [
        f
        for f in json.loads(out)["findings"]
        if f["ruleId"] == "CSM103" and f["virtualNetwork"] == "10.2.0.0"
    ]
    assert len(found) == 1, found
    return found[0]  # type: ignore[no-any-return]


def _subscription(doc: dict[str, Any]) -> dict[str, Any]:
    [sub] = [s for s in doc["subscriptions"] if s.get("id") == SUB]
    return sub  # type: ignore[no-any-return]


def test_single_service_exports_do_not_list_the_subscription(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _import(capsys, "exports")
    note = _gateway_note(capsys)
    assert note["unknownFacts"] is True
    assert NO_ROLES not in note["message"]
    assert "the inputs do not settle whether they do" in note["message"]
    sub = _subscription(doc)
    assert [cs["name"] for cs in sub["cloudServices"]] == ["myservice"]
    assert sub["cloudServicesComplete"] is False


def test_a_list_cloud_services_response_makes_the_list_complete(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "exports" / LISTING).write_text(LIST_CLOUD_SERVICES, "utf-8")
    doc = _import(capsys, "exports")
    assert _subscription(doc)["cloudServicesComplete"] is True
    note = _gateway_note(capsys)
    assert note["unknownFacts"] is False
    assert NO_ROLES in note["message"]


def test_importing_the_listing_into_the_document_later_completes_it(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _subscription(_import(capsys, "exports"))["cloudServicesComplete"] is False
    (work / LISTING).write_text(LIST_CLOUD_SERVICES, "utf-8")
    assert _subscription(_import(capsys, LISTING))["cloudServicesComplete"] is True
    assert NO_ROLES in _gateway_note(capsys)["message"]
    # and importing single-service exports again does not undo it
    assert _subscription(_import(capsys, "exports"))["cloudServicesComplete"] is True


def test_reimporting_into_a_document_that_predates_the_key_corrects_it(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document an earlier csmlint wrote has the same list without the key (complete)."""
    doc = _import(capsys, "exports")
    for sub in doc["subscriptions"]:
        sub.pop("cloudServicesComplete", None)
    Path("estate.topology.json").write_text(json.dumps(doc), "utf-8")
    assert NO_ROLES in _gateway_note(capsys)["message"]  # what the old document claimed
    assert _subscription(_import(capsys, "exports"))["cloudServicesComplete"] is False
    assert _gateway_note(capsys)["unknownFacts"] is True


def test_an_empty_listing_says_the_subscription_has_no_cloud_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty.xml").write_text(
        '<HostedServices xmlns="http://schemas.microsoft.com/windowsazure"/>', "utf-8"
    )
    [sub] = _import(capsys, "empty.xml")["subscriptions"]
    assert sub["cloudServices"] == [] and sub["cloudServicesComplete"] is True


def _with(**sub: Any) -> dict[str, Any]:
    return {"schema": "csmlint.topology/v1", "subscriptions": [{"id": SUB, **sub}]}


def test_user_lists_stay_complete_and_either_complete_list_wins() -> None:
    listed = _with(cloudServices=[{"name": "a"}])  # written by hand: complete
    merge_into(listed, _with(cloudServices=[{"name": "b", "source": "asm1"}],
                             cloudServicesComplete=False))  # fmt: skip
    assert "cloudServicesComplete" not in listed["subscriptions"][0]
    partial = _with(cloudServices=[{"name": "a"}], cloudServicesComplete=False)
    merge_into(partial, _with(cloudServices=[{"name": "b"}], cloudServicesComplete=True))
    assert partial["subscriptions"][0]["cloudServicesComplete"] is True
    vnets_only = _with(virtualNetworks=[{"name": "v"}])
    merge_into(vnets_only, _with(cloudServices=[{"name": "b"}], cloudServicesComplete=False))
    assert vnets_only["subscriptions"][0]["cloudServicesComplete"] is False


def test_the_loader_reads_the_key(tmp_path: Path) -> None:
    """Absent: a ``cloudServices`` list is complete (hand-written documents); ``false``: not."""
    for extra, listed in (({}, True), ({"cloudServicesComplete": False}, False)):
        data = json.dumps(_with(cloudServices=[], **extra)).encode()
        [sub] = load_topology(data, "t.topology.json", base_dir=str(tmp_path)).subscriptions
        assert sub.cloud_services_listed is listed, extra


def test_linting_the_exports_directly_is_just_as_careful(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["lint", "exports", f"exports/{SERVICE}", f"exports/{SITES}", "--format", "json"]
    _, out = _run([*args, "--fail-on", "never"], capsys)
    [note] = [
        f
        for f in json.loads(out)["findings"]
        if f["ruleId"] == "CSM103" and f["virtualNetwork"] == "10.2.0.0"
    ]
    assert note["unknownFacts"] is True and NO_ROLES not in note["message"]
