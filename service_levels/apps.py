from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceLevelsConfig(AppConfig):
    name = "service_levels"
    verbose_name = _("Tiempos de respuesta")
    agent_permissions = {"responsetarget": ("view", "change")}  # accounts/agents.py

    def ready(self):
        from service_levels.due_times import on_ticket_creating
        from tickets import events

        events.ticket_creating.connect(on_ticket_creating, dispatch_uid=__name__)
