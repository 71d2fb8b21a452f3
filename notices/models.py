"""Avisos: what the team tells the clinics for a while (an outage, a planned maintenance), published
by the agents in the admin, shown atop the panel and the ticket form (notices/selectors.py)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 1_000


class Level(models.TextChoices):
    INFORMACION = "informacion", _("Información")
    INTERRUPCION = "interrupcion", _("Interrupción")


class Notice(models.Model):
    Level = Level

    text = models.TextField(_("texto"), max_length=TEXT_MAX_LENGTH)
    level = models.CharField(
        _("nivel"), max_length=16, choices=Level.choices, default=Level.INFORMACION
    )
    starts_at = models.DateTimeField(_("inicio"))
    ends_at = models.DateTimeField(_("fin"))
    all_clinics = models.BooleanField(
        _("todas las clínicas"),
        default=False,
        help_text=_("Si está marcado, el aviso se muestra a todas las clínicas."),
    )
    clinics = models.ManyToManyField(
        "accounts.Clinic",
        verbose_name=_("clínicas"),
        blank=True,
        related_name="+",
        help_text=_("Las clínicas que ven el aviso, si no es para todas."),
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="notices_notice_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="notices_notice_ends_after_start"
            ),
        ]
        # The pages read the notices not yet ended; the ended ones pile up behind them.
        indexes = [models.Index(fields=["ends_at"], name="notice_ends_at_idx")]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else text[:59] + "…"
