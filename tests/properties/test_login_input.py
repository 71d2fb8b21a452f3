"""The login page (/soporte/login) with any text in its three fields: a Spanish answer, never a
server error, and never a session."""

import pytest
from django import forms
from django.contrib.sessions.models import Session
from django.utils.html import escape
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from accounts.forms import INACTIVE_ACCOUNT, INVALID_LOGIN, INVALID_RUT, LoginForm
from accounts.models import User
from tests.conftest import ALL_DATABASES, login_data
from tests.factories import DEFAULT_PASSWORD
from tests.properties.checks import NUL_MESSAGE
from tests.properties.strategies import any_text, rut_like, rut_of, weighted
from vetsync_support.middleware import BODY_LIMIT

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

# The account of the `user_a` fixture in several spellings, often: with them (and a made-up
# account's RUTs) the attempt reaches authenticate(), and five failures lock the account.
made_up = st.builds(rut_of, st.integers(10**6, 10**8 - 1))


def ruts(*spellings: str) -> st.SearchStrategy[str]:
    return weighted(
        (3, st.sampled_from(spellings)), (1, made_up), (1, rut_like()), (2, any_text(*spellings))
    )


clinic_ruts = ruts("76.123.456-0", "761234560", " 76123456-0 ", "76.123.456-0\t")
user_ruts = ruts("12.345.678-5", "12345678-5", "123456785")
passwords = weighted(
    (2, st.sampled_from(["clave", " ", DEFAULT_PASSWORD + " ", DEFAULT_PASSWORD.lower()])),
    (3, any_text()),
)

# What the login form says (accounts/forms.py), and Django's own message for a NUL character
# from its Spanish catalogue.
FORM_MESSAGES = [
    str(INVALID_LOGIN),
    str(INACTIVE_ACCOUNT),
    str(INVALID_RUT),
    "Ingrese el RUT.",
    "Ingrese su contraseña actual de VetSync.",
    "La contraseña es demasiado larga.",
    NUL_MESSAGE,
]
LOCKED_OUT = "Acceso bloqueado temporalmente"
TOO_LARGE = "El texto enviado es demasiado largo."
BAD_REQUEST = "El portal no pudo entender la solicitud."


def field_messages(data: dict) -> list[str]:
    """The messages the login form's fields give for these values (no authentication)."""
    messages = []
    for name, field in LoginForm(request=None).fields.items():
        try:
            field.clean(data[name])
        except forms.ValidationError as error:
            messages += error.messages
    return messages


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(clinic_rut=clinic_ruts, user_rut=user_ruts, password=passwords)
def test_any_login_input_gets_a_spanish_answer_and_no_session(
    client, user_a, clinic_rut, user_rut, password
):
    assume(password != DEFAULT_PASSWORD)
    data = login_data(user_a, password=password, clinic_rut=clinic_rut, user_rut=user_rut)
    users_before = User.objects.count()
    expected = field_messages(data)

    response = client.post("/soporte/login", data)

    event(f"status {response.status_code}")
    event("form errors" if expected else "checked against VetSync")
    html = response.content.decode()
    assert 'lang="es-CL"' in html
    if int(response.wsgi_request.META["CONTENT_LENGTH"]) > BODY_LIMIT:
        assert response.status_code == 413
        assert TOO_LARGE in html
    elif response.status_code == 429:
        assert LOCKED_OUT in html
    elif response.status_code == 400:
        assert BAD_REQUEST in html
    else:
        assert response.status_code == 200, html[:2000]
        assert any(escape(message) in html for message in FORM_MESSAGES), html[:2000]
        # Every field's own message is shown; with none, the one answer for a failed login.
        for message in expected or [str(INVALID_LOGIN)]:
            assert escape(message) in html, (message, html[:2000])
    # No session, no session cookie, no mirrored user.
    assert not Session.objects.exists()
    assert not response.cookies.get("vetsync_session")
    assert User.objects.count() == users_before
