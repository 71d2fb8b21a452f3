"""Requests refused before Django reads them."""

from django.conf import settings

from attachments.limits import UPLOAD_BODY_LIMIT, UPLOAD_PATHS
from vetsync_support.error_views import request_too_large

# Room for the multipart/urlencoded framing around the largest form the portal accepts.
BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def body_limit(path: str) -> int:
    """The largest body a route accepts: the forms that carry files (the ticket form and
    "Agregar información", attachments/limits.py) take 5 files of 10 MB; every other route
    keeps the small limit."""
    return UPLOAD_BODY_LIMIT if UPLOAD_PATHS.match(path) else BODY_LIMIT


class RequestSizeLimitMiddleware:
    """A body larger than its route accepts gets a Spanish 413, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request.path_info):
            return request_too_large(request)
        return self.get_response(request)
