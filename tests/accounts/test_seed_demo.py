from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.demo_data import DEMO_CLINICS
from accounts.models import VetSyncClinic, VetSyncUser
from tests.conftest import ALL_DATABASES

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_seed_demo_loads_clinics_and_prints_credentials_and_is_idempotent(client):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert VetSyncClinic.objects.count() == 3
    assert VetSyncUser.objects.count() == sum(len(c.users) for c in DEMO_CLINICS)
    assert VetSyncClinic.objects.filter(is_active=False).count() == 1
    assert VetSyncUser.objects.filter(is_active=False).count() == 1
    printed = out.getvalue()
    assert "76.123.456-0" in printed and "Mevetlab.2026" in printed
    response = client.post(
        "/soporte/login",
        {"clinic_rut": "76.123.456-0", "user_rut": "15.987.654-3", "password": "Recepcion.2026"},
    )
    assert response.status_code == 302  # the demo's bare bcrypt user


@override_settings(VETSYNC_DATABASE_IS_EMBEDDED=False)
def test_seed_demo_refuses_an_external_vetsync_database():
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert VetSyncClinic.objects.count() == 0
