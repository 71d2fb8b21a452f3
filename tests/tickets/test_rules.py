"""One test for each rule whose home is in the ticket core (docs/ARCHITECTURE.md, "The home of
each rule"): each fails if its one definition changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicUserFactory, TicketFactory
from tickets import services
from tickets.agent_selectors import unanswered_tickets
from tickets.limits import ADDITION_MAX_LENGTH
from tickets.models import OPEN_VISIBLE, Ticket
from tickets.states import OPEN_STATES, State, is_closed, is_open

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_open_is_abierto_and_en_proceso():
    assert set(OPEN_STATES) == {State.ABIERTO, State.EN_PROCESO}
    for state in State:
        assert is_open(state) != is_closed(state)  # every state is one or the other
    a, b = ClinicUserFactory(), ClinicUserFactory()  # two clinics
    kept = [
        TicketFactory(clinic=a.clinic, requester=a, state=State.ABIERTO),
        TicketFactory(clinic=b.clinic, requester=b, state=State.EN_PROCESO),
    ]
    TicketFactory(clinic=a.clinic, requester=a, state=State.CERRADO_RESUELTO)
    TicketFactory(clinic=b.clinic, requester=b, deleted_at=timezone.now())
    assert set(Ticket.objects.filter(OPEN_VISIBLE)) == set(kept)


def test_unanswered_is_open_without_a_response_for_24_hours():
    agent = AgentFactory()
    a, b = ClinicUserFactory(), ClinicUserFactory()
    day_ago = timezone.now() - timedelta(hours=25)
    waiting = TicketFactory(clinic=a.clinic, requester=a, created_at=day_ago)
    in_process = TicketFactory(
        clinic=b.clinic, requester=b, created_at=day_ago, state=State.EN_PROCESO
    )
    TicketFactory(clinic=a.clinic, requester=a)  # not yet 24 hours
    answered = TicketFactory(clinic=b.clinic, requester=b, created_at=day_ago)
    services.ticket_respond(ticket=answered, author=agent, text="Revisamos su caso.")
    closed = TicketFactory(clinic=a.clinic, requester=a, created_at=day_ago)
    services.ticket_transition(ticket=closed, to_state=State.CERRADO_RESUELTO, actor=agent)
    assert set(unanswered_tickets()) == {waiting, in_process}


def test_only_an_agent_speaks_for_the_team():
    ticket = TicketFactory()
    not_staff = AgentFactory(is_staff=False)  # no clinic, but not an agent either
    with pytest.raises(services.TicketError):
        services.ticket_respond(ticket=ticket, author=not_staff, text="Hola")
    with pytest.raises(services.TicketError):
        services.ticket_note_add(ticket=ticket, author=not_staff, text="Nota")
    response = services.ticket_respond(ticket=ticket, author=AgentFactory(), text="Hola")
    assert response.ticket == ticket


def test_the_pending_due_time():
    now = timezone.now()
    first, resolution = now + timedelta(hours=4), now + timedelta(days=3)
    ticket = Ticket(state=State.ABIERTO, first_response_due_at=first, resolution_due_at=resolution)
    assert ticket.pending_due_at() == first  # while the team has not answered
    ticket.first_response_at = now
    assert ticket.pending_due_at() == resolution
    ticket.state = State.EN_PROCESO
    assert ticket.pending_due_at() == resolution
    ticket.state = State.CERRADO_RESUELTO
    assert ticket.pending_due_at() is None
    ticket.state, ticket.deleted_at = State.ABIERTO, now
    assert ticket.pending_due_at() is None


def test_an_addition_too_long_is_refused_by_the_service():
    a, b = ClinicUserFactory(), ClinicUserFactory()
    ticket = TicketFactory(clinic=a.clinic, requester=a)
    with pytest.raises(services.TicketError, match=f"no puede superar los {ADDITION_MAX_LENGTH}"):
        services.ticket_add_information(
            ticket=ticket, author=a, text="x" * (ADDITION_MAX_LENGTH + 1)
        )
    addition, added = services.ticket_add_information(
        ticket=ticket, author=a, text="x" * ADDITION_MAX_LENGTH
    )
    assert added and len(addition.text) == ADDITION_MAX_LENGTH
    with pytest.raises(services.TicketError):  # another clinic's person
        services.ticket_add_information(ticket=ticket, author=b, text="Dato")


def test_a_ticket_is_of_its_clinic_only():
    a, b = ClinicUserFactory(), ClinicUserFactory()
    ticket = TicketFactory(clinic=a.clinic, requester=a)
    assert ticket.is_of(a.clinic_id)
    assert not ticket.is_of(b.clinic_id)
    assert not ticket.is_of(AgentFactory().clinic_id)  # an agent has no clinic
    with pytest.raises(services.TicketError):
        services.ticket_delete(ticket=ticket, actor=b)
    assert services.ticket_delete(ticket=ticket, actor=a).is_deleted
