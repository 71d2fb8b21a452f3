"""Per-clinic counts of visible tickets by area and state, kept by database triggers."""

import django.db.models.deletion
from django.db import migrations, models

from tickets.count_triggers import statements


def run(*, install: bool):
    def apply(apps, schema_editor):
        for statement in statements(schema_editor.connection.vendor, install=install):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0006_detail_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "area",
                    models.CharField(
                        choices=[("soporte", "Soporte"), ("comercial", "Comercial")],
                        max_length=16,
                        verbose_name="área",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("abierto", "Abierto"),
                            ("en_proceso", "En proceso"),
                            ("cerrado_resuelto", "Cerrado / resuelto"),
                            ("cerrado_con_problema", "Cerrado / con problema"),
                            (
                                "cerrado_responsabilidad_cliente",
                                "Cerrado / responsabilidad cliente",
                            ),
                        ],
                        max_length=40,
                        verbose_name="estado",
                    ),
                ),
                ("count", models.IntegerField(default=0, verbose_name="tickets")),
                (
                    "clinic",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.clinic",
                        verbose_name="clínica",
                    ),
                ),
            ],
            options={
                "verbose_name": "total de tickets",
                "verbose_name_plural": "totales de tickets",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("clinic", "area", "state"), name="ticket_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(run(install=True), run(install=False)),
    ]
