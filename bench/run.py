"""`make bench`: load the data, serve it with gunicorn, measure every page with wrk.

    python -m bench.run [--tickets N] [--duration S] [--connections 8] [--skip-load]
                        [--workers 4] [--threads 1] [--only PAGE ...] [--no-docs]

Needs DATABASE_URL=postgres://... (it works in <name>_bench, which it drops and creates).
Prints the table and writes docs/PERFORMANCE.md and docs/performance.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

import psycopg
from psycopg import sql

from bench import explain, report
from bench.client import CSRF_COOKIE, Client
from bench.env import (
    AGENT_USERNAME,
    BENCH_PASSWORD,
    ROOT,
    WORK_DIR,
    BenchError,
    bench_database_url,
    bench_environment,
    libpq_url,
    python,
    source_database_url,
)
from bench.load_data import DATASET_FILE, RECOUNT
from bench.pages import BASELINE, PAGES, by_name
from bench.server import HOST, Gunicorn
from bench.wrkrun import WrkResult, ensure_wrk, run_wrk


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def sample_ticket(url: str) -> tuple[dict, int, str]:
    """The big clinic's newest ticket with a response and a change of state, the ticket count
    and PostgreSQL's version."""
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            "SELECT id, code FROM tickets_ticket WHERE clinic_id = 1 AND deleted_at IS NULL "
            "AND latest_response_id IS NOT NULL AND state <> 'abierto' "
            "ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        total = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
        version = conn.execute("SHOW server_version").fetchone()[0]
    if row is None:
        raise BenchError("the bench database has no sample ticket: run without --skip-load")
    return {"ticket_id": row[0], "code": row[1]}, total, f"PostgreSQL {version}"


# The tables whose rows point at a ticket (a created ticket's event, notification, times…).
TICKET_DEPENDENTS = (
    "tickets_ticketevent",
    "tickets_ticketresponse",
    "tickets_ticketaddition",
    "tickets_ticketnote",
    "tickets_notification",
    "tickets_ticketseen",
    "tickets_ticketwatcher",
    "attachments_attachment",
    "feedback_feedback",
    "reports_tickettiming",
)


RESET_DAY_SEQUENCES = """
    WITH per_day AS (
        SELECT to_date(substr(code, 4, 8), 'YYYYMMDD') AS day, max(substr(code, 13)::int) AS top
        FROM tickets_ticket GROUP BY 1),
    updated AS (
        UPDATE tickets_ticketdaysequence s SET last_number = p.top
        FROM per_day p WHERE p.day = s.day AND s.last_number <> p.top)
    DELETE FROM tickets_ticketdaysequence s WHERE NOT EXISTS (
        SELECT 1 FROM per_day p WHERE p.day = s.day)
"""


def remove_created_tickets(url: str, loaded: int) -> int:
    """Remove the tickets earlier runs created (the create page's POSTs, 2,000 and more a run,
    all in the big clinic), so that a run with --skip-load measures the data as it was loaded:
    otherwise each run pushes the search's matches further down the clinic's history. The
    loader numbers its tickets 1..loaded; the kept counts are counted again."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        with conn.transaction():
            for table in TICKET_DEPENDENTS:
                conn.execute(
                    sql.SQL("DELETE FROM {} WHERE ticket_id > %s").format(sql.Identifier(table)),
                    (loaded,),
                )
            conn.execute(
                "UPDATE tickets_ticket SET follows_up_id = NULL WHERE follows_up_id > %s",
                (loaded,),
            )
            removed = conn.execute("DELETE FROM tickets_ticket WHERE id > %s", (loaded,)).rowcount
            # Each day's numbers go on from the tickets that remain (the run ends by checking
            # that every day's numbers are exactly 1..last_number).
            conn.execute(RESET_DAY_SEQUENCES)
            for statement in RECOUNT:
                conn.execute(statement)
        conn.execute("VACUUM (ANALYZE) tickets_ticket")
    return removed


def verify_codes(url: str) -> dict:
    """Unique codes, and every day's numbers exactly 1..last_number (no gap, no duplicate)."""
    with psycopg.connect(libpq_url(url)) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT code) FROM tickets_ticket"
        ).fetchone()
        bad_days = conn.execute(
            """
            WITH per_day AS (
                SELECT to_date(substr(code, 4, 8), 'YYYYMMDD') AS day, count(*) AS n,
                       max(substr(code, 13)::int) AS top
                FROM tickets_ticket GROUP BY 1)
            SELECT count(*) FROM per_day p FULL JOIN tickets_ticketdaysequence s USING (day)
            WHERE p.n IS DISTINCT FROM s.last_number OR p.top IS DISTINCT FROM s.last_number
            """
        ).fetchone()[0]
    return {"tickets": total, "duplicates": total - distinct, "days_with_gaps": bad_days}


