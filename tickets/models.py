"""Tickets, the team's published responses, the clinic's added information, and the events
that record every change. Only tickets/services.py writes them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AGENT
from tickets.states import OPEN_STATES, Area, State, is_open
from vetsync_support.dates import local_datetime

# The tickets the team still works on: open (tickets/states.py), not deleted by the clinic.
OPEN_VISIBLE = Q(state__in=OPEN_STATES, deleted_at__isnull=True)


def _optional_link(to, verbose_name, related_name="+", **options):
    """A link that may be empty, and is emptied when what it points to is deleted."""
    options.update(on_delete=models.SET_NULL, null=True, blank=True)
    return models.ForeignKey(to, verbose_name=verbose_name, related_name=related_name, **options)


class TicketDaySequence(models.Model):
    """The last ticket number handed out on a day (America/Santiago): codes are never reused."""

    day = models.DateField(primary_key=True)
    last_number = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("secuencia diaria")

    def __str__(self) -> str:
        return f"{self.day:%Y%m%d}: {self.last_number}"


class Ticket(models.Model):
    code = models.CharField(_("código del ticket"), max_length=24, unique=True, editable=False)
    clinic = models.ForeignKey(
        "accounts.Clinic",
        verbose_name=_("clínica"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitante"),
        on_delete=models.PROTECT,
        related_name="tickets_requested",
    )
    area = models.CharField(_("área"), max_length=16, choices=Area.choices)
    state = models.CharField(
        _("estado"), max_length=40, choices=State.choices, default=State.ABIERTO
    )
    detail = models.TextField(_("detalle reportado"))
    follows_up = _optional_link("self", _("ticket anterior"), "follow_ups")
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    # Set by ticket_create (not auto_now_add): the due times run from it, in the same INSERT.
    created_at = models.DateTimeField(_("fecha de creación"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("última actualización"), auto_now=True)
    latest_response = _optional_link("tickets.TicketResponse", _("última respuesta"))
    assigned_to = _optional_link(
        settings.AUTH_USER_MODEL, _("agente asignado"), "tickets_assigned", limit_choices_to=AGENT
    )
    first_response_at = models.DateTimeField(_("primera respuesta"), null=True, blank=True)
    # The team's latest response or change of state (never the clinic's own actions): a ticket
    # is "Nueva respuesta" for a user whose TicketSeen is older than this.
    last_team_activity_at = models.DateTimeField(
        _("última actividad del equipo"), null=True, blank=True, editable=False
    )
    resolved_at = models.DateTimeField(_("resuelto"), null=True, blank=True)
    # The area's response-time targets (service_levels/) as due times; null without a target.
    first_response_due_at = models.DateTimeField(
        _("primera respuesta vence"), null=True, blank=True, editable=False
    )
    resolution_due_at = models.DateTimeField(
        _("resolución vence"), null=True, blank=True, editable=False
    )
    # The pending one of the two while the ticket is open (pending_due_at), null once closed:
    # the queues and the list's "Vence en …" read it, on the open tickets' partial indexes.
    next_due_at = models.DateTimeField(_("vence"), null=True, blank=True, editable=False)
    # Whose word is the last: True after a response of the team, False after the clinic
    # created the ticket or added information ("Esperando a la clínica", tickets/queues.py).
    awaiting_clinic = models.BooleanField(
        _("esperando a la clínica"), default=False, editable=False
    )
    deleted_at = models.DateTimeField(_("eliminado por la clínica"), null=True, blank=True)
    deleted_by = _optional_link(settings.AUTH_USER_MODEL, _("eliminado por"))

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="tickets_ticket_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(area__in=Area.values), name="tickets_ticket_area_valid"
            ),
            models.UniqueConstraint(
                fields=["clinic", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="tickets_ticket_one_per_submission",
            ),
        ]
        indexes = [
            # The clinic's history and panel: visible tickets, newest first, by state.
            models.Index(
                fields=["clinic", "-created_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="ticket_clinic_visible_idx",
            ),
            models.Index(
                fields=["clinic", "state", "-created_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="ticket_clinic_state_idx",
            ),
            models.Index(
                fields=["clinic", "area", "-created_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="ticket_clinic_area_idx",
            ),
            # The history's "Mis tickets": one requester's visible tickets, newest first.
            models.Index(
                fields=["requester", "-created_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="ticket_requester_visible_idx",
            ),
            # The typical first response of an area (service_levels/response_times.py).
            models.Index(
                fields=["area", "first_response_at"],
                condition=Q(first_response_at__isnull=False),
                name="ticket_area_first_response_idx",
            ),
            # The agents' desk: newest first, overall and by state.
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["state", "-created_at"], name="ticket_state_created_idx"),
            # The agents' queues (tickets/queues.py) count and list open tickets only: each
            # index holds the open tickets (a few percent of a million), not the whole table.
            models.Index(
                fields=["next_due_at", "id"], condition=OPEN_VISIBLE, name="ticket_open_due_idx"
            ),
            # The whole list sorted by "vence" (only open tickets have a next_due_at): no
            # predicate, so it serves the portal's generic plans too.
            models.Index(fields=["next_due_at", "id"], name="ticket_due_idx"),
            models.Index(
                fields=["assigned_to", "next_due_at"],
                condition=OPEN_VISIBLE,
                name="ticket_open_assigned_idx",
            ),
            models.Index(
                fields=["next_due_at"],
                condition=OPEN_VISIBLE & Q(awaiting_clinic=True),
                name="ticket_open_awaiting_idx",
            ),
            models.Index(
                fields=["last_team_activity_at"],
                condition=Q(state=State.CERRADO_RESPONSABILIDAD_CLIENTE, deleted_at__isnull=True),
                name="ticket_closed_client_idx",
            ),
            # A code typed in part (ST-20260323-…) is found by the unique code's index; on
            # PostgreSQL Django adds a varchar_pattern_ops twin for LIKE 'prefix%' (…_like).
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_of(self, clinic_id: int | None) -> bool:
        """Clinic ownership, the one check every service makes (an agent's clinic is None)."""
        return clinic_id is not None and self.clinic_id == clinic_id

    def pending_due_at(self):
        """The due time the desk shows and sorts by (``next_due_at``): the first response's
        until the team answers, then the resolution's; none once closed or deleted."""
        if not is_open(self.state) or self.is_deleted:
            return None
        return self.resolution_due_at if self.first_response_at else self.first_response_due_at


class TicketText(models.Model):
    """Something written on a ticket by someone, at a time: the shape the next three share."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    ticket_id: int  # each subclass has its ticket

    def __str__(self) -> str:
        return f"{self.ticket_id} · {local_datetime(self.created_at)}"


class TicketResponse(TicketText):
    """An answer of the SmartAutomate/VetSync team, published to the clinic."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("respuesta del equipo"))

    class Meta(TicketText.Meta):
        verbose_name = _("respuesta del equipo")
        verbose_name_plural = _("respuestas del equipo")
        indexes = [models.Index(fields=["ticket", "created_at"], name="response_ticket_idx")]


class TicketAddition(TicketText):
    """Information the clinic added to its own ticket while it was not closed."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField(_("información agregada"))
    # The new-ticket form's token when the text came from "Agregar la información a ST-…"
    # (Tickets parecidos abiertos): the same form sent twice adds it once.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta(TicketText.Meta):
        verbose_name = _("información agregada por la clínica")
        verbose_name_plural = _("información agregada por la clínica")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="tickets_addition_one_per_submission",
            ),
        ]


class TicketNote(TicketText):
    """An internal note of the team: the clinic never sees it, and it never notifies."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("nota interna"))

    class Meta(TicketText.Meta):
        verbose_name = _("nota interna")
        verbose_name_plural = _("notas internas")


class TicketEvent(models.Model):
    """Every change of a ticket: who, when, from which state to which, and what."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Ticket creado")
        STATE_CHANGED = "state_changed", _("Cambio de estado")
        RESPONSE_PUBLISHED = "response_published", _("Respuesta del equipo publicada")
        INFORMATION_ADDED = "information_added", _("Información agregada por la clínica")
        ASSIGNED = "assigned", _("Asignado a un agente")
        NOTE_ADDED = "note_added", _("Nota interna")
        DELETED = "deleted", _("Eliminado por la clínica")

    CLINIC_VISIBLE_KINDS = (
        Kind.CREATED,
        Kind.STATE_CHANGED,
        Kind.RESPONSE_PUBLISHED,
        Kind.INFORMATION_ADDED,
    )

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("qué"), max_length=24, choices=Kind.choices)
    from_state = models.CharField(_("desde"), max_length=40, choices=State.choices, blank=True)
    to_state = models.CharField(_("hacia"), max_length=40, choices=State.choices, blank=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("cuándo"), auto_now_add=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {local_datetime(self.created_at)}"


# How many visible tickets each clinic has, per area and state: kept by tickets/services.py
# (tickets/counts.py), read by the panel's totals and the history's counts.
class TicketCount(models.Model):
    clinic = models.ForeignKey(
        "accounts.Clinic",
        verbose_name=_("clínica"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with clinic_id
    )
    area = models.CharField(_("área"), max_length=16, choices=Area.choices)
    state = models.CharField(_("estado"), max_length=40, choices=State.choices)
    count = models.IntegerField(_("tickets"), default=0)

    class Meta:
        verbose_name = _("total de tickets")
        verbose_name_plural = _("totales de tickets")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "area", "state"], name="ticket_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clinic_id}/{self.area}/{self.state}: {self.count}"


class TicketSeen(models.Model):
    """The team's activity a user last saw on a ticket's page: "Nueva respuesta" until then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with user_id
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+"
    )
    # The ticket's last_team_activity_at shown to the user, not the clock: a response published
    # while the page was being read stays new.
    seen_activity_at = models.DateTimeField(_("actividad del equipo vista"))

    class Meta:
        verbose_name = _("ticket visto")
        verbose_name_plural = _("tickets vistos")
        constraints = [
            models.UniqueConstraint(fields=["user", "ticket"], name="ticket_seen_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.ticket_id}: {local_datetime(self.seen_activity_at)}"


class TicketWatcher(models.Model):
    """Someone of the ticket's clinic who also gets its e-mails ("Avisar también a"): a VetSync
    user, who may never have logged in to the portal, with a snapshot of the name and e-mail."""

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="watchers",
        db_index=False,  # the unique constraint's index starts with ticket_id
    )
    vetsync_user_id = models.IntegerField(_("ID en VetSync"))
    name = models.CharField(_("nombre"), max_length=200)
    email = models.EmailField(_("correo"))

    class Meta:
        verbose_name = _("persona avisada")
        verbose_name_plural = _("personas avisadas")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "vetsync_user_id"], name="ticket_watcher_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
