"""The rule fixture harness, shared by the test suite and rule-pack authors.

A case is a folder ``fixtures/rules/<ID>-<name>/<case>/`` of real-looking inputs. The
harness runs the rule alone over the case and compares its findings with annotations:

* XML comments bound to the next element (or trailing on the same line)::

      <!-- expect: CSM127 -->   <!-- ok: CSM127 -->
      <!-- todo-expect: CSM127 -->   <!-- todo-ok: CSM127 -->

* a sidecar ``<file>.expect.yaml`` (any input, required for JSON) with lists of
  ``<rule id> <json pointer>`` or ``<rule id> line <n>`` under ``expect``, ``ok``,
  ``todo-expect`` and ``todo-ok``.

Every ``expect`` must be found, no finding may sit on an ``ok``, a ``todo-expect`` that is
found must be promoted, and any finding nobody annotated fails the case.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from csmlint.engine import RunOptions, run
from csmlint.errors import InputError
from csmlint.findings.finding import Finding
from csmlint.parsing.xmlsafe import parse_xml
from csmlint.parsing.yamlsafe import load_yaml
from csmlint.records import field, record
from csmlint.rulepack.rule import Rule

VERBS = ("expect", "ok", "todo-expect", "todo-ok")
_COMMENT = re.compile(r"^\s*(expect|ok|todo-expect|todo-ok)\s*:\s*(.+?)\s*$", re.S)
_ENTRY = re.compile(r"^(CSM\d{3})\s+(?:line\s+(\d+)|(/.*|))$")
XML_SUFFIXES = (".csdef", ".cscfg", ".netcfg", ".xml")
SIDE = ".expect.yaml"

Key = tuple[str, str]  # (file, "line 12" | "#/json/pointer")


@record
class Expectations:
    by_verb: dict[str, set[tuple[str, Key]]] = field(
        default_factory=lambda: {v: set() for v in VERBS}
    )
    problems: list[str] = field(default_factory=list)

    def add(self, verb: str, rule_id: str, key: Key) -> None:
        self.by_verb[verb].add((rule_id, key))

    def rule_ids(self) -> set[str]:
        return {rid for items in self.by_verb.values() for rid, _ in items}


def _line_key(path: str, line: int) -> Key:
    return (path, f"line {line}")


def finding_key(f: Finding) -> Key:
    loc = f.location
    if loc.pointer is not None and loc.line is None:
        return (loc.path, f"#{loc.pointer}")
    if loc.pointer is not None:
        return (loc.path, f"#{loc.pointer}")
    return _line_key(loc.path, loc.line or 1)


def read_expectations(case_dir: Path) -> Expectations:
    exp = Expectations()
    for path in sorted(p for p in case_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(case_dir).as_posix()
        if rel.endswith(SIDE):
            _sidecar(path, rel[: -len(SIDE)], exp)
        elif path.suffix.lower() in XML_SUFFIXES:
            _xml(path, rel, exp)
    return exp


def _xml(path: Path, rel: str, exp: Expectations) -> None:
    data = path.read_bytes()
    try:
        doc = parse_xml(data)
    except InputError:
        return  # a broken input carries its expectations in a sidecar
    for comment in doc.comments():
        m = _COMMENT.match(comment.text)
        if not m:
            continue
        verb, ids = m.group(1), [i.strip() for i in m.group(2).split(",") if i.strip()]
        if comment.target_line is None:
            exp.problems.append(f"{rel}:{comment.line}: annotation binds to no element")
            continue
        for rid in ids:
            if not re.fullmatch(r"CSM\d{3}", rid):
                exp.problems.append(f"{rel}:{comment.line}: not a rule id: {rid!r}")
                continue
            exp.add(verb, rid, _line_key(rel, comment.target_line))


def _sidecar(path: Path, target: str, exp: Expectations) -> None:
    data = load_yaml(path.read_bytes(), str(path)) or {}
    if not isinstance(data, dict):
        exp.problems.append(f"{path.name}: must be a mapping of verb -> entries")
        return
    for verb, entries in data.items():
        if verb not in VERBS:
            exp.problems.append(f"{path.name}: unknown verb {verb!r}")
            continue
        for entry in entries or []:
            m = _ENTRY.match(str(entry).strip())
            if not m:
                exp.problems.append(
                    f"{path.name}: bad entry {entry!r} "
                    "(want '<rule id> <json pointer>' or '<rule id> line <n>')"
                )
                continue
            if m.group(2):
                exp.add(verb, m.group(1), _line_key(target, int(m.group(2))))
            else:
                exp.add(verb, m.group(1), (target, f"#{m.group(3)}"))


@record
class CaseResult:
    findings: list[Finding]
    expectations: Expectations
    failures: list[str]


def run_case(case_dir: Path, rule: Rule, rules: list[Rule]) -> CaseResult:
    """Run ``rule`` alone over ``case_dir`` and check every annotation."""
    exp = read_expectations(case_dir)
    options = _case_options(case_dir)
    select = [rule.id, *options.pop("select", [])]
    result, _ = run(
        RunOptions(paths=["."], select=select, cwd=str(case_dir), **options), rules=rules
    )
    relevant = [f for f in result.active if f.rule_id == rule.id or f.rule_id == "CSM000"]
    failures = list(exp.problems)
    got: dict[tuple[str, Key], Finding] = {}
    for f in relevant:
        got[(f.rule_id, _relative(finding_key(f), case_dir))] = f
    verbs = exp.by_verb
    for item in sorted(verbs["expect"]):
        if item not in got:
            failures.append(f"missing expected {item[0]} at {_show(item[1])}")
    for item in sorted(verbs["todo-expect"]):
        if item in got:
            failures.append(
                f"todo-expect {item[0]} at {_show(item[1])} is now found: promote it to expect"
            )
    allowed = verbs["expect"] | verbs["todo-ok"]
    for item, f in sorted(got.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if item in verbs["ok"]:
            failures.append(
                f"{item[0]} reported on an 'ok' element at {_show(item[1])}: {f.message}"
            )
        elif item not in allowed:
            failures.append(f"unannotated {item[0]} at {_show(item[1])}: {f.message}")
    return CaseResult(relevant, exp, failures)


def _relative(key: Key, case_dir: Path) -> Key:
    path = key[0]
    if os.path.isabs(path):
        path = os.path.relpath(path, case_dir).replace(os.sep, "/")
    return (path, key[1])


def _show(key: Key) -> str:
    return (
        f"{key[0]}:{key[1].removeprefix('line ')}"
        if key[1].startswith("line ")
        else f"{key[0]}{key[1]}"
    )


def _case_options(case_dir: Path) -> dict[str, Any]:
    case_file = case_dir / "case.yaml"
    if not case_file.is_file():
        return {}
    data = load_yaml(case_file.read_bytes(), str(case_file)) or {}
    opts = data.get("options", {}) if isinstance(data, dict) else {}
    allowed = {
        "targetVnet": "target_vnet",
        "topology": "topology",
        "alsoRun": "select",
        "today": "today",
    }
    out: dict[str, Any] = {}
    for key, value in opts.items():
        if key not in allowed:
            raise ValueError(f"{case_file}: unknown option {key!r}")
        out[allowed[key]] = date.fromisoformat(str(value)) if key == "today" else value
    return out


@record
class PackOutcome:
    """What ``csmlint test-pack`` found: one line per case, and the failures."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cases: int = 0


