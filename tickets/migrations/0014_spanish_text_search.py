"""Tickets parecidos abiertos (tickets/similar.py) compares words on PostgreSQL with full-text
search: the Spanish configuration with accents folded, "vetsync_spanish" (unaccent, then the
Spanish stemmer and its stop words). unaccent is a trusted extension: the database's owner may
create it. SQLite has no full-text configuration and uses the module's simple fallback."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vetsync_spanish') THEN
            CREATE TEXT SEARCH CONFIGURATION vetsync_spanish (COPY = pg_catalog.spanish);
            ALTER TEXT SEARCH CONFIGURATION vetsync_spanish
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END
    $$
    """,
]
DROP = ["DROP TEXT SEARCH CONFIGURATION IF EXISTS vetsync_spanish"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("tickets", "0013_addition_submission_token")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
