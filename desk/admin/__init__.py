"""The agents' desk: the Django admin of tickets (TicketAdmin in ``ticket_admin.py``), for
SmartAutomate agents. Every change goes through tickets/services.py."""

from django.contrib import admin

from desk.admin.ticket_admin import TicketAdmin
from tickets.models import Ticket

admin.site.register(Ticket, TicketAdmin)
