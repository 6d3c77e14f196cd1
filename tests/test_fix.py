"""`csmlint fix`: byte-exact rewrites on UTF-8 with BOM and CRLF and on UTF-16 fixtures (only
the intended attributes and elements change), the findings gone when linting again, --diff
changing nothing and exiting 1."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csmlint.engine import RunOptions, run
from csmlint.migration.fix import plan_fixes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "fix"
SUB = "1f2e3d4c-0000-4000-8000-00000000abcd"
PLUGINS = "Microsoft.WindowsAzure.Plugins"
CSDEF, CSCFG = "ServiceDefinition.csdef", "ServiceConfiguration.Cloud.cscfg"
ENCODINGS = {
    "bom-crlf": ("utf-8", codecs.BOM_UTF8, "\r\n"),
    "utf16": ("utf-16-le", codecs.BOM_UTF16_LE, "\n"),
}
VNET_ID = (
    f"/subscriptions/{SUB}/resourceGroups/contoso-prod-vnet-migrated"
    "/providers/Microsoft.Network/virtualNetworks/contoso-prod-vnet"
)


def _copy(tmp_path: Path, case: str) -> Path:
    target = tmp_path / case
    shutil.copytree(FIXTURES / case, target, ignore=shutil.ignore_patterns(".gitattributes"))
    return target


def _enc(case: str, text: str) -> bytes:
    encoding, _, newline = ENCODINGS[case]
    return text.replace("\n", newline).encode(encoding)


def _findings(folder: Path) -> list[tuple[str, str, int | None]]:
    result, _ = run(RunOptions(paths=[str(folder)], cwd=str(folder), excerpts=False))
    return [(f.rule_id, Path(f.location.path).name, f.location.line) for f in result.active]


def test_fixtures_really_have_the_encodings() -> None:
    for case, (encoding, bom, newline) in ENCODINGS.items():
        for name in (CSDEF, CSCFG):
            data = (FIXTURES / case / name).read_bytes()
            assert data.startswith(bom)
            text = data[len(bom) :].decode(encoding)
            assert newline in text and (newline == "\r\n" or "\r" not in text)


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_default_fixes_change_only_the_intended_attributes(tmp_path: Path, case: str) -> None:
    folder = _copy(tmp_path, case)
    before = {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)}
    plan = plan_fixes([str(folder)], subscription=SUB, cwd=str(folder))
    assert {e.rule_id for f in plan.files for e in f.edits} == {"CSM127"}  # by default
    held = {n.split()[0] for n in plan.notes if " not applied " in n}
    assert held == {"CSM123", "CSM133", "CSM134"}, plan.notes  # and says so
    assert [f.path for f in plan.files] == [str(folder / CSDEF)]  # the classic .cscfg stays
    plan = plan_fixes(
        [str(folder)], select=["CSM127", "CSM133", "CSM134"], subscription=SUB, cwd=str(folder)
    )
    plan.apply()
    after = {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)}
    expected_csdef = (
        before[CSDEF]
        .replace(
            _enc(case, "<WebRole vmsize=\"Medium\"   name='Orders.Web'>"),
            _enc(case, "<WebRole vmsize=\"Standard_A2\"   name='Orders.Web'>"),
        )
        .replace(
            _enc(case, '<WorkerRole name="Orders.Processor"\n'),
            _enc(case, '<WorkerRole name="Orders.Processor"\n'),
        )
        .replace(
            _enc(case, 'enableNativeCodeExecution="true">'),
            _enc(case, 'enableNativeCodeExecution="true" vmsize="Standard_A1">'),
        )
    )
    expected_cscfg = (
        before[CSCFG]
        .replace(
            _enc(case, '<VirtualNetworkSite name="contoso-prod-vnet" />'),
            _enc(case, f'<VirtualNetworkSite name="{VNET_ID}" />'),
        )
        .replace(
            _enc(case, '<ReservedIP name="Group Contoso-Prod-RG orders-vip" />'),
            _enc(case, '<ReservedIP name="group-Contoso-Prod-RG-orders-vip" />'),
        )
    )
    assert after[CSDEF] == expected_csdef != before[CSDEF]
    assert after[CSCFG] == expected_cscfg != before[CSCFG]
    rules = {e.rule_id for f in plan.files for e in f.edits}
    assert rules == {"CSM127", "CSM133", "CSM134"}  # the RDP plugin only when selected
    assert any(n.startswith("CSM133/CSM134 write") for n in plan.notes), plan.notes
    assert all(f.findings for f in plan.files)  # each change names the finding it resolves
    again = _findings(folder)
    assert not [f for f in again if f[0] in ("CSM127", "CSM133")], again
    assert ("CSM123", CSDEF, 18) in again


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_rdp_plugin_removal_removes_imports_settings_and_certificate(
    tmp_path: Path, case: str
) -> None:
    folder = _copy(tmp_path, case)
    before = {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)}
    plan_fixes([str(folder)], select=["rdp-plugin-present"], cwd=str(folder)).apply()
    expected_csdef = before[CSDEF]
    for line in (
        # an <Imports> that held only the plugin goes whole, not left empty
        '    <Imports>\n      <Import moduleName="RemoteAccess" />\n    </Imports>\n',
        '      <Import moduleName="RemoteAccess" />\n',
        '      <Import moduleName="RemoteForwarder" />\n',
    ):
        expected_csdef = expected_csdef.replace(_enc(case, line), b"")
    expected_cscfg = before[CSCFG]
    for line in (
        f'      <Setting name="{PLUGINS}.RemoteAccess.Enabled" value="true" />\n',
        f'      <Setting name="{PLUGINS}.RemoteAccess.AccountUsername" value="opsadmin" />\n',
        f'      <Setting name="{PLUGINS}.RemoteForwarder.Enabled" value="true" />\n',
        # a <Certificates> that held only the plugin's certificate goes whole, not left empty
        "    <Certificates>\n"
        '      <Certificate name="Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption" '
        'thumbprint="74B29ED68F77A6BF8BCE1C17100FA4763370CD98" thumbprintAlgorithm="sha1" />\n'
        "    </Certificates>\n",
    ):
        assert _enc(case, line) in expected_cscfg
        expected_cscfg = expected_cscfg.replace(_enc(case, line), b"")
    assert (folder / CSDEF).read_bytes() == expected_csdef
    assert (folder / CSCFG).read_bytes() == expected_cscfg
    # Comments are kept, and the other fixes were not selected.
    assert _enc(case, "<!-- remote desktop for the on-call team: Größe egal -->") in expected_csdef
    again = _findings(folder)
    assert not [f for f in again if f[0] in ("CSM123", "CSM174")], again
    assert [f for f in again if f[0] == "CSM127"]


def test_vnet_fix_needs_a_subscription_and_takes_a_resource_group(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "bom-crlf")
    plan = plan_fixes([str(folder)], select=["CSM133"], cwd=str(folder))
    assert not plan.changes and plan.unfixed == 1
    assert any("needs --subscription" in n for n in plan.notes)
    cli = _cli(".", "--diff", "--select", "CSM133", cwd=folder)  # a CI check must not pass
    assert cli.returncode == 1 and "needs --subscription" in cli.stderr, cli.stderr
    plan = plan_fixes(
        [str(folder)], select=["CSM133"], subscription=SUB, resource_group="rg-net", cwd=str(folder)
    )
    [fixed] = plan.files
    text = codecs.decode(fixed.after[3:], "utf-8")
    assert (
        f'name="/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/contoso-prod-vnet"'
        in text
    )


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csmlint", "fix", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_diff_changes_nothing_and_exits_1(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "bom-crlf")
    before = {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)}
    chosen = ("--select", "CSM127,CSM133,CSM134", "--subscription", SUB)
    diff = _cli(".", "--diff", *chosen, cwd=folder)
    assert diff.returncode == 1, diff.stderr
    assert "--- a/ServiceDefinition.csdef" in diff.stdout
    assert '+  <WebRole vmsize="Standard_A2"' in diff.stdout
    assert "would fix CSM133" in diff.stderr
    assert {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)} == before
    done = _cli(".", *chosen, cwd=folder)
    assert done.returncode == 0 and "change(s)" in done.stdout
    again = _cli(".", "--diff", *chosen, cwd=folder)
    assert again.returncode == 0 and again.stdout == ""
    bad = _cli(".", "--select", "CSM178", cwd=folder)
    assert bad.returncode == 2 and "'CSM178' has no fix" in bad.stderr


def test_an_input_that_cannot_be_read_is_not_fixed_and_fails(tmp_path: Path) -> None:
    """Fail closed: a FIFO or a device named to fix gave '0 change(s)' and exit 0 (audit)."""
    import os

    os.mkfifo(tmp_path / "pipe.cscfg")
    for target, diff in (("pipe.cscfg", []), ("/dev/zero", ["--diff"])):
        done = _cli(target, *diff, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "not fixed: not a regular file" in done.stderr
        assert "Traceback" not in done.stderr


def test_the_vnet_id_fix_says_it_is_for_after_the_commit(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "bom-crlf")
    plan = plan_fixes([str(folder)], select=["CSM133"], subscription=SUB, cwd=str(folder))
    assert plan.changes
    assert next(n for n in plan.notes if "once the migration is committed" in n).startswith(
        "CSM133 writes the VNet's Azure Resource Manager ID"
    )
    plan = plan_fixes([str(folder)], select=["CSM134"], cwd=str(folder))  # a portal name
    assert plan.changes
    assert any(n.startswith("CSM134 writes the public IP names") for n in plan.notes)
    plan = plan_fixes([str(folder)], select=["CSM127"], cwd=str(folder))
    assert not any("committed" in n for n in plan.notes)


def test_the_vnet_fix_takes_the_subscription_a_topology_gives(tmp_path: Path) -> None:
    """Audit: "CSM133 not fixed: needs --subscription" though the topology names it."""
    folder = _copy(tmp_path, "bom-crlf")
    doc = {
        "schema": "csmlint.topology/v1",
        "subscriptions": [{"id": SUB, "cloudServices": [{"name": "ContosoOrders"}]}],
    }
    (folder / "estate.topology.json").write_text(json.dumps(doc), encoding="utf-8")
    plan = plan_fixes([str(folder)], select=["CSM133"], cwd=str(folder))
    assert not any("needs --subscription" in n for n in plan.notes), plan.notes
    [fixed] = plan.files
    assert VNET_ID.encode("utf-8") in fixed.after
    other = "0f0e0d0c-0000-4000-8000-000000000000"  # the option wins
    plan = plan_fixes([str(folder)], select=["CSM133"], subscription=other, cwd=str(folder))
    assert f"/subscriptions/{other}/".encode() in plan.files[0].after


def _units(folder: Path) -> list[tuple[str, list[str]]]:
    result, _ = run(RunOptions(paths=[str(folder)], cwd=str(folder), excerpts=False))
    return [(u.id, sorted(u.cloud_services)) for u in result.units]


def test_a_cscfg_fixed_to_the_vnet_id_stays_in_its_classic_vnet(tmp_path: Path) -> None:
    """After CSM133 the `.cscfg` names the VNet by its ARM ID; lint reads that ID as the
    classic VNet it comes from (same unit, no 'VNet not described' for an ID)."""
    folder = _copy(tmp_path, "bom-crlf")
    before = _units(folder)
    findings = set(_findings(folder))
    assert [u for u, _ in before] == ["vnet:contoso-prod-vnet"]
    assert ("CSM133", CSCFG, 23) in findings
    plan_fixes([str(folder)], select=["CSM133"], subscription=SUB, cwd=str(folder)).apply()
    assert VNET_ID.encode("utf-8") in (folder / CSCFG).read_bytes()
    assert _units(folder) == before
    assert set(_findings(folder)) == findings - {("CSM133", CSCFG, 23)}


def test_a_portal_group_vnet_is_found_by_its_arm_name(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "bom-crlf")
    cscfg = folder / CSCFG
    text = cscfg.read_bytes().replace(
        b'<VirtualNetworkSite name="contoso-prod-vnet" />',
        b'<VirtualNetworkSite name="/subscriptions/' + SUB.encode() + b"/resourcegroups/"
        b"group-rg-prod-vnet-migrated/providers/microsoft.network/virtualNetworks/"
        b'group-rg-prod-vnet" />',
    )
    cscfg.write_bytes(text)
    (folder / "NetworkConfig.netcfg").write_text(
        '<NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/'
        'NetworkConfiguration"><VirtualNetworkConfiguration><VirtualNetworkSites>'
        '<VirtualNetworkSite name="Group RG prod-vnet" Location="West Europe">'
        "<AddressSpace><AddressPrefix>10.20.0.0/16</AddressPrefix></AddressSpace>"
        "</VirtualNetworkSite></VirtualNetworkSites></VirtualNetworkConfiguration>"
        "</NetworkConfiguration>",
        encoding="utf-8",
    )
    assert [u for u, _ in _units(folder)] == ["vnet:group rg prod-vnet"]


def test_after_the_reserved_ip_fix_the_note_says_the_name_is_kept(tmp_path: Path) -> None:
    """Audit: after CSM134's fix the note read "uses 'group-x' ... turns it into 'group-x',
    so make the reference match"; a name the migration keeps gets the kept-name wording."""
    folder = _copy(tmp_path, "bom-crlf")

    def note() -> str:
        result, _ = run(RunOptions(paths=[str(folder)], cwd=str(folder), excerpts=False))
        return next(f.message for f in result.active if f.rule_id == "CSM134")

    assert "turns it into the Basic static public IP 'group-Contoso-Prod-RG-orders-vip'" in note()
    plan_fixes([str(folder)], select=["CSM134"], cwd=str(folder)).apply()
    assert "keeps the address and the name" in note()


