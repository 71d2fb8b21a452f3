"""The clinic knows where things stand: the "Nueva respuesta" mark, "Normalmente respondemos
en …", "Mis tickets" / "Todos los de la clínica" and "Avisar también a"; two clinics in each."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import message_id
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory, VetSyncClinicFactory, VetSyncUserFactory
from tickets import services
from tickets.models import Ticket, TicketSeen, TicketWatcher
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

NEWS = "Nueva respuesta"
GOOD_DETAIL = (
    "Estaba emitiendo una factura comercial en el módulo pagos. Esperaba que quedara pagado, "
    "pero el pago se confirmó y la cuenta sigue pendiente. 29-04-2026 cerca de las 10:30."
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def marked(html: str) -> set[str]:
    """The codes shown with the "Nueva respuesta" mark."""
    return set(
        re.findall(r'<span class="code">(ST-[\d-]+)</span> <span class="badge badge--news">', html)
    )


def listed(html: str) -> set[str]:
    return set(re.findall(r'<span class="code">(ST-[\d-]+)</span>', html))


@pytest.fixture
def colleague_a(clinic_a):
    """Another user of clinic A, with an e-mail."""
    return VetSyncUserFactory(clinic=clinic_a, full_name="Camila Rojas", email="camila@mevetlab.cl")


@pytest.fixture
def colleague_client(login, colleague_a):
    return login(colleague_a, the_client=Client())


@pytest.fixture
def colleague_portal(colleague_client, colleague_a):
    from accounts.models import User

    return User.objects.get(vetsync_id=colleague_a.pk, clinic__vetsync_id=colleague_a.clinic_id)


# --- Nueva respuesta ------------------------------------------------------------------------------


def test_a_team_response_is_marked_until_the_user_opens_the_ticket(
    client_a, client_b, portal_a, portal_b, agent, colleague_client
):
    answered = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    quiet = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    theirs = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    services.ticket_respond(ticket=answered, author=agent, text="Ya lo revisamos.")
    services.ticket_respond(ticket=theirs, author=agent, text="Respuesta a la otra clínica.")

    for page in ("/soporte/", "/soporte/tickets/"):
        html = client_a.get(page).content.decode()
        assert marked(html) == {answered.code} and quiet.code in listed(html), page
        assert NEWS in html
        assert marked(client_b.get(page).content.decode()) == {theirs.code}

    # Clinic B opening clinic A's ticket: 404, and it clears nothing.
    assert client_b.get(f"/soporte/tickets/{answered.code}").status_code == 404
    assert not TicketSeen.objects.filter(ticket=answered).exists()

    assert client_a.get(f"/soporte/tickets/{answered.code}").status_code == 200
    for page in ("/soporte/", "/soporte/tickets/"):
        assert marked(client_a.get(page).content.decode()) == set()
        # Per user: the colleague of the same clinic has not opened it yet.
        assert marked(colleague_client.get(page).content.decode()) == {answered.code}
    # Clinic B's mark is its own.
    assert marked(client_b.get("/soporte/tickets/").content.decode()) == {theirs.code}


def test_a_change_of_state_marks_it_again_and_the_clinics_own_actions_do_not(
    client_a, portal_a, portal_b, agent
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    services.ticket_respond(ticket=ticket, author=agent, text="Ya lo revisamos.")
    client_a.get(f"/soporte/tickets/{ticket.code}")
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Más datos del caso.")
    assert marked(client_a.get("/soporte/tickets/").content.decode()) == set()
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    assert marked(client_a.get("/soporte/tickets/").content.decode()) == {ticket.code}
    client_a.get(f"/soporte/tickets/{ticket.code}")
    assert marked(client_a.get("/soporte/tickets/").content.decode()) == set()
    # A clinic deleting its own open ticket is not the team's activity either.
    other = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    services.ticket_delete(ticket=other, actor=portal_a)
    assert Ticket.objects.get(pk=other.pk).last_team_activity_at is None
    # Clinic B's ticket, never touched by the team, is never marked.
    theirs = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    assert Ticket.objects.get(pk=theirs.pk).last_team_activity_at is None


def test_opening_a_ticket_without_news_writes_nothing(client_a, portal_a, agent):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    client_a.get(f"/soporte/tickets/{ticket.code}")
    assert not TicketSeen.objects.exists()
    services.ticket_respond(ticket=ticket, author=agent, text="Ya lo revisamos.")
    client_a.get(f"/soporte/tickets/{ticket.code}")
    client_a.get(f"/soporte/tickets/{ticket.code}")
    [seen] = TicketSeen.objects.all()
    ticket.refresh_from_db()
    assert (seen.user_id, seen.seen_activity_at) == (portal_a.pk, ticket.last_team_activity_at)


def test_the_pages_keep_their_query_budget_with_marks(
    client_a, portal_a, portal_b, agent, django_assert_max_num_queries
):
    tickets = TicketFactory.create_batch(30, clinic=portal_a.clinic, requester=portal_a)
    TicketFactory.create_batch(3, clinic=portal_b.clinic, requester=portal_b)
    for ticket in tickets[::2]:
        services.ticket_respond(ticket=ticket, author=agent, text="Respuesta")
    ticket = tickets[0]
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, follows_up=ticket)
    services.ticket_add_information(ticket=ticket, author=portal_a, text="Dato")
    services.ticket_respond(ticket=ticket, author=agent, text="Otra respuesta")
    # session, user+clinic, totals, latest tickets (with the user's marks), notices in force
    with django_assert_max_num_queries(5):
        assert marked(client_a.get("/soporte/").content.decode())
    # session, user+clinic, count, the page's rows (with the user's marks)
    with django_assert_max_num_queries(4):
        client_a.get("/soporte/tickets/")
    with django_assert_max_num_queries(4):
        client_a.get("/soporte/tickets/?solicitante=mios&estado=abierto")
    # session, user+clinic, the ticket with its changes, responses, additions and follow-ups
    # (and the user's mark), its files, the mark cleared; and VetSync's check: 6 in all
    vetsync = connections["vetsync"]
    with (
        django_assert_max_num_queries(5),
        django_assert_max_num_queries(1, connection=vetsync),
    ):
        html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Dato" in html and "Otra respuesta" in html and "Tickets que siguen a este:" in html
    with django_assert_max_num_queries(4):
        client_a.get(f"/soporte/tickets/{ticket.code}")  # seen: nothing to write


def test_the_vetsync_reads_stay_one_a_page(client_a, portal_a, django_assert_max_num_queries):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    vetsync = connections["vetsync"]
    for page, reads in (
        ("/soporte/", 2),  # the session's check, and "Avisar también a"
        ("/soporte/tickets/nuevo", 2),
        ("/soporte/tickets/", 1),
        (f"/soporte/tickets/{ticket.code}", 1),
    ):
        with django_assert_max_num_queries(reads, connection=vetsync):
            client_a.get(page)


# --- Normalmente respondemos en -----------------------------------------------------------------


def answered_in_area(area, clinic, business_minutes_after_nine, days_ago=3):
    """A ticket written at 9:00 of a recent business day, answered after so many minutes."""
    from service_levels.business_hours import SANTIAGO, is_business_day

    day = timezone.localtime(timezone.now(), SANTIAGO).date() - timedelta(days=days_ago)
    while not is_business_day(day):
        day -= timedelta(days=1)
    created = timezone.datetime(day.year, day.month, day.day, 9, tzinfo=SANTIAGO)
    ticket = TicketFactory(clinic=clinic, area=area)
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created,
        first_response_at=created + timedelta(minutes=business_minutes_after_nine),
    )


def test_after_creating_a_ticket_the_typical_wait_of_its_area_is_shown(
    client_a, client_b, portal_a, portal_b, agent
):
    # The team's pace in Soporte, over both clinics' tickets: a median of 200 minutes.
    for n, minutes in enumerate((100, 150, 180, 190, 195, 205, 210, 220, 250, 300)):
        answered_in_area("soporte", (portal_a if n % 2 else portal_b).clinic, minutes)
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"area": "soporte", "detail": GOOD_DETAIL, "submission_token": "", "otro_caso": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "Normalmente respondemos en 3 h 20 min hábiles." in html
    ticket = Ticket.objects.get(clinic=portal_a.clinic, detail=GOOD_DETAIL)
    # Clinic B's waiting ticket of the same area shows the same pace, never A's ticket.
    theirs = TicketFactory(clinic=portal_b.clinic, requester=portal_b, area="soporte")
    html_b = client_b.get(f"/soporte/tickets/{theirs.code}").content.decode()
    assert "Normalmente respondemos en 3 h 20 min hábiles." in html_b
    assert ticket.code not in html_b
    # Comercial has no answered tickets: nothing.
    comercial = TicketFactory(clinic=portal_a.clinic, requester=portal_a, area="comercial")
    html = client_a.get(f"/soporte/tickets/{comercial.code}").content.decode()
    assert "Normalmente respondemos en" not in html
    # Once the team answers, the ticket no longer waits: nothing.
    services.ticket_respond(ticket=ticket, author=agent, text="Ya lo revisamos.")
    html = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    assert "Normalmente respondemos en" not in html


# --- Mis tickets / Todos los de la clínica ------------------------------------------------------


def test_the_history_shows_all_the_clinics_tickets_or_only_mine(
    client_a, client_b, portal_a, portal_b, colleague_portal
):
    mine = TicketFactory.create_batch(2, clinic=portal_a.clinic, requester=portal_a)
    theirs = TicketFactory.create_batch(3, clinic=portal_a.clinic, requester=colleague_portal)
    other_clinic = TicketFactory.create_batch(2, clinic=portal_b.clinic, requester=portal_b)
    html = client_a.get("/soporte/tickets/").content.decode()
    for words in ("Mis tickets", "Todos los de la clínica", "Solicitante"):
        assert words in html
    assert re.search(r'value="" id="id_solicitante_0" checked', html)  # the default
    assert listed(html) == {t.code for t in mine + theirs}
    assert "Camila Rojas" in html and "Fernando Pérez" in html
    assert "5 tickets" in html

    html = client_a.get("/soporte/tickets/?solicitante=mios").content.decode()
    assert listed(html) == {t.code for t in mine}
    assert "2 tickets" in html and "Camila Rojas" not in html
    assert re.search(r'value="mios" id="id_solicitante_1" checked', html)

    html = client_b.get("/soporte/tickets/?solicitante=mios").content.decode()
    assert listed(html) == {t.code for t in other_clinic}
    html = client_b.get("/soporte/tickets/").content.decode()
    assert listed(html) == {t.code for t in other_clinic}


def test_mis_tickets_combines_with_the_other_filters(client_a, portal_a, colleague_portal):
    mine_open = TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail="impresora " * 4)
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, state=State.EN_PROCESO)
    TicketFactory(clinic=portal_a.clinic, requester=colleague_portal, detail="impresora " * 4)
    html = client_a.get("/soporte/tickets/?solicitante=mios&estado=abierto").content.decode()
    assert listed(html) == {mine_open.code} and "1 ticket" in html
    html = client_a.get("/soporte/tickets/?solicitante=mios&q=impresora").content.decode()
    assert listed(html) == {mine_open.code}


def test_a_tampered_requester_choice_says_so(client_a, portal_a):
    TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    html = client_a.get("/soporte/tickets/?solicitante=otra").content.decode()
    assert "Seleccione Mis tickets o Todos los de la clínica." in html


# --- Avisar también a ---------------------------------------------------------------------------


@pytest.fixture
def people(clinic_a, clinic_b, colleague_a):
    """Clinic A: a colleague who never logged in, one inactive, one without e-mail; clinic B's."""
    return {
        "never_logged_in": VetSyncUserFactory(
            clinic=clinic_a, full_name="Diego Soto", email="diego@mevetlab.cl"
        ),
        "inactive": VetSyncUserFactory(
            clinic=clinic_a, full_name="Inés Inactiva", email="ines@mevetlab.cl", is_active=False
        ),
        "no_email": VetSyncUserFactory(clinic=clinic_a, full_name="Sin Correo", email=""),
        "null_email": VetSyncUserFactory(clinic=clinic_a, full_name="Correo Nulo", email=None),
        "blank_email": VetSyncUserFactory(clinic=clinic_a, full_name="Correo Blanco", email="  "),
        "other_clinic": VetSyncUserFactory(
            clinic=clinic_b, full_name="Valeria Austral", email="valeria@austral.cl"
        ),
        "third_clinic": VetSyncUserFactory(
            clinic=VetSyncClinicFactory(), full_name="Tercera Clínica", email="x@tercera.cl"
        ),
        "colleague": colleague_a,
    }


