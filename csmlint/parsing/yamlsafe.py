"""Hardened YAML for rule packs and configuration files.

The document is composed by libyaml (C) after cheap pre-checks on size and nesting, then
turned into plain values here, so that: every mapping and list knows its line; duplicate
keys, anchors/aliases, merge keys and non-standard tags (``!!python/...``, ``!!binary``)
are errors with a line; nothing is ever constructed from a tag.

PyYAML is imported by the first :func:`load_yaml` (about 14 ms): a run whose rule packs come
from the prepared-pack cache and that has no configuration file never needs it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from csmlint.errors import RulePackError

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 512 * 1024
MAX_DEPTH = 64
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class YDict(dict[str, Any]):
    """A mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class YList(list[Any]):
    """A sequence that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of ``container[key]`` (or of the container), when known."""
    if isinstance(container, YDict):
        if isinstance(key, str) and key in container.key_lines:
            return container.key_lines[key]
        return container.line
    if isinstance(container, YList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return None


def _decode_for_checks(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def _precheck(text: str, path: str) -> None:
    """Reject deep nesting before libyaml sees it (its composer recurses in C).

    Flow brackets are counted everywhere, quoted or not: over-counting only rejects
    pathological files, while honouring quotes would let a stray apostrophe hide nesting.
    """
    # Fast paths (exact): the depth cannot exceed the number of opening brackets, and no
    # line can be indented more than the longest run of spaces. Rule files pass both.
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        line = 1
        for ch in text:
            if ch == "\n":
                line += 1
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise RulePackError(
                        f"nesting deeper than {MAX_DEPTH} levels", path=path, line=line
                    )
            elif ch in "]}":
                depth = max(0, depth - 1)
    if " " * (MAX_DEPTH * 4 + 1) in text:
        for n, raw in enumerate(text.splitlines(), start=1):
            indent = len(raw) - len(raw.lstrip(" "))
            if indent > MAX_DEPTH * 4:
                raise RulePackError(f"nesting deeper than {MAX_DEPTH} levels", path=path, line=n)


def load_yaml(data: bytes, path: str) -> Any:
    """Parse one YAML document into plain values (:class:`YDict`, :class:`YList`, scalars)."""
    if len(data) > MAX_BYTES:
        raise RulePackError(f"file larger than {MAX_BYTES} bytes", path=path, line=1)
    _precheck(_decode_for_checks(data), path)
    import yaml  # lazy: see the module docstring

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(data)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context or "") + problem:
            problem = "more than one YAML document (rule packs hold one document per file)"
        raise RulePackError(problem, path=path, line=line) from None
    except yaml.YAMLError as exc:  # ReaderError: bad bytes, control characters
        line = _reader_line(data, getattr(exc, "position", None))
        reason = getattr(exc, "reason", None) or "invalid YAML"
        raise RulePackError(f"unreadable YAML: {reason}", path=path, line=line) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(path, yaml).build(node, 0)


def _reader_line(data: bytes, position: int | None) -> int:
    if position is None:
        return 1
    return data[:position].count(b"\n") + 1


class _Builder:
    def __init__(self, path: str, module: Any):
        self.path = path
        self.scalar_node = module.ScalarNode
        self.sequence_node = module.SequenceNode
        self.mapping_node = module.MappingNode
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> RulePackError:
        return RulePackError(message, path=self.path, line=node.start_mark.line + 1)

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, self.scalar_node):
            return self.scalar(node)
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases are not supported in csmlint YAML")
        self.seen.add(id(node))
        if isinstance(node, self.sequence_node):
            if node.tag != _SEQ:
                raise self.fail(node, f"unsupported YAML tag {node.tag!r}")
            out = YList()
            out.line = node.start_mark.line + 1
            out.item_lines = []
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_lines.append(item.start_mark.line + 1)
            return out
        if isinstance(node, self.mapping_node):
            if node.tag != _MAP:
                raise self.fail(node, f"unsupported YAML tag {node.tag!r}")
            mapping = YDict()
            mapping.line = node.start_mark.line + 1
            mapping.key_lines = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise self.fail(key_node, "merge keys (<<) are not supported in csmlint YAML")
                if not isinstance(key_node, self.scalar_node):
                    raise self.fail(key_node, "mapping keys must be plain strings")
                key = str(key_node.value)
                if key in mapping:
                    first = mapping.key_lines[key]
                    raise self.fail(key_node, f"duplicate key {key!r} (first at line {first})")
                mapping.key_lines[key] = key_node.start_mark.line + 1
                mapping[key] = self.build(value_node, depth + 1)
            return mapping
        raise self.fail(node, "unsupported YAML node")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases are not supported in csmlint YAML")
        self.seen.add(id(node))
        tag = node.tag
        value: str = node.value
        if tag in (_STR, _TIMESTAMP):
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() in ("yes", "true", "on", "y")
        if tag == _INT:
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag == _FLOAT:
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                return value
            if not math.isfinite(number):
                raise self.fail(node, f"non-finite number {value!r} is not allowed")
            return number
        raise self.fail(node, f"unsupported YAML tag {tag!r}")
