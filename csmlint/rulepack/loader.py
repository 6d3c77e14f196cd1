"""The one rule loader: packs on disk -> validated, compiled :class:`Rule` objects.

A pack is a folder with a ``pack.yaml`` and one rule per ``<ID>-<name>.yaml`` file, or one
YAML file holding ``{pack, rules: [...]}``. Any problem stops the run with
``file:line: rule CSMnnn: what is wrong``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from csmlint.errors import RulePackError
from csmlint.model.estate import SCOPES
from csmlint.parsing.source import not_a_file, open_regular
from csmlint.parsing.yamlsafe import YDict, line_of, load_yaml
from csmlint.parsing.yamlschema import validate
from csmlint.rulepack.conditions import ConditionError, compile_condition
from csmlint.rulepack.conventions import check_conventions
from csmlint.rulepack.manifest import Trust
from csmlint.rulepack.paths import PathError, compile_path
from csmlint.rulepack.rule import Reference, Rule, ScopeCode, Variant
from csmlint.rulepack.template import Template, TemplateError, compile_template

PACK_FILE = "pack.yaml"
DEFAULT_UNKNOWN_SEVERITY = "note"
MAX_PACK_FILE_BYTES = 2 * 1024 * 1024
"""Largest rule file read (the shipped ones are a few KB)."""


def shipped_rules_dir() -> Path:
    """The packs shipped with csmlint (inside the wheel, or the repository's ``rules/``)."""
    here = Path(__file__).resolve().parent.parent
    bundled = here / "_rules"
    if bundled.is_dir():
        return bundled
    return here.parent / "rules"


def load_rules(sources: Sequence[str | os.PathLike[str]] | None = None) -> list[Rule]:
    """Load every rule of the shipped packs plus ``sources`` (folders or files)."""
    shipped = shipped_rules_dir()
    trust = Trust(shipped)
    roots: list[Path] = [shipped]
    roots.extend(Path(s) for s in sources or ())
    rules: list[Rule] = []
    by_id: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    for root in roots:
        if not root.exists():
            raise RulePackError("no such rule pack file or folder", path=str(root))
        for pack_name, files in _packs(root, trust):
            for file in files:
                for rule in _load_file(file, pack_name, trust):
                    for index, key in ((by_id, rule.id), (by_name, rule.name)):
                        first = index.get(key)
                        if first is not None:
                            raise RulePackError(
                                f"duplicate rule {'id' if index is by_id else 'name'} {key!r} "
                                f"(first in {first.path}:{first.line})",
                                path=rule.path,
                                line=rule.line,
                                rule_id=rule.id,
                            )
                        index[key] = rule
                    rules.append(rule)
    rules.sort(key=lambda r: r.id)
    return rules


def _packs(root: Path, trust: Trust) -> Iterable[tuple[str, list[Path]]]:
    problem = not_a_file(str(root))
    if problem is not None and not root.is_dir():
        raise RulePackError(problem, path=str(root))
    if root.is_file():
        yield root.stem, [root]
        return
    if (root / PACK_FILE).is_file():
        yield _pack_name(root, trust), _rule_files(root)
        return
    subpacks = sorted(p for p in root.iterdir() if p.is_dir() and (p / PACK_FILE).is_file())
    if subpacks:
        for sub in subpacks:
            yield _pack_name(sub, trust), _rule_files(sub)
        return
    yield root.name, _rule_files(root)


def _rule_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and p.name != PACK_FILE and p.is_file()
    )


def _pack_name(folder: Path, trust: Trust) -> str:
    path = folder / PACK_FILE
    data, checked = _read(path, trust)
    if not isinstance(data, dict):
        raise RulePackError(
            "pack.yaml must be a mapping with 'pack' and 'title'", path=str(path), line=1
        )
    if not checked:
        validate(data, "pack", path=str(path))
    return str(data["pack"])


def _read(path: Path, trust: Trust) -> tuple[Any, bool]:
    """The parsed file, and whether its exact bytes were schema-checked (see manifest)."""
    try:
        with open_regular(str(path)) as fh:
            raw = fh.read(MAX_PACK_FILE_BYTES + 1)
    except OSError as exc:
        raise RulePackError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if len(raw) > MAX_PACK_FILE_BYTES:
        raise RulePackError(f"larger than {MAX_PACK_FILE_BYTES} bytes", path=str(path))
    return load_yaml(raw, str(path)), trust.checked(path, raw)


def _load_file(path: Path, pack: str, trust: Trust) -> list[Rule]:
    data, checked = _read(path, trust)
    if not isinstance(data, dict):
        raise RulePackError(
            "a rule file must be a mapping (one rule, or 'rules: [...]')",
            path=str(path),
            line=line_of(data) or 1,
        )
    if "rules" in data:
        if not checked:
            validate(data, "ruleFile", path=str(path))
        items = list(data["rules"])
        pack = str(data.get("pack", pack))
    else:
        items = [data]
    out = []
    for item in items:
        rule_id = item.get("id") if isinstance(item.get("id"), str) else None
        if not checked:
            validate(item, "rule", path=str(path), rule_id=rule_id)
        out.append(_compile(item, pack, str(path)))
        if not checked:
            check_conventions(item, Path(path), single="rules" not in data)
    return out


