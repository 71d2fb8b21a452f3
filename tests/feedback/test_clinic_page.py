"""A ticket closed as "Cerrado / resuelto" asks the clinic "¿Se resolvió su problema?": once per
ticket, by any user of the clinic; another clinic's ticket is a 404 and nothing is stored."""

import re
from html import unescape

import pytest
from django.db import IntegrityError, transaction

from feedback import services as feedback_services
from feedback.models import Feedback
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Ticket
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

QUESTION = "¿Se resolvió su problema?"
YES = "Sí, quedó resuelto"
NO = "No, sigue el problema"
FOLLOW_UP = "Crear ticket de seguimiento"
NOT_RESOLVED = (
    "Solo se puede responder «¿Se resolvió su problema?» cuando el ticket está Cerrado / resuelto."
)
ALREADY = (
    "Este ticket ya tiene una respuesta a «¿Se resolvió su problema?». Se conserva la "
    "primera respuesta."
)
DATE = r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}"


def page(client, ticket):
    response = client.get(f"/soporte/tickets/{ticket.code}")
    assert response.status_code == 200
    return unescape(response.content.decode())


def answer(client, ticket, solved, comment="", **kwargs):
    data = {"solved": solved, "comment": comment}
    return client.post(f"/soporte/tickets/{ticket.code}/se-resolvio", data, **kwargs)


def asks(html):
    return QUESTION in html and 'name="solved" value="si"' in html and 'value="no"' in html


def follow_up_link(html, ticket):
    """The href of "Crear ticket de seguimiento", or None."""
    link = re.search(rf'<a [^>]*href="([^"]*)"[^>]*>{FOLLOW_UP}</a>', html)
    return link and link.group(1)


@pytest.mark.parametrize("state", State.values)
def test_the_question_is_asked_only_in_cerrado_resuelto(client_a, portal_a, agent, state):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    if state != State.ABIERTO:
        services.ticket_transition(ticket=ticket, to_state=state, actor=agent)
    html = page(client_a, ticket)
    assert asks(html) == (state == State.CERRADO_RESUELTO)
    assert (QUESTION in html) == (state == State.CERRADO_RESUELTO)


def test_a_reopened_ticket_no_longer_asks(client_a, portal_a, agent, resolved):
    ticket = resolved(portal_a)
    assert asks(page(client_a, ticket))
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    assert QUESTION not in page(client_a, ticket)


@pytest.mark.parametrize("solved", ["si", "no"])
@pytest.mark.parametrize("comment", ["", "La agenda guarda bien, pero\nel <b>correo</b> no llega."])
def test_the_clinic_answers_and_sees_its_answer(
    client_a, portal_a, portal_b, client_b, resolved, solved, comment
):
    ticket = resolved(portal_a)
    theirs = resolved(portal_b)

    response = answer(client_a, ticket, solved, comment)
    assert response.status_code == 302
    assert response["Location"] == f"/soporte/tickets/{ticket.code}"

    stored = Feedback.objects.get()
    assert (stored.ticket, stored.author, stored.solved) == (ticket, portal_a, solved == "si")
    assert stored.comment == comment
    raw = client_a.get(f"/soporte/tickets/{ticket.code}").content.decode()
    html = unescape(raw)
    assert "Gracias por su respuesta." in html
    assert QUESTION in html and not asks(html)  # the answer, no longer the form
    assert (YES if solved == "si" else NO) in html
    assert (NO if solved == "si" else YES) not in html
    assert re.search(rf"Respondido por Fernando Pérez el {DATE}", html)
    if comment:
        assert "el &lt;b&gt;correo&lt;/b&gt; no llega." in raw  # escaped
        assert "pero<br>el" in raw  # its lines kept
    # "No, sigue el problema" offers the follow-up; "Sí" does not.
    assert (FOLLOW_UP in html) == (solved == "no")
    expected = f"/soporte/tickets/nuevo?sigue={ticket.code}" if solved == "no" else None
    assert follow_up_link(html, ticket) == expected
    # Clinic B's own resolved ticket still asks, and shows nothing of clinic A's answer.
    other = page(client_b, theirs)
    assert asks(other)
    assert "Fernando Pérez" not in other and "Respondido por" not in other


def test_the_answer_stays_on_the_page_after_a_reopening(client_a, portal_a, agent, resolved):
    ticket = resolved(portal_a)
    answer(client_a, ticket, "no", "Sigue fallando.")
    services.ticket_transition(ticket=ticket, to_state=State.EN_PROCESO, actor=agent)
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    html = page(client_a, ticket)
    assert not asks(html)  # once per ticket, even when it is resolved again
    assert NO in html and "Sigue fallando." in html


def test_once_per_ticket_a_second_answer_changes_nothing(client_a, colleague_a, portal_a, resolved):
    ticket = resolved(portal_a)
    answer(client_a, ticket, "si", "Gracias, quedó bien.")
    for client in (client_a, colleague_a):
        response = answer(client, ticket, "no", "Ahora falla otra vez.", follow=True)
        html = unescape(response.content.decode())
        assert ALREADY in html
        assert YES in html and "Gracias, quedó bien." in html
        assert "Ahora falla otra vez." not in html
    stored = Feedback.objects.get()
    assert (stored.solved, stored.comment, stored.author) == (
        True,
        "Gracias, quedó bien.",
        portal_a,
    )


