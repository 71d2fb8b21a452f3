import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from accounts.passwords import check_costs
from accounts.vetsync_schema import create_vetsync_tables
from tests.factories import DEFAULT_PASSWORD, VetSyncClinicFactory, VetSyncUserFactory

ALL_DATABASES = ["default", "vetsync"]
STATICFILES_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"

FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *settings.PASSWORD_HASHERS,
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The VetSync tables are unmanaged: create them in the VetSync test database."""
    with django_db_blocker.unblock():
        create_vetsync_tables("vetsync")


@pytest.fixture(autouse=True)
def _fast_test_settings():
    # The default hasher stays available for checks; new hashes use a fast one in tests.
    # Templates resolve {% static %} without a collectstatic manifest.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATICFILES_STORAGE}}
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, STORAGES=storages):
        yield
    # Each test starts with an empty cache (the admin's counts are kept there for a while).
    cache.clear()
    # Each test starts with no hash costs learnt: a slow hash checked by one test does not
    # set the failed-login floor (accounts/login_timing.py) of the tests after it.
    check_costs.clear()


@pytest.fixture
def clinic_a():
    return VetSyncClinicFactory(name="Clínica Veterinaria Mevetlab", rut="76123456-0")


@pytest.fixture
def clinic_b():
    return VetSyncClinicFactory(name="Hospital Veterinario Austral", rut="77654321-7")


@pytest.fixture
def user_a(clinic_a):
    return VetSyncUserFactory(clinic=clinic_a, rut="12345678-5", full_name="Fernando Pérez")


@pytest.fixture
def user_b(clinic_b):
    return VetSyncUserFactory(clinic=clinic_b, rut="16543210-K", full_name="Valentina Muñoz")


def login_data(vetsync_user, password=DEFAULT_PASSWORD, **overrides):
    data = {
        "clinic_rut": vetsync_user.clinic.rut,
        "user_rut": vetsync_user.rut,
        "password": password,
    }
    data.update(overrides)
    return data


@pytest.fixture
def login(client):
    """Log a VetSync user into the portal through the real login form."""

    def _login(vetsync_user, password=DEFAULT_PASSWORD, the_client=None):
        the_client = the_client or client
        response = the_client.post("/soporte/login", login_data(vetsync_user, password))
        assert response.status_code == 302, response.content.decode()[:2000]
        return the_client

    return _login


@pytest.fixture
def client_a(client, login, user_a):
    return login(user_a)


@pytest.fixture
def client_b(login, user_b):
    from django.test import Client

    return login(user_b, the_client=Client())


@pytest.fixture
def portal_a(client_a, user_a):
    """The local (mirrored) user of clinic A, after logging in."""
    from accounts.models import User

    return User.objects.select_related("clinic").get(
        vetsync_id=user_a.pk, clinic__vetsync_id=user_a.clinic_id
    )


@pytest.fixture
def portal_b(client_b, user_b):
    from accounts.models import User

    return User.objects.select_related("clinic").get(
        vetsync_id=user_b.pk, clinic__vetsync_id=user_b.clinic_id
    )


@pytest.fixture
def agent():
    from tests.factories import AgentFactory

    return AgentFactory(username="agente.soporte", first_name="Ana", last_name="Agente")


@pytest.fixture
def desk_agent():
    """A SmartAutomate agent in the "Agentes" group."""
    from django.contrib.auth.models import Group

    from tests.factories import AgentFactory

    agent = AgentFactory(username="ana.agente")
    agent.groups.add(Group.objects.get(name="Agentes"))
    return agent


@pytest.fixture
def desk(desk_agent):
    """A browser logged in to the admin as that agent."""
    from django.test import Client

    client = Client()
    client.force_login(desk_agent)
    return client
