"""Changes of the canned answers: a response published from some of them counts one use of
each. Editing the answers themselves is plain admin work (the model validates the text)."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import ngettext

from accounts.models import User
from canned_answers.models import CannedAnswer
from tickets.models import Ticket, TicketResponse
from tickets.services import ticket_respond


def canned_answer_count_use(*, answers: Sequence[CannedAnswer]) -> int:
    """One more use of each answer, however many agents publish at once: the database adds
    (F()), no read-modify-write. Returns how many answers were counted."""
    ids = {answer.pk for answer in answers}
    if not ids:
        return 0
    return CannedAnswer.objects.filter(pk__in=ids).update(times_used=F("times_used") + 1)


@transaction.atomic
def canned_answer_respond(
    *, ticket: Ticket, author: User, text: str, answers: Sequence[CannedAnswer] = ()
) -> TicketResponse:
    """Publish the team's response (tickets.services.ticket_respond) that started from
    ``answers``: the ticket's event names them for the team, and each counts one use. With
    no answers it is ticket_respond as it stands. A response the rules refuse counts nothing."""
    answers = list({answer.pk: answer for answer in answers}.values())
    description = ""
    if answers:
        description = ngettext(
            "Con la respuesta predefinida %(titles)s",
            "Con las respuestas predefinidas %(titles)s",
            len(answers),
        ) % {"titles": ", ".join(f"«{answer.title}»" for answer in answers)}
    response = ticket_respond(ticket=ticket, author=author, text=text, description=description)
    canned_answer_count_use(answers=answers)
    return response
