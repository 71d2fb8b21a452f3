"""The clinics' answers to "¿Se resolvió su problema?" in the agents' desk: the list, read-only,
and above it the monthly rate of "Sí" over the answers listed (one aggregate query)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback
from feedback.selectors import feedback_monthly_rates


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ticket_code", "clinic_name", "answer", "short_comment", "who"]
    list_filter = ["solved", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["ticket__clinic", "author"]
    search_fields = ["ticket__code", "ticket__clinic__name", "ticket__clinic__rut"]
    search_help_text = _("Código del ticket, nombre o RUT de la clínica.")
    list_per_page = 50
    fields = ("ticket_code", "clinic_name", "answer", "comment", "who", "created_at")
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False  # read-only: only the clinics answer, on their ticket's page

    has_add_permission = has_delete_permission = has_change_permission

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            # The rate of the answers the list shows: its filters and search apply.
            context["monthly_rates"] = feedback_monthly_rates(answers=context["cl"].queryset)
        return response

    @admin.display(description=_("código del ticket"), ordering="ticket__code")
    def ticket_code(self, obj: Feedback) -> str:
        url = reverse("admin:tickets_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, obj.ticket.code)

    @admin.display(description=_("clínica"), ordering="ticket__clinic__name")
    def clinic_name(self, obj: Feedback) -> str:
        return obj.ticket.clinic.name

    @admin.display(description=_("¿Se resolvió su problema?"), ordering="solved")
    def answer(self, obj: Feedback) -> str:
        return str(_("Sí, quedó resuelto") if obj.solved else _("No, sigue el problema"))

    @admin.display(description=_("comentario"))
    def short_comment(self, obj: Feedback) -> str:
        return Truncator(obj.comment).chars(80) or "—"

    @admin.display(description=_("respondida por"), ordering="author__full_name")
    def who(self, obj: Feedback) -> str:
        return obj.author.display_name
