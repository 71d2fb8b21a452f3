"""ASVS 5.0 V6 (authentication): brute force, made-up accounts, passwords as typed, no default
accounts, the admin's login under the same lockout, and one answer for every failure."""

import re
import statistics
import time

import bcrypt
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import (
    BCryptSHA256PasswordHasher,
    PBKDF2PasswordHasher,
    make_password,
)
from django.test import Client, override_settings

from accounts.models import User
from accounts.passwords import check_costs, verify_vetsync_password
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
    """V6.3.1: brute force is controlled per account, whatever way the RUT is written. The
    fifth failure locks the account for 15 minutes, in Spanish, even for the right password."""
    for clinic_rut, user_rut in [
        ("76.123.456-0", "12.345.678-5"),
        ("761234560", "123456785"),
        ("76123456-0", "12345678-5"),
        (" 76.123.456-0", "12.345.678-5 "),
    ]:
        response = _fail(client, user_a, 1, clinic_rut=clinic_rut, user_rut=user_rut)
        assert response.status_code == 200
    locked = _fail(client, user_a, 1)
    assert locked.status_code == 429
    assert "Acceso bloqueado temporalmente" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 429
    assert SESSION_KEY not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "76123456-0:12345678-5"
    }


def test_v6_3_1_four_failures_do_not_lock(client, user_a):
    _fail(client, user_a, 4)
    assert client.post("/soporte/login", login_data(user_a)).status_code == 302


def test_v6_3_1_a_lock_is_per_account_not_per_clinic(client, user_a, clinic_a, user_b):
    """A locked account does not lock its colleagues, from the same address, nor another
    clinic's user with the same address."""
    colleague = VetSyncUserFactory(clinic=clinic_a)
    _fail(client, user_a, 5)
    assert client.post("/soporte/login", login_data(colleague)).status_code == 302
    assert Client().post("/soporte/login", login_data(user_b)).status_code == 302


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
    victims = VetSyncUserFactory.create_batch(3, clinic=clinic_a)
    for victim in victims:
        _fail(client, victim, 2)  # under the per-account limit each time
    newcomer = VetSyncUserFactory(clinic=clinic_a)
    assert client.post("/soporte/login", login_data(newcomer)).status_code == 429
    assert colleague_browser.post("/soporte/login", login_data(user_a)).status_code == 302
    # The known-device cookie opens only the account it was given to.
    colleague_browser.post("/soporte/logout")
    assert colleague_browser.post("/soporte/login", login_data(newcomer)).status_code == 429
    # Only that address is slowed.
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert other_address.post("/soporte/login", login_data(victims[0])).status_code == 302


def test_v6_3_1_a_forged_known_device_cookie_is_ignored(client, clinic_a, user_a):
    from accounts.lockout import KNOWN_DEVICE_COOKIE

    with override_settings(LOGIN_IP_FAILURE_LIMIT=2):
        _fail(client, VetSyncUserFactory(clinic=clinic_a), 2)
        client.cookies[KNOWN_DEVICE_COOKIE] = '["76123456-0:12345678-5"]'
        assert client.post("/soporte/login", login_data(user_a)).status_code == 429


@pytest.mark.parametrize(
    "unknown",
    [{"clinic_rut": "99.999.999-9"}, {"user_rut": "11.111.111-1"}],
    ids=["unknown-clinic", "unknown-user"],
)
def test_v6_3_5_made_up_accounts_behave_like_real_ones(client, user_a, unknown):
    """V6.3.5/V6.3.8: the same page, status and lockout for a made-up account."""
    real = _fail(client, user_a, 5)
    made_up = _fail(Client(), user_a, 5, **unknown)
    assert real.status_code == made_up.status_code == 429
    strip = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(real) == strip(made_up)


def test_v6_3_8_unknown_clinic_unknown_user_and_wrong_password_get_one_answer(
    client, user_a, clinic_b
):
    """V6.3.8: one message and one page (less the values typed back) for every failure; the
    inactive-account message is kept for whoever typed the right password."""
    failures = [
        login_data(user_a, clinic_rut="99.999.999-9"),  # unknown clinic
        login_data(user_a, user_rut="11.111.111-1"),  # unknown user
        login_data(user_a, clinic_rut=clinic_b.rut),  # a user of another clinic
        login_data(user_a, password="no-es-la-clave"),  # wrong password
    ]
    pages = set()
    for data in failures:
        response = client.post("/soporte/login", data)
        assert response.status_code == 200
        assert SESSION_KEY not in client.session
        html = response.content.decode()
        assert "Los datos ingresados no son correctos." in html
        assert "Debe pedir apoyo al administrador de la clínica." not in html
        pages.add(re.sub(r'value="[^"]*"', "", html))
    assert len(pages) == 1


def test_v6_2_password_is_checked_exactly_as_typed_and_long_ones_work(client, clinic_a):
    """V6.2.2/V6.2.9: no stripping, no truncation of 64+ characters."""
    password = " Una frase de paso larga, con espacios y tildes: ñandú-ñandú-ñandú-2026 "
    assert len(password) >= 64
    user = VetSyncUserFactory(clinic=clinic_a, raw_password=password)
    for variant in (password.strip(), password[:-2], password.upper()):
        browser = Client()
        response = browser.post("/soporte/login", login_data(user, password=variant))
        assert response.status_code == 200
        assert "Los datos ingresados no son correctos." in response.content.decode()
        assert SESSION_KEY not in browser.session
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


# Login timing over real gunicorn, for every kind of hash: test_v6_login_timing.py. These check
# the rules behind it in-process: what a login computes, the floor's memory, and the lockout.
class CheaperPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's default hasher at a tenth of its cost: the dummy hash of unknown accounts."""

    iterations = 150_000


