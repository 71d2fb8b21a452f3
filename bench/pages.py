"""The pages the benchmark measures, who requests them, and the issue's targets for each."""

from dataclasses import dataclass

SEARCH_WORD = "impresora"
STATE_FILTER = "en_proceso"
CLINIC_QUERY_LIMIT = 8
CLINIC_P99_MS = 100.0


@dataclass(frozen=True)
class Page:
    name: str  # the key in docs/performance.json
    label: str
    path: str  # may hold {code} and {ticket_id}, filled from the database
    who: str  # "clinic", "agent" or "anonymous" (the login POST)
    script: str = "get"  # bench/wrk/<script>.lua
    expect: int = 200
    min_ratio: float | None = None
    max_p99_ms: float | None = None
    max_queries: int | None = None
    min_duration: int = 0  # seconds: a login takes a password hash, ~0.4 s of CPU

    def url_path(self, sample: dict) -> str:
        return self.path.format(**sample)

    @property
    def method(self) -> str:
        return "GET" if self.script == "get" else "POST"


def _clinic_page(name: str, label: str, path: str, min_ratio: float = 0.45) -> Page:
    return Page(
        name,
        label,
        path,
        "clinic",
        min_ratio=min_ratio,
        max_p99_ms=CLINIC_P99_MS,
        max_queries=CLINIC_QUERY_LIMIT,
    )


BASELINE = Page("baseline", "baseline: trivial @login_required view", "/bench/baseline", "clinic")

PAGES = [
    _clinic_page("panel", "clinic: panel", "/soporte/"),
    _clinic_page("history_page_1", "clinic: history, page 1", "/soporte/tickets/"),
    _clinic_page("history_page_40", "clinic: history, page 40", "/soporte/tickets/?pagina=40"),
    _clinic_page(
        "history_state",
        f"clinic: history, estado={STATE_FILTER}",
        f"/soporte/tickets/?estado={STATE_FILTER}",
    ),
    _clinic_page(
        "history_search",
        f"clinic: history, q={SEARCH_WORD}",
        f"/soporte/tickets/?q={SEARCH_WORD}",
        min_ratio=0.4,
    ),
    _clinic_page("ticket_detail", "clinic: ticket detail", "/soporte/tickets/{code}"),
    Page(
        "admin_list", "agent: admin ticket list", "/admin/tickets/ticket/", "agent", min_ratio=0.12
    ),
    # The agents' queues (tickets/queues.py): the list of one queue, and the index page with
    # every queue's count (one UNION ALL of indexed counts over the open tickets).
    Page(
        "admin_queue_overdue",
        "agent: admin list, cola=vencidos",
        "/admin/tickets/ticket/?cola=vencidos",
        "agent",
        min_ratio=0.12,
        max_queries=9,
    ),
    Page("admin_index", "agent: admin index with queues", "/admin/", "agent", max_queries=9),
    Page(
        "admin_search_code",
        "agent: admin search by code",
        "/admin/tickets/ticket/?q={code}",
        "agent",
        min_ratio=0.12,
    ),
    Page(
        "admin_ticket",
        "agent: admin ticket page",
        "/admin/tickets/ticket/{ticket_id}/change/",
        "agent",
        min_ratio=0.15,
    ),
    # Informes with its default range (the last full month, every area): under a second.
    Page(
        "reports", "agent: Informes", "/admin/informes/", "agent", max_p99_ms=1000.0, max_queries=16
    ),
    Page(
        "create_ticket",
        "clinic: create ticket (POST)",
        "/soporte/tickets/nuevo",
        "clinic",
        script="create",
        expect=302,
        min_ratio=0.25,
        max_queries=None,
    ),
    # After create_ticket, whose tickets it finds alike (bench/wrk/similar.lua).
    Page(
        "create_similar",
        "clinic: new ticket alike to open ones (POST, Tickets parecidos abiertos)",
        "/soporte/tickets/nuevo",
        "clinic",
        script="similar",
        expect=200,
        min_ratio=0.25,
        max_queries=None,
    ),
    Page(
        "login",
        "login (POST)",
        "/soporte/login",
        "anonymous",
        script="login",
        expect=302,
        min_duration=15,
    ),
]


def by_name(name: str) -> Page:
    for page in [BASELINE, *PAGES]:
        if page.name == name:
            return page
    raise KeyError(name)
