"""Placeholders users see in shipped rule texts keep one style: lowercase kebab-case.

A placeholder such as ``<resource-group>`` or ``<cloud-service-name>`` stands for a value the
user fills in before pasting a command; one spelling per concept (not ``<resource group>``,
``<resource-group-name>`` and ``<rg>`` side by side) and no spaces (a placeholder with spaces
reads as prose and breaks when pasted unquoted). XML element names in snippets to paste into
a file (``<Subnets>``) are not placeholders and are allowed by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RULES

from csmlint.parsing.yamlsafe import load_yaml

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""The one placeholder style: ``<resource-group>``, ``<blob-size-gb>``."""

XML_ELEMENTS = frozenset({"InstanceAddress", "Subnets"})
"""Element names that appear in XML snippets of shipped remediation texts."""

_SLOT = re.compile(r"\{\{(.*?)\}\}", re.S)
_ANGLE = re.compile(r"<([^<>]*)>")
_ELEMENT = re.compile(r"/?([A-Za-z][\w.]*)(?:\s[^>]*)?/?")

RULE_FIELDS = ("title", "message", "rationale")
"""Rule-level texts a user reads; ``remediation`` (its ``text`` and ``commands``) and the
same fields of ``onUnknown`` and of each variant are read too."""

CATALOG_PROSE = ("summary", "does", "costs", "remediation", "title")
"""Texts of the diagnose catalog a user reads, besides its ``commands`` and placeholders."""


def _visible(text: str) -> str:
    """``text`` as a user may see it when a field is unknown: each ``{{ ... }}`` shows its
    ``default:`` (where the placeholders are) or a name from the inputs (``x``)."""

    def shown(m: re.Match[str]) -> str:
        for part in m.group(1).split("|"):
            name, _, arg = part.strip().partition(":")
            if name == "default":
                return arg.strip()
        return "x"

    return _SLOT.sub(shown, text)


def _rule_texts(spec: dict[str, Any], where: str = "") -> Iterator[tuple[str, str]]:
    for field in RULE_FIELDS:
        if isinstance(spec.get(field), str):
            yield f"{where}{field}", spec[field]
    remediation = spec.get("remediation")
    if isinstance(remediation, dict):
        if isinstance(remediation.get("text"), str):
            yield f"{where}remediation.text", remediation["text"]
        for i, command in enumerate(remediation.get("commands") or []):
            yield f"{where}remediation.commands[{i}]", str(command)
    unknown = spec.get("onUnknown")
    if isinstance(unknown, dict):
        yield from _rule_texts(unknown, f"{where}onUnknown.")
    for i, variant in enumerate(spec.get("variants") or []):
        if isinstance(variant, dict):
            yield from _rule_texts(variant, f"{where}variants[{i}].")


