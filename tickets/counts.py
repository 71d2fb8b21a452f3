"""TicketCount, kept by tickets/services.py, so that the panel's totals and the history's counts
read a handful of rows instead of counting a clinic's tickets."""

from django.db import connection

from tickets.models import Ticket

# One statement, also for a clinic's first ticket in an area and state; two transactions
# adding to one count wait for each other instead of both inserting it.
ADD = """
INSERT INTO tickets_ticketcount (clinic_id, area, state, count)
VALUES (%s, %s, %s, %s)
ON CONFLICT (clinic_id, area, state)
DO UPDATE SET count = tickets_ticketcount.count + excluded.count
"""


def count_add(ticket: Ticket, *, state: str, delta: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(ADD, [ticket.clinic_id, ticket.area, state, delta])


def count_move(ticket: Ticket, *, from_state: str, to_state: str) -> None:
    # Two counts changed in a fixed order, so that transactions moving tickets of one clinic
    # in opposite directions cannot deadlock.
    for state, delta in sorted([(from_state, -1), (to_state, 1)]):
        count_add(ticket, state=state, delta=delta)
