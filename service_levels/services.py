"""Changes of the response-time targets, with the area's open tickets' due times recomputed in
one transaction: in Python (holidays are beyond SQL), one UPDATE a batch of due-time columns."""

from decimal import Decimal

from django.db import transaction
from django.dispatch import Signal

from accounts.models import User
from service_levels.due_times import set_due_times
from service_levels.models import ResponseTarget
from service_levels.selectors import Targets
from tickets.models import OPEN_VISIBLE, Ticket

BATCH = 1_000

# Sent in the transaction per batch recomputed, with ``ticket_ids``: the reports judge them again.
due_times_recomputed = Signal()


@transaction.atomic
def response_target_save(
    *, target: ResponseTarget, first_response_hours: Decimal, resolution_hours: Decimal, actor: User
) -> ResponseTarget:
    """Save an area's targets and recompute its open tickets' due times when they changed.
    ``actor`` is the agent (the admin's log records the change)."""
    hours = (first_response_hours, resolution_hours)
    if target.pk is not None:
        target = ResponseTarget.objects.select_for_update().get(pk=target.pk)
        if (target.first_response_hours, target.resolution_hours) == hours:
            return target
    target.first_response_hours, target.resolution_hours = hours
    target.save()
    ticket_due_times_recompute(area=target.area, targets=target.targets)
    return target


def ticket_due_times_recompute(*, area: str, targets: Targets | None) -> int:
    """Set the area's open tickets' due times from ``targets`` (None: none); return how many."""
    recomputed = last_id = 0
    open_tickets = Ticket.objects.filter(OPEN_VISIBLE, area=area).order_by("pk")
    with transaction.atomic():
        while True:
            batch = list(
                open_tickets.filter(pk__gt=last_id)
                .select_for_update(of=("self",))
                .only("pk", "state", "created_at", "first_response_at", "deleted_at")[:BATCH]
            )
            if not batch:
                return recomputed
            for ticket in batch:
                set_due_times(ticket, targets)
                ticket.next_due_at = ticket.pending_due_at()
            Ticket.objects.bulk_update(
                batch, ["first_response_due_at", "resolution_due_at", "next_due_at"]
            )
            ids = [ticket.pk for ticket in batch]
            due_times_recomputed.send(ticket_due_times_recompute, ticket_ids=ids)
            recomputed += len(batch)
            last_id = batch[-1].pk
