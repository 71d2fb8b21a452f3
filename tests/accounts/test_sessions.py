"""Sessions: logout by POST on the server, timeouts, and VetSync deactivation."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client

from accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY
from tests.conftest import ALL_DATABASES
from tests.factories import update_vetsync

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_logout_is_post_only(client_a):
    assert client_a.get("/soporte/logout").status_code == 405
    assert client_a.get("/soporte/").status_code == 200


def test_logout_ends_the_session_on_the_server(client_a):
    session_key = client_a.session.session_key
    response = client_a.post("/soporte/logout")
    assert response.status_code == 302
    assert response["Location"] == "/soporte/login"
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client_a.get("/soporte/").status_code == 302


def test_a_stolen_cookie_is_useless_after_logout(client_a):
    cookie = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    client_a.post("/soporte/logout")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = thief.get("/soporte/")
    assert response.status_code == 302


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_two_hours_idle_ends_the_session(client_a):
    _age_session(client_a, **{LAST_SEEN_KEY: 2 * 3600 + 5})
    response = client_a.get("/soporte/")
    assert response.status_code == 302
    assert response["Location"] == "/soporte/login"
    assert client_a.get("/soporte/").status_code == 302


def test_activity_keeps_the_session_alive(client_a):
    _age_session(client_a, **{LAST_SEEN_KEY: 2 * 3600 - 60})
    assert client_a.get("/soporte/").status_code == 200
    _age_session(client_a, **{LOGIN_AT_KEY: 3 * 3600})
    assert client_a.get("/soporte/").status_code == 200


def test_eight_hours_after_login_the_session_ends_even_when_active(client_a):
    _age_session(client_a, **{LOGIN_AT_KEY: 8 * 3600 + 5, LAST_SEEN_KEY: 10})
    assert client_a.get("/soporte/").status_code == 302


def test_a_user_deactivated_in_vetsync_is_logged_out_on_the_next_request(client_a, user_a):
    assert client_a.get("/soporte/").status_code == 200
    update_vetsync(user_a, is_active=False)
    response = client_a.get("/soporte/", follow=True)
    assert response.redirect_chain[-1][0] == "/soporte/login"
    assert "administrador de la clínica" in response.content.decode()
    update_vetsync(user_a, is_active=True)
    assert client_a.get("/soporte/").status_code == 302  # the session is gone


def test_a_clinic_deactivated_in_vetsync_logs_its_users_out(client_a, clinic_a, client_b):
    update_vetsync(clinic_a, is_active=False)
    assert client_a.get("/soporte/").status_code == 302
    assert client_b.get("/soporte/").status_code == 200


def test_the_vetsync_check_is_one_query(client_a, django_assert_num_queries):
    # The portal: the session, then the user with its clinic (the form page reads nothing
    # else); VetSync: the one check.
    with (
        django_assert_num_queries(2),
        django_assert_num_queries(1, connection=connections["vetsync"]) as vetsync,
    ):
        client_a.get("/soporte/tickets/nuevo")
    assert "is_active" in vetsync.captured_queries[0]["sql"]


def test_session_cookie_flags(client, user_a):
    from tests.conftest import login_data

    response = client.post("/soporte/login", login_data(user_a))
    cookie = response.cookies["__Host-vetsync_session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]
