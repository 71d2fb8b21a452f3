"""Every change of a ticket: atomic, row-locked, guarded by the transitions table, leaving a
TicketEvent, keeping the clinic's counts (tickets/counts.py) and telling the features
(tickets/events.py). Views, the admin and commands all call these."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from tickets import events
from tickets.codes import next_ticket_code
from tickets.counts import count_add, count_move
from tickets.limits import MAX_ADDITIONS, addition_too_long
from tickets.models import (
    Ticket,
    TicketAddition,
    TicketEvent,
    TicketNote,
    TicketResponse,
    TicketSeen,
    TicketWatcher,
)
from tickets.states import Area, State, allowed_moves, clinic_may_delete, is_closed

Kind = TicketEvent.Kind


class TicketError(Exception):
    """A change that the rules refuse; the message is for people (Spanish)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _event(ticket: Ticket, *, actor: User | None, kind: str, **fields) -> TicketEvent:
    """The change's event: from and to the ticket's state unless the change says otherwise."""
    fields = {"from_state": ticket.state, "to_state": ticket.state, **fields}
    return TicketEvent.objects.create(ticket=ticket, actor=actor, kind=kind, **fields)


@dataclass(frozen=True)
class Watcher:
    """Someone of the ticket's clinic "Avisar también a" adds: the caller checks the clinic."""

    vetsync_user_id: int
    name: str
    email: str


