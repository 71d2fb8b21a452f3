"""Every word the agents' desk shows is Spanish, whatever language the browser asks for:
Django 6.1 leaves a few admin words untranslated in Spanish (locale/es_CL has them) and some
libraries ship no Spanish (their app names: vetsync_support/apps.py)."""

import gettext
import re

import pytest
from django.conf import settings

from tests.conftest import ALL_DATABASES
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

ENGLISH = [
    "Select an option",
    ">Run<",
    "Logout",
    "Filter by",
    "Search ",
    "Pagination ",
    "Axes",
    "Tasks Database Backend",
    "Access attempts",
    "Access logs",
    "Task Results",
    "Authentication and Authorization",
    "Site administration",
    "Recent actions",
    "Welcome",
    "Change password",
    "Log out",
]


def visible_text(html: str) -> str:
    """The page's words and attribute texts, without scripts, styles or SVG symbols."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", "", html, flags=re.S)
    return html


def assert_spanish(html: str) -> None:
    text = visible_text(html)
    found = [word for word in ENGLISH if word in text]
    assert not found, found


@pytest.fixture
def pages(desk_agent):
    ticket = TicketFactory()
    return {
        "index": "/admin/",
        "list": "/admin/tickets/ticket/",
        "change": f"/admin/tickets/ticket/{ticket.pk}/change/",
        "targets": "/admin/service_levels/responsetarget/",
    }


@pytest.mark.parametrize("language", ["en", "en-US,en;q=0.9", "de", "es-ES"])
def test_the_agents_desk_speaks_spanish_to_any_browser(desk, pages, language):
    for page, path in pages.items():
        response = desk.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert '<html lang="es-cl"' in html
        assert_spanish(html)
    html = desk.get(pages["list"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "- Seleccione una opción -" in html  # the action menu
    assert ">Ejecutar</button>" in html
    assert "Cerrar sesión" in html
    assert "Filtrar por" in html or "Por cola" in html


def test_a_superuser_sees_every_app_named_in_spanish(client):
    admin_user = AgentFactory(is_superuser=True)
    client.force_login(admin_user)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert_spanish(html)
    captions = re.findall(r'class="section">([^<]+)</a>', html)
    assert "Bloqueo de ingresos" in captions
    assert "Tareas en segundo plano" in captions
    assert "Autenticación y autorización" in captions
    assert ">Intentos de ingreso</a>" in html
    assert ">Resultados de tareas</a>" in html


def test_the_compiled_catalog_is_its_source():
    """locale/es_CL: every translation of the .po is in the committed .mo."""
    folder = settings.BASE_DIR / "locale" / "es_CL" / "LC_MESSAGES"
    source = (folder / "django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    assert len(pairs) > 40
    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, msgstr in pairs:
        assert catalog.gettext(unescape(msgid)) == unescape(msgstr)


def unescape(po_text: str) -> str:
    return po_text.replace('\\"', '"')
