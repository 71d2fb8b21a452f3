"""Two users of a clinic answer "¿Se resolvió su problema?" at the same moment, on PostgreSQL
(the CI's second leg): exactly one answer is kept, the other is refused in Spanish."""

import pytest
from django.db import connection

from feedback.models import Feedback
from feedback.services import FeedbackError, already_answered_message, feedback_give
from tests.concurrency import run_at_once
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicUserFactory, TicketFactory
from tickets import services
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)


def _race(*actions):
    return [
        error.message if isinstance(error, FeedbackError) else error or "done"
        for error in run_at_once(list(actions))
    ]


def test_two_answers_at_once_keep_one():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; this runs in the CI's PostgreSQL leg")
    agent = AgentFactory()
    other_clinic = TicketFactory(state=State.CERRADO_RESUELTO)
    for _ in range(10):
        ticket = TicketFactory()
        services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
        colleague = ClinicUserFactory(clinic=ticket.clinic)
        outcomes = _race(
            lambda t=ticket: feedback_give(ticket=t, author=t.requester, solved=True),
            lambda t=ticket, c=colleague: feedback_give(ticket=t, author=c, solved=False),
        )
        assert sorted(outcomes) == sorted(["done", already_answered_message()]), outcomes
        assert Feedback.objects.filter(ticket=ticket).count() == 1
    assert not Feedback.objects.filter(ticket=other_clinic).exists()
