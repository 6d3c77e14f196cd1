"""Messages against the catalogue: the recognised error with the names it carries, or the
closest known errors when nothing matches."""

from __future__ import annotations

import difflib
import re

from csmlint.model.azure.naming import in_command
from csmlint.records import field, record
from csmlint.rulepack.platform.catalog import Catalog, KnownError

CLOSEST = 3


@record(frozen=True)
class Message:
    """One platform message: an error, or one message of a Validate/Prepare response."""

    text: str
    """The message with its white space collapsed."""
    code: str | None = None
    resource_type: str | None = None
    resource_name: str | None = None
    vm: str | None = None
    category: str | None = None


def collapse(text: str) -> str:
    return " ".join(text.split())


_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
"""Curly quotes a message gains when pasted from mail, chat or a word processor."""


def _unquoted(name: str) -> str:
    """A name as a message may quote it (``HostedService "shop-prod"``): without the quotes
    or a sentence's trailing punctuation."""
    return name.strip().rstrip(".,;:").strip("\"'").replace(_SPACE, " ")


def plain(text: str) -> str:
    """``text`` as the platform wrote it: typographic quotes made straight again, and a
    quoted name after its kind (``Virtual Network 'Group rg shop-vnet'``, a VNet the classic
    portal named) unquoted, its spaces held as :data:`_SPACE` so that the catalogue's
    one-token name patterns take all of it."""
    return _QUOTED_NAME.sub(_hold_spaces, text.translate(_TYPOGRAPHIC))


_SPACE = "\ue000"
"""A space inside a quoted name while the patterns match (a private-use character: never
white space, never in a message); names get their spaces back."""
_QUOTED_NAME = re.compile(
    r"\b(HostedService|Hosted Service|Virtual ?Network|Deployment|Storage ?Account|VM"
    r"|Role|Extension|Reserved ?IP|Disk)\s+(['\"])([^'\"\n]{1,128}?)\2",
    re.IGNORECASE,
)


def _hold_spaces(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(3).strip().replace(' ', _SPACE)}"


@record(frozen=True)
class Recognised:
    message: Message
    error: KnownError | None
    names: dict[str, str] = field(default_factory=dict)
    closest: tuple[KnownError, ...] = ()
    by_code: bool = False
    """Recognised from an error code given alone (``ChangeDeploymentConfigurationOperation
    Failed``): what the code means during a migration, with no names to fill in."""


def recognise(message: Message, catalog: Catalog) -> Recognised:
    text = plain(message.text)
    for known in catalog.errors:
        found = known.pattern.search(text)
        if found is None:
            continue
        names = {k: _unquoted(v) for k, v in found.groupdict().items() if v and _unquoted(v)}
        _from_fields(message, names)
        return Recognised(message, known, names)
    bare = text.strip().strip("\"'.").lower()
    for known in catalog.errors:
        if known.code is not None and known.code.lower() == bare:
            return Recognised(message, known, {}, by_code=True)
    return Recognised(message, None, {}, closest(message, catalog))


def _from_fields(message: Message, names: dict[str, str]) -> None:
    """Names a Validate response states beside the message (ResourceName, VirtualMachineName)."""
    kind = (message.resource_type or "").lower()
    if message.resource_name:
        key = {
            "deployment": "deployment",
            "hostedservice": "service",
            "virtualnetwork": "vnet",
            "storageaccount": "account",
        }.get(kind)
        if key:
            names.setdefault(key, message.resource_name)
    if message.vm:
        names.setdefault("vm", message.vm)


def closest(message: Message, catalog: Catalog) -> tuple[KnownError, ...]:
    """The known errors whose example reads most like ``message`` (a code equal to the
    message's code counts first)."""
    words = message.text.lower()

    def score(known: KnownError) -> float:
        ratio = difflib.SequenceMatcher(None, words, known.example.lower(), autojunk=False)
        same_code = known.code is not None and known.code == message.code
        return (1.0 if same_code else 0.0) + ratio.ratio()

    ranked = sorted(catalog.errors, key=lambda k: (-score(k), k.id))
    return tuple(ranked[:CLOSEST])


def fill(template: str, names: dict[str, str], placeholders: dict[str, str]) -> str:
    """``{service}`` and friends replaced by the names from the message, else by the visible
    placeholder (``<cloud-service-name>``)."""
    out = template
    for key, shown in placeholders.items():
        value = names.get(key)
        out = out.replace("{" + key + "}", in_command(value) if value else shown)
    return out
