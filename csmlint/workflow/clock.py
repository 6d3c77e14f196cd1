"""The one clock of csmlint's workflow: suppression expiry (``until=``), baseline entry dates
and the report's generation time all read it here, so tests inject a fixed time.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, seconds since 1970) fixes the time
for a whole run, for byte-identical reports in pipelines that want them.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone


def now() -> datetime:
    """The current time, timezone-aware UTC (``SOURCE_DATE_EPOCH`` when set to an integer)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return datetime.fromtimestamp(int(fixed), tz=timezone.utc)
    return datetime.now(timezone.utc)


def today() -> date:
    return now().date()


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date, or ``None`` when it is not one."""
    text = text.strip()
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
