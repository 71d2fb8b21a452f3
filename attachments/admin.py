"""The agents' side: every attached file, a deleted ticket's included, and its download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attachments import selectors
from attachments.models import Attachment
from attachments.views import file_response


def download_url(attachment: Attachment) -> str:
    return reverse("admin:attachments_attachment_download", args=[attachment.pk])


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "ticket", "size", "content_type", "uploaded_by", "created_at", "link"]
    list_select_related = ["ticket", "uploaded_by"]
    search_fields = ["ticket__code", "name"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["name", "ticket", "size", "content_type", "uploaded_by", "created_at"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("tickets.view_ticket")  # files are seen through their tickets

    has_module_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return False  # nothing a clinic attached is changed or lost

    has_add_permission = has_delete_permission = has_change_permission

    @admin.display(description=_("descargar"))
    def link(self, attachment):
        return format_html('<a href="{}">{}</a>', download_url(attachment), gettext("Descargar"))

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:pk>/descargar/", download, name="attachments_attachment_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return file_response(selectors.attachment_for_agent(pk=pk))
