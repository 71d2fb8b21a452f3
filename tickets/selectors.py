"""Every read of tickets by a clinic goes through here, scoped by ``clinic=``: a ticket of
another clinic, a deleted one and one that does not exist are the same 404."""

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Clinic, User
from accounts.vetsync import clinic_people_with_email
from tickets import sql
from tickets.codes import CODE_PREFIX_RE, CODE_RE
from tickets.models import Ticket
from tickets.similar import SimilarTicket, similar_open_tickets
from tickets.states import State
from vetsync_support.query_plans import planned_each_time

MAX_SEARCH_WORDS = 8


def _visible(clinic: Clinic) -> QuerySet[Ticket]:
    return Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)


def ticket_page(*, clinic: Clinic, code: str, reader: User | None = None) -> sql.TicketDetail:
    """The clinic's ticket with this code and what its page shows of the ticket core, or 404:
    one statement. ``has_news`` says whether ``reader`` has team activity on it not yet seen."""
    if not CODE_RE.match(code or ""):
        raise Http404
    ticket = sql.ticket_detail(clinic.pk, code, reader_id=reader.pk if reader else None)
    if ticket is None:
        raise Http404
    return ticket


def ticket_get_for_change(*, clinic: Clinic, code: str) -> Ticket:
    """The clinic's ticket with this code, without its relations, or 404."""
    ticket = _visible(clinic).filter(code=code).first() if CODE_RE.match(code or "") else None
    if ticket is None:
        raise Http404
    return ticket


def ticket_totals(*, clinic: Clinic) -> dict[str, int]:
    """The clinic's tickets in each state, from the kept counts: a handful of rows."""
    counts = sql.state_totals(clinic.pk)
    return {state.value: counts.get(state.value, 0) for state in State}


@dataclass(frozen=True)
class HistoryFilters:
    state: str = ""
    area: str = ""
    query: str = ""
    requester_id: int | None = None  # "Mis tickets": only this user's tickets

    @property
    def words(self) -> tuple[str, ...]:
        """The search's words, or a code's beginning (one "word" starting ``ST-``)."""
        query = self.query.strip()
        if CODE_PREFIX_RE.match(query):
            return (query.upper(),)
        return tuple(query.split()[:MAX_SEARCH_WORDS])

    @property
    def is_code_prefix(self) -> bool:
        return bool(CODE_PREFIX_RE.match(self.query.strip()))

    def searched(self) -> AbstractContextManager:
        """A search by words is planned by PostgreSQL for its own words each time: a generic
        plan prepared for every word took 48 ms instead of 1 ms for a common one
        (``vetsync_support/query_plans.py``)."""
        return planned_each_time() if self.words and not self.is_code_prefix else nullcontext()

    def sql_filters(self) -> dict[str, Any]:
        """These filters as tickets/sql.py takes them: a code's beginning or words."""
        prefix = self.is_code_prefix
        return {
            "state": self.state,
            "area": self.area,
            "requester_id": self.requester_id,
            "code_prefix": self.words[0] if prefix else "",
            "words": () if prefix else self.words,
        }


def ticket_history_page(
    *, clinic: Clinic, reader: User, filters: HistoryFilters, offset: int, limit: int
) -> list[sql.TicketRow]:
    """``limit`` rows of the clinic's history from ``offset``, newest first, filtered, each
    marked when ``reader`` has not seen its latest team activity."""
    with filters.searched():
        return sql.history_page(
            clinic.pk, reader_id=reader.pk, **filters.sql_filters(), offset=offset, limit=limit
        )


EXPORT_PAGE_SIZE = 1000


def ticket_export_pages(
    *, clinic: Clinic, filters: HistoryFilters, page_size: int = EXPORT_PAGE_SIZE
) -> Iterator[list[sql.ExportRow]]:
    """The clinic's history with these filters, newest first, in pages, each read after the
    last row of the one before: only one page is in memory however many tickets there are."""
    after = None
    while True:
        with filters.searched():
            rows = sql.export_page(clinic.pk, **filters.sql_filters(), after=after, limit=page_size)
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        after = (rows[-1].created_at, rows[-1].id)


def ticket_history_count(*, clinic: Clinic, filters: HistoryFilters) -> int | None:
    """How many tickets the history lists with these filters, from the kept counts; None for
    a search, whose matches are not counted."""
    if filters.words:
        return None
    if filters.requester_id is not None:
        return sql.history_requester_count(
            clinic.pk, requester_id=filters.requester_id, state=filters.state, area=filters.area
        )
    return sql.history_count(clinic.pk, state=filters.state, area=filters.area)


def ticket_latest(*, clinic: Clinic, reader: User, limit: int = 5) -> list[sql.TicketRow]:
    return ticket_history_page(
        clinic=clinic, reader=reader, filters=HistoryFilters(), offset=0, limit=limit
    )


def ticket_by_code(*, clinic: Clinic, code: str) -> Ticket | None:
    """The clinic's ticket with this code (its id and code only), or None: a missing code and
    another clinic's are the same None."""
    if not CODE_RE.match(code or ""):
        return None
    return _visible(clinic).filter(code=code).only("id", "code", "clinic_id").first()


def ticket_similar_open(*, clinic: Clinic, text: str) -> list[SimilarTicket]:
    """Tickets parecidos abiertos: the clinic's own open tickets alike to a new ticket's text."""
    return similar_open_tickets(clinic=clinic, text=text)


def ticket_submitted(*, clinic: Clinic, submission_token: uuid.UUID | None) -> bool:
    """Whether this new-ticket form was already sent (a ticket holds its token)."""
    if submission_token is None:
        return False
    return Ticket.objects.filter(clinic=clinic, submission_token=submission_token).exists()


def ticket_watcher_choices(*, clinic: Clinic, requester: User) -> list[tuple[int, str, str]]:
    """Whom "Avisar también a" offers: the other active users with an e-mail of the requester's
    clinic in VetSync, as (VetSync id, name, e-mail), by name."""
    if clinic.pk != requester.clinic_id:
        return []
    return clinic_people_with_email(clinic_id=clinic.vetsync_id, excluding=requester.vetsync_id)
