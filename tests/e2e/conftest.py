"""Browser tests: Playwright driving Debian's Chromium against the real gunicorn server."""

import re
from pathlib import Path

import pytest

from tests.e2e.server import BASE_DIR, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = BASE_DIR / "var" / "e2e-artifacts"
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"

DEMO = {
    "mevetlab": {"clinic": "76.123.456-0", "user": "12.345.678-5", "password": "Mevetlab.2026"},
    "austral": {"clinic": "77.654.321-7", "user": "16.543.210-K", "password": "Austral.2026"},
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def e2e_server():
    server = start_server()
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def live_server_url(e2e_server):
    return e2e_server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or run .ci/run)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: npm ci")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)[:120]


@pytest.fixture
def new_page(browser, request, live_server_url):
    """Open pages in fresh browser contexts; on failure keep a screenshot and the HTML."""
    contexts = []

    def _new_page(*, width=1280, height=900, **context_options):
        context = browser.new_context(
            base_url=live_server_url,
            viewport={"width": width, "height": height},
            locale="es-CL",
            timezone_id="America/Santiago",
            **context_options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    failed = getattr(request.node, "report_call", None) and request.node.report_call.failed
    for index, context in enumerate(contexts):
        if failed:
            folder = ARTIFACTS / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            for n, page in enumerate(context.pages):
                stem = folder / f"{_slug(request.node.nodeid)}-{index}-{n}"
                try:
                    page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(page.content())
                except Exception:  # noqa: S110 (best effort: the test already failed)
                    pass
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_axe_violations(page, name):
    """axe (WCAG 2.1 AA) over the whole page: its serious and critical findings; every finding
    is kept in var/e2e-artifacts/axe/<name>.json. The page's context needs bypass_csp=True."""
    import json

    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    (ARTIFACTS / "axe").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe" / f"{name}.json").write_text(
        json.dumps(result["violations"], indent=1, ensure_ascii=False)
    )
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def login(page, who="mevetlab"):
    credentials = DEMO[who]
    page.goto("/soporte/login")
    page.get_by_label("RUT clínica").fill(credentials["clinic"])
    page.get_by_label("RUT usuario").fill(credentials["user"])
    page.get_by_label("Password").fill(credentials["password"])
    page.get_by_role("button", name="Entrar al portal de soporte").click()
    page.wait_for_url("**/soporte/")
    return page


def send_ticket(page, press=None):
    """Enviar ticket (clicked, or ``press`` when the focus is on it); when the clinic's open
    tickets look alike (the e2e database keeps every test's tickets), "Es otro caso: enviar
    ticket" on the page of Tickets parecidos abiertos (tests/e2e/test_similar_tickets.py)."""
    from playwright.sync_api import expect

    if press:
        page.keyboard.press(press)
    else:
        page.get_by_role("button", name="Enviar ticket").click()
    other_case = page.get_by_role("button", name="Es otro caso: enviar ticket")
    expect(other_case.or_(page.get_by_role("status")).first).to_be_visible()
    if other_case.is_visible():
        other_case.click()


def agent_login(page):
    from tests.e2e.server import AGENT_PASSWORD, AGENT_USERNAME

    page.goto("/admin/login/")
    page.get_by_label("Nombre de usuario").fill(AGENT_USERNAME)
    page.get_by_label("Contraseña").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/admin/")
    return page
