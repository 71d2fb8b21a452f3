"""tickets/sql.py: each hand-written statement gives what the equivalent queryset gives (on
SQLite and on PostgreSQL); and vetsync_support/query_plans.py: a search is never run from a
prepared plan on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicUserFactory, TicketFactory
from tickets import selectors, services, sql
from tickets.models import Ticket, TicketCount, TicketEvent, TicketSeen
from tickets.selectors import HistoryFilters

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def orm_history(clinic, filters: HistoryFilters, offset: int, limit: int, reader=None) -> list:
    """The same page with the plain ORM, evaluated the ordinary way."""
    tickets = Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)
    if filters.requester_id is not None:
        tickets = tickets.filter(requester_id=filters.requester_id)
    if filters.state:
        tickets = tickets.filter(state=filters.state)
    if filters.area:
        tickets = tickets.filter(area=filters.area)
    if filters.is_code_prefix:
        tickets = tickets.filter(code__startswith=filters.words[0])
    else:
        for word in filters.words:
            tickets = tickets.filter(detail__icontains=word)
    seen = TicketSeen.objects.filter(ticket=OuterRef("pk"), user=reader)
    ordered = (
        tickets.select_related("requester", "latest_response")
        .annotate(seen_activity_at=Subquery(seen.values("seen_activity_at")))
        .order_by("-created_at", "-id")
    )
    return [
        sql.TicketRow(
            ticket.code,
            ticket.state,
            ticket.area,
            ticket.created_at,
            ticket.requester.display_name,
            ticket.latest_response.text if ticket.latest_response else None,
            ticket.latest_response.created_at if ticket.latest_response else None,
            ticket.last_team_activity_at is not None
            and (
                ticket.seen_activity_at is None
                or ticket.seen_activity_at < ticket.last_team_activity_at
            ),
        )
        for ticket in ordered[offset : offset + limit]
    ]


@pytest.fixture
def histories(portal_a, portal_b):
    """Two clinics' tickets with states, areas, responses and texts that LIKE must escape."""
    agent = AgentFactory()
    texts = [
        "La impresora no imprime boletas",
        "Descuento de 50% en la venta no se aplica",
        "El campo nombre_tutor queda vacío",
        "Ruta C:\\vetsync\\informes no existe",
        "IMPRESORA térmica desconectada",
        "Consulta sobre el plan comercial",
    ]
    start = timezone.now() - timedelta(days=30)
    colleague = ClinicUserFactory(clinic=portal_a.clinic)
    for n in range(36):
        for user in (portal_a, portal_b):
            ticket = TicketFactory(
                clinic=user.clinic,
                requester=colleague if user == portal_a and n % 2 else user,
                detail=f"{texts[n % len(texts)]} (caso {n})",
                area="comercial" if n % 3 == 0 else "soporte",
            )
            Ticket.objects.filter(pk=ticket.pk).update(created_at=start + timedelta(hours=n))
            if n % 4 == 0:
                services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
            if n % 5 == 1:
                services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=agent)
    for ticket in Ticket.objects.filter(clinic=portal_a.clinic, detail__contains="(caso 7)"):
        services.ticket_delete(ticket=ticket, actor=colleague)
    # portal_a saw some of the team's activity: some before a later response, some up to date.
    for n, ticket in enumerate(
        Ticket.objects.filter(clinic=portal_a.clinic, last_team_activity_at__isnull=False)
    ):
        activity = ticket.last_team_activity_at
        seen = activity if n % 3 else activity - timedelta(minutes=5)
        services.ticket_mark_seen(user=portal_a, ticket_id=ticket.pk, activity_at=seen)
    return portal_a.clinic


