"""The agents' desk: the Django admin of tickets, for SmartAutomate agents.

- ``ticket_admin.py``: the ticket list and a ticket's page (TicketAdmin)
- ``forms.py``: the page's form (allowed moves, agents, response and internal note)
- ``blocks.py``: the page's read-only blocks (templates in templates/admin/tickets/ticket/blocks/)
- ``filters.py``, ``pagination.py``, ``actions.py``: the list's filters, capped count and bulk
  actions
- ``queues.py``: the queues above the list with their counts (defined in tickets/queues.py),
  the "Vence en …" column and the page's response-time targets

Every change goes through tickets/services.py.
"""

from django.contrib import admin

from desk.admin.ticket_admin import TicketAdmin
from tickets.models import Ticket

admin.site.register(Ticket, TicketAdmin)
