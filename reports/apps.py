from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Informes")
    # Informes (reports/views.py): whoever may view the tickets' timings sees the reports.
    agent_permissions = {"tickettiming": ("view",)}  # accounts/agents.py

    def ready(self):
        from reports import services
        from service_levels.services import due_times_recomputed
        from tickets import events

        events.ticket_created.connect(services.timing_ticket_created, dispatch_uid=__name__)
        events.ticket_moved.connect(services.timing_moved, dispatch_uid=__name__)
        events.ticket_responded.connect(services.timing_first_response, dispatch_uid=__name__)
        events.ticket_deleted.connect(services.timing_ticket_deleted, dispatch_uid=__name__)
        due_times_recomputed.connect(services.timings_met_refresh, dispatch_uid=__name__)