def _catalog_texts(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            at = f"{where}.{key}" if where else str(key)
            if key in CATALOG_PROSE and isinstance(value, str):
                yield at, value
            elif key == "commands" and isinstance(value, list):
                for i, command in enumerate(value):
                    yield f"{at}[{i}]", str(command)
            elif key == "placeholders" and isinstance(value, dict):
                for name, shown in value.items():
                    yield f"{at}.{name}", str(shown)
            elif key not in ("match", "example", "names"):  # the platform's own wording
                yield from _catalog_texts(value, at)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            label = item.get("id", i) if isinstance(item, dict) else i
            yield from _catalog_texts(item, f"{where}[{label}]")


def offending(text: str) -> list[str]:
    """The ``<...>`` in ``text`` that are neither kebab-case placeholders nor XML elements."""
    bad = []
    for m in _ANGLE.finditer(_visible(text)):
        inner = m.group(1)
        if KEBAB.fullmatch(inner):
            continue
        element = _ELEMENT.fullmatch(inner)
        if element is not None and element.group(1) in XML_ELEMENTS:
            continue
        bad.append(m.group(0))
    return bad


def _shipped() -> Iterator[tuple[str, str, str]]:
    """(owner, field, text) of every user-facing text of the shipped rule files."""
    for path in sorted(RULES.rglob("*.yaml")):
        if path.name == "pack.yaml":
            continue
        spec = load_yaml(path.read_bytes(), str(path))
        if isinstance(spec, dict) and "id" in spec:
            for field, text in _rule_texts(spec):
                yield str(spec["id"]), field, text
        else:
            for field, text in _catalog_texts(spec, ""):
                yield path.relative_to(RULES).as_posix(), field, text


def test_the_check_sees_the_shipped_rules() -> None:
    owners = {owner for owner, _, _ in _shipped()}
    assert len([o for o in owners if o.startswith("CSM")]) > 80
    assert "diagnose/platform-errors.yaml" in owners


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ('-ResourceGroupName "<resource group>"', ["<resource group>"]),
        ('-VNetName "<ARM VNet>"', ["<ARM VNet>"]),
        ('-Path "{{ filePath | default:<path of the .cscfg> }}"', ["<path of the .cscfg>"]),
        ("<Subnets><Subnet name='<subnet-name>' /></Subnets>", []),
        ('-Name "<resource-group>" -Size "<blob-size-gb>" -Name "{{ name }}"', []),
        ("<ServiceConfiguration>.cscfg", ["<ServiceConfiguration>"]),
    ],
)
def test_offending_placeholders_are_found(text: str, bad: list[str]) -> None:
    assert offending(text) == bad


def test_shipped_placeholders_are_kebab_case() -> None:
    problems = [
        f"{owner} {field}: {shown}"
        for owner, field, text in _shipped()
        for shown in offending(text)
    ]
    assert not problems, (
        "placeholders are lowercase kebab-case (<resource-group>, <cloud-service-name>):\n"
        + "\n".join(problems)
    )


def test_the_xml_allow_list_is_used() -> None:
    """An element name no shipped text shows any more leaves the allow-list."""
    seen = {
        element.group(1)
        for _, _, text in _shipped()
        for m in _ANGLE.finditer(_visible(text))
        if (element := _ELEMENT.fullmatch(m.group(1))) is not None
    }
    assert seen >= XML_ELEMENTS, sorted(XML_ELEMENTS - seen)


def test_rule_files_are_found_under_the_rules_folder() -> None:
    assert isinstance(RULES, Path) and (RULES / "core").is_dir()


def test_every_placeholder_of_a_command_gets_a_line_in_the_fix_text() -> None:
    from csmlint.model.azure.naming import hints

    commands = "\n".join(
        [
            'New-AzureDeployment -ServiceName "<cloud-service-name>" '
            '-Package "<cspkg-path-or-url>"',
            'New-AzResourceGroup -Name "<resource-group>" -Location "<region>"',
            '$x = "<scale-rules>"; $y = "<threshold>"; <VirtualNetworkSite name="a" />',
        ]
    )
    lines = hints(commands, text="Put the scaling rules in <scale-rules>.")
    assert lines[0].startswith("Replace <cloud-service-name> with the hosted service's name")
    assert [line.split(" with ")[0] for line in lines[1:4]] == [
        "Replace <cspkg-path-or-url>", "Replace <resource-group>", "Replace <region>",
    ]  # fmt: skip
    # <scale-rules> is named by the text; <threshold> is in no table; XML is no placeholder
    assert lines[4] == "Fill in <threshold>: csmlint cannot tell it from the inputs."
    assert len(lines) == 5
    assert hints('Get-AzureVM -ServiceName "a"') == ()


def test_the_glossary_explains_placeholders_the_shipped_rules_use() -> None:
    from csmlint.model.azure.placeholders import GLOSSARY

    shipped = "\n".join(text for _, _, text in _shipped())
    unused = [p for p in GLOSSARY if p not in shipped]
    assert not unused, f"glossary entries no shipped rule uses: {unused}"
