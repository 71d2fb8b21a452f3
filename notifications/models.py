"""The e-mails, stored before they are sent: a mail server that is down never loses one."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    TICKET_CREATED = "ticket_created", _("Nuevo ticket")
    RESPONSE_PUBLISHED = "response_published", _("Respuesta del equipo")
    STATE_CHANGED = "state_changed", _("Cambio de estado")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SENT = "sent", _("Enviado")
    FAILED = "failed", _("Fallido")


class Notification(models.Model):
    Kind = NotificationKind
    Status = NotificationStatus

    ticket = models.ForeignKey(
        "tickets.Ticket", models.CASCADE, verbose_name=_("ticket"), related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices)
    recipient = models.EmailField(_("destinatario"))
    subject = models.CharField(_("asunto"), max_length=255)
    body_text = models.TextField(_("texto"))
    body_html = models.TextField(_("HTML"))
    status = models.CharField(
        _("estado del envío"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        # The table (and constraint) of when it lived in tickets: the move changed no table.
        db_table = "tickets_notification"
        verbose_name = _("notificación por correo")
        verbose_name_plural = _("notificaciones por correo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values),
                name="tickets_notification_status_valid",
            ),
        ]
        indexes = [
            # retry_notifications: the pending ones that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=NotificationStatus.PENDING),
                name="notification_due_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="notification_status_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
