"""On PostgreSQL, a trigram index answers the history's search by words of the detail."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_detail_trgm_idx ON tickets_ticket "
    "USING gin (detail gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS ticket_detail_trgm_idx"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite scans the clinic's tickets: the embedded demo is small
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_admin_list_indexes")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
