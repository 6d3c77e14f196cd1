"""The configuration: ``.csmlint.yaml``, ``csmlint.yaml`` or ``[tool.csmlint]`` of a
``pyproject.toml`` (found by :mod:`csmlint.workflow.config_find`, or named by ``--config``).

One file applies, never a silent cascade; a file may name another with ``extends:`` and
then starts from that file's values (each key it sets replaces the inherited value).
Validated against ``schemas/config.schema.json``; paths in it (``rules``, ``topology``,
``baseline``, ``extends``) are relative to the file that names them. Every value remembers
where it came from (``file:line``), for ``--print-config`` and for error messages: a problem
in a configuration stops the run (exit 2) with ``file:line: what is wrong``.
"""

from __future__ import annotations

import os
import re
from typing import Any

from csmlint.discovery import display_path
from csmlint.errors import ConfigError, RulePackError
from csmlint.model.location import SourceRef, is_within
from csmlint.parsing.source import not_a_file, open_regular
from csmlint.parsing.yamlsafe import line_of, load_yaml
from csmlint.records import field, fields, record
from csmlint.workflow.clock import parse_day
from csmlint.workflow.config_find import PYPROJECT, find_config
from csmlint.workflow.suppressions import ExternalSuppression

MAX_EXTENDS = 8
KEY_FIELDS = {
    "select": "select",
    "ignore": "ignore",
    "failOn": "fail_on",
    "include": "include",
    "exclude": "exclude",
    "rules": "rules",
    "topology": "topology",
    "maxFileSize": "max_file_size",
    "targetVnet": "target_vnet",
    "suppress": "suppress",
    "baseline": "baseline",
}
"""Configuration key -> :class:`Config` field."""


@record
class Config:
    path: str | None = None
    """Display path of the file in effect (the one found or named, not those it extends)."""
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
    baseline: str | None = None
    origins: dict[str, SourceRef] = field(default_factory=dict)
    """Configuration key -> where its value was set."""
    folder: str | None = None
    """Absolute folder of the file that set ``include``/``exclude``/``suppress`` globs."""
    chain: list[str] = field(default_factory=list)
    """Display paths of the files read, the one in effect first, then what it extends."""
    item_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """(key, list item) -> its line, for messages about one item (an unknown rule)."""


def load_config(path: str | None, cwd: str, *, paths: list[str] | None = None) -> Config:
    """``path`` (``--config``), or the file discovery finds for ``paths``; none is an empty
    configuration."""
    if path is None:
        found = find_config([os.path.join(cwd, p) for p in paths or ["."]], cwd)
        if found is None:
            return Config()
        return load_file(found.path, cwd, boundary=found.boundary)
    return load_file(os.path.join(cwd, path), cwd, boundary=None, explicit=True)


def load_file(
    path: str,
    cwd: str,
    *,
    boundary: str | None,
    explicit: bool = False,
    seen: tuple[str, ...] = (),
) -> Config:
    """One configuration file and what it extends. ``boundary`` (the repository root of a
    discovered file) is the folder nothing it names may resolve outside of."""
    real = os.path.realpath(path)
    shown = display_path(os.path.abspath(path), cwd)
    data = _read(path, shown, explicit=explicit or bool(seen))
    if data is None:
        return Config(path=shown, chain=[shown])
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping", path=shown, line=1)
    _validate(data, shown)
    base = os.path.dirname(os.path.abspath(path))

    def inside(raw: str, key: str, where: Any = None) -> str:
        target = os.path.join(base, raw)
        if boundary is not None and not is_within(
            os.path.realpath(target), os.path.realpath(boundary)
        ):
            raise ConfigError(
                f"{key}: {raw!r} resolves outside the repository ({boundary}); a configuration "
                "found by discovery may only name files inside it",
                path=shown,
                line=line_of(where if where is not None else data, key) or 1,
            )
        return target

    if "extends" in data:
        target = inside(str(data["extends"]), "extends")
        if os.path.realpath(target) in (*seen, real):
            raise ConfigError(
                f"extends: {data['extends']!r} leads back to a file already read (a cycle)",
                path=shown,
                line=line_of(data, "extends"),
            )
        if len(seen) >= MAX_EXTENDS:
            raise ConfigError(
                f"extends: more than {MAX_EXTENDS} files deep",
                path=shown,
                line=line_of(data, "extends"),
            )
        problem = not_a_file(target)
        if problem is not None:
            raise ConfigError(
                f"extends: {problem} {data['extends']!r}",
                path=shown,
                line=line_of(data, "extends"),
            )
        cfg = load_file(target, cwd, boundary=boundary, seen=(*seen, real))
        cfg.chain.insert(0, shown)
    else:
        cfg = Config(chain=[shown])
    cfg.path = shown
    for key, name in KEY_FIELDS.items():
        if key not in data:
            continue
        value = data[key]
        if key in ("rules", "topology"):
            value = [inside(str(v), key, data[key]) for v in value]
        elif key == "baseline":
            value = inside(str(value), key)
        elif key == "suppress":
            value = _suppressions(value, shown)
        elif isinstance(value, list):
            value = [str(v) for v in value]
            for i, item in enumerate(value):
                cfg.item_lines[(key, item)] = line_of(data[key], i) or line_of(data, key) or 1
        setattr(cfg, name, value)
        cfg.origins[key] = SourceRef(shown, line_of(data, key) or 1)
        if key in ("include", "exclude", "suppress"):
            cfg.folder = base
    return cfg


