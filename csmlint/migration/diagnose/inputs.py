"""What ``csmlint diagnose`` is given, reduced to platform messages: a bare error message, an
operation status JSON (``statusMessage`` holding ``{"error": {"code", "message"}}``, as the
portal and the activity log show it, even when pasted with line breaks inside its strings),
or a Validate/Prepare response (``<ValidationMessages>`` XML, or its JSON form)."""

from __future__ import annotations

import re
from typing import Any

from csmlint.errors import InputError, UsageError
from csmlint.parsing.jsonsafe import loads_text
from csmlint.parsing.xmlsafe import children, local_name, parse_xml, text_of
from csmlint.rulepack.platform.match import Message, collapse


def messages_from(data: bytes) -> list[Message]:
    """Every platform message in ``data``; an empty list when there is nothing to read."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace").strip()
    else:
        text = data.decode("utf-8-sig", errors="replace").strip()
    if not text:
        return []
    if text.startswith("<"):
        return _from_xml(data)
    if text.startswith(("{", "[")) or text.lstrip('"').startswith("statusMessage"):
        found = _from_json(text)
        if found is not None:
            return found
        pasted = _from_pasted_status(text)
        if pasted:
            return pasted
    return [Message(collapse(text), _code_prefix(text))]


def pasted_lines(data: bytes) -> list[Message]:
    """Each non-empty line of a plain-text paste as its own message (the caller keeps them
    when several are recognised on their own: several errors pasted together); ``[]`` for
    XML, JSON or a single line."""
    text = data.decode("utf-8-sig", errors="replace").strip()
    if not text or text.startswith(("<", "{", "[")) or "\n" not in text:
        return []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Message(collapse(line), _code_prefix(line)) for line in lines]


def pasted_sentences(data: bytes) -> list[Message]:
    """A plain-text paste cut where a line ends a sentence and the next starts a new one
    (a capital letter or an error code): two errors pasted one per line, which the portal's
    wrapping of one long message (mid-sentence, as a rule) does not look like; ``[]`` when
    there is no such cut."""
    text = data.decode("utf-8-sig", errors="replace").strip()
    if not text or text.startswith(("<", "{", "[", '"')) or "\n" not in text:
        return []  # XML, JSON or a pasted "statusMessage": structured, not sentences
    groups: list[list[str]] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if groups and not (_SENTENCE_END.search(groups[-1][-1]) and _SENTENCE_START.match(line)):
            groups[-1].append(line)
        else:
            groups.append([line])
    if len(groups) < 2:
        return []
    return [Message(collapse(" ".join(g)), _code_prefix(g[0])) for g in groups]


_SENTENCE_END = re.compile(r"[.!?)\]'\"”]\s*$")
_SENTENCE_START = re.compile(r"[A-Z0-9\"'“(]")
_CODE_PREFIX = re.compile(r"^\s*(?:Code:\s*)?([A-Z][A-Za-z]+)\s*[:\-]\s")


def _code_prefix(text: str) -> str | None:
    m = _CODE_PREFIX.match(text)
    return m.group(1) if m else None


def _from_xml(data: bytes) -> list[Message]:
    try:
        root = parse_xml(data).root
    except InputError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise UsageError(f"not a readable Validate/Prepare response{where}: {exc.reason}") from None
    items = (
        [root]
        if local_name(root) == "ValidationMessage"
        else list(children(root, "ValidationMessage"))
    )
    if local_name(root) == "Error":
        code = text_of(_child(root, "Code"))
        return [Message(collapse(text_of(_child(root, "Message")) or ""), code)]
    out = []
    for el in items:
        out.append(
            Message(
                collapse(text_of(_child(el, "Message")) or ""),
                None,
                text_of(_child(el, "ResourceType")),
                text_of(_child(el, "ResourceName")),
                text_of(_child(el, "VirtualMachineName")),
                text_of(_child(el, "Category")),
            )
        )
    return [m for m in out if m.text]


def _child(el: Any, name: str) -> Any:
    return next(children(el, name), None)


def _from_json(text: str) -> list[Message] | None:
    body = text if text.startswith(("{", "[")) else "{" + text.rstrip(",") + "}"
    try:
        value = loads_text(body).value
    except InputError:
        return None
    out: list[Message] = []
    _walk(value, out, 0)
    return out


def _walk(value: Any, out: list[Message], depth: int) -> None:
    if depth > 20:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, out, depth + 1)
        return
    if not isinstance(value, dict):
        return
    lower = {str(k).lower(): v for k, v in value.items()}
    status = lower.get("statusmessage")
    if isinstance(status, str):
        inner = _from_json(status.strip())
        out.extend(inner if inner else [Message(collapse(status))])
        return
    error = lower.get("error")
    if isinstance(error, dict):
        _walk(error, out, depth + 1)
        return
    message = lower.get("message")
    if isinstance(message, str) and message.strip():
        code = lower.get("code")
        out.append(
            Message(
                collapse(message),
                code if isinstance(code, str) else None,
                _str(lower.get("resourcetype")),
                _str(lower.get("resourcename")),
                _str(lower.get("virtualmachinename")),
                _str(lower.get("category")),
            )
        )
    for key in ("validationmessages", "details", "value"):
        if key in lower:
            _walk(lower[key], out, depth + 1)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_PASTED_CODE = re.compile(r'\\?"code\\?"\s*:\s*\\?"([A-Za-z]+)\\?"')
_PASTED_MESSAGE = re.compile(r'\\?"message\\?"\s*:\s*\\?"(.*?)\\?"\s*[}\]]', re.DOTALL)


def _from_pasted_status(text: str) -> list[Message]:
    """A status message pasted from the portal: JSON in spirit, with raw line breaks inside
    its strings (seed text), so read code and message by their keys."""
    codes = _PASTED_CODE.findall(text)
    found = _PASTED_MESSAGE.findall(text)
    return [
        Message(collapse(msg.replace('\\"', '"')), codes[i] if i < len(codes) else None)
        for i, msg in enumerate(found)
    ]
