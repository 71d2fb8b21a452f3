"""Deployment checks (`manage.py check --deploy`), registered by the app needing each setting."""

from django.conf import settings
from django.core.checks import Warning


def portal_base_url_is_public(app_configs, **kwargs):
    url = settings.PORTAL_BASE_URL
    if url.startswith("https://") and "127.0.0.1" not in url and "localhost" not in url:
        return []
    return [
        Warning(
            "PORTAL_BASE_URL is not the portal's public HTTPS address, so the links in the "
            "e-mails would not reach the clinics.",
            hint="Set PORTAL_BASE_URL, e.g. https://soporte.vetsync.cl",
            id="vetsync.W001",
        )
    ]
