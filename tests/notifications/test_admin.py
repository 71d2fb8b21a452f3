"""The stored e-mails in the agents' desk: read-only, with "Reintentar envío" for failed ones."""

import pytest
from django.contrib.auth.models import Group

from notifications.models import Notification
from notifications.tasks import max_attempts
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def failed_notification() -> Notification:
    """A failed e-mail about a ticket of a new clinic each time."""
    ticket = TicketFactory()
    return Notification.objects.create(
        ticket=ticket,
        kind=Notification.Kind.STATE_CHANGED,
        recipient=ticket.requester.email,
        subject=f"[{ticket.code}] Cambio de estado: En proceso",
        body_text="Hola",
        body_html="<p>Hola</p>",
        status=Notification.Status.FAILED,
        attempts=max_attempts(),
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_the_admin_shows_failed_notifications_and_retries_them(
    client, tasks_run_now, on_commit, mailoutbox
):
    client.force_login(AgentFactory(is_superuser=True))
    notification = failed_notification()
    sent = failed_notification()
    assert notification.ticket.clinic_id != sent.ticket.clinic_id
    Notification.objects.filter(pk=sent.pk).update(status=Notification.Status.SENT)
    response = client.get("/admin/notifications/notification/?status__exact=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert notification.ticket.code in html
    assert sent.ticket.code not in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "Reintentar envío" in html
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    page = client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only

    with on_commit():
        response = client.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [notification.pk, sent.pk]},
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert [message.subject for message in mailoutbox] == [notification.subject]


def test_the_agents_group_may_see_and_retry_notifications(desk):
    codenames = set(
        Group.objects.get(name="Agentes")
        .permissions.filter(content_type__app_label="notifications")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_notification", "change_notification"}
    notification = failed_notification()
    changelist = desk.get("/admin/notifications/notification/")
    assert changelist.status_code == 200
    assert "Reintentar envío" in changelist.content.decode()
    page = f"/admin/notifications/notification/{notification.pk}/change/"
    assert desk.get(page).status_code == 200
    assert desk.get("/admin/notifications/notification/add/").status_code == 403
