"""tickets/services.py: the one place that changes tickets."""

import re
import uuid
from itertools import product
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import ALL_DATABASES
from tests.factories import ClinicUserFactory, TicketFactory
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.states import CLOSED_STATES, Area, State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

BASE_DIR = Path(__file__).resolve().parents[2]
DETAIL = "Estaba emitiendo una factura en el módulo pagos y apareció un error."


def test_create_gives_an_open_ticket_with_code_and_event():
    requester = ClinicUserFactory()
    ticket, created = services.ticket_create(
        clinic=requester.clinic, requester=requester, area=Area.COMERCIAL, detail=DETAIL
    )
    assert created
    assert ticket.state == State.ABIERTO
    assert ticket.code.startswith("ST-")
    event = ticket.events.get()
    assert (event.kind, event.actor, event.to_state) == ("created", requester, State.ABIERTO)


def test_the_same_submission_creates_one_ticket():
    requester = ClinicUserFactory()
    token = uuid.uuid4()
    kwargs = {
        "clinic": requester.clinic,
        "requester": requester,
        "area": Area.SOPORTE,
        "detail": DETAIL,
        "submission_token": token,
    }
    first, created_first = services.ticket_create(**kwargs)
    second, created_second = services.ticket_create(**kwargs)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_a_submission_token_is_one_clinics_own():
    # A sent-again form is found by the unique (clinic, token) pair when its INSERT is refused:
    # the same token from another clinic creates that clinic's ticket, never returns this one.
    requester_a, requester_b = ClinicUserFactory(), ClinicUserFactory()
    token = uuid.uuid4()
    common = {"area": Area.SOPORTE, "detail": DETAIL, "submission_token": token}
    ticket_a, _ = services.ticket_create(clinic=requester_a.clinic, requester=requester_a, **common)
    ticket_b, created_b = services.ticket_create(
        clinic=requester_b.clinic, requester=requester_b, **common
    )
    again_b, created_again = services.ticket_create(
        clinic=requester_b.clinic, requester=requester_b, **common
    )
    assert created_b and not created_again
    assert ticket_b.clinic == requester_b.clinic != ticket_a.clinic
    assert again_b.pk == ticket_b.pk != ticket_a.pk


def test_the_requester_must_belong_to_the_clinic():
    requester = ClinicUserFactory()
    other = ClinicUserFactory()
    with pytest.raises(services.TicketError):
        services.ticket_create(
            clinic=other.clinic, requester=requester, area=Area.SOPORTE, detail=DETAIL
        )


def test_a_follow_up_must_be_of_the_same_clinic():
    requester = ClinicUserFactory()
    foreign = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_create(
            clinic=requester.clinic,
            requester=requester,
            area=Area.SOPORTE,
            detail=DETAIL,
            follows_up=foreign,
        )
    assert Ticket.objects.count() == 1


# The guide's moves, written out here and not read from tickets.states.TRANSITIONS: an open
# ticket goes to "En proceso" or is closed, a ticket in process is closed, a closed ticket is
# reopened to "En proceso". Nothing else.
CLOSED = [State.CERRADO_RESUELTO, State.CERRADO_CON_PROBLEMA, State.CERRADO_RESPONSABILIDAD_CLIENTE]
GUIDE_MOVES = {
    (State.ABIERTO, State.EN_PROCESO),
    *((State.ABIERTO, closed) for closed in CLOSED),
    *((State.EN_PROCESO, closed) for closed in CLOSED),
    *((closed, State.EN_PROCESO) for closed in CLOSED),
}


@pytest.mark.parametrize(("from_state", "to_state"), list(product(State, State)))
def test_only_the_guides_moves_are_allowed(agent, from_state, to_state):
    ticket = TicketFactory(state=from_state)
    if (from_state, to_state) in GUIDE_MOVES:
        services.ticket_transition(ticket=ticket, to_state=to_state, actor=agent)
        ticket.refresh_from_db()
        assert ticket.state == to_state
        event = ticket.events.get(kind="state_changed")
        assert (event.actor, event.from_state, event.to_state) == (agent, from_state, to_state)
    else:
        with pytest.raises(services.TicketError):
            services.ticket_transition(ticket=ticket, to_state=to_state, actor=agent)
        ticket.refresh_from_db()
        assert ticket.state == from_state
        assert not ticket.events.filter(kind="state_changed").exists()


def test_an_unknown_state_is_refused(agent):
    ticket = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_transition(ticket=ticket, to_state="borrado", actor=agent)


def test_a_state_outside_the_table_cannot_be_stored():
    ticket = TicketFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(state="perdido")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(area="ventas")