def ticket_create(
    *,
    clinic: Clinic,
    requester: User,
    area: str,
    detail: str,
    follows_up: Ticket | None = None,
    submission_token: uuid.UUID | None = None,
    watchers: Sequence[Watcher] = (),
) -> tuple[Ticket, bool]:
    """Create a ticket; return it and whether it is new: a form sent twice carries the same
    token and gets the first one's ticket. ``watchers`` must be people of ``clinic``."""
    if requester.clinic_id != clinic.pk:
        raise TicketError(_("El usuario no pertenece a la clínica."))
    if area not in Area.values:
        raise TicketError(_("Seleccione un área válida."))
    if follows_up is not None and (not follows_up.is_of(clinic.pk) or follows_up.is_deleted):
        raise TicketError(_("El ticket anterior no existe o no pertenece a su clínica."))
    followed = _("Sigue al ticket %(code)s") % {"code": follows_up.code} if follows_up else ""
    # A form sent again is found by the unique submission token when its INSERT is refused
    # (below), not looked up first: one statement less for every new ticket.
    try:
        with transaction.atomic():
            # The ticket starts with the clinic's word, not waiting for the clinic.
            ticket = Ticket(
                code=next_ticket_code(),
                clinic=clinic,
                requester=requester,
                area=area,
                state=State.ABIERTO,
                detail=detail,
                follows_up=follows_up,
                submission_token=submission_token,
                created_at=timezone.now(),
            )
            # The due times (service_levels/) go in the INSERT: one statement less.
            events.ticket_creating.send(Ticket, ticket=ticket)
            ticket.next_due_at = ticket.pending_due_at()
            ticket.save(force_insert=True)
            count_add(ticket, state=State.ABIERTO, delta=1)
            TicketWatcher.objects.bulk_create(
                [
                    TicketWatcher(
                        ticket=ticket,
                        vetsync_user_id=watcher.vetsync_user_id,
                        name=watcher.name[:200],
                        email=watcher.email,
                    )
                    for watcher in {w.vetsync_user_id: w for w in watchers}.values()
                    if watcher.vetsync_user_id != requester.vetsync_id
                ]
            )
            _event(ticket, actor=requester, kind=Kind.CREATED, from_state="", description=followed)
            events.ticket_created.send(Ticket, ticket=ticket)
    except IntegrityError:
        if submission_token is None:
            raise
        existing = Ticket.objects.filter(clinic=clinic, submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, False
    return ticket, True


@transaction.atomic
def ticket_transition(*, ticket: Ticket, to_state: str, actor: User) -> Ticket:
    """Move a ticket to another state, if the transitions table allows it."""
    ticket = _locked(ticket)
    if ticket.is_deleted:
        raise TicketError(_("El ticket fue eliminado por la clínica."))
    if to_state not in State.values:
        raise TicketError(_("Estado desconocido."))
    from_state, target = State(ticket.state), State(to_state)
    if target not in allowed_moves(from_state):
        raise TicketError(
            _("No se puede pasar un ticket de «%(from)s» a «%(to)s».")
            % {"from": from_state.label, "to": target.label}
        )
    ticket.state = target
    fields = ["state", "updated_at"]
    if actor.is_agent:  # the team's change, not the clinic's own
        ticket.last_team_activity_at = timezone.now()
        fields.append("last_team_activity_at")
    if is_closed(target) and ticket.resolved_at is None:
        ticket.resolved_at = timezone.now()
        fields.append("resolved_at")
    # Closed: no pending due time; reopened: the same due times as before.
    ticket.next_due_at = ticket.pending_due_at()
    fields.append("next_due_at")
    ticket.save(update_fields=fields)
    count_move(ticket, from_state=from_state, to_state=target)
    _event(ticket, actor=actor, kind=Kind.STATE_CHANGED, from_state=from_state)
    events.ticket_moved.send(Ticket, ticket=ticket, from_state=from_state, to_state=target)
    return ticket


@transaction.atomic
def ticket_respond(
    *, ticket: Ticket, author: User, text: str, description: str = ""
) -> TicketResponse:
    """Publish a response of the team to the clinic. ``description`` goes on the event, which
    only the team reads (canned_answers names the answers the response started from)."""
    if not author.is_agent:
        raise TicketError(_("Solo el equipo puede publicar respuestas."))
    text = text.strip()
    if not text:
        raise TicketError(_("La respuesta no puede estar vacía."))
    ticket = _locked(ticket)
    if ticket.is_deleted:
        raise TicketError(_("El ticket fue eliminado por la clínica."))
    response = TicketResponse.objects.create(ticket=ticket, author=author, text=text)
    ticket.latest_response = response
    ticket.last_team_activity_at = response.created_at
    ticket.awaiting_clinic = True  # the team's word is the last
    fields = ["latest_response", "last_team_activity_at", "awaiting_clinic", "updated_at"]
    first = ticket.first_response_at is None
    if first:
        ticket.first_response_at = response.created_at
        ticket.next_due_at = ticket.pending_due_at()  # now the resolution's
        fields += ["first_response_at", "next_due_at"]
    ticket.save(update_fields=fields)
    _event(ticket, actor=author, kind=Kind.RESPONSE_PUBLISHED, description=description[:300])
    events.ticket_responded.send(Ticket, ticket=ticket, response=response, first=first)
    return response


@transaction.atomic
def ticket_add_information(
    *, ticket: Ticket, author: User, text: str, submission_token: uuid.UUID | None = None
) -> tuple[TicketAddition, bool]:
    """The clinic adds information to its own ticket while it is not closed. With a
    submission token (a new-ticket form sent to "Agregar la información a ST-…"), a form sent
    twice adds it once: the second time returns the first addition and False."""
    ticket = _locked(ticket)
    if not ticket.is_of(author.clinic_id):
        raise TicketError(_("El ticket no pertenece a su clínica."))
    if submission_token is not None:
        # The ticket's row lock above makes this check and the insert below one step.
        earlier = ticket.additions.filter(submission_token=submission_token).first()
        if earlier is not None:
            return earlier, False
    if ticket.is_deleted or is_closed(ticket.state):
        raise TicketError(
            _(
                "El ticket ya fue cerrado y no permite agregar información. Cree un ticket "
                "nuevo indicando el código anterior."
            )
        )
    if too_long := addition_too_long(text):
        raise TicketError(too_long)
    if ticket.additions.count() >= MAX_ADDITIONS:
        raise TicketError(
            _(
                "Este ticket ya tiene %(n)d informaciones agregadas. Para seguir, cree un ticket "
                "nuevo indicando el código anterior."
            )
            % {"n": MAX_ADDITIONS}
        )
    addition = TicketAddition.objects.create(
        ticket=ticket, author=author, text=text, submission_token=submission_token
    )
    ticket.awaiting_clinic = False  # the clinic's word is the last
    ticket.save(update_fields=["awaiting_clinic", "updated_at"])
    _event(ticket, actor=author, kind=Kind.INFORMATION_ADDED)
    return addition, True


def ticket_delete_refusal(*, ticket: Ticket) -> str | None:
    """Why the clinic may not delete this ticket now, or None (the rule: states.py)."""
    if clinic_may_delete(ticket.state):
        return None
    return str(
        _(
            "Solo se puede eliminar un ticket abierto. Si el equipo ya lo está revisando, "
            "el historial se conserva."
        )
    )


@transaction.atomic
def ticket_delete(*, ticket: Ticket, actor: User) -> Ticket:
    """The clinic deletes its ticket: only while it is open (guide §9). Agents still see it."""
    ticket = _locked(ticket)
    if not ticket.is_of(actor.clinic_id):
        raise TicketError(_("El ticket no pertenece a su clínica."))
    if ticket.is_deleted:
        raise TicketError(_("El ticket ya fue eliminado."))
    if refusal := ticket_delete_refusal(ticket=ticket):
        raise TicketError(refusal)
    ticket.deleted_at = timezone.now()
    ticket.deleted_by = actor
    ticket.next_due_at = ticket.pending_due_at()  # none: nothing for the team to do on it
    ticket.save(update_fields=["deleted_at", "deleted_by", "next_due_at", "updated_at"])
    count_add(ticket, state=ticket.state, delta=-1)
    _event(ticket, actor=actor, kind=Kind.DELETED)
    events.ticket_deleted.send(Ticket, ticket=ticket)
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, agent: User | None, actor: User) -> Ticket:
    """Assign a ticket to an agent (or to nobody)."""
    if agent is not None and not agent.is_agent:
        raise TicketError(_("Solo se puede asignar a un agente del equipo."))
    ticket = _locked(ticket)
    if ticket.assigned_to_id == (agent.pk if agent else None):
        return ticket
    ticket.assigned_to = agent
    ticket.save(update_fields=["assigned_to", "updated_at"])
    assignee = agent.get_username() if agent else _("sin asignar")
    _event(ticket, actor=actor, kind=Kind.ASSIGNED, description=assignee[:300])
    return ticket


@transaction.atomic
def ticket_note_add(*, ticket: Ticket, author: User, text: str) -> TicketNote:
    """An internal note of the team: never shown to the clinic, never notified."""
    if not author.is_agent:
        raise TicketError(_("Solo el equipo puede escribir notas internas."))
    text = text.strip()
    if not text:
        raise TicketError(_("La nota no puede estar vacía."))
    ticket = _locked(ticket)
    note = TicketNote.objects.create(ticket=ticket, author=author, text=text)
    _event(ticket, actor=author, kind=Kind.NOTE_ADDED)
    return note


def ticket_mark_seen(*, user: User, ticket_id: int, activity_at: datetime) -> None:
    """Clear the ticket's "Nueva respuesta" for this user only (not the rest of the clinic), up
    to the team's activity it saw, in one statement (an insert that updates an existing row)."""
    TicketSeen.objects.bulk_create(
        [TicketSeen(user=user, ticket_id=ticket_id, seen_activity_at=activity_at)],
        update_conflicts=True,
        unique_fields=["user", "ticket"],
        update_fields=["seen_activity_at"],
    )
