"""What a list of tickets shows of each one (the panel's latest and the history's pages): plain
rows read by ``tickets/selectors.py``, written by ``tickets_display.ticket_rows``."""

from dataclasses import dataclass
from datetime import datetime


def display_name(full_name: str, first_name: str, last_name: str, username: str) -> str:
    """``User.display_name`` from its four columns."""
    return full_name or f"{first_name} {last_name}".strip() or username


@dataclass(frozen=True, slots=True)
class Person:
    display_name: str


@dataclass(frozen=True, slots=True)
class ResponseSummary:
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TicketRow:
    code: str
    state: str
    area: str
    created_at: datetime
    requester: Person
    latest_response: ResponseSummary | None


# The columns of a row, in the order ``ticket_row`` reads them.
ROW_COLUMNS = (
    "code",
    "state",
    "area",
    "created_at",
    "requester__full_name",
    "requester__first_name",
    "requester__last_name",
    "requester__username",
    "latest_response_id",
    "latest_response__text",
    "latest_response__created_at",
)


def ticket_row(values: tuple) -> TicketRow:
    code, state, area, created_at, full, first, last, user, response_id, text, responded = values
    return TicketRow(
        code,
        state,
        area,
        created_at,
        Person(display_name(full, first, last, user)),
        None if response_id is None else ResponseSummary(text, responded),
    )
