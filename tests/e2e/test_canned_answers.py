"""In a browser: an agent keeps a canned answer (Respuestas predefinidas), uses it on a
clinic's ticket (the script fills the response with the ticket's values and keeps what the
agent had typed), edits and saves; the clinic reads the response, the list counts one use.
Without JavaScript, "Usar respuesta" brings the page back with the text."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, AXE_JS, agent_login, login, send_ticket

CODE_RE = re.compile(r"ST-\d{8}-\d{5}")
TEXT = (
    "Hola {solicitante}: revisamos el ticket {codigo} de {clinica} y la agenda ya guarda "
    "las vacunas. Saludos, {agente}."
)


def create_ticket(page, detail):
    page.get_by_role("link", name="Crear ticket", exact=True).first.click()
    page.get_by_role("radio", name=re.compile("^Soporte")).check()
    page.get_by_label("Detalle del problema o solicitud").fill(detail)
    send_ticket(page)
    confirmation = page.get_by_role("status").filter(has_text="creado")
    expect(confirmation).to_be_visible()
    return CODE_RE.search(confirmation.inner_text()).group(0)


def add_canned_answer(agent, title, text):
    agent.goto("/admin/canned_answers/cannedanswer/add/")
    agent.get_by_label("Título").fill(title)
    agent.get_by_label("Área").select_option(label="Soporte")
    agent.get_by_label("Texto").fill(text)
    agent.locator('input[name="_save"]').click()


def open_ticket(agent, code):
    agent.goto(f"/admin/tickets/ticket/?q={code}")
    agent.get_by_role("link", name=code).click()
    agent.wait_for_url(re.compile(r"/admin/tickets/ticket/\d+/change/"))


def picker_violations(page):
    """axe's serious or critical findings on the picker, beside the response on its row."""
    expect(page.locator(".fieldBox.field-canned_answers")).to_have_count(1)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """() => axe.run(document.querySelector(".fieldBox.field-canned_answers"),
                         {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]}})"""
    )
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_an_agent_answers_with_a_canned_text_and_the_clinic_reads_it(new_page):
    clinic = login(new_page())
    code = create_ticket(
        clinic, "Al guardar una vacuna en la agenda la pantalla no responde. Mascota Luna."
    )

    agent = agent_login(new_page())
    csp_errors = []
    agent.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # A placeholder the portal does not know is refused, with the ones it knows.
    add_canned_answer(agent, "Agenda corregida", "Hola {nombre}.")
    expect(agent.locator(".errorlist")).to_contain_text(
        "Marcador desconocido: {nombre}. Use {clinica}, {solicitante}, {codigo} o {agente}."
    )
    add_canned_answer(agent, "Agenda corregida", TEXT)
    expect(agent.locator(".messagelist")).to_contain_text("Agenda corregida")

    # On the ticket: an empty response gets the text with this ticket's values.
    checker = agent_login(new_page(bypass_csp=True))  # axe is injected inline
    open_ticket(checker, code)
    assert picker_violations(checker) == []
    checker.context.close()
    open_ticket(agent, code)
    response = agent.get_by_role("textbox", name="Respuesta del equipo")
    used = agent.locator('input[name="canned_answers"]')
    agent.get_by_label("Respuesta predefinida").select_option(label="Agenda corregida")
    agent.get_by_role("button", name="Usar respuesta").click()
    filled = (
        f"Hola Fernando Pérez: revisamos el ticket {code} de Clínica Veterinaria Mevetlab y "
        "la agenda ya guarda las vacunas. Saludos, Ana Agente."
    )
    expect(response).to_have_value(filled)
    expect(used).to_have_value(re.compile(r"^\d+$"))
    answer_id = used.input_value()
    # Emptied, the response names no answer; what the agent typed stays, and the answer
    # comes after a blank line.
    response.fill("")
    expect(used).to_have_value("")
    response.fill("Buenos días.")
    agent.get_by_role("button", name="Usar respuesta").click()
    expect(response).to_have_value(f"Buenos días.\n\n{filled}")
    expect(used).to_have_value(answer_id)
    expect(agent.get_by_role("status").filter(has_text="Agenda corregida")).to_contain_text(
        "revísela antes de guardar"
    )
    assert "respuesta_predefinida" not in agent.url  # no reload: the script filled it
    (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
    agent.screenshot(path=str(ARTIFACTS / "screens" / "canned-answer-ticket.png"), full_page=True)

    # The agent edits the text and saves.
    edited = f"Buenos días. {filled} Si vuelve a ocurrir, responda a este ticket."
    response.fill(edited)
    agent.get_by_role("combobox", name="Estado:", exact=True).select_option(label="En proceso")
    agent.get_by_role("button", name="Guardar", exact=True).click()
    expect(agent.locator(".messagelist")).to_contain_text("se cambió correctamente")
    assert csp_errors == []

    # The clinic reads it; the list counts one use.
    clinic.goto(f"/soporte/tickets/{code}")
    expect(clinic.get_by_role("region", name="Respuesta del equipo")).to_contain_text(
        "Si vuelve a ocurrir, responda a este ticket."
    )
    expect(clinic.get_by_role("region", name="Respuesta del equipo")).to_contain_text(
        "Hola Fernando Pérez"
    )
    agent.goto("/admin/canned_answers/cannedanswer/")
    row = agent.locator("#result_list tr").filter(has_text="Agenda corregida")
    expect(row.locator("td.field-times_used")).to_have_text("1")


def test_without_javascript_the_button_reloads_the_page_with_the_text(new_page):
    clinic = login(new_page(), who="austral")
    code = create_ticket(clinic, "La ficha clínica no muestra el último control de Toby.")
    agent = agent_login(new_page())
    add_canned_answer(agent, "Ficha revisada", "Estimada {solicitante} ({clinica}): {codigo}.")
    agent.context.close()

    agent = agent_login(new_page(java_script_enabled=False))
    open_ticket(agent, code)
    agent.get_by_label("Respuesta predefinida").select_option(label="Ficha revisada")
    agent.get_by_role("button", name="Usar respuesta").click()
    agent.wait_for_url(re.compile(r"respuesta_predefinida=\d+"))
    expect(agent.get_by_role("textbox", name="Respuesta del equipo")).to_have_value(
        f"Estimada Valentina Muñoz (Hospital Veterinario Austral): {code}."
    )
    agent.get_by_role("button", name="Guardar", exact=True).click()
    expect(agent.locator(".messagelist")).to_contain_text("se cambió correctamente")
    clinic.goto(f"/soporte/tickets/{code}")
    expect(clinic.get_by_role("region", name="Respuesta del equipo")).to_contain_text(
        f"Estimada Valentina Muñoz (Hospital Veterinario Austral): {code}."
    )
