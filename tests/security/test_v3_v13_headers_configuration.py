"""ASVS 5.0 V3.4 and V13: security headers, caching of ticket pages, hosts, deployment."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

BASE_DIR = Path(__file__).resolve().parents[2]


def _pages(code):
    return [
        "/soporte/",
        "/soporte/tickets/",
        "/soporte/tickets/nuevo",
        f"/soporte/tickets/{code}",
        f"/soporte/tickets/{code}/eliminar",
    ]


def test_v3_4_security_headers_on_every_page(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    for path in [*_pages(ticket.code), "/soporte/login", "/no-existe"]:
        response = client_a.get(path, secure=True)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp, path
        assert "frame-ancestors 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "object-src 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_v13_every_page_with_ticket_data_is_no_store(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    for path in _pages(ticket.code):
        assert "no-store" in client_a.get(path)["Cache-Control"], path
    # The login page too (its form carries the RUTs typed back).
    assert "no-store" in Client().get("/soporte/login")["Cache-Control"]


def test_v13_the_admin_pages_are_no_store_too(client):
    from tests.factories import AgentFactory

    client.force_login(AgentFactory(is_superuser=True))
    ticket = TicketFactory()
    for path in ("/admin/tickets/ticket/", f"/admin/tickets/ticket/{ticket.pk}/change/"):
        assert "no-store" in client.get(path)["Cache-Control"]


def test_v13_a_foreign_host_header_gets_a_400(client):
    response = client.get("/soporte/login", HTTP_HOST="phishing.example")
    assert response.status_code == 400
    assert "Solicitud no válida" in response.content.decode()
    response = client.get("/soporte/login", HTTP_HOST="portal.example:80@evil.example")
    assert response.status_code == 400


def test_v13_check_deploy_is_clean():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP",
        "ALLOWED_HOSTS": "soporte.vetsync.cl",
        "EMAIL_URL": "smtp+tls://u:p@smtp.vetsync.cl:587",
        "PORTAL_BASE_URL": "https://soporte.vetsync.cl",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "no issues" in result.stdout
