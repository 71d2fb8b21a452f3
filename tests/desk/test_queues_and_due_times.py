"""The agents' queues (tickets/queues.py) and the tickets' due times (tickets/due_times.py) in
the admin: hand-built tickets of two clinics and several agents, due times across a weekend, a
Chilean holiday and the end of a business day, the "Vence en …" column and the targets block."""

import random
import re
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from service_levels.business_hours import (
    SANTIAGO,
    business_deadline,
    business_duration,
    business_window,
)
from service_levels.selectors import response_targets_for
from service_levels.services import ticket_due_times_recompute
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, TicketFactory
from tickets import services
from tickets.models import Ticket, TicketCount
from tickets.queues import QUEUES, moment_for, queue_counts, queue_counts_query
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

LIST = "/admin/tickets/ticket/"
CLIENT = State.CERRADO_RESPONSABILIDAD_CLIENTE


def santiago(*args) -> datetime:
    return datetime(*args, tzinfo=SANTIAGO)


def codes_in(html: str) -> set[str]:
    return set(re.findall(r">(ST-\d{8}-\d{5,})</a>", html))


def queue_count_in(html: str, slug: str) -> int:
    match = re.search(rf'data-queue="{slug}">[^<]*<span class="queue-count">(\d+)</span>', html)
    assert match, slug
    return int(match.group(1))


# --- due times -----------------------------------------------------------------------------


def created_via_service(clinic_user, *, area="soporte") -> Ticket:
    ticket, _ = services.ticket_create(
        clinic=clinic_user.clinic, requester=clinic_user, area=area, detail="No imprime."
    )
    return ticket


def test_a_new_ticket_gets_its_areas_due_times(portal_a, portal_b):
    ticket = created_via_service(portal_a)
    targets = response_targets_for("soporte")
    assert ticket.first_response_due_at == business_deadline(
        ticket.created_at, targets.first_response
    )
    assert ticket.resolution_due_at == business_deadline(ticket.created_at, targets.resolution)
    assert ticket.next_due_at == ticket.first_response_due_at
    assert not ticket.awaiting_clinic
    ticket.refresh_from_db()
    assert ticket.first_response_due_at is not None  # saved, not only set


def test_an_area_without_a_target_gives_no_due_times(portal_a, portal_b):
    from service_levels.models import ResponseTarget

    ResponseTarget.objects.filter(area="comercial").delete()
    ticket = created_via_service(portal_b, area="comercial")
    ticket.refresh_from_db()
    assert (ticket.first_response_due_at, ticket.resolution_due_at, ticket.next_due_at) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("created", "first_response_due", "resolution_due"),
    [
        # Friday 16:00, a weekend: 2 h on Friday, 2 h on Monday; 18 h = 2 + 9 + 7.
        (santiago(2026, 3, 20, 16), santiago(2026, 3, 23, 11), santiago(2026, 3, 24, 16)),
        # Wednesday 15:00 before Thursday 21 May (Glorias Navales): Friday 10:00; 18 h = 3 on
        # Wednesday, 9 on Friday, 6 on Monday.
        (santiago(2026, 5, 20, 15), santiago(2026, 5, 22, 10), santiago(2026, 5, 25, 15)),
        # Thursday 30 April 17:00: 1 h, then Friday 1 May (holiday) and the weekend; 18 h =
        # 1 + 9 on Monday + 8 on Tuesday.
        (santiago(2026, 4, 30, 17), santiago(2026, 5, 4, 12), santiago(2026, 5, 5, 17)),
        # Tuesday 17:30, half an hour before the day ends: Wednesday 12:30.
        (
            santiago(2026, 3, 24, 17, 30),
            santiago(2026, 3, 25, 12, 30),
            santiago(2026, 3, 26, 17, 30),
        ),
        # Tuesday 19:00, after hours: from Wednesday's opening; 18 h end as Thursday closes.
        (santiago(2026, 3, 24, 19), santiago(2026, 3, 25, 13), santiago(2026, 3, 26, 18)),
    ],
)
def test_due_times_follow_business_hours(
    portal_a, portal_b, created, first_response_due, resolution_due
):
    """Tickets created through the service, placed at a fixed creation time, and their due
    times recomputed (Soporte: 4 business hours to the first response, 18 to the resolution)."""
    ticket = created_via_service(portal_a)
    other = created_via_service(portal_b)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    ticket_due_times_recompute(area="soporte", targets=response_targets_for("soporte"))
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == first_response_due
    assert ticket.resolution_due_at == resolution_due
    assert ticket.next_due_at == first_response_due
    other_before = other.first_response_due_at
    other.refresh_from_db()
    assert other.first_response_due_at == other_before  # the other clinic's: its own creation


