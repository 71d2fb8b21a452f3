"""Requests refused before Django reads them."""

from django.conf import settings
from django.urls import Resolver404, resolve

from vetsync_support.error_views import request_too_large

# Room for the multipart/urlencoded framing around the largest form the portal accepts.
BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def body_limit(path: str) -> int:
    """The largest body a route accepts: its view's ``body_limit`` (the forms that carry files
    set theirs with attachments.limits.accepts_files), else the small limit."""
    try:
        view = resolve(path).func
    except Resolver404:
        return BODY_LIMIT
    return getattr(view, "body_limit", BODY_LIMIT)


class RequestSizeLimitMiddleware:
    """A body larger than its route accepts gets a Spanish 413, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The route is looked up only for a body over the small limit.
        if length > BODY_LIMIT and length > body_limit(request.path_info):
            return request_too_large(request)
        return self.get_response(request)
