"""Descargar historial: the clinic's own tickets as a CSV, with the history's filters."""

import csv
import io
import re
import tracemalloc
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets import selectors, services
from tickets.export import neutralized
from tickets.models import Ticket, TicketResponse

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

EXPORT = "/soporte/tickets/descargar"
HEADER = [
    "Código",
    "Fecha de creación",
    "Área",
    "Estado",
    "Solicitante",
    "Detalle",
    "Última respuesta del equipo",
    "Fecha de la última respuesta",
]


def download(client, query=""):
    response = client.get(f"{EXPORT}{query}")
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def table(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def codes(body: bytes) -> list[str]:
    return [row[0] for row in table(body)[1:]]


def test_the_history_offers_the_download_with_its_active_filters(client_a, portal_a):
    TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    html = client_a.get("/soporte/tickets/").content.decode()
    assert "Descargar historial" in html
    assert f'href="{EXPORT}"' in html
    html = client_a.get("/soporte/tickets/?estado=abierto&area=soporte&q=pago").content.decode()
    assert f'href="{EXPORT}?estado=abierto&amp;area=soporte&amp;q=pago"' in html
    # The page number is not a filter: the download holds every page.
    html = client_a.get("/soporte/tickets/?estado=abierto&pagina=2").content.decode()
    assert f'href="{EXPORT}?estado=abierto"' in html


def test_the_csv_holds_only_the_clinics_own_tickets(client_a, client_b, portal_a, portal_b):
    mine = TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a)
    theirs = TicketFactory.create_batch(2, clinic=portal_b.clinic, requester=portal_b)
    deleted = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, deleted_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    _, body = download(client_a)
    assert codes(body) == [t.code for t in reversed(mine)]
    text = body.decode("utf-8-sig")
    for ticket in [*theirs, deleted]:
        assert ticket.code not in text
    assert "Valentina Muñoz" not in text and portal_b.display_name not in text
    _, body = download(client_b)
    assert codes(body) == [t.code for t in reversed(theirs)]
    assert not any(t.code in body.decode("utf-8-sig") for t in mine)


def test_the_csv_is_utf8_with_bom_semicolons_and_the_portals_dates(client_a, portal_a, agent):
    ticket = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="Año de la boleta; ñandú, «más»"
    )
    # 14:05 UTC on 2 March 2026 is 11:05 in Santiago (summer time, UTC-3).
    Ticket.objects.filter(pk=ticket.pk).update(created_at=datetime(2026, 3, 2, 14, 5, tzinfo=UTC))
    services.ticket_respond(ticket=ticket, author=agent, text="Revisamos la boleta")
    TicketResponse.objects.update(created_at=datetime(2026, 7, 10, 18, 30, tzinfo=UTC))
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, area="comercial")
    response, body = download(client_a)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    assert body[3:].decode("utf-8").splitlines()[0] == ";".join(HEADER)
    rows = table(body)
    assert rows[0] == HEADER
    assert rows[2] == [
        ticket.code,
        "02-03-2026 11:05",
        "Soporte",
        "Abierto",
        "Fernando Pérez",
        "Año de la boleta; ñandú, «más»",
        "Revisamos la boleta",
        # 18:30 UTC on 10 July 2026 is 14:30 in Santiago (winter time, UTC-4).
        "10-07-2026 14:30",
    ]
    assert rows[1][2] == "Comercial" and rows[1][6:] == ["", ""]
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", rows[1][1])


def test_the_file_is_named_after_the_clinic_and_the_day(client_a, portal_a):
    response, _ = download(client_a)
    disposition = response["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="historial-tickets-76123456-0-\d{2}-\d{2}-\d{4}\.csv"', disposition
    )


@pytest.mark.parametrize(
    "detail",
    [
        '=HYPERLINK("http://malo.example","clic")',
        "+56 9 1234 5678 no recibe SMS",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1 con tabulación",
        "\r=1+1 con retorno de carro",
    ],
)
def test_a_formula_looking_cell_is_plain_text(client_a, client_b, portal_a, portal_b, detail):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail=detail)
    portal_a.full_name = "=cmd|' /C calc'!A0"
    portal_a.save(update_fields=["full_name"])
    TicketFactory(clinic=portal_b.clinic, requester=portal_b, detail=detail)
    _, body = download(client_a)
    row = table(body)[1]
    assert row[0] == ticket.code
    assert row[5] == "'" + detail
    assert row[4] == "'=cmd|' /C calc'!A0"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    # Clinic B's identical ticket is not in clinic A's file.
    assert len(table(body)) == 2


def test_neutralized_leaves_ordinary_text_alone():
    for text in ("ST-20260101-00001", "Factura 123", "", "ñandú = 3", "3-4 días"):
        assert neutralized(text) == text
    assert neutralized("=1") == "'=1"


