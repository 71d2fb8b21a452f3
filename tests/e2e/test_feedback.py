"""¿Se resolvió su problema?, in Chromium: an agent closes a ticket as *Cerrado / resuelto* in
the admin; the clinic, without JavaScript, answers *No, sigue el problema* and follows *Crear
ticket de seguimiento*; the agent sees the answer on the ticket and in the monthly rate."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import agent_login, login, send_ticket
from tests.e2e.test_guide_walkthrough import CODE_RE, agent_answers, create_ticket

QUESTION = "¿Se resolvió su problema?"
DETAIL = (
    "Al imprimir el certificado de vacunación de la mascota Luna, el PDF sale en blanco. "
    "Esperaba ver la vacuna registrada. Ocurrió el 01-12-2026 cerca de las 16:00."
)
COMMENT = "El PDF ya no sale en blanco, pero la fecha de la vacuna sale vacía."
MORE = "Después de la corrección, el certificado de Luna sale sin la fecha de la vacuna."


def test_the_clinic_says_it_was_not_solved_and_follows_up(new_page):
    clinic = login(new_page(java_script_enabled=False))
    code = create_ticket(clinic, "Soporte", DETAIL)
    expect(clinic.get_by_role("region", name=QUESTION)).to_have_count(0)

    agent = agent_login(new_page())
    agent_answers(
        agent,
        code,
        response="Corregimos la plantilla del certificado.",
        state="Cerrado / resuelto",
    )

    # The clinic is asked, answers "No, sigue el problema" with a comment, and sees its answer.
    clinic.reload()
    question = clinic.get_by_role("region", name=QUESTION)
    expect(question).to_be_visible()
    question.get_by_label("Comentario (opcional)").fill(COMMENT)
    question.get_by_role("button", name="No, sigue el problema").click()
    expect(clinic.get_by_role("status")).to_contain_text("Gracias por su respuesta.")
    answered = clinic.get_by_role("region", name=QUESTION)
    expect(answered).to_contain_text("No, sigue el problema")
    expect(answered).to_contain_text("Respondido por Fernando Pérez")
    expect(answered).to_contain_text(COMMENT)
    expect(answered.get_by_role("button")).to_have_count(0)  # once per ticket

    # Crear ticket de seguimiento: the form cites the earlier code.
    answered.get_by_role("link", name="Crear ticket de seguimiento").click()
    expect(clinic.get_by_text(f"Este ticket nuevo sigue al ticket {code}.")).to_be_visible()
    detail = clinic.get_by_label("Detalle del problema o solicitud")
    expect(detail).to_have_value(f"Seguimiento del ticket {code}: ")
    clinic.get_by_role("radio", name=re.compile("^Soporte")).check()
    detail.fill(f"Seguimiento del ticket {code}: {MORE}")
    send_ticket(clinic)
    follow_up = CODE_RE.search(clinic.get_by_role("status").inner_text()).group(0)
    assert follow_up != code
    expect(clinic.get_by_role("heading", level=1)).to_contain_text(follow_up)
    expect(clinic.get_by_role("link", name=code)).to_be_visible()
    expect(clinic.get_by_role("region", name="Detalle reportado")).to_contain_text(MORE)
    assert clinic.locator("script").count() == 0

    # The agent sees the answer on the ticket's page and in the answers' monthly rate.
    agent.goto(f"/admin/tickets/ticket/?q={code}")
    agent.get_by_role("link", name=code, exact=True).click()
    block = agent.locator(".field-clinic_feedback")
    expect(block).to_contain_text("No, sigue el problema")
    expect(block).to_contain_text(COMMENT)
    agent.goto("/admin/feedback/feedback/")
    expect(
        agent.get_by_role("heading", name="Tasa mensual de «Sí, quedó resuelto»")
    ).to_be_visible()
    expect(agent.locator("table.monthly-rates tbody tr").first).to_contain_text("%")
    expect(agent.get_by_role("link", name=code, exact=True)).to_be_visible()

    # Another clinic finds nothing.
    other = login(new_page(), "austral")
    assert other.goto(f"/soporte/tickets/{code}").status == 404
