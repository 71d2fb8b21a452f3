"""Runs wrk (Debian's package) with one of bench/wrk/*.lua and reads its report."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from bench.env import ROOT, BenchError

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
LATENCY_RE = re.compile(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
REQUESTS_RE = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
NON_2XX_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_RE = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
BENCH_RE = re.compile(r"BENCH expected=(\d+) unexpected=(\d+)")


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    expected: int  # responses with the page's expected status
    unexpected: int  # responses with any other status
    socket_errors: int  # connect, read, write errors and timeouts
    output: str

    @property
    def errors(self) -> int:
        return self.unexpected + self.socket_errors


def ensure_wrk() -> str:
    """wrk from the distribution; installed with apt-get when it is missing (root)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise BenchError("wrk is missing: install it (Debian/Ubuntu: apt-get install wrk).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get install wrk did not install wrk.")
    return found


def parse(output: str) -> WrkResult:
    latencies = {
        pct: float(value) * UNITS_MS[unit] for pct, value, unit in LATENCY_RE.findall(output)
    }
    rps = RPS_RE.search(output)
    requests = REQUESTS_RE.search(output)
    bench = BENCH_RE.search(output)
    if not (rps and requests and bench and "50" in latencies and "99" in latencies):
        raise BenchError(f"could not read wrk's report:\n{output}")
    sockets = SOCKET_RE.search(output)
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=round(latencies["50"], 2),
        p99_ms=round(latencies["99"], 2),
        requests=int(requests.group(1)),
        expected=int(bench.group(1)),
        unexpected=int(bench.group(2)),
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        output=output,
    )


def run_wrk(
    url: str,
    script: str,
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    env: dict[str, str],
) -> WrkResult:
    command = [
        ensure_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        f"bench/wrk/{script}.lua",
        url,
    ]
    completed = subprocess.run(  # noqa: S603 (wrk, found above)
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    return parse(completed.stdout)
