"""URLs read from inputs (disk media links, storage endpoints), split without exceptions.

``urllib.parse.urlsplit`` raises ``ValueError`` for a ``[`` in the host ("Invalid IPv6
URL"), and ``.hostname``/``.port`` raise for a bad port: a fuzzed media link crashed a run.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_url(url: str) -> SplitResult | None:
    """``url`` split, or ``None`` when it is not one."""
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 (raises for a malformed host or port)
        parts.port  # noqa: B018
    except ValueError:
        return None
    return parts


def url_path(url: str) -> str:
    parts = split_url(url)
    return parts.path if parts is not None else ""


def url_host(url: str) -> str:
    parts = split_url(url)
    return (parts.hostname or "") if parts is not None else ""
