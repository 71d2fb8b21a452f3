"""gunicorn on loopback with the bench settings, and the peak memory of its workers."""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from bench.env import ROOT, BenchError, python

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path):
        self.env, self.workers, self.threads, self.log = env, workers, threads, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            python(),
            "-m",
            "gunicorn",
            "vetsync_support.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "60",
        ]

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            # The master is this process's own child (no `uv run` in between): its pid is
            # the one whose children are the workers.
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter)
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            if self._healthy() and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz in 60 s; see {self.log}")

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            connection.request("GET", "/healthz", headers={"Host": HOST})
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc (no psutil)."""
        if self.process is None:
            return []
        master, children = self.process.pid, []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                children.append(int(entry))
        return children

    def worker_peak_mb(self) -> float:
        """The largest VmHWM (peak resident memory) among the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return round(max(peaks), 1) if peaks else 0.0

    def _cpu_ticks(self) -> int:
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Until the workers use no CPU for a moment: no request left in flight."""
        deadline = time.monotonic() + timeout
        before = self._cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self._cpu_ticks()
            if now - before <= 1:
                return
            before = now

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
