"""The agents' desk: the Django admin of tickets (TicketAdmin in ``ticket_admin.py``, which
registers it), for SmartAutomate agents. Every change goes through tickets/services.py."""

from desk.admin import ticket_admin  # noqa: F401  (autodiscovered: registers TicketAdmin)
