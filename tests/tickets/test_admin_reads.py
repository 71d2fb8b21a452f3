"""tickets/admin_reads.py: the agents' ticket page reads, in compiled SQL, give what the ORM's
select_related querysets give."""

import pytest
from django.utils import timezone

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicUserFactory, TicketFactory
from tickets import admin_reads, services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.fixture
def agent():
    return AgentFactory(username="ana.agente", first_name="Ana", last_name="Agente")


@pytest.fixture
def full_ticket(agent):
    earlier = TicketFactory()
    ticket = TicketFactory(clinic=earlier.clinic, requester=earlier.requester)
    Ticket.objects.filter(pk=ticket.pk).update(follows_up=earlier)
    services.ticket_transition(ticket=ticket, to_state="en_proceso", actor=agent)
    services.ticket_respond(ticket=ticket, author=agent, text="Primera respuesta")
    services.ticket_note_add(ticket=ticket, author=agent, text="Nota <b>interna</b>")
    services.ticket_add_information(ticket=ticket, author=ticket.requester, text="Más datos " * 4)
    services.ticket_assign(ticket=ticket, agent=agent, actor=agent)
    services.ticket_respond(ticket=ticket, author=agent, text="Segunda respuesta")
    return Ticket.objects.get(pk=ticket.pk)


def orm_ticket(pk):
    return Ticket.objects.select_related("clinic", "requester", "follows_up", "deleted_by").get(
        pk=pk
    )


def test_the_ticket_is_the_orms(full_ticket):
    ours, orm = admin_reads.ticket_for_agents(pk=full_ticket.pk), orm_ticket(full_ticket.pk)
    assert field_values(ours) == field_values(orm)
    assert field_values(ours.clinic) == field_values(orm.clinic)
    assert ours.requester.display_name == orm.requester.display_name
    assert (ours.follows_up.pk, ours.follows_up.code) == (orm.follows_up.pk, orm.follows_up.code)
    assert ours.deleted_by is None and (ours.has_additions, ours.has_notes) == (True, True)
    assert timezone.is_aware(ours.created_at) and not ours._state.adding


def test_a_deleted_ticket_and_a_missing_one(full_ticket):
    Ticket.objects.filter(pk=full_ticket.pk).update(
        deleted_at=timezone.now(), deleted_by=full_ticket.requester
    )
    ours = admin_reads.ticket_for_agents(pk=full_ticket.pk)
    assert ours.deleted_by.display_name == full_ticket.requester.display_name
    assert ours.is_deleted
    bare = TicketFactory()
    bare_ours = admin_reads.ticket_for_agents(pk=bare.pk)
    assert bare_ours.follows_up is None and (bare_ours.has_additions, bare_ours.has_notes) == (
        False,
        False,
    )
    assert admin_reads.ticket_for_agents(pk=987654321) is None


def test_events_responses_and_notes_are_the_orms(full_ticket):
    ticket = admin_reads.ticket_for_agents(pk=full_ticket.pk)
    events = admin_reads.ticket_events(ticket=ticket)
    orm_events = list(full_ticket.events.select_related("actor"))
    assert [field_values(e) for e in events] == [field_values(e) for e in orm_events]
    assert [e.actor.display_name if e.actor else None for e in events] == [
        e.actor.display_name if e.actor else None for e in orm_events
    ]
    for ours, orm in [
        (admin_reads.ticket_responses(ticket=ticket), full_ticket.responses.all()),
        (admin_reads.ticket_notes(ticket=ticket), full_ticket.notes.all()),
    ]:
        assert [(t.pk, t.created_at, t.text, t.author.display_name) for t in ours] == [
            (t.pk, t.created_at, t.text, t.author.display_name) for t in orm
        ]


def test_the_assignable_agents_are_the_forms_queryset(agent):
    AgentFactory(username="b.agente", full_name="Beatriz Soto")
    AgentFactory(username="inactivo", is_active=False)
    ClinicUserFactory(username="de.clinica")
    from tickets.admin import TicketAdminForm

    form = TicketAdminForm(instance=TicketFactory())
    field = form.fields["assigned_to"]
    assert [a.pk for a in admin_reads.assignable_agents()] == list(
        field.queryset.values_list("pk", flat=True)
    )
    assert list(field.choices)[1:] == [(a.pk, str(a)) for a in field.queryset]
    assert {str(a) for a in admin_reads.assignable_agents()} == {"Ana Agente", "Beatriz Soto"}
