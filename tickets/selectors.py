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
from accounts.models import Clinic
from tickets.models import (
    CODE_PATTERN,
    Ticket,
    TicketAddition,
    TicketCount,
    TicketEvent,
    TicketResponse,
)
from tickets.states import State

CODE_RE = re.compile(rf"^{CODE_PATTERN}$")
CODE_PREFIX_RE = re.compile(r"^ST-[0-9-]*$", re.IGNORECASE)
MAX_SEARCH_WORDS = 8


def _visible(clinic: Clinic) -> QuerySet[Ticket]:
    return Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)


def ticket_get(*, clinic: Clinic, code: str) -> Ticket:
    """The clinic's ticket with this code, for its detail page, or 404.

    Its texts and events come with it, each in one query of only the columns the page shows:
    ``visible_responses``, ``visible_additions``, ``clinic_events`` and ``visible_follow_ups``.
    """
    if not CODE_RE.match(code or ""):
        raise Http404
    ticket = next(
        iter(
            _visible(clinic)
            .select_related("requester", "follows_up")
            .annotate(
                # Most tickets have neither: their queries are skipped.
                has_additions=Exists(TicketAddition.objects.filter(ticket=OuterRef("pk"))),
                has_follow_ups=Exists(
                    Ticket.objects.filter(follows_up=OuterRef("pk"), deleted_at__isnull=True)
                ),
            )
            .filter(code=code)[:1]
        ),
        None,
    )
    if ticket is None:
        raise Http404
    ticket.clinic = clinic
    if ticket.follows_up is not None and ticket.follows_up.deleted_at is not None:
        ticket.follows_up = None
    ticket.visible_responses = []
    if ticket.latest_response_id is not None:  # set by every response (services)
        ticket.visible_responses = list(
            TicketResponse.objects.filter(ticket=ticket).only("created_at", "text")
        )
    ticket.visible_additions = []
    if ticket.has_additions:
        ticket.visible_additions = list(
            TicketAddition.objects.filter(ticket=ticket)
            .select_related("author")
            .only("created_at", "text", *_person_columns("author"))
        )
    ticket.clinic_events = list(
        TicketEvent.objects.filter(ticket=ticket, kind__in=TicketEvent.CLINIC_VISIBLE_KINDS)
        .select_related("actor")
        .only("created_at", "kind", "from_state", "to_state", *_person_columns("actor"))
    )
    ticket.visible_follow_ups = []
    if ticket.has_follow_ups:
        ticket.visible_follow_ups = list(
            Ticket.objects.filter(follows_up=ticket, deleted_at__isnull=True)
            .order_by("created_at", "id")
            .only("code")
        )
    return ticket


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


def ticket_totals(*, clinic: Clinic) -> dict[str, int]:
    """The number of the clinic's tickets in each of the five states, from the counts the
    database keeps (tickets/count_models.py): a handful of rows, however many tickets."""
    counts = dict(
        TicketCount.objects.filter(clinic=clinic)
        .order_by()
        .values_list("state")
        .annotate(n=Sum("count"))
        .values_list("state", "n")
    )
    return {state.value: counts.get(state.value, 0) for state in State}


# What a row of the history shows (tickets/templatetags/tickets_display.py), and no more.
HISTORY_COLUMNS = (
    "code",
    "state",
    "area",
    "created_at",
    "requester__full_name",
    "requester__first_name",
    "requester__last_name",
    "requester__username",
    "latest_response__text",
    "latest_response__created_at",
)


@dataclass(frozen=True)
class HistoryFilters:
    state: str = ""
    area: str = ""
    query: str = ""


def ticket_history(*, clinic: Clinic, filters: HistoryFilters | None = None) -> QuerySet[Ticket]:
    """The clinic's tickets, newest first, for the history (paginate it: never load it whole)."""
    filters = filters or HistoryFilters()
    tickets = _visible(clinic)
    if filters.state:
        tickets = tickets.filter(state=filters.state)
    if filters.area:
        tickets = tickets.filter(area=filters.area)
    query = filters.query.strip()
    if query:
        if CODE_PREFIX_RE.match(query):
            tickets = tickets.filter(code__startswith=query.upper())
        else:
            for word in query.split()[:MAX_SEARCH_WORDS]:
                tickets = tickets.filter(detail__ilike_contains=word)
    return _listed(tickets)


def ticket_history_rows(*, clinic: Clinic, ids) -> QuerySet[Ticket]:
    """The history's rows of these ids (a list or a subquery of the history), in its order."""
    return _listed(_visible(clinic).filter(pk__in=ids))


def _listed(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return (
        tickets.select_related("requester", "latest_response")
        .only(*HISTORY_COLUMNS)
        .order_by("-created_at", "-id")
    )


def ticket_history_count(*, clinic: Clinic, filters: HistoryFilters) -> int | None:
    """How many tickets the history lists with these filters, from the kept counts; None for
    a search, whose matches are not counted (tickets/pagination.py)."""
    if filters.query.strip():
        return None
    counts = TicketCount.objects.filter(clinic=clinic)
    if filters.state:
        counts = counts.filter(state=filters.state)
    if filters.area:
        counts = counts.filter(area=filters.area)
    return counts.aggregate(n=Sum("count"))["n"] or 0


def ticket_latest(*, clinic: Clinic, limit: int = 5) -> list[Ticket]:
    return list(ticket_history(clinic=clinic)[:limit])


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
