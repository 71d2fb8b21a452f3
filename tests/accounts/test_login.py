"""Guide §2 and §9: logging in with the real VetSync credentials."""

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import Clinic, User
from tests.conftest import ALL_DATABASES, login_data
from tests.factories import VetSyncClinicFactory, VetSyncUserFactory, update_vetsync

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

INVALID_LOGIN = "Los datos ingresados no son correctos."
INACTIVE = "Debe pedir apoyo al administrador de la clínica."


@pytest.mark.parametrize("path", ["/soporte/login", "/soporte/login/"])
def test_login_page_shows_the_guides_labels(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("RUT clínica", "RUT usuario", "Password", "Entrar al portal de soporte"):
        assert label in html
    assert 'type="password"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_correct_login_shows_clinic_user_and_formatted_rut(client, user_a):
    response = client.post("/soporte/login", login_data(user_a), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/soporte/"
    assert "Clínica Veterinaria Mevetlab" in html
    assert "Fernando Pérez" in html
    assert "76.123.456-0" in html
    assert 'action="/soporte/logout"' in html


@pytest.mark.parametrize(
    ("clinic_rut", "user_rut"),
    [
        ("76.123.456-0", "12.345.678-5"),
        ("76123456-0", "12345678-5"),
        ("761234560", "123456785"),
        ("  76.123.456-0  ", " 12345678-5 "),
    ],
)
def test_every_rut_format_logs_in(client, user_a, clinic_rut, user_rut):
    data = login_data(user_a, clinic_rut=clinic_rut, user_rut=user_rut)
    response = client.post("/soporte/login", data)
    assert response.status_code == 302
    assert response["Location"] == "/soporte/"


def test_lower_case_k_logs_in(client, clinic_b):
    user = VetSyncUserFactory(clinic=clinic_b, rut="16543210-K")
    response = client.post("/soporte/login", login_data(user, user_rut="16.543.210-k"))
    assert response.status_code == 302


def test_invalid_check_digit_is_a_field_error(client, user_a):
    response = client.post("/soporte/login", login_data(user_a, clinic_rut="76.123.456-1"))
    assert response.status_code == 200
    assert "Ingrese un RUT válido" in response.content.decode()
    assert SESSION_KEY not in client.session


def _login_failure_html(client, data):
    response = client.post("/soporte/login", data)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    return response.content.decode()


def test_inactive_user_learns_it_only_with_the_right_password(client, user_a):
    update_vetsync(user_a, is_active=False)
    assert INVALID_LOGIN in _login_failure_html(client, login_data(user_a, password="mala"))
    html = _login_failure_html(client, login_data(user_a))
    assert INACTIVE in html
    assert INVALID_LOGIN not in html


def test_inactive_clinic_learns_it_only_with_the_right_password(client, user_a, clinic_a):
    update_vetsync(clinic_a, is_active=False)
    assert INVALID_LOGIN in _login_failure_html(client, login_data(user_a, password="mala"))
    assert INACTIVE in _login_failure_html(client, login_data(user_a))


def test_login_mirrors_clinic_and_user_without_the_password(client, user_a, clinic_a):
    client.post("/soporte/login", login_data(user_a))
    user = User.objects.get(vetsync_id=user_a.pk)
    assert user.clinic.vetsync_id == clinic_a.pk
    assert user.clinic.rut == "76123456-0"
    assert user.rut == "12345678-5"
    assert user.full_name == "Fernando Pérez"
    assert user.email == user_a.email
    assert not user.has_usable_password()
    assert user_a.password not in (user.password or "")
    assert not user.is_staff and not user.is_superuser


def test_each_login_refreshes_the_mirror(client, user_a, clinic_a):
    client.post("/soporte/login", login_data(user_a))
    client.post("/soporte/logout")
    update_vetsync(clinic_a, name="Mevetlab Providencia")
    update_vetsync(user_a, full_name="Fernando Pérez Soto", email=None)
    client.post("/soporte/login", login_data(user_a))
    assert Clinic.objects.get(vetsync_id=clinic_a.pk).name == "Mevetlab Providencia"
    user = User.objects.get(vetsync_id=user_a.pk)
    assert user.full_name == "Fernando Pérez Soto"
    assert user.email == ""
    assert User.objects.filter(clinic__isnull=False).count() == 1


def test_same_user_rut_in_two_clinics_are_two_portal_users(client, clinic_a, clinic_b):
    in_a = VetSyncUserFactory(clinic=clinic_a, rut="10000000-8", full_name="Ana en A")
    in_b = VetSyncUserFactory(clinic=clinic_b, rut="10000000-8", full_name="Ana en B")
    client.post("/soporte/login", login_data(in_a))
    client.post("/soporte/logout")
    response = client.post("/soporte/login", login_data(in_b), follow=True)
    html = response.content.decode()
    assert "Hospital Veterinario Austral" in html
    assert "Ana en B" in html
    assert User.objects.filter(clinic__isnull=False).count() == 2


def test_a_logged_in_user_visiting_the_login_goes_to_the_panel(client_a):
    response = client_a.get("/soporte/login")
    assert response.status_code == 302
    assert response["Location"] == "/soporte/"


def test_the_panel_requires_login(client):
    response = client.get("/soporte/")
    assert response.status_code == 302
    assert response["Location"] == "/soporte/login"


BAD_VALUES = [
    "",
    "x" * 10_000,
    "' OR '1'='1' --",
    "76123456-0; DROP TABLE vetsync_user;",
    "🐶🐱",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("field", ["clinic_rut", "user_rut", "password"])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_input_in_any_login_field_is_a_form_error(client, user_a, field, value):
    response = client.post("/soporte/login", login_data(user_a, **{field: value}))
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert 'class="field__errors"' in html or 'class="alert alert--error"' in html
    assert "<script>alert(1)</script>" not in html


def test_a_missing_field_is_a_form_error(client, user_a):
    response = client.post("/soporte/login", {"clinic_rut": user_a.clinic.rut})
    assert response.status_code == 200
    assert "Ingrese el RUT." in response.content.decode()
    assert "Ingrese su contraseña actual de VetSync." in response.content.decode()


def test_other_clinic_inactive_does_not_matter(client, user_a):
    VetSyncClinicFactory(is_active=False)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 302
