"""The clinic's answer to "¿Se resolvió su problema?"; only feedback/services.py writes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vetsync_support.dates import local_datetime

COMMENT_MAX_LENGTH = 2_000


class Feedback(models.Model):
    """One answer per ticket, by any user of its clinic: the one-to-one key on the ticket is
    the database's unique constraint, so a second answer, even a concurrent one, is refused."""

    ticket = models.OneToOneField(
        "tickets.Ticket", models.CASCADE, verbose_name=_("ticket"), related_name="feedback"
    )
    solved = models.BooleanField(_("¿Se resolvió?"))
    comment = models.TextField(_("comentario"), blank=True, max_length=COMMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("respondida por"), related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("respuesta de la clínica")
        verbose_name_plural = _("respuestas de las clínicas")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="feedback_created_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} · {local_datetime(self.created_at)}"
