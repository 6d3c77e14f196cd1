"""The one rule loader: packs on disk -> validated, compiled :class:`Rule` objects.

A pack is a folder with a ``pack.yaml`` and one rule per ``<ID>-<name>.yaml`` file, or one
YAML file holding ``{pack, rules: [...]}``. Any problem stops the run with
``file:line: rule CSMnnn: what is wrong``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from csmlint.errors import RulePackError
from csmlint.model.estate import SCOPES
from csmlint.parsing.source import not_a_file, open_regular
from csmlint.parsing.yamlsafe import YDict, line_of, load_yaml
from csmlint.rulepack import cache
from csmlint.rulepack.conditions import ConditionError, compile_condition
from csmlint.rulepack.paths import PathError, compile_path
from csmlint.rulepack.rule import Fix, Reference, Rule, ScopeCode, ScopeCodes, Variant
from csmlint.rulepack.template import (
    Template,
    TemplateError,
    compile_template,
    deferred_template,
)

if TYPE_CHECKING:
    from pathlib import Path

    from csmlint.rulepack.manifest import Trust

PACK_FILE = "pack.yaml"
DEFAULT_UNKNOWN_SEVERITY = "note"
MAX_PACK_FILE_BYTES = 2 * 1024 * 1024
"""Largest rule file read (the shipped ones are a few KB)."""


def shipped_root() -> str:
    """The packs shipped with csmlint (inside the wheel, or the repository's ``rules/``).
    A plain path: a start whose packs come from the cache does not import ``pathlib`` (with
    ``urllib.parse`` and ``ipaddress``, 4 ms)."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    bundled = os.path.join(here, "_rules")
    return bundled if os.path.isdir(bundled) else os.path.join(os.path.dirname(here), "rules")


def load_rules(sources: Sequence[str | os.PathLike[str]] | None = None) -> list[Rule]:
    """Load every rule of the shipped packs plus ``sources`` (folders or files).

    The parsed and checked rule files come from the prepared-pack cache when the packs are
    unchanged (:mod:`csmlint.rulepack.cache`). Rules read from the files are compiled at
    once; rules from the cache compile each scope when a run first evaluates it.
    """
    roots = [shipped_root(), *(os.fspath(s) for s in sources or ())]
    where = cache.folder()
    cache_key = _cache_key(roots, where) if where is not None else None
    if where is not None and cache_key is not None:
        entries = cache.read(where, cache_key)
        if entries is not None:
            try:
                return _collect(_from_cache(entries))
            except (KeyError, TypeError, ValueError, IndexError, AttributeError, RulePackError):
                pass  # a damaged entry: load from the files and write it again
    entries = []
    rules = _collect(_from_files(roots, entries))
    if where is not None and cache_key is not None:
        cache.write(where, cache_key, entries)
    return rules


def _collect(loaded: Iterable[Rule]) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[tuple[str, str], Rule] = {}
    for rule in loaded:
        for what, key in (("id", rule.id), ("name", rule.name)):
            if (first := seen.setdefault((what, key), rule)) is not rule:
                where = f"(first in {first.path}:{first.line})"
                message = f"duplicate rule {what} {key!r} {where}"
                raise RulePackError(message, path=rule.path, line=rule.line, rule_id=rule.id)
        rules.append(rule)
    return sorted(rules, key=lambda r: r.id)


def _from_files(roots: list[str], entries: list[Any]) -> Iterator[Rule]:
    """Parse, check and compile every pack file; ``entries`` receives what the cache keeps.

    The checks (and the jsonschema-based validation) are imported here: a start whose packs
    come from the cache never needs them."""
    from pathlib import Path

    from csmlint.rulepack.manifest import Trust

    trust = Trust(Path(roots[0]))
    for root in map(Path, roots):
        if not root.exists():
            raise RulePackError("no such rule pack file or folder", path=str(root))
        packs = list(_packs(root, trust))
        if not any(files for _, files in packs):
            raise RulePackError(
                "no rules (a pack holds one <ID>-<name>.yaml per rule)", path=str(root)
            )
        for pack_name, files in packs:
            for file in files:
                pack, items, rules = _load_file(file, pack_name, trust)
                entries.append(
                    {"path": str(file), "pack": pack, "items": [cache.encode(i) for i in items]}
                )
                yield from rules


def _from_cache(entries: list[Any]) -> Iterator[Rule]:
    for entry in entries:
        for item in (cache.decode(i) for i in entry["items"]):
            yield _compile(item, str(entry["pack"]), str(entry["path"]), lazy=True)


def _cache_key(roots: list[str], where: str) -> str | None:
    """The cache key of the pack files under ``roots``, or ``None`` when they cannot all be
    listed and read (the uncached load then reports the problem)."""
    listing: list[tuple[str, str | None]] = []
    try:
        for root in roots:
            listing.append((f"root:{root}", None))
            listing.extend((path, path) for path in _layout(root))
    except OSError:
        return None
    return cache.key_of(where, listing)


def _layout(root: str) -> list[str]:
    """The files :func:`_packs` reads under ``root``, in order, without parsing them."""
    if os.path.isfile(root):
        return [root]
    if os.path.isfile(os.path.join(root, PACK_FILE)):
        return [os.path.join(root, PACK_FILE), *_rule_paths(root)]
    with os.scandir(root) as found:
        folders = sorted(e.path for e in found if e.is_dir())
    subpacks = [p for p in folders if os.path.isfile(os.path.join(p, PACK_FILE))]
    if subpacks:
        return [f for sub in subpacks for f in (os.path.join(sub, PACK_FILE), *_rule_paths(sub))]
    return _rule_paths(root)


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
    return [folder / os.path.basename(p) for p in _rule_paths(str(folder))]


def _rule_paths(folder: str) -> list[str]:
    with os.scandir(folder) as found:  # a directory entry knows its type: no stat per file
        names = [e.name for e in found if e.name != PACK_FILE and e.is_file()]
    ext = (".yaml", ".yml")
    return [os.path.join(folder, n) for n in sorted(names) if os.path.splitext(n)[1] in ext]


def _pack_name(folder: Path, trust: Trust) -> str:
    path = folder / PACK_FILE
    data, checked = _read(path, trust)
    if not isinstance(data, dict):
        raise RulePackError(
            "pack.yaml must be a mapping with 'pack' and 'title'", path=str(path), line=1
        )
    if not checked:
        from csmlint.parsing.yamlschema import validate

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


def _load_file(path: Path, pack: str, trust: Trust) -> tuple[str, list[YDict], list[Rule]]:
    """The pack name, the checked rule items and the compiled rules of one rule file."""
    from csmlint.parsing.yamlschema import validate
    from csmlint.rulepack.conventions import check_conventions

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
    rules = []
    for item in items:
        rule_id = item.get("id") if isinstance(item.get("id"), str) else None
        if not checked:
            validate(item, "rule", path=str(path), rule_id=rule_id)
        rules.append(_compile(item, pack, str(path)))
        if not checked:
            check_conventions(item, path, single="rules" not in data)
    return pack, items, rules


def _compile(spec: YDict, pack: str, path: str, *, lazy: bool = False) -> Rule:
    """The rule of one checked item. Its per-scope code is compiled now, or on first use when
    ``lazy`` (items from the cache, which this exact code compiled before: see the key)."""
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
    code = ScopeCodes(scopes, lambda scope: _scope_code(spec, scope, data, fail, checked=lazy))
    if not lazy:
        code.compile_all()
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
        after_commit=str(remediation.get("afterCommit") or ""),
        code=code,
    )


