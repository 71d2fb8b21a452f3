"""Per-clinic counts of visible tickets by area and state (kept by tickets/services.py).

Until migration 0011 this migration installed database triggers that kept the counts; 0011
drops them from the databases where they were installed."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def count_tickets(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    TicketCount = apps.get_model("tickets", "TicketCount")
    counted = (
        Ticket.objects.filter(deleted_at__isnull=True)
        .order_by()
        .values_list("clinic_id", "area", "state")
        .annotate(n=Count("id"))
    )
    TicketCount.objects.bulk_create(
        TicketCount(clinic_id=clinic, area=area, state=state, count=n)
        for clinic, area, state, n in counted
    )


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
        migrations.RunPython(count_tickets, migrations.RunPython.noop),
    ]
