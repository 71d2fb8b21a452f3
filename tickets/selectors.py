"""Every read of tickets by a clinic goes through here, scoped by ``clinic=``.

A ticket of another clinic, a deleted one and one that does not exist are the same 404.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

import tickets.lookups  # noqa: F401 (registers __ilike_contains)
from accounts.models import Clinic, User
from tickets.models import (
    CODE_PATTERN,
    Ticket,
    TicketAddition,
    TicketCount,
    TicketEvent,
    TicketResponse,
)
from tickets.rows import ROW_COLUMNS, TicketRow, ticket_row
from tickets.states import State
from vetsync_support.compiled_queries import (
    CompiledQuery,
    LikeText,
    Limit,
    Offset,
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
    return Ticket.objects.filter(clinic_id=clinic_id, deleted_at__isnull=True)


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


@dataclass(frozen=True)
class _HistoryShape:
    """Which filters a history query has: each shape is compiled once."""

    state: bool
    area: bool
    words: int
    code_prefix: bool

    @classmethod
    def of(cls, filters: HistoryFilters) -> "_HistoryShape":
        return cls(
            bool(filters.state), bool(filters.area), len(filters.words), filters.is_code_prefix
        )

    def markers(self) -> dict:
        markers = {"clinic": Value(0)}
        if self.state:
            markers["state"] = Text(1)
        if self.area:
            markers["area"] = Text(2)
        for n in range(self.words):
            markers[f"word{n}"] = LikeText(10 + n)
        return markers

    def filtered(self, clinic, **values) -> QuerySet[Ticket]:
        tickets = _visible_by_id(clinic)
        if self.state:
            tickets = tickets.filter(state=values["state"])
        if self.area:
            tickets = tickets.filter(area=values["area"])
        if self.code_prefix:
            tickets = tickets.filter(code__startswith=values["word0"])
        else:
            for n in range(self.words):
                tickets = tickets.filter(detail__ilike_contains=values[f"word{n}"])
        return tickets.order_by("-created_at", "-id")

    def page_query(self, clinic, offset, limit, **values) -> QuerySet:
        # The page's ids come from the index alone, as a subquery; only those rows are joined
        # with their requester and latest response (page 40 costs what page 1 costs).
        ids = self.filtered(clinic, **values).values("pk")[offset : offset + limit]
        return (
            _visible_by_id(clinic)
            .filter(pk__in=ids)
            .order_by("-created_at", "-id")
            .values_list(*ROW_COLUMNS)
        )


_HISTORY_PAGES: dict[_HistoryShape, CompiledQuery] = {}
_SEARCH_IDS: dict[_HistoryShape, CompiledQuery] = {}
_ROWS_BY_IDS: dict[int, CompiledQuery] = {}


def _history_page_query(shape: _HistoryShape) -> CompiledQuery:
    query = _HISTORY_PAGES.get(shape)
    if query is None:
        query = _HISTORY_PAGES[shape] = CompiledQuery(
            shape.page_query, offset=Offset, limit=Limit, **shape.markers()
        )
    return query


def _search_ids_query(shape: _HistoryShape) -> CompiledQuery:
    query = _SEARCH_IDS.get(shape)
    if query is None:
        query = _SEARCH_IDS[shape] = CompiledQuery(
            lambda clinic, offset, limit, **values: shape.filtered(clinic, **values).values_list(
                "pk"
            )[offset : offset + limit],
            offset=Offset,
            limit=Limit,
            **shape.markers(),
        )
    return query


def _rows_by_ids_query(count: int) -> CompiledQuery:
    query = _ROWS_BY_IDS.get(count)
    if query is None:
        query = _ROWS_BY_IDS[count] = CompiledQuery(
            lambda clinic, **ids: (
                _visible_by_id(clinic)
                .filter(pk__in=list(ids.values()))
                .order_by("-created_at", "-id")
                .values_list(*ROW_COLUMNS)
            ),
            clinic=Value(0),
            **{f"id{n}": Value(100 + n) for n in range(count)},
        )
    return query


def ticket_history_page(
    *, clinic: Clinic, filters: HistoryFilters, offset: int, limit: int
) -> list[TicketRow]:
    """``limit`` rows of the clinic's history from ``offset``, newest first, filtered: one
    query whose SQL is compiled once per combination of filters.

    A search by words takes two: its matches' ids, planned by PostgreSQL for its own words each
    time (``vetsync_support/query_plans.py``), and then their rows, whose plan is prepared."""
    shape = _HistoryShape.of(filters)
    values = {"state": filters.state, "area": filters.area}
    values.update({f"word{n}": word for n, word in enumerate(filters.words)})
    if not shape.words:
        rows = _history_page_query(shape).rows(
            clinic=clinic.pk, offset=offset, limit=limit, **values
        )
        return [ticket_row(row) for row in rows]
    with planned_each_time():
        found = _search_ids_query(shape).rows(
            clinic=clinic.pk, offset=offset, limit=limit, **values
        )
    if not found:
        return []
    ids = {f"id{n}": row[0] for n, row in enumerate(found)}
    rows = _rows_by_ids_query(len(ids)).rows(clinic=clinic.pk, **ids)
    return [ticket_row(row) for row in rows]


def _count_query(state: bool, area: bool) -> CompiledQuery:
    def build(clinic, state=None, area=None):
        counts = TicketCount.objects.filter(clinic_id=clinic)
        if state is not None:
            counts = counts.filter(state=state)
        if area is not None:
            counts = counts.filter(area=area)
        return counts.order_by().values("clinic").annotate(n=Sum("count")).values_list("n")

    markers = {"clinic": Value(0)}
    if state:
        markers["state"] = Text(1)
    if area:
        markers["area"] = Text(2)
    return CompiledQuery(build, **markers)


_HISTORY_COUNTS = {(s, a): _count_query(s, a) for s in (False, True) for a in (False, True)}


def ticket_history_count(*, clinic: Clinic, filters: HistoryFilters) -> int | None:
    """How many tickets the history lists with these filters, from the kept counts; None for
    a search, whose matches are not counted (tickets/pagination.py)."""
    if filters.words:
        return None
    query = _HISTORY_COUNTS[(bool(filters.state), bool(filters.area))]
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


UNANSWERED_AFTER = timedelta(hours=24)


def agent_dashboard() -> dict:
    """For the agents' index page, over all clinics: tickets in each state (one grouped query)
    and the open ones with no response for more than 24 hours."""
    counts = dict(
        TicketCount.objects.order_by()
        .values_list("state")
        .annotate(n=Sum("count"))
        .values_list("state", "n")
    )
    unanswered = unanswered_tickets().count()
    return {
        "totals": [{"state": state, "count": counts.get(state.value, 0)} for state in State],
        "unanswered": unanswered,
    }


def unanswered_tickets() -> QuerySet[Ticket]:
    """Open tickets with no response of the team for more than 24 hours."""
    return Ticket.objects.filter(
        deleted_at__isnull=True,
        state=State.ABIERTO,
        latest_response__isnull=True,
        created_at__lt=timezone.now() - UNANSWERED_AFTER,
    )