FILTERS = [
    HistoryFilters(),
    HistoryFilters(state="en_proceso"),
    HistoryFilters(state="abierto", area="soporte"),
    HistoryFilters(area="comercial"),
    HistoryFilters(query="impresora"),
    HistoryFilters(query="impresora boletas"),
    HistoryFilters(query="50%"),
    HistoryFilters(query="nombre_tutor"),
    HistoryFilters(query="C:\\vetsync"),
    HistoryFilters(query="_"),
    HistoryFilters(query="%"),
    HistoryFilters(state="abierto", query="consulta plan"),
    HistoryFilters(requester_id=-1),  # portal_a's own, put in by the test
    HistoryFilters(state="abierto", requester_id=-1),
    HistoryFilters(requester_id=-1, query="impresora"),
]


def with_requester(filters: HistoryFilters, user) -> HistoryFilters:
    if filters.requester_id is None:
        return filters
    return HistoryFilters(filters.state, filters.area, filters.query, requester_id=user.pk)


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
@pytest.mark.parametrize(("offset", "limit"), [(0, 5), (0, 25), (10, 25), (30, 26), (500, 25)])
def test_a_history_page_is_what_the_orm_gives(histories, portal_a, filters, offset, limit):
    filters = with_requester(filters, portal_a)
    expected = orm_history(histories, filters, offset, limit, reader=portal_a)
    page = selectors.ticket_history_page(
        clinic=histories, reader=portal_a, filters=filters, offset=offset, limit=limit
    )
    assert page == expected
    assert all(timezone.is_aware(row.created_at) for row in page)
    if filters.requester_id is not None:
        assert {row.requester_name for row in page} <= {portal_a.display_name}


@pytest.mark.parametrize("filters", [*FILTERS, HistoryFilters(query="ST-")], ids=repr)
@pytest.mark.parametrize("page_size", [1, 7, 1000])
def test_the_exports_pages_are_the_whole_history_the_orm_gives(
    histories, portal_a, filters, page_size
):
    """The export's keyset pages, put together, are every row of the filtered history once,
    in its order, with the detail as written (tickets/export.py)."""
    filters = with_requester(filters, portal_a)
    everything = [
        (
            r.code,
            r.state,
            r.area,
            r.created_at,
            r.requester_name,
            r.latest_response_text,
            r.latest_response_at,
        )
        for r in orm_history(histories, filters, 0, 1000)
    ]
    pages = list(
        selectors.ticket_export_pages(clinic=histories, filters=filters, page_size=page_size)
    )
    rows = [row for page in pages for row in page]
    assert all(0 < len(page) <= page_size for page in pages)
    as_history = [
        (
            r.code,
            r.state,
            r.area,
            r.created_at,
            r.requester_name,
            r.latest_response_text,
            r.latest_response_at,
        )
        for r in rows
    ]
    assert as_history == everything
    details = dict(Ticket.objects.filter(clinic=histories).values_list("code", "detail"))
    assert all(row.detail == details[row.code] for row in rows)
    assert all(timezone.is_aware(row.created_at) for row in rows)


def test_the_fixture_has_new_and_seen_tickets_for_the_reader(histories, portal_a):
    page = orm_history(histories, HistoryFilters(), 0, 100, reader=portal_a)
    assert {row.has_news for row in page} == {True, False}


def test_a_code_prefix_search_is_what_the_orm_gives(histories, portal_a):
    code = Ticket.objects.filter(clinic=histories).values_list("code", flat=True).first()
    for prefix in (code, code[:-1], code[:12], "ST-"):
        filters = HistoryFilters(query=prefix.lower())
        assert filters.is_code_prefix
        page = selectors.ticket_history_page(
            clinic=histories, reader=portal_a, filters=filters, offset=0, limit=40
        )
        assert page == orm_history(histories, filters, 0, 40, reader=portal_a) and page


