"""How the portal writes a moment: dd-mm-aaaa HH:MM in the current time zone (America/Santiago),
in Python and the clinic pages; Django's templates use formats/es_CL's ``DATETIME_FORMAT``
(tests/vetsync_support/test_templating.py keeps the two equal)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

# Chile's time, the one every person reads (settings.TIME_ZONE names it too).
SANTIAGO = ZoneInfo("America/Santiago")
DATETIME_PATTERN = "%d-%m-%Y %H:%M"


def local_datetime(moment: datetime | None) -> str:
    # strftime: 4 µs a call, against 29 µs for Django's date_format (a history page has 50).
    if moment is None:
        return ""
    return moment.astimezone(timezone.get_current_timezone()).strftime(DATETIME_PATTERN)


def utc_aware(moment: datetime) -> datetime:
    """A moment read by written SQL: SQLite gives stored UTC moments back without their zone,
    PostgreSQL with it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
