"""What every notifications test shares: the team's address and the portal's, the tasks run
at once or kept in a queue, and on-commit hooks that run as a real commit would."""

import pytest
from django.tasks import task_backends
from django.test import override_settings

from tickets import services
from tickets.states import Area

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
QUEUED_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
TEAM = "equipo@smartautomate.cl"
PORTAL = "https://soporte.vetsync.cl"
DETAIL = "Estaba emitiendo una factura en el módulo pagos y apareció un error."


@pytest.fixture(autouse=True)
def _notification_settings():
    with override_settings(SUPPORT_TEAM_EMAIL=TEAM, PORTAL_BASE_URL=PORTAL):
        yield


@pytest.fixture
def tasks_run_now():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture
def tasks_queued():
    with override_settings(TASKS=QUEUED_TASKS):
        yield task_backends["default"]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit hooks of what happens inside, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def create_ticket(requester, *, area=Area.SOPORTE, detail=DETAIL):
    ticket, _ = services.ticket_create(
        clinic=requester.clinic, requester=requester, area=area, detail=detail
    )
    return ticket
