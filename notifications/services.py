"""The e-mails that close the loop: the team hears of every new ticket, the requester (and the
people under "Avisar también a", one notification each) of every published response and change
of state, each received from a ticket signal, stored in its transaction and queued at commit."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.tasks import notification_enqueue
from tickets.models import Ticket, TicketResponse
from tickets.states import STATE_MEANINGS, State
from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.notifications")

SUBJECT_MAX_LENGTH = 255


def notify_ticket_created(*, ticket: Ticket, **kwargs) -> None:
    _store(
        ticket=ticket,
        kind=Notification.Kind.TICKET_CREATED,
        recipient=settings.SUPPORT_TEAM_EMAIL,
        subject=lambda: _("Nuevo ticket: %(area)s") % {"area": ticket.get_area_display()},
        context={"link": _absolute(reverse("admin:tickets_ticket_change", args=[ticket.pk]))},
    )


def notify_response_published(*, ticket: Ticket, response: TicketResponse, **kwargs) -> None:
    _store_for_requester_and_watchers(
        ticket=ticket,
        kind=Notification.Kind.RESPONSE_PUBLISHED,
        subject=lambda: _("Respuesta del equipo"),
        context={"state": State(ticket.state).label, "response_text": response.text},
    )


def notify_state_changed(*, ticket: Ticket, from_state: str, to_state: str, **kwargs) -> None:
    """The new state in the guide's words (STATE_MEANINGS), with the latest response."""
    to_state = State(to_state)
    latest = ticket.latest_response
    _store_for_requester_and_watchers(
        ticket=ticket,
        kind=Notification.Kind.STATE_CHANGED,
        subject=lambda: _("Cambio de estado: %(state)s") % {"state": to_state.label},
        context={
            "from_state": State(from_state).label,
            "state": to_state.label,
            "state_meaning": STATE_MEANINGS[to_state],
            "response_text": latest.text if latest else "",
        },
    )


@transaction.atomic
def notification_retry(*, notification: Notification) -> bool:
    """A failed notification starts over as pending with fresh attempts; False if not failed."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != Notification.Status.FAILED:
        return False
    notification.status = Notification.Status.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    notification_enqueue(notification.pk)
    return True


def notification_requeue_due() -> int:
    """Queue again every pending notification that is due; a duplicate run is harmless."""
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    due = list(pending.filter(next_attempt_at__lte=timezone.now()).values_list("pk", flat=True))
    for notification_id in due:
        notification_enqueue(notification_id)
    return len(due)


def _store_for_requester_and_watchers(*, ticket: Ticket, context: dict, **message) -> None:
    """One e-mail with the portal link to the requester and each watcher, once per address."""
    link = _absolute(reverse("tickets:detail", kwargs={"code": ticket.code}))
    requester = (ticket.requester.display_name, ticket.requester.email or "", False)
    watchers = [(name, email, True) for name, email in ticket.watchers.values_list("name", "email")]
    sent_to = set()
    for name, email, watching in [requester, *watchers]:
        address = email.strip()
        if address.lower() not in sent_to:
            sent_to.add(address.lower())
            greeting = {"link": link, "greeting_name": name, "watching": watching}
            _store(ticket=ticket, recipient=address, context={**context, **greeting}, **message)


def _store(
    *, ticket: Ticket, kind: str, recipient: str | None, subject: Callable[[], str], context: dict
) -> None:
    """Render and store one e-mail, queued for after commit; none without a valid address."""
    address = (recipient or "").strip()
    try:
        validate_email(address)  # an empty address is refused too
    except ValidationError:
        if recipient:
            log_event(
                logger,
                "notification_invalid_recipient",
                level=logging.WARNING,
                ticket=ticket.pk,
                kind=kind,
            )
        return
    template = f"notifications/emails/{kind}"  # each kind has its .txt and .html
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        context = {
            "ticket": ticket,
            "code": ticket.code,
            "clinic": ticket.clinic.name,
            "requester": ticket.requester.display_name,
            "area": ticket.get_area_display(),
            **context,
        }
        notification = Notification.objects.create(
            ticket=ticket,
            kind=kind,
            recipient=address,
            subject=_header_safe(f"[{ticket.code}] {subject()}"),
            body_text=render_to_string(f"{template}.txt", context).strip() + "\n",
            body_html=render_to_string(f"{template}.html", context),
        )
    notification_enqueue(notification.pk)


def _header_safe(text: str) -> str:
    """One line: CR, LF and every other line break or run of whitespace become one space."""
    return " ".join(text.split())[:SUBJECT_MAX_LENGTH]


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path
