"""Lockout with django-axes: 5 failures for one account in 15 minutes lock it for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from tests.conftest import ALL_DATABASES, login_data
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

LOCKED = "Acceso bloqueado temporalmente"


def fail(client, user, times, **overrides):
    for _ in range(times):
        response = client.post("/soporte/login", login_data(user, password="mala", **overrides))
    return response


def test_five_failures_lock_the_account_even_for_the_right_password(client, user_a):
    response = fail(client, user_a, 4)
    assert response.status_code == 200
    response = fail(client, user_a, 1)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert response["Retry-After"] == str(15 * 60)
    response = client.post("/soporte/login", login_data(user_a))
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_four_failures_do_not_lock(client, user_a):
    fail(client, user_a, 4)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 302


def test_every_rut_format_counts_against_one_account(client, user_a):
    formats = [
        ("76.123.456-0", "12.345.678-5"),
        ("76123456-0", "12345678-5"),
        ("761234560", "123456785"),
        (" 76.123.456-0 ", "12.345.678-5"),
        ("76123456-0", "12345678-5"),
    ]
    for clinic_rut, user_rut in formats:
        fail(client, user_a, 1, clinic_rut=clinic_rut, user_rut=user_rut)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 429


def test_the_lock_does_not_reveal_whether_the_account_exists(client, user_a):
    real = fail(client, user_a, 5)
    made_up = fail(Client(), user_a, 5, user_rut="11.111.111-1")
    assert real.status_code == made_up.status_code == 429
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(real.content.decode()) == strip(made_up.content.decode())


def test_the_lock_ends_after_fifteen_minutes(client, user_a):
    fail(client, user_a, 5)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert client.post("/soporte/login", login_data(user_a)).status_code == 302


def test_attempts_during_the_lock_do_not_extend_it(client, user_a):
    fail(client, user_a, 5)
    first = AccessAttempt.objects.get().attempt_time
    fail(client, user_a, 3)
    assert AccessAttempt.objects.get().attempt_time == first


def test_a_lock_is_per_account_not_per_clinic(client, user_a, clinic_a):
    from tests.factories import VetSyncUserFactory

    colleague = VetSyncUserFactory(clinic=clinic_a)
    fail(client, user_a, 5)
    assert client.post("/soporte/login", login_data(colleague)).status_code == 302


@override_settings(LOGIN_IP_FAILURE_LIMIT=8)
def test_a_password_spray_from_one_address_is_slowed(client, clinic_a):
    from tests.factories import VetSyncUserFactory

    victims = VetSyncUserFactory.create_batch(4, clinic=clinic_a)
    for victim in victims:
        fail(client, victim, 2)  # under the per-account limit each time
    response = client.post("/soporte/login", login_data(VetSyncUserFactory(clinic=clinic_a)))
    assert response.status_code == 429
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert other_address.post("/soporte/login", login_data(victims[0])).status_code == 302


def test_the_admin_login_is_under_the_same_lockout(client):
    agent = AgentFactory(username="agente")
    for _ in range(5):
        client.post("/admin/login/", {"username": "agente", "password": "mala"})
    response = client.post(
        "/admin/login/", {"username": "agente", "password": "Clave.Correcta.2026"}
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert agent.pk
