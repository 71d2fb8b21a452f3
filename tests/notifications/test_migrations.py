"""Notification moved from the tickets app to its own without touching the database: the rows
stored before the move are the same rows after it, and the agents keep their permissions."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory

BEFORE_THE_MOVE = [("tickets", "0008_detail_lower_trigram_index")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)  # reads the migrations now applied


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
def test_notifications_stored_before_the_move_are_found_after_it():
    tickets = [TicketFactory(), TicketFactory()]  # two clinics
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE_THE_MOVE)
    try:
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
        with pytest.raises(LookupError):
            old_apps.get_model("notifications", "Notification")
        OldNotification = old_apps.get_model("tickets", "Notification")
        stored = [
            OldNotification.objects.create(
                ticket_id=ticket.pk,
                kind="ticket_created",
                recipient="equipo@smartautomate.cl",
                subject=f"[{ticket.code}] Nuevo ticket: Soporte",
                body_text="Nuevo ticket",
                body_html="<p>Nuevo ticket</p>",
                status="failed",
                attempts=6,
                last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            )
            for ticket in tickets
        ]
        # The agents' permission on the model, as the release before the move granted it.
        OldContentType = old_apps.get_model("contenttypes", "ContentType")
        content_type, _ = OldContentType.objects.get_or_create(
            app_label="tickets", model="notification"
        )
        permission, _ = old_apps.get_model("auth", "Permission").objects.get_or_create(
            content_type=content_type,
            codename="change_notification",
            defaults={"name": "Can change notificación por correo"},
        )
        group, _ = old_apps.get_model("auth", "Group").objects.get_or_create(name="Agentes")
        group.permissions.add(permission)
    finally:
        migrate(latest)

    for ticket, old in zip(tickets, stored, strict=True):
        notification = Notification.objects.get(pk=old.pk)
        assert notification.ticket == ticket
        assert ticket.notifications.get() == notification
        assert (notification.subject, notification.status, notification.attempts) == (
            old.subject,
            Notification.Status.FAILED,
            6,
        )
        assert notification.created_at == old.created_at
    assert Notification._meta.db_table == "tickets_notification"
    moved = ContentType.objects.get_for_model(Notification)
    assert (moved.pk, moved.app_label) == (content_type.pk, "notifications")
    assert not ContentType.objects.filter(app_label="tickets", model="notification").exists()
    assert Group.objects.get(name="Agentes").permissions.filter(pk=permission.pk).exists()
