"""Respuestas predefinidas in the agents' desk: agents of the "Agentes" group keep them, the
text's placeholders are checked with a clear message, the list shows how often each was used,
and a clinic user never gets there."""

import pytest
from django.contrib.auth.models import Group

from canned_answers.models import CannedAnswer
from tests.canned_answers.factories import CannedAnswerFactory
from tests.conftest import ALL_DATABASES

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

LIST = "/admin/canned_answers/cannedanswer/"
ADD = f"{LIST}add/"


def test_the_agents_group_keeps_the_canned_answers():
    codenames = set(
        Group.objects.get(name="Agentes")
        .permissions.filter(content_type__app_label="canned_answers")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_cannedanswer",
        "add_cannedanswer",
        "change_cannedanswer",
        "delete_cannedanswer",
    }


def test_an_agent_adds_an_answer_for_one_area(desk):
    response = desk.post(
        ADD,
        {
            "title": "Factura pendiente",
            "area": "comercial",
            "text": "Hola {solicitante}, revisamos la factura de {clinica} ({codigo}).",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    answer = CannedAnswer.objects.get()
    assert (answer.title, answer.area, answer.times_used) == ("Factura pendiente", "comercial", 0)


def test_an_unknown_placeholder_is_a_form_error_and_nothing_is_saved(desk):
    response = desk.post(
        ADD,
        {"title": "Con error", "area": "", "text": "Hola {nombre}, {codigo.__class__}"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Marcador desconocido: {nombre}. Use {clinica}, {solicitante}, {codigo} o {agente}." in html
    )
    assert "Marcador desconocido: {codigo.__class__}." in html
    assert not CannedAnswer.objects.exists()


def test_unbalanced_braces_are_a_form_error_when_changing_an_answer(desk):
    answer = CannedAnswerFactory(text="Hola {clinica}")
    response = desk.post(
        f"{LIST}{answer.pk}/change/",
        {"title": answer.title, "area": "", "text": "Hola {clinica", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "sin su pareja" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == "Hola {clinica}"


def test_the_use_count_is_shown_and_cannot_be_edited(desk):
    answer = CannedAnswerFactory(title="Reinicio de agenda", times_used=7)
    html = desk.get(LIST).content.decode()
    assert "Veces usada" in html
    assert "Reinicio de agenda" in html and '<td class="field-times_used">7</td>' in html
    desk.post(
        f"{LIST}{answer.pk}/change/",
        {"title": "Reinicio", "area": "", "text": "Hola", "is_active": "on", "times_used": "0"},
    )
    answer.refresh_from_db()
    assert (answer.title, answer.times_used) == ("Reinicio", 7)


def test_an_agent_deletes_an_answer(desk):
    answer = CannedAnswerFactory()
    response = desk.post(f"{LIST}{answer.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CannedAnswer.objects.exists()


def test_the_index_names_the_app_in_spanish(desk):
    html = desk.get("/admin/").content.decode()
    assert "Respuestas predefinidas" in html


def test_a_clinic_user_is_refused_every_canned_answers_page(client_a, client_b):
    answer = CannedAnswerFactory()
    for client in (client_a, client_b):
        for path in (LIST, ADD, f"{LIST}{answer.pk}/change/", f"{LIST}{answer.pk}/delete/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/admin/login/")
        response = client.post(ADD, {"title": "x", "area": "", "text": "x", "is_active": "on"})
        assert response.status_code == 302
    assert CannedAnswer.objects.count() == 1