def _read(path: str, shown: str, *, explicit: bool) -> Any:
    try:
        with open_regular(path) as fh:
            raw = fh.read(512 * 1024 + 1)
    except (FileNotFoundError, IsADirectoryError) as exc:
        if explicit:
            problem = (
                "no such file" if isinstance(exc, FileNotFoundError) else "is a folder, not a file"
            )
            raise ConfigError(problem, path=shown) from None
        return None
    except OSError as exc:
        if explicit:
            raise ConfigError(f"cannot read: {exc.strerror or exc}", path=shown) from None
        return None
    if os.path.basename(path) == PYPROJECT:
        from csmlint.parsing.tomlsafe import load_tool_table

        table = load_tool_table(raw, shown, "csmlint")
        if table is None and explicit:  # named by --config: settings the run would not use
            raise ConfigError("has no [tool.csmlint] table", path=shown, line=1)
        return table
    try:
        return load_yaml(raw, shown)
    except RulePackError as exc:
        raise ConfigError(exc.reason, path=shown, line=exc.line) from None


def _suppressions(entries: Any, shown: str) -> list[ExternalSuppression]:
    out = []
    for i, entry in enumerate(entries):
        line = line_of(entries, i)
        until = None
        if "until" in entry:
            until = parse_day(str(entry["until"]))
            if until is None:
                raise ConfigError(
                    f"suppress[{i}].until: {entry['until']!r} is not a date (YYYY-MM-DD)",
                    path=shown,
                    line=line_of(entry, "until") or line,
                )
        out.append(
            ExternalSuppression(
                rules=tuple(entry["rules"]),
                paths=tuple(entry.get("paths", [])),
                reason=str(entry["reason"]),
                location=SourceRef(shown, line),
                until=until,
            )
        )
    return out


def _validate(data: dict[str, Any], path: str) -> None:
    if _plainly_valid(data):
        return  # the common case, without importing jsonschema (~80 ms)
    from csmlint.parsing.yamlschema import first_violation

    found = first_violation(data, "config.schema.json")
    if found is not None:
        line, where, message = found
        raise ConfigError(f"{where}: {message}" if where else message, path=path, line=line)


STRING_LISTS = ("select", "ignore", "include", "exclude", "rules", "topology")
KEYS = frozenset(
    (*STRING_LISTS, "failOn", "maxFileSize", "targetVnet", "suppress", "baseline", "extends")
)
FAIL_ON = ("error", "blocked", "warning", "note", "never")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
assert set(KEY_FIELDS) | {"extends"} == KEYS
assert {f.name for f in fields(Config)} >= set(KEY_FIELDS.values())


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
    if not all(_text(data[k]) for k in ("targetVnet", "baseline", "extends") if k in data):
        return False
    entries = data.get("suppress", [])
    return isinstance(entries, list) and all(_suppression(e) for e in entries)


def _suppression(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and {"rules", "reason"} <= set(entry) <= {"rules", "reason", "paths", "until"}
        and _strings(entry["rules"])
        and len(entry["rules"]) > 0
        and _strings(entry.get("paths", []))
        and _text(entry["reason"])
        and ("until" not in entry or _day(entry["until"]))
    )


def _day(value: Any) -> bool:
    return isinstance(value, str) and _DAY.fullmatch(value) is not None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""
