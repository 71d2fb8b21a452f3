"""The Informes form: a range of days and an area. It validates and nothing else."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.selectors import Period
from service_levels.business_hours import SANTIAGO
from tickets.states import Area

MAX_DAYS = 731  # two years


def date_field(label, required) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required, "invalid": _("Escriba la fecha como dd-mm-aaaa.")},
    )


class ReportForm(forms.Form):
    desde = date_field(_("Desde"), _("Indique la fecha de inicio."))
    hasta = date_field(_("Hasta"), _("Indique la fecha de término."))
    area = forms.ChoiceField(
        label=_("Área"),
        choices=[("", _("Todas")), *Area.choices],
        required=False,
        error_messages={"invalid_choice": _("Seleccione un área válida.")},
    )

    @classmethod
    def from_query(cls, query) -> "ReportForm":
        """Bound to the query string, or to the default: every area over the calendar month
        before today's, what a team lead reviews."""
        if "desde" in query or "hasta" in query or "area" in query:
            return cls(query)
        today = timezone.localtime(timezone.now(), SANTIAGO).date()
        end = today.replace(day=1) - timedelta(days=1)
        return cls({"desde": end.replace(day=1).isoformat(), "hasta": end.isoformat(), "area": ""})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("desde"), cleaned.get("hasta")
        if not (start and end):
            return cleaned
        if end < start:
            raise ValidationError(_("La fecha «Hasta» debe ser igual o posterior a «Desde»."))
        if (end - start).days + 1 > MAX_DAYS:
            message = _("Elija un periodo de hasta dos años (%(days)d días).")
            raise ValidationError(message % {"days": MAX_DAYS})
        if start.year < 2000 or end.year > 2100:
            raise ValidationError(_("Elija fechas entre los años 2000 y 2100."))
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(data["desde"], data["hasta"], data["area"] or None)
