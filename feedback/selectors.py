"""Reads of the clinics' answers to "¿Se resolvió su problema?": a clinic's answer on its
ticket's page (portal/views.py composes it), and the agents' monthly rates over every clinic."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from accounts.models import Clinic, person_display_name
from feedback.models import Feedback
from feedback.services import FEEDBACK_STATE
from tickets.models import TicketEvent
from tickets.sql import TicketDetail

# The author's names, in person_display_name's order.
AUTHOR_NAMES = ("author__full_name", "author__first_name", "author__last_name", "author__username")


@dataclass(frozen=True, slots=True)
class TicketFeedback:
    """The clinic's answer to "¿Se resolvió su problema?", as its ticket's page shows it."""

    solved: bool
    comment: str
    created_at: datetime
    author_name: str


def feedback_on_ticket(*, clinic: Clinic, ticket: TicketDetail) -> TicketFeedback | None:
    """The clinic's answer on its ticket (one at most), or None. Only a ticket in FEEDBACK_STATE,
    the only state in which one is taken (feedback/services.py), or that left it since (a change
    of state the clinic sees, in ``ticket.events``) may have one: no query for any other."""
    if ticket.state != FEEDBACK_STATE and not any(
        event.kind == TicketEvent.Kind.STATE_CHANGED and event.from_state == FEEDBACK_STATE
        for event in ticket.events
    ):
        return None
    found = (
        Feedback.objects.filter(
            ticket_id=ticket.id, ticket__clinic=clinic, ticket__deleted_at__isnull=True
        )
        .order_by()
        .values_list("solved", "comment", "created_at", *AUTHOR_NAMES)[:1]
    )
    for solved, comment, created_at, *author in found:
        return TicketFeedback(solved, comment, created_at, person_display_name(*author))
    return None


@dataclass(frozen=True)
class MonthlyRate:
    """A month's answers (America/Santiago) and how many said "Sí, quedó resuelto"."""

    month: datetime
    answers: int
    solved: int

    @property
    def share(self) -> float:  # the percentage of "Sí" answers, 0-100
        return 100 * self.solved / self.answers if self.answers else 0.0


def feedback_monthly_rates(*, answers: QuerySet[Feedback] | None = None) -> list[MonthlyRate]:
    """Per month, newest first: the ``answers`` (default all) and their "Sí", in one query."""
    queryset = Feedback.objects.all() if answers is None else answers
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(answers=Count("id"), solved=Count("id", filter=Q(solved=True)))
        .order_by("-month")
    )
    return [MonthlyRate(row["month"], row["answers"], row["solved"]) for row in rows]
