"""``make resilience``: every fault scenario against a production-shaped stack on loopback.

python -m scripts.resilience            the full run: figures to docs/RESILIENCE.md and
                                        docs/resilience.json
python -m scripts.resilience --short    a few seconds of load a phase (CI): figures to
                                        var/resilience/
--only NAME[,NAME]                      some scenarios (names in SCENARIOS)
--keep                                  keep the run folder (logs, data) for a post-mortem
"""

import argparse
import json
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from scripts.resilience.processes import StackError
from scripts.resilience.scenarios import FULL, SHORT, Result, Scenarios
from scripts.resilience.stack import ROOT, Stack

SCENARIOS = [
    "rolling_restart",
    "kill_app_server",
    "restart_postgresql",
    "stop_redis",
    "worker_and_smtp",
    "slow_clients",
    "shared_files",
]
JSON_FIELDS = [
    "requests",
    "errors",
    "lost_tickets",
    "duplicate_tickets",
    "lost_sessions",
    "notifications_expected",
    "notifications_delivered",
    "recovery_s",
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.resilience")
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, also in a file
    # Stopped from outside (a CI timeout, kill): still stop every process it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [name for name in args.only.split(",") if name]
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    timing = SHORT if args.short else FULL

    started = time.monotonic()
    stack = Stack(keep=args.keep)
    results: list[Result] = []
    cron = None
    try:
        print("Starting PostgreSQL, Redis, the SMTP sink, two app servers, HAProxy, the worker…")
        stack.start()
        from scripts.resilience import audit

        audit.setup(stack.env)
        accounts = audit.seed()
        cron = audit.Cron()
        cron.start()
        print(f"  up in {time.monotonic() - started:.0f} s: HAProxy on 127.0.0.1:{stack.port}")
        scenarios = Scenarios(stack, accounts, timing)
        for name in names:
            print(f"\n--- {name}")
            result = getattr(scenarios, name)()
            results.append(result)
            print_result(result)
    except StackError as error:
        print(f"\nThe stack failed: {error}", file=sys.stderr)
        return 2
    finally:
        if cron is not None:
            cron.stop()
        print("\nStopping every process by its PID…")
        stack.stop()
        if args.keep:
            print(f"  logs and data kept in {stack.run_dir}")
    write(results, short=args.short, seconds=time.monotonic() - started)
    failed = [r.name for r in results if not r.passed]
    print(f"\n{len(results) - len(failed)} of {len(results)} scenarios hold.")
    if failed:
        print("Failed: " + ", ".join(failed))
    return 1 if failed or len(results) < len(names) else 0


def print_result(result: Result) -> None:
    for phase, figures in result.phases.items():
        print(
            f"  {phase:<7} {figures['requests']:>6} requests  p50 {figures['p50_ms']:>7} ms  "
            f"p99 {figures['p99_ms']:>7} ms  errors {figures['errors'] or 0}"
        )
    print("  " + ", ".join(f"{k}={v}" for k, v in result.figures.items()))
    print("  " + ("HOLDS" if result.passed else "FAILS: " + "; ".join(result.failures)))


def write(results: list[Result], *, short: bool, seconds: float) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    data = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "commit": commit,
        "short": short,
        "scenarios": [
            {
                "name": r.name,
                **{k: r.figures.get(k) for k in JSON_FIELDS},
                "passed": r.passed,
                "failures": r.failures,
                "phases": r.phases,
                "figures": r.figures,
            }
            for r in results
        ],
    }
    out = ROOT / "var" / "resilience" if short else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    (out / "resilience.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (out / "RESILIENCE.md").write_text(markdown(results, data, seconds))
    print(f"\nWrote {out / 'RESILIENCE.md'} and {out / 'resilience.json'}")


def markdown(results: list[Result], data: dict, seconds: float) -> str:
    lines = [
        "# Resilience: nothing is lost when servers fail",
        "",
        "Measured by `make resilience` (`scripts/resilience/`) on this machine: its own PostgreSQL",
        "and Redis, an SMTP sink (aiosmtpd), two gunicorn app servers with the production settings",
        "behind HAProxy (health checks on `/healthz` every second), and the `db_worker`, all on",
        "127.0.0.1; clinic users and agents load it through HAProxy while one fault is injected.",
        "",
        f"- **Date:** {data['date']}, commit {data['commit']}"
        + (" (short run)" if data["short"] else ""),
        f"- **Machine:** {platform.machine()}, Python {platform.python_version()}; "
        f"the run took {seconds:.0f} s.",
        "",
        "| scenario | requests | errors | lost tickets | duplicate tickets | lost sessions "
        "| notifications expected / delivered | recovery s | holds |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        f = r.figures
        errors = ", ".join(f"{k} {v}" for k, v in f["errors"].items()) or "0"
        lines.append(
            f"| {r.name} | {f['requests']} | {errors} | {f['lost_tickets']} | "
            f"{f['duplicate_tickets']} | {f['lost_sessions']} | "
            f"{f['notifications_expected']} / {f['notifications_delivered']} | "
            f"{f['recovery_s']} | {'yes' if r.passed else 'NO'} |"
        )
    for r in results:
        lines += ["", f"## {r.name}: {r.title}", ""]
        lines.append("| phase | requests | p50 ms | p99 ms | errors |")
        lines.append("|---|---:|---:|---:|---|")
        for phase, p in r.phases.items():
            errors = ", ".join(f"{k} {v}" for k, v in p["errors"].items()) or "0"
            lines.append(
                f"| {phase} | {p['requests']} | {p['p50_ms']} | {p['p99_ms']} | {errors} |"
            )
        lines.append("")
        lines.append(", ".join(f"{k}: {v}" for k, v in r.figures.items() if k != "errors"))
        if r.failures:
            lines.append("")
            lines.append("**Does not hold:** " + "; ".join(r.failures))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
