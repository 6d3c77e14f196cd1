"""JUnit XML for Azure DevOps ``PublishTestResults@2`` (``testResultsFormat: JUnit``), Jenkins
and GitLab.

Mapping (also in ``docs/ci.md``):

* one ``<testsuite>`` per cloud service (``classname`` = the service name); findings tied to
  no cloud service go to one suite per virtual network (``vnet <name>``) or, failing that, per
  file (``classname`` = the file);
* one ``<testcase>`` per finding, named ``<ruleId> <ruleName> <entity> in <file>`` (the
  logical entity, no line number, so a test keeps its history in CI when lines move; a
  second finding of the same name in a suite gets `` (2)``), with ``file`` and ``line``
  attributes (GitLab and Jenkins link them; the location is in the failure text too):

  - ``error`` and ``warning`` findings fail: ``<failure type="<severity>" message=...>`` with
    the location, remediation, commands and help link as text;
  - ``note`` findings (mostly "a deciding fact is unknown") are ``<skipped>``: Azure DevOps
    shows them as *Not executed* (the check could not be decided, or is advice), visible
    but not failing the task. With ``--fail-on note`` they fail like the others, so the test
    run never disagrees with the exit code;
  - suppressed findings pass, with the suppression and its justification in
    ``<system-out>``;
* one passing ``<testcase>`` per rule that ran and found nothing, in the suite
  ``csmlint rules without findings``.

Counts (``tests``, ``failures``, ``errors``, ``skipped``) are attributes of each suite and of
``<testsuites>``. ``time`` is ``0`` and there is no ``timestamp``, so reports are
deterministic. Built with :mod:`xml.etree.ElementTree`; text is stripped of characters XML
1.0 cannot hold.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from csmlint.findings.finding import Finding, ReportContext, RunResult
from csmlint.records import field, record
from csmlint.reporting.escape import visible, xml_text
from csmlint.reporting.uris import is_file_path
from csmlint.rulepack.rule import Rule

CLEAN_SUITE = "csmlint rules without findings"
MAX_ATTRIBUTE = 1000


@record
class _Suite:
    name: str
    cases: list[ET.Element] = field(default_factory=list)
    failures: int = 0
    skipped: int = 0
    names: set[str] = field(default_factory=set)


def _text(value: str, *, newlines: bool = False) -> str:
    return xml_text(visible(value, newlines=newlines))


def _attr(value: str) -> str:
    text = _text(value)
    return text if len(text) <= MAX_ATTRIBUTE else text[: MAX_ATTRIBUTE - 1] + "…"


def _where(f: Finding) -> str:
    loc = f.location
    if not is_file_path(loc.path):
        return loc.pointer or f.entity_key or "estate"
    if loc.line is not None:
        return f"{loc.path}:{loc.line}"
    return f"{loc.path}#{loc.pointer}" if loc.pointer else loc.path


def _suite_name(f: Finding, labels: dict[str, str]) -> tuple[str, str]:
    """(suite name, classname); ``labels`` name cloud services by service key."""
    if f.cloud_service:
        label = labels.get(f.service_key or "", f.cloud_service)
        return f"cloud service {label}", label
    if f.virtual_network:
        return f"virtual network {f.virtual_network}", f"vnet {f.virtual_network}"
    where = f.location.path if is_file_path(f.location.path) else "estate"
    return f"file {where}", where


def _details(f: Finding) -> str:
    lines = [f"{f.severity} {f.rule_id} {f.rule_name}: {f.message}", f"at {_where(f)}"]
    if f.location.pointer and is_file_path(f.location.path):
        lines.append(f"pointer {f.location.pointer}")
    lines.append(f"category: {f.category}, migration: {f.migration}")
    if f.remediation.text:
        lines += ["", f"Fix: {f.remediation.text}"]
    lines += [f"  $ {c}" for c in f.remediation.commands]
    if f.help_uri:
        lines += ["", f"Help: {f.help_uri}"]
    return "\n".join(lines)


def _name(f: Finding) -> str:
    """A test name stable across line moves: rule, logical entity and file."""
    loc = f.location
    entity = f.entity_key or loc.pointer or ""
    where = loc.path if is_file_path(loc.path) else "estate"
    return (
        f"{f.rule_id} {f.rule_name} {entity} in {where}"
        if entity
        else f"{f.rule_id} {f.rule_name} in {where}"
    )


def _case(f: Finding, classname: str, fail_on: str, taken: set[str]) -> tuple[ET.Element, str]:
    """The test case of one finding and its outcome (failed | skipped | passed)."""
    base = name = _attr(_name(f))
    n = 2
    while name in taken:
        # The number goes after the clipped name: appended before clipping, it was cut
        # off again for a name over MAX_ATTRIBUTE and the loop never ended (fuzzing).
        suffix = f" ({n})"
        name = base[: MAX_ATTRIBUTE - len(suffix)] + suffix
        n += 1
    taken.add(name)
    attrs = {"classname": _attr(classname), "name": name, "time": "0"}
    if is_file_path(f.location.path):
        attrs["file"] = _attr(f.location.path)
        if f.location.line is not None:
            attrs["line"] = str(f.location.line)
    case = ET.Element("testcase", attrs)
    if f.suppression is not None:
        out = ET.SubElement(case, "system-out")
        reason = f.suppression.justification.strip() or "no justification given"
        out.text = _text(
            f"suppressed ({f.suppression.kind}): {reason}\n\n{_details(f)}", newlines=True
        )
        return case, "passed"
    if f.severity == "note" and not f.at_or_above(fail_on):
        skipped = ET.SubElement(case, "skipped", {"message": _attr(f"note: {f.message}")})
        skipped.text = _text(_details(f), newlines=True)
        return case, "skipped"
    failure = ET.SubElement(case, "failure", {"message": _attr(f.message), "type": f.severity})
    failure.text = _text(_details(f), newlines=True)
    return case, "failed"


def _suites(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> list[_Suite]:
    suites: dict[str, _Suite] = {}
    labels = {s.key: s.label for s in result.services}
    for s in result.services:
        name = f"cloud service {s.label}"
        suites.setdefault(name, _Suite(name))
    for f in sorted(result.findings, key=Finding.sort_key):
        name, classname = _suite_name(f, labels)
        suite = suites.setdefault(name, _Suite(name))
        case, outcome = _case(f, classname, ctx.fail_on, suite.names)
        suite.cases.append(case)
        suite.failures += outcome == "failed"
        suite.skipped += outcome == "skipped"
    fired = {f.rule_id for f in result.findings}
    clean = _Suite(CLEAN_SUITE)
    seen: set[str] = set()
    for r in sorted(rules, key=lambda r: r.id):
        if r.id in fired or r.id in seen:
            continue
        seen.add(r.id)
        clean.cases.append(
            ET.Element(
                "testcase",
                {"classname": "csmlint.rules", "name": _attr(f"{r.id} {r.name}"), "time": "0"},
            )
        )
    services = sorted(
        (s for n, s in suites.items() if n.startswith("cloud service ")), key=lambda s: s.name
    )
    others = sorted(
        (s for n, s in suites.items() if not n.startswith("cloud service ")),
        key=lambda s: s.name,
    )
    return [*services, *others, *([clean] if clean.cases else [])]


def render(result: RunResult, rules: Sequence[Rule], ctx: ReportContext) -> str:
    suites = _suites(result, rules, ctx)
    root = ET.Element("testsuites", {"name": "csmlint", "time": "0"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for i, s in enumerate(suites):
        counts = {
            "tests": len(s.cases),
            "failures": s.failures,
            "errors": 0,
            "skipped": s.skipped,
        }
        for k, v in counts.items():
            totals[k] += v
        el = ET.SubElement(
            root,
            "testsuite",
            {"name": _attr(s.name), "id": str(i), "time": "0"}
            | {k: str(v) for k, v in counts.items()},
        )
        el.extend(s.cases)
    # <testsuites> has no ``skipped`` attribute in the Jenkins schema; the suites carry it.
    root.attrib.update({k: str(v) for k, v in totals.items() if k != "skipped"})
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
