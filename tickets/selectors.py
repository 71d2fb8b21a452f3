"""Every read of tickets by a clinic goes through here, scoped by ``clinic=``.

A ticket of another clinic, a deleted one and one that does not exist are the same 404.
"""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.http import Http404

import tickets.lookups  # noqa: F401 (registers __ilike_contains)
from accounts.models import Clinic, User
from tickets import history_queries
from tickets.models import (
    CODE_PATTERN,
    Ticket,
    TicketAddition,
    TicketCount,
    TicketEvent,
    TicketResponse,
)
from tickets.rows import TicketRow, ticket_row
from tickets.states import State
from vetsync_support.compiled_queries import (
    CompiledQuery,
    Text,
    Value,
    model_instance,
)
from vetsync_support.query_plans import planned_each_time

CODE_RE = re.compile(rf"^{CODE_PATTERN}$")
CODE_PREFIX_RE = re.compile(r"^ST-[0-9-]*$", re.IGNORECASE)
MAX_SEARCH_WORDS = 8


def _visible(clinic: Clinic) -> QuerySet[Ticket]:
    return Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)


PERSON_COLUMNS = ("full_name", "first_name", "last_name", "username")
TICKET_COLUMNS = ("id", "code", "state", "area", "detail", "created_at", "updated_at")
TICKET_READ_COLUMNS = ("latest_response_id", "requester_id", "follows_up_id")


def _visible_by_id(clinic_id) -> QuerySet[Ticket]:
    return history_queries.visible_by_id(clinic_id)


_TICKET = CompiledQuery(
    lambda clinic, code: (
        _visible_by_id(clinic)
        .filter(code=code)
        .annotate(
            # Most tickets have neither: their queries are skipped.
            has_additions=Exists(TicketAddition.objects.filter(ticket=OuterRef("pk"))),
            has_follow_ups=Exists(
                Ticket.objects.filter(follows_up=OuterRef("pk"), deleted_at__isnull=True)
            ),
        )
        .values_list(
            *TICKET_COLUMNS,
            *TICKET_READ_COLUMNS,
            *(f"requester__{name}" for name in PERSON_COLUMNS),
            "follows_up__code",
            "follows_up__deleted_at",
            "has_additions",
            "has_follow_ups",
        )[:1]
    ),
    clinic=Value(0),
    code=Text(0),
)
_RESPONSES = CompiledQuery(
    lambda ticket: TicketResponse.objects.filter(ticket_id=ticket).values_list(
        "id", "created_at", "text"
    ),
    ticket=Value(0),
)
_EVENTS = CompiledQuery(
    lambda ticket: TicketEvent.objects.filter(
        ticket_id=ticket, kind__in=TicketEvent.CLINIC_VISIBLE_KINDS
    ).values_list(
        "id",
        "created_at",
        "kind",
        "from_state",
        "to_state",
        "actor_id",
        *(f"actor__{name}" for name in PERSON_COLUMNS),
    ),
    ticket=Value(0),
)
_TICKET_FIELDS = (*TICKET_COLUMNS, *TICKET_READ_COLUMNS)
_RESPONSE_FIELDS = ("id", "created_at", "text")
_EVENT_FIELDS = ("id", "created_at", "kind", "from_state", "to_state", "actor_id")
_PERSON_FIELDS = ("id", *PERSON_COLUMNS)


def ticket_get(*, clinic: Clinic, code: str) -> Ticket:
    """The clinic's ticket with this code, for its detail page, or 404.

    Its texts and events come with it, each in one query of only the columns the page shows:
    ``visible_responses``, ``visible_additions``, ``clinic_events`` and ``visible_follow_ups``.
    The ticket, its responses and its events are read by SQL compiled once
    (``vetsync_support/compiled_queries.py``).
    """
    if not CODE_RE.match(code or ""):
        raise Http404
    found = _TICKET.rows(clinic=clinic.pk, code=code)
    if not found:
        raise Http404
    row = found[0]
    columns = len(_TICKET_FIELDS)
    ticket = model_instance(Ticket, _TICKET_FIELDS, row[:columns])
    names = row[columns : columns + len(PERSON_COLUMNS)]
    follows_up_code, follows_up_deleted, has_additions, has_follow_ups = row[-4:]
    ticket.clinic = clinic
    ticket.requester = model_instance(User, _PERSON_FIELDS, (ticket.requester_id, *names))
    follows_up_id = ticket.follows_up_id
    ticket.follows_up = None  # also when the earlier ticket was deleted
    if follows_up_id is not None and follows_up_deleted is None:
        ticket.follows_up = model_instance(Ticket, ("id", "code"), (follows_up_id, follows_up_code))
    ticket.has_additions, ticket.has_follow_ups = has_additions, has_follow_ups
    ticket.visible_responses = []
    if ticket.latest_response_id is not None:  # set by every response (services)
        ticket.visible_responses = [
            model_instance(TicketResponse, _RESPONSE_FIELDS, values)
            for values in _RESPONSES.rows(ticket=ticket.pk)
        ]
    ticket.visible_additions = []
    if has_additions:
        ticket.visible_additions = list(
            TicketAddition.objects.filter(ticket=ticket)
            .select_related("author")
            .only("created_at", "text", *_person_columns("author"))
        )
    ticket.clinic_events = [_event(values) for values in _EVENTS.rows(ticket=ticket.pk)]
    ticket.visible_follow_ups = []
    if has_follow_ups:
        ticket.visible_follow_ups = list(
            Ticket.objects.filter(follows_up=ticket, deleted_at__isnull=True)
            .order_by("created_at", "id")
            .only("code")
        )
    return ticket


