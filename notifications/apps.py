from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notificaciones")

    def ready(self):
        from django.core.checks import Tags, register

        from vetsync_support.checks import portal_base_url_is_public

        # The e-mails' links need the portal's public address.
        register(portal_base_url_is_public, Tags.security, deploy=True)
