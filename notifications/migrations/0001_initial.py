# The Notification model, moved here from the tickets app (tickets 0009) without touching the
# database: it keeps its table (tickets_notification) and every row. Its content type moves
# with it, so the permissions granted on it (the "Agentes" group's) and the admin's history
# of it stay attached.

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

sync_agents_group = import_module("tickets.migrations.0003_agents_group").sync_agents_group


def move_content_type(*, from_app: str, to_app: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        if not content_types.filter(app_label=to_app, model="notification").exists():
            content_types.filter(app_label=from_app, model="notification").update(app_label=to_app)
            ContentType.objects.clear_cache()

    return move


def forwards(apps, schema_editor):
    move_content_type(from_app="tickets", to_app="notifications")(apps, schema_editor)
    # A new database gets the agents' permissions on notifications here, now that the
    # content type they hang on is the notifications app's (tickets/agents.py).
    sync_agents_group(apps, schema_editor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0009_notification_moves_to_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("ticket_created", "Nuevo ticket"),
                                    ("response_published", "Respuesta del equipo"),
                                    ("state_changed", "Cambio de estado"),
                                ],
                                max_length=24,
                                verbose_name="tipo",
                            ),
                        ),
                        (
                            "recipient",
                            models.EmailField(max_length=254, verbose_name="destinatario"),
                        ),
                        ("subject", models.CharField(max_length=255, verbose_name="asunto")),
                        ("body_text", models.TextField(verbose_name="texto")),
                        ("body_html", models.TextField(verbose_name="HTML")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pendiente"),
                                    ("sent", "Enviado"),
                                    ("failed", "Fallido"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="estado del envío",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="intentos"),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="último error")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="próximo intento"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="creado"
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="enviado"),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to="tickets.ticket",
                                verbose_name="ticket",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notificación por correo",
                        "verbose_name_plural": "notificaciones por correo",
                        "db_table": "tickets_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["next_attempt_at"],
                                name="notification_due_idx",
                            ),
                            models.Index(
                                fields=["status", "-created_at"], name="notification_status_idx"
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("status__in", ["pending", "sent", "failed"])),
                                name="tickets_notification_status_valid",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            forwards, move_content_type(from_app="notifications", to_app="tickets")
        ),
    ]