def _event(values: tuple) -> TicketEvent:
    event = model_instance(TicketEvent, _EVENT_FIELDS, values[: len(_EVENT_FIELDS)])
    if event.actor_id is not None:
        names = values[len(_EVENT_FIELDS) :]
        event.actor = model_instance(User, _PERSON_FIELDS, (event.actor_id, *names))
    return event


def _person_columns(relation: str) -> tuple[str, ...]:
    """What ``User.display_name`` needs of a related user."""
    return tuple(
        f"{relation}__{name}" for name in ("full_name", "first_name", "last_name", "username")
    )


def ticket_get_for_change(*, clinic: Clinic, code: str) -> Ticket:
    """The clinic's ticket with this code, without its relations, or 404."""
    if not CODE_RE.match(code or ""):
        raise Http404
    ticket = _visible(clinic).filter(code=code).first()
    if ticket is None:
        raise Http404
    return ticket


_TOTALS = CompiledQuery(
    lambda clinic: (
        TicketCount.objects.filter(clinic_id=clinic)
        .order_by()
        .values_list("state")
        .annotate(n=Sum("count"))
        .values_list("state", "n")
    ),
    clinic=Value(0),
)


def ticket_totals(*, clinic: Clinic) -> dict[str, int]:
    """The number of the clinic's tickets in each of the five states, from the counts the
    database keeps (tickets/count_models.py): a handful of rows, however many tickets."""
    counts = dict(_TOTALS.rows(clinic=clinic.pk))
    return {state.value: counts.get(state.value, 0) for state in State}


@dataclass(frozen=True)
class HistoryFilters:
    state: str = ""
    area: str = ""
    query: str = ""

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
    *, clinic: Clinic, filters: HistoryFilters, offset: int, limit: int
) -> list[TicketRow]:
    """``limit`` rows of the clinic's history from ``offset``, newest first, filtered: one
    query whose SQL is compiled once per combination of filters.

    A search by words takes two: its matches' ids, planned by PostgreSQL for its own words each
    time (``vetsync_support/query_plans.py``), and then their rows, whose plan is prepared."""
    shape = history_queries.HistoryShape.of(filters)
    values = {"state": filters.state, "area": filters.area}
    values.update({f"word{n}": word for n, word in enumerate(filters.words)})
    if not shape.words:
        rows = history_queries.history_page_query(shape).rows(
            clinic=clinic.pk, offset=offset, limit=limit, **values
        )
        return [ticket_row(row) for row in rows]
    with planned_each_time():
        found = history_queries.search_ids_query(shape).rows(
            clinic=clinic.pk, offset=offset, limit=limit, **values
        )
    if not found:
        return []
    ids = {f"id{n}": row[0] for n, row in enumerate(found)}
    rows = history_queries.rows_by_ids_query(len(ids)).rows(clinic=clinic.pk, **ids)
    return [ticket_row(row) for row in rows]


def ticket_history_count(*, clinic: Clinic, filters: HistoryFilters) -> int | None:
    """How many tickets the history lists with these filters, from the kept counts; None for
    a search, whose matches are not counted (tickets/pagination.py)."""
    if filters.words:
        return None
    query = history_queries.HISTORY_COUNTS[(bool(filters.state), bool(filters.area))]
    values = {"state": filters.state} if filters.state else {}
    if filters.area:
        values["area"] = filters.area
    found = query.rows(clinic=clinic.pk, **values)
    return (found[0][0] or 0) if found else 0


def ticket_latest(*, clinic: Clinic, limit: int = 5) -> list[TicketRow]:
    return ticket_history_page(clinic=clinic, filters=HistoryFilters(), offset=0, limit=limit)


def ticket_for_follow_up(*, clinic: Clinic, code: str) -> Ticket | None:
    """The clinic's ticket that a new ticket follows up, or None."""
    if not CODE_RE.match(code or ""):
        return None
    return _visible(clinic).filter(code=code).only("id", "code", "clinic_id").first()
