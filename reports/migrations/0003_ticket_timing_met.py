"""TicketTiming keeps whether each first response and first closing met its target, judged as
the desk judges it: done by the ticket's due moment (service_levels.due_times.target_met). The
reports count "within target" from these flags; timing_first_response_idx and
timing_resolved_idx carry them, so the count is still answered from the index alone.

The existing rows get their flags from tickets_ticket's due columns, in batches of ids, before
the two indexes are built again: the flags are written while no index holds them."""

from collections import defaultdict

from django.db import migrations, models

BATCH = 2_000


def target_met(done_at, due_at):
    """service_levels.due_times.target_met, written out: migrations do not follow app code."""
    if due_at is None or done_at is None:
        return None
    return done_at <= due_at


def fill_met(apps, schema_editor):
    """Each row is updated once, both flags together (one UPDATE per pair of flags in a batch):
    on PostgreSQL a row updated twice in this transaction leaves its deferred foreign-key checks
    pending, and the index builds below would be refused."""
    TicketTiming = apps.get_model("reports", "TicketTiming")
    last_id = 0
    while True:
        rows = list(
            TicketTiming.objects.filter(ticket_id__gt=last_id)
            .order_by("ticket_id")
            .values_list(
                "ticket_id",
                "first_response_at",
                "ticket__first_response_due_at",
                "resolved_at",
                "ticket__resolution_due_at",
            )[:BATCH]
        )
        if not rows:
            return
        by_flags: dict[tuple[bool | None, bool | None], list[int]] = defaultdict(list)
        for ticket_id, answered, first_due, closed, resolution_due in rows:
            flags = (target_met(answered, first_due), target_met(closed, resolution_due))
            if flags != (None, None):  # the columns' value already
                by_flags[flags].append(ticket_id)
        for (first_response_met, resolution_met), ticket_ids in by_flags.items():
            TicketTiming.objects.filter(ticket_id__in=ticket_ids).update(
                first_response_met=first_response_met, resolution_met=resolution_met
            )
        last_id = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("reports", "0002_agents_permissions"),
        ("tickets", "0016_ticket_created_at_set_by_create"),
    ]

    operations = [
        migrations.AddField(
            model_name="tickettiming",
            name="first_response_met",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="primera respuesta a tiempo"
            ),
        ),
        migrations.AddField(
            model_name="tickettiming",
            name="resolution_met",
            field=models.BooleanField(blank=True, null=True, verbose_name="resolución a tiempo"),
        ),
        migrations.RunPython(fill_met, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="tickettiming",
            name="timing_first_response_idx",
        ),
        migrations.AddIndex(
            model_name="tickettiming",
            index=models.Index(
                condition=models.Q(("first_response_day__isnull", False)),
                fields=[
                    "first_response_day",
                    "area",
                    "first_response_seconds",
                    "first_response_met",
                ],
                name="timing_first_response_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="tickettiming",
            name="timing_resolved_idx",
        ),
        migrations.AddIndex(
            model_name="tickettiming",
            index=models.Index(
                condition=models.Q(("resolved_day__isnull", False)),
                fields=[
                    "resolved_day",
                    "area",
                    "closed_state",
                    "resolution_seconds",
                    "resolution_met",
                ],
                name="timing_resolved_idx",
            ),
        ),
    ]
