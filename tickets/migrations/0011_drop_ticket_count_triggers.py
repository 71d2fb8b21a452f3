"""The counts are kept by tickets/services.py now: drop the triggers that migration 0007 used
to install (none on a database created after this change)."""

from django.db import migrations

POSTGRESQL = [
    "DROP TRIGGER IF EXISTS ticket_counts_update ON tickets_ticket",
    "DROP TRIGGER IF EXISTS ticket_counts_insert_delete ON tickets_ticket",
    "DROP FUNCTION IF EXISTS tickets_ticket_counts()",
    "DROP FUNCTION IF EXISTS tickets_ticketcount_add(bigint, varchar, varchar, integer)",
]
SQLITE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "ticket_counts_insert",
        "ticket_counts_delete",
        "ticket_counts_update_old",
        "ticket_counts_update_new",
    )
]


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0010_ticket_assigned_to_agent")]

    operations = [migrations.RunPython(drop_triggers, migrations.RunPython.noop)]
