"""Per-request checks of a logged-in user: session limits and the VetSync account state."""

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.forms import INACTIVE_ACCOUNT
from accounts.selectors import vetsync_account_is_active
from accounts.sessions import session_has_expired
from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.auth")


class PortalSessionMiddleware:
    """Sets ``request.clinic`` from the session only (never from the URL or a form); ends the
    session past its absolute or idle limit, or once the user or clinic is inactive in VetSync."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.clinic = None
        user = request.user
        if user.is_authenticated:
            if session_has_expired(request):
                message = _("Su sesión expiró. Ingrese nuevamente.")
                return self._end_session(request, "session.expired", message)
            if user.is_clinic_user:
                if not vetsync_account_is_active(user=user):
                    return self._end_session(request, "session.vetsync_inactive", INACTIVE_ACCOUNT)
                request.clinic = user.clinic
        return self.get_response(request)

    @staticmethod
    def _end_session(request, event, message):
        log_event(logger, event, user=request.user.username)
        logout(request)
        messages.warning(request, message)
        return redirect("admin:login" if request.path.startswith("/admin/") else "accounts:login")
