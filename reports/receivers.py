"""The reports' timings follow the tickets' changes (tickets/events.py), in their transaction."""

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
