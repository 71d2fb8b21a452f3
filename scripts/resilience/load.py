"""A bounded, self-stopping mixed load through the load balancer: clinic users (panel, history,
detail, create, add information) and agents (respond, change state), each on its own
keep-alive connection, every request recorded with its time, latency and outcome."""

import http.client
import random
import re
import statistics
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="submission_token" value="([^"]+)"')
CHANGE_RE = re.compile(r'href="/admin/tickets/ticket/(\d+)/change/')
STATE_OPTION_RE = re.compile(r'<option value="([a-z_]+)"')
SPANISH_503 = "no puede atender su solicitud en este momento"
LOGIN_PATH = "/soporte/login"
DETAIL_MARK = "Carga de prueba"
MARK_RE = re.compile(r"\[([a-z_]+-[0-9a-f]{12})\]")


@dataclass
class Sample:
    at: float
    latency: float
    kind: str
    status: int  # 0: no answer (connection refused, reset, timeout)
    error: str = ""  # "", "connection", "server_error", "unavailable", "unexpected", "lost_session"


@dataclass
class Record:
    """What the load saw, shared by its threads."""

    samples: list[Sample] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # submission mark -> code (302)
    submitted: set[str] = field(default_factory=set)  # marks of every create POSTed
    resent_forms: int = 0
    bad_503: int = 0  # a 503 without the Spanish page or Retry-After
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def multipart(form: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in form.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Http:
    """One keep-alive connection to the load balancer, with a cookie jar."""

    def __init__(self, port: int, record: Record):
        self.port, self.record = port, record
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        raw: bool = False,
    ):
        """(status, headers, text, or bytes when ``raw``); status 0 when nothing came back.
        Recorded as a sample. ``files``: field name -> (file name, content), sent as multipart."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: str | bytes | None = None
        if files:
            body, headers["Content-Type"] = multipart(form or {}, files)
        elif form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            text = content if raw else content.decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            self.record.add(Sample(started, time.monotonic() - started, kind, 0, "connection"))
            return 0, {}, ""
        if response.will_close:
            self.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        status = response.status
        error = ""
        if status == 503:
            error = "unavailable"
            if SPANISH_503 not in text or not response.headers.get("Retry-After"):
                with self.record.lock:
                    self.record.bad_503 += 1
        elif status >= 500:
            error = "server_error"
        elif status == 302 and response.headers.get("Location", "").startswith(LOGIN_PATH):
            error = "lost_session" if not path.startswith(LOGIN_PATH) else ""
        self.record.add(Sample(started, time.monotonic() - started, kind, status, error))
        return status, response.headers, text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class VirtualUser(threading.Thread):
    think = (0.05, 0.25)

    def __init__(self, port: int, record: Record, stop: threading.Event, seed: int):
        super().__init__(daemon=True)
        self.http = Http(port, record)
        self.record, self.stop_event = record, stop
        self.random = random.Random(seed)
        self.failed: Exception | None = None

    def pause(self) -> None:
        self.stop_event.wait(self.random.uniform(*self.think))

    def run(self) -> None:
        try:
            self.log_in()
            while not self.stop_event.is_set():
                self.step()
                self.pause()
        except Exception as error:  # reported by the scenario, never silent
            self.failed = error

    def retry_until_ok(self, action, *, give_up_after: float = 60) -> None:
        deadline = time.monotonic() + give_up_after
        while not action():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{type(self).__name__}: gave up after {give_up_after} s")
            time.sleep(0.3)


class ClinicUser(VirtualUser):
    def __init__(self, port, record, stop, seed, *, clinic_rut, user_rut, password, tag):
        super().__init__(port, record, stop, seed)
        self.credentials = {"clinic_rut": clinic_rut, "user_rut": user_rut, "password": password}
        self.tag = tag
        self.codes: list[str] = []

    def log_in(self) -> None:
        def attempt() -> bool:
            status, _, text = self.http.request("login_form", "GET", LOGIN_PATH)
            match = CSRF_RE.search(text) if status == 200 else None
            if match is None:
                return False
            form = {"csrfmiddlewaretoken": match.group(1), **self.credentials}
            status, headers, _ = self.http.request("login", "POST", LOGIN_PATH, form)
            return status == 302 and not headers.get("Location", "").startswith(LOGIN_PATH)

        self.retry_until_ok(attempt)

    def step(self) -> None:
        action = self.random.choices(
            [self.panel, self.history, self.detail, self.create, self.add_information],
            weights=[3, 2, 3, 1, 1],
        )[0]
        action()

    def get(self, kind: str, path: str) -> tuple[int, str]:
        status, headers, text = self.http.request(kind, "GET", path)
        if status == 302 and headers.get("Location", "").startswith(LOGIN_PATH):
            self.log_in()  # counted as a lost session by the sample above
        return status, text

    def panel(self) -> None:
        self.get("panel", "/soporte/")

    def history(self) -> None:
        self.get("history", "/soporte/tickets/?pagina=1")

    def detail(self) -> None:
        if self.codes:
            self.get("detail", f"/soporte/tickets/{self.random.choice(self.codes)}")

    def create(self) -> None:
        form = self.new_ticket_form()
        if form is not None:
            self.submit(form)

    def new_ticket_form(self) -> dict | None:
        """The ticket form, filled in, with its submission token; None if it did not load."""
        status, text = self.get("create_form", "/soporte/tickets/nuevo")
        token, csrf = TOKEN_RE.search(text), CSRF_RE.search(text)
        if status != 200 or token is None or csrf is None:
            return None
        mark = f"{self.tag}-{uuid.uuid4().hex[:12]}"
        with self.record.lock:
            self.record.submitted.add(mark)
        return {
            "csrfmiddlewaretoken": csrf.group(1),
            "submission_token": token.group(1),
            "follows_up": "",
            "area": self.random.choice(["soporte", "comercial"]),
            # The load's texts are alike on purpose: it answers "Es otro caso: enviar ticket"
            # (the look-alikes page is tested in tests/tickets/test_similar_tickets.py).
            "otro_caso": "1",
            "detail": (
                f"{DETAIL_MARK} [{mark}]: al emitir una boleta en el módulo de caja la pantalla "
                "queda en blanco y no guarda el pago; ocurrió hoy cerca de las 10:30."
            ),
        }

    def submit(self, form: dict, *, give_up_after: float = 60) -> str | None:
        """POST the form until it is answered, as a person presses the button again: the same
        submission token, so it must never create a second ticket. The ticket's code, or None."""
        mark = MARK_RE.search(form["detail"]).group(1)
        deadline = time.monotonic() + give_up_after
        attempt = 0
        while time.monotonic() < deadline:
            if attempt:
                with self.record.lock:
                    self.record.resent_forms += 1
                time.sleep(0.3)
            attempt += 1
            status, headers, _ = self.http.request("create", "POST", "/soporte/tickets/nuevo", form)
            location = headers.get("Location", "") if status == 302 else ""
            if location.startswith("/soporte/tickets/ST-"):
                code = location.rsplit("/", 1)[1]
                self.codes.append(code)
                with self.record.lock:
                    self.record.created[mark] = code
                return code
            if location.startswith(LOGIN_PATH):
                self.log_in()
                status, text = self.get("create_form", "/soporte/tickets/nuevo")
                if csrf := CSRF_RE.search(text):
                    form["csrfmiddlewaretoken"] = csrf.group(1)
            elif status not in (0, 502, 503, 504):
                return None  # refused by the form: not a failure of the infrastructure
        return None

    def add_information(self) -> None:
        if not self.codes:
            return
        code = self.random.choice(self.codes)
        status, text = self.get("detail", f"/soporte/tickets/{code}")
        csrf = CSRF_RE.search(text)
        if status != 200 or csrf is None or "/informacion" not in text:
            return
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "text": "Adjunto más datos: el error se repite.",
        }
        self.http.request("add_information", "POST", f"/soporte/tickets/{code}/informacion", form)


