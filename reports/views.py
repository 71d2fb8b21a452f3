"""Informes: the agents' reports page in the admin (/admin/informes/), and each table's CSV.
Behind the admin site's ``admin_view`` (desk/admin_site.py), which sends an anonymous visitor or
a clinic user to the admin's login; of the team, only the "Agentes" group
(``reports.view_tickettiming``) and superusers see it, any other staff account gets 403."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.forms import ReportForm
from reports.sections import SECTIONS, Reads
from service_levels.selectors import response_targets
from vetsync_support.caching import kept


def may_see_reports(user) -> bool:
    return bool(user.is_active and user.is_agent and user.has_perm("reports.view_tickettiming"))


def reports_view(request: HttpRequest, admin_site) -> HttpResponse:
    if not may_see_reports(request.user):
        raise PermissionDenied
    form = ReportForm.from_query(request.GET)
    csv_key = request.GET.get("csv")
    context = {
        **admin_site.each_context(request),
        "title": _("Informes"),
        "form": form,
        "sections": [],
    }
    if csv_key is not None and csv_key not in SECTIONS:
        form.is_valid()
        form.add_error(None, _("Ese informe no existe."))
    if not form.is_valid():
        return TemplateResponse(request, "admin/reports/index.html", context, status=400)
    period = form.period()
    reads = Reads(period, response_targets())
    if csv_key:
        section = SECTIONS[csv_key](reads)
        response = HttpResponse(section.table.as_csv(), content_type="text/csv; charset=utf-8")
        name = f"informe-{section.key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # The sections are cached per period, area and language: one page is 11 aggregate statements
    # over the kept times (150-210 ms of SQL at 1,000,000 tickets), and 8 agents reading it at
    # once took the p99 to 1.3-1.5 s (docs/PERFORMANCE.md).
    sections = kept(
        f"reports:sections:{period.start}:{period.end}:{period.area or ''}:{get_language()}",
        settings.REPORTS_CACHE_SECONDS,
        lambda: [build(reads) for build in SECTIONS.values()],
    )
    query = {"desde": str(period.start), "hasta": str(period.end), "area": period.area or ""}
    context |= {"period": period, "sections": sections, "query": query}
    return TemplateResponse(request, "admin/reports/index.html", context)


def reports_app(request: HttpRequest) -> list[dict]:
    """Informes as an entry of the admin index's list of apps, for those who may see it."""
    if not may_see_reports(request.user):
        return []
    url = reverse("admin:reports")
    app = {"name": _("Informes"), "app_label": "reports", "app_url": url, "has_module_perms": True}
    model = {"name": _("Informes de tickets"), "object_name": "Informes", "admin_url": url}
    return [{**app, "models": [{**model, "perms": {"view": True}, "view_only": True}]}]
