"""The benchmark's generated tickets get the due times of the targets a migrated database has."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import import_module

from bench import generate
from service_levels.business_hours import business_deadline


def test_the_bench_uses_the_default_targets():
    defaults = import_module("service_levels.migrations.0002_default_targets").DEFAULTS
    assert {
        area: (Decimal(str(first)), Decimal(str(resolution)))
        for area, (first, resolution) in generate.TARGET_HOURS.items()
    } == defaults


def test_the_generated_rows_carry_due_times_for_open_tickets():
    plan = generate.Plan(total=400)
    rows = [
        row.rstrip("\n").split("\t")
        for row in generate.ticket_rows(plan, clinics=5, mirrored_per_clinic=2, big_clinic=40)
    ]
    columns = [c.strip() for c in generate.TICKET_COLUMNS.split(",")]
    assert all(len(row) == len(columns) for row in rows)
    by_name = [dict(zip(columns, row, strict=True)) for row in rows]
    open_rows = [r for r in by_name if r["state"] in ("abierto", "en_proceso")]
    assert open_rows and all(r["next_due_at"] != generate.NULL for r in open_rows)
    assert all(
        r["next_due_at"] == generate.NULL
        for r in by_name
        if r["state"] not in ("abierto", "en_proceso")
    )
    row = by_name[0]
    created = datetime.strptime(row["created_at"], "%Y-%m-%d %H:%M:%S+00").replace(tzinfo=UTC)
    hours = generate.TARGET_HOURS[row["area"]][0]
    assert row["first_response_due_at"] == str(business_deadline(created, timedelta(hours=hours)))
