"""Every page of the portal: axe (WCAG 2.1 AA) finds nothing serious, it fits 360 px and
1280 px without a horizontal scroll, weighs under 100 KB, and works from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login, send_ticket, serious_axe_violations

WIDTHS = [360, 1280]
MAX_PAGE_BYTES = 100 * 1024
DETAIL = (
    "Estaba revisando el laboratorio y el examen de la mascota Toby no aparece en la ficha. "
    "Esperaba verlo en el historial. Ocurrió el 02-05-2026 cerca de las 09:15."
)


@pytest.fixture(scope="module")
def ticket_code(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url)
    page = login(context.new_page())
    page.goto("/soporte/tickets/nuevo")
    page.get_by_role("radio", name=re.compile("^Soporte")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(DETAIL)
    send_ticket(page)
    code = re.search(r"ST-\d{8}-\d{5}", page.get_by_role("status").inner_text()).group(0)
    context.close()
    return code


def submit_empty_form(page):
    page.goto("/soporte/tickets/nuevo")
    page.get_by_label("Detalle del problema o solicitud").fill("No funciona")
    page.get_by_role("button", name="Enviar ticket").click()
    expect(page.get_by_text("Mejor escriba qué pantalla no funciona")).to_be_visible()


PAGES = {
    "login": (False, "/soporte/login"),
    "panel": (True, "/soporte/"),
    "form": (True, "/soporte/tickets/nuevo"),
    "form-errors": (True, submit_empty_form),
    "history": (True, "/soporte/tickets/"),
    "detail": (True, "/soporte/tickets/{code}"),
    "delete-confirmation": (True, "/soporte/tickets/{code}/eliminar"),
    "not-found": (True, "/soporte/tickets/ST-20000101-99999"),
    "not-found-anonymous": (False, "/esta-pagina-no-existe"),
}


def open_page(new_page, name, code, width):
    logged_in, target = PAGES[name]
    page = new_page(width=width, height=800, bypass_csp=True)
    if logged_in:
        login(page)
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    if callable(target):
        target(page)
    else:
        page.goto(target.format(code=code))
    page.wait_for_load_state("networkidle")
    return page, sizes


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_fits_and_is_light(new_page, ticket_code, name, width):
    page, sizes = open_page(new_page, name, ticket_code, width)

    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screens / f"{name}-{width}.png"), full_page=True)

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"

    weight = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    assert weight < MAX_PAGE_BYTES, f"{name} loads {weight} bytes"
    # The pages need no JavaScript; the one script is the site's own, on the pages with the
    # ticket form (Tickets parecidos abiertos while typing, issue 16).
    scripts = page.eval_on_selector_all("script", "nodes => nodes.map(n => n.src)")
    assert len(scripts) <= 1, scripts
    assert all(re.search(r"/static/tickets/similar(\.[0-9a-f]+)?\.js$", src) for src in scripts)

    assert serious_axe_violations(page, f"{name}-{width}") == []


def _focus_until(page, accessible_name, limit=15):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.labels?.[0]?.innerText"
            " || document.activeElement.innerText || ''"
        )
        if focused.strip().startswith(accessible_name):
            return
    raise AssertionError(f"{accessible_name} cannot be reached with Tab")


def _focus_is_visible(page):
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    return style[0] != "none" and style[1] >= 2


def test_login_and_ticket_form_with_the_keyboard_alone(page):
    page.goto("/soporte/login")
    _focus_until(page, "RUT clínica")
    assert _focus_is_visible(page)
    page.keyboard.type("76.123.456-0")
    page.keyboard.press("Tab")
    page.keyboard.type("12.345.678-5")
    page.keyboard.press("Tab")
    page.keyboard.type("Mevetlab.2026")
    page.keyboard.press("Tab")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/soporte/")

    page.goto("/soporte/tickets/nuevo")
    _focus_until(page, "Soporte")
    assert _focus_is_visible(page)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the radio group moves to Comercial
    _focus_until(page, "Detalle del problema o solicitud")
    assert _focus_is_visible(page)
    page.keyboard.type(DETAIL)
    _focus_until(page, "Enviar ticket")
    assert _focus_is_visible(page)
    send_ticket(page, press="Enter")
    expect(page.get_by_role("status")).to_contain_text("creado")
    expect(page.get_by_text("Comercial", exact=True)).to_be_visible()