def test_counts_and_totals_are_what_the_orm_gives(histories, portal_a, portal_b):
    def orm_count(**filters):
        counts = TicketCount.objects.filter(clinic=histories, **filters)
        return counts.aggregate(n=Sum("count"))["n"] or 0

    assert selectors.ticket_history_count(clinic=histories, filters=HistoryFilters()) == (
        orm_count()
    )
    for state, area in [("abierto", ""), ("", "comercial"), ("en_proceso", "soporte")]:
        filters = HistoryFilters(state=state, area=area)
        expected = orm_count(**{k: v for k, v in {"state": state, "area": area}.items() if v})
        assert selectors.ticket_history_count(clinic=histories, filters=filters) == expected
    assert selectors.ticket_history_count(clinic=histories, filters=HistoryFilters("cerrado")) == 0
    for state in ("", "abierto", "en_proceso"):
        mine = HistoryFilters(state=state, requester_id=portal_a.pk)
        expected = Ticket.objects.filter(
            clinic=histories, requester=portal_a, deleted_at__isnull=True
        )
        expected = expected.filter(state=state) if state else expected
        assert selectors.ticket_history_count(clinic=histories, filters=mine) == expected.count()
    assert (
        selectors.ticket_history_count(
            clinic=histories, filters=HistoryFilters(requester_id=portal_b.pk)
        )
        == 0
    )  # another clinic's user: nothing of this clinic
    totals = selectors.ticket_totals(clinic=histories)
    assert sum(totals.values()) == orm_count() == 35
    assert (
        totals == {state: orm_count(state=state) for state in totals} and totals["en_proceso"] > 0
    )


def test_a_tickets_page_is_what_the_orm_gives(histories, portal_a, portal_b):
    ticket = Ticket.objects.filter(clinic=histories, responses__isnull=False).first()
    agent = AgentFactory(first_name="Ana", last_name="Agente")
    services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=agent)
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Más datos " * 4)
    later = TicketFactory(clinic=histories, requester=portal_a, follows_up=ticket)
    page = shown = selectors.ticket_page(clinic=histories, code=ticket.code)
    ticket.refresh_from_db()
    assert (shown.id, shown.code, shown.state, shown.area, shown.detail) == (
        ticket.pk,
        ticket.code,
        ticket.state,
        ticket.area,
        ticket.detail,
    )
    assert (shown.created_at, shown.updated_at) == (ticket.created_at, ticket.updated_at)
    assert shown.requester_name == portal_a.display_name
    assert [(r.created_at, r.text) for r in page.responses] == list(
        ticket.responses.values_list("created_at", "text")
    )
    events = ticket.events.filter(kind__in=TicketEvent.CLINIC_VISIBLE_KINDS).select_related("actor")
    assert [
        (e.created_at, e.kind, e.from_state, e.to_state, e.actor_name) for e in page.events
    ] == [(e.created_at, e.kind, e.from_state, e.to_state, e.actor.display_name) for e in events]
    assert "Ana Agente" in [e.actor_name for e in page.events]
    assert [(a.created_at, a.text, a.author_name) for a in page.additions] == [
        (a.created_at, a.text, a.author.display_name)
        for a in ticket.additions.select_related("author")
    ]
    assert page.follow_up_codes == (later.code,)
    # Another clinic's reads of the same ticket find nothing.
    other = portal_b.clinic
    assert sql.ticket_detail(other.pk, ticket.code) is None
    assert ticket.code not in [
        row.code
        for row in sql.history_page(
            other.pk, reader_id=portal_b.pk, code_prefix=ticket.code, offset=0, limit=5
        )
    ]


def test_a_tickets_changes_come_after_its_row_in_their_order(histories, portal_a):
    """The ticket's statement gives the ticket's row, then its events' rows in the same
    columns: events at one moment and an event without an actor are read as the ORM reads
    them, and a change the clinic does not see (an internal note) is left out."""
    ticket = TicketFactory(clinic=histories, requester=portal_a, detail="Detalle largo " * 50)
    agent = AgentFactory(first_name="", last_name="", username="soporte.noche")
    services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=agent)
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.NOTE_ADDED, actor=agent)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.STATE_CHANGED,
        from_state="en_proceso",
        to_state="cerrado_resuelto",
    )
    TicketEvent.objects.filter(ticket=ticket).update(created_at=ticket.created_at)  # a tie
    shown = sql.ticket_detail(histories.pk, ticket.code, reader_id=portal_a.pk)
    events = ticket.events.filter(kind__in=TicketEvent.CLINIC_VISIBLE_KINDS).order_by(
        "created_at", "id"
    )
    assert [
        (e.created_at, e.kind, e.from_state, e.to_state, e.actor_name) for e in shown.events
    ] == [
        (e.created_at, e.kind, e.from_state, e.to_state, e.actor.display_name if e.actor else "")
        for e in events.select_related("actor")
    ]
    assert [e.actor_name for e in shown.events][-2:] == ["soporte.noche", ""]
    assert shown.detail == ticket.detail and shown.code == ticket.code
    assert all(timezone.is_aware(e.created_at) for e in shown.events)


