"""Everything a production deployment has, on 127.0.0.1 only, in a temporary folder: its own
PostgreSQL (initdb, its own port), its own Redis, an SMTP sink, two gunicorn app servers with
the production settings behind HAProxy (health checks on /healthz), and the db_worker."""

import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.resilience.processes import (
    HOST,
    Process,
    ProcessGroup,
    StackError,
    free_port,
    port_open,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = ROOT / "deploy" / "haproxy"
APP_WORKERS = 2
DATABASE = "portal"
S3_BUCKET = "vetsync-resilience"


def pg_bindir() -> Path:
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _as_postgres_user() -> dict:
    """initdb and postgres refuse to run as root: they run as the system's postgres user."""
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


class PostgreSQL:
    def __init__(self, group: ProcessGroup):
        # A folder of its own, beside the run folder: as root, it belongs to the postgres user.
        self.dir = Path(tempfile.mkdtemp(prefix="vetsync-resilience-pg-"))
        self.data, self.sockets = self.dir / "data", self.dir / "sockets"
        self.port = free_port()
        self.group = group
        self.process: Process | None = None

    def init(self) -> None:
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        subprocess.run(
            [
                pg_bindir() / "initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            **_as_postgres_user(),
        )

    def start(self) -> None:
        argv = [
            str(pg_bindir() / "postgres"),
            "-D", str(self.data),
            "-p", str(self.port),
            "-k", str(self.sockets),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=100",
        ]  # fmt: skip
        self.process = self.group.add(
            Process(
                "postgresql",
                argv,
                env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8"},
                log=self.dir / "postgresql.log",
                cwd=self.dir,
                **_as_postgres_user(),
            ).start()
        )
        wait_for(self.ready, timeout=30, what="PostgreSQL")

    def ready(self) -> bool:
        result = subprocess.run(
            [pg_bindir() / "pg_isready", "-h", HOST, "-p", str(self.port), "-q"], check=False
        )
        return result.returncode == 0

    def stop(self) -> None:
        # SIGINT: PostgreSQL's fast shutdown (open transactions roll back, commits are kept).
        self.process.stop(signal.SIGINT)

    def psql(self, sql: str) -> None:
        subprocess.run(
            ["psql", "-h", HOST, "-p", str(self.port), "-U", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
        )

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"


class Stack:
    """Started by ``start()``, stopped by ``stop()`` (every process by its PID)."""

    def __init__(self, *, keep: bool = False):
        self.run_dir = Path(tempfile.mkdtemp(prefix="vetsync-resilience-"))
        self.keep = keep
        self.group = ProcessGroup()
        self.pg = PostgreSQL(self.group)
        self.redis_port, self.smtp_port, self.port = free_port(), free_port(), free_port()
        self.s3_port = free_port()
        self.app_ports = [free_port() for _ in range(2)]
        self.apps: dict[int, Process] = {}
        self.redis: Process | None = None
        self.smtp: Process | None = None
        self.worker: Process | None = None
        self.haproxy: Process | None = None
        self.mail_record = self.run_dir / "mail.jsonl"
        self.mail_control = self.run_dir / "mail-hold"
        self.env = self._app_env()
        self.worker_lock = threading.Lock()
        self.stopping = threading.Event()
        self.worker_restarts = 0

    # --- configuration -------------------------------------------------------------------------

    def _app_env(self) -> dict[str, str]:
        alphabet = string.ascii_letters + string.digits
        return {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "vetsync_support.settings",
            # The production settings, on plain HTTP over loopback.
            "DEBUG": "false",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": self.pg.url(),
            "CACHE_URL": f"redis://{HOST}:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://{HOST}:{self.smtp_port}",
            "PORTAL_BASE_URL": f"http://{HOST}:{self.port}",
            # Retries in seconds rather than minutes, so that a run sees them through.
            "NOTIFICATION_RETRY_DELAYS": "2,4,8,16,32,64",
            "NOTIFICATION_SENDING_LEASE": "8",
            # Attached files in an S3 API on loopback (moto's server), shared by both servers.
            "ATTACHMENTS_S3_BUCKET": S3_BUCKET,
            "ATTACHMENTS_S3_ENDPOINT_URL": f"http://{HOST}:{self.s3_port}",
            "ATTACHMENTS_S3_REGION": "us-east-1",
            "ATTACHMENTS_S3_ACCESS_KEY_ID": "resilience",
            "ATTACHMENTS_S3_SECRET_ACCESS_KEY": "resilience",
        }

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)}: {result.stderr[-2000:]}")
        return result.stdout

    # --- start and stop ------------------------------------------------------------------------

    def start(self) -> None:
        print(f"  run folder {self.run_dir}; PostgreSQL in {self.pg.dir}")
        self.pg.init()
        self.pg.start()
        self.pg.psql(f"CREATE DATABASE {DATABASE}")
        self.start_redis()
        self.start_smtp()
        self.start_s3()
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input")
        for port in self.app_ports:
            self.start_app(port)
        self.start_worker()
        threading.Thread(target=self.supervise_worker, daemon=True).start()
        self.start_haproxy()
        wait_for(lambda: self.servers_up() == 2, timeout=30, what="HAProxy to see both servers")

    def stop(self) -> None:
        self.stopping.set()
        self.group.stop_all()
        if not self.keep:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            shutil.rmtree(self.pg.dir, ignore_errors=True)

    def start_redis(self) -> None:
        argv = [
            "redis-server", "--port", str(self.redis_port), "--bind", HOST,
            "--save", "", "--appendonly", "no", "--dir", str(self.run_dir),
        ]  # fmt: skip
        self.redis = self.group.add(
            Process("redis", argv, env=self.env, log=self.run_dir / "redis.log", cwd=self.run_dir)
        ).start()
        wait_for(lambda: port_open(self.redis_port), timeout=15, what="Redis")

    def start_smtp(self) -> None:
        argv = [
            sys.executable, "-m", "scripts.resilience.smtp_sink",
            str(self.smtp_port), str(self.mail_record), str(self.mail_control),
        ]  # fmt: skip
        self.smtp = self.group.add(
            Process("smtp-sink", argv, env=self.env, log=self.run_dir / "smtp.log", cwd=ROOT)
        ).start()
        wait_for(lambda: port_open(self.smtp_port), timeout=15, what="the SMTP sink")

    def start_s3(self) -> None:
        argv = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.s3_port)]
        self.group.add(
            Process("s3 (moto)", argv, env=self.env, log=self.run_dir / "s3.log", cwd=self.run_dir)
        ).start()
        wait_for(lambda: port_open(self.s3_port), timeout=30, what="the S3 API (moto)")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.env["ATTACHMENTS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="resilience",
            aws_secret_access_key="resilience",  # noqa: S106 (moto's server accepts any)
        ).create_bucket(Bucket=S3_BUCKET)

    def start_app(self, port: int) -> Process:
        argv = [
            sys.executable, "-m", "gunicorn", "vetsync_support.wsgi",
            "--bind", f"{HOST}:{port}", "--workers", str(APP_WORKERS),
            "--graceful-timeout", "20", "--timeout", "30", "--no-control-socket",
        ]  # fmt: skip
        process = Process(
            f"gunicorn:{port}",
            argv,
            env=self.env,
            log=self.run_dir / f"app-{port}.log",
            cwd=ROOT,
            start_new_session=True,
        )
        self.apps[port] = self.group.add(process).start()
        wait_for(lambda: self.app_healthy(port), timeout=60, what=f"the app server on {port}")
        return process

    def start_worker(self) -> None:
        with self.worker_lock:
            if self.worker is not None and self.worker.running():
                return
            argv = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
            self.worker = self.group.add(
                Process("db_worker", argv, env=self.env, log=self.run_dir / "worker.log", cwd=ROOT)
            ).start()

    def supervise_worker(self) -> None:
        """Start the worker again whenever it exits, as systemd's Restart=always or a container's
        restart policy does in production: db_worker exits when its database goes away."""
        while not self.stopping.wait(1):
            if self.worker is not None and not self.worker.running():
                self.worker_restarts += 1
                self.start_worker()

    def start_haproxy(self) -> None:
        servers = "\n".join(
            f"    server app{n} {HOST}:{port} check" for n, port in enumerate(self.app_ports, 1)
        )
        config = string.Template((DEPLOY_DIR / "haproxy.cfg.template").read_text()).substitute(
            RUN_DIR=self.run_dir,
            DEPLOY_DIR=DEPLOY_DIR,
            BIND=f"{HOST}:{self.port}",
            HEALTH_HOST=HOST,
            SERVER_MAXCONN=APP_WORKERS,
            SERVERS=servers,
        )
        path = self.run_dir / "haproxy.cfg"
        path.write_text(config)
        subprocess.run(["haproxy", "-c", "-q", "-f", str(path)], check=True)
        self.haproxy = self.group.add(
            Process(
                "haproxy",
                ["haproxy", "-db", "-f", str(path)],
                env=self.env,
                log=self.run_dir / "haproxy.log",
                cwd=self.run_dir,
            )
        ).start()
        wait_for(lambda: port_open(self.port), timeout=15, what="HAProxy")

    # --- state ---------------------------------------------------------------------------------

    def app_healthy(self, port: int) -> bool:
        try:
            with socket.create_connection((HOST, port), timeout=2) as sock:
                sock.sendall(f"GET /healthz HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode())
                return sock.recv(64).split(b" ", 2)[1:2] == [b"200"]
        except OSError:
            return False

    def haproxy_command(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.run_dir / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each server: UP, DOWN, DRAIN, MAINT."""
        lines = self.haproxy_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        states = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "app" and row.get("svname", "").startswith("app"):
                states[row["svname"]] = row["status"]
        return states

    def servers_up(self) -> int:
        return sum(1 for status in self.server_states().values() if status == "UP")

    def server_name(self, port: int) -> str:
        return f"app{self.app_ports.index(port) + 1}"

    def redis_keys(self) -> int:
        with socket.create_connection((HOST, self.redis_port), timeout=5) as sock:
            sock.sendall(b"*1\r\n$6\r\nDBSIZE\r\n")
            return int(sock.recv(64).strip().lstrip(b":"))

    def set_mail_hold(self, seconds: float) -> None:
        self.mail_control.write_text(str(seconds))

    def mail_held_now(self) -> int:
        """How many messages the sink is holding at this moment (see smtp_sink)."""
        try:
            return int(self.mail_control.with_name(self.mail_control.name + ".holding").read_text())
        except (FileNotFoundError, ValueError):
            return 0

    def mail_messages(self) -> list[dict]:
        import json

        if not self.mail_record.exists():
            return []
        return [json.loads(line) for line in self.mail_record.read_text().splitlines() if line]

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
