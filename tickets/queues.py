"""The agents' queues, defined once for the ticket list's links (desk/admin/queues.py) and the
counts above it and on the admin's index page. Every queue but the closed half of *Esperando a
la clínica* reads open tickets only, on partial indexes that hold just those (Ticket.Meta): each
count reads index entries, never the table (all seven parts in one statement: about 3 ms at
200,000 tickets, 13,400 of them open, on PostgreSQL)."""

import operator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce

from django.conf import settings
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.models import OPEN_VISIBLE, Ticket
from tickets.states import State
from vetsync_support.caching import kept
from vetsync_support.dates import SANTIAGO

# A case closed as the clinic's responsibility waits for the clinic this long.
CLOSED_WAITING_DAYS = 7


@dataclass(frozen=True)
class Moment:
    """What a queue is relative to: who looks, and when."""

    user: User
    now: datetime

    @property
    def end_of_today(self) -> datetime:
        """Midnight at the end of today in Santiago (where the team works)."""
        today = self.now.astimezone(SANTIAGO).date()
        return datetime.combine(today + timedelta(days=1), time(0), SANTIAGO)


def queue_parts(moment: Moment) -> dict[str, tuple[Q, ...]]:
    """Each queue's tickets by slug, as disjoint parts (most queues have one): the list filters
    on their OR, and the count adds up one index-only count a part."""
    due_today = Q(next_due_at__gt=moment.now, next_due_at__lt=moment.end_of_today)
    # Cases closed as the clinic's responsibility in the last 7 days wait for the clinic too
    # (the team's change of state is its last activity).
    closed_for_clinic = Q(
        state=State.CERRADO_RESPONSABILIDAD_CLIENTE,
        deleted_at__isnull=True,
        last_team_activity_at__gte=moment.now - timedelta(days=CLOSED_WAITING_DAYS),
    )
    return {
        "mios": (OPEN_VISIBLE & Q(assigned_to=moment.user),),
        "sin_asignar": (OPEN_VISIBLE & Q(assigned_to__isnull=True),),
        # next_due_at: the pending target, the first response while unanswered, then the resolution
        "vencidos": (OPEN_VISIBLE & Q(next_due_at__lte=moment.now),),
        "vencen_hoy": (OPEN_VISIBLE & due_today,),
        # Open tickets whose last word is the team's response, and the closed ones above: two
        # parts (never both) counted apart, each an index-only count, where their OR reads the
        # table (13 ms against 1 ms at 200,000 tickets, 3,800 of them waiting).
        "esperando_clinica": (OPEN_VISIBLE & Q(awaiting_clinic=True), closed_for_clinic),
        "abiertos": (OPEN_VISIBLE,),
    }


@dataclass(frozen=True)
class Queue:
    slug: str  # the ``cola`` parameter of the list's links (kept in bookmarks)
    label: str | Promise

    def parts(self, moment: Moment) -> tuple[Q, ...]:
        return queue_parts(moment)[self.slug]

    def tickets(self, tickets: QuerySet[Ticket], moment: Moment) -> QuerySet[Ticket]:
        return tickets.filter(reduce(operator.or_, self.parts(moment)))


QUEUES = [
    Queue("mios", _("Mis tickets")),
    Queue("sin_asignar", _("Sin asignar")),
    Queue("vencidos", _("Vencidos")),
    Queue("vencen_hoy", _("Vencen hoy")),
    Queue("esperando_clinica", _("Esperando a la clínica")),
    Queue("abiertos", _("Todos los abiertos")),
]
BY_SLUG = {queue.slug: queue for queue in QUEUES}


def moment_for(user: User, now: datetime | None = None) -> Moment:
    return Moment(user=user, now=now or timezone.now())


def queue_counts_query(moment: Moment) -> QuerySet:
    """The statement of queue_counts: (slug, count) rows, one a part of a queue."""
    counts = [
        Ticket.objects.filter(part)
        .annotate(queue=Value(queue.slug, output_field=CharField()))
        .values("queue")
        .annotate(n=Count("*"))  # COUNT(*): index-only scans of the partial indexes
        .values_list("queue", "n")
        .order_by()
        for queue in QUEUES
        for part in queue.parts(moment)
    ]
    return counts[0].union(*counts[1:], all=True).order_by()


def queue_counts(moment: Moment) -> list[tuple[Queue, int]]:
    """Each queue with its count, in one statement (one round trip instead of seven), kept in
    the cache per viewer. PostgreSQL's auto mode plans it for its own values: a generic plan
    cannot tell that ``state IN ($1, $2)`` is the partial indexes' predicate and counts the
    table instead (measured at 50,000 tickets: 6 ms against 100-230 ms)."""

    def counted() -> dict[str, int]:
        by_slug: dict[str, int] = {}
        for slug, n in queue_counts_query(moment):
            by_slug[slug] = by_slug.get(slug, 0) + n
        return by_slug

    # Kept a while: at 1,000,000 tickets (68,000 open) the statement takes 24-60 ms, and
    # computing it on every list page took the list from 0.15x to 0.06x of the baseline
    # (docs/PERFORMANCE.md). A queue's own list is always read fresh.
    by_slug = kept(
        f"tickets:queue-counts:{moment.user.pk}",  # "Mis tickets" is the viewer's own
        settings.ADMIN_COUNTS_CACHE_SECONDS,
        counted,
    )
    return [(queue, by_slug.get(queue.slug, 0)) for queue in QUEUES]
