"""A clinic's file on a ticket, kept under a random key; only the portal's views serve it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket


class Attachment(models.Model):
    # Tickets are only ever deleted softly; the files stay with them for the agents.
    ticket = models.ForeignKey(
        Ticket, models.PROTECT, verbose_name=_("ticket"), related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("agregado por"), related_name="+"
    )
    key = models.CharField(_("clave de almacenamiento"), max_length=100, unique=True)
    name = models.CharField(_("nombre"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    content_type = models.CharField(_("tipo de contenido"), max_length=40)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket_idx")]

    def __str__(self) -> str:
        return self.name


class StagedFile(models.Model):
    """A file a clinic chose on a form that came back (Tickets parecidos abiertos, an error):
    kept for that form's submission token and user only, until the form is sent, the clinic
    drops it, or a day passes (services.staged_files_expire)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("agregado por"), related_name="+"
    )
    submission_token = models.UUIDField(_("formulario"))
    key = models.CharField(_("clave de almacenamiento"), max_length=100, unique=True)
    name = models.CharField(_("nombre"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    content_type = models.CharField(_("tipo de contenido"), max_length=40)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("archivo en espera")
        verbose_name_plural = _("archivos en espera")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["uploaded_by", "submission_token"], name="staged_form_idx"),
            models.Index(fields=["created_at"], name="staged_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name