def test_the_form_offers_only_active_people_of_the_clinic_with_an_email(
    client_a, client_b, people, django_assert_max_num_queries
):
    for page in ("/soporte/tickets/nuevo", "/soporte/"):
        html = client_a.get(page).content.decode()
        assert "Avisar también a" in html
        for offered in ("Camila Rojas", "camila@mevetlab.cl", "Diego Soto"):
            assert offered in html
        hidden_people = ("Inés Inactiva", "Sin Correo", "Correo Nulo", "Correo Blanco")
        for hidden in (*hidden_people, "Valeria Austral", "Tercera Clínica"):
            assert hidden not in html
        assert 'name="notify_also" value="' in html
        assert "Fernando Pérez (" not in html  # not the requester
    html = client_b.get("/soporte/tickets/nuevo").content.decode()
    assert "Camila Rojas" not in html and "Diego Soto" not in html


def test_the_chosen_people_get_the_tickets_emails(
    client_a, portal_a, portal_b, people, agent, django_capture_on_commit_callbacks
):
    chosen = [people["colleague"].pk, people["never_logged_in"].pk]
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"area": "soporte", "detail": GOOD_DETAIL, "notify_also": [str(pk) for pk in chosen]},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(clinic=portal_a.clinic)
    assert sorted(ticket.watchers.values_list("vetsync_user_id", "name", "email")) == sorted(
        [
            (people["colleague"].pk, "Camila Rojas", "camila@mevetlab.cl"),
            (people["never_logged_in"].pk, "Diego Soto", "diego@mevetlab.cl"),
        ]
    )
    theirs = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    Notification.objects.all().delete()

    services.ticket_respond(ticket=ticket, author=agent, text="Ya lo revisamos.")
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_respond(ticket=theirs, author=agent, text="A la otra clínica.")
    expected = {portal_a.email, "camila@mevetlab.cl", "diego@mevetlab.cl"}
    for kind in (Notification.Kind.RESPONSE_PUBLISHED, Notification.Kind.STATE_CHANGED):
        sent = Notification.objects.filter(ticket=ticket, kind=kind)
        assert sorted(n.recipient for n in sent) == sorted(expected)
        assert len({message_id(n) for n in sent}) == 3  # a Message-ID each
    # Clinic B's ticket goes to its requester alone; clinic A's people never get it.
    assert list(Notification.objects.filter(ticket=theirs).values_list("recipient", flat=True)) == [
        portal_b.email
    ]


