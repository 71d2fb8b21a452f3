"""The e-mails that follow the tickets' changes (tickets/events.py): stored in the change's
transaction, sent after it commits (notifications/services.py)."""

from notifications import services


def on_ticket_created(*, ticket, **_):
    services.notify_ticket_created(ticket=ticket)


def on_ticket_moved(*, ticket, from_state, to_state, **_):
    services.notify_state_changed(ticket=ticket, from_state=from_state, to_state=to_state)


def on_ticket_responded(*, ticket, response, **_):
    services.notify_response_published(ticket=ticket, response=response)
