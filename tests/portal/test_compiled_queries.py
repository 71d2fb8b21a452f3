"""vetsync_support/compiled_queries.py: SQL the ORM compiles once, run with new values, gives
what the queryset itself gives; and vetsync_support/query_plans.py: a search is never run from
a prepared plan on PostgreSQL."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import selectors, services
from tickets.models import Ticket, TicketCount, TicketEvent
from tickets.rows import ROW_COLUMNS, display_name, ticket_row
from tickets.selectors import HistoryFilters
from vetsync_support.compiled_queries import (
    CompiledQuery,
    CompileError,
    LikeText,
    Limit,
    Offset,
    Text,
    Value,
)

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def orm_history(clinic, filters: HistoryFilters, offset: int, limit: int) -> list:
    """The same page with the plain ORM, evaluated the ordinary way."""
    tickets = Ticket.objects.filter(clinic=clinic, deleted_at__isnull=True)
    if filters.state:
        tickets = tickets.filter(state=filters.state)
    if filters.area:
        tickets = tickets.filter(area=filters.area)
    if filters.is_code_prefix:
        tickets = tickets.filter(code__startswith=filters.words[0])
    else:
        for word in filters.words:
            tickets = tickets.filter(detail__ilike_contains=word)
    ordered = tickets.order_by("-created_at", "-id").values_list(*ROW_COLUMNS)
    return [ticket_row(values) for values in ordered[offset : offset + limit]]


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
    for n in range(36):
        for user in (portal_a, portal_b):
            ticket = TicketFactory(
                clinic=user.clinic,
                requester=user,
                detail=f"{texts[n % len(texts)]} (caso {n})",
                area="comercial" if n % 3 == 0 else "soporte",
            )
            Ticket.objects.filter(pk=ticket.pk).update(created_at=start + timedelta(hours=n))
            if n % 4 == 0:
                services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
            if n % 5 == 1:
                services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=agent)
    Ticket.objects.filter(clinic=portal_a.clinic, detail__contains="(caso 7)").update(
        deleted_at=timezone.now()
    )
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
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
@pytest.mark.parametrize(("offset", "limit"), [(0, 5), (0, 25), (10, 25), (30, 26), (500, 25)])
def test_a_history_page_is_what_the_orm_gives(histories, filters, offset, limit):
    expected = orm_history(histories, filters, offset, limit)
    page = selectors.ticket_history_page(
        clinic=histories, filters=filters, offset=offset, limit=limit
    )
    assert page == expected
    assert all(timezone.is_aware(row.created_at) for row in page)


def test_a_code_prefix_search_is_what_the_orm_gives(histories):
    code = Ticket.objects.filter(clinic=histories).values_list("code", flat=True).first()
    for prefix in (code, code[:-1], code[:12], "ST-"):
        filters = HistoryFilters(query=prefix.lower())
        assert filters.is_code_prefix
        page = selectors.ticket_history_page(clinic=histories, filters=filters, offset=0, limit=40)
        assert page == orm_history(histories, filters, 0, 40) and page


def test_counts_and_totals_are_what_the_orm_gives(histories):
    from django.db.models import Sum

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
    totals = selectors.ticket_totals(clinic=histories)
    assert sum(totals.values()) == orm_count() == 35


def test_the_detail_is_read_with_what_the_page_shows(histories, portal_a):
    ticket = Ticket.objects.filter(clinic=histories, responses__isnull=False).first()
    services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=AgentFactory())
    shown = selectors.ticket_get(clinic=histories, code=ticket.code)
    ticket.refresh_from_db()
    assert (shown.pk, shown.code, shown.state, shown.area, shown.detail) == (
        ticket.pk,
        ticket.code,
        ticket.state,
        ticket.area,
        ticket.detail,
    )
    assert shown.created_at == ticket.created_at and timezone.is_aware(shown.updated_at)
    assert shown.requester.display_name == portal_a.display_name
    assert [r.text for r in shown.visible_responses] == list(
        ticket.responses.values_list("text", flat=True)
    )
    events = ticket.events.filter(kind__in=TicketEvent.CLINIC_VISIBLE_KINDS)
    assert [(e.kind, e.from_state, e.to_state) for e in shown.clinic_events] == list(
        events.values_list("kind", "from_state", "to_state")
    )
    assert [e.kind for e in shown.clinic_events][-1] == "state_changed"
    assert [e.actor.display_name for e in shown.clinic_events] == [
        e.actor.display_name for e in events.select_related("actor")
    ]
    assert shown.has_additions is False and shown.has_follow_ups is False


def test_display_name_of_a_row_is_the_users_own(portal_a):
    for full, first, last in [("Ana Pérez", "", ""), ("", "Ana", "Pérez"), ("", "", "")]:
        portal_a.full_name, portal_a.first_name, portal_a.last_name = full, first, last
        expected = portal_a.display_name
        assert display_name(full, first, last, portal_a.username) == expected


def test_the_sql_is_compiled_once_and_run_with_each_requests_values(portal_a, portal_b):
    first = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    second = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    build = mock.Mock(
        side_effect=lambda clinic, code: Ticket.objects.filter(
            clinic_id=clinic, code=code
        ).values_list("code")
    )
    query = CompiledQuery(build, clinic=Value(0), code=Text(0))
    assert query.rows(clinic=first.clinic_id, code=first.code) == [(first.code,)]
    assert query.rows(clinic=second.clinic_id, code=second.code) == [(second.code,)]
    assert query.rows(clinic=first.clinic_id, code=second.code) == []
    assert build.call_count == 2  # once for the model, once for the SQL: not per call


def test_a_slice_is_a_value_of_the_query(portal_a):
    TicketFactory.create_batch(7, clinic=portal_a.clinic, requester=portal_a)
    query = CompiledQuery(
        lambda clinic, offset, limit: (
            Ticket.objects.filter(clinic_id=clinic)
            .order_by("id")
            .values_list("id")[offset : offset + limit]
        ),
        clinic=Value(0),
        offset=Offset,
        limit=Limit,
    )
    ids = list(Ticket.objects.order_by("id").values_list("id", flat=True))
    for offset, limit in [(0, 3), (2, 3), (5, 10), (7, 1)]:
        rows = query.rows(clinic=portal_a.clinic_id, offset=offset, limit=limit)
        assert [row[0] for row in rows] == ids[offset : offset + limit]


def test_a_marker_the_orm_dropped_is_an_error_not_a_wrong_query(portal_a):
    query = CompiledQuery(
        lambda clinic, code: Ticket.objects.filter(clinic_id=clinic).values_list("code"),
        clinic=Value(0),
        code=Text(0),
    )
    with pytest.raises(CompileError, match="code"):
        query.rows(clinic=portal_a.clinic_id, code="x")
    transformed = CompiledQuery(
        lambda word: Ticket.objects.filter(code=word).values_list("code"), word=LikeText(0)
    )
    with pytest.raises(CompileError, match="word"):
        transformed.rows(word="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_search_is_never_run_from_a_prepared_plan(client_a, portal_a):
    TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a, detail="x" * 40)
    for _ in range(8):
        assert client_a.get("/soporte/tickets/?q=impresora").status_code == 200
        assert client_a.get("/soporte/tickets/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("tickets_ticket" in sql for sql in prepared)  # the history's page: prepared
    assert not any("LIKE" in sql.upper() for sql in prepared)  # the search: never
    assert connection.connection.prepare_threshold == 5


def test_queries_keep_their_number_with_compiled_sql(client_a, histories):
    with CaptureQueriesContext(connection) as first:
        client_a.get("/soporte/tickets/?estado=abierto")
    with CaptureQueriesContext(connection) as second:
        client_a.get("/soporte/tickets/?estado=abierto&pagina=2")
    assert len(first) == len(second)