def test_the_statements_read_only_the_cores_tables_and_accounts_user():
    """No SQL of one app reads another app's tables (docs/ARCHITECTURE.md): tickets/sql.py
    names the ticket core's tables and ``accounts_user`` only."""
    import re

    statements = [
        value
        for name, value in vars(sql).items()
        if name.isupper() and isinstance(value, str | dict)
    ]
    tables = {
        table
        for statement in statements
        for text in (statement.values() if isinstance(statement, dict) else [statement])
        for table in re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", text)
    }
    assert "tickets_ticket" in tables and "tickets_ticketevent" in tables
    assert {t for t in tables if not t.startswith("tickets_")} == {"accounts_user"}


def test_a_ticket_that_follows_a_deleted_one_does_not_link_it(histories, portal_a):
    earlier = TicketFactory(clinic=histories, requester=portal_a)
    later = TicketFactory(clinic=histories, requester=portal_a, follows_up=earlier)
    assert sql.ticket_detail(histories.pk, later.code).follows_up_code == earlier.code
    services.ticket_delete(ticket=earlier, actor=portal_a)
    assert sql.ticket_detail(histories.pk, later.code).follows_up_code is None
    assert sql.ticket_detail(histories.pk, earlier.code) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_search_is_never_run_from_a_prepared_plan(client_a, portal_a):
    """The history's page is prepared and, after PostgreSQL's five trial plans, run from its
    generic plan (its page size is part of its text); a search by words is never prepared."""
    TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a, detail="x" * 40)
    for _ in range(15):
        assert client_a.get("/soporte/tickets/?q=impresora").status_code == 200
        assert client_a.get("/soporte/tickets/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
        cursor.execute("SHOW plan_cache_mode")
        mode = cursor.fetchone()[0]
    pages = [
        (generic, custom)
        for statement, generic, custom in prepared
        if "tickets_ticketresponse" in statement and "LIMIT" in statement
    ]
    assert pages and all(custom <= 5 and generic >= 3 for generic, custom in pages)
    assert not any("LIKE" in statement.upper() for statement, _g, _c in prepared)  # never
    assert connection.connection.prepare_threshold == 5  # back after each search
    assert mode == "auto"  # PostgreSQL's own choice: no switch on the connections


def test_queries_keep_their_number_from_page_to_page(client_a, histories):
    with CaptureQueriesContext(connection) as first:
        client_a.get("/soporte/tickets/?estado=abierto")
    with CaptureQueriesContext(connection) as second:
        client_a.get("/soporte/tickets/?estado=abierto&pagina=2")
    assert len(first) == len(second)


def test_a_list_shows_the_first_90_characters_of_the_latest_response():
    def row(text):
        return sql.TicketRow(
            "ST-20260323-00001", "abierto", "soporte", timezone.now(), "", text, None
        )

    assert row("a" * 90).latest_response_excerpt == "a" * 90
    assert row("ñ" * 91).latest_response_excerpt == "ñ" * 89 + "…"
    assert row(None).latest_response_excerpt == ""


def test_the_ticket_pages_statement_asks_for_every_kind_the_clinic_sees():
    """TICKET_PAGE writes out one placeholder per visible kind of event."""
    placeholders = ", ".join(["%s"] * len(TicketEvent.CLINIC_VISIBLE_KINDS))
    assert f"e.kind IN ({placeholders})" in sql.TICKET_PAGE
