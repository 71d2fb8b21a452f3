"""Changing an area's response-time targets in the admin recomputes the due times of that
area's open tickets (service_levels/services.py), and only those."""

import re
from datetime import timedelta

import pytest

from service_levels.business_hours import business_deadline
from service_levels.models import ResponseTarget
from tests.conftest import ALL_DATABASES
from tickets import services
from tickets.models import Ticket, TicketCount
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

TARGETS = "/admin/service_levels/responsetarget/"


def create(clinic_user, area="soporte") -> Ticket:
    ticket, _ = services.ticket_create(
        clinic=clinic_user.clinic, requester=clinic_user, area=area, detail="Falla al facturar."
    )
    return ticket


@pytest.fixture
def tickets(portal_a, portal_b, desk_agent):
    open_a = create(portal_a)
    answered_b = create(portal_b)
    services.ticket_respond(ticket=answered_b, author=desk_agent, text="Revisando.")
    closed_a = create(portal_a)
    services.ticket_transition(ticket=closed_a, to_state=State.CERRADO_RESUELTO, actor=desk_agent)
    comercial_b = create(portal_b, area="comercial")
    return {
        "open_a": open_a,
        "answered_b": answered_b,
        "closed_a": closed_a,
        "comercial_b": comercial_b,
    }


def snapshot() -> dict:
    return {
        t.pk: (t.first_response_due_at, t.resolution_due_at, t.next_due_at, t.updated_at)
        for t in Ticket.objects.all()
    }


def test_changing_an_areas_targets_in_the_admin_recomputes_its_open_tickets(desk, tickets):
    target = ResponseTarget.objects.get(area="soporte")
    before = snapshot()
    counts = sorted(TicketCount.objects.values_list("clinic_id", "area", "state", "count"))
    response = desk.post(
        f"{TARGETS}{target.pk}/change/",
        {"first_response_hours": "2.0", "resolution_hours": "9.0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = snapshot()
    for name in ("open_a", "answered_b"):
        ticket = Ticket.objects.get(pk=tickets[name].pk)
        assert ticket.first_response_due_at == business_deadline(
            ticket.created_at, timedelta(hours=2)
        )
        assert ticket.resolution_due_at == business_deadline(ticket.created_at, timedelta(hours=9))
        assert after[ticket.pk][3] == before[ticket.pk][3]  # updated_at: not a change seen
    answered = Ticket.objects.get(pk=tickets["answered_b"].pk)
    assert answered.next_due_at == answered.resolution_due_at
    opened = Ticket.objects.get(pk=tickets["open_a"].pk)
    assert opened.next_due_at == opened.first_response_due_at
    # a closed ticket keeps the due times it was judged by; another area is untouched
    for name in ("closed_a", "comercial_b"):
        assert after[tickets[name].pk] == before[tickets[name].pk]
    assert sorted(TicketCount.objects.values_list("clinic_id", "area", "state", "count")) == counts


def test_the_lists_editable_columns_save_through_the_service_too(desk, tickets):
    soporte = ResponseTarget.objects.get(area="soporte")
    comercial = ResponseTarget.objects.get(area="comercial")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(comercial.pk),
        "form-0-first_response_hours": "9.0",
        "form-0-resolution_hours": "27.0",
        "form-1-id": str(soporte.pk),
        "form-1-first_response_hours": "1.0",
        "form-1-resolution_hours": "18.0",
        "_save": "Guardar",
    }
    response = desk.post(TARGETS, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get(pk=tickets["open_a"].pk)
    assert ticket.first_response_due_at == business_deadline(ticket.created_at, timedelta(hours=1))


def test_saving_unchanged_targets_recomputes_nothing(desk, tickets):
    target = ResponseTarget.objects.get(area="soporte")
    Ticket.objects.filter(pk=tickets["open_a"].pk).update(first_response_due_at=None)
    desk.post(
        f"{TARGETS}{target.pk}/change/",
        {
            "first_response_hours": str(target.first_response_hours),
            "resolution_hours": str(target.resolution_hours),
        },
    )
    assert Ticket.objects.get(pk=tickets["open_a"].pk).first_response_due_at is None


def test_a_target_below_half_an_hour_is_refused_in_spanish(desk, tickets):
    target = ResponseTarget.objects.get(area="soporte")
    before = snapshot()
    response = desk.post(
        f"{TARGETS}{target.pk}/change/", {"first_response_hours": "0", "resolution_hours": "9"}
    )
    assert response.status_code == 200
    assert re.search(
        r"Asegúrese de que este valor es mayor o igual a 0[.,]5", response.content.decode()
    )
    assert snapshot() == before


def test_a_clinic_user_cannot_reach_the_targets(client_a, portal_a, tickets):
    target = ResponseTarget.objects.get(area="soporte")
    for path in (TARGETS, f"{TARGETS}{target.pk}/change/"):
        response = client_a.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client_a.post(
        f"{TARGETS}{target.pk}/change/", {"first_response_hours": "1", "resolution_hours": "2"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_response_hours != 1
