"""One case, one ticket (issue 16): before a new ticket is created, the clinic sees its own open
tickets whose words match (Tickets parecidos abiertos), and may add the text to one of them
instead (Agregar la información a ST-…) or send it anyway (Es otro caso: enviar ticket)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from tests.attachments.files import png
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets import similar
from tickets.models import Ticket, TicketAddition
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

PRINTER = (
    "La impresora de boletas no imprime desde la pantalla de ventas. Al confirmar la venta "
    "aparece el mensaje de error de conexión con la impresora térmica."
)
SAME_CASE = (
    "Otra vez la impresora térmica no imprime las boletas: en ventas aparece un error de "
    "conexión al confirmar."
)
OTHER_CASE = (
    "Necesitamos cambiar el plan de suscripción a uno anual y recibir la factura a nombre "
    "de la sociedad."
)


def _form(client):
    html = client.get("/soporte/tickets/nuevo").content.decode()
    return {"submission_token": re.search(r'name="submission_token" value="([^"]+)"', html)[1]}


def _send(client, detail, **extra):
    data = {**_form(client), "area": "soporte", "detail": detail, **extra}
    return client.post("/soporte/tickets/nuevo", data)


@pytest.fixture
def printer_a(portal_a):
    return TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail=PRINTER)


@pytest.fixture
def printer_b(portal_b):
    return TicketFactory(clinic=portal_b.clinic, requester=portal_b, detail=PRINTER)


def test_a_ticket_like_an_open_one_first_shows_it(client_a, printer_a, printer_b):
    response = _send(client_a, SAME_CASE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tickets parecidos abiertos" in html
    assert printer_a.code in html
    assert f'name="agregar_a" value="{printer_a.code}"' in html
    assert f"Agregar la información a {printer_a.code}" in html
    assert "Es otro caso: enviar ticket" in html
    assert "La impresora de boletas no imprime" in html  # its first lines
    assert "Otra vez la impresora térmica" in html  # the text typed is kept
    # Never another clinic's ticket, and nothing created yet.
    assert printer_b.code not in html
    assert Ticket.objects.filter(clinic=printer_a.clinic).count() == 1


def test_another_clinics_ticket_never_matches(client_a, portal_a, printer_b):
    response = _send(client_a, SAME_CASE)
    assert response.status_code == 302
    assert Ticket.objects.filter(clinic=portal_a.clinic).count() == 1


def test_closed_and_deleted_tickets_do_not_match(client_a, portal_a):
    TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail=PRINTER, state=State.CERRADO_RESUELTO
    )
    TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail=PRINTER, deleted_at="2026-01-01T00:00Z"
    )
    assert _send(client_a, SAME_CASE).status_code == 302


def test_a_different_case_is_created_at_once(client_a, printer_a):
    response = _send(client_a, OTHER_CASE)
    assert response.status_code == 302
    assert Ticket.objects.filter(clinic=printer_a.clinic).count() == 2


def test_es_otro_caso_creates_the_ticket(client_a, printer_a):
    response = _send(client_a, SAME_CASE, otro_caso="1")
    assert response.status_code == 302
    created = Ticket.objects.exclude(pk=printer_a.pk).get()
    assert response["Location"] == f"/soporte/tickets/{created.code}"
    assert created.detail == SAME_CASE


def test_agregar_la_informacion_adds_the_text_to_that_ticket_once(client_a, portal_a, printer_a):
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE, "agregar_a": printer_a.code}
    first = client_a.post("/soporte/tickets/nuevo", data, follow=True)
    assert first.redirect_chain[-1][0] == f"/soporte/tickets/{printer_a.code}"
    html = first.content.decode()
    assert f"La información fue agregada al ticket {printer_a.code}." in html
    assert "Otra vez la impresora térmica" in html
    # The same form sent again (a double click) adds nothing more.
    second = client_a.post("/soporte/tickets/nuevo", data, follow=True)
    assert "Esta información ya había sido agregada" in second.content.decode()
    addition = TicketAddition.objects.get()
    assert (addition.ticket, addition.author, addition.text) == (printer_a, portal_a, SAME_CASE)
    assert Ticket.objects.count() == 1
    assert printer_a.events.filter(kind="information_added").count() == 1


def test_agregar_with_files_stores_them_on_that_ticket_once(client_a, printer_a):
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE, "agregar_a": printer_a.code}
    for _ in range(2):
        upload = SimpleUploadedFile("error.png", png(), content_type="image/png")
        client_a.post("/soporte/tickets/nuevo", {**data, "attachments": upload})
    assert list(Attachment.objects.values_list("ticket", "name")) == [(printer_a.pk, "error.png")]


def test_agregar_to_another_clinics_ticket_is_refused_and_the_text_kept(
    client_a, printer_a, printer_b
):
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE, "agregar_a": printer_b.code}
    refused = client_a.post("/soporte/tickets/nuevo", data)
    missing = client_a.post("/soporte/tickets/nuevo", {**data, "agregar_a": "ST-20990101-00001"})
    for response, code in ((refused, printer_b.code), (missing, "ST-20990101-00001")):
        assert response.status_code == 400
        html = response.content.decode()
        assert f"El ticket {code} no existe o no pertenece a su clínica." in html
        assert "Otra vez la impresora térmica" in html
    assert not TicketAddition.objects.exists()


def test_agregar_to_a_ticket_closed_meanwhile_is_refused_and_the_text_kept(client_a, printer_a):
    Ticket.objects.filter(pk=printer_a.pk).update(state=State.CERRADO_RESUELTO)
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE, "agregar_a": printer_a.code}
    response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "El ticket ya fue cerrado y no permite agregar información." in html
    assert "Otra vez la impresora térmica" in html
    assert not TicketAddition.objects.exists()


def test_a_text_too_long_for_an_addition_is_refused_with_its_limit(client_a, printer_a):
    long_text = SAME_CASE + " más detalles" * 500
    data = {**_form(client_a), "area": "soporte", "detail": long_text, "agregar_a": printer_a.code}
    response = client_a.post("/soporte/tickets/nuevo", data)
    assert response.status_code == 400
    assert "no puede superar los 5000 caracteres" in response.content.decode()
    assert not TicketAddition.objects.exists()


def test_a_form_sent_twice_after_creating_is_not_stopped_by_its_own_ticket(client_a, printer_a):
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE, "otro_caso": "1"}
    first = client_a.post("/soporte/tickets/nuevo", data)
    # The second send of the same form (without the choice, as a resent first page would)
    # finds the ticket it created: "already sent", not a page of look-alikes.
    data.pop("otro_caso")
    second = client_a.post("/soporte/tickets/nuevo", data)
    assert second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 2


def test_matches_already_seen_while_typing_are_not_shown_again(client_a, printer_a):
    response = _send(client_a, SAME_CASE, vistos=[printer_a.code])
    assert response.status_code == 302
    assert Ticket.objects.count() == 2


def test_files_chosen_on_the_way_are_kept_for_the_choice(client_a, printer_a):
    # tests/attachments/test_kept_files.py follows them to either choice.
    upload = SimpleUploadedFile("pantalla.png", png(), content_type="image/png")
    response = _send(client_a, SAME_CASE, attachments=upload)
    html = response.content.decode()
    assert "Tickets parecidos abiertos" in html
    assert "Este archivo ya está guardado y se enviará con el ticket:" in html
    assert "pantalla.png" in html
    assert not Attachment.objects.exists()


def test_the_page_of_matches_stays_within_the_query_budget(
    client_a, printer_a, django_assert_max_num_queries
):
    data = {**_form(client_a), "area": "soporte", "detail": SAME_CASE}
    with django_assert_max_num_queries(8):  # the pages' budget (docs/performance.json)
        response = client_a.post("/soporte/tickets/nuevo", data)
    assert "Tickets parecidos abiertos" in response.content.decode()


# --- while typing (static/tickets/similar.js) -----------------------------------------------------


def test_matches_while_typing_are_the_clinics_own_as_json(client_a, printer_a, printer_b):
    response = client_a.post("/soporte/tickets/parecidos", {"texto": SAME_CASE})
    assert response.status_code == 200
    assert response.json() == {
        "tickets": [
            {
                "code": printer_a.code,
                "state": "abierto",
                "state_label": "Abierto",
                "excerpt": PRINTER,
                "url": f"/soporte/tickets/{printer_a.code}",
            }
        ]
    }
    assert client_a.post("/soporte/tickets/parecidos", {"texto": OTHER_CASE}).json() == {
        "tickets": []
    }


def test_matches_while_typing_need_a_clinic_session_and_a_post(client, client_a, printer_a):
    assert client_a.get("/soporte/tickets/parecidos", {"texto": SAME_CASE}).status_code == 405
    anonymous = client.__class__().post("/soporte/tickets/parecidos", {"texto": SAME_CASE})
    assert anonymous.status_code == 302
    assert "/soporte/login" in anonymous["Location"]


def test_the_form_loads_the_script_from_the_site_itself(client_a):
    html = client_a.get("/soporte/tickets/nuevo").content.decode()
    assert '<script src="/static/tickets/similar.js" defer></script>' in html
    assert 'id="similar-live"' in html


# --- the rule of likeness ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "open_text", "expected"),
    [
        # Accents, capitals and plurals do not matter.
        (
            "FACTURACION ELECTRONICA rechazada por el SII",
            "La facturación electrónica fue rechazada",
            True,
        ),
        ("Las impresoras no imprimen boletas", "La impresora no imprime la boleta", True),
        # One shared word is not a case.
        ("La agenda no carga", "La impresora no imprime desde la agenda", False),
        # Only common words in common.
        ("Hola, por favor, gracias", "Hola, gracias por todo, por favor", False),
        ("", PRINTER, False),
    ],
)
def test_likeness_folds_accents_and_plurals_and_needs_two_words(portal_a, new, open_text, expected):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail=open_text)
    found = similar.similar_open_tickets(clinic=portal_a.clinic, text=new)
    assert [match.code for match in found] == ([ticket.code] if expected else [])


def test_the_most_alike_come_first_and_at_most_three(portal_a):
    tickets = [
        TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail=PRINTER) for _ in range(4)
    ]
    best = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail=SAME_CASE + " Caja principal."
    )
    found = similar.similar_open_tickets(clinic=portal_a.clinic, text=SAME_CASE + " Caja.")
    assert len(found) == 3
    assert found[0].code == best.code
    # Then the newest of the equally alike.
    assert [match.code for match in found[1:]] == [tickets[3].code, tickets[2].code]


def test_an_excerpt_is_the_first_lines(portal_a):
    detail = "Primera línea.\n\nSegunda línea.\nTercera.\nCuarta que no se ve."
    match = similar.SimilarTicket("ST-1", "abierto", detail, None, 2)  # type: ignore[arg-type]
    assert match.excerpt == "Primera línea.\nSegunda línea.\nTercera. …"
