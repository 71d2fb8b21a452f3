"""TicketTiming follows the tickets through tickets/services.py: reopened tickets are open
again, a ticket's first closing stays its closing, deleted tickets leave, tickets of before
the reports get their row on their next change, and the met flags are judged by the ticket's
due times (service_levels.due_times.target_met)."""

from datetime import datetime, timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.utils import timezone

from reports.models import TicketTiming
from reports.selectors import backlog_ages
from reports.services import timings_met_refresh
from service_levels.business_hours import SANTIAGO, business_deadline
from service_levels.due_times import target_lines
from service_levels.models import ResponseTarget
from service_levels.services import response_target_save
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import services
from tickets.models import Ticket
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


def change_soporte_targets(agent, first_response: str, resolution: str) -> None:
    response_target_save(
        target=ResponseTarget.objects.get(area="soporte"),
        first_response_hours=Decimal(first_response),
        resolution_hours=Decimal(resolution),
        actor=agent,
    )


def flags(ticket) -> tuple[bool | None, bool | None]:
    timing = TicketTiming.objects.get(ticket=ticket)
    return timing.first_response_met, timing.resolution_met


def test_the_met_flags_are_judged_by_the_due_times_when_it_happens(portal_a, desk_agent):
    ticket, _new = services.ticket_create(
        clinic=portal_a.clinic, requester=portal_a, area="soporte", detail="Sin conexión."
    )
    assert flags(ticket) == (None, None)
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Revisando.")
    assert flags(ticket) == (True, None)  # just created: due in 4 business hours
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=ticket.created_at)
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=desk_agent)
    assert flags(ticket) == (True, False)
    # Reopened and closed again: the first closing stays the one judged.
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=desk_agent)
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=timezone.now() + timedelta(days=1))
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=desk_agent)
    assert flags(ticket) == (True, False)


def answered_open_ticket(portal_a, desk_agent) -> Ticket:
    """An open Soporte ticket answered 3 business hours after its creation (target: 4)."""
    ticket, _new = services.ticket_create(
        clinic=portal_a.clinic, requester=portal_a, area="soporte", detail="Sin conexión."
    )
    created = datetime(2026, 10, 14, 9, tzinfo=SANTIAGO)  # a Wednesday
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created,
        first_response_due_at=business_deadline(created, timedelta(hours=4)),
        resolution_due_at=business_deadline(created, timedelta(hours=18)),
    )
    TicketTiming.objects.filter(ticket=ticket).update(created_at=created)
    ticket.refresh_from_db()
    with patch.object(timezone, "now", return_value=created + timedelta(hours=3)):
        services.ticket_respond(ticket=ticket, author=desk_agent, text="Revisando.")
    assert flags(ticket) == (True, None)
    return ticket


def test_refreshing_the_flags_follows_the_recomputed_due_times(portal_a, desk_agent):
    """An area's new targets recompute the due times of its open tickets, answered ones too
    (service_levels/services.py); the desk then judges their first response by the new due
    time, and timings_met_refresh makes the reports' flags agree."""
    ticket = answered_open_ticket(portal_a, desk_agent)
    change_soporte_targets(desk_agent, "2.0", "18.0")
    ticket.refresh_from_db()
    assert target_lines(ticket, now=timezone.now())[0].passed  # the desk: missed now
    TicketTiming.objects.filter(ticket=ticket).update(first_response_met=True)  # as before
    assert timings_met_refresh(ticket_ids=[ticket.pk]) == 1
    assert flags(ticket) == (False, None)
    assert timings_met_refresh(ticket_ids=[ticket.pk]) == 0  # nothing left to change


def test_a_target_change_refreshes_the_flags_of_the_recomputed_tickets(portal_a, desk_agent):
    ticket = answered_open_ticket(portal_a, desk_agent)
    change_soporte_targets(desk_agent, "2.0", "18.0")
    ticket.refresh_from_db()
    assert target_lines(ticket, now=timezone.now())[0].passed
    assert flags(ticket) == (False, None)
