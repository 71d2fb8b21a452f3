"""VetSync is read-only: its models go to the "vetsync" alias, refuse writes and migrations."""

import pytest
from django.db import connections

from accounts.models import VetSyncClinic, VetSyncUser
from tests.conftest import ALL_DATABASES
from tests.factories import VetSyncClinicFactory
from vetsync_support.db_router import VetSyncRouter, VetSyncWriteRefused

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_vetsync_tables_are_named_by_the_environment():
    """VetSync's own table names: VETSYNC_CLINIC_TABLE and VETSYNC_USER_TABLE, read at start-up."""
    from tests.vetsync_support.test_configuration import PRODUCTION_ENV, run_manage

    code = (
        "from accounts.vetsync import VetSyncClinic, VetSyncUser;"
        "print(VetSyncClinic._meta.db_table, VetSyncUser._meta.db_table)"
    )
    env = {**PRODUCTION_ENV, "VETSYNC_CLINIC_TABLE": "clinicas", "VETSYNC_USER_TABLE": "usuarios"}
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=env)
    assert result.stdout.split() == ["clinicas", "usuarios"], result.stderr
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.stdout.split() == ["vetsync_clinic", "vetsync_user"], result.stderr


def test_reads_go_to_the_vetsync_alias():
    clinic = VetSyncClinicFactory()
    assert VetSyncClinic.objects.get(pk=clinic.pk)._state.db == "vetsync"
    assert VetSyncRouter().db_for_read(VetSyncUser) == "vetsync"


def test_the_portal_cannot_write_to_vetsync():
    clinic = VetSyncClinicFactory()
    clinic.name = "cambiado"
    with pytest.raises(VetSyncWriteRefused):
        clinic.save()
    with pytest.raises(VetSyncWriteRefused):
        VetSyncClinic.objects.create(rut="1-9", name="x")
    with pytest.raises(VetSyncWriteRefused):
        clinic.delete()
    assert VetSyncClinic.objects.get(pk=clinic.pk).name != "cambiado"


def test_nothing_migrates_on_the_vetsync_alias():
    router = VetSyncRouter()
    assert router.allow_migrate("vetsync", "accounts") is False
    assert router.allow_migrate("vetsync", "auth") is False
    assert router.allow_migrate("default", "accounts", model=VetSyncClinic) is False


def test_the_portal_migrations_do_not_create_the_vetsync_tables():
    # The test databases were built by running every migration: the portal's own database
    # holds its tables and not VetSync's (the tests create those themselves, on "vetsync").
    portal_tables = connections["default"].introspection.table_names()
    assert "accounts_clinic" in portal_tables
    assert "vetsync_clinic" not in portal_tables
    assert "vetsync_user" not in portal_tables
    assert "accounts_clinic" not in connections["vetsync"].introspection.table_names()