class Agent(VirtualUser):
    think = (0.2, 0.6)

    def __init__(self, port, record, stop, seed, *, username, password):
        super().__init__(port, record, stop, seed)
        self.username, self.password = username, password
        self.pks: dict[str, int] = {}

    def log_in(self) -> None:
        def attempt() -> bool:
            status, _, text = self.http.request("agent_login_form", "GET", "/admin/login/")
            match = CSRF_RE.search(text) if status == 200 else None
            if match is None:
                return False
            form = {
                "csrfmiddlewaretoken": match.group(1),
                "username": self.username,
                "password": self.password,
                "next": "/admin/",
            }
            status, headers, _ = self.http.request("agent_login", "POST", "/admin/login/", form)
            return status == 302 and "login" not in headers.get("Location", "")

        self.retry_until_ok(attempt)

    def step(self) -> None:
        with self.record.lock:
            codes = list(self.record.created.values())
        if not codes:
            return
        code = self.random.choice(codes[-50:])
        pk = self.pks.get(code)
        if pk is None:
            status, _, text = self.http.request(
                "agent_search", "GET", f"/admin/tickets/ticket/?q={code}"
            )
            match = CHANGE_RE.search(text) if status == 200 else None
            if match is None:
                self.relogin_if_needed(status, text)
                return
            pk = self.pks[code] = int(match.group(1))
        path = f"/admin/tickets/ticket/{pk}/change/"
        status, _, text = self.http.request("agent_ticket", "GET", path)
        csrf = CSRF_RE.search(text) if status == 200 else None
        if csrf is None:
            self.relogin_if_needed(status, text)
            return
        select = (
            text.split('name="state"', 1)[1].split("</select>", 1)[0]
            if 'name="state"' in text
            else ""
        )
        states = STATE_OPTION_RE.findall(select)
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "state": self.random.choice(states) if states else "",
            "assigned_to": "",
            "response": "Revisamos el caso: el pago quedó registrado. Confírmenos si se repite.",
            "note": "",
            "_save": "Grabar",
        }
        if not states:
            form.pop("state")
        self.http.request("agent_respond", "POST", path, form)

    def relogin_if_needed(self, status: int, text: str) -> None:
        if status == 302 or 'name="username"' in text:
            self.log_in()


class Load:
    """Clinic users and agents running until ``stop()``; bounded by ``max_seconds`` anyway."""

    def __init__(self, port: int, users: list[dict], agents: list[dict], *, tag: str,
                 max_seconds: float = 900):  # fmt: skip
        self.record = Record()
        self.stop_event = threading.Event()
        self.threads: list[VirtualUser] = [
            ClinicUser(port, self.record, self.stop_event, n, tag=tag, **user)
            for n, user in enumerate(users)
        ] + [
            Agent(port, self.record, self.stop_event, 1000 + n, **agent)
            for n, agent in enumerate(agents)
        ]
        self.timer = threading.Timer(max_seconds, self.stop_event.set)

    def start(self) -> "Load":
        self.timer.start()
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.timer.cancel()
        for thread in self.threads:
            thread.join(120)
        failures = [f"{type(t).__name__}: {t.failed}" for t in self.threads if t.failed]
        if failures:
            raise RuntimeError("load threads failed: " + "; ".join(failures))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def summarize(samples: list[Sample]) -> dict:
    latencies = sorted(s.latency * 1000 for s in samples if s.status)
    errors: dict[str, int] = {}
    for sample in samples:
        if sample.error:
            errors[sample.error] = errors.get(sample.error, 0) + 1
    return {
        "requests": len(samples),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
    }
