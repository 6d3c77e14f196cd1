"""``csmlint diagnose``: platform error messages explained from the catalogue in
``rules/diagnose/`` (what the error is, the migration state it implies, the rule it maps to,
the remediation with the names from the message or visible placeholders).

A Validate/Prepare response's ``Information`` messages (``... is ready for migration``) are
not errors: they are kept apart (:attr:`Diagnosis.information`), and a response that holds
nothing else says validation passed.

Exit codes (decided by the CLI from :attr:`Diagnosis.recognised`): 0 every error message
recognised (or none, only information), 1 at least one not recognised, 2 usage (nothing to
read, unreadable document)."""

from __future__ import annotations

from csmlint.migration.diagnose.inputs import messages_from, pasted_lines, pasted_sentences
from csmlint.records import record
from csmlint.rulepack.platform.catalog import Catalog, KnownError, load_catalog
from csmlint.rulepack.platform.match import Message, Recognised, collapse, plain, recognise

__all__ = ["Diagnosis", "Message", "Recognised", "diagnose", "diagnose_messages", "load_catalog"]


@record(frozen=True)
class Diagnosis:
    results: tuple[Recognised, ...]
    catalog: Catalog
    information: tuple[Message, ...] = ()
    """``Information`` messages of a Validate/Prepare response: nothing to fix."""

    @property
    def recognised(self) -> bool:
        """Every error message is recognised (true for a response of information only)."""
        if not self.results:
            return bool(self.information)
        return all(r.error is not None for r in self.results)

    @property
    def passed(self) -> bool:
        """A Validate/Prepare response that holds information messages only."""
        return not self.results and bool(self.information)


def diagnose(data: bytes, catalog: Catalog | None = None) -> Diagnosis:
    """Every message in ``data`` (text, status JSON or a Validate/Prepare response). Pasted
    text whose lines are several recognised errors is read line by line; otherwise its
    lines are one message (the portal wraps long ones)."""
    cat = catalog if catalog is not None else load_catalog()
    by_line = [recognise(m, cat) for m in pasted_lines(data)]
    if sum(1 for r in by_line if r.error is not None) >= 2:
        return Diagnosis(tuple(by_line), cat, ())  # plain lines: no information messages
    whole = diagnose_messages(messages_from(data), cat)
    by_sentence = _sentences(pasted_sentences(data), cat)
    hits = sum(1 for r in by_sentence if r.error is not None)
    known = sum(1 for r in whole.results if r.error is not None)
    if len(by_sentence) > 1 and hits >= known:
        # errors pasted one per line: each diagnosed on its own, so that none hides
        # behind a recognised one
        return Diagnosis(tuple(by_sentence), cat, ())
    return whole


def _sentences(parts: list[Message], cat: Catalog) -> list[Recognised]:
    """Each part recognised on its own, except a part that continues the recognised error
    before it (its words are in that error's full message: "Commit the migration to start
    managing the cloud service." after "... because a migration is in progress."), which
    is joined to it."""
    out: list[Recognised] = []
    for part in parts:
        before = out[-1] if out else None
        if before is not None and before.error is not None and _continues(before.error, part):
            joined = Message(collapse(f"{before.message.text} {part.text}"), before.message.code)
            out[-1] = recognise(joined, cat)
        else:
            out.append(recognise(part, cat))
    return out


def _continues(error: KnownError, part: Message) -> bool:
    words = plain(part.text).lower().split()[:5]
    return bool(words) and " ".join(words) in collapse(plain(error.example)).lower()


def diagnose_messages(messages: list[Message], catalog: Catalog | None = None) -> Diagnosis:
    cat = catalog if catalog is not None else load_catalog()
    info = tuple(m for m in messages if (m.category or "").lower() == "information")
    errors = [m for m in messages if (m.category or "").lower() != "information"]
    return Diagnosis(tuple(recognise(m, cat) for m in errors), cat, info)
