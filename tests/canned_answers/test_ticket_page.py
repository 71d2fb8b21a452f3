"""The canned answers on a ticket's page in the admin: the picker offers the active answers of
the ticket's area and of every area, "Usar respuesta" without JavaScript brings the page back
with THIS ticket's values in the response, and a published response counts one use of each
answer it came from (a preview counts nothing)."""

import json
import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission

from canned_answers.models import CannedAnswer
from tests.canned_answers.factories import CannedAnswerFactory
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, ClinicUserFactory, TicketFactory
from tickets import services
from tickets.models import TicketEvent
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

TEXT = "Hola {solicitante}: revisamos {codigo} de {clinica}. {solicitante}, saludos de {agente}."


def change_url(ticket, query=""):
    return f"/admin/tickets/ticket/{ticket.pk}/change/{query}"


def two_clinics_tickets():
    """A Soporte ticket of each of two clinics, with their people's names."""
    tickets = []
    for clinic_name, person in (
        ("Clínica Veterinaria Mevetlab", "Fernando Pérez"),
        ("Hospital Veterinario Austral", "Valentina Muñoz"),
    ):
        clinic = ClinicFactory(name=clinic_name)
        requester = ClinicUserFactory(clinic=clinic, full_name=person)
        tickets.append(TicketFactory(clinic=clinic, requester=requester, area="soporte"))
    return tickets


def picker_options(html: str) -> list[str]:
    select = re.search(r'<select id="id_canned_answers".*?</select>', html, re.S).group(0)
    return [unescape(t).strip() for t in re.findall(r'<option value="\d+"[^>]*>([^<]*)', select)]


def textarea(html: str, name: str = "response") -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return unescape(match.group(1))


def used_field(html: str) -> str:
    return re.search(r'name="canned_answers" id="id_canned_answers_used" value="([^"]*)"', html)[1]


def post_data(ticket, **overrides):
    data = {"state": ticket.state, "assigned_to": "", "response": "", "note": ""}
    data.update(overrides)
    return data


# --- the picker ----------------------------------------------------------------------------


def test_the_picker_offers_the_active_answers_of_the_area_and_of_every_area(desk):
    CannedAnswerFactory(title="B soporte", area="soporte")
    CannedAnswerFactory(title="A todas", area="")
    CannedAnswerFactory(title="C comercial", area="comercial")
    CannedAnswerFactory(title="D soporte inactiva", area="soporte", is_active=False)
    soporte = TicketFactory(area="soporte")
    comercial = TicketFactory(area="comercial")

    html = desk.get(change_url(soporte)).content.decode()
    assert picker_options(html) == ["A todas (todas las áreas)", "B soporte"]
    assert "Usar respuesta" in html
    html = desk.get(change_url(comercial)).content.decode()
    assert picker_options(html) == ["A todas (todas las áreas)", "C comercial"]


def test_without_answers_for_the_area_the_page_says_so(desk):
    CannedAnswerFactory(area="comercial")
    html = desk.get(change_url(TicketFactory(area="soporte"))).content.decode()
    assert "No hay respuestas predefinidas activas para el área de este ticket." in html
    assert "Usar respuesta" not in html


def test_the_embedded_texts_are_this_tickets_and_escaped(desk, desk_agent):
    mine, other = two_clinics_tickets()
    mine.clinic.name = "Clínica </script><script>alert(1)</script>"
    mine.clinic.save()
    answer = CannedAnswerFactory(text=TEXT)
    html = desk.get(change_url(mine)).content.decode()
    block = re.search(
        r'<script id="canned-answers-texts" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    texts = json.loads(block)
    assert texts == {
        str(answer.pk): {
            "title": answer.title,
            "text": (
                f"Hola Fernando Pérez: revisamos {mine.code} de "
                "Clínica </script><script>alert(1)</script>. Fernando Pérez, saludos de "
                f"{desk_agent.display_name}."
            ),
        }
    }
    assert "<script>alert(1)" not in html
    assert other.clinic.name not in html and other.code not in html


def test_the_page_runs_no_inline_script_only_the_vendored_one(desk):
    CannedAnswerFactory()
    html = desk.get(change_url(TicketFactory())).content.decode()
    assert "canned_answers/picker.js" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    # The list and the button belong to the GET form outside the ticket's form.
    assert '<form id="canned-answer-picker" method="get"></form>' in html
    assert re.search(
        r'<select id="id_canned_answers" name="respuesta_predefinida" '
        r'form="canned-answer-picker"',
        html,
    )
    assert re.search(r'<button type="submit" class="button" form="canned-answer-picker"', html)


def test_no_picker_on_a_deleted_ticket_or_for_an_agent_who_cannot_respond(desk):
    CannedAnswerFactory()
    deleted = TicketFactory()
    services.ticket_delete(ticket=deleted, actor=deleted.requester)
    assert "Usar respuesta" not in desk.get(change_url(deleted)).content.decode()

    from django.test import Client

    agent = AgentFactory()
    agent.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_ticket", "change_ticket", "view_cannedanswer"]
        )
    )
    client = Client()
    client.force_login(agent)
    html = client.get(change_url(TicketFactory())).content.decode()
    assert 'name="response"' not in html and "Usar respuesta" not in html