def test_fix_takes_the_configuration_lint_takes(tmp_path: Path) -> None:
    """New-user check: fix rewrote what the team's .csmlint.yaml ignores or suppresses, and
    read none of its topology (nor had --topology)."""
    folder = _copy(tmp_path, "bom-crlf")
    (folder / ".git").mkdir()  # the repository root bounds configuration discovery
    before = (folder / CSDEF).read_bytes()
    (folder / ".csmlint.yaml").write_text("ignore: [CSM127]\n")
    quiet = _cli(".", "--diff", cwd=folder)
    assert quiet.returncode == 0 and "CSM127" not in quiet.stderr, quiet.stderr
    assert "csmlint: nothing to fix (no reported finding has a fix" in quiet.stderr
    (folder / ".csmlint.yaml").write_text("ignore: []\n")
    done = _cli(".", "--diff", cwd=folder)
    assert done.returncode == 1 and "would fix CSM127" in done.stderr, done.stderr
    assert (folder / CSDEF).read_bytes() == before


def test_rdp_plugin_removal_edits_every_cscfg_of_the_service(tmp_path: Path) -> None:
    """New-user check: with ServiceConfiguration.Local.cscfg excluded from lint, the plugin
    removal left its RemoteAccess settings, which the fixed .csdef no longer declares (the
    emulator deployment fails). Every .cscfg of the service is edited, and a note names the
    one the run did not lint; a .cscfg of another service in the folder is left alone."""
    folder = _copy(tmp_path, "bom-crlf")
    cloud = (folder / CSCFG).read_bytes()
    (folder / "ServiceConfiguration.Local.cscfg").write_bytes(cloud)
    other = cloud.replace(b'serviceName="', b'serviceName="Other')
    assert other != cloud
    (folder / "Other.cscfg").write_bytes(other)
    (folder / ".git").mkdir()
    (folder / ".csmlint.yaml").write_text("exclude: ['*.Local.cscfg', 'Other.cscfg']\n")
    done = _cli(".", "--select", "CSM123", cwd=folder)
    assert done.returncode == 0, done.stderr
    local = (folder / "ServiceConfiguration.Local.cscfg").read_bytes()
    assert local == (folder / CSCFG).read_bytes() != cloud
    assert b"RemoteAccess" not in local
    assert (
        "ServiceConfiguration.Local.cscfg (edited though not linted: excluded or not named)"
        in done.stderr
    )
    assert "Other.cscfg" not in done.stderr
    assert (folder / "Other.cscfg").read_bytes() == other


