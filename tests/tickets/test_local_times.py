"""Every moment a person reads is Santiago's (America/Santiago), also across the changes of
Chilean summer time: the admin's names of objects (``str()``, also on its deletion pages and
in its history) and the CSV files (Descargar historial, Informes).

In 2026 Chile leaves summer time on Sunday 5 April (00:00 local, 03:00 UTC: clocks go back to
Saturday 23:00, UTC-3 to UTC-4) and enters it on Sunday 6 September (00:00 local, 04:00 UTC:
clocks jump to 01:00, UTC-4 to UTC-3)."""

import csv
import io
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from feedback.models import Feedback
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets import services
from tickets.models import (
    Ticket,
    TicketAddition,
    TicketEvent,
    TicketNote,
    TicketResponse,
    TicketSeen,
)

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

# The minute before and the minute after each change: (UTC, as read in Santiago).
BEFORE_APRIL = datetime(2026, 4, 5, 2, 59, tzinfo=UTC), "04-04-2026 23:59"  # UTC-3
AFTER_APRIL = datetime(2026, 4, 5, 3, 1, tzinfo=UTC), "04-04-2026 23:01"  # UTC-4, again 23:xx
BEFORE_SEPTEMBER = datetime(2026, 9, 6, 3, 59, tzinfo=UTC), "05-09-2026 23:59"  # UTC-4
AFTER_SEPTEMBER = datetime(2026, 9, 6, 4, 1, tzinfo=UTC), "06-09-2026 01:01"  # UTC-3
MOMENTS = [BEFORE_APRIL, AFTER_APRIL, BEFORE_SEPTEMBER, AFTER_SEPTEMBER]


@pytest.mark.parametrize(("moment", "local"), MOMENTS)
def test_the_admins_names_of_objects_read_santiagos_time(portal_a, portal_b, agent, moment, local):
    for requester in (portal_a, portal_b):
        ticket = TicketFactory(clinic=requester.clinic, requester=requester)
        objects = [
            TicketResponse.objects.create(ticket=ticket, author=agent, text="Revisado."),
            TicketAddition.objects.create(ticket=ticket, author=requester, text="Adjunto."),
            TicketNote.objects.create(ticket=ticket, author=agent, text="Interna."),
            TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.STATE_CHANGED),
        ]
        for obj in objects:
            type(obj).objects.filter(pk=obj.pk).update(created_at=moment)
        response, addition, note, event = (type(obj).objects.get(pk=obj.pk) for obj in objects)
        feedback = Feedback.objects.create(
            ticket=ticket, author=requester, solved=True, created_at=moment
        )
        seen = TicketSeen.objects.create(user=requester, ticket=ticket, seen_activity_at=moment)

        assert str(response) == f"{ticket.pk} · {local}"
        assert str(addition) == f"{ticket.pk} · {local}"
        assert str(note) == f"{ticket.pk} · {local}"
        assert str(event) == f"Cambio de estado · {local}"
        assert str(Feedback.objects.get(pk=feedback.pk)) == f"{ticket.pk} · {local}"
        assert str(TicketSeen.objects.get(pk=seen.pk)) == f"{requester.pk}/{ticket.pk}: {local}"


RESPONSE = "Revisamos la boleta"


def download(client) -> list[list[str]]:
    response = client.get("/soporte/tickets/descargar")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def created_at(requester, moment: datetime) -> Ticket:
    ticket = TicketFactory(clinic=requester.clinic, requester=requester, detail="Boleta")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=moment)
    return ticket


def responded_at(ticket: Ticket, agent, moment: datetime) -> None:
    services.ticket_respond(ticket=ticket, author=agent, text=RESPONSE)
    TicketResponse.objects.filter(ticket=ticket).update(created_at=moment)


def test_the_clinics_history_csv_writes_santiagos_time(
    client_a, client_b, portal_a, portal_b, agent
):
    before_april = created_at(portal_a, BEFORE_APRIL[0])
    after_april = created_at(portal_a, AFTER_APRIL[0])
    responded_at(before_april, agent, AFTER_SEPTEMBER[0])
    theirs = created_at(portal_b, BEFORE_SEPTEMBER[0])
    responded_at(theirs, agent, AFTER_APRIL[0])

    # Newest first: the ticket of 23:01 (UTC-4) was created after the one of 23:59 (UTC-3).
    assert download(client_a)[1:] == [
        row(after_april, "04-04-2026 23:01", "Fernando Pérez", "", ""),
        row(before_april, "04-04-2026 23:59", "Fernando Pérez", RESPONSE, "06-09-2026 01:01"),
    ]
    assert download(client_b)[1:] == [
        row(theirs, "05-09-2026 23:59", "Valentina Muñoz", RESPONSE, "04-04-2026 23:01"),
    ]


def row(ticket: Ticket, created: str, requester: str, response: str, responded: str) -> list:
    return [ticket.code, created, "Soporte", "Abierto", requester, "Boleta", response, responded]


@contextmanager
def clock(monkeypatch, moment: datetime):
    """timezone.now() (and so auto_now_add) answers ``moment`` inside the block."""
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield


@pytest.mark.parametrize(
    ("period", "created", "rows"),
    [
        (
            # Sunday 5 April 23:30 in Santiago (UTC-4, just after the change) is Monday 03:30
            # UTC: it counts in the week of Monday 30 March, as Saturday's 23:30 (UTC-3).
            ("2026-03-30", "2026-04-12"),
            {
                "A": [datetime(2026, 4, 6, 3, 30, tzinfo=UTC)],
                "B": [datetime(2026, 4, 5, 2, 30, tzinfo=UTC)],
            },
            [["Semana del 30-03-2026", "2"], ["Semana del 06-04-2026", "0"]],
        ),
        (
            # Sunday 6 September 23:30 in Santiago (UTC-3, the day of the change) is Monday
            # 02:30 UTC; Saturday 5 September 23:30 (UTC-4) is Sunday 03:30 UTC.
            ("2026-08-31", "2026-09-13"),
            {
                "A": [datetime(2026, 9, 7, 2, 30, tzinfo=UTC)],
                "B": [
                    datetime(2026, 9, 6, 3, 30, tzinfo=UTC),
                    datetime(2026, 9, 7, 4, 30, tzinfo=UTC),
                ],
            },
            [["Semana del 31-08-2026", "2"], ["Semana del 07-09-2026", "1"]],
        ),
    ],
)
def test_the_informes_csv_counts_tickets_in_santiagos_weeks(
    monkeypatch, desk, portal_a, portal_b, period, created, rows
):
    requesters = {"A": portal_a, "B": portal_b}
    for clinic, moments in created.items():
        for moment in moments:
            with clock(monkeypatch, moment):
                services.ticket_create(
                    clinic=requesters[clinic].clinic,
                    requester=requesters[clinic],
                    area="soporte",
                    detail="Estaba emitiendo una boleta y apareció un error en el pago.",
                )
    start, end = period
    response = desk.get(
        "/admin/informes/", {"desde": start, "hasta": end, "area": "soporte", "csv": "volumen"}
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert table == [
        ["Semana", "Creados · Soporte", "Cerrados · Soporte"],
        *[[week, count, "0"] for week, count in rows],
    ]
