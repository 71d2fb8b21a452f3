"""Adding information to a ticket (/soporte/tickets/<code>/informacion) with any text: added
to the clinic's own open ticket, refused in Spanish otherwise, a 404 for another clinic's
ticket; never a server error, and nothing else changed."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.forms import AddInformationForm
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tests.properties.checks import (
    as_browser_lines,
    assert_errors_shown,
    assert_spanish_page,
    textarea_value,
)
from tests.properties.strategies import any_text, weighted
from tickets import services
from tickets.limits import ADDITION_MAX_LENGTH, MAX_ADDITIONS
from tickets.models import Ticket, TicketAddition
from tickets.states import State
from vetsync_support.middleware import BODY_LIMIT

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

TOO_LARGE = "El texto enviado es demasiado largo."
NOT_FOUND = "La página o el ticket que busca no existe, o no pertenece a su clínica."
CLOSED = "El ticket ya fue cerrado y no permite agregar información."
TOO_MANY = f"Este ticket ya tiene {MAX_ADDITIONS} informaciones agregadas."

texts = weighted(
    (2, st.sampled_from(["El pago quedó pendiente desde ayer.", "Dato", "\nOtra línea\r\n"])),
    (3, any_text()),
    (1, st.none()),  # no text sent
)


@pytest.fixture
def tickets(portal_a, portal_b):
    """Clinic A's open ticket, its closed one, each with an addition, one a single addition
    short of the limit, and clinic B's."""
    open_ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    closed = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    for ticket in (open_ticket, closed):
        services.ticket_add_information(ticket=ticket, author=portal_a, text="Primer dato.")
    almost_full = TicketFactory(clinic=portal_a.clinic, requester=portal_a, state="en_proceso")
    for number in range(MAX_ADDITIONS - 1):
        services.ticket_add_information(ticket=almost_full, author=portal_a, text=f"Dato {number}")
    Ticket.objects.filter(pk=closed.pk).update(state=State.CERRADO_RESUELTO)
    foreign = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    services.ticket_add_information(ticket=foreign, author=portal_b, text="Dato de la otra.")
    return {"open": open_ticket, "almost full": almost_full, "closed": closed, "foreign": foreign}


def snapshot() -> tuple[dict, dict]:
    tickets = {t.pk: (t.code, t.clinic_id, t.state, t.detail) for t in Ticket.objects.all()}
    additions = {a.pk: (a.ticket_id, a.text) for a in TicketAddition.objects.all()}
    return tickets, additions


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(which=st.sampled_from(["open", "almost full", "closed", "foreign"]), text=texts)
def test_any_information_is_added_to_the_own_open_ticket_or_refused(client_a, tickets, which, text):
    ticket = tickets[which]
    tickets_before, additions_before = snapshot()

    response = client_a.post(
        f"/soporte/tickets/{ticket.code}/informacion", {} if text is None else {"text": text}
    )

    event(f"{which}: status {response.status_code}")
    tickets_after, additions_after = snapshot()
    # No ticket changed; no addition changed or went away.
    assert tickets_after == tickets_before
    assert {pk: additions_after[pk] for pk in additions_before} == additions_before
    new = {pk: row for pk, row in additions_after.items() if pk not in additions_before}

    if int(response.wsgi_request.META["CONTENT_LENGTH"]) > BODY_LIMIT:
        assert response.status_code == 413
        assert TOO_LARGE in assert_spanish_page(response)
        assert not new
        return
    if which == "foreign":
        assert response.status_code == 404
        html = assert_spanish_page(response)
        assert NOT_FOUND in html
        assert ticket.code not in html
        assert not new
        return
    form = AddInformationForm({} if text is None else {"text": text})
    if response.status_code == 302:
        assert which in ("open", "almost full")
        assert response.url == f"/soporte/tickets/{ticket.code}"
        assert form.is_valid()
        assert list(new.values()) == [(ticket.pk, form.cleaned_data["text"])]
        page = client_a.get(response.url)
        assert page.status_code == 200
        assert "La información fue agregada al ticket." in assert_spanish_page(page)
        return

    assert response.status_code == 400
    assert not new
    html = assert_spanish_page(response)
    messages = assert_errors_shown(html, form)
    if not messages:  # a valid text, refused by the rules: closed, or no room left
        if which == "closed":
            assert CLOSED in html
        else:
            assert ticket.additions.count() >= MAX_ADDITIONS
            assert TOO_MANY in html
    # The text typed is in the form again, as typed.
    if text is not None and len(text) <= ADDITION_MAX_LENGTH and "\x00" not in text:
        assert textarea_value(html, "text") == as_browser_lines(text)