def test_the_first_response_moves_the_pending_due_time_to_the_resolution(
    portal_a, portal_b, desk_agent
):
    ticket = created_via_service(portal_a)
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Lo revisamos.")
    ticket.refresh_from_db()
    assert ticket.next_due_at == ticket.resolution_due_at
    assert ticket.awaiting_clinic
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Sigue fallando.")
    ticket.refresh_from_db()
    assert not ticket.awaiting_clinic


def test_closing_clears_the_pending_due_time_and_reopening_keeps_the_due_times(
    portal_a, portal_b, desk_agent
):
    ticket = created_via_service(portal_a)
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Listo.")
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=desk_agent)
    ticket.refresh_from_db()
    due = (ticket.first_response_due_at, ticket.resolution_due_at)
    assert ticket.next_due_at is None
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=desk_agent)
    ticket.refresh_from_db()
    assert (ticket.first_response_due_at, ticket.resolution_due_at) == due
    assert ticket.next_due_at == ticket.resolution_due_at


def test_a_ticket_deleted_by_its_clinic_has_no_pending_due_time(portal_a, portal_b):
    ticket = created_via_service(portal_a)
    services.ticket_delete(ticket=ticket, actor=portal_a)
    ticket.refresh_from_db()
    assert ticket.next_due_at is None


def test_the_migration_backfills_due_times_and_whose_word_is_last(portal_a, portal_b, desk_agent):
    answered = created_via_service(portal_a)
    services.ticket_respond(ticket=answered, author=desk_agent, text="Respuesta.")
    added_after = created_via_service(portal_b)
    services.ticket_respond(ticket=added_after, author=desk_agent, text="Respuesta.")
    services.ticket_add_information(ticket=added_after, author=portal_b, text="Más datos.")
    closed = created_via_service(portal_a)
    services.ticket_transition(ticket=closed, to_state=State.CERRADO_RESUELTO, actor=desk_agent)
    expected = {
        t.pk: (t.first_response_due_at, t.resolution_due_at, t.next_due_at, t.awaiting_clinic)
        for t in Ticket.objects.all()
    }
    Ticket.objects.update(
        first_response_due_at=None, resolution_due_at=None, next_due_at=None, awaiting_clinic=False
    )
    migration = import_module("tickets.migrations.0015_due_times_and_queues")
    migration.backfill(apps, connection.schema_editor())
    backfilled = {
        t.pk: (t.first_response_due_at, t.resolution_due_at, t.next_due_at, t.awaiting_clinic)
        for t in Ticket.objects.all()
    }
    assert backfilled == expected
    assert backfilled[answered.pk][3] and not backfilled[added_after.pk][3]


def walked_every_day(begin, end):
    """The business time by walking every day's window: what the per-year table must equal."""
    total, day = timedelta(0), begin.astimezone(SANTIAGO).date()
    while day <= end.astimezone(SANTIAGO).date():
        window = business_window(day)
        if window is not None:
            total += max(timedelta(0), min(end, window[1]) - max(begin, window[0]))
        day += timedelta(days=1)
    return total


def test_business_duration_over_long_spans_is_every_days_window_added_up():
    """business_duration counts whole days from a per-year table: the same as walking every
    day, across years, holidays and daylight-saving changes."""
    rng = random.Random(17)
    start = santiago(2025, 1, 1)
    for _ in range(300):
        begin = start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        end = begin + timedelta(minutes=rng.choice([30, 600, 3000, 20_000, 200_000, 600_000]))
        assert business_duration(begin, end) == walked_every_day(begin, end), (begin, end)
    assert business_duration(santiago(2026, 5, 1), santiago(2026, 4, 1)) == timedelta(0)


