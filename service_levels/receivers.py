"""A new ticket's due times, set before its INSERT (tickets/events.py ticket_creating)."""

from service_levels.due_times import due_times
from service_levels.selectors import response_targets_for


def on_ticket_creating(*, ticket, **_):
    due = due_times(created_at=ticket.created_at, targets=response_targets_for(ticket.area))
    ticket.first_response_due_at = due.first_response
    ticket.resolution_due_at = due.resolution
