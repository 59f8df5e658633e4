"""The day of this run: what ingest dates yearless listings by and what `build` holds a
page dated after it back until (`SOURCE_DATE_EPOCH` when set, for reproducible runs)."""

from __future__ import annotations

import datetime
import os

from site_builder.core.errors import Problem, SiteError
from site_builder.core.model import FIRST_YEAR, LAST_YEAR


def _epoch() -> str:
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip()


def clock_name() -> str:
    """What `today()` reads, as messages name it."""
    return "SOURCE_DATE_EPOCH" if _epoch() else "the clock"


def today() -> datetime.date:
    """The day of this run: from SOURCE_DATE_EPOCH when set, else the clock (UTC)."""
    epoch = _epoch()
    if epoch and not (epoch.isascii() and epoch.isdigit()):
        # `1.7e9`, `-5`, `abc`: the clock was used without a word, and its year written into pages
        message = f"{epoch!r} is not a whole number of seconds since 1970-01-01 (unset it to use the clock)"
        raise SiteError(Problem("SOURCE_DATE_EPOCH", 0, message))
    if epoch:
        try:
            day = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        except (ValueError, OverflowError, OSError):
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            message = f"{epoch} is not a time from {FIRST_YEAR} to {LAST_YEAR} (seconds since 1970-01-01)"
            raise SiteError(Problem("SOURCE_DATE_EPOCH", 0, message))
        return day
    return datetime.datetime.now(datetime.UTC).date()
