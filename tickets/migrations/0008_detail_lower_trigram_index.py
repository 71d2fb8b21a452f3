"""The search's trigram index moves to ``LOWER(detail)`` (see tickets/lookups.py), and the
code's second ``varchar_pattern_ops`` index goes: the unique code already has one on
PostgreSQL (Django's ``…_like`` index), so every new ticket updated two identical indexes.

The index is built ``CONCURRENTLY``: on a million tickets it takes about a minute, during which
clinics keep creating tickets. A build that was interrupted leaves an invalid index behind; it
is dropped and built again."""

from django.db import migrations

NEW, OLD = "ticket_detail_lower_trgm_idx", "ticket_detail_trgm_idx"
EXPRESSIONS = {NEW: "(lower(detail)) gin_trgm_ops", OLD: "detail gin_trgm_ops"}


def _build(schema_editor, name: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(%s)", [name]
        )
        found = cursor.fetchone()
    if found and found[0]:
        return
    if found:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY {name} ON tickets_ticket USING gin ({EXPRESSIONS[name]})"
    )


def replace(build: str, drop: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite scans the clinic's tickets: the embedded demo is small
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        _build(schema_editor, build)
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {drop}")
        # Statistics of the new index's expression, which the search's planning reads.
        schema_editor.execute("ANALYZE tickets_ticket")

    return apply


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("tickets", "0007_ticket_counts")]

    operations = [
        migrations.RunPython(replace(NEW, OLD), replace(OLD, NEW)),
        migrations.RemoveIndex(model_name="ticket", name="ticket_code_prefix_idx"),
    ]
