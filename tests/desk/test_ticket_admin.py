"""The agents' desk in the admin, used by an agent of the "Agentes" group."""

import re
from datetime import datetime
from html import escape
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, ClinicFactory, ClinicUserFactory, TicketFactory
from tickets import services
from tickets.models import Ticket, TicketNote, TicketResponse
from tickets.states import State
from vetsync_support.dates import SANTIAGO

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def change_url(ticket):
    return f"/admin/tickets/ticket/{ticket.pk}/change/"


def change_form(desk, ticket, **overrides):
    """The change page's POST data as the agent's browser would send it."""
    html = desk.get(change_url(ticket)).content.decode()
    state = re.search(r'<option value="(\w+)" selected>', html).group(1)
    data = {
        "state": state,
        "assigned_to": "",
        "response": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_agents_group_has_only_what_agents_need():
    group = Group.objects.get(name="Agentes")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_ticket", "change_ticket", "add_ticketresponse", "add_ticketnote"} <= codenames
    assert "delete_ticket" not in codenames
    assert "add_ticket" not in codenames
    assert not {c for c in codenames if c.endswith("_user") or c.endswith("_group")}
    assert not {c for c in codenames if "vetsync" in c}


def test_an_agent_answers_a_ticket_and_the_clinic_sees_it(desk, desk_agent, client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    data = change_form(desk, ticket, state=State.EN_PROCESO, **{"response": "Estamos revisando."})
    response = desk.post(change_url(ticket), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ticket.refresh_from_db()
    assert ticket.state == State.EN_PROCESO
    assert ticket.latest_response.text == "Estamos revisando."
    assert ticket.latest_response.author == desk_agent
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "state_changed", "response_published"]
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Estamos revisando." in html
    assert "En proceso" in html


def test_an_internal_note_is_never_shown_to_the_clinic(desk, client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    data = change_form(desk, ticket, **{"note": "Cliente moroso, revisar con finanzas"})
    assert desk.post(change_url(ticket), data).status_code == 302
    assert TicketNote.objects.get().text == "Cliente moroso, revisar con finanzas"
    assert not TicketResponse.objects.exists()
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "moroso" not in html
    assert "Nota interna" not in html


def test_the_state_field_offers_only_the_allowed_moves(desk):
    ticket = TicketFactory(state=State.EN_PROCESO)
    html = desk.get(change_url(ticket)).content.decode()
    select = re.search(r'<select name="state".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="(\w+)"', select)
    assert offered == [
        "en_proceso",
        "cerrado_resuelto",
        "cerrado_con_problema",
        "cerrado_responsabilidad_cliente",
    ]


def test_a_refused_move_is_an_error_and_changes_nothing(desk):
    ticket = TicketFactory(state=State.EN_PROCESO)
    data = change_form(desk, ticket, state=State.ABIERTO, **{"response": "no debería quedar"})
    response = desk.post(change_url(ticket), data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == State.EN_PROCESO
    assert not ticket.responses.exists()


def test_a_move_refused_by_the_service_rolls_everything_back(desk, monkeypatch):
    ticket = TicketFactory()
    data = change_form(desk, ticket, state=State.EN_PROCESO, **{"response": "Respuesta"})
    # Between the page and the save, the clinic deleted the ticket.
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    response = desk.post(change_url(ticket), data, follow=True)
    assert "No se guardó ningún cambio" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == State.ABIERTO
    assert not ticket.responses.exists()


def test_the_clinics_words_are_read_only(desk):
    ticket = TicketFactory(detail="Texto original de la clínica, con <b>html</b>.")
    data = change_form(desk, ticket, detail="Texto cambiado por el agente", area="comercial")
    desk.post(change_url(ticket), data)
    ticket.refresh_from_db()
    assert ticket.detail == "Texto original de la clínica, con <b>html</b>."
    assert ticket.area == "soporte"
    html = desk.get(change_url(ticket)).content.decode()
    assert "con &lt;b&gt;html&lt;/b&gt;." in html


def test_assignment_to_an_agent(desk, desk_agent):
    ticket = TicketFactory()
    data = change_form(desk, ticket, assigned_to=str(desk_agent.pk))
    assert desk.post(change_url(ticket), data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.assigned_to == desk_agent
    assert ticket.events.filter(kind="assigned").exists()


def test_a_clinic_user_cannot_be_assigned(desk):
    ticket = TicketFactory()
    data = change_form(desk, ticket, assigned_to=str(ticket.requester.pk))
    response = desk.post(change_url(ticket), data)
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.assigned_to is None


def test_the_agent_select_offers_the_active_agents_by_name(desk, desk_agent):
    desk_agent.full_name = "Carla Díaz"
    desk_agent.save()
    beatriz = AgentFactory(full_name="Beatriz Soto")
    AgentFactory(full_name="Alberto Inactivo", is_active=False)
    ticket = TicketFactory()
    TicketFactory(requester__full_name="Usuario de otra clínica")
    html = desk.get(change_url(ticket)).content.decode()
    select = re.search(r'<select name="assigned_to".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)
    assert offered[0][0] == ""  # unassigned
    assert offered[1:] == [(str(beatriz.pk), "Beatriz Soto"), (str(desk_agent.pk), "Carla Díaz")]


def test_an_unknown_agent_and_a_state_not_allowed_are_form_errors(desk):
    ticket = TicketFactory(state=State.EN_PROCESO)
    data = change_form(desk, ticket, assigned_to="999999", state="no-existe")
    response = desk.post(change_url(ticket), data)
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist') == 2
    ticket.refresh_from_db()
    assert (ticket.state, ticket.assigned_to) == (State.EN_PROCESO, None)


def test_bulk_move_to_in_process_reports_moved_and_refused(desk):
    movable = [TicketFactory(), TicketFactory(state=State.CERRADO_RESUELTO)]  # reopened
    closed = TicketFactory(state=State.EN_PROCESO)  # already there: refused
    response = desk.post(
        "/admin/tickets/ticket/",
        {
            "action": "move_to_in_process",
            "_selected_action": [t.pk for t in [*movable, closed]],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "2 tickets pasaron a En proceso." in html
    assert "Rechazados:" in html and closed.code in html
    assert set(Ticket.objects.values_list("state", flat=True)) == {State.EN_PROCESO}
    assert Ticket.objects.get(pk=closed.pk).events.filter(kind="state_changed").count() == 0


def test_bulk_assign_to_me(desk, desk_agent):
    tickets = TicketFactory.create_batch(3)
    response = desk.post(
        "/admin/tickets/ticket/",
        {"action": "assign_to_me", "_selected_action": [t.pk for t in tickets]},
        follow=True,
    )
    assert "3 tickets quedaron asignados a usted." in response.content.decode()
    assert Ticket.objects.filter(assigned_to=desk_agent).count() == 3


def test_agents_cannot_add_or_delete_tickets(desk):
    ticket = TicketFactory()
    assert desk.get("/admin/tickets/ticket/add/").status_code == 403
    assert desk.get(f"/admin/tickets/ticket/{ticket.pk}/delete/").status_code == 403
    assert desk.get("/admin/accounts/user/").status_code == 403
    assert desk.get("/admin/auth/group/").status_code == 403


def codes_in(html):
    return re.findall(r"ST-\d{8}-\d{5}", html)


def test_search_and_filters(desk):
    mevetlab = ClinicFactory(name="Clínica Mevetlab", rut="76123456-0")
    austral = ClinicFactory(name="Hospital Austral")
    first = TicketFactory(
        clinic=mevetlab,
        requester__full_name="Fernando Pérez",
        detail="El reloj control marca mal la hora de salida",
    )
    second = TicketFactory(
        clinic=austral,
        requester__full_name="Pedro Díaz",
        area="comercial",
        state=State.EN_PROCESO,
    )
    requester = ClinicUserFactory(clinic=austral, full_name="Valentina Muñoz")
    third = TicketFactory(clinic=austral, requester=requester)
    services.ticket_delete(ticket=third, actor=requester)

    def listed(query):
        return set(codes_in(desk.get(f"/admin/tickets/ticket/?{query}").content.decode()))

    assert listed(f"q={first.code}") == {first.code}
    assert listed("q=Mevetlab") == {first.code}
    assert listed("q=76123456-0") == {first.code}
    assert listed("q=Valentina") == {third.code}
    assert listed("q=reloj") == {first.code}
    assert listed("state__exact=en_proceso") == {second.code}
    assert listed("area__exact=comercial") == {second.code}
    assert listed(f"clinica={austral.pk}") == {second.code, third.code}
    assert listed("eliminado=si") == {third.code}
    assert listed("eliminado=no") == {first.code, second.code}


def test_a_deleted_ticket_stays_visible_to_agents_with_its_events(desk):
    ticket = TicketFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    html = desk.get(change_url(ticket)).content.decode()
    dates = re.search(r'<dl class="ticket-dates">.*?</dl>', html, re.S).group(0)
    assert "Eliminado por la clínica" in dates
    assert escape(ticket.requester.display_name) in dates
    assert '<select name="state"' not in html  # nothing to change on a deleted ticket
    timeline = re.search(r"field-timeline.*?</ol>", html, re.S).group(0)
    assert timeline.index("Ticket creado") < timeline.index("Eliminado por la clínica")


def test_an_unknown_ticket_sends_the_agent_back_to_the_desk(desk):
    for missing in ("987654321", "no-es-un-id"):
        response = desk.get(f"/admin/tickets/ticket/{missing}/change/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


def test_the_index_shows_counts_per_state_and_unanswered(desk):
    from datetime import timedelta

    from django.utils import timezone

    old = TicketFactory()
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    TicketFactory()  # recent: not yet overdue
    TicketFactory(state=State.EN_PROCESO)
    html = desk.get("/admin/").content.decode()
    dashboard = html.split('id="ticket-dashboard"')[1].split("</table>")[0]
    rows = dict(re.findall(r">([^<>]+)</a></th><td>(?:<strong>)?(\d+)", dashboard))
    assert rows["Abierto"] == "2"
    assert rows["En proceso"] == "1"
    assert rows["Cerrado / resuelto"] == "0"
    assert rows["Abiertos sin respuesta hace más de 24 horas"] == "1"


def listed_queries(vendor: str) -> int:
    """The list's queries: the session, the agent, the agent's permissions (2), the agents of
    the "agente asignado" filter, PostgreSQL's estimate of the table's rows (CappedCountPaginator,
    PostgreSQL only), the capped count, and the page's rows with their clinic and people; the
    queues' counts (one UNION ALL, tickets/queues.py) were kept in the cache by the first
    request (tests/desk/test_queues_and_due_times.py)."""
    return 8 if vendor == "postgresql" else 7


def _tag_attributes(html: str) -> tuple[str, dict]:
    found = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Reader().feed(str(html))
    assert len(found) == 1, html
    return found[0]


def test_the_lists_checkbox_is_the_admins_own(portal_a):
    """TicketAdmin draws the rows' checkbox from a template (a form widget a row was 7 ms of the
    page's CPU): the same tag, attributes and Spanish label that the admin's actions read."""
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    ticket_admin = admin.site.get_model_admin(Ticket)
    ours = _tag_attributes(ticket_admin.action_checkbox(ticket))
    assert ours == _tag_attributes(admin.ModelAdmin.action_checkbox(ticket_admin, ticket))
    assert ours[1]["aria-label"] == f"Seleccione este objeto para una acción - {ticket.code}"


def test_the_list_of_25_rows_takes_a_fixed_number_of_queries(
    desk, desk_agent, agent, django_assert_num_queries
):
    clinics = ClinicFactory.create_batch(2)
    for n in range(30):
        clinic = clinics[n % 2]
        ticket = TicketFactory(clinic=clinic, requester__clinic=clinic, assigned_to=agent)
        if n % 3 == 0:
            services.ticket_respond(ticket=ticket, author=desk_agent, text=f"Respuesta {n}")
    desk.get("/admin/tickets/ticket/")  # the session's idle clock, as on any page
    with django_assert_num_queries(listed_queries(connection.vendor)):
        response = desk.get("/admin/tickets/ticket/")
    html = response.content.decode()
    shown = Ticket.objects.order_by("-created_at", "-id")[:25]
    assert list(dict.fromkeys(codes_in(html))) == [ticket.code for ticket in shown]
    for ticket in shown:
        assert f'value="{ticket.pk}" class="action-select"' in html
        assert f'href="/admin/tickets/ticket/{ticket.pk}/change/"' in html
    clinic_links = set(re.findall(r"\?clinica=\d+", html))
    assert clinic_links == {f"?clinica={clinic.pk}" for clinic in clinics}


def test_the_page_shows_responses_and_notes_in_order_and_escaped(desk, desk_agent):
    ticket = TicketFactory(state=State.EN_PROCESO)
    services.ticket_note_add(ticket=ticket, author=desk_agent, text="Revisar <b>caja</b> primero")
    services.ticket_respond(ticket=ticket, author=desk_agent, text="Ya quedó corregido.")
    html = desk.get(change_url(ticket)).content.decode()
    block = re.search(r"field-conversation.*?</fieldset>", html, re.S).group(0)
    assert block.index("Nota interna") < block.index("Respuesta publicada")
    assert "Revisar &lt;b&gt;caja&lt;/b&gt; primero" in block
    assert "Ya quedó corregido." in block
    dates = re.search(r'<dl class="ticket-dates">.*?</dl>', html, re.S).group(0)
    assert "Tiempo de primera respuesta" in dates and "min hábiles" in dates


def test_the_tickets_times_are_business_times(desk, desk_agent):
    """Created on Friday at 17:00 and answered on Monday at 10:00: two business hours, not the
    66 calendar hours between (service_levels/business_hours.py is the one measure)."""
    friday = datetime(2026, 3, 20, 17, 0, tzinfo=SANTIAGO)
    ticket = TicketFactory(state=State.EN_PROCESO, created_at=friday)
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_at=datetime(2026, 3, 23, 10, 0, tzinfo=SANTIAGO)
    )
    html = desk.get(change_url(ticket)).content.decode()
    dates = re.search(r'<dl class="ticket-dates">.*?</dl>', html, re.S).group(0)
    assert "2 h hábiles" in dates


def test_without_the_permission_an_agent_cannot_write_a_response_or_a_note(desk_agent):
    reader = AgentFactory()
    reader.groups.add(Group.objects.get(name="Agentes"))
    perms = Permission.objects.filter(codename__in=["add_ticketresponse", "add_ticketnote"])
    Group.objects.get(name="Agentes").permissions.remove(*perms)
    client = Client()
    client.force_login(reader)
    ticket = TicketFactory()
    html = client.get(change_url(ticket)).content.decode()
    assert 'name="response"' not in html and 'name="note"' not in html
    data = change_form(client, ticket, response="Publicada sin permiso", note="Nota sin permiso")
    assert client.post(change_url(ticket), data).status_code == 302
    assert not TicketResponse.objects.exists()
    assert not TicketNote.objects.exists()


@pytest.mark.parametrize(
    "texts, expected",
    [
        # The session, the agent, the ticket with its clinic and people, the agent's
        # permissions (2), the agents to assign to, the canned answers, the events.
        ((), 8),
        # ... and the responses, the internal notes and the clinic's additions, each only
        # when the ticket has some.
        (("response",), 9),
        (("response", "note"), 10),
        (("response", "note", "addition"), 11),
        (("response", "note", "addition", "more"), 11),
    ],
)
def test_the_ticket_page_takes_a_fixed_number_of_queries(
    desk, desk_agent, django_assert_num_queries, texts, expected
):
    ticket, other = (TicketFactory(state=State.EN_PROCESO) for _clinic in range(2))
    assert ticket.clinic != other.clinic
    for target in (ticket, other):
        for n in range(5 if "more" in texts else 1):
            if "response" in texts:
                services.ticket_respond(ticket=target, author=desk_agent, text=f"{target} R{n}")
            if "note" in texts:
                services.ticket_note_add(ticket=target, author=desk_agent, text=f"{target} N{n}")
            if "addition" in texts:
                services.ticket_add_information(
                    ticket=target, author=target.requester, text=f"{target} A{n}"
                )
    desk.get(change_url(ticket))  # the session's idle clock, as on any page
    with django_assert_num_queries(expected):
        response = desk.get(change_url(ticket))
    assert response.status_code == 200
    assert str(other) not in response.content.decode()  # nor any of the other ticket's texts


def test_a_deleted_tickets_page_takes_a_query_less(desk, django_assert_num_queries):
    ticket = TicketFactory()
    services.ticket_delete(ticket=ticket, actor=ticket.requester)
    desk.get(change_url(ticket))
    with django_assert_num_queries(6):  # no agents to assign to: the page is read-only
        assert desk.get(change_url(ticket)).status_code == 200


def test_the_page_sums_up_the_ticket_and_its_clinic(desk):
    previous = TicketFactory()
    ticket = TicketFactory(
        clinic=previous.clinic, requester=previous.requester, area="comercial", follows_up=previous
    )
    html = desk.get(change_url(ticket)).content.decode()
    summary = re.search(r'<dl class="ticket-summary">.*?</dl>', html, re.S).group(0)
    for shown in (
        ticket.code,
        ticket.clinic.name,
        ticket.clinic.formatted_rut,
        ticket.requester.display_name,
        "Comercial",
        previous.code,
    ):
        assert escape(shown) in summary


def test_the_clinics_words_show_the_detail_then_each_addition(desk, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Dato <i>uno</i>")
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Dato dos")
    html = desk.get(change_url(ticket)).content.decode()
    block = re.search(r"field-clinic_words.*?</fieldset>", html, re.S).group(0)
    detail = escape(ticket.detail)
    assert block.count(detail) == 1
    first = block.index("Dato &lt;i&gt;uno&lt;/i&gt;")
    assert block.index(detail) < first < block.index("Dato dos")
    assert block.count(escape(portal_a.display_name)) == 2
