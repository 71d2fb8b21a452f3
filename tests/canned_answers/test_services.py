"""canned_answers/services.py: a use is counted by the database, and only with a published
response."""

import pytest

from canned_answers.models import CannedAnswer
from canned_answers.services import canned_answer_count_use, canned_answer_respond
from tests.canned_answers.factories import CannedAnswerFactory
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import services
from tickets.services import TicketError

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_each_count_adds_to_what_the_database_holds_not_to_a_stale_copy():
    answer = CannedAnswerFactory()
    stale = CannedAnswer.objects.get(pk=answer.pk)  # read once, as two agents' pages would
    assert canned_answer_count_use(answers=[stale]) == 1
    assert canned_answer_count_use(answers=[stale]) == 1
    answer.refresh_from_db()
    assert answer.times_used == 2
    assert canned_answer_count_use(answers=[]) == 0


def test_a_refused_response_counts_no_use():
    ticket = TicketFactory()
    answer = CannedAnswerFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    with pytest.raises(TicketError):
        canned_answer_respond(
            ticket=ticket, author=AgentFactory(), text="Respuesta", answers=[answer]
        )
    with pytest.raises(TicketError):
        canned_answer_respond(
            ticket=TicketFactory(), author=AgentFactory(), text="   ", answers=[answer]
        )
    answer.refresh_from_db()
    assert answer.times_used == 0
