import pytest
from django.test import Client

from tests.factories import TicketFactory, VetSyncUserFactory
from tickets import services
from tickets.states import State


@pytest.fixture
def resolved(agent):
    """A ticket of a clinic, answered and closed by an agent as "Cerrado / resuelto"."""

    def _resolved(portal_user, **fields):
        ticket = TicketFactory(clinic=portal_user.clinic, requester=portal_user, **fields)
        services.ticket_respond(ticket=ticket, author=agent, text="Ya quedó corregido.")
        services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
        ticket.refresh_from_db()
        return ticket

    return _resolved


@pytest.fixture
def colleague_a(login, user_a):
    """Another user of clinic A, logged in with a browser of its own."""
    colleague = VetSyncUserFactory(clinic=user_a.clinic, full_name="Camila Rojas")
    return login(colleague, the_client=Client())
