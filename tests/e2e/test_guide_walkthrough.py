"""The guide, walked end to end in Chromium by a clinic and an agent (guide §2-§9)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import agent_login, login, send_ticket

CODE_RE = re.compile(r"ST-\d{8}-\d{5}")

SOPORTE_DETAIL = (
    "Estaba registrando una vacuna en la agenda y la pantalla no responde al guardar. "
    "Esperaba que quedara registrada. Ocurrió el 29-04-2026 cerca de las 10:30. "
    "Mascota Luna, tutor María González."
)
COMERCIAL_DETAIL = (
    "Al emitir una factura comercial, el portal muestra un error en la confirmación del pago "
    "y no actualiza el estado de la suscripción. Esperaba que quedara como pagado."
)


def total(page, state_label):
    link = page.get_by_role("link", name=re.compile(rf"^\d+ {re.escape(state_label)}$"))
    return int(link.inner_text().split()[0])


def create_ticket(page, area, detail):
    page.get_by_role("link", name="Crear ticket", exact=True).first.click()
    page.get_by_role("radio", name=re.compile(rf"^{area}")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(detail)
    send_ticket(page)
    confirmation = page.get_by_role("status").filter(has_text="creado")
    expect(confirmation).to_be_visible()
    code = CODE_RE.search(confirmation.inner_text()).group(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    return code


def agent_answers(page, code, *, response=None, state):
    page.goto(f"/admin/tickets/ticket/?q={code}")
    page.get_by_role("link", name=code).click()
    if response:
        page.get_by_role("textbox", name="Respuesta del equipo").fill(response)
    page.get_by_role("combobox", name="Estado:", exact=True).select_option(label=state)
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("se cambió correctamente")


def test_the_guide_from_login_to_logout(new_page):
    clinic = login(new_page())

    # §2: the clinic's name, the connected user and the clinic's RUT.
    expect(clinic.get_by_text("Clínica Veterinaria Mevetlab").first).to_be_visible()
    expect(clinic.get_by_text("Fernando Pérez").first).to_be_visible()
    expect(clinic.get_by_text("76.123.456-0").first).to_be_visible()

    # §3-§4: totals, then a Soporte and a Comercial ticket.
    open_before = total(clinic, "Abierto")
    soporte = create_ticket(clinic, "Soporte", SOPORTE_DETAIL)
    expect(clinic.get_by_text("Soporte", exact=True)).to_be_visible()
    comercial = create_ticket(clinic, "Comercial", COMERCIAL_DETAIL)
    clinic.get_by_role("link", name="Mesa de ayuda").click()
    assert total(clinic, "Abierto") == open_before + 2

    # §6: the history, and Ver detalle.
    clinic.get_by_role("link", name="Ver historial", exact=True).click()
    expect(clinic.get_by_role("heading", name="Historial de tickets")).to_be_visible()
    clinic.get_by_role("link", name=f"Ver detalle {soporte}").click()
    expect(clinic.get_by_role("heading", level=1)).to_contain_text(soporte)
    expect(clinic.get_by_text("Todavía no hay respuesta del equipo")).to_be_visible()

    # An agent answers in the admin and moves the ticket to En proceso.
    agent = agent_login(new_page())
    agent_answers(
        agent,
        soporte,
        response="Revisamos la agenda: el error ya fue corregido.",
        state="En proceso",
    )

    # §7: the clinic reads the response and the new state; it can no longer delete.
    clinic.reload()
    respuesta = clinic.get_by_role("region", name="Respuesta del equipo")
    expect(respuesta).to_contain_text("Revisamos la agenda: el error ya fue corregido.")
    expect(clinic.get_by_text("En proceso", exact=True)).to_be_visible()
    expect(clinic.get_by_role("link", name="Eliminar ticket")).to_have_count(0)
    clinic.goto(f"/soporte/tickets/{soporte}/eliminar")
    expect(clinic.get_by_role("status")).to_contain_text("Solo se puede eliminar un ticket abierto")

    # §9: an open ticket created by mistake can be deleted, after a confirmation.
    clinic.goto(f"/soporte/tickets/{comercial}")
    clinic.get_by_role("link", name="Eliminar ticket").click()
    clinic.get_by_role("button", name="Sí, eliminar ticket").click()
    expect(clinic.get_by_role("status")).to_contain_text(f"El ticket {comercial} fue eliminado.")
    expect(clinic.get_by_role("link", name=f"Ver detalle {comercial}")).to_have_count(0)

    # The agent closes the case.
    agent_answers(agent, soporte, state="Cerrado / resuelto")
    clinic.goto(f"/soporte/tickets/{soporte}")
    expect(clinic.get_by_text("Cerrado / resuelto", exact=True)).to_be_visible()

    # §8: a new ticket that follows the closed one.
    clinic.get_by_role("link", name="Crear ticket nuevo").click()
    expect(clinic.get_by_text(f"sigue al ticket {soporte}")).to_be_visible()
    clinic.get_by_role("radio", name=re.compile("^Soporte")).check()
    clinic.get_by_label("Detalle del problema o solicitud").fill(
        f"Sigue el caso {soporte}: la agenda volvió a fallar hoy al guardar una vacuna de Luna."
    )
    send_ticket(clinic)
    follow_up = CODE_RE.search(clinic.get_by_role("status").inner_text()).group(0)
    expect(clinic.get_by_role("link", name=soporte)).to_be_visible()

    # Another clinic sees none of it.
    other = login(new_page(), "austral")
    other.goto("/soporte/tickets/")
    for code in (soporte, comercial, follow_up):
        expect(other.get_by_text(code)).to_have_count(0)
    response = other.goto(f"/soporte/tickets/{soporte}")
    assert response.status == 404
    expect(other.get_by_role("heading", name="Página no encontrada")).to_be_visible()

    # Log out, and back to the login.
    clinic.get_by_role("button", name="Cerrar sesión").click()
    expect(clinic).to_have_url(re.compile(r"/soporte/login$"))
    clinic.goto("/soporte/")
    expect(clinic).to_have_url(re.compile(r"/soporte/login$"))


def test_a_wrong_password_gets_the_guides_advice(page):
    page.goto("/soporte/login")
    page.get_by_label("RUT clínica").fill("76.123.456-0")
    page.get_by_label("RUT usuario").fill("12.345.678-5")
    page.get_by_label("Password").fill("no-es-la-clave")
    page.get_by_role("button", name="Entrar al portal de soporte").click()
    expect(page.get_by_role("alert")).to_contain_text("Los datos ingresados no son correctos")


def test_the_portal_works_without_javascript(new_page):
    page = login(new_page(java_script_enabled=False))
    page.get_by_role("link", name="Crear ticket", exact=True).first.click()
    page.get_by_role("radio", name=re.compile("^Comercial")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(COMERCIAL_DETAIL)
    send_ticket(page)
    expect(page.get_by_role("status")).to_contain_text("creado")
    assert page.locator("script").count() == 0
