"""The agents see every clinic's answer on the ticket's page and, in *Respuestas de las
clínicas*, the monthly rate of "Sí, quedó resuelto"; clinic users reach none of it."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.models import Feedback
from feedback.selectors import feedback_monthly_rates
from feedback.services import feedback_give
from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

LIST = "/admin/feedback/feedback/"


def ticket_page(desk, ticket):
    response = desk.get(f"/admin/tickets/ticket/{ticket.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def feedback_block(html):
    return html[html.index("field-clinic_feedback") : html.index("field-state")]


def test_the_tickets_page_shows_the_clinics_answer(desk, portal_a, portal_b, resolved):
    answered = resolved(portal_a)
    feedback_give(
        ticket=answered, author=portal_a, solved=False, comment="Sigue <b>igual</b> en caja."
    )
    unanswered = resolved(portal_b)

    block = feedback_block(ticket_page(desk, answered))
    assert "¿se resolvió su problema?" in block.lower()
    assert "No, sigue el problema" in block
    assert "Fernando Pérez" in block
    assert "Sigue &lt;b&gt;igual&lt;/b&gt; en caja." in block  # escaped
    block = feedback_block(ticket_page(desk, unanswered))
    assert "—" in block
    assert "Fernando Pérez" not in block and "sigue el problema" not in block


def test_the_answer_costs_the_tickets_page_no_query(desk, portal_a, resolved):
    ticket = resolved(portal_a)
    ticket_page(desk, ticket)
    with CaptureQueriesContext(connection) as before:
        ticket_page(desk, ticket)
    feedback_give(ticket=ticket, author=portal_a, solved=True)
    with CaptureQueriesContext(connection) as after:
        html = ticket_page(desk, ticket)
    assert "Sí, quedó resuelto" in feedback_block(html)
    assert len(after) == len(before)


# The answers of two clinics over three months (America/Santiago: UTC-3 from September), by hand:
#   octubre de 2026    3 answers, 2 "Sí"   66,7 %   (Austral: 1, 0 "Sí")
#   noviembre de 2026  4 answers, 1 "Sí"   25,0 %   (Austral: 2, 1 "Sí")
#   diciembre de 2026  1 answer,  1 "Sí"  100,0 %
ANSWERS = [
    ("a", datetime(2026, 10, 5, 12, 0, tzinfo=UTC), True),
    ("b", datetime(2026, 10, 20, 15, 0, tzinfo=UTC), False),
    ("a", datetime(2026, 11, 1, 2, 30, tzinfo=UTC), True),  # 31-10-2026 23:30 in Santiago
    ("a", datetime(2026, 11, 1, 3, 30, tzinfo=UTC), False),  # 01-11-2026 00:30 in Santiago
    ("b", datetime(2026, 11, 15, 14, 0, tzinfo=UTC), True),
    ("b", datetime(2026, 11, 30, 20, 0, tzinfo=UTC), False),
    ("a", datetime(2026, 12, 1, 2, 0, tzinfo=UTC), False),  # 30-11-2026 23:00 in Santiago
    ("a", datetime(2026, 12, 1, 12, 0, tzinfo=UTC), True),
]
ALL_RATES = [
    ("diciembre de 2026", "1", "1", "100,0 %"),
    ("noviembre de 2026", "4", "1", "25,0 %"),
    ("octubre de 2026", "3", "2", "66,7 %"),
]
AUSTRAL_RATES = [
    ("noviembre de 2026", "2", "1", "50,0 %"),
    ("octubre de 2026", "1", "0", "0,0 %"),
]


@pytest.fixture
def answers(portal_a, portal_b):
    users = {"a": portal_a, "b": portal_b}
    for who, when, solved in ANSWERS:
        user = users[who]
        ticket = TicketFactory(clinic=user.clinic, requester=user, state=State.CERRADO_RESUELTO)
        Feedback.objects.create(ticket=ticket, author=user, solved=solved, created_at=when)


def rates_table(html):
    table = re.search(r'<table class="monthly-rates".*?</table>', html, re.S).group(0)
    return re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(.*?)</td>\s*</tr>",
        unescape(table),
    )


def test_the_monthly_rate_against_hand_computed_figures(desk, answers):
    response = desk.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tasa mensual de «Sí, quedó resuelto»" in unescape(html)
    assert rates_table(html) == ALL_RATES
    for heading in ("Mes", "Respuestas", "Respuestas «Sí»", "Porcentaje «Sí»"):
        assert f">{heading}</th>" in unescape(html)
    # The list's search narrows the rate: one clinic's answers.
    html = desk.get(LIST, {"q": "Austral"}).content.decode()
    assert rates_table(html) == AUSTRAL_RATES


def test_the_monthly_rate_is_one_aggregate_query(answers, django_assert_num_queries):
    with django_assert_num_queries(1):
        rates = feedback_monthly_rates()
    assert [(r.answers, r.solved, round(r.share, 1)) for r in rates] == [
        (1, 1, 100.0),
        (4, 1, 25.0),
        (3, 2, 66.7),
    ]


def test_the_list_shows_every_answer_read_only(desk, portal_a, portal_b, resolved):
    mine = resolved(portal_a)
    theirs = resolved(portal_b)
    feedback_give(ticket=mine, author=portal_a, solved=False, comment="Sigue fallando la caja.")
    feedback_give(ticket=theirs, author=portal_b, solved=True)
    html = unescape(desk.get(LIST).content.decode())
    for expected in (
        mine.code,
        theirs.code,
        "Clínica Veterinaria Mevetlab",
        "Hospital Veterinario Austral",
        "No, sigue el problema",
        "Sí, quedó resuelto",
        "Sigue fallando la caja.",
        "Fernando Pérez",
        "Valentina Muñoz",
    ):
        assert expected in html
    assert rates_table(html)[0][1:] == ("2", "1", "50,0 %")
    answer = Feedback.objects.get(ticket=mine)
    page = desk.get(f"{LIST}{answer.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert desk.get(f"{LIST}add/").status_code == 403
    assert desk.post(f"{LIST}{answer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert desk.post(f"{LIST}{answer.pk}/change/", {"solved": "on"}).status_code == 403
    answer.refresh_from_db()
    assert (answer.solved, answer.comment) == (False, "Sigue fallando la caja.")


def test_the_agents_group_may_view_the_answers_only():
    codenames = set(
        Group.objects.get(name="Agentes")
        .permissions.filter(content_type__app_label="feedback")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_feedback"}


def test_a_clinic_user_cannot_reach_the_answers(client_a, client_b, portal_a, resolved):
    ticket = resolved(portal_a)
    answer = feedback_give(ticket=ticket, author=portal_a, solved=True)
    for client in (client_a, client_b):
        for path in (
            LIST,
            f"{LIST}{answer.pk}/change/",
            f"/admin/tickets/ticket/{ticket.pk}/change/",
        ):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")


def test_a_staff_user_without_the_permission_is_refused(answers):
    stranger = Client()
    stranger.force_login(AgentFactory())  # staff, not in "Agentes"
    assert stranger.get(LIST).status_code == 403
