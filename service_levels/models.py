"""The team's response-time targets per area, in business hours."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.states import Area


@dataclass(frozen=True)
class Targets:
    first_response: timedelta  # business time from creation to the first team response
    resolution: timedelta  # business time from creation to a closed state


class ResponseTarget(models.Model):
    area = models.CharField(_("área"), max_length=16, choices=Area.choices, unique=True)
    first_response_hours = models.DecimalField(
        _("primera respuesta (horas hábiles)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Un día hábil tiene 9 horas (lunes a viernes, 9:00 a 18:00)."),
    )
    resolution_hours = models.DecimalField(
        _("resolución (horas hábiles)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Desde la creación del ticket hasta que se cierra."),
    )
    updated_at = models.DateTimeField(_("última modificación"), auto_now=True)

    class Meta:
        verbose_name = _("objetivo de tiempo de respuesta")
        verbose_name_plural = _("objetivos de tiempo de respuesta")
        ordering = ["area"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__in=Area.values), name="service_levels_target_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_area_display())

    @property
    def targets(self) -> Targets:
        return Targets(
            timedelta(hours=float(self.first_response_hours)),
            timedelta(hours=float(self.resolution_hours)),
        )
