"""The clinic's ticket URLs: a malformed code is a 404, a logged-out visitor goes to the login,
and views and forms reach tickets only through the scoped selectors. (Another clinic's ticket,
history and totals: tests/security/test_v8_access_control.py.)"""

import ast
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


@pytest.mark.parametrize("module", ["portal/views.py", "portal/forms.py", "accounts/views.py"])
def test_views_and_forms_reach_tickets_only_through_the_selectors(module):
    used = _names_used(BASE_DIR / module)
    for model in ("Ticket", "TicketResponse", "TicketEvent", "TicketAddition"):
        assert f"{model}.objects" not in used, f"{module} touches {model}.objects directly"
