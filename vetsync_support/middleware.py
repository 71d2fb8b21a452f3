"""Fail closed with a Spanish 503 when either database does not answer."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render

from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.errors")

RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request):
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or (
            type(exception) is DatabaseError
        ):
            log_event(logger, "database.unavailable", level=logging.ERROR, path=request.path)
            return database_unavailable_response(request)
        return None