@pytest.mark.parametrize("intruder", ["other_clinic", "third_clinic", "inactive", "no_email"])
def test_a_forged_person_is_refused_and_nothing_is_created(client_a, people, intruder):
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {
            "area": "soporte",
            "detail": GOOD_DETAIL,
            "notify_also": [str(people["colleague"].pk), str(people[intruder].pk)],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Seleccione solo personas activas de su clínica con correo." in html
    assert "cerca de las 10:30" in html  # the typed text is kept
    assert not Ticket.objects.exists() and not TicketWatcher.objects.exists()


def test_a_watcher_who_is_the_requester_is_not_stored_twice(portal_a, user_a, colleague_a):
    ticket, _ = services.ticket_create(
        clinic=portal_a.clinic,
        requester=portal_a,
        area="soporte",
        detail=GOOD_DETAIL,
        watchers=[
            services.Watcher(user_a.pk, "Fernando Pérez", user_a.email),
            services.Watcher(colleague_a.pk, "Camila Rojas", "camila@mevetlab.cl"),
            services.Watcher(colleague_a.pk, "Camila Rojas", "camila@mevetlab.cl"),
        ],
    )
    assert list(ticket.watchers.values_list("vetsync_user_id", flat=True)) == [colleague_a.pk]


def test_each_person_is_greeted_by_name_and_told_why(portal_a, colleague_a, agent):
    ticket, _ = services.ticket_create(
        clinic=portal_a.clinic,
        requester=portal_a,
        area="soporte",
        detail=GOOD_DETAIL,
        watchers=[services.Watcher(colleague_a.pk, "Camila Rojas", "camila@mevetlab.cl")],
    )
    services.ticket_respond(ticket=ticket, author=agent, text="Ya lo revisamos.")
    mine = Notification.objects.get(kind="response_published", recipient=portal_a.email)
    theirs = Notification.objects.get(kind="response_published", recipient="camila@mevetlab.cl")
    why = "Le escribimos porque Fernando Pérez pidió avisarle de este ticket."
    for body in (theirs.body_text, theirs.body_html):
        assert "Hola Camila Rojas:" in body and why in body
    for body in (mine.body_text, mine.body_html):
        assert "Hola Fernando Pérez:" in body and "Le escribimos porque" not in body
    assert mine.body_text.startswith("Hola Fernando Pérez:\n\nEl equipo")


def test_a_refused_form_keeps_the_people_chosen(client_a, people):
    chosen = [str(people["colleague"].pk), str(people["never_logged_in"].pk)]
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {"area": "soporte", "detail": "no funciona", "notify_also": chosen},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for pk in chosen:
        assert re.search(rf'name="notify_also" value="{pk}" id="id_notify_also_\d+" checked', html)
    assert not Ticket.objects.exists()


def test_agents_see_whom_else_a_ticket_notifies(desk, portal_a, portal_b, colleague_a):
    ticket, _ = services.ticket_create(
        clinic=portal_a.clinic,
        requester=portal_a,
        area="soporte",
        detail=GOOD_DETAIL,
        watchers=[services.Watcher(colleague_a.pk, "Camila Rojas", "camila@mevetlab.cl")],
    )
    theirs = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    html = desk.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()
    assert "Avisar también a" in html and "Camila Rojas &lt;camila@mevetlab.cl&gt;" in html
    html = desk.get(f"/admin/tickets/ticket/{theirs.pk}/change/").content.decode()
    assert "Avisar también a" not in html and "Camila Rojas" not in html
