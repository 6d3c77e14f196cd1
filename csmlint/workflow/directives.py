"""Inline suppression directives: XML comments in the linted file itself.

::

    <!-- csmlint-disable-next-element CSM127: sized on purpose, see ADR-12 -->
    <!-- csmlint-disable-next-element CSM127 until=2027-06-30: until the Q3 resize -->
    <!-- csmlint-disable-file legacy-role-size, CSM128: lab environment -->

A directive names one or more rules (id or name), may carry ``until=YYYY-MM-DD`` (it works
through that day and lapses after it), and must give a reason after the colon. A comment
that looks like a directive but is not one (``csmlint-disable-next-line``,
``csmlint-disable CSM173: x``, no reason, a bad date) suppresses nothing and is reported.
"""

from __future__ import annotations

import re
from datetime import date

from csmlint.model.location import SourceRef
from csmlint.parsing.xmlsafe import XmlDocument
from csmlint.records import record
from csmlint.workflow.clock import parse_day

NEXT_ELEMENT = "csmlint-disable-next-element"
FILE = "csmlint-disable-file"
DIRECTIVES = (NEXT_ELEMENT, FILE)
MARKER = b"csmlint"
"""Bytes every directive (and every mistyped one) contains: files without them skip the
comment scan."""
_LOOKS_LIKE = re.compile(
    r"^\s*csmlint(?:-\S|[\s_:]+(?:disable|enable|ignore|skip|suppress|noqa|nolint|off)\b)",
    re.I,
)
_UNTIL = re.compile(r"\buntil\s*=\s*(\S*)", re.I)
_RULE = re.compile(r"[A-Za-z0-9_\-]+")


@record
class InlineSuppression:
    rules: tuple[str, ...]
    reason: str
    scope: str  # element | file
    path: str
    start_line: int
    end_line: int
    location: SourceRef
    until: date | None = None
    used: bool = False
    lapsed: bool = False


@record(frozen=True)
class DirectiveProblem:
    """A comment that tried to be a suppression and is not one (it suppresses nothing)."""

    location: SourceRef
    message: str
    key: str


def parse_comments(
    doc: XmlDocument, path: str
) -> tuple[list[InlineSuppression], list[DirectiveProblem]]:
    """The directives of one parsed file, and the comments that failed to be one."""
    found: list[InlineSuppression] = []
    problems: list[DirectiveProblem] = []
    for comment in doc.comments():
        text = comment.text.strip()
        if not _LOOKS_LIKE.match(text):
            continue
        ref = SourceRef(path, comment.line, comment.column)

        def problem(message: str, ref: SourceRef = ref, text: str = text) -> None:
            problems.append(DirectiveProblem(ref, message, f"directive:{text[:80]}"))

        word, _, rest = text.partition(" ")
        word = word.rstrip(":")
        if word not in DIRECTIVES:
            problem(_unknown_directive(word))
            continue
        head, colon, reason = rest.partition(":")
        reason = reason.strip()
        until = None
        m = _UNTIL.search(head)
        if m:
            until = parse_day(m.group(1))
            if until is None:
                day = m.group(1)
                problem(f"{word}: until={day!r} is not a date (YYYY-MM-DD); it suppresses nothing")
                continue
            head = head[: m.start()] + head[m.end() :]
        rules = tuple(r for r in re.split(r"[,\s]+", head) if r)
        bad = [r for r in rules if not _RULE.fullmatch(r)]
        if not rules or bad:
            what = (
                f"names no rule ({bad[0]!r} is not a rule id or name)" if bad else "names no rule"
            )
            problem(f"{word} {what}; write '{word} CSMnnn: reason'")
            continue
        if not colon or not reason:
            problem(
                f"{word} {', '.join(rules)} gives no reason, so it suppresses nothing; add "
                "': why' after the rules (the reason is recorded with the suppression)"
            )
            continue
        if word == FILE:
            found.append(InlineSuppression(rules, reason, "file", path, 0, 1 << 30, ref, until))
        elif comment.target is not None and comment.target_line is not None:
            end = max((d.sourceline or 0) for d in comment.target.iter())
            start = comment.target_line
            found.append(
                InlineSuppression(
                    rules, reason, "element", path, start, max(end, start), ref, until
                )
            )
        else:
            problem(f"{word} is followed by no element, so it suppresses nothing")
    return found, problems


def _unknown_directive(word: str) -> str:
    import difflib

    guesses = difflib.get_close_matches(word.lower(), DIRECTIVES, n=2, cutoff=0.6)
    if word.lower() in ("csmlint-disable", "csmlint-disable-next", "csmlint-disable-line"):
        guesses = list(DIRECTIVES)
    hint = (
        f"; did you mean {' or '.join(repr(g) for g in guesses)}?"
        if guesses
        else (f"; the directives are {' and '.join(repr(d) for d in DIRECTIVES)}")
    )
    return f"Unknown csmlint directive {word!r}, so it suppresses nothing{hint}"
