"""The stored e-mails in the agents' desk, read-only, and "Reintentar envío" for failed ones."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "ticket_code",
        "kind",
        "recipient",
        "status",
        "attempts",
        "short_error",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["ticket__code", "recipient", "subject"]
    list_select_related = ["ticket"]
    list_per_page = 50
    fields = (
        "ticket_code",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "body_text",
    )
    readonly_fields = fields
    actions = ["retry"]

    def has_delete_permission(self, request, obj=None):
        return False

    has_add_permission = has_delete_permission

    def has_change_permission(self, request, obj=None):
        # The change permission only allows the retry action: a notification's page is read-only.
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("código del ticket"), ordering="ticket__code")
    def ticket_code(self, obj: Notification) -> str:
        url = reverse("admin:tickets_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, obj.ticket.code)

    @admin.display(description=_("último error"))
    def short_error(self, obj: Notification) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Reintentar envío"), permissions=["change"])
    def retry(self, request, queryset):
        retried = sum(notification_retry(notification=n) for n in queryset)
        if retried:
            message = ngettext(
                "%(n)d notificación quedó pendiente de envío.",
                "%(n)d notificaciones quedaron pendientes de envío.",
                retried,
            )
            messages.success(request, message % {"n": retried})
        if skipped := len(queryset) - retried:
            message = ngettext(
                "%(n)d notificación no se reintentó: solo se reintentan las fallidas.",
                "%(n)d notificaciones no se reintentaron: solo se reintentan las fallidas.",
                skipped,
            )
            messages.warning(request, message % {"n": skipped})
