"""The real server for browser tests: gunicorn with production settings on loopback.

Migrated databases, the demo VetSync clinics, collected static files, and an agent of the
"Agentes" group. Never Django's test server.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
E2E_DIR = BASE_DIR / "var" / "e2e"
AGENT_USERNAME = "agente.e2e"
AGENT_PASSWORD = "Agente.E2E.2026-largo"

CREATE_AGENT = f"""
from django.contrib.auth.models import Group
from accounts.models import User
agent, _ = User.objects.get_or_create(username={AGENT_USERNAME!r}, defaults={{"is_staff": True}})
agent.first_name, agent.last_name, agent.is_staff = "Ana", "Agente", True
agent.set_password({AGENT_PASSWORD!r})
agent.save()
agent.groups.set([Group.objects.get(name="Agentes")])
"""


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen
    log_path: Path
    log: object


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_e2e_url(url: str, suffix: str) -> str:
    """A database of its own for the browser tests, next to the suite's."""
    import psycopg

    base, _, name = url.rpartition("/")
    e2e_name = f"{name.split('?')[0]}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{e2e_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{e2e_name}"')
    return f"{base}/{e2e_name}"


def server_environment(port: int, workdir: Path = E2E_DIR) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        database_url = _postgres_e2e_url(database_url, workdir.name)
    else:
        database_url = f"sqlite:///{workdir / 'portal.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "vetsync_support.settings",
            "DEBUG": "false",
            "SECRET_KEY": "e2e-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": database_url,
            "ATTACHMENTS_DIR": str(workdir / "attachments"),
            "EMAIL_URL": "dummymail://",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            # The browser tests read the queues' counts and reports right after changing tickets.
            "ADMIN_COUNTS_CACHE_SECONDS": "0",
            "REPORTS_CACHE_SECONDS": "0",
        }
    )
    env.pop("VETSYNC_DATABASE_URL", None)
    env.pop("LOGIN_FAILURE_SECONDS", None)  # the suite turns it off in-process; not here
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def start_server(workdir: Path = E2E_DIR, **extra_env: str) -> LiveServer:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    port = _free_port()
    env = server_environment(port, workdir)
    env.update(extra_env)
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--no-input")
    manage(env, "shell", "--no-imports", "-c", CREATE_AGENT)
    log_path = workdir / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vetsync_support.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return LiveServer(url=url, env=env, process=process, log_path=log_path, log=log)
        except OSError:
            time.sleep(0.3)
    process.terminate()
    log.close()
    raise RuntimeError(f"gunicorn did not start: {log_path.read_text()[-3000:]}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
    server.log.close()
