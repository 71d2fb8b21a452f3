"""Keeping TicketTiming: the ``timing*`` functions receive (reports/apps.py) the tickets' changes
(tickets/events.py) and the due times recomputed by new targets, in that change's transaction.
Whether a first response or closing met its target is judged here, once, by target_met against
the ticket's due moment (the desk's definition), and kept in the met flags the reports count."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.db import transaction

from reports.models import TicketTiming
from service_levels.business_hours import SANTIAGO, business_duration
from service_levels.due_times import target_met
from tickets.models import Ticket, TicketEvent
from tickets.states import CLOSED_STATES, is_closed


def business_seconds(start: datetime, end: datetime) -> int:
    return int(business_duration(start, end).total_seconds())


def local_day(moment: datetime) -> date:
    return moment.astimezone(SANTIAGO).date()


def _timing(ticket: Ticket, **fields) -> TicketTiming:
    return TicketTiming(
        ticket_id=ticket.pk,
        clinic_id=ticket.clinic_id,
        area=ticket.area,
        created_at=ticket.created_at,
        created_day=local_day(ticket.created_at),
        **fields,
    )


def _first_response(ticket: Ticket, at: datetime) -> dict:
    return {
        "first_response_at": at,
        "first_response_day": local_day(at),
        "first_response_seconds": business_seconds(ticket.created_at, at),
        "first_response_met": target_met(at, ticket.first_response_due_at),
    }


def _first_closing(ticket: Ticket, at: datetime, closed_state: str) -> dict:
    return {
        "resolved_at": at,
        "resolved_day": local_day(at),
        "resolution_seconds": business_seconds(ticket.created_at, at),
        "resolution_met": target_met(at, ticket.resolution_due_at),
        "closed_state": closed_state,
    }


def timing_ticket_created(*, ticket: Ticket, **_) -> None:
    _timing(ticket).save(force_insert=True)


def timing_first_response(*, ticket: Ticket, first: bool, **_) -> None:
    """A response; the ticket's first of the team (``first``) set ``ticket.first_response_at``."""
    if first and ticket.first_response_at is not None:
        fields = _first_response(ticket, ticket.first_response_at)
        # One statement, also for a ticket created before the reports existed.
        TicketTiming.objects.bulk_create(
            [_timing(ticket, **fields)],
            update_conflicts=True,
            unique_fields=["ticket"],
            update_fields=list(fields),
        )


def timing_moved(*, ticket: Ticket, **_) -> None:
    """The ticket moved: whether it is open, and its first closing (``ticket.resolved_at``, set
    once) with the state it was closed in; a closing after a reopening changes only is_open."""
    updated = TicketTiming.objects.filter(ticket_id=ticket.pk).update(
        is_open=not is_closed(ticket.state)
    )
    if not updated:  # a ticket of before the reports
        TicketTiming.objects.filter(ticket_id=ticket.pk).delete()
        TicketTiming.objects.bulk_create(_timings([ticket]))
    elif ticket.resolved_at is not None and is_closed(ticket.state):
        TicketTiming.objects.filter(ticket_id=ticket.pk, resolved_at__isnull=True).update(
            **_first_closing(ticket, ticket.resolved_at, ticket.state)
        )


def timing_ticket_deleted(*, ticket: Ticket, **_) -> None:
    """A ticket deleted by its clinic (created by error) leaves the reports."""
    TicketTiming.objects.filter(ticket_id=ticket.pk).delete()


def timings_met_refresh(*, ticket_ids: Iterable[int], **_) -> int:
    """Judge the met flags of these open tickets' timings again from their due moments, which
    their area's new targets recomputed (service_levels/services.py); return how many changed."""
    tickets = Ticket.objects.filter(pk__in=list(ticket_ids)).only(
        "pk", "first_response_at", "resolved_at", "first_response_due_at", "resolution_due_at"
    )
    met = {
        ticket.pk: (
            target_met(ticket.first_response_at, ticket.first_response_due_at),
            target_met(ticket.resolved_at, ticket.resolution_due_at),
        )
        for ticket in tickets
    }
    changed = []
    timings = TicketTiming.objects.filter(ticket_id__in=list(met)).only(
        "ticket_id", "first_response_met", "resolution_met"
    )
    for timing in timings:
        flags = met[timing.ticket_id]
        if (timing.first_response_met, timing.resolution_met) != flags:
            timing.first_response_met, timing.resolution_met = flags
            changed.append(timing)
    TicketTiming.objects.bulk_update(changed, ["first_response_met", "resolution_met"])
    return len(changed)


def _first_closings(ticket_ids: list[int]) -> dict[int, str]:
    """The state of each ticket's first move to a closed state, from its events."""
    closings: dict[int, str] = {}
    for ticket_id, state in (
        TicketEvent.objects.filter(
            ticket_id__in=ticket_ids,
            kind=TicketEvent.Kind.STATE_CHANGED,
            to_state__in=list(CLOSED_STATES),
        )
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "to_state")
    ):
        closings.setdefault(ticket_id, state)
    return closings


def _timings(tickets: Iterable[Ticket]) -> Iterator[TicketTiming]:
    tickets = [ticket for ticket in tickets if ticket.deleted_at is None]
    closings = _first_closings([ticket.pk for ticket in tickets])
    for ticket in tickets:
        fields: dict = {}
        if ticket.first_response_at is not None:
            fields |= _first_response(ticket, ticket.first_response_at)
        if ticket.resolved_at is not None:
            fallback = ticket.state if is_closed(ticket.state) else ""
            fields |= _first_closing(ticket, ticket.resolved_at, closings.get(ticket.pk, fallback))
        yield _timing(ticket, is_open=not is_closed(ticket.state), **fields)


@transaction.atomic
def timings_rebuild() -> int:
    """Compute every ticket's timing again from the tickets and their events (after a bulk load
    that bypassed the services, or for the tickets of before the reports). Returns the rows."""
    TicketTiming.objects.all().delete()
    fields = [
        "id",
        "clinic_id",
        "area",
        "state",
        "created_at",
        "first_response_at",
        "resolved_at",
        "first_response_due_at",
        "resolution_due_at",
        "deleted_at",
    ]
    written = last_id = 0
    while True:
        chunk = list(Ticket.objects.filter(pk__gt=last_id).order_by("pk").only(*fields)[:2_000])
        if not chunk:
            return written
        last_id = chunk[-1].pk
        written += len(TicketTiming.objects.bulk_create(_timings(chunk)))
