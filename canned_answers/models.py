"""Respuestas predefinidas: texts the team drops into a response, placeholders filled in."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canned_answers.placeholders import validate_placeholders
from tickets.states import Area

ALL_AREAS = ""  # an answer offered on the tickets of every area


class CannedAnswer(models.Model):
    title = models.CharField(_("título"), max_length=120)
    area = models.CharField(
        _("área"),
        max_length=16,
        choices=[(ALL_AREAS, _("Todas las áreas")), *Area.choices],
        blank=True,
        default=ALL_AREAS,
        help_text=_("Se ofrece en los tickets de esta área, o en todos."),
    )
    text = models.TextField(
        _("texto"),
        max_length=5000,
        validators=[validate_placeholders],
        help_text=_(
            "Marcadores: {clinica} el nombre de la clínica, {solicitante} el de quien creó "
            "el ticket, {codigo} el código del ticket y {agente} el nombre del agente que "
            "responde. Las llaves solo se usan en los marcadores. El agente revisa el texto "
            "antes de publicarlo."
        ),
    )
    is_active = models.BooleanField(
        _("activa"), default=True, help_text=_("Solo las activas se ofrecen en los tickets.")
    )
    # Kept by canned_answers/services.py: one more for each response published with it.
    times_used = models.PositiveIntegerField(_("veces usada"), default=0, editable=False)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("última modificación"), auto_now=True)

    class Meta:
        verbose_name = _("respuesta predefinida")
        verbose_name_plural = _("respuestas predefinidas")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__in=[ALL_AREAS, *Area.values]), name="canned_answers_area_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title
