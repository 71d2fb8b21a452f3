"""In Chromium at 1280x800: an agent starts the day on the queues above the ticket list, and the
list fits the screen without horizontal scrolling, with long clinic and people names, overdue
tickets and answered ones."""

import os
import re

from playwright.sync_api import expect

from tests.e2e.conftest import agent_login, login
from tests.e2e.server import AGENT_USERNAME, E2E_DIR, manage

LONG_DATA = f"""
from datetime import timedelta
from accounts.models import Clinic, User
from service_levels.selectors import response_targets_for
from service_levels.services import ticket_due_times_recompute
from tickets import services
from tickets.models import Ticket

agent = User.objects.get(username={AGENT_USERNAME!r})
agent.first_name, agent.last_name = "María Fernanda", "Valenzuela Echeverría"
agent.save()
requester = User.objects.filter(clinic__isnull=False).select_related("clinic").first()
clinic = requester.clinic
clinic.name = "Clínica Veterinaria y Hospital de Mascotas San Francisco de Asís de Puerto Montt SpA"
clinic.save()
requester.full_name = "María José Fernández de la Fuente Urrutia-Valdivieso"
requester.save()
for n in range(30):
    ticket, _ = services.ticket_create(
        clinic=clinic, requester=requester, area=("soporte", "comercial")[n % 2],
        detail="La agenda no guarda la vacuna de Luna al confirmar la cita. " * 4,
    )
    if n % 3 == 0:
        services.ticket_respond(ticket=ticket, author=agent, text="Lo estamos revisando.")
    if n % 2 == 0:
        services.ticket_assign(ticket=ticket, agent=agent, actor=agent)
    if n < 12:
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=ticket.created_at - timedelta(days=n + 3, hours=n)
        )
for area in ("soporte", "comercial"):
    ticket_due_times_recompute(area=area, targets=response_targets_for(area))
"""


def e2e_environment() -> dict[str, str]:
    """The live server's database (tests/e2e/server.py made it) for a management command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        base, _, name = url.rpartition("/")
        url = f"{base}/{name.split('?')[0]}_{E2E_DIR.name}"
    else:
        url = f"sqlite:///{E2E_DIR / 'portal.sqlite3'}"
    env.update({"DJANGO_SETTINGS_MODULE": "vetsync_support.settings", "DEBUG": "true"})
    env["DATABASE_URL"] = url
    return env


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_the_queues_and_a_list_that_fits_1280_pixels(new_page, live_server_url):
    login(new_page())  # the clinic's user is mirrored locally when it logs in
    manage(e2e_environment(), "shell", "--no-imports", "-c", LONG_DATA)
    desk = agent_login(new_page(width=1280, height=800))

    # The index page: every queue with its count.
    queues = desk.locator("#ticket-queues")
    for label in (
        "Mis tickets",
        "Sin asignar",
        "Vencidos",
        "Vencen hoy",
        "Esperando a la clínica",
        "Todos los abiertos",
    ):
        expect(queues.get_by_role("link", name=re.compile(rf"^{label} \d+$"))).to_be_visible()
    assert page_width(desk) <= 1280

    desk.goto("/admin/tickets/ticket/")
    assert page_width(desk) <= 1280, "the ticket list scrolls sideways at 1280 px"

    # Vencidos: the overdue tickets, each marked with how long ago, as many as its count.
    overdue = desk.locator(".desk-queues").get_by_role("link", name=re.compile(r"^Vencidos \d+$"))
    count = int(overdue.inner_text().split()[-1])
    assert count >= 12
    overdue.click()
    desk.wait_for_url("**cola=vencidos**")
    assert desk.locator("#result_list tbody tr").count() == min(count, 25)
    # Short, in the column "vence (tiempo hábil)": "hace 2 h" (issue 23).
    expect(desk.locator("#result_list .due-overdue").first).to_have_text(re.compile(r"^hace \d"))
    assert page_width(desk) <= 1280, "the Vencidos queue scrolls sideways at 1280 px"

    desk.locator(".desk-queues").get_by_role("link", name=re.compile(r"^Mis tickets")).click()
    desk.wait_for_url("**cola=mios**")
    expect(desk.locator("#result_list")).to_contain_text("Valenzuela")
    assert page_width(desk) <= 1280