def _compile(spec: YDict, pack: str, path: str) -> Rule:
    rule_id = str(spec["id"])

    def fail(message: str, line: int | None) -> RulePackError:
        return RulePackError(message, path=path, line=line or spec.line, rule_id=rule_id)

    builtin = bool(spec.get("builtin", False))
    raw_scope = spec.get("scope", [])
    scopes = tuple([raw_scope] if isinstance(raw_scope, str) else raw_scope)
    data = dict(spec.get("data") or {})
    remediation = spec["remediation"]
    commands = tuple(str(c) for c in remediation.get("commands", []))
    on_unknown = spec.get("onUnknown")
    variants = list(spec.get("variants") or [])
    code: dict[str, ScopeCode] = {}
    for scope in scopes:
        cls = SCOPES[scope][0]

        def tmpl(text: str, where: str, line: int | None, cls: type = cls) -> Template:
            try:
                return compile_template(text, cls, data)
            except TemplateError as exc:
                raise fail(f"{where}: {exc}", line) from None

        def cond(
            value: Any, where: str, line: int | None, cls: type = cls, scope: str = scope
        ) -> Any:
            try:
                return compile_condition(value, cls)
            except ConditionError as exc:
                raise fail(f"{where}: {exc} (scope {scope})", exc.line or line) from None

        at = None
        if "at" in spec:
            try:
                at = compile_path(cls, cls, str(spec["at"]))
            except PathError as exc:
                raise fail(f"at: {exc}", line_of(spec, "at")) from None
        code[scope] = ScopeCode(
            when=cond(spec["when"], "when", line_of(spec, "when")),
            at=at,
            message=tmpl(str(spec["message"]), "message", line_of(spec, "message")),
            remediation=tmpl(
                str(remediation["text"]), "remediation.text", line_of(remediation, "text")
            ),
            commands=tuple(
                tmpl(c, f"remediation.commands[{i}]", line_of(remediation.get("commands"), i))
                for i, c in enumerate(commands)
            ),
            unknown_message=(
                tmpl(
                    str(on_unknown["message"]), "onUnknown.message", line_of(on_unknown, "message")
                )
                if on_unknown
                else None
            ),
            variant_whens=tuple(
                cond(v["when"], f"variants[{i}].when", line_of(v, "when"))
                for i, v in enumerate(variants)
            ),
            variant_messages=tuple(
                tmpl(str(v["message"]), f"variants[{i}].message", line_of(v, "message"))
                if "message" in v
                else None
                for i, v in enumerate(variants)
            ),
            unknown_remediation=(
                _remediation(on_unknown["remediation"], "onUnknown.remediation", tmpl)
                if on_unknown and "remediation" in on_unknown
                else None
            ),
            variant_remediations=tuple(
                _remediation(v["remediation"], f"variants[{i}].remediation", tmpl)
                if "remediation" in v
                else None
                for i, v in enumerate(variants)
            ),
        )
    refs = tuple(
        Reference(title=str(r["title"]), url=r.get("url"), seed=r.get("seed"))
        for r in spec["references"]
    )
    urls = [r.url for r in refs if r.url]
    return Rule(
        id=rule_id,
        name=str(spec["name"]),
        title=str(spec["title"]),
        severity=str(spec["severity"]),
        category=str(spec["category"]),
        migration=str(spec["migration"]),
        scopes=scopes,
        message=str(spec["message"]),
        rationale=str(spec["rationale"]),
        remediation=str(remediation["text"]),
        commands=commands,
        references=refs,
        help_uri=str(spec.get("helpUri") or (urls[0] if urls else "")),
        tags=tuple(str(t) for t in spec.get("tags", [])),
        pack=pack,
        path=path,
        line=spec.line,
        data=data,
        unknown_severity=(
            str(on_unknown.get("severity", DEFAULT_UNKNOWN_SEVERITY)) if on_unknown else None
        ),
        unknown_message=str(on_unknown["message"]) if on_unknown else None,
        merge_into=tuple(str(x) for x in (on_unknown or {}).get("mergeInto", ())),
        variants=tuple(
            Variant(
                severity=v.get("severity"),
                category=v.get("category"),
                migration=v.get("migration"),
                message=v.get("message"),
                condition=json.dumps(v["when"], separators=(", ", ": ")),
                when=v["when"],
                remediation=str(v["remediation"]["text"]) if "remediation" in v else None,
                commands=tuple(str(c) for c in (v.get("remediation") or {}).get("commands", [])),
            )
            for v in variants
        ),
        when=spec.get("when"),
        builtin=builtin,
        enabled=bool(spec.get("enabled", True)),
        deprecated=bool(spec.get("deprecated", False)),
        code=code,
    )


def _remediation(
    spec: Any, where: str, tmpl: Callable[[str, str, int | None], Template]
) -> tuple[Template, tuple[Template, ...]]:
    commands = spec.get("commands") or []
    return (
        tmpl(str(spec["text"]), f"{where}.text", line_of(spec, "text")),
        tuple(
            tmpl(str(c), f"{where}.commands[{i}]", line_of(commands, i))
            for i, c in enumerate(commands)
        ),
    )
