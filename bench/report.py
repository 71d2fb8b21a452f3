"""The results table: printed, written to docs/PERFORMANCE.md and docs/performance.json."""

import datetime
import json
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.env import ROOT
from bench.pages import BASELINE, Page

DOCS = ROOT / "docs"
MEMORY_LIMIT_MB = 150


@dataclass
class Row:
    page: Page
    rps: float
    p50_ms: float
    p99_ms: float
    queries: int
    errors: int
    ratio: float = 0.0
    missed: list[str] = field(default_factory=list)

    def judge(self) -> None:
        page, missed = self.page, []
        if self.rps == 0:
            missed.append("no request completed")
        if page.min_ratio is not None and self.ratio < page.min_ratio:
            missed.append(f"ratio {self.ratio:.2f} < {page.min_ratio}")
        if page.max_p99_ms is not None and self.p99_ms >= page.max_p99_ms:
            missed.append(f"p99 {self.p99_ms:.0f} ms ≥ {page.max_p99_ms:.0f}")
        if page.max_queries is not None and self.queries > page.max_queries:
            missed.append(f"{self.queries} queries > {page.max_queries}")
        if self.errors:
            missed.append(f"{self.errors} errors")
        self.missed = missed

    @property
    def target(self) -> str:
        page, parts = self.page, []
        if page.min_ratio is not None:
            parts.append(f"≥{page.min_ratio}x")
        if page.max_p99_ms is not None:
            parts.append(f"p99<{page.max_p99_ms:.0f}")
        if page.max_queries is not None:
            parts.append(f"≤{page.max_queries} q")
        return ", ".join(parts) or "—"

    @property
    def verdict(self) -> str:
        if self.page is BASELINE:
            return ""
        return "MISS: " + "; ".join(self.missed) if self.missed else "ok"


