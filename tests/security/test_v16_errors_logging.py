"""ASVS 5.0 V16: logging of security events, error pages, and failing closed."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from tests.conftest import ALL_DATABASES, login_data
from tests.factories import TicketFactory
from vetsync_support.logging import StructuredFormatter

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def _events(caplog):
    formatter = StructuredFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name.startswith("vetsync")]


def test_v16_3_1_every_login_attempt_is_logged_with_the_ruts_and_never_the_password(
    client, user_a, caplog
):
    with caplog.at_level(logging.INFO):
        client.post("/soporte/login", login_data(user_a, password="Secreto.Malo.1"))
        client.post("/soporte/login", login_data(user_a))
    events = _events(caplog)
    kinds = [e["event"] for e in events]
    assert "login.failure" in kinds and "login.success" in kinds
    failure = next(e for e in events if e["event"] == "login.failure")
    assert failure["clinic_rut"] and failure["user_rut"] and failure["ip"]
    everything = caplog.text + json.dumps(events)
    assert "Secreto.Malo.1" not in everything
    assert "Clave.Correcta.2026" not in everything


def test_v16_3_2_lockouts_are_logged(client, user_a, caplog):
    with caplog.at_level(logging.INFO):
        for _ in range(6):
            client.post("/soporte/login", login_data(user_a, password="mala"))
    assert "login.locked_out" in [e["event"] for e in _events(caplog)]


def test_v16_3_2_refused_access_is_logged(client_b, portal_a, caplog):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    with caplog.at_level(logging.INFO):
        client_b.get(f"/soporte/tickets/{ticket.code}")
    refused = [e for e in _events(caplog) if e["event"] == "access.refused"]
    assert refused and refused[0]["status"] == 404
    assert refused[0]["clinic_rut"] == "77654321-7"
    assert refused[0]["path"] == f"/soporte/tickets/{ticket.code}"


@pytest.mark.parametrize(
    ("status", "path", "words"),
    [
        (404, "/soporte/tickets/ST-20000101-00001", "Página no encontrada"),
        (404, "/soporte/no-existe", "Página no encontrada"),
    ],
)
def test_v16_5_error_pages_are_spanish_without_a_trace(client_a, status, path, words):
    response = client_a.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert words in html and "Traceback" not in html
    assert "portal.css" in html  # in the portal's layout


@pytest.mark.parametrize("alias", ["default", "vetsync"])
def test_v16_5_a_database_down_gives_a_spanish_503_fails_closed_and_recovers(
    client_a, user_a, alias
):
    connection = connections[alias]

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refuse):
        login = Client(raise_request_exception=False).post("/soporte/login", login_data(user_a))
        logged_in = Client(raise_request_exception=False)
        logged_in.cookies = client_a.cookies
        page = logged_in.get("/soporte/tickets/")
    for answer in (login, page):
        assert answer.status_code == 503
        assert answer["Retry-After"] == "30"
        html = answer.content.decode()
        assert "Servicio no disponible" in html
        assert "Historial de tickets" not in html  # fail closed: nothing of the portal
        assert "Traceback" not in html
    # The database is back: the same session and a new login work without a restart.
    assert client_a.get("/soporte/tickets/").status_code == 200
    assert Client().post("/soporte/login", login_data(user_a)).status_code == 302
