"""Spanish error pages in the portal's layout, never a traceback. Every refusal is logged."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError

from vetsync_support.logging import log_event
from vetsync_support.rendering import render_page

logger = logging.getLogger("vetsync.access")

RETRY_AFTER_SECONDS = 30


def _who(request) -> dict:
    user = getattr(request, "user", None)
    clinic = getattr(request, "clinic", None)
    return {
        "path": request.path[:300],
        "method": request.method,
        "user": user.get_username() if user is not None and user.is_authenticated else None,
        "clinic_rut": clinic.rut if clinic is not None else None,
        "ip": request.META.get("REMOTE_ADDR"),
    }


def csrf_failure(request, reason=""):
    log_event(logger, "access.refused", status=403, reason="csrf", **_who(request))
    return render_page(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # A form's text over DATA_UPLOAD_MAX_MEMORY_SIZE in a body the route lets through
        # (its files are larger: vetsync_support/middleware.py) is the same 413 as any other.
        return request_too_large(request)
    log_event(
        logger, "access.refused", status=400, reason=type(exception).__name__, **_who(request)
    )
    return render_page(request, "400.html", status=400)


def permission_denied(request, exception=None):
    log_event(logger, "access.refused", status=403, reason="permission", **_who(request))
    return render_page(request, "403.html", status=403)


def page_not_found(request, exception=None):
    # Another clinic's ticket lands here too, with the same page as a missing one.
    log_event(logger, "access.refused", status=404, reason="not_found", **_who(request))
    return render_page(request, "404.html", status=404)


def database_unavailable(request):
    """Fail closed: a Spanish 503 that asks to come back, never data or a trace."""
    log_event(logger, "database.unavailable", level=logging.ERROR, path=request.path[:300])
    response = render_page(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised (a view or a
    # middleware reading the session), so a database that is down is told apart here.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        return database_unavailable(request)
    return render_page(request, "500.html", status=500)


def request_too_large(request):
    log_event(logger, "access.refused", status=413, reason="too_large", **_who(request))
    return render_page(request, "413.html", status=413)
