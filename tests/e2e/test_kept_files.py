"""Nothing a clinic chose is lost between pages, in a browser (issue 23): a file attached, then
the page of Tickets parecidos abiertos, then either choice; the file is on the ticket and
downloads identical. Without JavaScript, so that the look-alikes come as that page."""

import re

from playwright.sync_api import expect

from tests.attachments.files import png
from tests.e2e.conftest import login, send_ticket

CODE_RE = re.compile(r"ST-\d{8}-\d{5}")
FIRST = (
    "La balanza digital de la sala de procedimientos no envía el peso de la mascota a la "
    "ficha clínica al guardar la atención."
)
AGAIN = (
    "Otra vez la balanza digital de procedimientos no envía el peso de la mascota a la "
    "ficha clínica."
)


def _write(page, text, file=None):
    page.goto("/soporte/tickets/nuevo")
    page.get_by_role("radio", name=re.compile(r"^Soporte")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(text)
    if file:
        page.get_by_label("Adjuntar archivos").set_input_files(file)


def _look_alikes_with_a_file(new_page, tmp_path, name):
    page = login(new_page(java_script_enabled=False))
    _write(page, FIRST)
    send_ticket(page)
    first = CODE_RE.search(page.get_by_role("status").inner_text()).group(0)
    screenshot = tmp_path / name
    screenshot.write_bytes(png(extra=b"Comment\x00" + name.encode()))
    _write(page, AGAIN, screenshot)
    page.get_by_role("button", name="Enviar ticket").click()
    expect(page.get_by_role("heading", name="Tickets parecidos abiertos")).to_be_visible()
    expect(
        page.get_by_text("Este archivo ya está guardado y se enviará con el ticket:")
    ).to_be_visible()
    expect(page.get_by_role("button", name=f"Quitar {name}")).to_be_visible()
    return page, first, screenshot


def _downloaded(page, name) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    return download.value.path().read_bytes()


def test_es_otro_caso_sends_the_file_chosen_before_the_look_alikes(new_page, tmp_path):
    page, first, screenshot = _look_alikes_with_a_file(new_page, tmp_path, "balanza-otro-caso.png")
    page.get_by_role("button", name="Es otro caso: enviar ticket").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("creado")
    assert CODE_RE.search(status.inner_text()).group(0) != first
    assert _downloaded(page, screenshot.name) == screenshot.read_bytes()


def test_agregar_la_informacion_takes_the_file_to_that_ticket(new_page, tmp_path):
    page, first, screenshot = _look_alikes_with_a_file(new_page, tmp_path, "balanza-agregar.png")
    page.get_by_role("button", name=f"Agregar la información a {first}").first.click()
    expect(page.get_by_role("status")).to_contain_text(
        f"La información fue agregada al ticket {first}."
    )
    assert _downloaded(page, screenshot.name) == screenshot.read_bytes()