def _scope_code(
    spec: YDict,
    scope: str,
    data: dict[str, Any],
    fail: Callable[[str, int | None], RulePackError],
    *,
    checked: bool = False,
) -> ScopeCode:
    """Compile one rule's conditions, location path and templates for one scope.
    ``checked``: this code compiled them before (a rule from the cache): templates are
    compiled when first rendered, regular expressions when first matched."""
    remediation = spec["remediation"]
    commands = [str(c) for c in remediation.get("commands", [])]
    on_unknown = spec.get("onUnknown")
    variants = list(spec.get("variants") or [])
    cls = SCOPES[scope][0]

    def tmpl(text: str, where: str, line: int | None) -> Template:
        if checked:
            return deferred_template(text, cls, data)
        try:
            return compile_template(text, cls, data)
        except TemplateError as exc:
            raise fail(f"{where}: {exc}", line) from None

    def cond(value: Any, where: str, line: int | None) -> Any:
        try:
            return compile_condition(value, cls, checked=checked)
        except ConditionError as exc:
            raise fail(f"{where}: {exc} (scope {scope})", exc.line or line) from None

    at = None
    if "at" in spec:
        try:
            at = compile_path(cls, cls, str(spec["at"]))
        except PathError as exc:
            raise fail(f"at: {exc}", line_of(spec, "at")) from None
    return ScopeCode(
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
            tmpl(str(on_unknown["message"]), "onUnknown.message", line_of(on_unknown, "message"))
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
        after_commit=_after_commit(remediation, "remediation", tmpl),
    )


def _remediation(spec: Any, where: str, tmpl: Callable[[str, str, int | None], Template]) -> Fix:
    commands = spec.get("commands") or []
    return (
        tmpl(str(spec["text"]), f"{where}.text", line_of(spec, "text")),
        tuple(
            tmpl(str(c), f"{where}.commands[{i}]", line_of(commands, i))
            for i, c in enumerate(commands)
        ),
        _after_commit(spec, where, tmpl),
    )


def _after_commit(
    spec: Any, where: str, tmpl: Callable[[str, str, int | None], Template]
) -> Template | None:
    if "afterCommit" not in spec:
        return None
    return tmpl(str(spec["afterCommit"]), f"{where}.afterCommit", line_of(spec, "afterCommit"))
