"""The effective settings of a lint run: the configuration's values with the command line's
on top, each with where it came from (``--print-config`` shows them).

Precedence: a command-line option replaces the configuration's value (``--select``,
``--fail-on``, ``--max-file-size``, ``--target-vnet``, ``--baseline``); list options that
add to a run (``--ignore``, ``--include``, ``--exclude``, ``--rules``, ``--topology``) are
added to the configuration's lists.
"""

from __future__ import annotations

import json
import os
from typing import Any

from csmlint.discovery import display_path
from csmlint.records import field, record
from csmlint.workflow.config import Config
from csmlint.workflow.config_find import rebase_globs
from csmlint.workflow.suppressions import ExternalSuppression

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
REPLACED = ("select", "failOn", "maxFileSize", "targetVnet", "baseline")
ADDED = ("ignore", "include", "exclude", "rules", "topology")
DEFAULTS: dict[str, Any] = {
    "select": [],
    "ignore": [],
    "failOn": "error",
    "include": [],
    "exclude": [],
    "rules": [],
    "topology": [],
    "maxFileSize": DEFAULT_MAX_FILE_SIZE,
    "targetVnet": None,
    "baseline": None,
    "suppress": [],
}
_FLAG = {
    key: "--" + "".join("-" + c.lower() if c.isupper() else c for c in key) for key in DEFAULTS
}
_FIELD = {
    "failOn": "fail_on",
    "maxFileSize": "max_file_size",
    "targetVnet": "target_vnet",
}


@record
class Settings:
    values: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)
    config: Config = field(default_factory=Config)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def resolve(cfg: Config, flags: dict[str, Any], cwd: str) -> Settings:
    """``flags``: configuration key -> the command line's value (``None``/``[]``: not given)."""
    out = Settings(values={}, config=cfg)
    for key, default in DEFAULTS.items():
        value = getattr(cfg, _FIELD.get(key, key))
        origin = cfg.origins.get(key)
        origins = [f"{origin.path}:{origin.line}"] if origin is not None else []
        if key in ("include", "exclude"):
            value = rebase_globs(value, cfg.folder, cwd)
        elif key == "suppress":
            value = [_rebased(e, cfg.folder, cwd) for e in value]
        given = flags.get(key)
        if key in REPLACED and given not in (None, []):
            value, origins = given, [_FLAG[key]]
        elif key in ADDED and given:
            value = [*value, *given]
            origins.append(_FLAG[key])
        out.values[key] = default if value is None else value
        out.origins[key] = ", ".join(origins) or "default"
    return out


def _rebased(entry: ExternalSuppression, folder: str | None, cwd: str) -> ExternalSuppression:
    if not entry.paths:
        return entry
    return ExternalSuppression(
        rules=entry.rules,
        paths=tuple(rebase_globs(list(entry.paths), folder, cwd)),
        reason=entry.reason,
        location=entry.location,
        until=entry.until,
    )


def describe(settings: Settings, paths: list[str], cwd: str) -> str:
    """``--print-config``: YAML a configuration file could hold, each value commented with
    where it came from."""
    cfg = settings.config
    lines = [f"# effective csmlint configuration for: {' '.join(paths) or '.'}"]
    if cfg.chain:
        lines.append(f"# configuration file: {cfg.chain[0]}")
        lines += [f"#   extends: {p}" for p in cfg.chain[1:]]
    else:
        lines.append("# configuration file: none found (defaults and command line only)")
    rows: list[tuple[str, str]] = []
    for key in DEFAULTS:
        value = settings.values[key]
        if key == "suppress":
            rows.append((f"{key}:" + (" []" if not value else ""), settings.origins[key]))
            for e in value:
                item = {"rules": list(e.rules), "paths": list(e.paths), "reason": e.reason}
                if e.until is not None:
                    item["until"] = e.until.isoformat()
                where = f"{e.location.path}:{e.location.line}" if e.location else ""
                rows.append((f"  - {json.dumps(item, ensure_ascii=False)}", where))
            continue
        if key in ("rules", "topology", "baseline") and value:
            value = (
                [display_path(v, cwd) for v in value]
                if isinstance(value, list)
                else display_path(os.path.join(cwd, value), cwd)
            )
        rows.append((f"{key}: {json.dumps(value, ensure_ascii=False)}", settings.origins[key]))
    width = min(max(len(text) for text, _ in rows), 60)
    for text, origin in rows:
        lines.append(f"{text:<{width}}  # {origin}" if origin else text)
    return "\n".join(lines) + "\n"
