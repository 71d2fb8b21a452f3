"""The reports' timings follow the tickets' changes (tickets/events.py) and the due times
recomputed when an area's targets change (service_levels/services.py), in their transaction."""

from reports import services


def on_ticket_created(*, ticket, **_):
    services.timing_ticket_created(ticket=ticket)


def on_ticket_moved(*, ticket, **_):
    services.timing_moved(ticket=ticket)


def on_ticket_responded(*, ticket, first, **_):
    if first:
        services.timing_first_response(ticket=ticket)


def on_ticket_deleted(*, ticket, **_):
    services.timing_ticket_deleted(ticket=ticket)


def on_due_times_recomputed(*, ticket_ids, **_):
    services.timings_met_refresh(ticket_ids=ticket_ids)
