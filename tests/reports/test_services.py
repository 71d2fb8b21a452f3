"""TicketTiming follows the tickets through tickets/services.py: reopened tickets are open
again, a ticket's first closing stays its closing, deleted tickets leave, and tickets of before
the reports get their row on their next change."""

import pytest

from reports.models import TicketTiming
from reports.selectors import backlog_ages
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import services
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def open_count() -> int:
    return sum(backlog_ages(area=None).values())


def test_a_reopened_ticket_is_in_the_backlog_again_and_keeps_its_first_closing():
    agent = AgentFactory()
    ticket = TicketFactory()  # bypasses the services: a ticket of before the reports
    assert not TicketTiming.objects.filter(ticket=ticket).exists()
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_CON_PROBLEMA, actor=agent)
    timing = TicketTiming.objects.get(ticket=ticket)
    assert (timing.is_open, timing.closed_state) == (False, State.CERRADO_CON_PROBLEMA)
    assert open_count() == 0
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    assert open_count() == 1
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    timing.refresh_from_db()
    assert (timing.is_open, timing.closed_state) == (False, State.CERRADO_CON_PROBLEMA)
    assert open_count() == 0


def test_only_the_first_response_is_measured():
    agent = AgentFactory()
    ticket = TicketFactory()
    services.ticket_respond(ticket=ticket, author=agent, text="Primera.")
    first = TicketTiming.objects.get(ticket=ticket).first_response_at
    services.ticket_respond(ticket=ticket, author=agent, text="Segunda.")
    ticket.refresh_from_db()
    assert TicketTiming.objects.get(ticket=ticket).first_response_at == first
    assert first == ticket.first_response_at


def test_a_ticket_deleted_by_its_clinic_leaves_the_reports(portal_a):
    ticket, _new = services.ticket_create(
        clinic=portal_a.clinic, requester=portal_a, area="soporte", detail="Por error."
    )
    assert open_count() == 1
    services.ticket_delete(ticket=ticket, actor=portal_a)
    assert not TicketTiming.objects.filter(ticket=ticket).exists()
    assert open_count() == 0
