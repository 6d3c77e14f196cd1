"""A diagnosis as text (for a person) or JSON (``csmlint.diagnose/v1``, for automation)."""

from __future__ import annotations

import json
from typing import Any

from csmlint.findings.commands import block_label, command_blocks
from csmlint.migration.diagnose import Diagnosis
from csmlint.rulepack.platform.catalog import Catalog
from csmlint.rulepack.platform.match import Recognised, fill

SCHEMA_ID = "csmlint.diagnose/v1"
REFERENCE = (
    "Common errors during classic to Azure Resource Manager migration",
    "https://learn.microsoft.com/azure/virtual-machines/migration-classic-resource-manager-errors",
)
LOCK_REFERENCE = (
    "Azure Cloud Services update fails during a migration",
    "https://learn.microsoft.com/troubleshoot/azure/cloud-services/classic/deploy/"
    "failed-update-ongoing-migration-process",
)


def as_dict(result: Recognised, catalog: Catalog) -> dict[str, Any]:
    msg = result.message
    out: dict[str, Any] = {"message": msg.text, "code": msg.code, "recognised": False}
    known = result.error
    if known is None:
        out["closest"] = [{"id": k.id, "title": k.title, "code": k.code} for k in result.closest]
        return out
    state = catalog.states[known.state]
    names, ph = result.names, catalog.placeholders
    if result.by_code:
        out["fromCodeOnly"] = True
    out.update(
        recognised=True,
        id=known.id,
        title=known.title,
        errorCode=known.code,
        names=dict(sorted(names.items())),
        state={"name": state.key, "summary": state.summary},
        options=[
            {
                "name": o.name,
                "does": o.does,
                "costs": o.costs,
                "commands": [fill(c, names, ph) for c in o.commands],
            }
            for o in state.options
        ],
        rules=list(known.rules),
        remediation=known.remediation,
        commands=[fill(c, names, ph) for c in known.commands],
        reference=dict(zip(("title", "url"), known.see or _ref(known.state), strict=True)),
    )
    return out


def _ref(state: str) -> tuple[str, str]:
    """The page of a message the catalogue gives none for (classic IaaS errors, or the
    update-during-migration page while resources are locked)."""
    return LOCK_REFERENCE if state in ("prepared", "committing") else REFERENCE


def render_json(diagnosis: Diagnosis) -> str:
    doc = {
        "schema": SCHEMA_ID,
        "recognised": diagnosis.recognised,
        "validationPassed": diagnosis.passed,
        "messages": [as_dict(r, diagnosis.catalog) for r in diagnosis.results],
        "information": [m.text for m in diagnosis.information],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_text(diagnosis: Diagnosis) -> str:
    blocks = [_block(as_dict(r, diagnosis.catalog)) for r in diagnosis.results]
    info = diagnosis.information
    if diagnosis.passed:
        blocks.append(
            f"validation passed: the response holds {len(info)} information message(s) and "
            "no error or warning; nothing blocks this resource (after a Validate, Prepare "
            "comes next).\n"
        )
    elif info:
        blocks.append(f"information: {len(info)} message(s) with nothing to fix.\n")
    return "\n".join(blocks)


SHOWN_CHARS = 400
"""A message longer than this is shown clipped in the text form (JSON keeps it whole)."""


def _block(d: dict[str, Any]) -> str:
    text = d["message"]
    if len(text) > SHOWN_CHARS:
        text = f"{text[:SHOWN_CHARS]}... ({len(d['message'])} characters)"
    lines = [f"message: {text}"]
    if not d["recognised"]:
        lines.append("not recognised: no known migration error matches this message")
        lines.append("closest known errors:")
        lines += [f"  - {c['id']}: {c['title']}" for c in d["closest"]]
        return "\n".join(lines) + "\n"
    code = f" ({d['errorCode']})" if d.get("errorCode") else ""
    lines.append(f"recognised: {d['title']}{code} [{d['id']}]")
    if d.get("fromCodeOnly"):
        lines.append(
            "from the error code alone: this is what it means during a migration (other "
            "operations use the same code); give the whole message to be sure and to fill in "
            "the names"
        )
    if d["names"]:
        lines.append("names: " + ", ".join(f"{k}={v}" for k, v in d["names"].items()))
    lines.append(f"migration state: {d['state']['name']}: {d['state']['summary']}")
    for option in d["options"]:
        lines.append(f"  {option['name']}: {option['does']} Cost: {option['costs']}")
        lines += [f"      {c}" for c in option["commands"]]  # no prompt: pastes as is
    lines.append(f"rule: {', '.join(d['rules'])}")
    lines.append(f"remediation: {d['remediation']}")
    blocks = command_blocks(d["commands"])
    for n, block in enumerate(blocks, start=1):  # a check never pasted with its change
        lines += [f"      {block_label(blocks, n)}", *(f"      {c}" for c in block)]
    ref = d["reference"]
    lines.append(f"see: {ref['title']} <{ref['url']}>")
    return "\n".join(lines) + "\n"
