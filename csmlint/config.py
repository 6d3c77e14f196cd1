"""The configuration file: ``.csmlint.yaml`` in the working directory, or ``--config``.

No cascade and no merging: one file, validated against ``schemas/config.schema.json``;
command-line options override it. A problem in it stops the run (exit 2) with
``file:line: what is wrong``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from csmlint.errors import ConfigError, RulePackError
from csmlint.model.location import SourceRef
from csmlint.rulepack.yamlsrc import line_of, load_yaml
from csmlint.suppress import ExternalSuppression

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
    try:
        with open(path, "rb") as fh:
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
    base = os.path.dirname(os.path.abspath(path))
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


def _validate(data: Any, path: str) -> None:
    import jsonschema

    schema = json.loads(
        resources.files("csmlint.schemas")
        .joinpath("config.schema.json")
        .read_text(encoding="utf-8")
    )
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors) or errors[0]
    node, line = data, line_of(data)
    for part in error.absolute_path:
        line = line_of(node, part) or line
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    where = ".".join(str(p) for p in error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        message = f"unknown key {extra[0]!r}" if extra else message
    raise ConfigError(f"{where}: {message}" if where else message, path=path, line=line)