def test_any_user_of_the_clinic_may_answer(colleague_a, client_a, portal_a, resolved):
    ticket = resolved(portal_a)
    answer(colleague_a, ticket, "no")
    assert Feedback.objects.get().author.display_name == "Camila Rojas"
    assert re.search(rf"Respondido por Camila Rojas el {DATE}", page(client_a, ticket))


def test_another_clinics_answer_is_a_404_and_stores_nothing(client_a, client_b, portal_a, resolved):
    ticket = resolved(portal_a)
    foreign = answer(client_b, ticket, "no", "Intento ajeno")
    missing = client_b.post(
        "/soporte/tickets/ST-20000101-99999/se-resolvio", {"solved": "no", "comment": "x"}
    )
    assert foreign.status_code == missing.status_code == 404
    assert ticket.code not in foreign.content.decode()
    assert not Feedback.objects.exists()
    assert asks(page(client_a, ticket))  # clinic A may still answer


@pytest.mark.parametrize(
    "state",
    [
        State.ABIERTO,
        State.EN_PROCESO,
        State.CERRADO_CON_PROBLEMA,
        State.CERRADO_RESPONSABILIDAD_CLIENTE,
    ],
)
def test_a_ticket_not_resolved_refuses_an_answer_in_spanish(
    client_a, client_b, portal_a, portal_b, agent, state
):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    if state != State.ABIERTO:
        services.ticket_transition(ticket=ticket, to_state=state, actor=agent)
    response = answer(client_a, ticket, "si", "Forzado", follow=True)
    html = unescape(response.content.decode())
    assert NOT_RESOLVED in html
    assert not Feedback.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).state == state
    # Clinic B's forged answer on the same ticket: a 404, not the refusal.
    assert answer(client_b, ticket, "si").status_code == 404


def test_get_does_not_answer(client_a, portal_a, resolved):
    ticket = resolved(portal_a)
    response = client_a.get(f"/soporte/tickets/{ticket.code}/se-resolvio?solved=si")
    assert response.status_code == 405
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "solved, comment, error",
    [
        ("", "Mi comentario", "Elija «Sí, quedó resuelto» o «No, sigue el problema»."),
        ("quizas", "Mi comentario", "Elija «Sí, quedó resuelto» o «No, sigue el problema»."),
        ("no", "Mi comentario " + "x" * 2000, "El comentario no puede superar los 2000"),
    ],
)
def test_a_bad_answer_is_a_form_error_and_keeps_the_comment(
    client_a, portal_a, portal_b, resolved, solved, comment, error
):
    ticket = resolved(portal_a)
    resolved(portal_b)
    response = answer(client_a, ticket, solved, comment)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert error in html
    assert "Mi comentario" in html and asks(html)
    assert not Feedback.objects.exists()


