"""A clinic never sees another clinic's tickets: every URL with a code answers the same 404."""

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

BASE_DIR = Path(__file__).resolve().parents[2]

# Every clinic URL that takes a ticket code, with the methods it answers.
CODE_URLS = [
    ("get", "/soporte/tickets/{code}"),
    ("get", "/soporte/tickets/{code}/eliminar"),
    ("post", "/soporte/tickets/{code}/eliminar"),
    ("post", "/soporte/tickets/{code}/informacion"),
]


def _body(response):
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_sweep_covers_every_url_that_takes_a_code():
    from django.urls import get_resolver

    patterns = [str(p.pattern) for p in get_resolver().url_patterns if "tickets" in str(p.pattern)]
    resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "soporte/tickets/")
    with_code = [str(p.pattern) for p in resolver.url_patterns if "code" in str(p.pattern)]
    assert patterns
    assert len(with_code) == 3  # detail, eliminar, informacion: all swept above


@pytest.mark.parametrize(("method", "url"), CODE_URLS)
def test_another_clinics_ticket_is_the_same_404_as_a_missing_one(client_b, portal_a, method, url):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    data = {"text": "Información de otra clínica"} if method == "post" else None
    foreign = getattr(client_b, method)(url.format(code=ticket.code), data)
    missing = getattr(client_b, method)(url.format(code="ST-20000101-99999"), data)
    assert foreign.status_code == missing.status_code == 404
    assert _body(foreign) == _body(missing)
    assert ticket.code not in foreign.content.decode()
    ticket.refresh_from_db()
    assert ticket.deleted_at is None
    assert not ticket.additions.exists()


def test_a_follow_up_of_another_clinics_ticket_reveals_nothing(client_b, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    foreign = client_b.get(f"/soporte/tickets/nuevo?sigue={ticket.code}").content.decode()
    missing = client_b.get("/soporte/tickets/nuevo?sigue=ST-20000101-99999").content.decode()
    strip = lambda html: re.sub(r'value="[0-9a-f-]{36}"|value="[^"]{40,}"', "", html)  # noqa: E731
    assert strip(foreign).replace(ticket.code, "ST-20000101-99999") == strip(missing)
    assert "no existe o no pertenece a su clínica" in foreign


def test_history_search_and_totals_of_another_clinic_show_nothing(client_b, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a, detail="x" * 40)
    for url in (
        "/soporte/",
        "/soporte/tickets/",
        f"/soporte/tickets/?q={ticket.code}",
        "/soporte/tickets/?q=xxxxxxxx",
        "/soporte/tickets/?estado=abierto",
    ):
        html = client_b.get(url).content.decode()
        # The search box may echo what was typed; no ticket row, total or name may show.
        assert f'<span class="code">{ticket.code}</span>' not in html
        assert ticket.detail not in html
        assert "Clínica Veterinaria Mevetlab" not in html
        assert 'class="total__count">1<' not in html


@pytest.mark.parametrize(
    "path",
    [
        "/soporte/tickets/ST-2026-1",
        "/soporte/tickets/st-20260101-00001",
        "/soporte/tickets/ST-20260101-00001%00",
        "/soporte/tickets/ST-20260101-0000A",
        "/soporte/tickets/1",
        "/soporte/tickets/ST-20260101-00001/otra-cosa",
        "/soporte/tickets/%27%20OR%201=1",
    ],
)
def test_a_malformed_code_is_a_404(client_a, path):
    assert client_a.get(path).status_code == 404


def test_a_logged_out_visitor_is_sent_to_the_login(client, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    from django.test import Client

    anonymous = Client()
    for method, url in CODE_URLS:
        response = getattr(anonymous, method)(url.format(code=ticket.code))
        assert response.status_code == 302
        assert response["Location"] == "/soporte/login"
    assert Ticket.objects.get().deleted_at is None


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("module", ["tickets/views.py", "tickets/forms.py", "accounts/views.py"])
def test_views_and_forms_reach_tickets_only_through_the_selectors(module):
    used = _names_used(BASE_DIR / module)
    for model in ("Ticket", "TicketResponse", "TicketEvent", "TicketAddition"):
        assert f"{model}.objects" not in used, f"{module} touches {model}.objects directly"
