"""Child processes started by the resilience suite, each stopped by its own PID at the end,
also when the suite fails or is interrupted."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_open(port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.1) -> float:
    """Poll until ``predicate()`` is true; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    raise StackError(f"timed out after {timeout:.0f} s waiting for {what}")


class Process:
    """One child process: started with its log file, stopped by its PID."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log: Path, cwd: Path, **popen):
        self.name, self.argv, self.env, self.log, self.cwd = name, argv, env, log, cwd
        self.popen_options = popen
        self.popen: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> "Process":
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                **self.popen_options,
            )
        return self

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        if self.running():
            os.kill(self.pid, signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Ask the process to stop, wait, and kill it if it does not."""
        if not self.running():
            return
        self.send_signal(signum)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(10)

    def kill(self) -> None:
        """SIGKILL, as a crash: no clean-up. A process started in its own session (an app
        server: gunicorn's master and workers) dies with every process of that session."""
        if not self.running():
            return
        if self.popen_options.get("start_new_session"):
            os.killpg(self.pid, signal.SIGKILL)
        else:
            self.popen.kill()
        self.popen.wait(10)


class ProcessGroup:
    """Every process the suite started, stopped in the reverse order of starting."""

    def __init__(self):
        self.processes: list[Process] = []

    def add(self, process: Process) -> Process:
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            try:
                process.stop(timeout=20)
            except Exception as error:  # keep stopping the others
                print(f"  could not stop {process.name} (pid {process.pid}): {error}")
