"""Requests refused before Django reads them."""

from django.conf import settings

from vetsync_support.error_views import request_too_large

# Room for the multipart/urlencoded framing around the largest form the portal accepts.
BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """A body larger than any form of the portal gets a Spanish 413, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > BODY_LIMIT:
            return request_too_large(request)
        return self.get_response(request)
