"""The faults, one per scenario, each injected under the mixed load, and what must hold after.

Each scenario runs the load before, during and after its fault, then audits the database and
the SMTP sink: tickets answered 302 that are missing (lost) or present twice (duplicate),
tickets without their creation event, sessions that were sent back to the login page,
notifications expected against delivered.
"""

import re
import signal
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

from scripts.resilience.load import ClinicUser, Http, Load, Record, summarize
from scripts.resilience.processes import HOST, StackError, wait_for
from scripts.resilience.stack import Stack


@dataclass
class Timing:
    """Seconds of load before, during and after a fault; the SMTP sink's downtime."""

    before: float
    after: float
    fault: float
    smtp_down: float


NEW_TICKET = "/soporte/tickets/nuevo"


def tiny_png(width: int = 64, height: int = 48) -> bytes:
    """A real PNG (a grey picture), as a screenshot would be."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([120, 130, 140]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


FULL = Timing(before=20, after=20, fault=20, smtp_down=60)
SHORT = Timing(before=4, after=5, fault=6, smtp_down=8)


@dataclass
class Result:
    name: str
    title: str
    phases: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def require(self, condition: bool, message: str) -> None:
        if not condition:
            self.failures.append(message)


class Scenarios:
    def __init__(self, stack: Stack, accounts, timing: Timing):
        self.stack, self.accounts, self.timing = stack, accounts, timing

    # --- the common frame ----------------------------------------------------------------------

    def run_with_load(self, name: str, title: str, fault) -> Result:
        """Load for ``before`` seconds, then ``fault(result, marks)`` (which returns when the
        fault is over and service should be back), then ``after`` seconds."""
        from scripts.resilience import audit

        result = Result(name, title)
        started_at = audit.now()
        restarts = self.stack.worker_restarts
        load = Load(
            self.stack.port,
            self.accounts.users,
            self.accounts.agents,
            tag=name,
        ).start()
        marks = {"start": time.monotonic(), "record": load.record}
        try:
            time.sleep(self.timing.before)
            marks["fault"] = time.monotonic()
            fault(result, marks)
            marks.setdefault("restored", time.monotonic())
            time.sleep(self.timing.after)
        finally:
            marks["end"] = time.monotonic()
            load.stop()
        record = load.record
        samples = record.samples
        phases = {
            "before": [s for s in samples if s.at < marks["fault"]],
            "during": [s for s in samples if marks["fault"] <= s.at < marks["restored"]],
            "after": [s for s in samples if s.at >= marks["restored"]],
        }
        result.phases = {phase: summarize(items) for phase, items in phases.items()}
        errors = Counter(s.error for s in samples if s.error)
        last_error = max((s.at + s.latency for s in samples if s.error), default=None)
        recovery = 0.0
        if last_error is not None and last_error > marks["restored"]:
            recovery = last_error - marks["restored"]
        result.figures.update(
            {
                "requests": len(samples),
                "errors": dict(errors),
                "resent_forms": record.resent_forms,
                "recovery_s": round(recovery, 2),
                "bad_503": record.bad_503,
                "worker_restarts": self.stack.worker_restarts - restarts,
            }
        )
        tickets = audit.tickets_check(record, started_at)
        notifications = audit.notifications_check(self.stack, started_at)
        result.figures.update(tickets)
        result.figures.update(notifications)
        result.figures["lost_sessions"] = errors.get("lost_session", 0)
        result.require(tickets["lost_tickets"] == 0, f"{tickets['lost_tickets']} lost tickets")
        result.require(
            tickets["duplicate_tickets"] == 0, f"{tickets['duplicate_tickets']} duplicate tickets"
        )
        result.require(
            tickets["half_written_tickets"] == 0,
            f"{tickets['half_written_tickets']} tickets without their creation event",
        )
        result.require(
            notifications["notifications_delivered"] == notifications["notifications_expected"]
            and notifications["notifications_duplicated"] == 0,
            "notifications: {notifications_expected} expected, {notifications_delivered} "
            "delivered, {notifications_duplicated} delivered twice".format(**notifications),
        )
        result.require(record.bad_503 == 0, f"{record.bad_503} 503s without the Spanish page")
        return result

    def both_servers_up(self) -> None:
        wait_for(lambda: self.stack.servers_up() == 2, timeout=30, what="both servers UP")

    # --- the scenarios -------------------------------------------------------------------------

    def rolling_restart(self) -> Result:
        def fault(result: Result, marks: dict) -> None:
            for port in self.stack.app_ports:
                name = self.stack.server_name(port)
                # Drain: HAProxy sends it no new request; those in flight finish.
                self.stack.haproxy_command(f"set server app/{name} state drain")
                wait_for(
                    lambda name=name: self._current_sessions(name) == 0,
                    timeout=30,
                    what=f"{name} to finish its requests",
                )
                self.stack.apps[port].stop(signal.SIGTERM)  # gunicorn's graceful stop
                self.stack.start_app(port)
                self.stack.haproxy_command(f"set server app/{name} state ready")
                wait_for(
                    lambda name=name: self.stack.server_states().get(name) == "UP",
                    timeout=30,
                    what=f"{name} UP again",
                )
            marks["restored"] = time.monotonic()

        result = self.run_with_load(
            "rolling_restart", "Reinicio escalonado de los dos servidores", fault
        )
        result.require(sum(result.figures["errors"].values()) == 0, "failed requests")
        return result

    def kill_app_server(self) -> Result:
        port = self.stack.app_ports[0]
        name = self.stack.server_name(port)

        def fault(result: Result, marks: dict) -> None:
            self.stack.apps[port].kill()  # gunicorn's master and workers, with SIGKILL
            result.figures["moved_after_s"] = round(
                wait_for(
                    lambda: self.stack.server_states().get(name) == "DOWN",
                    timeout=15,
                    what=f"HAProxy to mark {name} DOWN",
                    interval=0.05,
                ),
                2,
            )
            marks["restored"] = time.monotonic()
            time.sleep(self.timing.fault)
            self.stack.start_app(port)
            self.both_servers_up()

        result = self.run_with_load(
            "kill_app_server", "Un servidor de aplicación muere (SIGKILL)", fault
        )
        result.require(result.figures["moved_after_s"] <= 3, "traffic moved too late")
        result.require(result.figures["lost_sessions"] == 0, "sessions lost")
        return result

    def restart_postgresql(self) -> Result:
        def fault(result: Result, marks: dict) -> None:
            # A clinic user opens the form before the database stops and sends it while it is
            # down: it is sent again and again until it is answered, then once more (a double
            # click). One ticket must come of it.
            user = ClinicUser(
                self.stack.port, marks["record"], threading.Event(), 7, tag="restart_postgresql",
                **self.accounts.users[0],
            )  # fmt: skip
            user.log_in()
            form = user.new_ticket_form()
            self.stack.pg.stop()
            sender = threading.Thread(target=lambda: codes.append(user.submit(dict(form))))
            codes: list[str | None] = []
            sender.start()
            time.sleep(self.timing.fault)
            self.stack.pg.start()
            marks["restored"] = time.monotonic()
            result.figures["full_service_s"] = round(
                wait_for(lambda: self.stack.servers_up() == 2, timeout=30, what="service back"),
                2,
            )
            sender.join(60)
            codes.append(user.submit(dict(form)))
            result.figures["form_sent_while_down"] = {
                "answers": codes,
                "resent": marks["record"].resent_forms,
            }
            result.require(
                codes[0] is not None and codes == [codes[0]] * 2,
                f"the form sent while the database was down was answered {codes}",
            )

        result = self.run_with_load("restart_postgresql", "PostgreSQL se reinicia", fault)
        during = result.phases["during"]["errors"]
        result.require(during.get("unavailable", 0) > 0, "no 503 while PostgreSQL was down")
        result.require(result.figures["full_service_s"] <= 10, "service back after more than 10 s")
        result.require(result.figures["recovery_s"] <= 10, "errors more than 10 s after restart")
        result.require(result.figures["lost_sessions"] == 0, "sessions lost")
        return result

    def stop_redis(self) -> Result:
        def fault(result: Result, marks: dict) -> None:
            self.stack.redis.stop()
            time.sleep(self.timing.fault)
            self.stack.start_redis()
            marks["restored"] = time.monotonic()

        result = self.run_with_load("stop_redis", "Redis se detiene", fault)
        # Back to normal: the sessions are cached in Redis again.
        result.figures["redis_keys_after"] = self.stack.redis_keys()
        result.require(result.figures["redis_keys_after"] > 0, "Redis holds no session after")
        result.require(sum(result.figures["errors"].values()) == 0, "failed requests")
        result.require(result.figures["lost_sessions"] == 0, "sessions lost")
        return result

    def worker_and_smtp(self) -> Result:
        def fault(result: Result, marks: dict) -> None:
            # The sink holds each message; the worker is killed while it waits for the answer.
            # It is killed once a message is held, not after a fixed pause: the load may leave
            # the worker idle for a while (CI once found no send cut after a 1.5 s pause).
            self.stack.set_mail_hold(5)
            wait_for(lambda: self.stack.mail_held_now() > 0, timeout=60, what="a message held")
            self.stack.worker.kill()
            self.stack.set_mail_hold(0)
            # Its supervisor starts it again (Stack.supervise_worker).
            # Then the mail server is down for a while.
            self.stack.smtp.stop()
            time.sleep(self.timing.smtp_down)
            self.stack.start_smtp()
            marks["restored"] = time.monotonic()

        result = self.run_with_load(
            "worker_and_smtp", "El worker muere enviando; el servidor de correo cae", fault
        )
        result.require(sum(result.figures["errors"].values()) == 0, "failed requests")
        result.require(result.figures["sends_cut_by_a_kill"] > 0, "no send was cut by the kill")
        result.require(result.figures["notifications_retried"] > 0, "no send was retried")
        return result

    def slow_clients(self) -> Result:
        def fault(result: Result, marks: dict) -> None:
            stop = threading.Event()
            opened = Counter()
            threads = [
                threading.Thread(target=self._slowloris, args=(stop, opened), daemon=True)
                for _ in range(100)
            ]
            for thread in threads:
                thread.start()
            time.sleep(self.timing.fault)
            stop.set()
            for thread in threads:
                thread.join(15)
            result.figures["slow_connections"] = opened["connections"]
            marks["restored"] = time.monotonic()

        result = self.run_with_load(
            "slow_clients", "Clientes lentos (slowloris) contra HAProxy", fault
        )
        result.require(result.phases["during"]["p99_ms"] < 250, "p99 of other users ≥ 250 ms")
        result.require(sum(result.figures["errors"].values()) == 0, "failed requests")
        return result

    def shared_files(self) -> Result:
        """A screenshot attached through one app server downloads, identical, through the other
        (the files live in the S3 API, not on either server)."""
        result = Result("shared_files", "Un archivo subido por un servidor se descarga por el otro")
        record = Record()
        first, second = self.stack.app_ports
        user = ClinicUser(
            first, record, threading.Event(), 11, tag="shared_files", **self.accounts.users[1]
        )
        user.log_in()
        form = user.new_ticket_form()
        picture = tiny_png()
        files = {"attachments": ("captura de pantalla.png", picture)}
        _, headers, _ = user.http.request("create", "POST", NEW_TICKET, form, files=files)
        code = headers.get("Location", "").rsplit("/", 1)[-1]
        other = Http(second, record)
        other.cookies = dict(user.http.cookies)  # the same session, on the other server
        _, _, html = other.request("detail", "GET", f"/soporte/tickets/{code}")
        link = re.search(rf'href="(/soporte/tickets/{code}/archivos/[0-9]+)"', html)
        downloaded = b""
        if link:
            _, _, downloaded = other.request("download", "GET", link.group(1), raw=True)
        errors = Counter(s.error for s in record.samples if s.error)
        result.figures.update(
            {
                "requests": len(record.samples),
                "errors": dict(errors),
                "lost_tickets": 0 if code.startswith("ST-") else 1,
                "duplicate_tickets": 0,
                "lost_sessions": errors.get("lost_session", 0),
                "notifications_expected": 0,
                "notifications_delivered": 0,
                "recovery_s": 0.0,
                "uploaded_through": f"127.0.0.1:{first}",
                "downloaded_through": f"127.0.0.1:{second}",
                "bytes": len(picture),
                "identical": downloaded == picture,
            }
        )
        result.require(code.startswith("ST-"), "the ticket with the file was not created")
        result.require(link is not None, "the other server's page does not list the file")
        result.require(downloaded == picture, "the file downloaded differs from the one uploaded")
        return result

    # --- helpers -------------------------------------------------------------------------------

    def _current_sessions(self, name: str) -> int:
        lines = self.stack.haproxy_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "app" and row.get("svname") == name:
                return int(row.get("scur") or 0)
        raise StackError(f"no server {name}")

    def _slowloris(self, stop: threading.Event, opened: Counter) -> None:
        """Open a connection and send a request's headers one byte a second, again and again,
        until told to stop: bounded by the scenario's fault time."""
        request = b"GET /soporte/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        while not stop.is_set():
            try:
                with socket.create_connection((HOST, self.stack.port), timeout=5) as sock:
                    opened["connections"] += 1
                    sock.sendall(request)
                    while not stop.wait(1):
                        sock.sendall(b"a")
            except OSError:
                stop.wait(0.5)