def test_the_active_filters_are_applied(client_a, portal_a, portal_b):
    lab = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="El módulo Laboratorio no imprime"
    )
    in_process = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, state="en_proceso", detail="Reloj control"
    )
    commercial = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, area="comercial", detail="Factura mensual"
    )
    TicketFactory(clinic=portal_b.clinic, requester=portal_b, detail="laboratorio de la otra")
    TicketFactory(clinic=portal_b.clinic, requester=portal_b, state="en_proceso")
    assert codes(download(client_a, "?estado=en_proceso")[1]) == [in_process.code]
    assert codes(download(client_a, "?area=comercial")[1]) == [commercial.code]
    assert codes(download(client_a, "?estado=abierto&area=soporte")[1]) == [lab.code]
    assert codes(download(client_a, "?q=laboratorio")[1]) == [lab.code]
    assert codes(download(client_a, f"?q={lab.code.lower()}")[1]) == [lab.code]
    # A code's beginning, as in the history's search box.
    prefix = lab.code[:-2]
    assert set(codes(download(client_a, f"?q={prefix}")[1])) == {
        t.code for t in (lab, in_process, commercial) if t.code.startswith(prefix)
    }
    assert codes(download(client_a, "?q=inexistente")[1]) == []
    assert codes(download(client_a, "?estado=&area=&q=")[1]) == [
        commercial.code,
        in_process.code,
        lab.code,
    ]


def test_mis_tickets_exports_only_the_users_own(client_a, portal_a, portal_b):
    from tests.factories import ClinicUserFactory

    mine = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    colleague = ClinicUserFactory(clinic=portal_a.clinic)
    theirs = TicketFactory(clinic=portal_a.clinic, requester=colleague)
    TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    assert codes(download(client_a, "?solicitante=mios")[1]) == [mine.code]
    assert codes(download(client_a, "?solicitante=")[1]) == [theirs.code, mine.code]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("estado=borrado", "Seleccione un estado válido."),
        ("area=ventas", "Seleccione un área válida."),
        ("q=" + "x" * 500, "La búsqueda no puede superar los 100 caracteres."),
        ("estado=%00", "Seleccione un estado válido."),
        ("solicitante=todos", "Seleccione"),
    ],
)
def test_a_tampered_filter_gets_the_historys_message_not_an_error(
    client_a, portal_a, query, message
):
    TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    response = client_a.get(f"{EXPORT}?{query}")
    assert response.status_code == 302
    assert response["Location"].startswith("/soporte/tickets/?")
    page = client_a.get(response["Location"])
    assert page.status_code == 200
    assert message in page.content.decode()


def test_a_logged_out_visitor_gets_the_login_not_a_file(client, portal_a):
    from django.test import Client

    TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    response = Client().get(EXPORT)
    assert response.status_code == 302
    assert response["Location"] == "/soporte/login"


def test_the_pages_follow_each_other_without_gaps_or_repeats(portal_a, portal_b):
    """Pages are read by keyset: tickets created in the same instant still come once each."""
    tickets = TicketFactory.create_batch(7, clinic=portal_a.clinic, requester=portal_a)
    TicketFactory.create_batch(3, clinic=portal_b.clinic, requester=portal_b)
    same_moment = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[2:6]]).update(created_at=same_moment)
    pages = list(
        selectors.ticket_export_pages(
            clinic=portal_a.clinic, filters=selectors.HistoryFilters(), page_size=2
        )
    )
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    exported = [row.code for page in pages for row in page]
    expected = list(
        Ticket.objects.filter(clinic=portal_a.clinic)
        .order_by("-created_at", "-id")
        .values_list("code", flat=True)
    )
    assert exported == expected
    assert len(set(exported)) == 7


MANY = 50_000


def _load_many_tickets(clinic, requester, other_clinic, other_requester):
    detail = (
        "Al emitir la boleta electrónica en la caja, el sistema queda cargando y luego "
        "aparece un error inesperado; ocurrió cerca de las 10:30 con el cliente Pérez."
    )
    # Many rows share a creation moment (bulk_create stamps them as it goes): the pages
    # follow each other by id then.
    Ticket.objects.bulk_create(
        (
            Ticket(
                code=f"ST-20250101-{n:05d}",
                clinic=clinic,
                requester=requester,
                area="soporte" if n % 3 else "comercial",
                state="abierto",
                detail=detail,
            )
            for n in range(MANY)
        ),
        batch_size=2000,
    )
    Ticket.objects.bulk_create(
        Ticket(
            code=f"ST-20250101-9{n:05d}",
            clinic=other_clinic,
            requester=other_requester,
            area="soporte",
            detail=detail,
        )
        for n in range(50)
    )


def test_50000_rows_stream_in_flat_memory_and_a_query_a_page(client_a, portal_a, portal_b):
    _load_many_tickets(portal_a.clinic, portal_a, portal_b.clinic, portal_b)
    response = client_a.get(EXPORT)
    assert response.status_code == 200
    total = rows = 0
    other_clinic = 0
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as queries:
            for chunk in response.streaming_content:
                total += len(chunk)
                rows += chunk.count(b"\r\nST-20250101-") + chunk.startswith(b"ST-20250101-")
                other_clinic += chunk.count(b"ST-20250101-9")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()
    assert rows == MANY
    assert other_clinic == 0
    assert total > 10_000_000
    # The whole file never sits in memory: at most a page of rows at a time.
    assert peak < total / 4, (peak, total)
    # One query a page of rows (1,000), whatever the page.
    pages = MANY // selectors.EXPORT_PAGE_SIZE
    assert pages <= len(queries) <= pages + 1, len(queries)
