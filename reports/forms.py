"""The Informes form: a range of days and an area. It validates and nothing else."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.selectors import Period
from service_levels.business_hours import SANTIAGO
from tickets.states import Area

MAX_DAYS = 731  # two years
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]


def last_full_month(today: date) -> tuple[date, date]:
    """The calendar month before ``today``'s: what a team lead reviews by default."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class ReportForm(forms.Form):
    desde = forms.DateField(
        label=_("Desde"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique la fecha de inicio."),
            "invalid": _("Escriba la fecha como dd-mm-aaaa."),
        },
    )
    hasta = forms.DateField(
        label=_("Hasta"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique la fecha de término."),
            "invalid": _("Escriba la fecha como dd-mm-aaaa."),
        },
    )
    area = forms.ChoiceField(
        label=_("Área"),
        choices=[("", _("Todas")), *Area.choices],
        required=False,
        error_messages={"invalid_choice": _("Seleccione un área válida.")},
    )

    @classmethod
    def from_query(cls, query) -> "ReportForm":
        """Bound to the query string, or to the default (the last full month, every area)."""
        if "desde" in query or "hasta" in query or "area" in query:
            return cls(query)
        start, end = last_full_month(timezone.localtime(timezone.now(), SANTIAGO).date())
        return cls({"desde": start.isoformat(), "hasta": end.isoformat(), "area": ""})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("desde"), cleaned.get("hasta")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    _("La fecha «Hasta» debe ser igual o posterior a «Desde».")
                )
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("Elija un periodo de hasta dos años (%(days)d días).") % {"days": MAX_DAYS}
                )
            if start.year < 2000 or end.year > 2100:
                raise forms.ValidationError(_("Elija fechas entre los años 2000 y 2100."))
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(data["desde"], data["hasta"], data["area"] or None)