def test_rdp_plugin_removal_edits_the_cscfg_lint_pairs_from_another_folder(
    tmp_path: Path,
) -> None:
    """New-user check: configs/ServiceConfiguration.Prod.cscfg, which lint pairs with the
    service by its name, kept the plugin's settings; lint was then silent about them."""
    folder = _copy(tmp_path, "bom-crlf")
    (folder / "configs").mkdir()
    prod = folder / "configs" / "ServiceConfiguration.Prod.cscfg"
    prod.write_bytes((folder / CSCFG).read_bytes())
    plan_fixes([str(folder)], select=["CSM123"], cwd=str(folder)).apply()
    assert b"RemoteAccess" not in prod.read_bytes()
    assert prod.read_bytes() == (folder / CSCFG).read_bytes()


HTTPS = (
    '<InputEndpoint name="HttpIn" protocol="https" port="443" '
    'certificate="Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption" />'
)
PLUGIN_CERT = (
    '<Certificate name="Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption" '
    'thumbprint="74B29ED68F77A6BF8BCE1C17100FA4763370CD98" thumbprintAlgorithm="sha1" />'
)


def _https(folder: Path, declared: bool) -> None:
    """Orders.Web's endpoint names the plugin's certificate (a real project did), declared
    in the role's <Certificates> or only through the RemoteAccess import."""
    csdef = folder / CSDEF
    endpoint = _enc("bom-crlf", '<InputEndpoint name="HttpIn" protocol="http" port="80" />')
    assert endpoint in csdef.read_bytes()
    new = HTTPS + (
        '\n    </Endpoints>\n    <Certificates>\n      <Certificate name="Microsoft.WindowsAzure.'
        'Plugins.RemoteAccess.PasswordEncryption" storeLocation="LocalMachine" storeName="My" />'
        "\n    </Certificates>\n    <Endpoints>"
        if declared
        else ""
    )
    csdef.write_bytes(csdef.read_bytes().replace(endpoint, _enc("bom-crlf", new)))


