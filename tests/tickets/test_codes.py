"""Codes ST-YYYYMMDD-NNNNN: America/Santiago date, per-day sequence, never reused, race-free."""

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection

from tests.concurrency import run_at_once
from tests.conftest import ALL_DATABASES
from tests.factories import ClinicUserFactory, TicketFactory
from tickets import services
from tickets.codes import CODE_PREFIX_RE, CODE_RE, format_code, next_ticket_code
from tickets.models import Ticket, TicketDaySequence
from tickets.states import Area

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_format():
    assert format_code(datetime.date(2026, 3, 23), 1) == "ST-20260323-00001"


def test_the_code_pattern_is_the_one_format_code_writes():
    """The one home of a code's shape (tickets/codes.py): what format_code writes is what the
    routes, forms and searches accept, and nothing looser."""
    assert CODE_RE.match(format_code(datetime.date(2026, 3, 23), 1))
    assert CODE_RE.match(format_code(datetime.date(2026, 3, 23), 123456))
    for not_a_code in ("ST-2026032-00001", "ST-20260323-0001", "st-20260323-00001", "XST-1"):
        assert not CODE_RE.match(not_a_code)
    assert CODE_PREFIX_RE.match("st-2026")
    assert not CODE_PREFIX_RE.match("ST-2026a")


def test_the_sequence_sql_writes_the_day_sequence_table():
    assert TicketDaySequence._meta.db_table == "tickets_ticketdaysequence"


def test_the_sequence_is_per_day():
    day, other = datetime.date(2026, 3, 23), datetime.date(2026, 3, 24)
    assert next_ticket_code(day=day) == "ST-20260323-00001"
    assert next_ticket_code(day=day) == "ST-20260323-00002"
    assert next_ticket_code(day=other) == "ST-20260324-00001"
    assert next_ticket_code(day=day) == "ST-20260323-00003"


def test_the_date_is_santiagos_not_utc():
    # 02:30 UTC on 24 March is still 23 March in Santiago (UTC-3).
    moment = datetime.datetime(2026, 3, 24, 2, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert next_ticket_code().startswith("ST-20260323-")


def test_a_deleted_tickets_code_is_never_reused():
    ticket = TicketFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    newer = TicketFactory(clinic=ticket.clinic)
    assert newer.code != ticket.code
    assert int(newer.code[-5:]) == int(ticket.code[-5:]) + 1


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
def test_tickets_created_from_8_threads_get_400_distinct_gap_free_codes():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs on PostgreSQL (the CI's second leg)")
    requesters = [ClinicUserFactory() for _ in range(8)]
    codes = []
    lock = threading.Lock()

    def create_many(requester):
        for _ in range(50):
            ticket, _created = services.ticket_create(
                clinic=requester.clinic,
                requester=requester,
                area=Area.SOPORTE,
                detail="Creado en paralelo para probar que el código no se repite.",
            )
            with lock:
                codes.append(ticket.code)

    errors = [e for e in run_at_once([lambda r=r: create_many(r) for r in requesters]) if e]
    assert errors == []
    assert len(codes) == len(set(codes)) == 400
    numbers = sorted(int(code[-5:]) for code in codes)
    assert numbers == list(range(1, 401))
    assert Ticket.objects.count() == 400
