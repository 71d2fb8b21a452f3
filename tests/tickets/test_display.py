"""tickets/templatetags/tickets_display.py: the history's rows, built in Python."""

import pytest
from django.utils import translation

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory
from tickets import services
from tickets.templatetags.tickets_display import excerpt, ticket_rows

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Corto.", "Corto."),
        ("a" * 90, "a" * 90),
        ("a" * 91, "a" * 89 + "…"),
        ("é" * 200, "é" * 89 + "…"),
    ],
)
def test_an_excerpt_keeps_90_characters_with_the_ellipsis(text, expected):
    assert excerpt(text) == expected
    assert len(excerpt(text)) <= 90


def test_rows_escape_every_value_and_label_each_cell():
    agent = AgentFactory()
    answered = TicketFactory(state="en_proceso")
    services.ticket_respond(ticket=answered, author=agent, text="Listo <script>x</script> {code}")
    answered.refresh_from_db()
    open_ticket = TicketFactory(clinic=answered.clinic, requester=answered.requester)
    open_ticket.requester.full_name = 'Ana "<b>"'
    with translation.override("es-cl"):
        html = str(ticket_rows([answered, open_ticket], "/soporte/tickets/"))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; {code}" in html
    assert "Ana &quot;&lt;b&gt;&quot;" in html
    assert html.count("<tr>") == 2
    assert 'data-label="Última respuesta"' in html
    assert "Sin respuesta todavía" in html
    assert f'href="/soporte/tickets/{answered.code}"' in html
    assert '<span class="badge badge--en_proceso">En proceso</span>' in html