def test_closing_records_the_resolution_time_once(agent):
    ticket = TicketFactory()
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    ticket.refresh_from_db()
    resolved_at = ticket.resolved_at
    assert resolved_at is not None
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_CON_PROBLEMA, actor=agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at == resolved_at


def test_a_response_is_published_and_becomes_the_latest(agent):
    ticket = TicketFactory()
    first = services.ticket_respond(ticket=ticket, author=agent, text="Primera respuesta")
    second = services.ticket_respond(ticket=ticket, author=agent, text="  Segunda  ")
    ticket.refresh_from_db()
    assert ticket.latest_response == second
    assert second.text == "Segunda"
    assert ticket.first_response_at == first.created_at
    assert ticket.events.filter(kind="response_published", actor=agent).count() == 2


def test_a_clinic_user_cannot_publish_a_response():
    ticket = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_respond(ticket=ticket, author=ticket.requester, text="Hola")
    assert not ticket.responses.exists()


def test_an_empty_response_is_refused(agent):
    ticket = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_respond(ticket=ticket, author=agent, text="   ")


@pytest.mark.parametrize("state", [State.ABIERTO, State.EN_PROCESO])
def test_the_clinic_adds_information_while_not_closed(state):
    ticket = TicketFactory(state=state)
    services.ticket_add_information(ticket=ticket, author=ticket.requester, text="Más datos")
    assert ticket.additions.get().text == "Más datos"
    assert ticket.events.filter(kind="information_added").exists()


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_a_closed_ticket_does_not_take_more_information(state):
    ticket = TicketFactory(state=state)
    with pytest.raises(services.TicketError):
        services.ticket_add_information(ticket=ticket, author=ticket.requester, text="Más")
    assert not ticket.additions.exists()


def test_another_clinic_cannot_add_information():
    ticket = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_add_information(ticket=ticket, author=ClinicUserFactory(), text="x")


def test_delete_only_while_open():
    ticket = TicketFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    ticket.refresh_from_db()
    assert ticket.deleted_at is not None
    assert ticket.deleted_by == ticket.requester
    assert ticket.events.filter(kind="deleted").exists()
    with pytest.raises(services.TicketError):
        services.ticket_delete(ticket=ticket, actor=ticket.requester)


@pytest.mark.parametrize("state", [s for s in State if s != State.ABIERTO])
def test_delete_is_refused_in_any_other_state(state):
    ticket = TicketFactory(state=state)
    with pytest.raises(services.TicketError):
        services.ticket_delete(ticket=ticket, actor=ticket.requester)
    ticket.refresh_from_db()
    assert ticket.deleted_at is None


def test_a_colleague_of_the_same_clinic_may_delete_but_not_another_clinic():
    ticket = TicketFactory()
    with pytest.raises(services.TicketError):
        services.ticket_delete(ticket=ticket, actor=ClinicUserFactory())
    colleague = ClinicUserFactory(clinic=ticket.clinic)
    services.ticket_delete(ticket=ticket, actor=colleague)


def test_a_deleted_ticket_cannot_move(agent):
    ticket = TicketFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    with pytest.raises(services.TicketError):
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)


def test_events_are_written_only_by_the_services(agent):
    """A write that bypasses the services leaves no event; each service leaves its own; and no
    module of the apps but tickets/services.py creates one."""
    ticket, other = TicketFactory(), TicketFactory()  # two clinics
    assert ticket.clinic_id != other.clinic_id
    before = list(TicketEvent.objects.values_list("pk", flat=True))
    Ticket.objects.filter(pk=ticket.pk).update(state=State.EN_PROCESO)
    ticket.refresh_from_db()
    ticket.detail = DETAIL + " (editado)"
    ticket.save()
    assert list(TicketEvent.objects.values_list("pk", flat=True)) == before

    services.ticket_assign(ticket=ticket, agent=agent, actor=agent)
    services.ticket_note_add(ticket=ticket, author=agent, text="Revisar con finanzas.")
    new_events = TicketEvent.objects.exclude(pk__in=before)
    assert sorted(new_events.values_list("ticket_id", "kind")) == [
        (ticket.pk, "assigned"),
        (ticket.pk, "note_added"),
    ]

    writes = re.compile(
        r"TicketEvent\.objects\.|(?<!class )TicketEvent\(|\.events\.(create|bulk_create)\b"
    )
    writers = {
        str(path.relative_to(BASE_DIR))
        for app in ("accounts", "tickets", "notifications", "vetsync_support")
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts and writes.search(path.read_text())
    }
    assert writers == {"tickets/services.py"}