def test_rdp_plugin_removal_is_refused_when_an_endpoint_needs_the_import_s_certificate(
    tmp_path: Path,
) -> None:
    """New-user check (a real project): an HTTPS endpoint named the plugin's certificate,
    which only the RemoteAccess import declared; the fix removed the import and left the
    endpoint naming a certificate nothing declares (lint was then silent)."""
    folder = _copy(tmp_path, "bom-crlf")
    _https(folder, declared=False)
    before = {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)}
    cli = _cli(".", "--select", "CSM123", cwd=folder)
    assert cli.returncode == 1 and "nothing to fix" not in cli.stderr, cli.stderr
    plan = plan_fixes([str(folder)], select=["CSM123"], cwd=str(folder))
    assert plan.unfixed == 1 and not plan.changes
    assert any("CSM123 not fixed: an endpoint of role(s) 'Orders.Web'" in n for n in plan.notes)
    plan.apply()
    assert {n: (folder / n).read_bytes() for n in (CSDEF, CSCFG)} == before


def test_rdp_plugin_removal_keeps_the_certificate_only_for_the_role_declaring_it(
    tmp_path: Path,
) -> None:
    """New-user check: the certificate was kept in every role's .cscfg entry, though only
    Orders.Web declares it; Orders.Processor then held a certificate its role does not."""
    folder = _copy(tmp_path, "bom-crlf")
    _https(folder, declared=True)
    cscfg = folder / CSCFG
    processor = _enc("bom-crlf", '<Role name="Orders.Processor">\n    <Instances count="2" />\n')
    extra = _enc("bom-crlf", f"    <Certificates>\n      {PLUGIN_CERT}\n    </Certificates>\n")
    cscfg.write_bytes(cscfg.read_bytes().replace(processor, processor + extra))
    plan = plan_fixes([str(folder)], select=["CSM123"], cwd=str(folder))
    assert any("keeps the certificate" in n and "role(s) 'Orders.Web' in" in n for n in plan.notes)
    plan.apply()
    text = cscfg.read_bytes().decode("utf-8-sig")
    web, rest = text.split('<Role name="Orders.Processor">')
    assert PLUGIN_CERT in web and PLUGIN_CERT not in rest
    assert "RemoteAccess.Enabled" not in text
    assert 'moduleName="RemoteAccess"' not in (folder / CSDEF).read_bytes().decode("utf-8-sig")


