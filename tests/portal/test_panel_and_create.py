"""Guide §3-§5: the panel (mesa de ayuda) and creating a ticket."""

import re

import pytest

from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

GUIDE_STATES = [
    "Abierto",
    "En proceso",
    "Cerrado / resuelto",
    "Cerrado / con problema",
    "Cerrado / responsabilidad cliente",
]
GOOD_DETAIL = (
    "Estaba emitiendo una factura comercial en el módulo pagos. Esperaba que quedara pagado, "
    "pero el pago se confirmó y la cuenta sigue pendiente. 29-04-2026 cerca de las 10:30."
)


def test_the_panel_shows_the_guides_elements(client_a):
    html = client_a.get("/soporte/").content.decode()
    for words in (
        "Clínica Veterinaria Mevetlab",
        "Fernando Pérez",
        "76.123.456-0",
        "Crear ticket",
        "Ver historial",
        "Totales",
        "Historial de tickets",
        "Enviar ticket",
        "Soporte",
        "Comercial",
    ):
        assert words in html, words
    for label in GUIDE_STATES:
        assert label in html
    for state in State:
        assert f'href="/soporte/tickets/?estado={state.value}"' in html


def _totals(html):
    found = re.findall(
        r'class="total total--(\w+)"[^>]*>\s*<span class="total__count">(\d+)</span>', html
    )
    return {state: int(count) for state, count in found}


def test_totals_count_only_the_clinics_visible_tickets(client_a, portal_a, portal_b):
    TicketFactory.create_batch(2, clinic=portal_a.clinic, requester=portal_a)
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, state=State.EN_PROCESO)
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, deleted_at="2026-01-01T00:00Z")
    TicketFactory.create_batch(5, clinic=portal_b.clinic, requester=portal_b)
    totals = _totals(client_a.get("/soporte/").content.decode())
    assert totals == {
        "abierto": 2,
        "en_proceso": 1,
        "cerrado_resuelto": 0,
        "cerrado_con_problema": 0,
        "cerrado_responsabilidad_cliente": 0,
    }


def test_crear_ticket_goes_to_the_form(client_a):
    html = client_a.get("/soporte/tickets/nuevo").content.decode()
    assert "Enviar ticket" in html
    assert "errores, dudas de operación, pantallas que no responden" in html
    assert "pagos, facturas, renovaciones, montos, suscripción" in html
    assert "Qué estaba intentando hacer" in html
    assert "Ejemplo de buen ticket" in html


def _form(client, path="/soporte/tickets/nuevo"):
    html = client.get(path).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
    follows = re.search(r'name="follows_up"(?: value="([^"]*)")?', html).group(1) or ""
    return {"submission_token": token, "follows_up": follows}


def test_creating_a_ticket_confirms_with_the_code_then_shows_the_detail(client_a, portal_a):
    data = {**_form(client_a), "area": "comercial", "detail": GOOD_DETAIL}
    response = client_a.post("/soporte/tickets/nuevo", data, follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == f"/soporte/tickets/{ticket.code}"
    html = response.content.decode()
    assert f"Ticket {ticket.code} creado" in html
    assert "Respuesta del equipo" in html
    assert ticket.clinic == portal_a.clinic
    assert ticket.requester == portal_a
    assert ticket.area == "comercial"
    assert ticket.state == State.ABIERTO
    assert ticket.detail == GOOD_DETAIL


def test_a_double_click_or_a_resubmitted_form_creates_one_ticket(client_a):
    data = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL}
    first = client_a.post("/soporte/tickets/nuevo", data)
    second = client_a.post("/soporte/tickets/nuevo", data)
    assert Ticket.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_form_sent_again_after_es_otro_caso_creates_one_ticket_and_no_gap_in_codes(client_a):
    # The token is not looked up before the INSERT: the refused INSERT finds the first ticket,
    # and its rolled-back number is the next ticket's.
    data = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL, "otro_caso": "1"}
    first = client_a.post("/soporte/tickets/nuevo", data)
    second = client_a.post("/soporte/tickets/nuevo", data, follow=True)
    assert Ticket.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "ya fue enviado" in second.content.decode()
    other = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL, "otro_caso": "1"}
    client_a.post("/soporte/tickets/nuevo", other)
    numbers = sorted(int(code[-5:]) for code in Ticket.objects.values_list("code", flat=True))
    assert numbers == [1, 2]


