"""Names from a fork cannot act through a report (issue #10, item 5).

A role named ``@octocat`` must not ping that user from a Markdown pull-request comment, a
file named ``::error title=x::a.cscfg`` must not become a GitHub Actions workflow command in
a job log, and SARIF URIs name the POSIX file that is on disk.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from clirun import run_cli
from conftest import FIXTURES
from markdown_it import MarkdownIt

from csmlint.reporting.escape import md_text

SERVICE = FIXTURES / "rules" / "CSM173-single-instance-role" / "one-instance"


@pytest.mark.parametrize(
    "value", ["@octocat", "ping @org/team now", "see #1234", "(@octocat)", "x,#9"]
)
def test_markdown_values_mention_nobody_and_reference_nothing(value: str) -> None:
    rendered = MarkdownIt("commonmark").render(md_text(value))
    text = unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u200b", "")
    assert text.strip() == value
    assert not re.search(r"(?<![\w/.&;])[@#][A-Za-z0-9]", md_text(value))


def test_markdown_keeps_xpath_and_addresses_readable() -> None:
    assert md_text("Instances/@count") == "Instances/@count"
    assert md_text("ops@contoso.com") == "ops@contoso.com"


def test_a_role_named_like_a_mention_is_neutralised_in_the_report(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SERVICE, repo)
    cscfg = repo / "ServiceConfiguration.Cloud.cscfg"
    cscfg.write_text(
        cscfg.read_text(encoding="utf-8").replace('name="Orleans.Silos"', 'name="@octocat"'),
        encoding="utf-8",
    )
    csdef = repo / "ServiceDefinition.csdef"
    csdef.write_text(
        csdef.read_text(encoding="utf-8").replace('name="Orleans.Silos"', 'name="@octocat"'),
        encoding="utf-8",
    )
    result = run_cli("lint", ".", "--format", "markdown", cwd=repo)
    result.assert_clean_exit(0, 1)
    # Code blocks and spans never mention anyone, and commands must stay exact there.
    prose = re.sub(r"<pre>.*?</pre>|<code>.*?</code>|`[^`]*`", "", result.stdout, flags=re.S)
    assert "@octocat" not in prose
    assert "@&#8203;octocat" in prose


def test_no_text_report_line_starts_a_workflow_command(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(SERVICE / "ServiceDefinition.csdef", repo / "ServiceDefinition.csdef")
    shutil.copy(SERVICE / "ServiceConfiguration.Cloud.cscfg", repo / "::error title=x::a.cscfg")
    result = run_cli("lint", ".", cwd=repo)
    result.assert_clean_exit(0, 1)
    assert "::error title=x::a.cscfg" in result.stdout  # still named, as ./::error...
    assert not [ln for ln in result.stdout.splitlines() if ln.lstrip().startswith("::")]


@pytest.mark.parametrize(
    "name",
    ["back\\slash.cscfg", "c:drive.cscfg", "bad\xffbyte.cscfg", "cr\rname.cscfg"],
)
def test_sarif_uris_name_the_posix_file_on_disk(tmp_path: Path, name: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    raw = b"bad\xffbyte.cscfg" if "\xff" in name else name.encode("utf-8")
    shutil.copy(SERVICE / "ServiceDefinition.csdef", repo / "ServiceDefinition.csdef")
    target = bytes(repo) + b"/" + raw
    with open(target, "wb") as fh:
        fh.write((SERVICE / "ServiceConfiguration.Cloud.cscfg").read_bytes())
    result = run_cli("lint", ".", "--format", "sarif", cwd=repo)
    result.assert_clean_exit(0, 1)
    log = json.loads(result.stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in log["runs"][0]["results"]
        for loc in res["locations"]
    }
    on_disk = {unquote_to_bytes(u) for u in uris}
    assert raw in on_disk, uris
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri
        assert not uri.startswith("/") and "\\" not in uri


def test_a_name_inside_an_xml_snippet_to_paste_is_escaped(tmp_path: Path) -> None:
    """CSM130's fix is an <InstanceAddress> element to paste into the .cscfg: a role name
    with a quote (legal in the file as &quot;) must not end the attribute early."""
    from csmlint.engine import RunOptions, run

    ns = "http://schemas.microsoft.com/ServiceHosting/2008/10"
    (tmp_path / "ServiceDefinition.csdef").write_text(
        f'<ServiceDefinition name="shop" xmlns="{ns}/ServiceDefinition">'
        '<WebRole name="Web&quot; onmouseover=&quot;alert(2)" vmsize="Standard_D2_v2" />'
        "</ServiceDefinition>",
        "utf-8",
    )
    (tmp_path / "ServiceConfiguration.Cloud.cscfg").write_text(
        f'<ServiceConfiguration serviceName="shop" xmlns="{ns}/ServiceConfiguration" '
        'osFamily="6" osVersion="*"><Role name="Web&quot; onmouseover=&quot;alert(2)">'
        '<Instances count="2" /></Role><NetworkConfiguration>'
        '<VirtualNetworkSite name="shop-vnet" /></NetworkConfiguration></ServiceConfiguration>',
        "utf-8",
    )
    result, _ = run(RunOptions(paths=["."], cwd=str(tmp_path), select=["CSM130"]))
    (finding,) = [f for f in result.active if f.rule_id == "CSM130"]
    text = finding.remediation.text
    assert '<InstanceAddress roleName="Web&quot; onmouseover=&quot;alert(2)">' in text, text
    assert "Role 'Web\" onmouseover=\"alert(2)'" in finding.message  # prose keeps the name