# --- without JavaScript: the page comes back with the text ---------------------------------


def test_usar_respuesta_without_javascript_fills_the_response_with_this_tickets_values(
    desk, desk_agent
):
    mine, other = two_clinics_tickets()
    answer = CannedAnswerFactory(text=TEXT)
    for ticket, clinic, person in (
        (mine, "Clínica Veterinaria Mevetlab", "Fernando Pérez"),
        (other, "Hospital Veterinario Austral", "Valentina Muñoz"),
    ):
        response = desk.get(change_url(ticket, f"?respuesta_predefinida={answer.pk}"))
        assert response.status_code == 200
        html = response.content.decode()
        assert textarea(html) == (
            f"Hola {person}: revisamos {ticket.code} de {clinic}. {person}, saludos de "
            f"{desk_agent.display_name}."
        )
        assert used_field(html) == str(answer.pk)
        assert f'<option value="{answer.pk}" selected>' in html
    answer.refresh_from_db()
    assert answer.times_used == 0  # looking is not using


def test_an_answer_the_picker_does_not_offer_is_a_warning_not_a_500(desk):
    ticket = TicketFactory(area="soporte")
    comercial = CannedAnswerFactory(area="comercial")
    inactive = CannedAnswerFactory(is_active=False)
    for value in (comercial.pk, inactive.pk, 999999, "abc", "1e3", "٣", "9" * 40):
        response = desk.get(change_url(ticket, f"?respuesta_predefinida={value}"))
        assert response.status_code == 200, value
        html = response.content.decode()
        assert "La respuesta predefinida elegida no existe, no está activa" in html
        assert textarea(html) == ""
        assert used_field(html) == ""


def test_the_reload_keeps_the_lists_filters(desk):
    answer = CannedAnswerFactory()
    ticket = TicketFactory()
    query = f"?_changelist_filters=state__exact%3Dabierto&respuesta_predefinida={answer.pk}"
    html = desk.get(change_url(ticket, query)).content.decode()
    assert (
        '<input type="hidden" name="_changelist_filters" value="state__exact=abierto" '
        'form="canned-answer-picker">' in html
    )
    action = unescape(re.search(r'<form [^>]*action="([^"]*)" method="post"', html)[1])
    assert action == change_url(ticket, "?_changelist_filters=state__exact%3Dabierto")


# --- the use count ------------------------------------------------------------------------


