"""The project's URLs plus the baseline: a trivial login-required view on the same stack."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from vetsync_support.urls import (
    handler400,
    handler403,
    handler404,
    handler500,
)
from vetsync_support.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_required
def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [*project_urlpatterns, path("bench/baseline", baseline, name="bench-baseline")]
