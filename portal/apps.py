from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The clinics' pages (guide §2-§9): the ticket core and the features composed."""

    name = "portal"
    verbose_name = "Portal de las clínicas"
