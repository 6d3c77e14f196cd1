"""``[tool.<name>]`` of a ``pyproject.toml``, as the same line-aware values YAML gives
(:class:`~csmlint.parsing.yamlsafe.YDict`/``YList``), so configuration errors name a line.

The TOML parser (``tomllib``, or ``tomli`` before Python 3.11) keeps no positions; the lines
come from a scan of the table's own headers and ``key =`` lines, which is exact for the
layouts people write (``[tool.csmlint]`` keys, ``[[tool.csmlint.suppress]]`` entries) and
falls back to the line of the enclosing key or header.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from typing import Any

from csmlint.errors import ConfigError
from csmlint.parsing.yamlsafe import MAX_BYTES, YDict, YList

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\s\"']+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_AT_LINE = re.compile(r"\(at line (\d+)")


def has_tool_table(data: bytes, tool: str) -> bool:
    """Whether ``data`` has a ``[tool.<tool>]`` table; ``True`` when it is not TOML at all
    (:func:`load_tool_table` then says where)."""
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    section = parsed.get("tool")
    return isinstance(section, dict) and tool in section


def load_tool_table(data: bytes, path: str, tool: str) -> YDict | None:
    """``[tool.<tool>]`` of the file, or ``None`` when it has none."""
    if len(data) > MAX_BYTES:
        raise ConfigError(f"file larger than {MAX_BYTES} bytes", path=path, line=1)
    try:
        text = data.decode("utf-8")
        parsed = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 (TOML files are UTF-8)", path=path, line=1) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _AT_LINE.search(message)
        line = int(m.group(1)) if m else 1
        if "(at end of document)" in message:
            line = max(1, len(text.splitlines()))
        reason = re.sub(r"\s*\(at [^)]*\)", "", message).strip() or "invalid TOML"
        raise ConfigError(reason, path=path, line=line) from None
    table = parsed.get("tool", {})
    table = table.get(tool) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        return None
    lines = _scan(text, f"tool.{tool}")
    built = _build(table, lines, (), lines.get((), 1))
    return built if isinstance(built, YDict) else None


def _scan(text: str, prefix: str) -> dict[tuple[Any, ...], int]:
    """(path inside the table) -> line, for headers and keys of ``prefix`` and below."""
    out: dict[tuple[Any, ...], int] = {}
    current: tuple[Any, ...] | None = None
    counts: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            name = re.sub(r"[\s\"']", "", header.group(2))
            if name != prefix and not name.startswith(prefix + "."):
                current = None
                continue
            parts: tuple[Any, ...] = (
                tuple(name[len(prefix) + 1 :].split(".")) if name != prefix else ()
            )
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                out.setdefault(parts, n)
                parts = (*parts, index)
            current = parts
            out.setdefault(parts, n)
            continue
        key = _KEY.match(raw) if current is not None else None
        if key and current is not None:
            out.setdefault((*current, key.group(1).strip('"')), n)
    return out


def _build(value: Any, lines: dict[tuple[Any, ...], int], here: tuple[Any, ...], line: int) -> Any:
    if isinstance(value, dict):
        out = YDict()
        out.line = lines.get(here, line)
        out.key_lines = {}
        for k, v in value.items():
            key_line = lines.get((*here, k), out.line)
            out.key_lines[str(k)] = key_line
            out[str(k)] = _build(v, lines, (*here, k), key_line)
        return out
    if isinstance(value, list):
        items = YList()
        items.line = lines.get(here, line)
        items.item_lines = []
        for i, v in enumerate(value):
            item_line = lines.get((*here, i), items.line)
            items.item_lines.append(item_line)
            items.append(_build(v, lines, (*here, i), item_line))
        return items
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
