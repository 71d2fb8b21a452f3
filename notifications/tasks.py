"""Sending the stored e-mails, one Notification per task run. The row, not the queue, is the
truth: a failure is retried with back-off, a duplicate run sends nothing."""

import logging
import time
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import mail
from django.db import InterfaceError, OperationalError, connection, transaction
from django.tasks import task
from django.utils import timezone

from notifications.models import Notification
from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.notifications")

MAX_ERROR_LENGTH = 2000
SENT_RECORD_PAUSE = 0.5  # seconds between tries to record a sent message


def retry_delays() -> list[timedelta]:
    """The wait after the 1st, 2nd, ... failed attempt; the attempt after the last is the last."""
    return [timedelta(seconds=seconds) for seconds in settings.NOTIFICATION_RETRY_DELAYS]


def max_attempts() -> int:
    return len(settings.NOTIFICATION_RETRY_DELAYS) + 1


def notification_enqueue(notification_id: int, *, run_after: datetime | None = None) -> None:
    """Queue the sending once the transaction commits. A failure to enqueue never fails the
    caller: the row stays pending and retry_notifications queues it again."""

    def enqueue() -> None:
        if run_after is None:
            send_notification.enqueue(notification_id)
        # A backend that cannot wait (the immediate one) leaves it to retry_notifications.
        elif send_notification.get_backend().supports_defer:
            send_notification.using(run_after=run_after).enqueue(notification_id)

    transaction.on_commit(enqueue, robust=True)


@task
def send_notification(notification_id: int) -> str:
    """Send one stored notification; return what happened ("sent", "retry", "failed", "skipped")."""
    if (notification := _claim(notification_id)) is None:
        return "skipped"
    try:
        _deliver(notification)
    except Exception as exc:  # any failure is recorded and retried, never lost
        return _record_failure(notification, exc)
    notification.status = Notification.Status.SENT
    notification.attempts += 1
    notification.sent_at = timezone.now()
    notification.last_error = ""
    _record_sent(notification)
    _log("notification_sent", notification)
    return "sent"


def _log(event: str, notification: Notification, **extra) -> None:
    ids = {"notification": notification.pk, "ticket": notification.ticket_id}
    log_event(logger, event, **ids, kind=notification.kind, attempts=notification.attempts, **extra)


def _record_sent(notification: Notification) -> None:
    """Mark it sent. The message has left: if the database went away (a restart), keep trying
    for NOTIFICATION_SENT_RECORD_PATIENCE seconds rather than let the lease expire and send it
    twice (make resilience, restart_postgresql, found one e-mail delivered twice)."""
    deadline = time.monotonic() + settings.NOTIFICATION_SENT_RECORD_PATIENCE
    while True:
        try:
            notification.save(update_fields=["status", "attempts", "sent_at", "last_error"])
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() >= deadline:
                raise
            connection.close()  # the next try opens a new connection
            time.sleep(SENT_RECORD_PAUSE)


def _claim(notification_id: int) -> Notification | None:
    """Lock the row and take it if it is pending and due (not claimed by another run), or None."""
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if (
            notification is None
            or notification.status != Notification.Status.PENDING
            or notification.next_attempt_at > now
        ):
            return None
        notification.next_attempt_at = now + timedelta(seconds=settings.NOTIFICATION_SENDING_LEASE)
        notification.save(update_fields=["next_attempt_at"])
    return notification


def _deliver(notification: Notification) -> None:
    """Hand the e-mail to the default mailer (MAILERS), outside any transaction."""
    message = mail.EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            # RFC 3834: an automatic message, so that out-of-office replies are not sent back.
            "Auto-Submitted": "auto-generated",
            # Same on every attempt: resent after a crash, it is one message (docs/RESILIENCE.md).
            "Message-ID": message_id(notification),
        },
        alternatives=[(notification.body_html, "text/html")],
    )
    # DEFAULT_MAILER_ALIAS is Django 6.1's, not in the stubs yet.
    if message.send(using=mail.DEFAULT_MAILER_ALIAS) != 1:  # type: ignore[attr-defined]
        raise RuntimeError("The mail backend did not send the message.")


def message_id(notification: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "vetsync.cl"
    return f"<notification-{notification.pk}.{notification.ticket_id}@{domain}>"


def _record_failure(notification: Notification, exc: Exception) -> str:
    notification.attempts += 1
    notification.last_error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
    failed = notification.attempts >= max_attempts()
    if failed:
        notification.status = Notification.Status.FAILED
    else:
        notification.next_attempt_at = timezone.now() + retry_delays()[notification.attempts - 1]
    notification.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    _log(
        "notification_failed" if failed else "notification_retry_scheduled",
        notification,
        level=logging.ERROR if failed else logging.WARNING,
        error=notification.last_error,
    )
    if failed:
        return "failed"
    notification_enqueue(notification.pk, run_after=notification.next_attempt_at)
    return "retry"
