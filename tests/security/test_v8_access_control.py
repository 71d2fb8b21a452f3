"""ASVS 5.0 V8 (authorization): one clinic never reaches another's data."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from attachments.models import Attachment
from tests.attachments.files import PDF
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.states import State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)


def _portal_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _portal_patterns(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("soporte/"):
            yield pattern


def _url_for(pattern, values):
    """The URL of a pattern with each named group (``code``, ``pk``...) filled in: a new kind
    of parameter is a KeyError here, never a URL that cannot match and so answers 404."""
    url = "/" + pattern.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<(\w+)>[^()]*\)", lambda group: values[group[1]], url)
    url = url.replace("\\", "")
    assert not re.search(r"[()?{}\[\]]", url), url
    return url


@pytest.fixture
def attachments_dir(_fast_test_settings, tmp_path):
    """Files stored in the test's own folder."""
    storages = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }
    with override_settings(STORAGES=storages):
        yield


def _ticket_with_a_file(client, portal_user) -> tuple[Ticket, Attachment]:
    """A ticket of the user's clinic, with a file the clinic attached through the portal."""
    ticket = TicketFactory(clinic=portal_user.clinic, requester=portal_user)
    response = client.post(
        f"/soporte/tickets/{ticket.code}/informacion",
        {
            "text": "Adjunto la boleta del pago.",
            "attachments": [SimpleUploadedFile("boleta.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    return ticket, Attachment.objects.get(ticket=ticket)


def _without_tokens(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return re.sub(r'value="[^"]{30,}"', "", response.content.decode())


def test_v8_2_2_every_url_with_a_code_answers_another_clinic_with_the_same_404(
    client_a, client_b, portal_b, attachments_dir
):
    """Found by walking the URL configuration, so that a new URL cannot be forgotten. Clinic A
    asks for clinic B's real ticket and real file, and for ones that do not exist."""
    ticket, attachment = _ticket_with_a_file(client_b, portal_b)
    real = {"code": ticket.code, "pk": str(attachment.pk)}
    missing = {"code": "ST-20000101-99999", "pk": str(attachment.pk + 1000)}
    with_code = [p for p in _portal_patterns() if "<code>" in p]
    assert len(with_code) >= 3
    assert any("<pk>" in p for p in with_code)
    seen = set()
    for pattern in with_code:
        # Clinic B itself reaches the URL: the 404 below is the other clinic's, not a bad URL.
        own = client_b.get(_url_for(pattern, real))
        assert own.status_code != 404, pattern
        _without_tokens(own)  # read to the end: closes a file response
        for method in ("get", "post"):
            foreign = getattr(client_a, method)(_url_for(pattern, real), {"text": "x"})
            absent = getattr(client_a, method)(_url_for(pattern, missing), {"text": "x"})
            assert foreign.status_code == absent.status_code
            assert foreign.status_code in (404, 405), (pattern, method, foreign.status_code)
            seen.add(foreign.status_code)
            if foreign.status_code == 404:
                assert _without_tokens(foreign) == _without_tokens(absent)
                assert ticket.code not in foreign.content.decode()
    assert 404 in seen
    ticket.refresh_from_db()
    assert ticket.deleted_at is None and ticket.additions.count() == 1


def test_v8_2_2_another_clinics_file_is_the_404_of_a_missing_one(
    client_a, client_b, portal_a, portal_b, attachments_dir
):
    """Clinic B's real file id, asked for by clinic A under B's ticket and under its own."""
    theirs, attachment = _ticket_with_a_file(client_b, portal_b)
    mine = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    own = client_b.get(f"/soporte/tickets/{theirs.code}/archivos/{attachment.pk}")
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    absent_pk = attachment.pk + 1000
    for code in (theirs.code, mine.code):
        foreign = client_a.get(f"/soporte/tickets/{code}/archivos/{attachment.pk}")
        absent = client_a.get(f"/soporte/tickets/{code}/archivos/{absent_pk}")
        assert foreign.status_code == absent.status_code == 404, code
        assert not foreign.streaming
        assert _without_tokens(foreign) == _without_tokens(absent)
        assert "boleta" not in foreign.content.decode()


def test_v8_2_2_totals_history_and_search_never_count_another_clinic(client_b, portal_a):
    tickets = TicketFactory.create_batch(
        3, clinic=portal_a.clinic, requester=portal_a, detail="laboratorio " * 5
    )
    panel = client_b.get("/soporte/").content.decode()
    assert re.findall(r'class="total__count">(\d+)<', panel) == ["0"] * 5
    for query in (
        "",
        "?q=laboratorio",
        f"?q={tickets[0].code}",
        "?estado=abierto",
        "?area=soporte",
    ):
        html = client_b.get(f"/soporte/tickets/{query}").content.decode()
        assert "0 tickets" in html or "Ningún ticket coincide con la búsqueda." in html
        # The search box and the download link may echo what was typed; no ticket, text or
        # name of clinic A may show.
        shown = re.sub(r'value="[^"]*"|href="/soporte/tickets/descargar\?[^"]*"', "", html)
        assert not re.search(r"ST-\d{8}-\d{5}", shown), query
        assert "laboratorio laboratorio" not in shown
        assert "Clínica Veterinaria Mevetlab" not in html


def test_v8_2_2_a_follow_up_of_another_clinics_ticket_reveals_nothing_and_is_refused(
    client_a, portal_b
):
    foreign = TicketFactory(clinic=portal_b.clinic, requester=portal_b)
    shown = client_a.get(f"/soporte/tickets/nuevo?sigue={foreign.code}").content.decode()
    missing = client_a.get("/soporte/tickets/nuevo?sigue=ST-20000101-99999").content.decode()
    strip = lambda html: re.sub(r'value="[0-9a-f-]{36}"|value="[^"]{40,}"', "", html)  # noqa: E731
    assert strip(shown).replace(foreign.code, "ST-20000101-99999") == strip(missing)
    assert "El ticket anterior no existe o no pertenece a su clínica." in shown
    response = client_a.post(
        "/soporte/tickets/nuevo",
        {
            "submission_token": _token(client_a),
            "area": "soporte",
            "detail": "Estaba registrando un pago en el módulo pagos y apareció un error.",
            "follows_up": foreign.code,
        },
    )
    assert response.status_code == 400
    assert "El ticket anterior no existe o no pertenece a su clínica." in response.content.decode()
    assert list(Ticket.objects.all()) == [foreign]


def _token(client):
    html = client.get("/soporte/tickets/nuevo").content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)


def test_v8_2_3_extra_post_fields_are_ignored(client_a, portal_a, portal_b):
    client_a.post(
        "/soporte/tickets/nuevo",
        {
            "submission_token": _token(client_a),
            "area": "soporte",
            "detail": "Estaba registrando un pago en el módulo pagos y apareció un error.",
            "clinic": portal_b.clinic.pk,
            "clinic_id": portal_b.clinic.pk,
            "requester": portal_b.pk,
            "state": State.CERRADO_RESUELTO,
            "response": "respuesta inyectada",
            "latest_response": 1,
            "assigned_to": 1,
            "code": "ST-20000101-00001",
        },
    )
    ticket = Ticket.objects.get()
    assert (ticket.clinic, ticket.requester, ticket.state) == (
        portal_a.clinic,
        portal_a,
        State.ABIERTO,
    )
    assert ticket.latest_response is None and ticket.assigned_to is None
    assert not ticket.responses.exists()
    assert ticket.code != "ST-20000101-00001"


def test_v8_nothing_changes_through_get(client_a, portal_a):
    ticket = TicketFactory(clinic=portal_a.clinic, requester=portal_a)
    client_a.get(f"/soporte/tickets/{ticket.code}/eliminar")
    assert client_a.get(f"/soporte/tickets/{ticket.code}/informacion?text=hola").status_code == 405
    client_a.get("/soporte/tickets/nuevo?area=soporte&detail=" + "x" * 50)
    client_a.get("/soporte/logout")
    ticket.refresh_from_db()
    assert ticket.deleted_at is None
    assert not ticket.additions.exists()
    assert Ticket.objects.count() == 1
    assert client_a.get("/soporte/").status_code == 200


def test_v8_clinic_users_cannot_reach_the_admin(client_a):
    for path in ("/admin/", "/admin/tickets/ticket/", "/admin/accounts/user/"):
        response = client_a.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_v8_agents_are_not_clinic_users(client):
    """An agent's session does not open the clinics' portal."""
    from tests.factories import AgentFactory

    agent = AgentFactory()
    staff = Client()
    staff.force_login(agent)
    assert staff.get("/soporte/").status_code == 302
