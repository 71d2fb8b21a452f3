"""What the loader, the orchestrator and the query counter share: the bench database's URL,
the production-like environment of every process they start, and the known credentials."""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"

# Every VetSync user of the bench shares one hash of this password (computed once by the
# loader with Django's default hasher), so any of them can log in with it.
BENCH_PASSWORD = "Bench.Vetsync-2026"  # noqa: S105 (a throw-away benchmark database)
AGENT_USERNAME = "bench.agent"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


class BenchError(Exception):
    """A condition that stops the benchmark, with a message for people."""


def source_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise BenchError(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            "(the benchmark creates and drops its own database, <name>_bench)."
        )
    return url


def bench_database_url(url: str | None = None) -> str:
    """DATABASE_URL with the database name + ``_bench``."""
    parts = urlsplit(url or source_database_url())
    name = parts.path.lstrip("/") or "vetsync_support"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def maintenance_url(url: str) -> str:
    """The same server, database ``postgres``: where the bench database is dropped and created."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def libpq_url(url: str) -> str:
    """psycopg speaks ``postgresql://``; django-environ also accepts ``postgres://``/``pgsql://``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def bench_environment(secret_key: str | None = None) -> dict[str, str]:
    """The environment of every process of the benchmark: production settings on plain HTTP
    loopback, the bench database for both aliases, and the lockout off (see README)."""
    env = dict(os.environ)
    env.pop("VETSYNC_DATABASE_URL", None)  # the VetSync tables live in the bench database
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secret_key or env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        EMAIL_URL="dummymail://",
        # The login POST is measured hundreds of times for one account: no lockout here.
        AXES_ENABLED="false",
        DATABASE_URL=bench_database_url(),
        PYTHONUNBUFFERED="1",
    )
    return env


def python() -> str:
    """The interpreter of the project's virtualenv (this one, under ``uv run``)."""
    return sys.executable


class Progress:
    """A tiny progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.done = 0
        self._shown = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        percent = min(100, self.done * 100 // self.total)
        if percent != self._shown:
            self._shown = percent
            filled = self.width * percent // 100
            bar = "#" * filled + "." * (self.width - filled)
            sys.stderr.write(f"\r  {self.label:<22} [{bar}] {percent:3d}% {self.done:>9,}")
            sys.stderr.flush()

    def close(self) -> None:
        self.done = min(self.done, self.total)
        sys.stderr.write("\n")
        sys.stderr.flush()
