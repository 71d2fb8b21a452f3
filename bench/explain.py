"""EXPLAIN ANALYZE of the slowest SELECTs of the pages that miss a target."""

import re

import psycopg

from bench.env import libpq_url

PER_PAGE = 2
FROM_RE = re.compile(r'\bFROM "(\w+)"')
SQL_SHARE = 0.25  # below this share of the request's time, plans are not the story


def _tables(statements) -> set[str]:
    return {match for _t, query in statements for match in FROM_RE.findall(query)[:1]}


def slowest_selects(statements, skip_tables: set[str], n: int = PER_PAGE):
    """The page's own slowest SELECTs: not those of the baseline's stack (session, user)."""
    own = [
        (t, q)
        for t, q in statements
        if q.lstrip().upper().startswith("SELECT")
        and not (FROM_RE.findall(q)[:1] and FROM_RE.findall(q)[0] in skip_tables)
    ]
    return sorted(own, key=lambda item: item[0], reverse=True)[:n]


def explain(url: str, query: str) -> str:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}").fetchall()
        conn.rollback()
    return "\n".join(row[0] for row in rows)


def explain_pages(url: str, rows, measured: dict[str, dict]) -> list[str]:
    """Markdown: for each page with a missed target, where its time goes, and the plans of
    its slowest queries when SQL is a real share of it."""
    skip = _tables(measured["baseline"]["sql"])
    lines: list[str] = []
    for row in rows:
        page = measured.get(row.page.name)
        if not row.missed or page is None:
            continue
        share = page["sql_ms"] / page["wall_ms"] if page["wall_ms"] else 0
        lines += [
            f"### {row.page.name} ({'; '.join(row.missed)})",
            "",
            f"One request in-process: {page['wall_ms']:.1f} ms, of which {page['cpu_ms']:.1f} ms "
            f"of Python CPU and {page['sql_ms']:.1f} ms in {page['queries']} SQL queries "
            f"({share:.0%}).",
            "",
        ]
        if share < SQL_SHARE:
            lines += ["SQL is a small share: the time goes to Python (view, forms, templates).", ""]
            continue
        for seconds, query in slowest_selects(page["sql"], skip):
            try:
                plan = explain(url, query)
            except psycopg.Error as error:
                plan = f"(EXPLAIN failed: {error})"
            lines += [
                f"{seconds * 1000:.1f} ms in the query count:",
                "",
                "```sql",
                query,
                "```",
                "",
                "```",
                plan,
                "```",
                "",
            ]
    return lines