def count_queries(env: dict, sample: dict, dataset: dict) -> dict:
    log("Counting SQL queries per request (Django test client, in-process)...")
    completed = subprocess.run(  # noqa: S603 (our own interpreter)
        [python(), "-m", "bench.count_queries", json.dumps({"sample": sample, "dataset": dataset})],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"bench.count_queries failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def wrk_environments(port: int, dataset: dict) -> dict[str, dict[str, str]]:
    """Log in as the clinic user and as the agent; the cookies and tokens each script needs."""
    clinic = Client(HOST, port)
    clinic.clinic_login(dataset["clinic_rut"], dataset["user_rut"], BENCH_PASSWORD)
    create_token = clinic.csrf_token("/soporte/tickets/nuevo")
    agent = Client(HOST, port)
    agent.agent_login(AGENT_USERNAME, BENCH_PASSWORD)
    anonymous = Client(HOST, port)
    login_token = anonymous.csrf_token("/soporte/login")
    return {
        "clinic": {"BENCH_COOKIE": clinic.cookie_header(), "BENCH_CSRF": create_token},
        "agent": {"BENCH_COOKIE": agent.cookie_header()},
        "anonymous": {
            "BENCH_COOKIE": anonymous.cookie_header(only=(CSRF_COOKIE,)),
            "BENCH_CSRF": login_token,
            "BENCH_CLINIC_RUT": dataset["clinic_rut"],
            "BENCH_USER_RUT": dataset["user_rut"],
            "BENCH_PASSWORD": BENCH_PASSWORD,
        },
    }


def preflight(port: int, page, sample: dict, cookie: str) -> None:
    """One GET first, with wrk's cookies: the page answers as it should."""
    client = Client(HOST, port)
    for part in filter(None, cookie.split("; ")):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    status, _headers, _body = client.request("GET", page.url_path(sample))
    if status != page.expect:
        raise BenchError(f"{page.name}: GET {page.url_path(sample)} answered {status}")


def warm_up(page, server, envs, sample, args) -> None:
    url = f"http://{HOST}:{server.port}{page.url_path(sample)}"
    env = {**envs[page.who], "BENCH_EXPECT": str(page.expect)}
    if page.method == "GET":
        preflight(server.port, page, sample, env["BENCH_COOKIE"])
    if args.warmup:
        run_wrk(url, page.script, duration=args.warmup, connections=args.connections, env=env)
        server.wait_idle()


def measure(page, server, envs, sample, args, *, seconds: int) -> WrkResult:
    """One slice of load on one page."""
    url = f"http://{HOST}:{server.port}{page.url_path(sample)}"
    env = {**envs[page.who], "BENCH_EXPECT": str(page.expect)}
    result = run_wrk(url, page.script, duration=seconds, connections=args.connections, env=env)
    server.wait_idle()  # requests still in flight when wrk stopped must not weigh on the next
    return result


def combine(slices: list[WrkResult]) -> WrkResult:
    """Slices of equal length: the mean throughput, the median p50 and the worst p99."""
    return WrkResult(
        rps=round(statistics.fmean(s.rps for s in slices), 1),
        p50_ms=round(statistics.median(s.p50_ms for s in slices), 2),
        p99_ms=round(max(s.p99_ms for s in slices), 2),
        requests=sum(s.requests for s in slices),
        expected=sum(s.expected for s in slices),
        unexpected=sum(s.unexpected for s in slices),
        socket_errors=sum(s.socket_errors for s in slices),
        output="",
    )


def measure_against_baseline(page, server, envs, sample, args) -> tuple[WrkResult, WrkResult]:
    """The page and the baseline in alternating slices (baseline, page, baseline, page...):
    whatever else the machine does in those seconds weighs on both alike."""
    seconds = max(2, -(-max(args.duration, page.min_duration) // args.rounds))
    warm_up(BASELINE, server, envs, sample, args)
    warm_up(page, server, envs, sample, args)
    baselines, results = [], []
    for _ in range(args.rounds):
        baselines.append(measure(BASELINE, server, envs, sample, args, seconds=seconds))
        results.append(measure(page, server, envs, sample, args, seconds=seconds))
    baseline, result = combine(baselines), combine(results)
    log(
        "    slices, req/s: baseline "
        + " ".join(f"{s.rps:.0f}" for s in baselines)
        + f" | {page.name} "
        + " ".join(f"{s.rps:.0f}" for s in results)
    )
    for name, measured in ((BASELINE.name, baseline), (page.name, result)):
        log(
            f"  {name:<18} {measured.rps:9.1f} req/s  p50 {measured.p50_ms:7.1f} ms  "
            f"p99 {measured.p99_ms:7.1f} ms  errors {measured.errors}"
        )
    return baseline, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load-test the portal (see README, Benchmark).")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating baseline/page slices per page"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-load", action="store_true", help="reuse the bench database")
    parser.add_argument("--only", nargs="*", help="measure only these pages (and the baseline)")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except BenchError as error:
        log(f"bench: {error}")
        return 2


def run(args) -> int:
    source_database_url()
    ensure_wrk()
    url = bench_database_url()
    env = bench_environment()
    if args.skip_load:
        if not DATASET_FILE.exists():
            raise BenchError("no bench database yet: run without --skip-load")
        # The same database: bring it up to the code's migrations.
        subprocess.run(  # noqa: S603 (our own interpreter)
            [python(), "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
    else:
        subprocess.run(  # noqa: S603
            [python(), "-m", "bench.load_data", "--tickets", str(args.tickets)],
            cwd=ROOT,
            check=True,
        )
    dataset = json.loads(DATASET_FILE.read_text())
    if args.skip_load:
        removed = remove_created_tickets(url, dataset["tickets"])
        if removed:
            log(f"removed {removed:,} tickets created by earlier runs")
    log("collectstatic...")
    subprocess.run(  # noqa: S603
        [python(), "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    source = report.source_state()
    sample, tickets, postgres = sample_ticket(url)
    pages = [by_name(name) for name in args.only] if args.only else PAGES
    counted = count_queries(env, sample, dataset)
    queries = {name: measured["queries"] for name, measured in counted["pages"].items()}
    log(
        f"gunicorn: {args.workers} workers x {args.threads} threads; wrk: {args.connections} "
        f"connections, {args.duration} s per page in {args.rounds} slices alternating with the "
        "baseline"
    )
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        log(f"warning: load average {load_before:.1f} before the run: other work shares the CPUs")
    results: dict[str, WrkResult] = {}
    baselines: list[WrkResult] = []
    ratios: dict[str, float] = {}
    with Gunicorn(env, args.workers, args.threads, WORK_DIR / "gunicorn.log") as server:
        envs = wrk_environments(server.port, dataset)
        for page in pages:
            baseline, result = measure_against_baseline(page, server, envs, sample, args)
            baselines.append(baseline)
            results[page.name] = result
            ratios[page.name] = round(result.rps / baseline.rps, 3) if baseline.rps else 0.0
        peak_mb = server.worker_peak_mb()
    codes = verify_codes(url)
    baseline_rps = round(statistics.median(b.rps for b in baselines), 1)
    baseline = WrkResult(
        rps=baseline_rps,
        p50_ms=round(statistics.median(b.p50_ms for b in baselines), 2),
        p99_ms=round(statistics.median(b.p99_ms for b in baselines), 2),
        requests=sum(b.requests for b in baselines),
        expected=sum(b.expected for b in baselines),
        unexpected=sum(b.unexpected for b in baselines),
        socket_errors=sum(b.socket_errors for b in baselines),
        output="",
    )
    ratios[BASELINE.name] = 1.0
    rows = []
    for page, result in [(BASELINE, baseline), *((p, results[p.name]) for p in pages)]:
        row = report.Row(
            page=page,
            rps=round(result.rps, 1),
            p50_ms=result.p50_ms,
            p99_ms=result.p99_ms,
            queries=queries[page.name],
            errors=result.errors,
            ratio=ratios[page.name],
        )
        row.judge()
        rows.append(row)
    notes = report.notes(rows, results, codes, counted, peak_mb)
    notes += ["", *report.time_split(rows, counted)]
    summary = {
        "tickets": tickets,
        "loaded_tickets": dataset["tickets"],
        "big_clinic_tickets": dataset["big_clinic_tickets"],
        "load_seconds": dataset.get("load_seconds", "?"),
        "baseline_rps": baseline_rps,
        "baseline_runs": [b.rps for b in baselines],
        "load_before": round(load_before, 2),
        "worker_peak_mb": peak_mb,
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "duration": args.duration,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "postgres": postgres,
        "machine": report.machine(),
        "source": source,
    }
    print()
    print(report.text_table(rows))
    print()
    print(f"baseline {baseline_rps:,.1f} req/s; worker peak memory {peak_mb} MB")
    for note in notes:
        print(note.removeprefix("- "))
    if not args.no_docs:
        appendix = explain.explain_pages(url, rows, counted["pages"])
        if appendix:
            notes += ["", "## The slowest queries of the pages that miss a target", "", *appendix]
        report.write_markdown(summary, rows, notes)
        report.write_json(summary, rows)
        log("Wrote docs/PERFORMANCE.md and docs/performance.json.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