# --- the queues ----------------------------------------------------------------------------


@pytest.fixture
def desk_tickets(desk_agent):
    """Two clinics, the desk's agent and two others, and a ticket for every case a queue
    tells apart. Due times are set relative to now: overdue, later today, tomorrow."""
    other_agent, third_agent = AgentFactory(), AgentFactory()
    clinic_a, clinic_b = ClinicFactory(), ClinicFactory()
    now = timezone.now()
    end_of_today = moment_for(desk_agent, now).end_of_today
    later_today = now + (end_of_today - now) / 2
    tomorrow = end_of_today + timedelta(hours=10)

    def ticket(name, clinic, **fields):
        made = TicketFactory(clinic=clinic, requester__clinic=clinic)
        Ticket.objects.filter(pk=made.pk).update(**fields)
        made.refresh_from_db()
        made.name = name
        return made

    made = [
        ticket(
            "mine_overdue", clinic_a, assigned_to=desk_agent, next_due_at=now - timedelta(hours=2)
        ),
        ticket(
            "mine_today",
            clinic_b,
            assigned_to=desk_agent,
            state=State.EN_PROCESO,
            next_due_at=later_today,
        ),
        ticket("mine_closed", clinic_a, assigned_to=desk_agent, state=State.CERRADO_RESUELTO),
        ticket("other_tomorrow", clinic_b, assigned_to=other_agent, next_due_at=tomorrow),
        ticket(
            "third_awaiting",
            clinic_a,
            assigned_to=third_agent,
            state=State.EN_PROCESO,
            awaiting_clinic=True,
            next_due_at=tomorrow,
        ),
        ticket("unassigned_overdue", clinic_b, next_due_at=now - timedelta(minutes=5)),
        ticket("unassigned_no_target", clinic_a),
        ticket("deleted", clinic_a, deleted_at=now),  # unassigned, but not for the team
        ticket(
            "client_recent", clinic_b, state=CLIENT, last_team_activity_at=now - timedelta(days=2)
        ),
        ticket("client_old", clinic_a, state=CLIENT, last_team_activity_at=now - timedelta(days=8)),
        ticket("closed_awaiting", clinic_b, state=State.CERRADO_CON_PROBLEMA, awaiting_clinic=True),
    ]
    return {t.name: t for t in made}


EXPECTED = {
    "mios": {"mine_overdue", "mine_today"},
    "sin_asignar": {"unassigned_overdue", "unassigned_no_target"},
    "vencidos": {"mine_overdue", "unassigned_overdue"},
    "vencen_hoy": {"mine_today"},
    "esperando_clinica": {"third_awaiting", "client_recent"},
    "abiertos": {
        "mine_overdue",
        "mine_today",
        "other_tomorrow",
        "third_awaiting",
        "unassigned_overdue",
        "unassigned_no_target",
    },
}


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_each_queue_lists_its_tickets_and_counts_them(desk, desk_tickets, slug):
    html = desk.get(f"{LIST}?cola={slug}").content.decode()
    expected = {desk_tickets[name].code for name in EXPECTED[slug]}
    assert codes_in(html) == expected
    for other in EXPECTED:
        assert queue_count_in(html, other) == len(EXPECTED[other])


def test_the_index_page_shows_the_same_counts(desk, desk_tickets):
    html = desk.get("/admin/").content.decode()
    for slug, names in EXPECTED.items():
        assert queue_count_in(html, slug) == len(names)
    for queue in QUEUES:
        assert f'href="{LIST}?cola={queue.slug}"' in html
        assert str(queue.label) in html


def test_the_counts_are_the_queues_own_querysets(desk_agent, desk_tickets):
    """The one-statement counts (a UNION ALL) agree with each queue's queryset counted alone."""
    moment = moment_for(desk_agent)
    counts = queue_counts(moment)
    assert [queue.slug for queue, _ in counts] == [queue.slug for queue in QUEUES]
    for queue, count in counts:
        assert count == queue.tickets(Ticket.objects.all(), moment).count()


