"""One case, one ticket, in a browser: the clinic's open tickets alike to the one it writes
appear while it types (one request a second at most) and, without JavaScript, as one more page;
another clinic never sees them."""

import re
import time
from itertools import pairwise

from playwright.sync_api import expect

from tests.e2e.conftest import login, send_ticket

CODE_RE = re.compile(r"ST-\d{8}-\d{5}")
FIRST = (
    "El lector de microchip no reconoce los chips de las mascotas al registrar la vacuna "
    "antirrábica en la ficha clínica."
)
AGAIN = (
    "Hoy de nuevo el lector de microchip no reconoce el chip de la mascota al registrar una "
    "vacuna antirrábica."
)


def _write(page, text, *, delay=0):
    page.get_by_role("link", name="Crear ticket", exact=True).first.click()
    page.get_by_role("radio", name=re.compile(r"^Soporte")).check()
    detail = page.get_by_label("Detalle del problema o solicitud")
    if delay:
        detail.press_sequentially(text, delay=delay)
    else:
        detail.fill(text)


def _create(page, text):
    _write(page, text)
    send_ticket(page)
    status = page.get_by_role("status").filter(has_text="creado")
    expect(status).to_be_visible()
    return CODE_RE.search(status.inner_text()).group(0)


def test_look_alikes_while_typing_and_adding_the_information_there(new_page):
    clinic = login(new_page())
    code = _create(clinic, FIRST)

    asked = []
    clinic.on(
        "request",
        lambda request: (
            asked.append(time.monotonic())
            if request.url.endswith("/soporte/tickets/parecidos")
            else None
        ),
    )
    started = time.monotonic()
    _write(clinic, AGAIN, delay=25)  # about 2.5 s of typing
    live = clinic.locator("#similar-live")
    expect(live).to_be_visible(timeout=10_000)
    expect(live.get_by_role("heading", name="Tickets parecidos abiertos")).to_be_visible()
    expect(live.get_by_role("link", name=code)).to_be_visible()
    # At most one request a second while typing.
    elapsed = time.monotonic() - started
    assert 1 <= len(asked) <= int(elapsed) + 1, (len(asked), elapsed)
    assert all(later - earlier >= 0.95 for earlier, later in pairwise(asked))

    live.get_by_role("button", name=f"Agregar la información a {code}").click()
    expect(clinic.get_by_role("status")).to_contain_text(
        f"La información fue agregada al ticket {code}."
    )
    expect(clinic.get_by_role("heading", level=1)).to_contain_text(code)
    expect(clinic.get_by_text("Hoy de nuevo el lector de microchip")).to_be_visible()


def test_without_javascript_one_more_page_then_es_otro_caso(new_page):
    clinic = login(new_page(java_script_enabled=False))
    code = _create(clinic, FIRST)
    _write(clinic, AGAIN)
    clinic.get_by_role("button", name="Enviar ticket").click()
    similar = clinic.get_by_role("region", name="Tickets parecidos abiertos")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=code)).to_be_visible()
    expect(similar.get_by_role("button", name=f"Agregar la información a {code}")).to_be_visible()
    expect(clinic.get_by_label("Detalle del problema o solicitud")).to_have_value(
        re.compile("^\\s*Hoy de nuevo el lector de microchip")
    )
    similar.get_by_role("button", name="Es otro caso: enviar ticket").click()
    status = clinic.get_by_role("status").filter(has_text="creado")
    expect(status).to_be_visible()
    assert CODE_RE.search(status.inner_text()).group(0) != code


def test_another_clinic_never_sees_them(new_page):
    mevetlab = login(new_page())
    _create(mevetlab, FIRST)
    austral = login(new_page(), who="austral")
    _write(austral, AGAIN, delay=10)
    austral.wait_for_timeout(2_500)
    expect(austral.locator("#similar-live")).to_be_hidden()
    austral.get_by_role("button", name="Enviar ticket").click()
    expect(austral.get_by_role("status")).to_contain_text("creado")
