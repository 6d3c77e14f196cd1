"""Findings for the messages of linted Validate/Prepare responses, through the platform error
catalogue (``rules/diagnose/``).

* A message that attaches to no deployment of the run: a recognised one is a finding of the
  rule the catalogue maps it to, at the line of its ``Message``; any other is ``CSM002``.
* A message a deployment owns (``migration.lastValidation``): the deployment's rules report
  the recognised ones; one the catalogue does not know is ``CSM002`` too, so no message of
  a failed validation is silent.

``CSM002``'s severity follows the message's category (Validate fails on an ``Error``; a
``Warning`` does not stop it); ``Information`` messages (``... is ready for migration``)
report nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from csmlint.findings.finding import Finding, Remediation
from csmlint.model.azure.naming import hints
from csmlint.model.cloud import Deployment, ValidationMessage
from csmlint.model.estate import Estate, vnet_unit_id
from csmlint.rulepack.evaluate import context_of
from csmlint.rulepack.platform.catalog import Catalog, load_catalog
from csmlint.rulepack.platform.match import Message, collapse, fill, recognise
from csmlint.rulepack.rule import Rule

UNRECOGNISED = "CSM002"
_SEVERITY = {"error": "error", "warning": "warning"}


def validation_findings(
    unattached: Iterable[ValidationMessage],
    estate: Estate,
    rules: list[Rule],
    catalog: Catalog | None = None,
    prefer: frozenset[str] | set[str] | None = None,
) -> list[Finding]:
    """One finding per message that needs one, for the rules among ``rules`` (those that run).

    The same message can come twice: from an export, and from a topology document that
    ``csmlint import`` made of it (kept under ``x-unmatched``). It is reported once, located
    in a file of ``prefer`` (the files named on the command line) when one holds it, else
    where it was seen first."""
    by_id = {r.id: r for r in rules}
    owned = [
        (m, d)
        for d in estate.deployments
        if isinstance(d.last_validation, list)
        for m in d.last_validation
    ]
    cat = catalog if catalog is not None else load_catalog()
    loose: dict[tuple[str | None, ...], ValidationMessage] = {}
    for m in unattached:
        same = (collapse(m.message), m.resource_type, m.resource_name, m.vm_name, m.category)
        kept = loose.get(same)
        if kept is None or (prefer and _path(m) in prefer and _path(kept) not in prefer):
            loose[same] = m
    out = [_finding(m, by_id, cat, None) for m in loose.values()]
    out += [_finding(m, by_id, cat, d) for m, d in owned]
    return [f for f in out if f is not None]


def _path(m: ValidationMessage) -> str | None:
    return m.src.path if m.src is not None else None


def _finding(
    vm: ValidationMessage, rules: dict[str, Rule], cat: Catalog, owner: Deployment | None
) -> Finding | None:
    """``owner``: the deployment whose ``lastValidation`` holds the message, if any."""
    if (vm.category or "").lower().startswith("info") or vm.src is None:
        return None
    text = collapse(vm.message)
    message = Message(text, None, vm.resource_type, vm.resource_name, vm.vm_name, vm.category)
    result = recognise(message, cat)
    about = _about(vm)
    known = result.error
    if known is not None and owner is not None:
        return None  # the deployment's own rules report it
    if known is not None:
        rule = next((rules[i] for i in known.rules if i in rules), None)
        if rule is None:
            return None
        commands = tuple(fill(c, result.names, cat.placeholders) for c in known.commands)
        where = hints("\n".join(commands), known.remediation)
        return _make(
            rule,
            vm,
            f'Validate reported {about}: "{text}" ({known.title})',
            Remediation(known.remediation, commands, where),
            severity=rule.severity,
            category=rule.category,
            tag=known.id,
            owner=owner,
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
        category="blocker" if severity == "error" else "advisory",
        tag="unrecognised",
        owner=owner,
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
    owner: Deployment | None,
) -> Finding:
    assert vm.src is not None
    cs, vnet, unit = context_of(owner) if owner is not None else (None, None, None)
    if unit is None and vnet:
        unit = vnet_unit_id(vnet)
    sub = cs.subscription if cs is not None else None
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
        cloud_service=cs.name if cs is not None else None,
        service_key=cs.key if cs is not None else None,
        virtual_network=vnet,
        unit=unit,
        subscription=(sub.key or sub.id) if sub is not None else None,
        entity_key=f"{vm.key}#{tag}",
    )
