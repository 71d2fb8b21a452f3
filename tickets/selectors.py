"""Every read of tickets by a clinic goes through here, scoped by ``clinic=``.

A ticket of another clinic, a deleted one and one that does not exist are the same 404. The
hottest reads run the plain SQL of ``tickets/sql.py``; the rest are ordinary querysets.
"""

import uuid
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Clinic, User
from accounts.vetsync import VetSyncUser
from tickets import sql
from tickets.codes import CODE_PREFIX_RE, CODE_RE
from tickets.models import Ticket
from tickets.similar import SimilarTicket, similar_open_tickets
from tickets.states import State
from vetsync_support.query_plans import planned_each_time

MAX_SEARCH_WORDS = 8


def _visible(clinic: Clinic) -> QuerySet[Ticket]:
    return Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)


@dataclass(frozen=True)
class TicketPage:
    """A ticket's page: the ticket and what the clinic sees of its history."""

    ticket: sql.TicketDetail
    responses: list[sql.TicketText] = field(default_factory=list)
    additions: list[sql.TicketAdditionRow] = field(default_factory=list)
    events: list[sql.TicketEventRow] = field(default_factory=list)
    follow_up_codes: list[str] = field(default_factory=list)


def ticket_page(*, clinic: Clinic, code: str, reader: User | None = None) -> TicketPage:
    """The clinic's ticket with this code and what its page shows of the ticket core, or 404:
    one statement. ``ticket.has_news`` says whether ``reader`` has team activity on it not yet
    seen. The features' blocks (files, the clinic's answer) are read by the features themselves
    (portal/views.py composes them)."""
    if not CODE_RE.match(code or ""):
        raise Http404
    ticket = sql.ticket_detail(clinic.pk, code, reader_id=reader.pk if reader else None)
    if ticket is None:
        raise Http404
    return TicketPage(
        ticket,
        list(ticket.responses),
        list(ticket.additions),
        list(ticket.events),
        list(ticket.follow_up_codes),
    )


def ticket_get_for_change(*, clinic: Clinic, code: str) -> Ticket:
    """The clinic's ticket with this code, without its relations, or 404."""
    if not CODE_RE.match(code or ""):
        raise Http404
    ticket = _visible(clinic).filter(code=code).first()
    if ticket is None:
        raise Http404
    return ticket


def ticket_totals(*, clinic: Clinic) -> dict[str, int]:
    """The number of the clinic's tickets in each of the five states, from the counts the
    database keeps (TicketCount in tickets/models.py): a handful of rows, however many tickets."""
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
        if not query:
            return ()
        if CODE_PREFIX_RE.match(query):
            return (query.upper(),)
        return tuple(query.split()[:MAX_SEARCH_WORDS])

    @property
    def is_code_prefix(self) -> bool:
        return bool(CODE_PREFIX_RE.match(self.query.strip()))


def ticket_history_page(
    *, clinic: Clinic, reader: User, filters: HistoryFilters, offset: int, limit: int
) -> list[sql.TicketRow]:
    """``limit`` rows of the clinic's history from ``offset``, newest first, filtered, each
    marked when ``reader`` has not seen its latest team activity.

    A search by words is planned by PostgreSQL for its own words each time: a generic plan
    prepared for every word took 48 ms instead of 1 ms for a common one
    (``vetsync_support/query_plans.py``)."""
    by_words = bool(filters.words) and not filters.is_code_prefix
    with planned_each_time() if by_words else nullcontext():
        return sql.history_page(
            clinic.pk,
            reader_id=reader.pk,
            state=filters.state,
            area=filters.area,
            requester_id=filters.requester_id,
            code_prefix=filters.words[0] if filters.is_code_prefix else "",
            words=filters.words if by_words else (),
            offset=offset,
            limit=limit,
        )


EXPORT_PAGE_SIZE = 1000


def ticket_export_pages(
    *, clinic: Clinic, filters: HistoryFilters, page_size: int = EXPORT_PAGE_SIZE
) -> Iterator[list[sql.ExportRow]]:
    """The clinic's history with these filters, newest first, as pages of at most
    ``page_size`` rows: one query a page, each after the last row of the one before, so that
    only one page is in memory however many tickets the clinic has (tickets/export.py)."""
    by_words = bool(filters.words) and not filters.is_code_prefix
    after = None
    while True:
        with planned_each_time() if by_words else nullcontext():
            rows = sql.export_page(
                clinic.pk,
                state=filters.state,
                area=filters.area,
                requester_id=filters.requester_id,
                code_prefix=filters.words[0] if filters.is_code_prefix else "",
                words=filters.words if by_words else (),
                after=after,
                limit=page_size,
            )
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        after = (rows[-1].created_at, rows[-1].id)


def ticket_history_count(*, clinic: Clinic, filters: HistoryFilters) -> int | None:
    """How many tickets the history lists with these filters, from the kept counts; None for
    a search, whose matches are not counted (tickets/pagination.py). One requester's tickets
    are counted on their own index."""
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
    another clinic's are the same None. For the ticket a new one follows up and the open ticket
    "Agregar la información a ST-…" adds to."""
    if not CODE_RE.match(code or ""):
        return None
    return _visible(clinic).filter(code=code).only("id", "code", "clinic_id").first()


def ticket_similar_open(*, clinic: Clinic, text: str) -> list[SimilarTicket]:
    """Tickets parecidos abiertos: the clinic's own open tickets alike to a new ticket's text
    (tickets/similar.py has the rule)."""
    return similar_open_tickets(clinic=clinic, text=text)


def ticket_submitted(*, clinic: Clinic, submission_token: uuid.UUID | None) -> bool:
    """Whether this new-ticket form was already sent (a ticket holds its token)."""
    if submission_token is None:
        return False
    return Ticket.objects.filter(clinic=clinic, submission_token=submission_token).exists()


def ticket_watcher_choices(*, clinic: Clinic, requester: User) -> list[tuple[int, str, str]]:
    """Whom "Avisar también a" offers: the other active users of the requester's clinic in
    VetSync that have an e-mail, as (VetSync id, name, e-mail), by name. One query."""
    if clinic.pk != requester.clinic_id:
        return []
    people = (
        VetSyncUser.objects.filter(clinic_id=clinic.vetsync_id, is_active=True)
        .exclude(email__isnull=True)
        .exclude(email="")
        .order_by("full_name", "id")
    )
    if requester.vetsync_id is not None:
        people = people.exclude(pk=requester.vetsync_id)
    return [
        (pk, name, (email or "").strip())
        for pk, name, email in people.values_list("id", "full_name", "email")
        if (email or "").strip()
    ]
