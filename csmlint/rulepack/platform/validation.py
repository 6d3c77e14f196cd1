"""Findings for Validate/Prepare response messages that attach to no deployment of the run:
each message goes through the platform error catalogue. A recognised message is a finding of
the rule the catalogue maps it to; any other message is a finding of ``CSM002`` (its severity
follows the message's category: Validate fails on an ``Error``)."""

from __future__ import annotations

from collections.abc import Iterable

from csmlint.findings.finding import Finding, Remediation
from csmlint.model.cloud import ValidationMessage
from csmlint.rulepack.platform.catalog import Catalog, load_catalog
from csmlint.rulepack.platform.match import Message, collapse, fill, recognise
from csmlint.rulepack.rule import Rule

UNRECOGNISED = "CSM002"
_SEVERITY = {"error": "error", "warning": "warning"}


def validation_findings(
    messages: Iterable[ValidationMessage], rules: list[Rule], catalog: Catalog | None = None
) -> list[Finding]:
    """One finding per message whose rule is among ``rules`` (the rules that run)."""
    by_id = {r.id: r for r in rules}
    out: list[Finding] = []
    cat: Catalog | None = catalog
    for vm in messages:
        cat = cat if cat is not None else load_catalog()
        found = _finding(vm, by_id, cat)
        if found is not None:
            out.append(found)
    return out


def _finding(vm: ValidationMessage, rules: dict[str, Rule], cat: Catalog) -> Finding | None:
    text = collapse(vm.message)
    message = Message(text, None, vm.resource_type, vm.resource_name, vm.vm_name, vm.category)
    result = recognise(message, cat)
    about = _about(vm)
    known = result.error
    if known is not None:
        rule = next((rules[i] for i in known.rules if i in rules), None)
        if rule is None:
            return None
        commands = tuple(fill(c, result.names, cat.placeholders) for c in known.commands)
        return _make(
            rule,
            vm,
            f'Validate reported {about}: "{text}" ({known.title})',
            Remediation(known.remediation, commands),
            severity=rule.severity,
            category=rule.category,
            tag=known.id,
        )
    rule = rules.get(UNRECOGNISED)
    if rule is None:
        return None
    severity = _SEVERITY.get((vm.category or "error").lower(), "note")
    return _make(
        rule,
        vm,
        f'Validate reported {about} that csmlint does not recognise: "{text}"',
        Remediation(rule.remediation),
        severity=severity,
        category="blocker" if severity == "error" else rule.category,
        tag="unrecognised",
    )


def _about(vm: ValidationMessage) -> str:
    """``an error for Deployment 'web-prod' (VM 'vm1')``."""
    what = {"error": "an error", "warning": "a warning"}.get(
        (vm.category or "").lower(), "a message"
    )
    kind = vm.resource_type or "a resource"
    where = f"{kind} '{vm.resource_name}'" if vm.resource_name else kind
    if vm.vm_name:
        where += f" (VM '{vm.vm_name}')"
    return f"{what} for {where}"


def _make(
    rule: Rule,
    vm: ValidationMessage,
    message: str,
    fix: Remediation,
    *,
    severity: str,
    category: str,
    tag: str,
) -> Finding:
    assert vm.src is not None
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=severity,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        migration=rule.migration,
        message=message,
        location=vm.src,
        remediation=fix,
        help_uri=rule.help_uri,
        entity_key=f"{vm.key}#{tag}",
    )
