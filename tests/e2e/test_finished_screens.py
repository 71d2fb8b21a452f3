"""Finished screens (issue 23), measured in the browser at 320, 360, 1280 and 1920 px with data
at its longest (a 200-character clinic and person name, a 254-character e-mail, a 100-character
file name, a pasted URL, the longest state and area labels): no page or table wider than its
box, no plain word split across two lines (a code only at its hyphens; only a string that
cannot fit its box at all may break inside), and every label after "¿" or "¡" capitalized.
Screenshots of every page at every width go to var/e2e-artifacts/screens/finished/."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.attachments.files import png
from tests.e2e import long_data
from tests.e2e.conftest import ARTIFACTS, agent_login, serious_axe_violations
from tests.e2e.server import manage

WIDTHS = [320, 360, 1280, 1920]
SCREENS = ARTIFACTS / "screens" / "finished"

HERE = Path(__file__).parent
SPLIT_WORDS = (HERE / "split_words.js").read_text()
TOO_WIDE = (HERE / "too_wide.js").read_text()

LOWER_AFTER_OPENING_MARK = re.compile(r"[¿¡]\s*[a-záéíóúñü]")


@pytest.fixture(scope="module")
def tickets(e2e_server, browser):
    manage(e2e_server.env, "shell", "--no-imports", "-c", long_data.LOAD_VETSYNC)
    page = browser.new_context(base_url=e2e_server.url).new_page()
    _login(page)  # the portal's copy of the clinic and person is made at login
    page.context.close()
    answered, answered_pk, closed, still_open = manage(
        e2e_server.env, "shell", "--no-imports", "-c", long_data.LOAD_TICKETS
    ).stdout.split()
    return {"answered": answered, "answered_pk": answered_pk, "closed": closed, "open": still_open}


def _login(page):
    page.goto("/soporte/login")
    page.get_by_label("RUT clínica").fill(long_data.CLINIC_RUT)
    page.get_by_label("RUT usuario").fill(long_data.USER_RUT)
    page.get_by_label("Password").fill(long_data.PASSWORD)
    page.get_by_role("button", name="Entrar al portal de soporte").click()
    page.wait_for_url("**/soporte/")


def _form_with_errors(page, data):
    page.goto("/soporte/tickets/nuevo")
    page.get_by_label("Detalle del problema o solicitud").fill("No funciona")
    page.get_by_role("button", name="Enviar ticket").click()
    expect(page.get_by_text("Mejor escriba qué pantalla no funciona")).to_be_visible()


def _look_alikes(page, data):
    page.goto("/soporte/tickets/nuevo")
    page.get_by_role("radio", name=re.compile("^Comercial")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(long_data.DETAIL)
    page.get_by_role("button", name="Enviar ticket").click()
    expect(page.get_by_role("heading", name="Tickets parecidos abiertos")).to_be_visible()


def _information_refused_with_a_kept_file(page, data):
    page.goto(f"/soporte/tickets/{data['open']}")
    screenshot = ARTIFACTS / "uploads" / long_data.FILE_NAME
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(png())
    page.get_by_label("Adjuntar archivos").set_input_files(screenshot)
    page.get_by_role("button", name="Agregar información").click()
    expect(page.get_by_text("Escriba la información que quiere agregar.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Quitar {long_data.FILE_NAME}")).to_be_visible()


CLINIC_PAGES = {
    "login": None,
    "panel": "/soporte/",
    "form": "/soporte/tickets/nuevo",
    "form-errors": _form_with_errors,
    "look-alikes": _look_alikes,
    "history": "/soporte/tickets/",
    "detail-answered": "/soporte/tickets/{answered}",
    "detail-closed": "/soporte/tickets/{closed}",
    "detail-information-refused": _information_refused_with_a_kept_file,
    "delete-confirmation": "/soporte/tickets/{open}/eliminar",
    "not-found": "/soporte/tickets/ST-20000101-99999",
}
AGENT_PAGES = {
    "agent-list": "/admin/tickets/ticket/",
    "agent-ticket": "/admin/tickets/ticket/{answered_pk}/change/",
}


def _check(page, name, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    problems = {
        "too wide": page.evaluate(TOO_WIDE),
        "split words": page.evaluate(SPLIT_WORDS),
        "lower case after ¿ or ¡": LOWER_AFTER_OPENING_MARK.findall(page.inner_text("body")),
    }
    problems = {kind: found for kind, found in problems.items() if found}
    assert not problems, f"{name} at {width}px: " + json.dumps(problems, ensure_ascii=False)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CLINIC_PAGES))
def test_clinic_pages_keep_words_whole_and_fit(new_page, tickets, name, width):
    page = new_page(width=width, height=900, java_script_enabled=name != "look-alikes")
    target = CLINIC_PAGES[name]
    if target is None:
        page.goto("/soporte/login")
    else:
        _login(page)
        if callable(target):
            target(page, tickets)
        else:
            page.goto(target.format(**tickets))
    _check(page, name, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(AGENT_PAGES))
def test_agent_pages_keep_words_whole_and_fit(new_page, tickets, name, width):
    page = agent_login(new_page(width=width, height=900))
    page.goto(AGENT_PAGES[name].format(**tickets))
    _check(page, name, width)
    if name == "agent-ticket" and width >= 1280:
        # Room to write: the response and the note at least 600 px wide and 10 rows high, the
        # canned answers' picker beside the response (on its row, to its right).
        for box in ("#id_response", "#id_note"):
            size = page.locator(box).bounding_box()
            assert size["width"] >= 600, (box, size)
            assert int(page.locator(box).get_attribute("rows")) >= 10, box
        response = page.locator("#id_response").bounding_box()
        picker = page.locator(".field-canned_answers").last.bounding_box()
        assert picker["x"] >= response["x"] + response["width"]
        assert picker["y"] < response["y"] + response["height"]


AGENT_AXE_PAGES = {
    "agent-list": "/admin/tickets/ticket/",
    "agent-ticket": "/admin/tickets/ticket/{answered_pk}/change/",
    "informes": "/admin/informes/",
    "avisos": "/admin/notices/notice/",
    "respuestas-predefinidas": "/admin/canned_answers/cannedanswer/",
}


@pytest.mark.parametrize("name", list(AGENT_AXE_PAGES))
def test_agent_pages_have_no_serious_accessibility_problem(new_page, tickets, name):
    page = agent_login(new_page(bypass_csp=True))  # axe is injected inline
    page.goto(AGENT_AXE_PAGES[name].format(**tickets))
    assert serious_axe_violations(page, name) == []
