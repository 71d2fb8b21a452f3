"""reports 0003 gives the timings stored before it their met flags, judged from the tickets'
due times as service_levels.due_times.target_met judges them, in batches; the two indexes the
reports count from carry the flags."""

from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import TicketTiming
from reports.services import local_day
from service_levels.business_hours import SANTIAGO
from service_levels.due_times import target_met
from tests.conftest import ALL_DATABASES
from tests.factories import ClinicFactory, TicketFactory
from tickets.models import Ticket

BEFORE_THE_FLAGS = [("reports", "0002_agents_permissions")]
MIGRATION = import_module("reports.migrations.0003_ticket_timing_met")
DUE = datetime(2026, 10, 14, 18, 0, tzinfo=SANTIAGO)  # Wednesday, the end of business hours
HOUR = timedelta(hours=1)
# name: (first response, its due time, first closing, its due time), and the flags expected
CASES = {
    "answered at 20:00, after an 18:00 due time": ((DUE + 2 * HOUR, DUE, None, DUE), (False, None)),
    "answered at the due moment, closed late": ((DUE, DUE, DUE + 48 * HOUR, DUE), (True, False)),
    "answered and closed early": ((DUE - HOUR, DUE, DUE - HOUR, DUE), (True, True)),
    "an area without targets": ((DUE, None, DUE, None), (None, None)),
    "not answered yet": ((None, DUE, None, DUE), (None, None)),
}


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)  # reads the migrations now applied


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
def test_timings_stored_before_the_flags_get_them_from_the_tickets_due_times(monkeypatch):
    monkeypatch.setattr(MIGRATION, "BATCH", 2)  # three batches for five rows
    clinics = [ClinicFactory(), ClinicFactory()]
    tickets = {}
    for index, (name, ((answered, first_due, closed, resolution_due), _flags)) in enumerate(
        CASES.items()
    ):
        ticket = TicketFactory(clinic=clinics[index % 2])
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=DUE - 3 * HOUR,
            first_response_at=answered,
            first_response_due_at=first_due,
            resolved_at=closed,
            resolution_due_at=resolution_due,
            state="cerrado_resuelto" if closed else "en_proceso",
        )
        tickets[name] = Ticket.objects.get(pk=ticket.pk)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE_THE_FLAGS)
    try:
        old_apps = executor.loader.project_state(BEFORE_THE_FLAGS).apps
        OldTiming = old_apps.get_model("reports", "TicketTiming")
        assert not {"first_response_met", "resolution_met"} & {
            field.name for field in OldTiming._meta.get_fields()
        }
        for ticket in tickets.values():
            answered, closed = ticket.first_response_at, ticket.resolved_at
            OldTiming.objects.create(
                ticket_id=ticket.pk,
                clinic_id=ticket.clinic_id,
                area=ticket.area,
                created_at=ticket.created_at,
                created_day=local_day(ticket.created_at),
                first_response_at=answered,
                first_response_day=answered and local_day(answered),
                first_response_seconds=answered and 3 * 3600,
                resolved_at=closed,
                resolved_day=closed and local_day(closed),
                resolution_seconds=closed and 3 * 3600,
                closed_state="cerrado_resuelto" if closed else "",
                is_open=not closed,
            )
    finally:
        migrate(latest)

    for name, ticket in tickets.items():
        timing = TicketTiming.objects.get(pk=ticket.pk)
        flags = (timing.first_response_met, timing.resolution_met)
        assert flags == CASES[name][1], name
        assert flags == (
            target_met(ticket.first_response_at, ticket.first_response_due_at),
            target_met(ticket.resolved_at, ticket.resolution_due_at),
        )
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "reports_tickettiming")
    assert constraints["timing_first_response_idx"]["columns"] == [
        "first_response_day",
        "area",
        "first_response_seconds",
        "first_response_met",
    ]
    assert constraints["timing_resolved_idx"]["columns"] == [
        "resolved_day",
        "area",
        "closed_state",
        "resolution_seconds",
        "resolution_met",
    ]
