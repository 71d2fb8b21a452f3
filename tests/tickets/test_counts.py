"""tickets_ticketcount: the database keeps each clinic's visible tickets per area and state,
whatever writes the ticket (a service, the admin, a factory, a bulk update)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, ClinicUserFactory, TicketFactory
from tickets import selectors, services
from tickets.count_triggers import REBUILD
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


def test_every_kind_of_write_keeps_the_counts_equal_to_the_tickets():
    requester = ClinicUserFactory()
    agent = AgentFactory()
    other = ClinicFactory()
    TicketFactory.create_batch(3, clinic=requester.clinic, requester=requester)
    ticket, _created = services.ticket_create(
        clinic=requester.clinic, requester=requester, area=Area.COMERCIAL, detail=DETAIL
    )
    assert (
        kept_counts()
        == real_counts()
        == {
            (requester.clinic_id, "soporte", "abierto"): 3,
            (requester.clinic_id, "comercial", "abierto"): 1,
        }
    )

    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    first = Ticket.objects.filter(area="soporte").first()
    services.ticket_delete(ticket=first, actor=requester)
    assert kept_counts() == real_counts()
    assert kept_counts()[(requester.clinic_id, "soporte", "abierto")] == 2

    # Writes that bypass the services: a bulk update, a change of area and clinic, a restore,
    # a hard delete.
    Ticket.objects.filter(area="soporte", deleted_at__isnull=True).update(state="en_proceso")
    Ticket.objects.filter(pk=ticket.pk).update(area="soporte", clinic=other)
    Ticket.objects.filter(pk=first.pk).update(deleted_at=None)
    assert kept_counts() == real_counts()
    Ticket.objects.filter(pk=first.pk).delete()
    Ticket.objects.filter(pk=ticket.pk).update(deleted_at=timezone.now())
    assert kept_counts() == real_counts() == {(requester.clinic_id, "soporte", "en_proceso"): 2}


def test_an_update_that_changes_nothing_counted_leaves_the_counts():
    ticket = TicketFactory()
    Ticket.objects.filter(pk=ticket.pk).update(detail=DETAIL, state=ticket.state)
    assert kept_counts() == {(ticket.clinic_id, "soporte", "abierto"): 1}


def test_the_rebuild_counts_every_visible_ticket_again():
    TicketFactory.create_batch(2)
    deleted = TicketFactory()
    Ticket.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    expected = kept_counts()
    TicketCount.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in REBUILD:
            cursor.execute(statement)
    assert kept_counts() == expected == real_counts()


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
