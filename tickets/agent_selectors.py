"""The agents' reads over all clinics (the admin's index page, its list filters and its form)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.models import AGENT, User
from tickets.models import OPEN_VISIBLE, Ticket, TicketCount
from tickets.states import State
from vetsync_support.caching import kept

UNANSWERED_AFTER = timedelta(hours=24)
UNANSWERED_CACHE_KEY = "tickets:unanswered-count"


def agent_dashboard() -> dict:
    """For the agents' index page, over all clinics: tickets in each state (one grouped query)
    and the open ones with no response for more than 24 hours."""
    totals = TicketCount.objects.order_by().values("state").annotate(n=Sum("count"))
    counts = dict(totals.values_list("state", "n"))
    return {
        "totals": [{"state": state, "count": counts.get(state.value, 0)} for state in State],
        # Kept as long as the queues' counts. Planned for its own values (PostgreSQL's auto
        # mode finds no cheaper generic plan): at 1,000,000 tickets the count took 200-500 ms
        # with the generic plan, 110 ms with its own.
        "unanswered": kept(
            UNANSWERED_CACHE_KEY,
            settings.ADMIN_COUNTS_CACHE_SECONDS,
            lambda: unanswered_tickets().count(),
        ),
    }


def unanswered_tickets(tickets: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    """Unanswered, the one definition: open tickets (Abierto or En proceso, not deleted) with no
    response of the team for more than 24 hours since they were created (of ``tickets``, or of
    all). A ticket an agent moved to En proceso without a word to the clinic is unanswered too."""
    tickets = Ticket.objects.all() if tickets is None else tickets
    return tickets.filter(
        OPEN_VISIBLE, latest_response__isnull=True, created_at__lt=timezone.now() - UNANSWERED_AFTER
    )


def agents() -> QuerySet[User]:
    """The SmartAutomate agents: staff accounts of no clinic (active or not)."""
    return User.objects.filter(AGENT)


def assignable_agents() -> QuerySet[User]:
    """The agents a ticket may be assigned to: the active ones, by name."""
    return (
        agents()
        .filter(is_active=True)
        .order_by("full_name", "first_name", "last_name", "username", "id")
    )
