from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.login_timing import uniform_failure_time
from portal.views import panel
from vetsync_support.health import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal-home", permanent=False)),
    path("soporte/", include("accounts.urls")),
    path("soporte/", panel, name="portal-home"),
    path("soporte/tickets/", include("portal.urls")),
    path("soporte/tickets/", include("attachments.urls")),
    # The agents' login, ahead of the admin's own route: a failed attempt takes the same time
    # whoever the username belongs to (accounts/login_timing.py).
    path("admin/login/", uniform_failure_time(admin.site.login)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler400 = "vetsync_support.error_views.bad_request"
handler403 = "vetsync_support.error_views.permission_denied"
handler404 = "vetsync_support.error_views.page_not_found"
handler500 = "vetsync_support.error_views.server_error"