def test_sending_a_ticket_takes_a_fixed_number_of_queries(
    client_a, portal_a, django_assert_num_queries
):
    data = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL, "otro_caso": "1"}
    # session, user, response targets, SAVEPOINT (the test's transaction), day number, ticket,
    # clinic count, report timing, event, notification, RELEASE; nothing for "Avisar también
    # a" when nobody is chosen, and the form's token is not looked up first.
    with django_assert_num_queries(11), django_assert_num_queries(1, using="vetsync"):
        response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 302
    assert Ticket.objects.count() == 1


def test_two_separate_forms_create_two_tickets(client_a):
    first = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL}
    assert client_a.post("/soporte/tickets/nuevo", first).status_code == 302
    # The same words again: first the open ticket alike to it (test_similar_tickets.py), then
    # "Es otro caso: enviar ticket".
    second = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL}
    assert client_a.post("/soporte/tickets/nuevo", second).status_code == 200
    assert client_a.post("/soporte/tickets/nuevo", {**second, "otro_caso": "1"}).status_code == 302
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    ("detail", "advice"),
    [
        ("No funciona", "qué pantalla no funciona y qué acción estaba haciendo"),
        ("no funciona!!", "qué pantalla no funciona y qué acción estaba haciendo"),
        ("Error en pago", "qué pago, fecha, monto y qué mensaje apareció"),
        ("NO PUEDO ENTRAR", "con qué usuario intenta entrar y qué mensaje aparece"),
        ("Ayuda por favor", "Mejor escriba qué estaba intentando hacer, en qué pantalla"),
        ("   ", "Escriba el detalle del problema o solicitud."),
    ],
)
def test_a_too_general_detail_gets_the_guides_advice(client_a, detail, advice):
    data = {**_form(client_a), "area": "soporte", "detail": detail}
    response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 400
    assert advice in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_text_typed_is_kept_after_an_error(client_a):
    data = {**_form(client_a), "area": "", "detail": GOOD_DETAIL}
    response = client_a.post("/soporte/tickets/nuevo", data)
    html = response.content.decode()
    assert "Seleccione el área: Soporte o Comercial." in html
    assert "Estaba emitiendo una factura comercial" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("submission_token", "no-es-uuid"),
        ("follows_up", "ST-20990101-00001"),
        ("follows_up", "'; DROP TABLE tickets_ticket; --"),
    ],
)
def test_tampered_fields_are_form_errors(client_a, field, value):
    data = {**_form(client_a), "area": "soporte", "detail": GOOD_DETAIL, field: value}
    response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_a_follow_up_from_a_detail_opens_the_form_with_the_earlier_code(client_a, portal_a):
    earlier = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state="cerrado_resuelto")
    detail_html = client_a.get(f"/soporte/tickets/{earlier.code}").content.decode()
    assert f'href="/soporte/tickets/nuevo?sigue={earlier.code}"' in detail_html
    assert "Crear ticket nuevo" in detail_html
    path = f"/soporte/tickets/nuevo?sigue={earlier.code}"
    html = client_a.get(path).content.decode()
    assert f"sigue al ticket {earlier.code}" in html
    data = {**_form(client_a, path), "area": "soporte", "detail": GOOD_DETAIL}
    assert data["follows_up"] == earlier.code
    client_a.post("/soporte/tickets/nuevo", data)
    newer = Ticket.objects.exclude(pk=earlier.pk).get()
    assert newer.follows_up == earlier


@pytest.mark.parametrize("tickets", [1, 30])
def test_the_panel_runs_a_fixed_number_of_queries(
    client_a, portal_a, django_assert_max_num_queries, tickets
):
    TicketFactory.create_batch(tickets, clinic=portal_a.clinic, requester=portal_a)
    # session, user+clinic, VetSync check, totals (kept counts), latest tickets, notices
    with django_assert_max_num_queries(6):
        client_a.get("/soporte/")
