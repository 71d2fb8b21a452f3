"""The list filters of the agents' ticket list (their parameter names are in the index's
links and the agents' bookmarks: ``eliminado``, ``sin_respuesta``, ``clinica``, ``agente``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic
from tickets.agent_selectors import agents, unanswered_tickets


class DeletedByClinicFilter(admin.SimpleListFilter):
    title = _("eliminado por la clínica")
    parameter_name = "eliminado"

    def lookups(self, request, model_admin):
        return [("no", _("No")), ("si", _("Sí"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "si"):
            return queryset.filter(deleted_at__isnull=self.value() == "no")
        return queryset


class UnansweredFilter(admin.SimpleListFilter):
    title = _("sin respuesta")
    parameter_name = "sin_respuesta"

    def lookups(self, request, model_admin):
        return [("24h", _("Abiertos sin respuesta hace más de 24 horas"))]

    def queryset(self, request, queryset):
        return unanswered_tickets(queryset) if self.value() == "24h" else queryset


class ClinicFilter(admin.SimpleListFilter):
    """Filter by clinic without listing thousands of clinics on every page: the clinic's name
    in each row links here, and the search finds a clinic by name or RUT."""

    title = _("clínica")
    parameter_name = "clinica"

    def lookups(self, request, model_admin):
        value = self.value() or ""
        clinic = Clinic.objects.filter(pk=int(value)).first() if value.isdigit() else None
        return [] if clinic is None else [(str(clinic.pk), clinic.name)]

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        value = self.value() or ""
        return queryset.filter(clinic_id=int(value)) if value.isdigit() else queryset


class AgentFilter(admin.SimpleListFilter):
    title = _("agente asignado")
    parameter_name = "agente"

    def lookups(self, request, model_admin):
        listed = agents().order_by("username")
        return [("ninguno", _("Sin asignar")), *((str(a.pk), a.get_username()) for a in listed)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "ninguno":
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset
