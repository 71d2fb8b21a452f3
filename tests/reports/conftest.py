"""Hand-built tickets for the reports (Informes): two clinics, both areas, created, answered,
closed, reopened and deleted through tickets/services.py at fixed moments over three weeks
of September 2026 that hold a weekend and two Chilean holidays (Friday 18 and Saturday 19)."""

from contextlib import contextmanager
from datetime import date, datetime

import pytest
from django.utils import timezone

from feedback.models import Feedback
from reports.selectors import Period
from service_levels.business_hours import SANTIAGO
from tests.factories import AgentFactory, ClinicFactory, ClinicUserFactory
from tickets import services
from tickets.states import State

START, END = date(2026, 9, 14), date(2026, 10, 4)  # Monday to Sunday: three weeks


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SANTIAGO)


@contextmanager
def clock(monkeypatch, moment: datetime):
    """timezone.now() (and so auto_now_add) answers ``moment`` inside the block."""
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield


# code: (clinic, area, created, first response, [(moment, state)...], deleted at)
PLAN = {
    "T1": ("A", "soporte", local(9, 14, 10), local(9, 14, 11), [(local(9, 15, 10), "r")], None),
    "T2": ("A", "comercial", local(9, 15, 15), local(9, 16, 10), [(local(9, 22, 12), "p")], None),
    # Across the holidays and the weekend; closed, reopened and closed again.
    "T3": (
        "B",
        "soporte",
        local(9, 17, 17),
        local(9, 21, 10),
        [(local(9, 21, 16), "c"), (local(9, 23, 10), "e"), (local(9, 24, 11), "r")],
        None,
    ),
    "T4": ("B", "soporte", local(9, 19, 12), local(9, 21, 9, 30), [(local(9, 22, 9), "e")], None),
    "T5": ("A", "soporte", local(9, 22, 9), None, [], None),
    "T6": (
        "B",
        "comercial",
        local(9, 23, 14),
        local(9, 23, 14, 30),
        [(local(9, 30, 10), "r")],
        None,
    ),
    "T7": ("A", "soporte", local(9, 29, 11), local(9, 29, 18, 30), [(local(10, 1, 9), "r")], None),
    "T8": ("B", "soporte", local(9, 30, 8), None, [], local(9, 30, 8, 30)),
    "T9": ("A", "soporte", local(9, 10, 10), local(9, 14, 9), [(local(9, 16, 10), "r")], None),
    "T10": ("B", "soporte", local(10, 3, 10), None, [], None),
    "T11": ("A", "comercial", local(10, 5, 9), None, [], None),
    "T12": ("B", "comercial", local(9, 24, 9), local(9, 28, 12), [(local(10, 2, 17), "p")], None),
}
STATES = {
    "r": State.CERRADO_RESUELTO,
    "p": State.CERRADO_CON_PROBLEMA,
    "c": State.CERRADO_RESPONSABILIDAD_CLIENTE,
    "e": State.EN_PROCESO,
}
# code: (solved, answered at)
FEEDBACK = {
    "T1": (True, local(9, 15, 12)),
    "T9": (False, local(9, 16, 12)),
    "T6": (False, local(10, 1, 10)),
    "T7": (True, local(10, 2, 10)),
}


@pytest.fixture
def period():
    return Period(START, END, None)


@pytest.fixture
def report_data(db, monkeypatch):
    """The tickets of PLAN, by code, and the clinics A and B."""
    clinics = {
        "A": ClinicFactory(name="Clínica Veterinaria Mevetlab"),
        "B": ClinicFactory(name="Hospital Veterinario Austral"),
    }
    users = {key: ClinicUserFactory(clinic=clinic) for key, clinic in clinics.items()}
    agent = AgentFactory()
    tickets = {}
    for code, (clinic, area, created, responded, moves, deleted) in PLAN.items():
        with clock(monkeypatch, created):
            ticket, _new = services.ticket_create(
                clinic=clinics[clinic], requester=users[clinic], area=area, detail=code
            )
        if responded:
            with clock(monkeypatch, responded):
                services.ticket_respond(ticket=ticket, author=agent, text="Revisado.")
        for moment, state in moves:
            with clock(monkeypatch, moment):
                services.ticket_transition(ticket=ticket, to_state=STATES[state], actor=agent)
        if deleted:
            with clock(monkeypatch, deleted):
                services.ticket_delete(ticket=ticket, actor=users[clinic])
        ticket.refresh_from_db()
        tickets[code] = ticket
    for code, (solved, moment) in FEEDBACK.items():
        ticket = tickets[code]
        Feedback.objects.create(
            ticket=ticket, author=users[PLAN[code][0]], solved=solved, created_at=moment
        )
    return {"tickets": tickets, "clinics": clinics, "users": users, "agent": agent}
