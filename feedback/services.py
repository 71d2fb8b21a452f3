"""The clinic's one answer per ticket to "¿Se resolvió su problema?" (a unique key backs it)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from feedback.models import Feedback
from tickets.models import Ticket
from tickets.services import TicketError
from tickets.states import State

# The only state in which the question is asked and an answer is taken.
FEEDBACK_STATE = State.CERRADO_RESUELTO


class FeedbackError(TicketError):
    """An answer the rules refuse; the message is for people (Spanish)."""


def feedback_is_asked(*, state: str, answered: bool) -> bool:
    """Whether a ticket's page asks "¿Se resolvió su problema?"."""
    return state == FEEDBACK_STATE and not answered


def already_answered_message() -> str:
    return _(
        "Este ticket ya tiene una respuesta a «¿Se resolvió su problema?». Se conserva la "
        "primera respuesta."
    )


def feedback_refusal(*, ticket: Ticket) -> str | None:
    """Why the clinic may not answer on this ticket now, or None."""
    if ticket.is_deleted or ticket.state != FEEDBACK_STATE:
        return _(
            "Solo se puede responder «¿Se resolvió su problema?» cuando el ticket está "
            "Cerrado / resuelto."
        )
    if Feedback.objects.filter(ticket=ticket).exists():
        return already_answered_message()
    return None


def feedback_give(*, ticket: Ticket, author: User, solved: bool, comment: str = "") -> Feedback:
    """Record the clinic's answer on its ticket closed as "Cerrado / resuelto"."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.is_of(author.clinic_id):
            raise FeedbackError(_("El ticket no pertenece a su clínica."))
        if refusal := feedback_refusal(ticket=ticket):
            raise FeedbackError(refusal)
        try:
            # A savepoint: where the row lock does not serialize two answers (SQLite), the
            # unique key refuses the second and the transaction stays usable.
            with transaction.atomic():
                return Feedback.objects.create(
                    ticket=ticket, author=author, solved=solved, comment=comment.strip()
                )
        except IntegrityError:
            raise FeedbackError(already_answered_message()) from None
