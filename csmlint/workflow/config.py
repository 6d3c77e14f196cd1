"""The configuration file: ``.csmlint.yaml`` in the working directory, or ``--config``.

No cascade and no merging: one file, validated against ``schemas/config.schema.json``;
command-line options override it. A problem in it stops the run (exit 2) with
``file:line: what is wrong``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from csmlint.discovery import display_path
from csmlint.errors import ConfigError, RulePackError
from csmlint.model.location import SourceRef
from csmlint.parsing.yamlsafe import line_of, load_yaml
from csmlint.workflow.suppressions import ExternalSuppression

DEFAULT_NAMES = (".csmlint.yaml", ".csmlint.yml", "csmlint.yaml")


@dataclass(slots=True)
class Config:
    path: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    topology: list[str] = field(default_factory=list)
    max_file_size: int | None = None
    target_vnet: str | None = None
    suppress: list[ExternalSuppression] = field(default_factory=list)


def find_config(cwd: str) -> str | None:
    for name in DEFAULT_NAMES:
        candidate = os.path.join(cwd, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def load_config(path: str | None, cwd: str) -> Config:
    """Load ``path`` (or the default file in ``cwd``); an absent default is an empty config."""
    explicit = path is not None
    path = path or find_config(cwd)
    if path is None:
        return Config()
    real = os.path.abspath(path)
    path = display_path(real, cwd)  # as input files are shown
    try:
        with open(real, "rb") as fh:
            raw = fh.read(512 * 1024 + 1)
    except OSError as exc:
        if explicit:
            raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
        return Config()
    try:
        data = load_yaml(raw, path)
    except RulePackError as exc:
        raise ConfigError(exc.reason, path=path, line=exc.line) from None
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping", path=path, line=1)
    _validate(data, path)
    base = os.path.dirname(real)
    cfg = Config(
        path=path,
        select=list(data.get("select", [])),
        ignore=list(data.get("ignore", [])),
        fail_on=data.get("failOn"),
        include=list(data.get("include", [])),
        exclude=list(data.get("exclude", [])),
        rules=[os.path.join(base, r) for r in data.get("rules", [])],
        topology=[os.path.join(base, t) for t in data.get("topology", [])],
        max_file_size=data.get("maxFileSize"),
        target_vnet=data.get("targetVnet"),
    )
    for i, entry in enumerate(data.get("suppress", [])):
        cfg.suppress.append(
            ExternalSuppression(
                rules=tuple(entry["rules"]),
                paths=tuple(entry.get("paths", [])),
                reason=str(entry["reason"]),
                location=SourceRef(path, line_of(data.get("suppress"), i)),
            )
        )
    return cfg


def _validate(data: dict[str, Any], path: str) -> None:
    if _plainly_valid(data):
        return  # the common case, without importing jsonschema (~80 ms)
    from csmlint.parsing.yamlschema import first_violation

    found = first_violation(data, "config.schema.json")
    if found is not None:
        line, where, message = found
        raise ConfigError(f"{where}: {message}" if where else message, path=path, line=line)


STRING_LISTS = ("select", "ignore", "include", "exclude", "rules", "topology")
KEYS = frozenset((*STRING_LISTS, "failOn", "maxFileSize", "targetVnet", "suppress"))
FAIL_ON = ("error", "warning", "note", "never")


def _plainly_valid(data: dict[str, Any]) -> bool:
    """A quick check at least as strict as ``config.schema.json``: ``True`` only for data the
    schema accepts. Anything else goes to the schema, which names the problem."""
    if not KEYS.issuperset(data):
        return False
    if not all(_strings(data[k]) for k in STRING_LISTS if k in data):
        return False
    if "failOn" in data and data["failOn"] not in FAIL_ON:
        return False
    size = data.get("maxFileSize", 1024)
    if type(size) is not int or size < 1024:
        return False
    if "targetVnet" in data and not _text(data["targetVnet"]):
        return False
    entries = data.get("suppress", [])
    return isinstance(entries, list) and all(_suppression(e) for e in entries)


def _suppression(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and {"rules", "reason"} <= set(entry) <= {"rules", "reason", "paths"}
        and _strings(entry["rules"])
        and len(entry["rules"]) > 0
        and _strings(entry.get("paths", []))
        and _text(entry["reason"])
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""
