"""Creating a ticket (/soporte/tickets/nuevo) with any area, detail, earlier ticket and
submission token: created, or refused in Spanish with the detail kept; never a server error,
and no other ticket touched."""

import re
import uuid
from functools import partial

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from portal.forms import TicketForm
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tests.properties.checks import (
    as_browser_lines,
    assert_errors_shown,
    assert_spanish_page,
    hidden_values,
    textarea_value,
)
from tests.properties.strategies import any_text, text, weighted
from tickets import selectors
from tickets.limits import DETAIL_MAX_LENGTH
from tickets.models import Ticket
from tickets.states import Area
from vetsync_support.middleware import BODY_LIMIT

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

CREATE = "/soporte/tickets/nuevo"
TOO_LARGE = "El texto enviado es demasiado largo."
GOOD_DETAIL = (
    "Estaba emitiendo una factura comercial en el módulo pagos. Esperaba que quedara pagado, "
    "pero el pago se confirmó y la cuenta sigue pendiente. 29-04-2026 cerca de las 10:30."
)
# Replaced in the test by the codes of the tickets it creates.
A_CODE, B_CODE = "<A code>", "<B code>"
SAME_TOKEN = str(uuid.UUID(int=1))  # sent more than once: the second time is a duplicate

# Mostly what the form sends, often anything at all, sometimes nothing (None: not sent).
areas = weighted((6, st.sampled_from(Area.values)), (1, any_text()), (1, st.none()))
details = weighted(
    (5, st.sampled_from([GOOD_DETAIL, f"\n{GOOD_DETAIL}\r\n", f"{GOOD_DETAIL} ' OR 1=1 --"])),
    (1, st.sampled_from(["no funciona", "Error en pago", "breve"])),
    (1, st.builds(lambda a, b: a + GOOD_DETAIL + b, text(max_size=50), text(max_size=50))),
    (2, any_text()),
    (1, st.none()),
)
follow_ups = weighted(
    (4, st.sampled_from(["", None])),
    (2, st.sampled_from([A_CODE, B_CODE, f" {A_CODE.lower()} ", "ST-20990101-00001"])),
    (1, any_text()),
)
tokens = weighted(
    (5, st.uuids().map(str)),
    (1, st.sampled_from(["", SAME_TOKEN, None])),
    (1, any_text()),
)


@pytest.fixture
def earlier_tickets(portal_a, portal_b):
    return (
        TicketFactory(clinic=portal_a.clinic, requester=portal_a),
        TicketFactory(clinic=portal_b.clinic, requester=portal_b, state="en_proceso"),
    )


def snapshot() -> dict:
    return {
        ticket.pk: (ticket.code, ticket.clinic_id, ticket.state, ticket.detail, ticket.deleted_at)
        for ticket in Ticket.objects.all()
    }


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(area=areas, detail=details, follows_up=follow_ups, submission_token=tokens)
# Found by this test: a malformed token refused without a word, and, like an earlier ticket
# that is not the clinic's, carried into the form shown again, which then could never be sent;
# a first line break of the detail lost in that form.
@example(area=None, detail=None, follows_up=None, submission_token="\x00")
@example(area=None, detail=None, follows_up=B_CODE, submission_token=None)
@example(area=None, detail=f"\n{GOOD_DETAIL}\r\n", follows_up=None, submission_token=None)
def test_any_ticket_form_is_created_or_refused_in_spanish(
    client_a, portal_a, earlier_tickets, area, detail, follows_up, submission_token
):
    mine, foreign = earlier_tickets
    if follows_up is not None:
        follows_up = follows_up.replace(A_CODE, mine.code).replace(B_CODE, foreign.code)
    data = {"area": area, "detail": detail, "follows_up": follows_up}
    data["submission_token"] = submission_token
    data = {name: value for name, value in data.items() if value is not None}
    before = snapshot()
    clinic = portal_a.clinic

    response = client_a.post(CREATE, data)

    event(f"status {response.status_code}")
    after = snapshot()
    # Every ticket that existed is as it was; none of clinic B's was added.
    assert {pk: after[pk] for pk in before} == before
    new = {pk: row for pk, row in after.items() if pk not in before}
    assert all(row[1] == clinic.pk for row in new.values())

    if int(response.wsgi_request.META["CONTENT_LENGTH"]) > BODY_LIMIT:
        assert response.status_code == 413
        assert TOO_LARGE in assert_spanish_page(response)
        assert not new
        return
    form = TicketForm(data=data, follow_up_lookup=partial(selectors.ticket_by_code, clinic=clinic))
    if response.status_code == 302:
        assert form.is_valid(), form.errors
        ticket = Ticket.objects.get(clinic=clinic, code=response.url.rsplit("/", 1)[-1])
        assert response.url == f"/soporte/tickets/{ticket.code}"
        if new:
            assert list(new) == [ticket.pk]
            assert ticket.detail == form.cleaned_data["detail"]
            assert ticket.area == form.cleaned_data["area"]
            assert ticket.follows_up == form.cleaned_data["follows_up"]
        else:  # the same form sent again
            assert ticket.submission_token == form.cleaned_data["submission_token"] is not None
        page = client_a.get(response.url)
        assert page.status_code == 200
        assert ticket.code in assert_spanish_page(page)
        return

    if response.status_code == 200:
        # Tickets parecidos abiertos: nothing created yet, only the clinic's own open tickets
        # offered, and "Es otro caso: enviar ticket" creates it.
        assert form.is_valid(), form.errors
        assert not new
        html = assert_spanish_page(response)
        assert "Tickets parecidos abiertos" in html
        offered = set(re.findall(r'name="agregar_a" value="([^"]+)"', html))
        own_open = Ticket.objects.filter(clinic=clinic, state__in=["abierto", "en_proceso"])
        assert offered and offered <= set(own_open.values_list("code", flat=True))
        again = client_a.post(CREATE, {**data, "otro_caso": "1"})
        assert again.status_code == 302
        return

    assert response.status_code == 400
    assert not new
    html = assert_spanish_page(response)
    messages = assert_errors_shown(html, form)
    assert messages, "a refusal without a reason"
    # The detail typed is in the form again, as typed (short of what no textarea can hold).
    if detail is not None and len(detail) <= DETAIL_MAX_LENGTH and "\x00" not in detail:
        assert textarea_value(html, "detail") == as_browser_lines(detail)
    # The form shown again can be sent: the hidden values it carries, which the clinic cannot
    # correct, with a right area and detail create the ticket.
    hidden = hidden_values(html)
    assert hidden.keys() == {"submission_token", "follows_up"}
    again = client_a.post(
        CREATE, {**hidden, "area": "soporte", "detail": GOOD_DETAIL, "otro_caso": "1"}
    )
    assert again.status_code == 302, (hidden, again.content.decode()[-3000:])
