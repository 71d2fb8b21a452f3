"""E-mails that close the loop: the team hears of new tickets, the requester of responses and
changes of state; stored first, sent after commit by a task, retried with back-off."""

import io
import re
import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicUserFactory, TicketFactory
from tickets import notifications, services
from tickets.models import Notification
from tickets.states import Area, State
from tickets.tasks import MAX_ATTEMPTS, RETRY_DELAYS, send_notification

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
QUEUED_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
TEAM = "equipo@smartautomate.cl"
PORTAL = "https://soporte.vetsync.cl"
DETAIL = "Estaba emitiendo una factura en el módulo pagos y apareció un error."


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class MailServerUnreachable(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def mail_through(backend_class) -> dict:
    return {"default": {"BACKEND": f"{__name__}.{backend_class.__name__}"}}


@pytest.fixture(autouse=True)
def _notification_settings():
    with override_settings(SUPPORT_TEAM_EMAIL=TEAM, PORTAL_BASE_URL=PORTAL):
        yield


@pytest.fixture
def tasks_run_now():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture
def tasks_queued():
    with override_settings(TASKS=QUEUED_TASKS):
        yield task_backends["default"]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit hooks of what happens inside, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def create_ticket(requester, *, area=Area.SOPORTE, detail=DETAIL):
    ticket, _ = services.ticket_create(
        clinic=requester.clinic, requester=requester, area=area, detail=detail
    )
    return ticket


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
    with on_commit():
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    with on_commit():
        services.ticket_respond(ticket=ticket, author=agent, text="Quedó pagado.")
        services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    subjects = [message.subject for message in mailoutbox]
    assert subjects == [
        f"[{ticket.code}] Cambio de estado: En proceso",
        f"[{ticket.code}] Respuesta del equipo",
        f"[{ticket.code}] Cambio de estado: Cerrado / resuelto",
    ]
    assert {tuple(message.to) for message in mailoutbox} == {(ticket.requester.email,)}
    in_process, _, closed = mailoutbox
    assert "El equipo ya lo está revisando" in in_process.body
    assert "Respuesta del equipo" not in in_process.body
    for part in (closed.body, html_part(closed)):
        assert "Cerrado / resuelto" in part
        assert "El equipo entregó una solución o respuesta final" in part
        assert "Quedó pagado." in part
        assert f"{PORTAL}/soporte/tickets/{ticket.code}" in part


def test_no_email_to_a_requester_without_one(tasks_run_now, on_commit, mailoutbox, agent):
    requester = ClinicUserFactory(email="")
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


def test_what_people_wrote_is_escaped_in_html_and_kept_in_plain_text(
    tasks_run_now, on_commit, mailoutbox, agent
):
    detail = 'Aparece <script>alert("x")</script> en la agenda & no carga.'
    with on_commit():
        ticket = create_ticket(ClinicUserFactory(), detail=detail)
        services.ticket_respond(ticket=ticket, author=agent, text="Use <b>Guardar</b>.")
    created, responded = mailoutbox
    assert "<script>" not in html_part(created)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_part(created)
    assert "&amp; no carga." in html_part(created)
    assert detail in created.body
    assert "<b>" not in html_part(responded)
    assert "Use &lt;b&gt;Guardar&lt;/b&gt;." in html_part(responded)
    assert "Use <b>Guardar</b>." in responded.body


def test_subjects_are_one_line(tasks_run_now, on_commit, mailoutbox, agent):
    with on_commit():
        ticket = create_ticket(ClinicUserFactory())
        services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    for message in mailoutbox:
        assert not re.search(r"[\r\n]", message.subject)
        message.message()  # the headers are valid
    assert notifications._header_safe("[ST-1] Hola\r\nBcc: x@example.com\n") == (
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


# --- a mail server that is down ----------------------------------------------------------------


@pytest.mark.parametrize("mail_server", [MailServerDown, MailServerUnreachable])
def test_a_mail_server_that_is_down_loses_nothing(
    tasks_run_now, on_commit, mailoutbox, client_a, portal_a, mail_server
):
    html = client_a.get("/soporte/tickets/nuevo").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
    data = {"submission_token": token, "follows_up": "", "area": "soporte", "detail": DETAIL}
    with override_settings(MAILERS=mail_through(mail_server)), on_commit():
        response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 302
    ticket = portal_a.tickets_requested.get()
    notification = Notification.objects.get(ticket=ticket)
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert re.match(r"(SMTPServerDisconnected|ConnectionRefusedError): ", notification.last_error)
    assert notification.next_attempt_at > timezone.now()
    assert mailoutbox == []

    # The mail server is back; later, the safety net (or the queued retry) sends it.
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    with on_commit():
        call_command("retry_notifications", stdout=out)
    assert out.getvalue() == "1 notification(s) queued.\n"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert (notification.attempts, notification.last_error) == (2, "")
    [message] = mailoutbox
    assert message.subject == f"[{ticket.code}] Nuevo ticket: Soporte"


def test_failures_are_retried_with_back_off_and_end_failed(tasks_queued, on_commit, mailoutbox):
    with on_commit():
        create_ticket(ClinicUserFactory())
    notification = Notification.objects.get()
    queued = [result.task.run_after for result in tasks_queued.results]
    assert queued == [None]
    with override_settings(MAILERS=mail_through(MailServerDown)):
        for attempt, delay in enumerate(RETRY_DELAYS, start=1):
            before = timezone.now()
            with on_commit():
                assert send_notification.call(notification.pk) == "retry"
            notification.refresh_from_db()
            assert notification.status == Notification.Status.PENDING
            assert notification.attempts == attempt
            assert before + delay <= notification.next_attempt_at <= timezone.now() + delay
            queued.append(notification.next_attempt_at)
            # The task queued itself again, to run when the next attempt is due.
            assert [result.task.run_after for result in tasks_queued.results] == queued
            assert send_notification.call(notification.pk) == "skipped"  # not due yet
            Notification.objects.update(next_attempt_at=timezone.now())
        with on_commit():
            assert send_notification.call(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == MAX_ATTEMPTS == 6
    assert "SMTPServerDisconnected" in notification.last_error
    assert len(tasks_queued.results) == len(queued)  # no more retries
    assert [d.total_seconds() / 60 for d in RETRY_DELAYS] == [1, 5, 15, 60, 240]
    assert send_notification.call(notification.pk) == "skipped"
    assert mailoutbox == []


def test_a_sent_notification_is_never_sent_again(tasks_run_now, on_commit, mailoutbox):
    with on_commit():
        create_ticket(ClinicUserFactory())
    notification = Notification.objects.get()
    assert send_notification.call(notification.pk) == "skipped"
    out = io.StringIO()
    with on_commit():
        call_command("retry_notifications", stdout=out)
    assert out.getvalue() == "0 notification(s) queued.\n"
    assert len(mailoutbox) == 1
    assert notifications.notification_retry(notification=notification) is False


def test_an_agent_retries_a_failed_notification(tasks_run_now, on_commit, mailoutbox):
    with override_settings(MAILERS=mail_through(MailServerDown)), on_commit():
        create_ticket(ClinicUserFactory())
    Notification.objects.update(status=Notification.Status.FAILED, attempts=MAX_ATTEMPTS)
    notification = Notification.objects.get()
    with on_commit():
        assert notifications.notification_retry(notification=notification) is True
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert len(mailoutbox) == 1


# --- the agents' desk --------------------------------------------------------------------------


def failed_notification() -> Notification:
    ticket = TicketFactory()
    return Notification.objects.create(
        ticket=ticket,
        kind=Notification.Kind.STATE_CHANGED,
        recipient=ticket.requester.email,
        subject=f"[{ticket.code}] Cambio de estado: En proceso",
        body_text="Hola",
        body_html="<p>Hola</p>",
        status=Notification.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_the_admin_shows_failed_notifications_and_retries_them(
    client, tasks_run_now, on_commit, mailoutbox
):
    client.force_login(AgentFactory(is_superuser=True))
    notification = failed_notification()
    sent = failed_notification()
    Notification.objects.filter(pk=sent.pk).update(status=Notification.Status.SENT)
    response = client.get("/admin/tickets/notification/?status__exact=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert notification.ticket.code in html
    assert sent.ticket.code not in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "Reintentar envío" in html
    assert client.get("/admin/tickets/notification/add/").status_code == 403
    page = client.get(f"/admin/tickets/notification/{notification.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only

    with on_commit():
        response = client.post(
            "/admin/tickets/notification/",
            {"action": "retry", "_selected_action": [notification.pk, sent.pk]},
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message.subject for message in mailoutbox] == [notification.subject]


def test_the_agents_group_may_see_and_retry_notifications():
    codenames = set(
        Group.objects.get(name="Agentes").permissions.values_list("codename", flat=True)
    )
    assert {"view_notification", "change_notification"} <= codenames
    assert not {"add_notification", "delete_notification"} & codenames
