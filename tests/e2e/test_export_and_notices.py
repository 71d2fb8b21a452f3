"""In a browser: an agent publishes an Avisos notice for one clinic in the admin, that clinic
reads it at the top of its panel and form (accessible, no sideways scroll) and the other clinic
does not; a clinic downloads its history as a CSV from "Descargar historial"."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.conftest import ARTIFACTS, agent_login, login, serious_axe_violations

NOTICE = "Prueba e2e: la emisión de boletas electrónicas está interrumpida."


def test_a_notice_reaches_its_clinic_only_and_the_history_downloads(new_page):
    # The portal knows a clinic (accounts.Clinic) once one of its users has logged in.
    austral = login(new_page(width=360, height=800, bypass_csp=True), who="austral")
    mevetlab = login(new_page())
    agent = agent_login(new_page())
    agent.goto("/admin/notices/notice/add/")
    now = datetime.now(ZoneInfo("America/Santiago"))
    start, end = now - timedelta(hours=1), now + timedelta(hours=3)
    agent.get_by_label("Texto").fill(NOTICE)
    agent.get_by_label("Nivel").select_option(label="Interrupción")
    agent.locator('input[name="starts_at_0"]').fill(f"{start:%d-%m-%Y}")
    agent.locator('input[name="starts_at_1"]').fill(f"{start:%H:%M}")
    agent.locator('input[name="ends_at_0"]').fill(f"{end:%d-%m-%Y}")
    agent.locator('input[name="ends_at_1"]').fill(f"{end:%H:%M}")
    # The clinics are chosen with the admin's search box (autocomplete).
    agent.locator(".select2-selection--multiple").click()
    agent.locator(".select2-search__field").fill("Austral")
    agent.get_by_role("option", name=re.compile("Hospital Veterinario Austral")).click()
    agent.locator('input[name="_save"]').click()
    agent.wait_for_url("**/admin/notices/notice/")
    link = agent.locator("#result_list").get_by_role("link", name=re.compile("Prueba e2e"))
    notice_url = link.get_attribute("href")
    try:
        for path in ("/soporte/", "/soporte/tickets/nuevo"):
            austral.goto(path)
            notices = austral.get_by_role("region", name="Avisos")
            assert notices.get_by_text(NOTICE).is_visible()
            assert notices.locator(".notice--interrupcion").get_by_text("Interrupción").is_visible()
            overflow = austral.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / "screens" / f"notices{path.replace('/', '-')}360.png"
            austral.screenshot(path=str(shot), full_page=True)
            assert serious_axe_violations(austral, f"notices{path.replace('/', '-')}") == []

        for path in ("/soporte/", "/soporte/tickets/nuevo"):
            mevetlab.goto(path)
            assert mevetlab.get_by_text("boletas electrónicas está interrumpida").count() == 0

        mevetlab.goto("/soporte/tickets/?estado=abierto")
        with mevetlab.expect_download() as download_info:
            mevetlab.get_by_role("link", name="Descargar historial").click()
        download = download_info.value
        assert re.fullmatch(
            r"historial-tickets-76123456-0-\d{2}-\d{2}-\d{4}\.csv", download.suggested_filename
        )
        body = Path(download.path()).read_bytes()
        assert body.startswith("\ufeffCódigo;Fecha de creación;".encode())
    finally:
        agent.goto(notice_url.replace("/change/", "/delete/"))
        agent.get_by_role("button", name=re.compile("estoy seguro")).click()
        agent.wait_for_url("**/admin/notices/notice/")
