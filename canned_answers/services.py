"""A response published from canned answers counts one use of each; the rest is admin work."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import ngettext

from accounts.models import User
from canned_answers.models import CannedAnswer
from tickets.models import Ticket, TicketResponse
from tickets.services import ticket_respond


def canned_answer_count_use(*, answers: Sequence[CannedAnswer]) -> int:
    """One more use of each answer, added by the database (F()); no answers run no query."""
    ids = {answer.pk for answer in answers}
    return CannedAnswer.objects.filter(pk__in=ids).update(times_used=F("times_used") + 1)


@transaction.atomic
def canned_answer_respond(
    *, ticket: Ticket, author: User, text: str, answers: Sequence[CannedAnswer] = ()
) -> TicketResponse:
    """ticket_respond, its event naming ``answers``, one use of each counted (none if refused)."""
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