def run_pack(pack: Path, fixtures: Path, rules: list[Rule]) -> PackOutcome:
    """Run every fixture case of the rules defined under ``pack`` (cases in
    ``fixtures/<ID>-<name>/<case>/``, as for the shipped packs): each case must pass its
    annotations, and each rule needs a case where it fires and one where it stays silent."""
    root = pack.resolve()
    own = [r for r in rules if Path(r.path).resolve().is_relative_to(root)]
    out = PackOutcome()
    for rule in own:
        folder = fixtures / f"{rule.id}-{rule.name}"
        if not folder.is_dir():
            out.failures.append(f"FAIL {rule.id} {rule.name}: no fixture folder {folder}")
            continue
        fired = silent = 0
        for case in sorted(p for p in folder.iterdir() if p.is_dir()):
            out.cases += 1
            result = run_case(case, rule, rules)
            name = f"{folder.name}/{case.name}"
            if result.failures:
                out.failures += [f"FAIL {name}: {problem}" for problem in result.failures]
                continue
            out.lines.append(f"ok   {name}")
            if rule.id in {rid for rid, _ in result.expectations.by_verb["expect"]}:
                fired += 1
            elif not any(f.rule_id == rule.id for f in result.findings):
                silent += 1
        if not fired:
            out.failures.append(f"FAIL {rule.id} {rule.name}: no passing case where it fires")
        if not silent:
            out.failures.append(
                f"FAIL {rule.id} {rule.name}: no passing case where it stays silent"
            )
    return out
