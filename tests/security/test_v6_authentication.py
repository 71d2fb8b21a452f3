"""ASVS 5.0 V6 (authentication): brute force, made-up accounts, passwords as typed, no default
accounts, the admin's login under the same lockout, and one answer for every failure."""

import random
import statistics
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings

from accounts.models import User
from tests.conftest import ALL_DATABASES, login_data
from tests.factories import AgentFactory, VetSyncUserFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

PASSWORD = "Clave.Correcta.2026"


def _fail(client, user, n, **overrides):
    response = None
    for _ in range(n):
        response = client.post("/soporte/login", login_data(user, password="mala", **overrides))
    return response


def test_v6_3_1_an_account_is_locked_after_five_failures_in_every_rut_format(client, user_a):
    """V6.3.1: brute force is controlled per account, whatever way the RUT is written."""
    for clinic_rut, user_rut in [
        ("76.123.456-0", "12.345.678-5"),
        ("761234560", "123456785"),
        ("76123456-0", "12345678-5"),
        (" 76.123.456-0", "12.345.678-5 "),
    ]:
        _fail(client, user_a, 1, clinic_rut=clinic_rut, user_rut=user_rut)
    assert _fail(client, user_a, 1).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "76123456-0:12345678-5"
    }


def test_v6_3_1_a_lock_cannot_be_made_permanent_by_retrying(client, user_a):
    """V6.3.1: attempts during a lock do not extend it; it ends 15 minutes after it began."""
    from datetime import timedelta

    _fail(client, user_a, 5)
    started = AccessAttempt.objects.get().attempt_time
    _fail(client, user_a, 10)
    assert AccessAttempt.objects.get().attempt_time == started
    AccessAttempt.objects.update(attempt_time=started - timedelta(minutes=15, seconds=1))
    assert client.post("/soporte/login", login_data(user_a)).status_code == 302


@override_settings(LOGIN_IP_FAILURE_LIMIT=6)
def test_v6_3_1_the_address_limit_does_not_lock_a_whole_clinic_behind_one_router(
    client, clinic_a, user_a
):
    """V6.3.1: a spray from the clinic's router slows that address, but a colleague who
    logged in from their own browser before keeps working."""
    colleague_browser = Client()
    assert colleague_browser.post("/soporte/login", login_data(user_a)).status_code == 302
    colleague_browser.post("/soporte/logout")
    for victim in VetSyncUserFactory.create_batch(3, clinic=clinic_a):
        _fail(client, victim, 2)
    newcomer = VetSyncUserFactory(clinic=clinic_a)
    assert client.post("/soporte/login", login_data(newcomer)).status_code == 429
    assert colleague_browser.post("/soporte/login", login_data(user_a)).status_code == 302
    # The known-device cookie opens only the account it was given to.
    colleague_browser.post("/soporte/logout")
    assert colleague_browser.post("/soporte/login", login_data(newcomer)).status_code == 429


def test_v6_3_1_a_forged_known_device_cookie_is_ignored(client, clinic_a, user_a):
    from accounts.lockout import KNOWN_DEVICE_COOKIE

    with override_settings(LOGIN_IP_FAILURE_LIMIT=2):
        _fail(client, VetSyncUserFactory(clinic=clinic_a), 2)
        client.cookies[KNOWN_DEVICE_COOKIE] = '["76123456-0:12345678-5"]'
        assert client.post("/soporte/login", login_data(user_a)).status_code == 429


def test_v6_3_5_made_up_accounts_behave_like_real_ones(client, user_a):
    """V6.3.5/V6.3.8: the same page, status and lockout for a made-up account."""
    real = _fail(client, user_a, 5)
    made_up = _fail(Client(), user_a, 5, clinic_rut="99.999.999-9")
    assert real.status_code == made_up.status_code == 429
    strip = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(real) == strip(made_up)


def test_v6_2_password_is_checked_exactly_as_typed_and_long_ones_work(client, clinic_a):
    """V6.2.2/V6.2.9: no stripping, no truncation of 64+ characters."""
    password = " Una frase de paso larga, con espacios y tildes: ñandú-ñandú-ñandú-2026 "
    assert len(password) >= 64
    user = VetSyncUserFactory(clinic=clinic_a, raw_password=password)
    for variant in (password.strip(), password[:-2], password.upper()):
        response = Client().post("/soporte/login", login_data(user, password=variant))
        assert response.status_code == 200
    assert client.post("/soporte/login", login_data(user, password=password)).status_code == 302


def test_v6_3_2_there_are_no_default_accounts():
    """V6.3.2: migrations create no user; agents are created with createsuperuser."""
    assert not User.objects.exists()


def test_v6_3_1_the_admin_login_is_under_the_same_lockout(client):
    AgentFactory(username="agente")
    for _ in range(5):
        client.post("/admin/login/", {"username": "agente", "password": "mala"})
    response = client.post("/admin/login/", {"username": "agente", "password": PASSWORD})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def _one_attempt(data):
    # The request's CPU time: what an attacker's stopwatch sees of the work done, without the
    # noise of whatever else this shared machine runs meanwhile.
    client = Client()
    start = time.thread_time()
    response = client.post("/soporte/login", data)
    elapsed = time.thread_time() - start
    assert response.status_code == 200
    return response, elapsed


class TimingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 with fewer iterations: one hash still costs ~10x the rest of a login
    request, and the cheaper hash leaves time for enough rounds to make the medians steady
    on a shared machine."""

    iterations = 120_000


@override_settings(
    AXES_ENABLED=False,
    PASSWORD_HASHERS=["tests.security.test_v6_authentication.TimingPBKDF2PasswordHasher"],
)
def test_v6_3_8_same_message_status_and_timing_for_every_failure(clinic_a):
    """V6.3.8: unknown clinic, unknown user and wrong password are indistinguishable: same
    page, same status, and the same work (one PBKDF2 hash): medians within 20%."""
    user = VetSyncUserFactory(clinic=clinic_a, rut="12345678-5")
    cases = {
        "unknown clinic": login_data(user, password=PASSWORD, clinic_rut="99.999.999-9"),
        "unknown user": login_data(user, password=PASSWORD, user_rut="11.111.111-1"),
        "wrong password": login_data(user, password="Clave.Incorrecta.2026"),
    }
    timings = {name: [] for name in cases}
    pages = {}
    # Interleaved rounds in a shuffled order, so that whatever else the machine does (and
    # whatever comes first in a round) weighs on every case alike.
    order = list(cases.items())
    for round_number in range(25):
        random.Random(round_number).shuffle(order)
        for name, data in order:
            response, elapsed = _one_attempt(data)
            timings[name].append(elapsed)
            pages[name] = response.content.decode().split('name="csrfmiddlewaretoken"')[0]
    assert len(set(pages.values())) == 1
    medians = {name: statistics.median(values) for name, values in timings.items()}
    assert max(medians.values()) <= min(medians.values()) * 1.2, medians
