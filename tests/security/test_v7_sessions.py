"""ASVS 5.0 V7 and V3.3 (sessions and cookies)."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY
from tests.conftest import ALL_DATABASES, login_data
from tests.factories import TicketFactory, update_vetsync

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_v7_2_4_a_new_session_id_at_login(client, user_a):
    client.get("/soporte/login")
    client.session.save()
    anonymous_key = client.session.session_key
    client.post("/soporte/login", login_data(user_a))
    assert client.session.session_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


@pytest.mark.parametrize(
    ("aged", "seconds"),
    [(LAST_SEEN_KEY, 2 * 3600 + 1), (LOGIN_AT_KEY, 8 * 3600 + 1)],
    ids=["idle-2h", "absolute-8h"],
)
def test_v7_3_1_v7_3_2_idle_and_absolute_timeouts(client_a, client_b, aged, seconds):
    session = client_a.session
    session[aged] = int(time.time()) - seconds
    session.save()
    key = session.session_key
    response = client_a.get("/soporte/", follow=True)
    assert response.redirect_chain[0] == ("/soporte/login", 302)
    assert "Su sesión expiró. Ingrese nuevamente." in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert client_a.get("/soporte/").status_code == 302
    assert client_b.get("/soporte/").status_code == 200  # another clinic's session goes on


def test_v7_3_1_activity_keeps_a_session_alive_until_the_absolute_limit(client_a):
    """Just under two hours idle, or three hours after login with recent activity: still in."""
    session = client_a.session
    session[LAST_SEEN_KEY] = int(time.time()) - (2 * 3600 - 60)
    session.save()
    assert client_a.get("/soporte/").status_code == 200
    session = client_a.session
    session[LOGIN_AT_KEY] = int(time.time()) - 3 * 3600
    session.save()
    assert client_a.get("/soporte/").status_code == 200


def test_v7_4_1_logout_is_post_only_and_ends_the_session_on_the_server(client_a):
    key = client_a.session.session_key
    assert client_a.get("/soporte/logout").status_code == 405
    assert Session.objects.filter(session_key=key).exists()
    assert client_a.get("/soporte/").status_code == 200
    response = client_a.post("/soporte/logout")
    assert response.status_code == 302
    assert response["Location"] == "/soporte/login"
    assert not Session.objects.filter(session_key=key).exists()
    assert client_a.get("/soporte/").status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/soporte/").status_code == 302


@pytest.mark.parametrize("what", ["user", "clinic"])
def test_v7_4_2_deactivation_in_vetsync_ends_access_on_the_next_request(
    client_a, user_a, clinic_a, client_b, what
):
    deactivated = user_a if what == "user" else clinic_a
    assert client_a.get("/soporte/").status_code == 200
    update_vetsync(deactivated, is_active=False)
    response = client_a.get("/soporte/", follow=True)
    assert response.redirect_chain[-1][0] == "/soporte/login"
    assert (
        "El usuario o la clínica está inactivo en VetSync. Debe pedir apoyo al administrador "
        "de la clínica."
    ) in response.content.decode()
    assert client_a.get("/soporte/tickets/").status_code == 302
    assert client_b.get("/soporte/").status_code == 200  # another clinic goes on
    update_vetsync(deactivated, is_active=True)
    assert client_a.get("/soporte/").status_code == 302  # the session is gone, not suspended


def test_v3_3_cookies_are_httponly_lax_secure_and_host_prefixed_in_production(client, user_a):
    response = client.post("/soporte/login", login_data(user_a))
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-")
    assert session_cookie["httponly"] and session_cookie["secure"]
    assert session_cookie["samesite"] == "Lax"
    assert session_cookie["path"] == "/" and not session_cookie["domain"]
    # The CSRF cookie: the one a visitor gets with the login page, and the one rotated at login.
    for csrf_cookie in (
        Client().get("/soporte/login").cookies[settings.CSRF_COOKIE_NAME],
        response.cookies[settings.CSRF_COOKIE_NAME],
    ):
        assert csrf_cookie["secure"] and csrf_cookie["samesite"] == "Lax"
        assert csrf_cookie["path"] == "/" and not csrf_cookie["domain"]


def test_v7_4_3_a_logout_control_on_every_page(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    for path in (
        "/soporte/",
        "/soporte/tickets/",
        "/soporte/tickets/nuevo",
        f"/soporte/tickets/{ticket.code}",
        f"/soporte/tickets/{ticket.code}/eliminar",
        "/soporte/tickets/ST-20000101-99999",
    ):
        html = client_a.get(path).content.decode()
        assert 'action="/soporte/logout"' in html, path
        assert "Cerrar sesión" in html, path
