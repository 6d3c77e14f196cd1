"""The one way numbers are read from linted files.

``int()`` accepts far more than a configuration value should be: ``"²"`` passes
``str.isdigit()`` and then makes ``int()`` raise, ``"١٢"``, ``"1_000"``, ``" +5 "`` parse, and
more than 4,300 digits raise ``ValueError``. Values from inputs are read here instead: a plain
ASCII decimal within range is a number, anything else is ``None`` (the caller records it as
unknown, never as zero or false).
"""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"[0-9]{1,18}")
MAX_SAFE = (1 << 53) - 1
"""Largest integer every consumer (JSON readers included) represents exactly."""


def decimal(text: str | None, *, maximum: int = MAX_SAFE) -> int | None:
    """``text`` (surrounding whitespace ignored) as a non-negative int, or ``None``."""
    if text is None:
        return None
    value = text.strip(" \t\r\n")
    if not _DECIMAL.fullmatch(value):
        return None
    number = int(value)
    return number if number <= maximum else None
