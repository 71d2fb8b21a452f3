"""ASVS 5.0 V2.3 (business logic under concurrency), on PostgreSQL (the CI's second leg):
a clinic deleting a ticket while an agent moves it ends with exactly one of the two."""

import pytest
from django.db import connection

from tests.concurrency import run_at_once
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import services
from tickets.models import Ticket
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)


def _race(*actions):
    return [
        "refused" if isinstance(error, services.TicketError) else error or "done"
        for error in run_at_once(list(actions))
    ]


def test_v2_3_delete_and_move_to_in_process_never_both_happen():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; this runs in the CI's PostgreSQL leg")
    agent = AgentFactory()
    for _ in range(20):
        ticket = TicketFactory()
        outcomes = _race(
            lambda t=ticket: services.ticket_delete(ticket=t, actor=t.requester),
            lambda t=ticket: services.ticket_transition(
                ticket=t, to_state=State.EN_PROCESO, actor=agent
            ),
        )
        assert sorted(outcomes) == ["done", "refused"], outcomes
        ticket = Ticket.objects.get(pk=ticket.pk)
        deleted, moved = ticket.deleted_at is not None, ticket.state == State.EN_PROCESO
        assert deleted != moved
        kinds = list(ticket.events.values_list("kind", flat=True))
        assert ("deleted" in kinds) == deleted and ("state_changed" in kinds) == moved
