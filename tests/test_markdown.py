"""Markdown report: inert input-derived text, table integrity, ordering, size limit."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import FIXTURES
from markdown_it import MarkdownIt
from snapshots import reference_context, reference_run

from csmlint.engine import RunOptions, run
from csmlint.findings.finding import Finding, Remediation, RunResult, ServiceStatus
from csmlint.model.location import SourceRef
from csmlint.reporting import markdown
from csmlint.reporting.escape import html_code, html_pre, md_text

HOSTILE = FIXTURES / "hostile" / "html"


class _Tags(HTMLParser):
    """Every start tag and attribute of the rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(md: str) -> _Tags:
    """Render like GitHub before its sanitizer (CommonMark + tables, raw HTML passed on)."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    tags = _Tags()
    tags.feed(html)
    return tags


def _hostile_markdown() -> str:
    result, rules = run(
        RunOptions(
            paths=["script_in_setting_name.cscfg"],
            rules=[str(HOSTILE / "echo-pack")],
            cwd=str(HOSTILE),
        )
    )
    assert result.findings
    return markdown.render(result, rules, reference_context(cwd=str(HOSTILE)))


def test_hostile_names_render_as_text_never_html() -> None:
    md = _hostile_markdown()
    for raw in ("<script", "</script", "<img", "<svg", "<a ", "<title", "</td"):
        assert raw not in md, f"raw {raw!r} in the Markdown source"
    # the only markup in the source is what the reporter writes itself
    assert set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)\b(?!:)", md)) <= {"code", "pre"}
    page = rendered(md)
    tags = {t for t, _ in page.tags}
    assert tags <= {
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "strong",
        "code",
        "pre",
        "a",
        "blockquote",
    }, tags
    for _, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (name, value)
            assert not (value or "").lower().startswith("javascript:")
    text = "".join(page.text)
    assert "<script>alert(document.domain)</script>" in text  # shown, as text
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "\u202e" not in md and "\\u202e" in text


def test_hostile_commands_show_exactly_in_code_blocks() -> None:
    page_html = MarkdownIt("commonmark", {"html": True}).render(_hostile_markdown())
    assert "&lt;/script&gt;&lt;script&gt;alert(11)&lt;/script&gt;" in page_html
    tags = rendered(_hostile_markdown())
    assert ("pre", []) in tags.tags


def test_table_cells_cannot_be_split_by_pipes() -> None:
    service = ServiceStatus(
        name="a | b | <i>c</i>",
        readiness="blocked",
        unit="vnet:x|y",
        definition="x|y/ServiceDefinition.csdef",
    )
    result = RunResult(findings=[], files=[], services=[service])
    md = markdown.render(result, [], reference_context())
    row = next(line for line in md.splitlines() if line.startswith("| a"))
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7, cells
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert html.count("<td") == 7  # as GitHub's table parser splits the row
    page = rendered(md)
    assert "i" not in {t for t, _ in page.tags}
    text = "".join(page.text)
    assert "a | b | <i>c</i>" in text and "x|y/ServiceDefinition.csdef" in text


def _finding(n: int, category: str, severity: str = "warning") -> Finding:
    return Finding(
        rule_id=f"CSM{100 + n % 50:03d}",
        rule_name="some-rule",
        severity=severity,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        migration="cs-es",
        message=f"message {n} " + "x" * 200,
        location=SourceRef(f"src/f{n:05d}.cscfg", n + 1, 1),
        remediation=Remediation("fix " + "y" * 300, ("Set-Something -Name 'a'",) * 3),
        help_uri="https://learn.microsoft.com/azure/cloud-services-extended-support/overview",
    )


def test_blockers_first_then_by_category_and_severity() -> None:
    findings = [
        _finding(1, "advisory", "error"),
        _finding(2, "post-migration", "warning"),
        _finding(3, "blocker", "note"),
        _finding(4, "dropped", "warning"),
        _finding(5, "blocker", "error"),
    ]
    md = markdown.render(RunResult(findings=findings, files=[]), [], reference_context())
    order = [int(m) for m in re.findall(r"message (\d+)", md)]
    assert order == [5, 3, 4, 2, 1]
    headings = re.findall(r"^### (.+?) \(", md, re.M)
    assert headings[0].startswith("Blockers")


def test_cannot_tell_notes_are_not_counted_as_blockers() -> None:
    unknown = _finding(6, "blocker", "note")
    unknown.unknown = True
    findings = [_finding(5, "blocker", "error"), unknown, _finding(7, "advisory", "note")]
    md = markdown.render(RunResult(findings=findings, files=[]), [], reference_context())
    headings = re.findall(r"^### (.+)$", md, re.M)
    assert headings == [
        "Blockers: must be fixed before the migration (1)",
        "Advisory (1)",
        "Cannot tell yet: facts the inputs do not give (add them to the topology) (1)",
    ]
    assert md.index("message 6") > md.index("Cannot tell yet")


def test_long_reports_are_truncated_with_a_note() -> None:
    findings = [_finding(i, "blocker" if i % 7 == 0 else "advisory") for i in range(3000)]
    services = [ServiceStatus(name=f"svc-{i}", readiness="ready", unit="u") for i in range(300)]
    result = RunResult(findings=findings, files=[], services=services)
    md = markdown.render(result, [], reference_context())
    assert len(md) <= markdown.LIMIT
    assert "**Truncated:**" in md.splitlines()[-1]
    assert "200 more" in md  # table rows capped
    shown = len(re.findall(r"message \d+", md))
    assert f"{3000 - shown} of 3000 findings" in md
    first = re.search(r"message (\d+)", md)
    assert first is not None and int(first.group(1)) % 7 == 0  # a blocker comes first
    assert "Set-Something" in md  # the first findings keep their commands


def test_a_truncated_report_keeps_the_errors_whatever_their_category() -> None:
    """New-user check: an unreadable input's error (advisory) came after hundreds of
    post-migration warnings, so the truncated comment left out exactly the errors that fail
    the build, and said "(and -450 other block(s))"."""
    findings = [_finding(i, "post-migration") for i in range(1000)]
    findings += [_finding(1000 + i, "advisory", "error") for i in range(3)]
    md = markdown.render(RunResult(findings=findings, files=[]), [], reference_context())
    assert len(md) <= markdown.LIMIT
    for n in range(1000, 1003):
        assert f"message {n} " in md  # every error is there
    shown = len(re.findall(r"message \d+", md))
    assert 3 < shown < 1003
    assert md.splitlines()[-1].startswith(f"> **Truncated:** {1003 - shown} of 1003 findings were")
    assert "-" not in md.splitlines()[-1].split("findings")[0]  # no negative count
    assert md.index("### Post-migration work") < md.index("### Advisory")  # page order kept
    # a cut section says so; the advisory section (all its errors shown) does not
    assert f"### Post-migration work (1000; {shown - 3} shown)" in md
    assert "### Advisory (3)\n" in md


def test_reference_estate_markdown_renders_cleanly() -> None:
    result, rules = reference_run()
    md = markdown.render(result, rules, reference_context())
    page = rendered(md)
    assert ("table", []) in page.tags
    assert "fabrikam-shop" in md and "**blocked**" in md
    assert "Set-AzureDeployment" in md
    assert "ADR-12" not in md  # suppressed findings are counted, not listed


def test_escape_helpers() -> None:
    assert md_text("1. not a list") == "1\\. not a list"
    assert md_text("# not a heading") == "\\# not a heading"
    assert md_text("a_b*c[d](e)`f`") == "a\\_b\\*c\\[d\\](e)\\`f\\`"
    assert html_code("<b>&") == "<code>&lt;b&gt;&amp;</code>"
    assert html_pre("a\n</pre>") == "<pre><code>a\n&lt;/pre&gt;</code></pre>"


def test_no_pasted_block_runs_a_decision_with_its_alternative_or_a_deletion_with_more() -> None:
    """The example estates' report: Commit never shares a block with Abort, and a Remove-*
    or Set-AzureVNetConfig stands alone (pasting a block runs all of it)."""
    from csmlint import __version__
    from csmlint.findings.finding import ReportContext

    result, rules = run(RunOptions(paths=[str(FIXTURES / "examples")]))
    text = markdown.render(result, rules, ReportContext(version=__version__))
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", text, re.S)
    assert any("-Commit" in b for b in blocks) and any("Remove-Azure" in b for b in blocks)
    for block in blocks:
        label, *lines = block.splitlines()  # each block starts with its label comment
        assert label.startswith("# "), block
        lines = [ln.strip() for ln in lines]
        assert not ("-Commit" in block and "-Abort" in block), block
        if any(re.search(r"Remove-Az|Set-AzureVNetConfig", ln) for ln in lines):
            assert len(lines) == 1, block
        # one phase per block: classic resources, the migration, or the migrated resources
        classic = any(re.search(r"-Azure(?!Rm)[A-Z]|^azure ", ln) for ln in lines)
        migration = any(re.search(r"Move-Azure|-migration\b", ln) for ln in lines)
        arm = any(re.search(r"-Az(?!ure)[A-Z]|^az ", ln) for ln in lines)
        assert not (arm and (classic or migration)), block
        assert not migration or all(re.search(r"Move-Azure|-migration\b", ln) for ln in lines), (
            block
        )


def test_blocks_split_where_the_phase_changes() -> None:
    from csmlint.findings.commands import command_blocks

    swap = [
        'New-AzureDeployment -ServiceName "s" -Slot Staging',
        'Move-AzureDeployment -ServiceName "s"',
    ]
    assert command_blocks(['Get-AzureDeployment -ServiceName "s"', *swap]) == [
        ['Get-AzureDeployment -ServiceName "s"'],
        [swap[0]],
        [swap[1]],
    ]  # a look, a deployment, then the swap: each decided on its own

    assert command_blocks(
        [
            'Get-AzureDeployment -ServiceName "s" -Slot Production',
            "$cred = Get-Credential",
            'Move-AzureService -Validate -ServiceName "s" -DeploymentName "d"',
            '$rdp = New-AzCloudServiceRemoteDesktopExtensionObject -Name "RDP"',
            '$cs = Get-AzCloudService -ResourceGroupName "s-migrated" -CloudServiceName "s"',
        ]
    ) == [
        [
            'Get-AzureDeployment -ServiceName "s" -Slot Production',
            "$cred = Get-Credential",
        ],
        ['Move-AzureService -Validate -ServiceName "s" -DeploymentName "d"'],
        [
            '$rdp = New-AzCloudServiceRemoteDesktopExtensionObject -Name "RDP"',
            '$cs = Get-AzCloudService -ResourceGroupName "s-migrated" -CloudServiceName "s"',
        ],
    ]


def test_a_look_is_never_pasted_with_the_change_it_decides() -> None:
    from csmlint.findings.commands import command_blocks, is_look

    look = 'Get-AzKeyVault -ResourceGroupName "s-migrated" | Select-Object VaultName'
    change = 'Set-AzKeyVaultAccessPolicy -VaultName "<key-vault-name>" -EnabledForDeployment'
    verify = "Get-AzResourceProvider -ProviderNamespace Microsoft.ClassicInfrastructureMigrate"
    register = (
        "Register-AzResourceProvider -ProviderNamespace Microsoft.ClassicInfrastructureMigrate"
    )
    context = 'Select-AzSubscription -SubscriptionId "<subscription-id>"'
    fetch = '$cs = Get-AzCloudService -ResourceGroupName "s-migrated" -CloudServiceName "s"'
    update = "$cs | Update-AzCloudService"
    assert command_blocks([look, change]) == [[look], [change]]
    assert command_blocks([context, register, verify]) == [[context, register, verify]]
    assert command_blocks([fetch, update]) == [[fetch, update]]  # a fetch is no check
    assert is_look([look]) and not is_look([change]) and not is_look([fetch, update])
    boot = [
        'Get-AzStorageContainer -Prefix "bootdiagnostics-" -Context $ctx',
        'Set-AzVMBootDiagnostic -VM (Get-AzVM -ResourceGroupName "s-migrated" -Name "vm1") -Enable',
    ]
    assert command_blocks(boot) == [[boot[0]], [boot[1]]]  # before migrating / after Commit


def test_a_chain_of_setters_repeated_in_the_next_box_leaves_no_box_of_its_own() -> None:
    """New-user check: the Site Recovery step's first box only set $container, which the
    next box (it deletes, so it stands alone) sets again with the $rpi it reads."""
    from csmlint.findings.commands import command_blocks

    container = '$container = Get-AzRecoveryServicesAsrProtectionContainer -Name "<p>"'
    item = (
        "$rpi = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container"
    )
    remove = "Remove-AzRecoveryServicesAsrReplicationProtectedItem -ReplicationProtectedItem $rpi"
    enable = 'New-AzRecoveryServicesAsrReplicationProtectedItem -Name "vm1"'
    assert command_blocks([container, item, remove, enable]) == [
        [container, item, remove],
        [enable],
    ]
    # a setter the box itself still reads stays
    show = "$rpi | Format-List"
    assert command_blocks([container, item, show, remove]) == [
        [container, item, show],
        [container, item, remove],
    ]


def test_block_labels_say_what_a_paste_does() -> None:
    from csmlint.findings.commands import block_label, command_blocks

    validate = ['Move-AzureVirtualNetwork -Validate -VirtualNetworkName "v"']
    cli_validate = ['azure network vnet validate-migration "v"']
    assert block_label([validate], 1) == block_label([cli_validate], 1) == "# check (reads only)"
    commit = 'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "v"'
    abort = 'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "v"'
    blocks = command_blocks([commit, abort])
    assert blocks == [[commit], [abort]]
    # New-user check: "[1/3] change, [2/3] Commit, [3/3] Abort" read as "run all three"
    change = 'Set-AzureDeployment -Config -ServiceName "s" -Slot Production'
    three = [[change], [commit], [abort]]
    assert [block_label(three, n) for n in (1, 2, 3)] == [
        "# [1/2] change",
        "# [2/2] either: Commit (final; run this or the Abort block, not both)",
        "# [2/2] or: Abort (instead of Commit)",
    ]
    assert block_label(blocks, 1).startswith("# either: Commit")
    assert block_label(blocks, 2).startswith("# or: Abort")
    # New-user check: a block that only keeps a storage key for the next one said "change"
    key = '$key = Get-AzStorageAccountKey -ResourceGroupName "rg" -Name "diag"'
    wad = '$wad = New-AzCloudServiceDiagnosticsExtension -ResourceGroupName "s-migrated" -Name "W"'
    assert command_blocks([key, wad]) == [[key], [wad]]
    assert (
        block_label([[key], [wad]], 1)
        == "# [1/2] fetch (reads only; a later command uses what it keeps)"
    )
    assert block_label([[key, "Remove-AzStorageAccount -Name diag"]], 1) == "# change"
    # New-user check: a box used a variable another box set; a file saved is no change
    criteria = '$criteria = New-AzMetricAlertRuleV2Criteria -MetricName "Percentage CPU"'
    alert = 'Add-AzMetricAlertRuleV2 -Name "cpu" -Condition $criteria -ResourceGroupName "r"'
    assert command_blocks([key, f"{wad} -StorageAccountKey $key[0].Value"]) == [
        [key, f"{wad} -StorageAccountKey $key[0].Value"]
    ]
    assert command_blocks([criteria, alert]) == [[criteria, alert]]
    # a command that stands alone gets the look that sets its variable repeated before it
    vm = '$vm = Get-AzureVM -ServiceName "s" -Name "v"'
    disks = "$vm | Get-AzureDataDisk | Select-Object LUN, MediaLink"
    drop = "Remove-AzureDataDisk -LUN 1 -VM $vm | Update-AzureVM"
    assert command_blocks([vm, disks, drop]) == [[vm, disks], [vm, drop]]
    # New-user check: '$creds = Get-Credential' three times in one box, a lone prompt box,
    # and Migrate-Aadds -Commit labelled as the migration's Commit with an Abort to choose
    creds = "$creds = Get-Credential"
    prepare = 'Migrate-Aadds -Prepare -ManagedDomainFqdn "corp.example" -Credentials $creds'
    commit = 'Migrate-Aadds -Commit -ManagedDomainFqdn "corp.example" -Credentials $creds'
    aadds = command_blocks([creds, prepare, creds, commit])
    assert aadds == [[creds, prepare], [creds, commit]]
    install = "Install-Script -Name Migrate-Aadds"  # no prompt in a block that never uses it
    assert command_blocks([install, creds, prepare, creds, commit]) == [
        [install],
        [creds, prepare],
        [creds, commit],
    ]
    assert block_label(aadds, 2) == "# [2/2] change"
    # a fetch that ends in a look prints what it read: a check (it said "fetch")
    acl = f'{vm}; Get-AzureAclConfig -EndpointName "RDP" -VM $vm'
    assert block_label([[acl]], 1) == "# check (reads only)"
    assert block_label([[vm]], 1).startswith("# fetch")
    made = '$pip = New-AzPublicIpAddress -Name "p" -ResourceGroupName "r-migrated"'
    assert command_blocks([made, "Remove-AzPublicIpAddress -Name $pip.Name"])[1][0] != made
    export = 'Get-AzAutoscaleSetting -ResourceGroupName "r" | ConvertTo-Json | Set-Content "a.json"'
    assert block_label([[export]], 1) == "# check (reads only; saves a local file)"
    netcfg = 'Get-AzureVNetConfig -ExportToFile "NetworkConfig.netcfg"'
    assert block_label([[netcfg]], 1) == "# check (reads only; saves a local file)"
    assert block_label([['Set-AzureVNetConfig -ConfigurationPath "x.netcfg"']], 1) == "# change"
    # a REST read saved to a file in a folder made for it reads only; another method changes
    saved = (
        'New-Item -ItemType Directory -Force "x" | Out-Null; (Invoke-WebRequest -Headers $h '
        '-Uri "$base/services/networking/virtualnetwork").Content | Set-Content "x/v.xml"'
    )
    assert block_label([[saved]], 1) == "# check (reads only; saves a local file)"
    posted = 'Invoke-RestMethod -Method Post -Headers $h -Uri "$base/x?comp=prepare"'
    assert block_label([[posted]], 1) == "# change"
    assert block_label([['New-Item -ItemType File -Path "x"']], 1) == "# change"


def test_building_a_context_object_does_not_make_a_look_a_change() -> None:
    from csmlint.findings.commands import is_look

    look = (
        'Get-AzStorageContainer -Prefix "bootdiagnostics-" -Context '
        '(New-AzStorageContext -StorageAccountName "vhds" -StorageAccountKey "<key>")'
    )
    assert is_look([look])


def test_the_subscription_is_selected_again_in_every_later_block() -> None:
    from csmlint.findings.commands import command_blocks

    select = 'Select-AzSubscription -SubscriptionId "s"'
    look = "Get-AzResourceProvider -ProviderNamespace Microsoft.ClassicInfrastructureMigrate"
    change = "Register-AzResourceProvider -ProviderNamespace Microsoft.ClassicInfrastructureMigrate"
    assert command_blocks([select, look, change]) == [[select, look], [select, change]]


def test_a_findings_commands_are_labelled_in_every_lint_report() -> None:
    """New-user checks: `lint -v`, the Markdown and the HTML report listed a fix's commands
    without saying which only look and which change, and mixed the Azure classic CLI's into
    the PowerShell's; then numbered labels read alternatives as a sequence, and "after
    Commit" guessed from the text was wrong (the plan orders the steps: lint only says what
    each block does)."""
    from csmlint.findings.copy_blocks import labelled_blocks
    from csmlint.findings.finding import ReportContext
    from csmlint.reporting import get_reporter

    look = 'Get-AzureVNetGateway -VNetName "v"'
    drop = 'Remove-AzureVNetGateway -VNetName "v"'
    commit = 'Move-AzureVirtualNetwork -Commit -VirtualNetworkName "v"'
    remote = '$r = Get-AzVirtualNetwork -Name "hub" -ResourceGroupName "rg"'
    peer = 'Add-AzVirtualNetworkPeering -Name "vh" -VirtualNetwork $r -RemoteVirtualNetworkId "x"'
    cli = 'azure network vnet validate-migration "v"'
    prepare = 'Move-AzureVirtualNetwork -Prepare -VirtualNetworkName "v"'
    abort = 'Move-AzureVirtualNetwork -Abort -VirtualNetworkName "v"'
    assert labelled_blocks([look, drop, prepare, commit, remote, peer]) == [
        ("# check (reads only)", [look]),
        ("# change (deletes)", [drop]),
        ("# change (Prepare: locks the unit until Commit or Abort)", [prepare]),
        # no Abort block follows: no "either"; a note's fix must not read as "commit now"
        ("# Commit (final; run it where `csmlint plan` puts it)", [commit]),
        ("# change (after Commit)", [remote, peer]),  # an ARM block after the Commit block
    ]
    assert [label for label, _ in labelled_blocks([commit, abort])] == [
        "# either: Commit (final; run this or the Abort block, not both)",
        "# or: Abort (instead of Commit)",
    ]
    # a dry run: Prepare, test, Abort (no Commit for it to be instead of)
    assert labelled_blocks([prepare, abort])[1][0] == "# Abort (undoes Prepare)"
    # a fix that leaves the migration to the plan is cut where the plan cuts it: a record of
    # what the migration drops before, the rest after Commit (new-user check: the export of
    # CSM101's autoscale settings shared an unlabelled box with their re-creation)
    export = (
        'Get-AzAutoscaleSetting -ResourceGroupName "rg" | ConvertTo-Json -Depth 10 '
        '| Set-Content "web-autoscale.json"'
    )
    create = 'New-AzAutoscaleSetting -Name "web" -ResourceGroupName "web-migrated" -Location "x"'
    assert labelled_blocks([export, create], after_migration=True) == [
        ("# check (reads only; saves a local file)", [export]),
        ("# change (after Commit)", [create]),
    ]
    gateway = '$vnet = Get-AzVirtualNetwork -Name "v" -ResourceGroupName "v-migrated"'
    validate = 'Move-AzureVirtualNetwork -Validate -VirtualNetworkName "v"'
    assert [label for label, _ in labelled_blocks([look, drop, validate, gateway])] == [
        "# check (reads only)",
        "# change (deletes)",
        "# check (reads only)",
        "# fetch (reads only; a later command uses what it keeps) (after Commit)",
    ]
    # new-user check: a VM built with New-AzureVMConfig and piped into New-AzureVM read as a
    # check (the builder cmdlet hid the pipeline)
    recreate = 'New-AzureVMConfig -Name "vm3" | Set-AzureSubnet -SubnetNames "s" | New-AzureVM'
    assert labelled_blocks([recreate, validate]) == [
        ("# change", [recreate]),
        ("# check (reads only)", [validate]),
    ]
    assert labelled_blocks([look, cli, look]) == [
        ("# PowerShell: check (reads only)", [look]),
        ("# Azure classic CLI: check (reads only)", [cli]),
        ("# PowerShell: check (reads only)", [look]),
    ]
    finding = Finding(
        rule_id="CSM107",
        rule_name="vnet-gateway-present",
        severity="error",
        category="blocker",
        migration="iaas-arm",
        message="Virtual network 'v' has a gateway",
        location=SourceRef("estate.topology.json", 3, 5),
        remediation=Remediation("Delete the gateway, migrate, recreate it.", (look, drop)),
    )
    result = RunResult(findings=[finding], files=[], services=[])
    ctx = ReportContext(version="0", verbose=True)
    for fmt in ("text", "markdown", "html"):
        page = get_reporter(fmt)(result, [], ctx)
        assert page.index("# check (reads only)") < page.index("Get-AzureVNetGateway"), fmt
        assert page.index("# change (deletes)") < page.index("Remove-AzureVNetGateway"), fmt
