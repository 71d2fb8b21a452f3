"""ASVS 5.0 V1 and V2 (encoding, validation): hostile text is stored as typed and shown as
text in the portal, the admin and the e-mails; oversized and binary input is refused."""

import json
import logging
import re

import pytest
from django.test import Client, override_settings
from django.utils.html import escape

from tests.conftest import ALL_DATABASES, login_data
from tests.factories import AgentFactory
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

PAYLOADS = [
    "<script>alert('xss')</script> en el módulo pagos & al emitir la factura de Luna",
    '"><img src=x onerror=alert(1)> en la agenda cuando guardo la vacuna de la mascota',
    'javascript:alert(1) <a href="javascript:alert(2)">clic</a> en el laboratorio hoy',
    "<svg/onload=alert(1)>{{ 7*7 }}{% debug %} en reloj control al marcar la salida",
]


def _token(client, path="/soporte/tickets/nuevo"):
    html = client.get(path).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_v1_2_payloads_render_as_text_in_the_portal_and_the_admin(client_a, payload):
    client_a.post(
        "/soporte/tickets/nuevo",
        {"submission_token": _token(client_a), "area": "soporte", "detail": payload},
    )
    ticket = Ticket.objects.get()
    assert ticket.detail == payload  # stored exactly as typed
    agent = AgentFactory(is_superuser=True)
    services.ticket_respond(ticket=ticket, author=agent, text=payload)
    desk = Client()
    desk.force_login(agent)
    for client, url in [
        (client_a, f"/soporte/tickets/{ticket.code}"),
        (client_a, "/soporte/tickets/"),
        (client_a, "/soporte/"),
        (desk, f"/admin/tickets/ticket/{ticket.pk}/change/"),
    ]:
        html = client.get(url).content.decode()
        for raw in ("<script>alert", "<img src=x", '<a href="javascript', "<svg/onload"):
            assert raw not in html, (url, raw)


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_v1_2_payloads_are_text_in_the_emails(
    portal_a, mailoutbox, django_capture_on_commit_callbacks
):
    agent = AgentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = services.ticket_create(
            clinic=portal_a.clinic, requester=portal_a, area="soporte", detail=PAYLOADS[0]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_respond(ticket=ticket, author=agent, text=PAYLOADS[1])
    html_parts = [
        content
        for message in mailoutbox
        for content, mime in message.alternatives
        if mime == "text/html"
    ]
    assert len(html_parts) == 2  # the team's notice and the clinic's response
    for html in html_parts:
        assert "<img src=x" not in html
        assert "<script>" not in html
    # Escaped in HTML, as typed in plain text.
    created, responded = mailoutbox
    assert escape(PAYLOADS[0]) in html_parts[0]
    assert escape(PAYLOADS[1]) in html_parts[1]
    assert PAYLOADS[0] in created.body
    assert PAYLOADS[1] in responded.body
    for message in mailoutbox:
        assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/soporte/tickets/nuevo", "detail"),
        ("/soporte/login", "clinic_rut"),
        ("/soporte/login", "user_rut"),
        ("/soporte/login", "password"),
    ],
)
def test_v2_2_nul_bytes_are_a_spanish_form_error(client_a, user_a, path, field):
    the_client = client_a if path.startswith("/soporte/tickets") else Client()
    data = (
        {"submission_token": _token(client_a), "area": "soporte", "detail": "x" * 40}
        if path.startswith("/soporte/tickets")
        else login_data(user_a)
    )
    data[field] = data[field][:10] + "\x00" + data[field][10:]
    response = the_client.post(path, data)
    assert response.status_code in (200, 400)
    assert "Los caracteres nulos no están permitidos." in response.content.decode()
    assert not Ticket.objects.exists()


def test_v2_2_a_10000_character_field_is_a_form_error(client_a):
    detail = "Estaba emitiendo una factura en el módulo pagos y apareció un error. "
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"submission_token": _token(client_a), "area": "soporte", "detail": "x" * 10_001},
    )
    assert response.status_code == 400
    assert "no puede superar los 10000 caracteres (tiene 10001)" in response.content.decode()
    assert not Ticket.objects.exists()
    exactly_10000 = detail + "x" * (10_000 - len(detail))
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"submission_token": _token(client_a), "area": "soporte", "detail": exactly_10000},
    )
    assert response.status_code == 302
    assert Ticket.objects.get().detail == exactly_10000


def test_v2_2_a_3_mb_body_is_a_spanish_413(client_a):
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"submission_token": _token(client_a), "area": "soporte", "detail": "x" * 3_000_000},
    )
    assert response.status_code == 413
    assert "Solicitud demasiado grande" in response.content.decode()
    assert not Ticket.objects.exists()


def test_v2_2_a_3_mb_login_is_a_413_not_a_500(client):
    response = client.post(
        "/soporte/login", {"clinic_rut": "x" * 3_000_000, "user_rut": "1", "password": "x"}
    )
    assert response.status_code == 413


def test_v2_2_allow_list_of_areas_and_states(client_a):
    for area in ("ventas", "SOPORTE", "soporte ", "", "<script>"):
        response = client_a.post(
            "/soporte/tickets/nuevo",
            {"submission_token": _token(client_a), "area": area, "detail": "x" * 40},
        )
        assert response.status_code == 400
    assert client_a.get("/soporte/tickets/?estado=abierto%27--").status_code == 200
    assert not Ticket.objects.exists()


def test_v16_crlf_in_inputs_cannot_forge_log_lines(client, user_a, caplog):
    from vetsync_support.logging import StructuredFormatter

    forged = '76.123.456-0\r\n{"event": "login.success", "user_rut": "admin"}'
    with caplog.at_level(logging.INFO, logger="vetsync.auth"):
        client.post("/soporte/login", login_data(user_a, clinic_rut=forged))
    formatter = StructuredFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert lines
    for line in lines:
        assert "\n" not in line and "\r" not in line
        json.loads(line)
    assert not any(json.loads(line)["event"] == "login.success" for line in lines)