def test_the_answer_needs_the_csrf_token(client_a, portal_a, resolved):
    ticket = resolved(portal_a)
    client_a.handler.enforce_csrf_checks = True
    refused = answer(client_a, ticket, "si")
    assert refused.status_code == 403
    assert "La página expiró" in refused.content.decode()
    assert not Feedback.objects.exists()
    form = re.search(r'action="[^"]*/se-resolvio".*?</form>', page(client_a, ticket), re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    data = {"solved": "si", "csrfmiddlewaretoken": token}
    assert client_a.post(f"/soporte/tickets/{ticket.code}/se-resolvio", data).status_code == 302
    assert Feedback.objects.get().solved


# --- the service and the database ------------------------------------------------------------


def test_the_database_keeps_one_answer_per_ticket(portal_a, portal_b, resolved):
    ticket = resolved(portal_a)
    Feedback.objects.create(ticket=ticket, author=portal_a, solved=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(ticket=ticket, author=portal_a, solved=False)
    other = resolved(portal_b)
    Feedback.objects.create(ticket=other, author=portal_b, solved=False)  # its own ticket: fine
    assert Feedback.objects.count() == 2


def test_an_answer_that_lost_the_race_is_refused_by_the_unique_key(portal_a, resolved, monkeypatch):
    """Two answers sent at once: both pass the check before either is stored (as where row
    locks do not serialize them); the database's unique key refuses the second."""
    ticket = resolved(portal_a)
    first = feedback_services.feedback_give(ticket=ticket, author=portal_a, solved=True)
    monkeypatch.setattr(feedback_services, "feedback_refusal", lambda ticket: None)
    with pytest.raises(feedback_services.FeedbackError) as refused:
        feedback_services.feedback_give(ticket=ticket, author=portal_a, solved=False)
    assert refused.value.message == ALREADY
    assert list(Feedback.objects.all()) == [first]


def test_only_a_user_of_the_tickets_clinic_answers(portal_a, portal_b, agent, resolved):
    ticket = resolved(portal_a)
    for stranger in (portal_b, agent):
        with pytest.raises(feedback_services.FeedbackError) as refused:
            feedback_services.feedback_give(ticket=ticket, author=stranger, solved=True)
        assert refused.value.message == "El ticket no pertenece a su clínica."
    assert not Feedback.objects.exists()


# --- the page's queries -------------------------------------------------------------------------


def feedback_reads(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "feedback_feedback" in q["sql"]]


@pytest.mark.parametrize("answered", [False, True])
def test_a_resolved_tickets_page_keeps_to_6_queries(
    client_a, portal_a, portal_b, agent, django_assert_max_num_queries, answered
):
    """The fullest page: responses, additions, follow-ups, and the clinic's answer, which
    feedback/ reads in a query of its own (the ticket core's statements name no feature's
    table)."""
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    for n in range(3):
        services.ticket_respond(ticket=ticket, author=agent, text=f"Respuesta {n}")
        services.ticket_add_information(ticket=ticket, author=portal_a, text=f"Dato {n}")
    services.ticket_transition(ticket=ticket, to_state=State.CERRADO_RESUELTO, actor=agent)
    TicketFactory(clinic=portal_a.clinic, requester=portal_a, follows_up=ticket)
    TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    if answered:
        feedback_services.feedback_give(
            ticket=ticket, author=portal_a, solved=False, comment="Sigue igual."
        )
    client_a.get(f"/soporte/tickets/{ticket.code}")
    # session, user+clinic, the ticket with its changes, its responses, additions and
    # follow-ups, its files (attachments/), the answer (feedback/); VetSync's check runs on its
    # own database, not counted
    with django_assert_max_num_queries(6) as captured:
        response = client_a.get(f"/soporte/tickets/{ticket.code}")
    html = unescape(response.content.decode())
    assert "Respuesta 2" in html and "Dato 2" in html
    assert asks(html) != answered
    assert ("Sigue igual." in html) == answered
    # One query reads the answer, feedback's own: not the ticket's statement.
    reads = feedback_reads(captured)
    assert len(reads) == 1 and "tickets_ticketaddition" not in reads[0]


def test_the_answer_is_read_only_for_a_ticket_that_may_have_one(client_a, portal_a, agent):
    """Only a ticket resolved now, or resolved before and moved since, may have an answer: the
    page of any other reads none (and costs a query less)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def reads(ticket):
        with CaptureQueriesContext(connection) as captured:
            page(client_a, ticket)
        return len(feedback_reads(captured))

    never = {}
    for state in State.values:
        never[state] = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
        if state != State.ABIERTO:
            services.ticket_transition(ticket=never[state], to_state=state, actor=agent)
    assert {state: reads(ticket) for state, ticket in never.items()} == {
        state: int(state == State.CERRADO_RESUELTO) for state in State.values
    }
    # Resolved, answered, then reopened and closed otherwise: the answer stays on its page.
    ticket = never[State.CERRADO_RESUELTO]
    feedback_services.feedback_give(ticket=ticket, author=portal_a, solved=False, comment="Nada.")
    for state in (State.EN_PROCESO, State.CERRADO_CON_PROBLEMA):
        services.ticket_transition(ticket=ticket, to_state=state, actor=agent)
        assert reads(ticket) == 1
        html = page(client_a, ticket)
        assert NO in html and "Nada." in html and not asks(html)


def test_the_answer_is_read_as_the_orm_gives_it_and_only_by_its_clinic(
    portal_a, portal_b, resolved
):
    from feedback.selectors import feedback_on_ticket
    from tickets import selectors

    ticket = resolved(portal_a)
    unanswered = resolved(portal_b)
    stored = feedback_services.feedback_give(
        ticket=ticket, author=portal_a, solved=False, comment="Sigue igual."
    )
    shown_ticket = selectors.ticket_page(clinic=portal_a.clinic, code=ticket.code)
    shown = feedback_on_ticket(clinic=portal_a.clinic, ticket=shown_ticket)
    assert (shown.solved, shown.comment, shown.created_at, shown.author_name) == (
        stored.solved,
        stored.comment,
        stored.created_at,
        stored.author.display_name,
    )
    theirs = selectors.ticket_page(clinic=portal_b.clinic, code=unanswered.code)
    assert feedback_on_ticket(clinic=portal_b.clinic, ticket=theirs) is None
    # Clinic A's ticket asked for as clinic B's: its answer is not B's to read.
    assert feedback_on_ticket(clinic=portal_b.clinic, ticket=shown_ticket) is None


@pytest.mark.parametrize("module", ["portal/views.py", "feedback/forms.py"])
def test_the_views_reach_tickets_and_answers_only_through_selectors_and_services(module):
    from tests.tickets.test_isolation import BASE_DIR, _names_used

    used = _names_used(BASE_DIR / module)
    for model in ("Ticket", "Feedback"):
        assert f"{model}.objects" not in used, f"{module} touches {model}.objects directly"