def test_select_matches_as_lint_does_and_names_a_fix_the_configuration_turns_off(
    tmp_path: Path,
) -> None:
    """New-user check: 'fix --select csm127' and '--select Legacy-Role-Size' (lint takes
    both) and a rule the .csmlint.yaml ignores all said "is not a rule with a fix"."""
    folder = _copy(tmp_path, "bom-crlf")
    for key in ("csm127", "Legacy-Role-Size", "files"):
        plan = plan_fixes([str(folder)], select=[key], cwd=str(folder))
        assert {e.rule_id for f in plan.files for e in f.edits} == {"CSM127"}, key
    (folder / ".git").mkdir()
    (folder / ".csmlint.yaml").write_text("ignore: [rdp-plugin-present]\n")
    off = _cli(".", "--select", "CSM123", cwd=folder)
    assert off.returncode == 2, off.stderr
    assert "'CSM123' does not run: the configuration or --ignore" in off.stderr
    unknown = _cli(".", "--select", "CSM9999", cwd=folder)
    assert unknown.returncode == 2 and "'CSM9999' is no rule or pack" in unknown.stderr
    close = _cli(".", "--select", "rdp-plugin", cwd=folder)
    assert "did you mean 'rdp-plugin-present'?" in close.stderr, close.stderr
    # a pack brings its default fixes, and says which of its fixes must be named
    plan = plan_fixes([str(folder)], select=["files"], cwd=str(folder))
    held = [n for n in plan.notes if "of pack 'files' not applied" in n]
    assert [n.split()[0] for n in held] == ["CSM123", "CSM133", "CSM134"], plan.notes


