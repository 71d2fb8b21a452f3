"""Informes, in Chromium: a clinic opens two tickets, an agent answers and closes one; the
agent opens Informes from the admin index, asks for today, and every bar and point that the
charts (SVG images drawn by pygal) show reads the same figure as its table. A clinic user never
reaches the page."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from reports.charts import Chart
from tests.e2e.conftest import AXE_JS, agent_login, login
from tests.e2e.test_guide_walkthrough import (
    COMERCIAL_DETAIL,
    SOPORTE_DETAIL,
    agent_answers,
    create_ticket,
)
from tests.reports.test_charts import drawn

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SECTIONS = ["volumen", "tiempos", "cierres", "respuestas", "clinicas", "pendientes"]


def table_cells(page, key) -> dict[tuple[str, str], str]:
    """(row label, column header) → the cell's text, from the section's table."""
    table = page.locator(f"#{key}-table")
    headers = table.locator("thead th").all_text_contents()
    cells = {}
    for row in table.locator("tbody tr").all():
        texts = row.locator("th, td").all_text_contents()
        for header, text in zip(headers[1:], texts[1:], strict=True):
            cells[texts[0], header] = text
    return cells


def number(text: str) -> float:
    return float(text.replace(",", "."))


def test_the_charts_and_the_tables_agree(new_page):
    clinic = login(new_page())
    closed = create_ticket(clinic, "Soporte", SOPORTE_DETAIL)
    create_ticket(clinic, "Comercial", COMERCIAL_DETAIL)
    agent = agent_login(new_page())
    console = []
    agent.on("console", lambda message: console.append(message.text))
    agent_answers(agent, closed, response="Ya quedó corregido.", state="Cerrado / resuelto")

    agent.goto("/admin/")
    agent.get_by_role("link", name="Informes de tickets").click()
    expect(
        agent.get_by_role("heading", name="Tickets creados y cerrados por semana")
    ).to_be_visible()
    today = datetime.now(ZoneInfo("America/Santiago")).date().isoformat()
    agent.get_by_label("Desde").fill(today)
    agent.get_by_label("Hasta").fill(today)
    agent.get_by_role("button", name="Ver informes").click()

    checked = 0
    for key in SECTIONS:
        section = agent.locator(f"#{key}")
        expect(section.get_by_role("link", name="Descargar CSV")).to_be_visible()
        cells = table_cells(agent, key)
        for image in section.locator("figure.reports-chart img").all():
            alt = image.get_attribute("alt")
            assert alt  # named for assistive technology
            # Drawn (an SVG the browser could not read would be 0 wide), across the page.
            assert image.evaluate("i => i.complete && i.naturalWidth > 0")
            assert image.bounding_box()["width"] > 700
            for (group, series), value in drawn(Chart(alt, "", image.get_attribute("src"))).items():
                if series.startswith("Objetivo"):
                    continue  # a single week's target, as a dot: not in the table
                row = next(
                    label
                    for label, _h in cells
                    if label == group
                    or label.startswith(f"Semana del {group}")
                    or (group.endswith("…") and label.startswith(group[:-1]))  # a long name
                )
                if key == "tiempos":
                    kind = "Primera respuesta" if alt.startswith("Primera") else "Resolución"
                    word = "mediana" if series == "Mediana" else "percentil 90"
                    header = next(h for _r, h in cells if h.startswith(kind) and word in h)
                else:
                    header = series
                assert number(cells[row, header]) == number(value), (key, group, series)
                checked += 1
    assert checked >= 20

    # Today, Soporte created and closed the ticket answered above (and perhaps others).
    week = next(label for label, _h in table_cells(agent, "volumen"))
    assert int(table_cells(agent, "volumen")[week, "Cerrados · Soporte"]) >= 1
    image = agent.locator("#volumen figure.reports-chart img")
    bars = drawn(Chart("", "", image.get_attribute("src")))
    assert number(bars[week.removeprefix("Semana del ")[:5], "Cerrados · Soporte"]) >= 1
    expect(agent.locator("#clinicas-table")).to_contain_text("Clínica Veterinaria Mevetlab")

    # Nothing on the page breaks the Content Security Policy (no inline style or script).
    assert not [text for text in console if "Content Security Policy" in text]

    # Readable: axe (WCAG 2.1 AA) finds nothing serious in the reports (in a browser that lets
    # axe's script in), and nothing scrolls sideways at 1280 px.
    reader = agent_login(new_page(bypass_csp=True))
    reader.goto(agent.url)
    reader.add_script_tag(path=str(AXE_JS))
    result = reader.evaluate(
        "tags => axe.run('#content-main', {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    overflow = reader.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    # A bad date is a Spanish message on the page.
    agent.goto("/admin/informes/?desde=31-02-2026&hasta=01-03-2026")
    expect(agent.get_by_role("alert")).to_contain_text("Escriba la fecha como dd-mm-aaaa.")

    # The clinic's user is sent to the admin's login.
    clinic.goto("/admin/informes/")
    expect(clinic).to_have_url(re.compile(r"/admin/login/"))
