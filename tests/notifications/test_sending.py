"""Sending the stored e-mails: a mail server that is down loses nothing, failures are retried
with back-off and end failed, nothing is sent twice, and the worker runs what was queued."""

import io
import re
import smtplib
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from notifications.services import notification_retry
from notifications.tasks import max_attempts, retry_delays, send_notification
from tests.conftest import ALL_DATABASES
from tests.factories import ClinicUserFactory
from tests.notifications.conftest import DETAIL, create_ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Where django-tasks-db's rows named the task before notifications had their own app.
OLD_TASK_PATH = "tickets.tasks.send_notification"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class MailServerUnreachable(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def mail_through(backend_class) -> dict:
    return {"default": {"BACKEND": f"{__name__}.{backend_class.__name__}"}}


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
        for attempt, delay in enumerate(retry_delays(), start=1):
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
    assert notification.attempts == max_attempts() == 6
    assert "SMTPServerDisconnected" in notification.last_error
    assert len(tasks_queued.results) == len(queued)  # no more retries
    assert [d.total_seconds() / 60 for d in retry_delays()] == [1, 5, 15, 60, 240]
    assert send_notification.call(notification.pk) == "skipped"
    assert mailoutbox == []


@override_settings(NOTIFICATION_RETRY_DELAYS=[2, 4], NOTIFICATION_SENDING_LEASE=7)
def test_the_waits_and_the_lease_come_from_the_settings(tasks_queued, on_commit):
    with on_commit():
        create_ticket(ClinicUserFactory())
    notification = Notification.objects.get()
    with override_settings(MAILERS=mail_through(MailServerDown)):
        before = timezone.now()
        assert send_notification.call(notification.pk) == "retry"
        notification.refresh_from_db()
        assert before + timedelta(seconds=2) <= notification.next_attempt_at
        assert notification.next_attempt_at <= timezone.now() + timedelta(seconds=2)
        for expected in ("retry", "failed"):
            Notification.objects.update(next_attempt_at=timezone.now())
            assert send_notification.call(notification.pk) == expected
    assert max_attempts() == 3
    # A worker that dies mid-send leaves the row claimed for the lease, then it is due again.
    Notification.objects.update(status=Notification.Status.PENDING, next_attempt_at=timezone.now())
    with override_settings(MAILERS=mail_through(SlowFailingMail)):
        before = timezone.now()
        send_notification.call(notification.pk)
    assert before + timedelta(seconds=7) <= SlowFailingMail.lease_seen


class SlowFailingMail(BaseEmailBackend):
    """Reads the row's claim while "sending" (the lease), then fails."""

    lease_seen = None

    def send_messages(self, messages):
        type(self).lease_seen = Notification.objects.get().next_attempt_at
        raise smtplib.SMTPServerDisconnected("gone")


def test_every_attempt_of_a_notification_carries_its_one_message_id(
    tasks_run_now, on_commit, mailoutbox
):
    requester = ClinicUserFactory()
    with override_settings(MAILERS=mail_through(MailServerDown)), on_commit():
        create_ticket(requester)
    with on_commit():
        create_ticket(requester)
    first, second = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    with on_commit():
        send_notification.call(first.pk)
    ids = {message.to[0]: message.extra_headers["Message-ID"] for message in mailoutbox}
    assert len(mailoutbox) == 2
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [
        f"<notification-{second.pk}.{second.ticket_id}@vetsync.cl>",
        f"<notification-{first.pk}.{first.ticket_id}@vetsync.cl>",
    ], ids


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
    assert notification_retry(notification=notification) is False


def test_an_agent_retries_a_failed_notification(tasks_run_now, on_commit, mailoutbox):
    with override_settings(MAILERS=mail_through(MailServerDown)), on_commit():
        create_ticket(ClinicUserFactory())
    Notification.objects.update(status=Notification.Status.FAILED, attempts=max_attempts())
    notification = Notification.objects.get()
    with on_commit():
        assert notification_retry(notification=notification) is True
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert len(mailoutbox) == 1


# --- the worker --------------------------------------------------------------------------------


def run_the_worker_until_the_queue_is_empty() -> None:
    """What `manage.py db_worker --batch` runs, without the signal handlers it installs."""
    Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_what_was_queued_before_and_after_notifications_moved(mailoutbox):
    # django-tasks-db stores each queued task by its dotted path and the worker imports it.
    before_the_move = create_ticket(ClinicUserFactory())
    after_the_move = create_ticket(ClinicUserFactory())  # another clinic
    assert before_the_move.clinic_id != after_the_move.clinic_id
    queued = {result.task_result.args[0]: result for result in DBTaskResult.objects.all()}
    assert {result.task_path for result in queued.values()} == {send_notification.module_path}
    assert send_notification.module_path == "notifications.tasks.send_notification"
    # A task queued by the release before the move (or by an app server still running it),
    # renamed by the migration that the deploy runs before the new worker starts.
    old = queued[Notification.objects.get(ticket=before_the_move).pk]
    DBTaskResult.objects.filter(pk=old.pk).update(task_path=OLD_TASK_PATH)
    import_module(
        "notifications.migrations.0002_tasks_queued_under_the_old_path"
    ).rename_waiting_tasks(django_apps, None)

    run_the_worker_until_the_queue_is_empty()

    for result in DBTaskResult.objects.all():
        assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "sent")
    assert DBTaskResult.objects.get(pk=old.pk).task_path == send_notification.module_path
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(message.subject for message in mailoutbox) == sorted(
        f"[{ticket.code}] Nuevo ticket: Soporte" for ticket in (before_the_move, after_the_move)
    )


# --- the database goes away between the send and its record ----------------------------------


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
def test_a_message_sent_while_the_database_restarts_is_recorded_once_it_is_back(
    tasks_queued, on_commit, mailoutbox, monkeypatch
):
    from django.db import OperationalError

    from notifications import tasks

    with on_commit():
        create_ticket(ClinicUserFactory())
    notification = Notification.objects.order_by("pk").first()
    save = Notification.save
    refused = []

    def save_while_restarting(self, *args, **kwargs):
        if "sent_at" in (kwargs.get("update_fields") or ()) and len(refused) < 2:
            refused.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Notification, "save", save_while_restarting)
    monkeypatch.setattr(tasks, "SENT_RECORD_PAUSE", 0.01)
    assert send_notification.call(notification.pk) == "sent"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(refused) == 2
    assert len(mailoutbox) == 1
    # Sent and recorded: the lease never sends it again.
    assert send_notification.call(notification.pk) == "skipped"
    assert len(mailoutbox) == 1

    # Past the patience, the error is the worker's (it exits and its supervisor starts it).
    refused.clear()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, next_attempt_at=timezone.now()
    )
    with override_settings(NOTIFICATION_SENT_RECORD_PATIENCE=0), pytest.raises(OperationalError):
        send_notification.call(notification.pk)