def test_a_published_response_counts_one_use_and_the_clinic_reads_it(
    desk, desk_agent, client_a, portal_a, client_b, portal_b
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    answer = CannedAnswerFactory(title="Agenda corregida", text="Listo {solicitante}.")
    html = desk.get(change_url(ticket, f"?respuesta_predefinida={answer.pk}")).content.decode()
    edited = textarea(html) + " Revisamos la agenda de Luna."
    response = desk.post(
        change_url(ticket),
        post_data(ticket, state=State.EN_PROCESO, response=edited, canned_answers=str(answer.pk)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    answer.refresh_from_db()
    assert answer.times_used == 1
    ticket.refresh_from_db()
    assert ticket.latest_response.text == "Listo Fernando Pérez. Revisamos la agenda de Luna."
    event = ticket.events.get(kind=TicketEvent.Kind.RESPONSE_PUBLISHED)
    assert event.description == "Con la respuesta predefinida «Agenda corregida»"
    assert (
        "Con la respuesta predefinida «Agenda corregida»"
        in desk.get(change_url(ticket)).content.decode()
    )
    clinic_page = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Listo Fernando Pérez. Revisamos la agenda de Luna." in clinic_page
    assert "Agenda corregida" not in clinic_page  # the event's note is the team's
    assert client_b.get(f"/soporte/tickets/{ticket.code}").status_code == 404

    # A second response from the same answer is a second use.
    desk.post(
        change_url(ticket), post_data(ticket, response="Otra vez", canned_answers=str(answer.pk))
    )
    answer.refresh_from_db()
    assert answer.times_used == 2


def test_two_answers_in_one_response_count_once_each(desk):
    ticket = TicketFactory()
    first, second, untouched = CannedAnswerFactory.create_batch(3)
    desk.post(
        change_url(ticket),
        post_data(
            ticket,
            response="Texto de dos respuestas",
            canned_answers=f"{first.pk},{second.pk},{first.pk}",
        ),
    )
    counts = dict(CannedAnswer.objects.values_list("pk", "times_used"))
    assert counts == {first.pk: 1, second.pk: 1, untouched.pk: 0}
    event = ticket.events.get(kind=TicketEvent.Kind.RESPONSE_PUBLISHED)
    assert event.description == (
        f"Con las respuestas predefinidas «{first.title}», «{second.title}»"
    )


def test_no_response_published_no_use_counted(desk):
    ticket = TicketFactory()
    answer = CannedAnswerFactory()
    for _preview in range(3):
        desk.get(change_url(ticket, f"?respuesta_predefinida={answer.pk}"))
    # The agent moved the ticket but emptied the response before saving.
    response = desk.post(
        change_url(ticket),
        post_data(ticket, state=State.EN_PROCESO, response="  ", canned_answers=str(answer.pk)),
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.times_used == 0
    assert not ticket.responses.exists()


def test_a_response_without_an_answer_counts_nothing_and_names_none(desk):
    ticket = TicketFactory()
    answer = CannedAnswerFactory()
    desk.post(change_url(ticket), post_data(ticket, response="Escrita a mano"))
    answer.refresh_from_db()
    assert answer.times_used == 0
    assert ticket.events.get(kind=TicketEvent.Kind.RESPONSE_PUBLISHED).description == ""
    # The admin's history names the picker only when an answer was used.
    assert "Respuesta predefinida" not in LogEntry.objects.get().get_change_message()
    desk.post(change_url(ticket), post_data(ticket, response="Otra", canned_answers=answer.pk))
    assert "Respuesta predefinida" in LogEntry.objects.latest("pk").get_change_message()


def test_ids_the_picker_did_not_offer_are_dropped_and_the_response_still_published(desk):
    ticket = TicketFactory(area="soporte")
    offered = CannedAnswerFactory(area="soporte")
    comercial = CannedAnswerFactory(area="comercial")
    inactive = CannedAnswerFactory(is_active=False)
    response = desk.post(
        change_url(ticket),
        post_data(
            ticket,
            response="Respuesta",
            canned_answers=f"{comercial.pk},{inactive.pk},abc,,-1,{offered.pk},99999",
        ),
    )
    assert response.status_code == 302
    counts = dict(CannedAnswer.objects.values_list("pk", "times_used"))
    assert counts == {offered.pk: 1, comercial.pk: 0, inactive.pk: 0}
    assert ticket.responses.get().text == "Respuesta"


def test_a_response_the_services_refuse_counts_nothing(desk):
    ticket = TicketFactory()
    answer = CannedAnswerFactory()
    desk.get(change_url(ticket))
    # Between the page and the save, the clinic deleted the ticket.
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    response = desk.post(
        change_url(ticket),
        post_data(ticket, response="Respuesta", canned_answers=str(answer.pk)),
        follow=True,
    )
    assert "No se guardó ningún cambio" in response.content.decode()
    answer.refresh_from_db()
    assert answer.times_used == 0


# --- the page's cost ------------------------------------------------------------------------


def test_the_ticket_page_with_canned_answers_takes_one_query_more(
    desk, django_assert_max_num_queries
):
    # tests/desk/test_ticket_admin.py: 7 queries for a ticket with no texts before the canned
    # answers; their picker adds one, however many answers there are.
    for area in ("", "soporte", "comercial"):
        CannedAnswerFactory.create_batch(5, area=area)
    ticket = TicketFactory(area="soporte")
    desk.get(change_url(ticket))  # the session's idle clock, as on any page
    with django_assert_max_num_queries(8):
        response = desk.get(change_url(ticket))
    assert len(picker_options(response.content.decode())) == 10
    chosen = CannedAnswer.objects.filter(area="soporte").first()
    with django_assert_max_num_queries(8):
        response = desk.get(change_url(ticket, f"?respuesta_predefinida={chosen.pk}"))
    assert textarea(response.content.decode()) != ""


def test_after_saving_and_continuing_the_page_does_not_fill_the_text_again(desk):
    ticket = TicketFactory()
    answer = CannedAnswerFactory(text="Texto {codigo}")
    url = change_url(ticket, f"?respuesta_predefinida={answer.pk}")
    html = desk.get(url).content.decode()
    # The ticket's form posts to the page without the reload's parameter.
    action = unescape(re.search(r'<form [^>]*action="([^"]*)" method="post"', html)[1])
    assert action == change_url(ticket)
    response = desk.post(
        action,
        post_data(ticket, response=textarea(html), canned_answers=used_field(html), _continue="1"),
    )
    assert response.status_code == 302
    assert "respuesta_predefinida" not in response["Location"]
    html = desk.get(response["Location"]).content.decode()
    assert textarea(html) == "" and used_field(html) == ""
    answer.refresh_from_db()
    assert answer.times_used == 1
    assert ticket.responses.get().text == f"Texto {ticket.code}"
