"""The admin is for SmartAutomate agents (ordinary Django staff accounts) only."""

import pytest
from django.db import IntegrityError

from accounts.models import User
from tests.conftest import ALL_DATABASES
from tests.factories import DEFAULT_PASSWORD, AgentFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def test_an_agent_logs_into_the_admin(client):
    AgentFactory(username="agente", is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agente", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_clinic_user_cannot_log_into_the_admin_with_its_vetsync_password(client, user_a):
    client.post("/soporte/login", {"clinic_rut": "x"})  # nothing
    for username in (user_a.rut, f"vetsync-{user_a.clinic_id}-{user_a.pk}"):
        response = client.post(
            "/admin/login/", {"username": username, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 200
        assert client.get("/admin/").status_code == 302


def test_a_clinic_user_can_never_be_made_staff(client_a):
    user = User.objects.get(clinic__isnull=False)
    user.is_staff = True
    with pytest.raises(IntegrityError):
        user.save()


def test_who_is_an_agent_is_the_same_rule_for_one_user_and_for_a_query(portal_a, portal_b):
    """AGENT (a query) and User.is_agent (one user): staff of no clinic, active or not."""
    from accounts.models import AGENT

    agents = {AgentFactory(), AgentFactory(is_active=False)}
    User.objects.create(username="empleado", is_staff=False)
    assert set(User.objects.filter(AGENT)) == agents
    assert {user for user in User.objects.all() if user.is_agent} == agents
    assert not portal_a.is_agent and not portal_b.is_agent
