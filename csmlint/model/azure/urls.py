"""URLs read from inputs (disk media links, storage endpoints), split without exceptions.

``urllib.parse.urlsplit`` raises ``ValueError`` for a ``[`` in the host ("Invalid IPv6
URL"), and ``.hostname``/``.port`` raise for a bad port: a fuzzed media link crashed a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from urllib.parse import SplitResult


def split_url(url: str) -> SplitResult | None:
    """``url`` split, or ``None`` when it is not one."""
    from urllib.parse import urlsplit  # disks and exports only: not a plain lint's start-up

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
