"""On PostgreSQL, the detail's statistics keep 30 sample values instead of 100.

A clinic's search by words is planned for its words each time (vetsync_support/query_plans.py),
and the planner tries the ILIKE pattern against every kept sample of the detail: with 100 that
was 0.36 ms of planning a search, with 30 it is 0.20 ms. The estimates still tell a common word
(walk the clinic's newest tickets) from a rare one (the trigram index), checked with EXPLAIN
on the benchmark's 1,000,000 tickets. Takes effect at the next ANALYZE.
"""

from django.db import migrations

SET = ["ALTER TABLE tickets_ticket ALTER COLUMN detail SET STATISTICS 30"]
RESET = ["ALTER TABLE tickets_ticket ALTER COLUMN detail SET STATISTICS -1"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_ticket_counts")]

    operations = [migrations.RunPython(run(SET), run(RESET))]
