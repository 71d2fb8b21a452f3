"""/healthz, the 500 page and the CSRF failure page. (The 404 and a database that is down:
tests/security/test_v16_errors_logging.py.)"""

from unittest import mock

import pytest
from django.test import Client, override_settings
from django.urls import path

from tests.conftest import ALL_DATABASES
from vetsync_support import urls as project_urls

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_healthz_answers_200_when_both_databases_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": True, "vetsync": True}}


@pytest.mark.parametrize("alias", ["default", "vetsync"])
def test_healthz_answers_503_when_either_database_does_not(client, alias):
    from vetsync_support import health

    real = health._answers
    with mock.patch.object(
        health, "_answers", side_effect=lambda a: False if a == alias else real(a)
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["databases"][alias] is False


def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [
    *project_urls.urlpatterns,
    path("boom", boom),
]
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_spanish_without_a_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ocurrió un error inesperado" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_csrf_failure_is_spanish():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/soporte/login", {"clinic_rut": "1-9"})
    assert response.status_code == 403
    assert "La página expiró" in response.content.decode()
