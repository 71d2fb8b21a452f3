"""TicketCount: the services keep each clinic's visible tickets per area and state
(tickets/counts.py)."""

import pytest
from django.db import connection
from django.db.models import Count

from tests.concurrency import run_at_once
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, ClinicUserFactory, TicketFactory
from tickets import selectors, services
from tickets.models import Ticket, TicketCount
from tickets.states import Area, State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

DETAIL = "Estaba emitiendo una factura en el módulo pagos y apareció un error."


def kept_counts() -> dict:
    return {
        (row.clinic_id, row.area, row.state): row.count
        for row in TicketCount.objects.all()
        if row.count
    }


def real_counts() -> dict:
    rows = (
        Ticket.objects.filter(deleted_at__isnull=True)
        .order_by()
        .values_list("clinic_id", "area", "state")
        .annotate(n=Count("id"))
    )
    return {(clinic, area, state): n for clinic, area, state, n in rows}


def test_every_change_of_the_services_keeps_the_counts_equal_to_the_tickets():
    requester = ClinicUserFactory()
    agent = AgentFactory()
    other = ClinicUserFactory()
    TicketFactory.create_batch(3, clinic=requester.clinic, requester=requester)
    ticket, _created = services.ticket_create(
        clinic=requester.clinic, requester=requester, area=Area.COMERCIAL, detail=DETAIL
    )
    services.ticket_create(clinic=other.clinic, requester=other, area=Area.SOPORTE, detail=DETAIL)
    assert (
        kept_counts()
        == real_counts()
        == {
            (requester.clinic_id, "soporte", "abierto"): 3,
            (requester.clinic_id, "comercial", "abierto"): 1,
            (other.clinic_id, "soporte", "abierto"): 1,
        }
    )

    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    first = Ticket.objects.filter(area="soporte", clinic=requester.clinic).first()
    services.ticket_delete(ticket=first, actor=requester)
    assert kept_counts() == real_counts()
    assert kept_counts()[(requester.clinic_id, "soporte", "abierto")] == 2
    assert kept_counts()[(requester.clinic_id, "comercial", "en_proceso")] == 1


def test_a_refused_change_leaves_the_counts():
    requester = ClinicUserFactory()
    ticket = TicketFactory(clinic=requester.clinic, requester=requester)
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=AgentFactory())
    before = kept_counts()
    with pytest.raises(services.TicketError):
        services.ticket_delete(ticket=ticket, actor=requester)
    with pytest.raises(services.TicketError):
        services.ticket_transition(ticket=ticket, to_state=State.ABIERTO, actor=AgentFactory())
    assert kept_counts() == before == real_counts()


def test_totals_and_history_counts_read_the_kept_counts():
    requester = ClinicUserFactory()
    TicketFactory.create_batch(2, clinic=requester.clinic, requester=requester)
    TicketFactory(
        clinic=requester.clinic, requester=requester, area="comercial", state="en_proceso"
    )
    clinic = requester.clinic
    # A count the triggers would never leave: the selectors read it as it is.
    TicketCount.objects.filter(clinic=clinic, area="soporte", state="abierto").update(count=40)

    assert selectors.ticket_totals(clinic=clinic)["abierto"] == 40
    assert selectors.ticket_totals(clinic=clinic)["en_proceso"] == 1
    filters = selectors.HistoryFilters
    assert selectors.ticket_history_count(clinic=clinic, filters=filters()) == 41
    assert selectors.ticket_history_count(clinic=clinic, filters=filters(state="en_proceso")) == 1
    assert selectors.ticket_history_count(clinic=clinic, filters=filters(area="soporte")) == 40
    assert (
        selectors.ticket_history_count(
            clinic=clinic, filters=filters(state="abierto", area="comercial")
        )
        == 0
    )
    assert selectors.ticket_history_count(clinic=clinic, filters=filters(query="factura")) is None
    assert selectors.ticket_totals(clinic=ClinicFactory()) == dict.fromkeys(
        [state.value for state in State], 0
    )


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
def test_concurrent_creates_and_opposite_moves_keep_the_counts_without_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; this runs in the CI's PostgreSQL leg")
    requester = ClinicUserFactory()
    agent = AgentFactory()
    closed = [TicketFactory(clinic=requester.clinic, requester=requester) for _ in range(4)]
    for ticket in closed:
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
        services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    in_process = [TicketFactory(clinic=requester.clinic, requester=requester) for _ in range(4)]
    for ticket in in_process:
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    # Closed -> in process and in process -> closed at once (opposite moves between two
    # counts), and first tickets of a new area created at once (two inserts of one count).
    actions = [
        *(
            lambda t=t: services.ticket_transition(ticket=t, to_state=State.EN_PROCESO, actor=agent)
            for t in closed
        ),
        *(
            lambda t=t: services.ticket_transition(
                ticket=t, to_state=State.CERRADO_RESUELTO, actor=agent
            )
            for t in in_process
        ),
        *(
            lambda: services.ticket_create(
                clinic=requester.clinic, requester=requester, area=Area.COMERCIAL, detail=DETAIL
            )
            for _ in range(4)
        ),
    ]
    errors = [error for error in run_at_once(actions) if error is not None]
    assert errors == []
    assert (
        kept_counts()
        == real_counts()
        == {
            (requester.clinic_id, "soporte", "en_proceso"): 4,
            (requester.clinic_id, "soporte", "cerrado_resuelto"): 4,
            (requester.clinic_id, "comercial", "abierto"): 4,
        }
    )
