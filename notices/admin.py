"""Avisos in the agents' desk; the clinics' pages show each one while it is in force."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices.models import Notice


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["text", "level", "starts_at", "ends_at", "all_clinics", "clinics"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("El fin debe ser posterior al inicio."))
        if not cleaned.get("all_clinics") and not cleaned.get("clinics"):
            self.add_error(
                "clinics", _("Elija al menos una clínica o marque «Todas las clínicas».")
            )
        return cleaned


class InForceFilter(admin.SimpleListFilter):
    title = _("vigencia")
    parameter_name = "vigencia"

    def lookups(self, request, model_admin):
        return [
            ("vigente", _("En vigor")),
            ("programado", _("Programado")),
            ("terminado", _("Terminado")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        return {
            "vigente": queryset.filter(starts_at__lte=now, ends_at__gt=now),
            "programado": queryset.filter(starts_at__gt=now),
            "terminado": queryset.filter(ends_at__lte=now),
        }.get(self.value(), queryset)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = ["__str__", "level", "starts_at", "ends_at", "all_clinics", "in_force"]
    list_filter = [InForceFilter, "level", "all_clinics"]
    search_fields = ["text"]
    autocomplete_fields = ["clinics"]
    list_per_page = 50

    @admin.display(description=_("en vigor"), boolean=True)
    def in_force(self, obj: Notice) -> bool:
        return obj.starts_at <= timezone.now() < obj.ends_at