def test_rdp_plugin_removal_edits_a_cscfg_in_an_excluded_folder(tmp_path: Path) -> None:
    """New-user check: with `exclude: ["deploy/**"]`, deploy/staging/...Staging.cscfg kept
    the plugin's settings and no note named it, though the run had seen (and skipped) it."""
    folder = _copy(tmp_path, "bom-crlf")
    (folder / ".git").mkdir()
    (folder / "deploy" / "staging").mkdir(parents=True)
    staging = folder / "deploy" / "staging" / "ServiceConfiguration.Staging.cscfg"
    staging.write_bytes((folder / CSCFG).read_bytes())
    (folder / ".csmlint.yaml").write_text('exclude: ["deploy/**"]\n')
    done = _cli(".", "--select", "CSM123", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert b"RemoteAccess" not in staging.read_bytes()
    shown = "deploy/staging/ServiceConfiguration.Staging.cscfg (edited though not linted"
    assert shown in done.stderr, done.stderr


def test_a_single_instance_becomes_two_in_the_cscfg_only_when_selected(tmp_path: Path) -> None:
    """New-user check: the plan scaled OrderProcessor to two instances and the next step pushed
    the .cscfg that still said one, scaling it back; `fix --select CSM173` raises the file's
    count (opt-in: a second instance costs money)."""
    folder = tmp_path / "contoso"
    shutil.copytree(ROOT / "fixtures" / "examples" / "contoso", folder)
    cscfg = folder / "src" / "ContosoWeb" / CSCFG
    assert not [
        e
        for f in plan_fixes([str(folder)], cwd=str(folder)).files
        for e in f.edits
        if e.rule_id == "CSM173"
    ]
    plan = plan_fixes([str(folder)], select=["CSM173"], cwd=str(folder))
    [fixed] = plan.files
    assert [e.what for e in fixed.edits] == ["role 'OrderProcessor' Instances count '1' -> '2'"]
    before = cscfg.read_text("utf-8")
    after = fixed.after.decode("utf-8")
    assert after == before.replace(
        '<Role name="OrderProcessor">\n    <Instances count="1" />',
        '<Role name="OrderProcessor">\n    <Instances count="2" />',
    )
    assert after != before
