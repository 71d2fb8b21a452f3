"""A clinic's file on a ticket, kept under a random key; only the portal's views serve it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket


class StoredFile(models.Model):
    """A file's content in the attachments' storage, under a random key, and what was checked of
    it (attachments/forms.py): its shown name, size and type read from the content."""

    key = models.CharField(_("clave de almacenamiento"), max_length=100, unique=True)
    name = models.CharField(_("nombre"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    content_type = models.CharField(_("tipo de contenido"), max_length=40)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Attachment(StoredFile):
    # Tickets are only ever deleted softly; the files stay with them for the agents.
    ticket = models.ForeignKey(
        Ticket, models.PROTECT, verbose_name=_("ticket"), related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("agregado por"), related_name="+"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket_idx")]


class StagedFile(StoredFile):
    """A file a clinic chose on a form that came back (Tickets parecidos abiertos, an error):
    kept for that form's submission token and user only, until the form is sent, the clinic
    drops it, or a day passes (tasks.staged_files_remove_unused)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("agregado por"), related_name="+"
    )
    submission_token = models.UUIDField(_("formulario"))

    class Meta(StoredFile.Meta):
        verbose_name = _("archivo en espera")
        verbose_name_plural = _("archivos en espera")
        indexes = [
            models.Index(fields=["uploaded_by", "submission_token"], name="staged_form_idx"),
            models.Index(fields=["created_at"], name="staged_created_idx"),
        ]
