"""The agents' desk: Django's admin, for SmartAutomate staff only, with the day's numbers."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path
from django.utils.functional import SimpleLazyObject


class VetSyncAdminSite(admin.AdminSite):
    site_header = "VetSync · Mesa de ayuda SmartAutomate"
    site_title = "Soporte VetSync"
    index_title = "Tickets de soporte"
    # The sidebar rebuilds the whole app list on every page; the header links suffice.
    enable_nav_sidebar = False

    def has_permission(self, request):
        # A clinic user is never staff (a database constraint says so); this says it twice.
        return bool(request.user.is_active and getattr(request.user, "is_agent", False))

    def get_app_list(self, request, app_label=None):
        # Every admin page's context carries this list for the sidebar, which is off: it is
        # built (every model's permissions checked) only when a template reads it.
        build = super().get_app_list
        if app_label is None:  # the index also lists Informes (reports/views.py)
            from reports.views import reports_app

            return SimpleLazyObject(lambda: [*build(request), *reports_app(request)])
        return SimpleLazyObject(lambda: build(request, app_label))

    def get_urls(self):
        from reports.views import reports_view

        view = self.admin_view(reports_view)
        return [path("informes/", view, {"admin_site": self}, name="reports"), *super().get_urls()]

    def index(self, request, extra_context=None):
        # The agents' queues with their counts, as above the ticket list (tickets/queues.py).
        if request.user.has_perm("tickets.view_ticket"):
            from desk.admin.queues import queue_links

            extra_context = {**(extra_context or {}), "queues": queue_links(request)}
        return super().index(request, extra_context)


class VetSyncAdminConfig(AdminConfig):
    default_site = "desk.admin_site.VetSyncAdminSite"
