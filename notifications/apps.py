from django.apps import AppConfig
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notificaciones")
    agent_permissions = {"notification": ("view", "change")}  # accounts/agents.py

    def ready(self):
        from notifications import services
        from tickets import events
        from vetsync_support.checks import portal_base_url_is_public

        # The e-mails' links need the portal's public address.
        register(portal_base_url_is_public, Tags.security, deploy=True)
        events.ticket_created.connect(services.notify_ticket_created, dispatch_uid=__name__)
        events.ticket_moved.connect(services.notify_state_changed, dispatch_uid=__name__)
        events.ticket_responded.connect(services.notify_response_published, dispatch_uid=__name__)
