"""The agents' ticket page writes its fieldsets with tickets/templatetags/ticket_admin_form.py:
the same HTML as Django's admin/includes/fieldset.html, in a fraction of the time."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tests.tickets.test_admin import change_form, change_url
from tickets import services
from tickets.models import Ticket
from tickets.templatetags.ticket_admin_form import ticket_fieldsets

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def djangos_fieldsets(adminform) -> str:
    """What change_form.html's field_sets block renders, with Django's own template."""
    return "".join(
        render_to_string(
            "admin/includes/fieldset.html",
            {
                "fieldset": fieldset,
                "heading_level": 2,
                "prefix": "fieldset",
                "id_prefix": 0,
                "id_suffix": index,
            },
        )
        for index, fieldset in enumerate(adminform)
    )


def normalized(html: str) -> str:
    """The same markup whatever the template's indentation: runs of blanks become one, and
    blanks beside a tag go."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


@pytest.fixture
def busy_ticket(desk_agent):
    ticket = TicketFactory(detail="Detalle con <b>marcas</b> & comillas \" '")
    earlier = TicketFactory(clinic=ticket.clinic, requester=ticket.requester)
    Ticket.objects.filter(pk=ticket.pk).update(follows_up=earlier)
    services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=desk_agent)
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Respuesta <i>uno</i>")
    services.ticket_note_add(ticket=ticket, author=desk_agent, text="Nota interna")
    services.ticket_add_information(ticket=ticket, author=ticket.requester, text="Dato " * 10)
    return Ticket.objects.get(pk=ticket.pk)


def assert_same_fieldsets(response):
    assert "admin/tickets/ticket/change_form.html" in [t.name for t in response.templates]
    adminform = response.context["adminform"]
    ours = normalized(ticket_fieldsets(adminform))
    assert ours == normalized(djangos_fieldsets(adminform))
    assert ours in normalized(response.content.decode())
    return ours


def test_a_ticket_page_has_djangos_fieldsets(desk, busy_ticket):
    ours = assert_same_fieldsets(desk.get(change_url(busy_ticket)))
    assert ours.count("<fieldset") == 4 and 'name="response"' in ours and 'name="note"' in ours


def test_a_bare_ticket_and_a_deleted_one(desk):
    bare = TicketFactory()
    assert_same_fieldsets(desk.get(change_url(bare)))
    Ticket.objects.filter(pk=bare.pk).update(deleted_at=timezone.now())
    ours = assert_same_fieldsets(desk.get(change_url(bare)))
    assert 'name="state"' not in ours  # read-only once deleted


def test_a_refused_form_shows_djangos_errors(desk, busy_ticket):
    data = change_form(desk, busy_ticket, assigned_to="999999", state="no-existe")
    response = desk.post(change_url(busy_ticket), data)
    assert response.status_code == 200
    ours = assert_same_fieldsets(response)
    assert ours.count('class="errorlist') == 2


def test_an_agent_without_the_text_permissions(client, busy_ticket):
    agent = AgentFactory(username="solo.lectura", is_staff=True)
    agent.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_ticket", "change_ticket"])
    )
    client.force_login(agent)
    ours = assert_same_fieldsets(client.get(change_url(busy_ticket)))
    assert 'name="response"' not in ours and 'name="note"' not in ours
