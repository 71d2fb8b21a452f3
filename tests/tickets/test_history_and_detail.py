"""Guide §6-§7: the history (Historial de tickets) and a ticket's detail."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction

from portal.forms import AddInformationForm
from tests.conftest import ALL_DATABASES
from tests.factories import ClinicUserFactory, TicketFactory
from tickets import services
from tickets.limits import MAX_ADDITIONS
from tickets.models import Ticket, TicketAddition
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def codes_in(html):
    return re.findall(r'<span class="code">(ST-\d{8}-\d{5})</span>', html)


def test_history_lists_the_clinics_tickets_newest_first(client_a, portal_a, portal_b):
    mine = TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a)
    foreign = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    html = client_a.get("/soporte/tickets/").content.decode()
    assert codes_in(html) == [t.code for t in reversed(mine)]
    assert foreign.code not in html
    for column in ("Código", "Estado", "Área", "Última respuesta", "Solicitante", "Creado"):
        assert column in html
    assert html.count("Ver detalle") == 3


def test_every_user_of_the_clinic_sees_all_its_tickets(client_a, portal_a):
    colleague = ClinicUserFactory(clinic=portal_a.clinic, full_name="Camila Rojas")
    ticket = TicketFactory(clinic=portal_a.clinic, requester=colleague)
    html = client_a.get("/soporte/tickets/").content.decode()
    assert ticket.code in html
    assert "Camila Rojas" in html


def test_history_shows_the_latest_response_excerpt_and_date(client_a, portal_a, agent):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    services.ticket_respond(ticket=ticket, author=agent, text="Primera respuesta antigua")
    services.ticket_respond(ticket=ticket, author=agent, text="Revisamos el pago y ya quedó")
    html = client_a.get("/soporte/tickets/").content.decode()
    assert "Revisamos el pago y ya quedó" in html
    assert "Primera respuesta antigua" not in html
    assert re.search(r"\(\d{2}-\d{2}-\d{4} \d{2}:\d{2}\)", html)


def test_history_pages_25_at_a_time(client_a, portal_a):
    tickets = TicketFactory.create_batch(30, clinic=portal_a.clinic, requester=portal_a)
    first = client_a.get("/soporte/tickets/").content.decode()
    second = client_a.get("/soporte/tickets/?pagina=2").content.decode()
    assert len(codes_in(first)) == 25
    assert codes_in(second) == [t.code for t in reversed(tickets[:5])]
    assert "Página 1 de 2" in first
    assert "30 tickets" in first
    # A page out of range or not a number gives a page, not an error.
    assert client_a.get("/soporte/tickets/?pagina=99").status_code == 200
    assert client_a.get("/soporte/tickets/?pagina=abc").status_code == 200


def test_history_filters_by_state_and_area(client_a, portal_a):
    open_support = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    in_process = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state="en_proceso")
    commercial = TicketFactory(clinic=portal_a.clinic, requester=portal_a, area="comercial")
    html = client_a.get("/soporte/tickets/?estado=en_proceso").content.decode()
    assert codes_in(html) == [in_process.code]
    html = client_a.get("/soporte/tickets/?area=comercial").content.decode()
    assert codes_in(html) == [commercial.code]
    html = client_a.get("/soporte/tickets/?estado=abierto&area=soporte").content.decode()
    assert codes_in(html) == [open_support.code]


def test_history_searches_by_code_and_by_words_of_the_detail(client_a, portal_a, portal_b):
    lab = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="El módulo laboratorio no imprime"
    )
    clock = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="El reloj control marca mal la hora"
    )
    TicketFactory(clinic=portal_b.clinic, requester=portal_b, detail="laboratorio de la otra")
    assert codes_in(client_a.get("/soporte/tickets/?q=laboratorio").content.decode()) == [lab.code]
    assert codes_in(client_a.get("/soporte/tickets/?q=reloj+hora").content.decode()) == [clock.code]
    assert codes_in(client_a.get(f"/soporte/tickets/?q={lab.code}").content.decode()) == [lab.code]
    assert codes_in(client_a.get(f"/soporte/tickets/?q={lab.code.lower()}").content.decode()) == [
        lab.code
    ]
    html = client_a.get("/soporte/tickets/?q=inexistente").content.decode()
    assert "Ningún ticket coincide con la búsqueda." in html


@pytest.mark.parametrize(
    "query",
    ["estado=borrado", "area=ventas", "q=" + "x" * 500, "estado=%00", "q=%00", "pagina=-1"],
)
def test_tampered_filters_are_messages_not_errors(client_a, portal_a, query):
    TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    response = client_a.get(f"/soporte/tickets/?{query}")
    assert response.status_code == 200


def test_a_tampered_state_filter_says_so(client_a):
    html = client_a.get("/soporte/tickets/?estado=borrado").content.decode()
    assert "Seleccione un estado válido." in html


@pytest.mark.parametrize("tickets", [1, 40])
def test_history_runs_a_fixed_number_of_queries(
    client_a, portal_a, agent, django_assert_max_num_queries, tickets
):
    for ticket in TicketFactory.create_batch(tickets, clinic=portal_a.clinic, requester=portal_a):
        services.ticket_respond(ticket=ticket, author=agent, text="Respuesta")
    # session, user+clinic, VetSync check, count, the page's rows (ids as a subquery)
    with django_assert_max_num_queries(5):
        client_a.get("/soporte/tickets/?estado=abierto&q=factura")
    with django_assert_max_num_queries(5):
        client_a.get("/soporte/tickets/?pagina=2")


def test_detail_shows_every_block_of_the_guide(client_a, portal_a, agent):
    ticket = TicketFactory(
        clinic=portal_a.clinic,
        requester=portal_a,
        area="comercial",
        detail="Primera línea\nSegunda <b>línea</b> & más",
    )
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_respond(ticket=ticket, author=agent, text="Ya revisamos\nel pago.")
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    for block in (
        "Código del ticket",
        ticket.code,
        "Estado",
        "En proceso",
        "El equipo ya lo está revisando",
        "Área",
        "Comercial",
        "Clínica",
        "Clínica Veterinaria Mevetlab",
        "Solicitante",
        "Fernando Pérez",
        "Fecha de creación",
        "Última actualización",
        "Detalle reportado",
        "Respuesta del equipo",
        "Ya revisamos<br>el pago.",
        "Estado: Abierto → En proceso",
    ):
        assert block in html, block
    assert "Primera línea<br>Segunda &lt;b&gt;línea&lt;/b&gt; &amp; más" in html
    assert "<b>línea</b>" not in html


def test_detail_without_a_response_says_it_stays_open(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Todavía no hay respuesta del equipo" in html
    assert "seguirá abierto o en proceso" in html


def test_detail_links_the_earlier_and_the_later_tickets(client_a, portal_a):
    earlier = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    later = TicketFactory(clinic=portal_a.clinic, requester=portal_a, follows_up=earlier)
    earlier_html = client_a.get(f"/soporte/tickets/{earlier.code}").content.decode()
    later_html = client_a.get(f"/soporte/tickets/{later.code}").content.decode()
    assert f'href="/soporte/tickets/{later.code}"' in earlier_html
    assert f'href="/soporte/tickets/{earlier.code}"' in later_html


def test_internal_events_never_reach_the_clinic(client_a, portal_a, agent):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    services.ticket_assign(ticket=ticket, agent=agent, actor=agent)
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "agente.soporte" not in html
    assert "Asignado" not in html


@pytest.mark.parametrize("responses", [1, 12])
def test_detail_runs_a_fixed_number_of_queries(
    client_a, portal_a, agent, django_assert_max_num_queries, responses
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=portal_a, follows_up=ticket)
    for n in range(responses):
        services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
        services.ticket_add_information(ticket=ticket, author=portal_a, text=f"Dato {n}")
    # session, user+clinic, the ticket with its changes, its responses, additions and
    # follow-ups, its files (attachments/); the first opening after the team's responses also
    # clears the "Nueva respuesta" mark. VetSync's check runs on its own database, not counted.
    with django_assert_max_num_queries(6):
        client_a.get(f"/soporte/tickets/{ticket.code}")


def test_the_detail_links_a_ticket_and_its_follow_ups_both_ways(client_a, portal_a):
    earlier = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    later = TicketFactory(clinic=portal_a.clinic, requester=portal_a, follows_up=earlier)
    gone = TicketFactory(clinic=portal_a.clinic, requester=portal_a, follows_up=earlier)
    services.ticket_delete(ticket=gone, actor=portal_a)

    html = client_a.get(f"/soporte/tickets/{earlier.code}").content.decode()
    assert "Tickets que siguen a este:" in html
    assert f'href="/soporte/tickets/{later.code}"' in html
    assert gone.code not in html
    html = client_a.get(f"/soporte/tickets/{later.code}").content.decode()
    assert "Sigue al ticket" in html and f'href="/soporte/tickets/{earlier.code}"' in html
    html = client_a.get(f"/soporte/tickets/{gone.code}")
    assert html.status_code == 404


def test_a_ticket_without_additions_or_follow_ups_skips_their_queries(
    client_a, portal_a, django_assert_max_num_queries
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    client_a.get(f"/soporte/tickets/{ticket.code}")
    # session, user+clinic, the ticket with its changes, its files (attachments/); VetSync's
    # check runs on its own database, not counted
    with django_assert_max_num_queries(4):
        response = client_a.get(f"/soporte/tickets/{ticket.code}")
    assert "Todavía no hay respuesta del equipo" in response.content.decode()


@pytest.mark.parametrize("state", ["abierto", "en_proceso"])
def test_the_clinic_adds_information_while_the_ticket_is_not_closed(client_a, portal_a, state):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state=state)
    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion",
        {"text": "El error aparece también en\nla agenda."},
        follow=True,
    )
    html = response.content.decode()
    assert "La información fue agregada al ticket." in html
    assert "El error aparece también en<br>la agenda." in html
    assert "Información agregada por Fernando Pérez" in html


def test_a_closed_ticket_offers_a_new_ticket_instead(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state="cerrado_resuelto")
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Agregar información" not in html
    assert "Crear ticket nuevo" in html
    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion", {"text": "más"}, follow=True
    )
    assert "no permite agregar información" in response.content.decode()
    assert not ticket.additions.exists()


def test_past_the_limit_of_additions_the_text_stays_with_the_reason(
    client_a, portal_a, client_b, portal_b
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    TicketAddition.objects.bulk_create(
        TicketAddition(ticket=ticket, author=portal_a, text=f"Dato {n}")
        for n in range(MAX_ADDITIONS)
    )
    # The limit is the ticket's own: another clinic's ticket still takes information.
    other = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    added = client_b.post(f"/soporte/tickets/{other.code}/informacion", {"text": "Dato de B"})
    assert added.status_code == 302 and other.additions.count() == 1
    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion", {"text": "Un dato que no quiero perder"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Este ticket ya tiene {MAX_ADDITIONS} informaciones agregadas" in html
    assert "Un dato que no quiero perder</textarea>" in html
    assert ticket.additions.count() == MAX_ADDITIONS


@pytest.mark.parametrize("text", ["", "x" * 5001, "a\x00b"])
def test_bad_information_is_a_form_error(client_a, portal_a, text):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    response = client_a.post(f"/soporte/tickets/{ticket.code}/informacion", {"text": text})
    assert response.status_code == 400
    assert 'class="field__errors"' in response.content.decode()
    assert not ticket.additions.exists()


def test_delete_asks_for_confirmation_then_removes_from_history_and_totals(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    detail = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Eliminar ticket" in detail
    confirm = client_a.get(f"/soporte/tickets/{ticket.code}/eliminar")
    assert confirm.status_code == 200
    assert "Sí, eliminar ticket" in confirm.content.decode()
    assert Ticket.objects.get().deleted_at is None  # GET changes nothing
    response = client_a.post(f"/soporte/tickets/{ticket.code}/eliminar", follow=True)
    assert f"El ticket {ticket.code} fue eliminado." in response.content.decode()
    assert (
        ticket.code
        not in client_a.get("/soporte/tickets/").content.decode().split("fue eliminado")[-1]
    )
    assert client_a.get(f"/soporte/tickets/{ticket.code}").status_code == 404
    panel = client_a.get("/soporte/").content.decode()
    assert (
        '<span class="total__count">0</span>\n        <span class="total__label">Abierto' in panel
    )
    kept = Ticket.objects.get()
    assert kept.deleted_at is not None
    assert kept.events.filter(kind="deleted").exists()


@pytest.mark.parametrize("state", [s for s in State if s != State.ABIERTO])
def test_a_ticket_not_open_has_no_delete_button_and_a_forged_post_changes_nothing(
    client_a, portal_a, state
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state=state)
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Eliminar ticket" not in html
    response = client_a.post(f"/soporte/tickets/{ticket.code}/eliminar", follow=True)
    assert "Solo se puede eliminar un ticket abierto" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.deleted_at is None
    assert ticket.state == state


def test_a_search_pages_without_counting_every_match(client_a, portal_a):
    TicketFactory.create_batch(
        27, clinic=portal_a.clinic, requester=portal_a, detail="La impresora térmica no imprime"
    )
    first = client_a.get("/soporte/tickets/?q=impresora").content.decode()
    second = client_a.get("/soporte/tickets/?q=impresora&pagina=2").content.decode()
    assert len(codes_in(first)) == 25 and len(codes_in(second)) == 2
    assert "Resultados de la búsqueda" in first and "Página 1" in first
    assert "pagina=2" in first and "pagina=2" not in second
    assert client_a.get("/soporte/tickets/?q=impresora&pagina=x").status_code == 200


def test_search_ignores_case_and_treats_like_wildcards_as_text(client_a, portal_a):
    percent = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="Descuento del 100% mal aplicado hoy"
    )
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail="Descuento del 1000 aplicado")
    assert codes_in(client_a.get("/soporte/tickets/?q=DESCUENTO").content.decode()).__len__() == 2
    assert codes_in(client_a.get("/soporte/tickets/?q=100%25").content.decode()) == [percent.code]
    assert codes_in(client_a.get("/soporte/tickets/?q=_").content.decode()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="accented capitals: PostgreSQL")
def test_search_ignores_the_case_of_accented_letters_on_postgresql(client_a, portal_a, portal_b):
    found = TicketFactory(
        clinic=portal_a.clinic, requester=portal_a, detail="ÑANDÚ en la ÁREA de hospitalización"
    )
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail="Otra consulta")
    # The same words in another clinic's ticket: never in this clinic's results.
    TicketFactory(
        clinic=portal_b.clinic, requester=portal_b, detail="ñandú en el área de hospitalización"
    )
    for query in ("ñandú", "área", "Área", "HOSPITALIZACIÓN"):
        page = client_a.get("/soporte/tickets/", {"q": query}).content.decode()
        assert codes_in(page) == [found.code], query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram index: PostgreSQL")
def test_the_search_by_words_can_be_answered_by_the_trigram_index(portal_a):
    """The search's SQL is the index's expression (LOWER(detail)): a rare word is found in the
    index instead of by reading every ticket of the clinic."""
    from tickets import sql

    TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail="La impresora térmica")
    # The word's condition alone: with the clinic's, a table this small is read by clinic.
    statement = "SELECT id FROM tickets_ticket WHERE TRUE " + sql.WORD_FILTER["postgresql"]  # noqa: S608
    params = ["%impresora%"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {statement}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(statement, params)
        found = [row[0] for row in cursor.fetchall()]
    assert "ticket_detail_lower_trgm_idx" in plan
    assert found == [Ticket.objects.get().pk]


class _Textarea(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs, self.text, self._inside = None, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "textarea" and dict(attrs).get("name") == "text":
            self.attrs, self._inside = dict(attrs), True

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.text += data


def textarea(html: str) -> tuple[dict, str]:
    parser = _Textarea()
    parser.feed(html)
    return parser.attrs, parser.text


@pytest.mark.parametrize(
    "text", [None, "", "x" * 5001, "Dato <b>\"uno\"</b> & 'dos'\nsegunda línea"]
)
def test_the_written_out_textarea_is_djangos_widget(client_a, portal_a, text):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    if text is None:
        response = client_a.get(f"/soporte/tickets/{ticket.code}")
        form = AddInformationForm()
    else:
        if text.startswith("Dato"):  # valid, refused by the service: kept beside the reason
            Ticket.objects.filter(pk=ticket.pk).update(state=State.CERRADO_RESUELTO)
        response = client_a.post(f"/soporte/tickets/{ticket.code}/informacion", {"text": text})
        form = AddInformationForm({"text": text})
        if form.is_valid():
            form.add_error("text", "refused")
    assert textarea(response.content.decode()) == textarea(str(form["text"]))
