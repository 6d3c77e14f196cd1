"""``csmlint diagnose``: platform error messages explained from the catalogue in
``rules/diagnose/`` (what the error is, the migration state it implies, the rule it maps to,
the remediation with the names from the message or visible placeholders).

Exit codes (decided by the CLI from :attr:`Diagnosis.recognised`): 0 every message
recognised, 1 at least one not recognised, 2 usage (nothing to read, unreadable document)."""

from __future__ import annotations

from dataclasses import dataclass

from csmlint.migration.diagnose.inputs import messages_from
from csmlint.rulepack.platform.catalog import Catalog, load_catalog
from csmlint.rulepack.platform.match import Message, Recognised, recognise

__all__ = ["Diagnosis", "Message", "Recognised", "diagnose", "diagnose_messages", "load_catalog"]


@dataclass(frozen=True, slots=True)
class Diagnosis:
    results: tuple[Recognised, ...]
    catalog: Catalog

    @property
    def recognised(self) -> bool:
        return bool(self.results) and all(r.error is not None for r in self.results)


def diagnose(data: bytes, catalog: Catalog | None = None) -> Diagnosis:
    """Every message in ``data`` (text, status JSON or a Validate/Prepare response)."""
    return diagnose_messages(messages_from(data), catalog)


def diagnose_messages(messages: list[Message], catalog: Catalog | None = None) -> Diagnosis:
    cat = catalog if catalog is not None else load_catalog()
    return Diagnosis(tuple(recognise(m, cat) for m in messages), cat)