def test_the_counts_are_planned_for_their_own_values(desk_agent, desk_tickets):
    """The portal prepares a statement run 5 times; PostgreSQL's auto plan mode then keeps
    planning the counts for their values, since a generic plan cannot use the open tickets'
    partial indexes (their predicate is ``state IN ('abierto', 'en_proceso')``, the plan's is
    ``state IN ($1, $2)``)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL")
    moment = moment_for(desk_agent)
    with connection.cursor() as cursor:
        # Enough closed tickets that counting the table costs more than the partial indexes.
        cursor.execute(
            "INSERT INTO tickets_ticket (code, clinic_id, requester_id, area, state, detail, "
            "created_at, updated_at, awaiting_clinic) "
            "SELECT 'ST-19990101-' || i, t.clinic_id, t.requester_id, t.area, 'cerrado_resuelto', "
            "'', t.created_at, t.created_at, false "
            "FROM generate_series(1, 20000) i, (SELECT * FROM tickets_ticket LIMIT 1) t"
        )
        cursor.execute("ANALYZE tickets_ticket")
    for _ in range(12):
        list(queue_counts_query(moment))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        plans = [(g, c) for statement, g, c in cursor.fetchall() if "UNION ALL" in statement]
        # ANALYZE's row estimate outlives the test's rollback: gather it again without them.
        cursor.execute("DELETE FROM tickets_ticket WHERE code LIKE 'ST-19990101-%%'")
        cursor.execute("ANALYZE tickets_ticket")
    assert plans == [(0, 7)]  # prepared after 5 runs, then planned for its values each time


def test_mis_tickets_is_the_viewers_own(desk_tickets):
    other = desk_tickets["other_tomorrow"].assigned_to
    moment = moment_for(other)
    mine = dict((queue.slug, n) for queue, n in queue_counts(moment))
    assert mine["mios"] == 1


def test_a_queue_lists_what_is_due_first(desk, desk_tickets):
    html = desk.get(f"{LIST}?cola=abiertos").content.decode()
    order = list(dict.fromkeys(re.findall(r">(ST-\d{8}-\d{5,})</a>", html)))
    due_order = [
        desk_tickets[name].code
        for name in (
            "mine_overdue",
            "unassigned_overdue",
            "mine_today",
        )
    ]
    assert order[:3] == due_order
    assert order[-1] == desk_tickets["unassigned_no_target"].code  # no due time: last


def test_the_due_column_sorts_the_whole_list(desk, desk_tickets):
    html = desk.get(LIST).content.decode()
    header = re.findall(r'<th scope="col" class="(?:sortable )?column-(\w+)', html)
    position = header.index("due_column") + 1  # "o" counts the checkboxes' column too
    html = desk.get(f"{LIST}?o={position}").content.decode()
    order = list(dict.fromkeys(re.findall(r">(ST-\d{8}-\d{5,})</a>", html)))
    assert order[:2] == [desk_tickets["mine_overdue"].code, desk_tickets["unassigned_overdue"].code]


def test_the_list_marks_overdue_tickets_with_the_time_passed(desk, desk_tickets):
    html = desk.get(f"{LIST}?cola=abiertos").content.decode()
    assert "vence (tiempo hábil)" in html.lower()  # so the cells need not say "hábiles"
    assert re.search(r'<strong class="due-overdue">hace \d+ (min|h)', html)
    assert re.search(r'<span class="due-pending">\d+ (min|h|d)', html)


def test_a_queue_has_no_deleted_column(desk, desk_tickets):
    # No queue holds a ticket deleted by its clinic (the whole list does).
    assert "column-deleted_mark" in desk.get(LIST).content.decode()
    for slug in EXPECTED:
        assert "column-deleted_mark" not in desk.get(f"{LIST}?cola={slug}").content.decode()


@pytest.mark.parametrize("slug", [None, *EXPECTED])
def test_the_list_takes_a_fixed_number_of_queries_with_each_queue(
    desk, desk_tickets, django_assert_max_num_queries, slug
):
    path = LIST if slug is None else f"{LIST}?cola={slug}"
    desk.get(path)
    # session, agent, permissions (2), the agents of the filter, the table's estimate
    # (PostgreSQL), the capped count, the rows, and the queues' counts (one UNION ALL)
    with django_assert_max_num_queries(9):
        assert desk.get(path).status_code == 200


@override_settings(ADMIN_COUNTS_CACHE_SECONDS=0)
def test_the_index_page_counts_the_queues_in_one_statement(
    desk, desk_tickets, django_assert_max_num_queries
):
    desk.get("/admin/")
    with django_assert_max_num_queries(8) as captured:
        assert desk.get("/admin/").status_code == 200
    assert sum("UNION ALL" in q["sql"] for q in captured.captured_queries) == 1


def test_the_counts_are_kept_a_while_and_a_queues_list_is_read_fresh(desk, desk_tickets):
    desk.get(LIST)
    late = TicketFactory(
        clinic=desk_tickets["mine_overdue"].clinic,
        requester=desk_tickets["mine_overdue"].requester,
    )
    with CaptureQueriesContext(connection) as captured:
        html = desk.get(f"{LIST}?cola=abiertos").content.decode()
    # The counts come from the cache (settings.ADMIN_COUNTS_CACHE_SECONDS) ...
    assert not any("UNION ALL" in query["sql"] for query in captured.captured_queries)
    assert queue_count_in(html, "abiertos") == len(EXPECTED["abiertos"])
    # ... the queue's own list does not.
    assert late.code in codes_in(html)
    cache.clear()  # the time has passed
    html = desk.get(f"{LIST}?cola=abiertos").content.decode()
    assert queue_count_in(html, "abiertos") == len(EXPECTED["abiertos"]) + 1


# --- a ticket's page -------------------------------------------------------------------------


def test_the_ticket_page_shows_each_target_and_when_it_was_passed(
    desk, desk_agent, portal_a, portal_b
):
    ticket = created_via_service(portal_a)
    created = santiago(2026, 3, 20, 16)  # Friday: first response due Monday 11:00
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    ticket_due_times_recompute(area="soporte", targets=response_targets_for("soporte"))
    html = desk.get(f"{LIST}{ticket.pk}/change/").content.decode()
    assert "Primera respuesta: vencida el 23-03-2026 11:00" in html
    assert "Resolución: vencida el 24-03-2026 16:00" in html

    fresh = created_via_service(portal_b)
    services.ticket_respond(ticket=fresh, author=desk_agent, text="Ya lo vemos.")
    fresh.refresh_from_db()
    html = desk.get(f"{LIST}{fresh.pk}/change/").content.decode()
    local = fresh.first_response_at.astimezone(SANTIAGO).strftime("%d-%m-%Y %H:%M")
    assert f"Primera respuesta: respondida a tiempo el {local}" in html
    assert "Resolución: vence el " in html


def test_a_late_answer_is_marked_with_its_due_time(desk, desk_agent, portal_a, portal_b):
    ticket = created_via_service(portal_a)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=santiago(2026, 3, 20, 16))
    ticket_due_times_recompute(area="soporte", targets=response_targets_for("soporte"))
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Perdón la demora.")
    html = desk.get(f"{LIST}{ticket.pk}/change/").content.decode()
    assert "Primera respuesta: vencida el 23-03-2026 11:00; respondida el" in html


# --- who may see them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        f"{LIST}?cola=vencidos",
        f"{LIST}?cola=mios",
        "/admin/service_levels/responsetarget/",
    ],
)
def test_a_clinic_user_is_sent_to_the_admin_login(client_a, portal_a, desk_tickets, path):
    response = client_a.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_clinics_counts_stay_untouched_by_due_times(portal_a, portal_b, desk_agent):
    created_via_service(portal_a)
    created_via_service(portal_b)
    before = sorted(TicketCount.objects.values_list("clinic_id", "area", "state", "count"))
    ticket_due_times_recompute(area="soporte", targets=None)
    after = sorted(TicketCount.objects.values_list("clinic_id", "area", "state", "count"))
    assert after == before
    assert not Ticket.objects.filter(next_due_at__isnull=False).exists()
