"""Spanish error pages in the portal's layout, never a traceback. Every refusal is logged."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError

from vetsync_support.logging import log_event
from vetsync_support.rendering import render_page

logger = logging.getLogger("vetsync.access")

RETRY_AFTER_SECONDS = 30


def _refused(request, status: int, reason: str, template: str = ""):
    user = getattr(request, "user", None)
    clinic = getattr(request, "clinic", None)
    log_event(
        logger,
        "access.refused",
        status=status,
        reason=reason,
        path=request.path[:300],
        method=request.method,
        user=user.get_username() if user is not None and user.is_authenticated else None,
        clinic_rut=clinic.rut if clinic is not None else None,
        ip=request.META.get("REMOTE_ADDR"),
    )
    return render_page(request, template or f"{status}.html", status=status)


def csrf_failure(request, reason=""):
    return _refused(request, 403, "csrf", "403_csrf.html")


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # A form's text over DATA_UPLOAD_MAX_MEMORY_SIZE in a body the route lets through
        # (its files are larger: vetsync_support/middleware.py) is the same 413 as any other.
        return request_too_large(request)
    return _refused(request, 400, type(exception).__name__)


def permission_denied(request, exception=None):
    return _refused(request, 403, "permission")


def page_not_found(request, exception=None):
    # Another clinic's ticket lands here too, with the same page as a missing one.
    return _refused(request, 404, "not_found")


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised (a view or a
    # middleware reading the session), so a database that is down is told apart here: fail
    # closed, with a Spanish 503 that asks to come back, never data or a trace.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        log_event(logger, "database.unavailable", level=logging.ERROR, path=request.path[:300])
        response = render_page(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render_page(request, "500.html", status=500)


def request_too_large(request):
    return _refused(request, 413, "too_large")
