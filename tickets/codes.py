"""Ticket codes: ST-YYYYMMDD-NNNNN, the creation date in America/Santiago and a per-day number
taken by one upsert on the day's row inside the creating transaction: unique, gap-free (a failed
creation rolls its number back) and never reused (a deleted ticket keeps its code)."""

import datetime
import re

from django.db import connection
from django.utils import timezone

# What a ticket code looks like, everywhere: routes, forms, searches.
CODE_PATTERN = r"ST-[0-9]{8}-[0-9]{5,}"
CODE_RE = re.compile(rf"^{CODE_PATTERN}$")
# A code typed in part ("ST-2026", "st-20260323-0"), as the searches accept it.
CODE_PREFIX_RE = re.compile(r"^ST-[0-9-]*$", re.IGNORECASE)

# The table of tickets.models.TicketDaySequence (tests/tickets/test_codes.py checks the name).
_NEXT_NUMBER_SQL = """
    INSERT INTO tickets_ticketdaysequence (day, last_number) VALUES (%s, 1)
    ON CONFLICT (day) DO UPDATE SET last_number = tickets_ticketdaysequence.last_number + 1
    RETURNING last_number
"""


def format_code(day: datetime.date, number: int) -> str:
    return f"ST-{day:%Y%m%d}-{number:05d}"


def next_ticket_code(*, day: datetime.date | None = None) -> str:
    """Take the next code of ``day`` (today in America/Santiago). Call inside a transaction."""
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER_SQL, [connection.ops.adapt_datefield_value(day)])
        (number,) = cursor.fetchone()
    return format_code(day, number)
