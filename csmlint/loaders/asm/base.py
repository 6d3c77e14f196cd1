"""Scaffolding shared by the ASM (Service Management REST XML) importers.

An import builds plain topology-document dicts (``csmlint.topology/v1`` keys) and, on the
side, remembers which XML element every object and every key came from
(:class:`Provenance`). Provenance is kept by object identity rather than by JSON pointer so
that documents can be merged (objects move) before pointers are computed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from csmlint.errors import InputError
from csmlint.model.azure.urls import url_host, url_path
from csmlint.model.configuration import ServiceConfiguration
from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import escape_pointer_token
from csmlint.parsing.numbers import decimal
from csmlint.parsing.xmlsafe import XmlDocument, XmlElement, attr, child, path, text_of
from csmlint.records import field, record

Obj = dict[str, Any]
"""One object of the topology document being built."""

PRIVATE = "\x00"
"""Prefix of keys the importer uses internally (stripped before the document is used)."""
SITE_ID = PRIVATE + "siteId"
"""A VNet's ASM site ``Id``: a Get Virtual Network Gateway ``GatewayId`` names it."""

MAX_BASE64_CHARS = 8 * 1024 * 1024
"""Largest base64 ``Configuration`` decoded (the export itself is size-capped too)."""

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class Provenance:
    """Where each object, and each key of an object, of a document came from."""

    def __init__(self) -> None:
        self._alive: list[object] = []  # keeps ids stable while the tables refer to them
        self._objects: dict[int, SourceRef] = {}
        self._keys: dict[tuple[int, str], SourceRef] = {}
        self.conflicts: list[tuple[str, object, object, SourceRef | None]] | None = None
        """When a list: ``(key, kept, dropped, where the dropped value was)`` for each fact
        two exports state differently (the first wins); merging exports collects them."""

    def mark(self, obj: object, ref: SourceRef | None) -> None:
        if ref is not None:
            self._alive.append(obj)
            self._objects.setdefault(id(obj), ref)

    def mark_key(self, obj: object, key: str, ref: SourceRef | None) -> None:
        if ref is not None:
            self._alive.append(obj)
            self._keys[(id(obj), key)] = ref

    def of(self, obj: object) -> SourceRef | None:
        return self._objects.get(id(obj))

    def of_key(self, obj: object, key: str) -> SourceRef | None:
        return self._keys.get((id(obj), key))

    def copy_key(self, dst: object, src: object, key: str) -> None:
        """``dst[key]`` now holds ``src[key]``: it keeps ``src``'s location."""
        self.mark_key(dst, key, self.of_key(src, key))

    def absorb(self, other: Provenance) -> None:
        """Take over every location ``other`` knows (documents being merged)."""
        self._alive.extend(other._alive)
        for k, ref in other._objects.items():
            self._objects.setdefault(k, ref)
        for kk, ref in other._keys.items():
            self._keys.setdefault(kk, ref)

    def pointers(self, document: Obj) -> dict[str, SourceRef]:
        """JSON pointer -> location, for every located object and key of ``document``."""
        out: dict[str, SourceRef] = {}
        self._walk(document, "", out)
        return out

    def _walk(self, value: Any, pointer: str, out: dict[str, SourceRef]) -> None:
        if isinstance(value, dict):
            ref = self.of(value)
            if ref is not None:
                out[pointer] = ref
            for key, item in value.items():
                sub = f"{pointer}/{escape_pointer_token(key)}"
                kref = self.of_key(value, key)
                if kref is not None:
                    out[sub] = kref
                self._walk(item, sub, out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._walk(item, f"{pointer}/{i}", out)


class PointerLocator:
    """``locate(pointer)`` for the topology loader: the location of the XML element the
    fact at ``pointer`` came from, else of its nearest located ancestor."""

    def __init__(self, pointers: dict[str, SourceRef], fallback: SourceRef):
        self._pointers = pointers
        self._fallback = fallback

    def __call__(self, pointer: str) -> SourceRef:
        probe = pointer
        while True:
            ref = self._pointers.get(probe)
            if ref is not None:
                return ref
            if not probe:
                return self._fallback
            probe = probe.rpartition("/")[0]


@record
class Context:
    """What the request (URL, file name, wrapper) says that the response body does not."""

    subscription_id: str | None = None
    service: str | None = None
    deployment: str | None = None
    slot: str | None = None
    vnet: str | None = None
    vm: str | None = None
    modern: bool = False
    """The response is known to come from ``x-ms-version`` 2014-05-01 or later (MetadataExtract
    and MigAz send later versions), so an absent ``IsReserved`` means a dynamic VIP."""


def context_from_url(url: str, base: Context | None = None) -> Context:
    """Read the subscription, cloud service, slot, deployment, role or VNet named by a
    Service Management request URL (as MigAz logs it)."""
    ctx = Context(modern=base.modern if base else False)
    if base is not None:
        ctx.subscription_id = base.subscription_id
    parts = [unquote(p) for p in url_path(url).split("/") if p]
    if parts and _GUID.match(parts[0]):
        ctx.subscription_id = parts[0].lower()
    lowered = [p.lower() for p in parts]
    for i, p in enumerate(lowered[:-1]):
        nxt = parts[i + 1]
        if p == "hostedservices" and nxt.lower() != "operations":
            ctx.service = nxt
        elif p == "deploymentslots":
            ctx.slot = nxt.lower()
        elif p == "deployments":
            ctx.deployment = nxt
        elif p == "roles":
            ctx.vm = nxt
        elif p == "virtualnetwork" or (p == "networking" and lowered[i + 2 : i + 3] == ["gateway"]):
            ctx.vnet = nxt
    return ctx


def subscription_from_url(url: str | None) -> str | None:
    """``https://management.core.windows.net/<guid>/services/...`` -> ``<guid>``."""
    if not url:
        return None
    parts = [p for p in url_path(url).split("/") if p]
    return parts[0].lower() if parts and _GUID.match(parts[0]) else None


def host_label(url: str | None) -> str | None:
    """``http://rdpexttest.cloudapp.net/`` -> ``rdpexttest`` (a deployment's cloud service)."""
    if not url:
        return None
    host = url_host(url)
    label = host.split(".", 1)[0]
    return label or None


def guid(text: str | None) -> str | None:
    return text.lower() if text and _GUID.match(text) else None


class Builder:
    """Builds document objects from elements of one parsed export, recording locations."""

    def __init__(self, doc: XmlDocument, display: str, prov: Provenance, line_offset: int = 0):
        self.doc = doc
        self.display = display
        self.prov = prov
        self.line_offset = line_offset
        """Lines before this document in its file (a response inside a MigAz log)."""
        self.problems: list[InputError] = []

    def ref(self, el: XmlElement | None) -> SourceRef | None:
        if el is None:
            return None
        line, column = self.doc.position(el)
        return SourceRef(self.display, line + self.line_offset, column)

    def obj(self, el: XmlElement | None) -> Obj:
        out: Obj = {}
        self.prov.mark(out, self.ref(el))
        return out

    def put(self, obj: Obj, key: str, value: Any, el: XmlElement | None) -> None:
        """``obj[key] = value`` unless ``value`` is ``None`` (unknown), located at ``el``."""
        if value is None:
            return
        obj[key] = value
        self.prov.mark_key(obj, key, self.ref(el))

    def problem(self, el: XmlElement | None, reason: str) -> None:
        ref = self.ref(el)
        line, column = (ref.line, ref.column) if ref else (1, 1)
        self.problems.append(InputError(reason, line=line, column=column))


# --- reading values ------------------------------------------------------------------


def value(el: XmlElement | None, *names: str) -> tuple[str | None, XmlElement | None]:
    """(text, element) of the first descendant along ``names``; nil elements are unknown."""
    target = next(path(el, *names), None) if el is not None else None
    if target is None or _is_nil(target):
        return None, target
    return text_of(target), target


def text(el: XmlElement | None, *names: str) -> str | None:
    """Stripped text along ``names``; ``None`` when absent, nil or empty."""
    found, _ = value(el, *names)
    return found or None


def _is_nil(el: XmlElement) -> bool:
    return (attr(el, "nil") or "").strip().lower() == "true"


def lower(el: XmlElement | None, *names: str) -> str | None:
    found = text(el, *names)
    return found.lower() if found else None


def boolean(el: XmlElement | None, *names: str) -> bool | None:
    found = lower(el, *names)
    if found in ("true", "1"):
        return True
    if found in ("false", "0"):
        return False
    return None


def integer(el: XmlElement | None, *names: str) -> int | None:
    return decimal(text(el, *names))


def texts(el: XmlElement | None, *names: str) -> list[str]:
    """Texts of every element along ``names`` (empty ones dropped)."""
    if el is None:
        return []
    return [t for t in (text_of(e) for e in path(el, *names)) if t]


def label(el: XmlElement | None, *names: str) -> str | None:
    """A base64 ``Label``, decoded; labels that are not base64 UTF-8 are kept as written."""
    raw = text(el, *names)
    if raw is None:
        return None
    try:
        return base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return raw


def decode_base64(raw: str) -> bytes:
    """Strict base64 (whitespace allowed); raises ``ValueError`` with a reason."""
    compact = "".join(raw.split())
    if len(compact) > MAX_BASE64_CHARS:
        raise ValueError(f"base64 data larger than the limit ({MAX_BASE64_CHARS} characters)")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not valid base64 ({exc})") from None


def elements(el: XmlElement | None, *names: str) -> Iterator[XmlElement]:
    if el is None:
        return iter(())
    return path(el, *names)


def first(el: XmlElement | None, name: str) -> XmlElement | None:
    return child(el, name) if el is not None else None


def either(el: XmlElement | None, fallback: XmlElement | None) -> XmlElement | None:
    """``el`` unless it is missing (lxml elements must not be truth-tested)."""
    return el if el is not None else fallback


@record
class Pending:
    """A fact whose owner lives in another export (matched when documents merge)."""

    kind: str
    """``validation`` (deployment), ``gateway`` (VNet) or ``vm`` (a Get Role response)."""
    keys: dict[str, str]
    value: Any
    ref: SourceRef | None


@record
class EmbeddedConfig:
    """The ``.cscfg`` decoded from one deployment's ``Configuration``."""

    service: str
    slot: str | None
    deployment: str | None
    configuration: ServiceConfiguration
    owner: Obj
    """The deployment object of the document it belongs to."""


@record
class Collected:
    """What one export adds to one subscription."""

    lists: dict[str, list[Obj]] = field(default_factory=dict)
    """Subscription-level lists by topology key: ``cloudServices``, ``virtualNetworks``,
    ``reservedIps``... A key is present when the export stated that list (even empty)."""
    pending: list[Pending] = field(default_factory=list)
    configurations: list[EmbeddedConfig] = field(default_factory=list)
    listing: SourceRef | None = None
    """The List Cloud Services response (``<HostedServices>``) that listed every cloud
    service of the subscription; ``None``: ``cloudServices`` holds only the services the
    export described (a Get Cloud Service or Get Deployment response)."""

    def add(self, key: str, items: list[Obj]) -> None:
        self.lists.setdefault(key, []).extend(items)


Handler = Callable[[Builder, XmlElement, Context, Collected], None]
"""Maps one response root element into what the export adds."""
