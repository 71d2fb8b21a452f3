"""*No, sigue el problema* offers *Crear ticket de seguimiento*: the ticket form, pre-filled to
cite the earlier code (guide §8), for the clinic's own tickets only."""

import re
from html import unescape

import pytest

from feedback.services import feedback_give
from tests.conftest import ALL_DATABASES
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

MORE = "La agenda volvió a fallar hoy al guardar la vacuna de Luna, igual que antes."


def form_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    detail = re.search(r'<textarea name="detail"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1)
    return html, {
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', html).group(1),
        "follows_up": re.search(r'name="follows_up" value="([^"]*)"', html).group(1),
        "detail": detail,
        "area": "soporte",
    }


def follow_up_path(client, ticket):
    html = unescape(client.get(f"/soporte/tickets/{ticket.code}").content.decode())
    return re.search(r'<a [^>]*href="([^"]*)"[^>]*>Crear ticket de seguimiento</a>', html).group(1)


def test_the_follow_up_cites_the_earlier_code_and_links_both_ways(
    client_a, client_b, portal_a, portal_b, resolved
):
    earlier = resolved(portal_a)
    resolved(portal_b)
    client_a.post(f"/soporte/tickets/{earlier.code}/se-resolvio", {"solved": "no"})

    path = follow_up_path(client_a, earlier)
    assert path == f"/soporte/tickets/nuevo?sigue={earlier.code}"
    html, data = form_of(client_a, path)
    assert f"Este ticket nuevo sigue al ticket {earlier.code}." in html
    assert data["follows_up"] == earlier.code
    assert data["detail"] == f"Seguimiento del ticket {earlier.code}: "

    data["detail"] += MORE
    response = client_a.post("/soporte/tickets/nuevo", data, follow=True)
    assert response.status_code == 200
    newer = Ticket.objects.get(clinic=portal_a.clinic, follows_up=earlier)
    assert newer.detail == f"Seguimiento del ticket {earlier.code}: {MORE}"
    assert newer.requester == portal_a
    assert f'href="/soporte/tickets/{earlier.code}"' in response.content.decode()
    html = client_a.get(f"/soporte/tickets/{earlier.code}").content.decode()
    assert "Tickets que siguen a este:" in html and f'href="/soporte/tickets/{newer.code}"' in html
    # Clinic B sees neither.
    history = client_b.get("/soporte/tickets/").content.decode()
    assert earlier.code not in history and newer.code not in history


def test_the_citation_alone_is_not_a_detail(client_a, portal_a, portal_b, resolved):
    earlier = resolved(portal_a)
    resolved(portal_b)
    feedback_give(ticket=earlier, author=portal_a, solved=False)
    _html, data = form_of(client_a, f"/soporte/tickets/nuevo?sigue={earlier.code}")
    for detail in (data["detail"], data["detail"] + "no funciona", data["detail"] + "x" * 10):
        response = client_a.post("/soporte/tickets/nuevo", {**data, "detail": detail})
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert "Mejor escriba" in html
        assert detail.strip() in html  # what was typed stays
    assert not Ticket.objects.filter(follows_up=earlier).exists()


def test_another_clinics_code_pre_fills_nothing(client_a, client_b, portal_a, portal_b, resolved):
    earlier = resolved(portal_a)
    feedback_give(ticket=earlier, author=portal_a, solved=False)
    html, data = form_of(client_b, f"/soporte/tickets/nuevo?sigue={earlier.code}")
    assert "El ticket anterior no existe o no pertenece a su clínica." in html
    assert earlier.code not in html
    assert data["detail"] == "" and data["follows_up"] == ""
    # Clinic A's own link still pre-fills.
    _html, own = form_of(client_a, f"/soporte/tickets/nuevo?sigue={earlier.code}")
    assert own["detail"].startswith(f"Seguimiento del ticket {earlier.code}")
