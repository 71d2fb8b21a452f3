"""E-mails that close the loop: the team hears of new tickets, the requester of responses and
changes of state; stored inside the change's transaction, queued only once it commits."""

import re

import pytest
from django.conf import settings
from django.db import transaction

from notifications import services as notification_services
from notifications.models import Notification
from notifications.tasks import send_notification
from tests.conftest import ALL_DATABASES
from tests.factories import ClinicUserFactory, TicketFactory
from tests.notifications.conftest import DETAIL, PORTAL, TEAM, create_ticket
from tickets import services
from tickets.states import Area, State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


# --- who is told, and what ---------------------------------------------------------------------


def test_a_new_ticket_is_announced_to_the_team(tasks_run_now, on_commit, mailoutbox):
    requester = ClinicUserFactory(full_name="Fernando Pérez", clinic__name="Clínica Mevetlab")
    ClinicUserFactory()  # another clinic, told nothing
    with on_commit():
        ticket = create_ticket(requester, area=Area.COMERCIAL)
    [message] = mailoutbox
    assert message.to == [TEAM]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == f"[{ticket.code}] Nuevo ticket: Comercial"
    link = f"{PORTAL}/admin/tickets/ticket/{ticket.pk}/change/"
    for part in (message.body, html_part(message)):
        for words in (ticket.code, "Clínica Mevetlab", "Fernando Pérez", "Comercial", DETAIL, link):
            assert words in part, words
    notification = Notification.objects.get()
    assert (notification.kind, notification.status, notification.attempts) == (
        Notification.Kind.TICKET_CREATED,
        Notification.Status.SENT,
        1,
    )
    assert notification.sent_at is not None


def test_a_published_response_goes_to_the_requester(tasks_run_now, on_commit, mailoutbox, agent):
    ticket = TicketFactory(requester__email="fernando@mevetlab.cl")
    TicketFactory(requester__email="otra@austral.cl")  # another clinic's ticket
    with on_commit():
        services.ticket_respond(ticket=ticket, author=agent, text="Ya corregimos el pago.")
    [message] = mailoutbox
    assert message.to == ["fernando@mevetlab.cl"]
    assert message.subject == f"[{ticket.code}] Respuesta del equipo"
    for part in (message.body, html_part(message)):
        assert ticket.code in part
        assert "Abierto" in part
        assert "Ya corregimos el pago." in part
        assert f"{PORTAL}/soporte/tickets/{ticket.code}" in part


def test_every_change_of_state_goes_to_the_requester_in_the_guides_words(
    tasks_run_now, on_commit, mailoutbox, agent
):
    ticket = TicketFactory()
    other = TicketFactory()  # another clinic's ticket, moved too
    assert other.clinic_id != ticket.clinic_id
    with on_commit():
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
        services.ticket_transition(ticket=other, to_state=State.EN_PROCESO, actor=agent)
    with on_commit():
        services.ticket_respond(ticket=ticket, author=agent, text="Quedó pagado.")
        services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    [others] = [message for message in mailoutbox if message.to == [other.requester.email]]
    assert others.subject == f"[{other.code}] Cambio de estado: En proceso"
    mine = [message for message in mailoutbox if message is not others]
    assert [message.subject for message in mine] == [
        f"[{ticket.code}] Cambio de estado: En proceso",
        f"[{ticket.code}] Respuesta del equipo",
        f"[{ticket.code}] Cambio de estado: Cerrado / resuelto",
    ]
    assert {tuple(message.to) for message in mine} == {(ticket.requester.email,)}
    in_process, _, closed = mine
    assert "El equipo ya lo está revisando" in in_process.body
    assert "Respuesta del equipo" not in in_process.body
    for part in (closed.body, html_part(closed)):
        assert "Cerrado / resuelto" in part
        assert "El equipo entregó una solución o respuesta final" in part
        assert "Quedó pagado." in part
        assert f"{PORTAL}/soporte/tickets/{ticket.code}" in part


def test_no_email_to_a_requester_without_one(tasks_run_now, on_commit, mailoutbox, agent):
    requester = ClinicUserFactory(email="")
    ClinicUserFactory(clinic=requester.clinic)  # a colleague with an address: not told instead
    ClinicUserFactory()  # another clinic's user: not told either
    with on_commit():
        ticket = create_ticket(requester)
        services.ticket_respond(ticket=ticket, author=agent, text="Revisando.")
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    assert [message.to for message in mailoutbox] == [[TEAM]]
    assert Notification.objects.get().kind == Notification.Kind.TICKET_CREATED


def test_an_address_that_would_add_a_header_is_not_used(
    tasks_run_now, on_commit, mailoutbox, agent
):
    ticket = TicketFactory(requester__email="fernando@mevetlab.cl\r\nBcc: todos@example.com")
    with on_commit():
        services.ticket_respond(ticket=ticket, author=agent, text="Revisando.")
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_internal_notes_never_notify(tasks_run_now, on_commit, mailoutbox, agent):
    ticket = TicketFactory()
    with on_commit() as callbacks:
        services.ticket_note_add(ticket=ticket, author=agent, text="Llamar al tutor mañana.")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_subjects_are_one_line(tasks_run_now, on_commit, mailoutbox, agent):
    with on_commit():
        ticket = create_ticket(ClinicUserFactory())
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    for message in mailoutbox:
        assert not re.search(r"[\r\n]", message.subject)
        message.message()  # the headers are valid
    assert notification_services._header_safe("[ST-1] Hola\r\nBcc: x@example.com\n") == (
        "[ST-1] Hola Bcc: x@example.com"
    )


# --- only after commit -------------------------------------------------------------------------


def test_nothing_is_queued_or_sent_while_the_transaction_is_open(
    tasks_queued, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_ticket(ClinicUserFactory())
        assert Notification.objects.get().status == Notification.Status.PENDING
    assert tasks_queued.results == []
    assert mailoutbox == []
    [enqueue] = callbacks
    enqueue()
    [result] = tasks_queued.results
    assert result.task.func is send_notification.func
    assert result.args == [Notification.objects.get().pk]


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    tasks_run_now, on_commit, mailoutbox, agent
):
    ticket = TicketFactory()
    with on_commit() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        services.ticket_respond(ticket=ticket, author=agent, text="Revisando.")
        raise RuntimeError("the agent's request failed later")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()
