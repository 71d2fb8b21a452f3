from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets de soporte"
    # What the "Agentes" group may do here (accounts/agents.py): answer, never delete.
    agent_permissions = {
        "ticket": ("view", "change"),
        "ticketresponse": ("view", "add"),
        "ticketnote": ("view", "add"),
        "ticketevent": ("view",),
        "ticketaddition": ("view",),
    }
