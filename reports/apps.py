from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Informes")
    # Informes (reports/views.py): whoever may view the tickets' timings sees the reports.
    agent_permissions = {"tickettiming": ("view",)}  # accounts/agents.py

    def ready(self):
        from reports import receivers
        from service_levels.services import due_times_recomputed
        from tickets import events

        events.ticket_created.connect(receivers.on_ticket_created, dispatch_uid=__name__)
        events.ticket_moved.connect(receivers.on_ticket_moved, dispatch_uid=__name__)
        events.ticket_responded.connect(receivers.on_ticket_responded, dispatch_uid=__name__)
        events.ticket_deleted.connect(receivers.on_ticket_deleted, dispatch_uid=__name__)
        due_times_recomputed.connect(receivers.on_due_times_recomputed, dispatch_uid=__name__)
