"""The platform error catalogue: ``rules/diagnose/*.yaml`` beside the rule packs, checked
against ``diagnose-catalog.schema.json``; a broken file is a :class:`RulePackError` at file:line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from csmlint.errors import RulePackError
from csmlint.parsing.yamlsafe import line_of, load_yaml
from csmlint.parsing.yamlschema import first_violation
from csmlint.records import field, record
from csmlint.rulepack.loader import shipped_root

SCHEMA = "diagnose-catalog.schema.json"
FOLDER = "diagnose"


@record(frozen=True)
class Option:
    name: str
    does: str
    costs: str
    commands: tuple[str, ...] = ()


@record(frozen=True)
class State:
    key: str
    summary: str
    options: tuple[Option, ...] = ()


@record(frozen=True)
class KnownError:
    id: str
    title: str
    pattern: re.Pattern[str]
    state: str
    rules: tuple[str, ...]
    remediation: str
    example: str
    names: dict[str, str]
    code: str | None = None
    commands: tuple[str, ...] = ()
    path: str = ""
    line: int = 0
    see: tuple[str, str] | None = None
    """(title, URL) of the public page that documents this message, when the catalogue says."""


@record(frozen=True)
class Catalog:
    errors: tuple[KnownError, ...]
    states: dict[str, State] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)


def catalog_files(root: Path | None = None) -> list[Path]:
    folder = (root or Path(shipped_root())) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_catalog(root: Path | None = None) -> Catalog:
    """Every file of the catalogue folder, merged; ids must be unique across files."""
    errors: list[KnownError] = []
    states: dict[str, State] = {}
    placeholders: dict[str, str] = {}
    references: dict[str, Any] = {}
    seen: dict[str, KnownError] = {}
    for path in catalog_files(root):
        data = _read(path)
        references.update(data.get("references") or {})
        for key, spec in (data.get("states") or {}).items():
            states[key] = _state(key, spec)
        placeholders.update(data.get("placeholders") or {})
        for spec in data["errors"]:
            known = _error(spec, str(path), references)
            first = seen.get(known.id)
            if first is not None:
                raise RulePackError(
                    f"duplicate error id {known.id!r} (first in {first.path}:{first.line})",
                    path=known.path,
                    line=known.line,
                )
            seen[known.id] = known
            errors.append(known)
    for known in errors:
        if known.state not in states:
            raise RulePackError(
                f"errors: {known.id}: unknown state {known.state!r} "
                f"(known: {', '.join(sorted(states)) or 'none'})",
                path=known.path,
                line=known.line,
            )
    return Catalog(tuple(errors), states, placeholders)


def _read(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulePackError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    data = load_yaml(raw, str(path))
    found = first_violation(data, SCHEMA)
    if found is not None:
        line, where, message = found
        raise RulePackError(f"{where}: {message}" if where else message, path=str(path), line=line)
    return data


def _state(key: str, spec: Any) -> State:
    options = tuple(
        Option(
            o["name"],
            " ".join(o["does"].split()),
            " ".join(o["costs"].split()),
            tuple(o.get("commands") or ()),
        )
        for o in spec.get("options") or ()
    )
    return State(key, " ".join(spec["summary"].split()), options)


def _error(spec: Any, path: str, references: dict[str, Any]) -> KnownError:
    line = line_of(spec) or 0
    see = None
    if "see" in spec:
        ref = references.get(spec["see"])
        if ref is None:
            raise RulePackError(
                f"errors: {spec['id']}: see: no reference {spec['see']!r} in 'references'",
                path=path,
                line=line_of(spec, "see") or line,
            )
        see = (str(ref["title"]), str(ref["url"]))
    try:
        pattern = re.compile(spec["match"].strip(), re.IGNORECASE)
    except re.error as exc:
        raise RulePackError(
            f"errors: {spec['id']}: match: invalid regular expression: {exc}",
            path=path,
            line=line_of(spec, "match") or line,
        ) from None
    return KnownError(
        id=spec["id"],
        title=spec["title"],
        pattern=pattern,
        state=spec["state"],
        rules=tuple(spec["rules"]),
        remediation=" ".join(spec["remediation"].split()),
        example=" ".join(spec["example"].split()),
        names=dict(spec["names"]),
        code=spec.get("code"),
        commands=tuple(spec.get("commands") or ()),
        path=path,
        line=line,
        see=see,
    )
