"""Conventions every rule pack keeps beyond its schema, checked when a pack is loaded:

* a file holding one rule is named ``<id>-<name>.yaml`` (so the tree shows what it holds);
* commands pass a cloud service's real name: ``-ServiceName`` and ``-CloudServiceName``
  read ``serviceName`` (from a topology or an export), never the ``.csdef``'s ``name``, which
  is the package's (``Contoso.Web.Cloud`` cannot be a hosted service's name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from csmlint.errors import RulePackError
from csmlint.parsing.yamlsafe import YDict, line_of

_NAME_PARAMETER = re.compile(r"-(?:Service|CloudService)Name\s+[\"']?\{\{\s*([\w.$]+)")
_PACKAGE_NAMES = ("definition.name", "role.definition.name")
"""Paths that hold a .csdef's service name (not the hosted service's)."""


def check_conventions(spec: YDict, path: Path, *, single: bool) -> None:
    rule_id = str(spec.get("id", "?"))
    name = str(spec.get("name", "?"))
    if single and re.fullmatch(r"CSM\d{3}-.+\.ya?ml", path.name, re.I):
        wanted = f"{rule_id}-{name}"
        if path.stem != wanted:
            raise RulePackError(
                f"a rule file is named after its rule: rename it {wanted}{path.suffix}",
                path=str(path),
                line=line_of(spec, "name") or spec.line,
                rule_id=rule_id,
            )
    scopes = spec.get("scope", [])
    scopes = [scopes] if isinstance(scopes, str) else list(scopes)
    for where, text, line in _commands(spec):
        for m in _NAME_PARAMETER.finditer(text):
            field = m.group(1)
            bare = field == "name" and "cloudService" in scopes
            package = (
                field.endswith("cloudService.name")
                or field in _PACKAGE_NAMES
                or (field == "serviceName" and "serviceConfiguration" in scopes)
            )
            if bare or package:
                raise RulePackError(
                    f"{where}: -ServiceName takes the hosted service's real name; write "
                    "{{ cloudService.serviceName | default:<cloud-service-name> }} (or "
                    f"serviceName in a cloudService rule), not {{{{ {field} }}}}: a .csdef's "
                    "name is its package's",
                    path=str(path),
                    line=line or spec.line,
                    rule_id=rule_id,
                )


def _commands(spec: YDict) -> Iterator[tuple[str, str, int | None]]:
    blocks: list[tuple[str, Any]] = [("remediation", spec.get("remediation"))]
    unknown = spec.get("onUnknown")
    if isinstance(unknown, dict):
        blocks.append(("onUnknown.remediation", unknown.get("remediation")))
    for i, v in enumerate(spec.get("variants") or []):
        if isinstance(v, dict):
            blocks.append((f"variants[{i}].remediation", v.get("remediation")))
    for where, block in blocks:
        if not isinstance(block, dict):
            continue
        commands = block.get("commands") or []
        for i, command in enumerate(commands):
            yield f"{where}.commands[{i}]", str(command), line_of(commands, i)
