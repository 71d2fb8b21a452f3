"""Adjuntar archivos in Chromium: a clinic attaches a screenshot to a new ticket and downloads
it back byte for byte; the other clinic gets the 404 of a missing page; an agent downloads it
from the ticket's admin page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import agent_login, login, send_ticket

pytestmark = pytest.mark.e2e

DETAIL = (
    "Al guardar la ficha clínica de la mascota Luna aparece el error de la captura adjunta. "
    "Ocurrió el 29-04-2026 cerca de las 10:30."
)
LIMITS = "Hasta 5 archivos por ticket, de 10 MB cada uno como máximo"


def test_a_screenshot_goes_up_with_the_ticket_and_comes_back_identical(new_page, tmp_path):
    clinic = login(new_page())
    screenshot = clinic.screenshot(full_page=True)  # a real PNG screenshot
    assert screenshot.startswith(b"\x89PNG")
    screenshot_path = tmp_path / "captura del error.png"
    screenshot_path.write_bytes(screenshot)

    clinic.get_by_role("link", name="Crear ticket", exact=True).first.click()
    expect(clinic.get_by_text(LIMITS)).to_be_visible()
    clinic.get_by_role("radio", name=re.compile(r"^Soporte")).check()
    clinic.get_by_label("Detalle del problema o solicitud").fill(DETAIL)
    clinic.get_by_label("Adjuntar archivos").set_input_files(str(screenshot_path))
    send_ticket(clinic)
    expect(clinic.get_by_role("status").filter(has_text="creado")).to_be_visible()

    section = clinic.locator("section", has=clinic.get_by_role("heading", name="Archivos adjuntos"))
    expect(section).to_contain_text("captura del error.png")
    expect(section).to_contain_text("Agregado por Fernando Pérez")
    link = section.get_by_role("link", name="captura del error.png")
    file_url = link.get_attribute("href")
    with clinic.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "captura del error.png"
    assert Path(download.path()).read_bytes() == screenshot

    # Clinic B: the same page as a file that does not exist.
    other = login(new_page(), "austral")
    response = other.goto(file_url)
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_be_visible()
    assert "captura" not in other.content()

    # The agent, from the ticket's admin page.
    code = re.search(r"ST-\d{8}-\d{5}", file_url).group(0)
    desk = agent_login(new_page())
    desk.goto(f"/admin/tickets/ticket/?q={code}")
    desk.get_by_role("link", name=code).click()
    with desk.expect_download() as agent_download:
        desk.get_by_role("link", name="captura del error.png").click()
    assert Path(agent_download.value.path()).read_bytes() == screenshot