REAL_HASHERS = [
    "tests.security.test_v6_authentication.CheaperPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]


def _bare_bcrypt(password: str, cost: int = 10) -> str:
    return "$2y$" + bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=cost)).decode()[4:]


def _cpu_seconds(work) -> float:
    # CPU time of this thread: the work done, which the failed-login floor's sleep does not
    # add to (and which other processes on the machine do not blur).
    started = time.thread_time()
    work()
    return time.thread_time() - started


@override_settings(AXES_ENABLED=False, PASSWORD_HASHERS=REAL_HASHERS)
def test_v6_3_8_a_login_computes_at_most_one_real_hash(clinic_a):
    """The floor is a wait, not work: a failed or successful login costs the CPU of the one
    hash it checks (Django's default hasher for an unknown account), and no more."""
    # Each format at a cost of 40-160 ms here: enough to stand out of a request's own CPU.
    hashes = {
        "pbkdf2_sha256": PBKDF2PasswordHasher().encode(PASSWORD, "sal", iterations=150_000),
        "argon2": make_password(PASSWORD, "argon2"),
        "bcrypt_sha256": BCryptSHA256PasswordHasher().encode(PASSWORD, bcrypt.gensalt(10)),
        "bare bcrypt": _bare_bcrypt(PASSWORD),
    }
    users = {
        name: VetSyncUserFactory(clinic=clinic_a, password=encoded)
        for name, encoded in hashes.items()
    }
    cheap = VetSyncUserFactory(clinic=clinic_a, password=make_password(PASSWORD, "md5"))
    right, wrong = PASSWORD, "Clave.Incorrecta.2026"

    def login_cpu(data) -> float:
        return min(_cpu_seconds(lambda: Client().post("/soporte/login", data)) for _ in "ab")

    # What the rest of a login request costs (queries, form, session, page): an MD5 account's.
    request_cpu = {
        right: login_cpu(login_data(cheap, password=right)),
        wrong: login_cpu(login_data(cheap, password=wrong)),
    }
    attempts = [
        (name, password, login_data(user, password=password), user.password)
        for name, user in users.items()
        for password in (right, wrong)
    ]
    unknown = login_data(users["argon2"], user_rut="11.111.111-1", password=wrong)
    Client().post("/soporte/login", unknown)  # the dummy hash is made once per process
    attempts.append(("unknown user", wrong, unknown, make_password("otra")))
    for name, password, data, encoded in attempts:
        one_hash = min(
            _cpu_seconds(lambda e=encoded: verify_vetsync_password("x", e)) for _ in "ab"
        )
        spent = login_cpu(data) - request_cpu[password]
        assert spent <= one_hash * 1.2 + 0.01, (name, password, spent, one_hash)


@override_settings(AXES_ENABLED=False, LOGIN_FAILURE_SECONDS=0)
def test_v6_3_8_the_floor_remembers_the_slowest_kind_of_hash_checked(clinic_a):
    """With no fixed floor, a failed login waits 1.25x the slowest kind of hash this process
    has checked, however many cheaper checks came after it."""
    slow = VetSyncUserFactory(
        clinic=clinic_a,
        password=PBKDF2PasswordHasher().encode(PASSWORD, "sal-de-prueba", iterations=1_200_000),
    )
    cheap_users = VetSyncUserFactory.create_batch(3, clinic=clinic_a)  # the tests' MD5
    unknown = login_data(slow, user_rut="11.111.111-1", password="Clave.Incorrecta.2026")

    def wall_seconds(data) -> float:
        started = time.perf_counter()
        assert Client().post("/soporte/login", data).status_code == 200
        return time.perf_counter() - started

    wall_seconds(unknown)  # the first request of a process warms its caches
    before = wall_seconds(unknown)
    wall_seconds(login_data(slow, password="Clave.Incorrecta.2026"))
    for user in cheap_users * 5:
        wall_seconds(login_data(user, password="Clave.Incorrecta.2026"))
    after = wall_seconds(unknown)
    # What this process learnt one check of the slow hash costs (measured while it ran, so a
    # busy machine moves the figure and the floor together).
    learnt = check_costs.slowest()
    started = time.perf_counter()
    verify_vetsync_password("otra", cheap_users[0].password)
    cheap = time.perf_counter() - started
    assert learnt > 10 * cheap, (learnt, cheap)  # the slow kind is the one remembered
    # Before the slow hash was checked, an unknown account did not wait that long.
    assert before < learnt, (before, learnt)
    # An unknown account, which checks no such hash, now waits at least 1.25x one such check.
    assert after >= learnt * 1.25, (after, learnt)


@override_settings(LOGIN_FAILURE_SECONDS=0.15)
def test_v6_3_8_a_locked_real_account_and_a_locked_made_up_one_answer_alike(user_a):
    """The lockout answer: the same page, status and time for a real and a made-up account."""
    real = login_data(user_a, password="mala")
    made_up = login_data(user_a, password="mala", clinic_rut="99.999.999-9")
    timings = {"real": [], "made up": []}
    pages = set()
    for _ in range(5):
        Client().post("/soporte/login", real)
        Client().post("/soporte/login", made_up)
    for _ in range(4):
        for name, data in (("real", real), ("made up", made_up)):
            started = time.perf_counter()
            response = Client().post("/soporte/login", data)
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 429
            pages.add(response.content.decode().split('name="csrfmiddlewaretoken"')[0])
    assert len(pages) == 1
    medians = {name: statistics.median(values) for name, values in timings.items()}
    assert abs(medians["real"] - medians["made up"]) <= 0.03, medians
    assert min(medians.values()) >= 0.15
