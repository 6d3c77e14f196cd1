"""A command to paste shows a value whole or not at all: a message may cut a long value with
``…`` (it stays readable), a command never does (a path cut short names a file that does
not exist: new-user check, ``-Configuration ".../ServiceConfiguration.Cloud.c…"``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from csmlint.engine import RunOptions, run
from csmlint.model import VirtualNetwork
from csmlint.model.azure.naming import LONG_VALUE, MAX_COMMAND_VALUE
from csmlint.rulepack.template import MAX_VALUE, compile_template

CASE = FIXTURES / "rules" / "CSM116-deployment-not-in-vnet" / "no-virtual-network-site"


def test_a_long_path_is_whole_in_commands_and_cut_only_in_prose(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(
        *[f"Allfiles__Demofiles__Mod{n:02d}__SmallCloudService" for n in range(6)]
    )
    shutil.copytree(CASE, deep)
    cscfg = next(p for p in deep.iterdir() if p.suffix == ".cscfg")
    assert len(str(cscfg)) > MAX_VALUE  # longer than a message shows
    result, _ = run(RunOptions(paths=[str(deep)], cwd=str(tmp_path)))
    commands = [c for f in result.findings for c in f.remediation.commands]
    pasted = [c for c in commands if "-Configuration" in c]
    assert pasted, commands
    for command in pasted:
        assert "…" not in command, command
        assert f'-Configuration "{cscfg.relative_to(tmp_path).as_posix()}"' in command or (
            f'-Configuration "{cscfg.as_posix()}"' in command
        ), command


def test_a_value_too_long_to_paste_is_a_visible_placeholder() -> None:
    tmpl = compile_template('Remove-X -Name "{{ name | lower }}"', VirtualNetwork)
    assert tmpl.render(VirtualNetwork(name="V" * 300), command=True) == (
        f'Remove-X -Name "{"v" * 300}"'  # longer than a message shows, whole in a command
    )
    huge = VirtualNetwork(name="v" * (MAX_COMMAND_VALUE + 1))
    assert tmpl.render(huge, command=True) == f'Remove-X -Name "{LONG_VALUE}"'
    shown = tmpl.render(huge)  # a message cuts it, visibly
    assert shown.endswith('…"') and len(shown) == len('Remove-X -Name ""') + MAX_VALUE


def test_pslist_inserts_checked_names_as_a_powershell_array() -> None:
    """New-user check: CSM140's removal kept `<extension-name>` although the topology named
    the XML extensions; ``pslist`` puts them in a command, or the placeholder when a name
    could break out of its quotes (an unknown list adds nothing: the filter's documented
    names still apply)."""
    from csmlint.model.compute import VirtualMachine, VmExtension
    from csmlint.model.facts import UNKNOWN

    tmpl = compile_template(
        "$_.ExtensionName -in @({{ extensions | where:xml=true | names | pslist:<extension-name> }"
        "})",
        VirtualMachine,
    )

    def vm(extensions: object) -> VirtualMachine:
        machine = VirtualMachine(name="web1")
        machine.extensions = extensions  # type: ignore[assignment]
        return machine

    xml = [VmExtension(name="BGInfo", xml=True), VmExtension(name="Chef", xml=True)]
    json_only = [VmExtension(name="IaaSAntimalware", xml=False)]
    assert tmpl.render(vm([*xml, *json_only]), command=True) == (
        '$_.ExtensionName -in @("BGInfo", "Chef")'
    )
    assert tmpl.render(vm(json_only), command=True) == "$_.ExtensionName -in @()"
    assert tmpl.render(vm(UNKNOWN), command=True) == "$_.ExtensionName -in @()"
    hostile = [VmExtension(name='x"; Remove-AzureVM -Name "db', xml=True)]
    assert tmpl.render(vm(hostile), command=True) == '$_.ExtensionName -in @("<extension-name>")'