def source_state() -> str:
    """The commit measured, and whether the work tree had other changes (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    changed = sorted(
        {
            line[3:].split("/")[0]
            for line in status
            if not line[3:].startswith(("bench/", "docs/PERFORMANCE.md", "docs/performance.json"))
        }
    )
    if not changed:
        return f"commit {head}"
    return f"commit {head} plus uncommitted changes in {', '.join(changed)}"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        mem_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cpus": os.cpu_count() or 0,
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
    }


COLUMNS = ("page", "req/s", "p50 ms", "p99 ms", "SQL/req", "x baseline", "errors", "target", "")


def _cells(row: Row) -> list[str]:
    return [
        row.page.name,
        f"{row.rps:,.1f}",
        f"{row.p50_ms:.1f}",
        f"{row.p99_ms:.1f}",
        str(row.queries),
        f"{row.ratio:.2f}",
        str(row.errors),
        row.target,
        row.verdict,
    ]


def text_table(rows: list[Row]) -> str:
    cells = [list(COLUMNS), *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = []
    for index, line in enumerate(cells):
        lines.append(
            "  ".join(
                cell.ljust(width) if i in (0, 7, 8) else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    header = "| " + " | ".join(c or "result" for c in COLUMNS) + " |"
    rule = "|" + "|".join("---" if i in (0, 7, 8) else "---:" for i in range(len(COLUMNS))) + "|"
    body = ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join([header, rule, *body])


def write_json(summary: dict, rows: list[Row], path: Path = DOCS / "performance.json") -> None:
    data = {
        "tickets": summary["tickets"],
        "baseline_rps": summary["baseline_rps"],
        "worker_peak_mb": summary["worker_peak_mb"],
        "pages": [
            {
                "page": row.page.name,
                "rps": row.rps,
                "p50_ms": row.p50_ms,
                "p99_ms": row.p99_ms,
                "queries": row.queries,
                "ratio": row.ratio,
            }
            for row in rows
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_markdown(
    summary: dict, rows: list[Row], notes: list[str], path: Path = DOCS / "PERFORMANCE.md"
) -> None:
    m = summary["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m bench.run`); see the README's Benchmark section. "
        "Do not edit by hand: run the benchmark again.",
        "",
        f"- **Date:** {m['date']}",
        f"- **Machine:** {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}",
        f"- **PostgreSQL:** {summary['postgres']}",
        f"- **Code measured:** {summary['source']}",
        f"- **Data:** {summary['tickets']:,} tickets over 2,000 "
        "clinics and 20,000 VetSync "
        f"users; the measured clinic holds {summary['big_clinic_tickets']:,} of them; "
        f"half of the tickets have a team response. Loaded in {summary['load_seconds']} s.",
        f"- **Server:** gunicorn, {summary['workers']} workers x {summary['threads']} threads, "
        "production settings (DEBUG off, whitenoise, database sessions, persistent "
        "connections), plain HTTP on 127.0.0.1, lockout off on this instance.",
        f"- **Load:** wrk, {summary['connections']} connections, 2 threads, "
        f"{summary['duration']} s per page in {summary.get('rounds', 1)} slices, each page "
        f"and the baseline after a {summary['warmup']} s warm-up, on the same machine "
        "(loopback).",
        f"- **Baseline:** `/bench/baseline`, a trivial `@login_required` view on the same stack: "
        f"{summary['baseline_rps']:,.1f} req/s (median over the pages). It runs in slices "
        "alternating with each page's (baseline, page, baseline, page...), and each page's "
        "ratio is against its own baseline slices (per page: "
        + ", ".join(f"{r:,.1f}" for r in summary["baseline_runs"])
        + ").",
        f"- **Load average before the run:** {summary['load_before']} (other work on the "
        "machine weighs on the absolute figures; the paired ratios are steadier).",
        f"- **Worker peak memory (VmHWM):** {summary['worker_peak_mb']} MB "
        f"({'ok' if summary['worker_peak_mb'] < MEMORY_LIMIT_MB else 'MISS'}: "
        f"target < {MEMORY_LIMIT_MB} MB).",
        "",
        markdown_table(rows),
        "",
        "Ratio: the page's requests per second over those of the baseline slices alternating "
        "with it. p99: the worst of the page's slices. "
        "SQL/req: queries on both "
        "database aliases for one request, counted in-process with Django's test client. "
        "Errors: responses with another status than expected (200; 302 for the POSTs) and "
        "socket errors.",
        "",
        *notes,
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip() + "\n")


def notes(rows: list[Row], results: dict, codes: dict, counted: dict, peak_mb: float) -> list[str]:
    """The checks below the table: codes under load, login cost, memory, the misses."""
    lines, missed = (
        ["## Checks", ""],
        [f"- {r.page.name}: {'; '.join(r.missed)}" for r in rows if r.missed],
    )
    create = results.get("create_ticket")
    if create is not None:
        ok = codes["duplicates"] == 0 and codes["days_with_gaps"] == 0
        lines.append(
            f"- Codes under load ({'ok' if ok else 'MISS'}): {create.expected:,} tickets created "
            f"in the measured run; {codes['tickets']:,} tickets in all, {codes['duplicates']} "
            f"duplicate codes, {codes['days_with_gaps']} days whose numbers are not exactly "
            "1..last_number."
        )
        if not ok:
            missed.append("- create_ticket: duplicate or missing codes")
    login = counted["pages"].get("login")
    if login is not None:
        ok = login["hash_calls"] == 1
        lines.append(
            f"- Login cost ({'ok' if ok else 'MISS'}): one login POST computes "
            f"{login['hash_calls']} password hash(es) (PBKDF2, Django's default hasher, counted "
            f"in-process) and uses {login['login_cpu_ms']:.0f} ms of CPU against "
            f"{login['hash_cpu_ms']:.0f} ms for one hash alone "
            f"(≈ {login['login_cpu_ms'] / login['hash_cpu_ms']:.2f} hashes)."
        )
        if not ok:
            missed.append(f"- login: {login['hash_calls']} password hashes per login")
    ok = peak_mb < MEMORY_LIMIT_MB
    lines.append(
        f"- Worker peak memory ({'ok' if ok else 'MISS'}): {peak_mb} MB, target < "
        f"{MEMORY_LIMIT_MB} MB."
    )
    if not ok:
        missed.append(f"- worker memory: {peak_mb} MB")
    if missed:
        return [*lines, "", "Targets missed:", "", *missed]
    return [*lines, "", "Every target is met."]


def time_split(rows: list[Row], counted: dict) -> list[str]:
    """In-process cost of one request of each page: wall time, CPU time, time in SQL."""
    lines = [
        "## Where the time goes (one request, in-process)",
        "",
        "The fastest of three requests with Django's test client against the same database, "
        "outside gunicorn: wall time, the request thread's CPU time (Python: views, templates, "
        "ORM), and the time spent in SQL (PostgreSQL plus the round trips).",
        "",
        "| page | wall ms | CPU ms | SQL ms | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        measured = counted["pages"][row.page.name]
        lines.append(
            f"| {row.page.name} | {measured['wall_ms']:.1f} | {measured['cpu_ms']:.1f} | "
            f"{measured['sql_ms']:.1f} | {measured['queries']} |"
        )
    return lines
