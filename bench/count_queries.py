"""SQL queries per request of each measured page, in-process with Django's test client
against the bench database (run with the bench environment by bench/run.py):

    python -m bench.count_queries '{"sample": {...}, "dataset": {...}}'

Each page is requested once to warm up, then a few times with every statement timed on
both database aliases ("default" and "vetsync"); the fastest run is kept. Prints JSON:

    {"pages": {page: {"queries", "wall_ms", "cpu_ms", "sql_ms", "sql": [[seconds, sql]...]}}}

cpu_ms is the request thread's CPU time, less dependent than wall time on what else the
machine does. The login's entry also has "hash_calls" (PBKDF2 hashes computed by one login),
"hash_cpu_ms" and "login_cpu_ms" (one hash and one login, measured alternately).
"""

import json
import sys
import time
import uuid

REPEAT = 3
CREATE_DETAIL = (
    "En la pantalla de caja, al emitir la boleta electrónica, el sistema se queda cargando "
    "y luego aparece un error inesperado."
)


def _caller(client, page, path: str, credentials: dict):
    if page.script in ("create", "similar"):
        # As the wrk scripts: "create" answers "Es otro caso", "similar" gets the look-alikes
        # of the tickets that "create" made before it.
        another_case = {"otro_caso": "1"} if page.script == "create" else {}
        return lambda: client.post(
            path,
            {
                "area": "soporte",
                "detail": CREATE_DETAIL,
                "submission_token": str(uuid.uuid4()),
                **another_case,
            },
        )
    if page.script == "login":

        def login():
            client.cookies.clear()  # a new visitor each time: no session
            return client.post(path, credentials)

        return login
    return lambda: client.get(path)


class QueryTimer:
    """An ``execute_wrapper`` that keeps each statement with its time, measured around the
    database call itself (Django's captured queries round each one to whole milliseconds)."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - started, sql))


def measure(client, page, path: str, credentials: dict) -> dict:
    from contextlib import ExitStack

    from django.db import connections

    call = _caller(client, page, path, credentials)
    call()  # warm-up: first-use caches, the session's idle clock
    best: dict | None = None
    for _ in range(REPEAT):
        timer = QueryTimer()
        with ExitStack() as stack:
            for alias in ("default", "vetsync"):
                stack.enter_context(connections[alias].execute_wrapper(timer))
            wall, cpu = time.perf_counter(), time.thread_time()
            response = call()
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        if response.status_code != page.expect:
            raise SystemExit(f"{page.name}: {response.status_code}, expected {page.expect}")
        statements = timer.statements
        if best is None or wall * 1000 < best["wall_ms"]:
            best = {
                "queries": len(statements),
                "wall_ms": round(wall * 1000, 1),
                "cpu_ms": round(cpu * 1000, 1),
                "sql_ms": round(sum(t for t, _q in statements) * 1000, 1),
                "sql": statements,
            }
    return best


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from accounts.vetsync import VetSyncUser
    from bench.env import AGENT_USERNAME, BENCH_PASSWORD
    from bench.pages import BASELINE, PAGES

    arguments = json.loads(sys.argv[1])
    sample, dataset = arguments["sample"], arguments["dataset"]
    credentials = {
        "clinic_rut": dataset["clinic_rut"],
        "user_rut": dataset["user_rut"],
        "password": BENCH_PASSWORD,
    }
    clinic = Client(HTTP_HOST="127.0.0.1")
    if clinic.post("/soporte/login", credentials).status_code != 302:
        raise SystemExit("the clinic user could not log in")
    agent = Client(HTTP_HOST="127.0.0.1")
    response = agent.post(
        "/admin/login/", {"username": AGENT_USERNAME, "password": BENCH_PASSWORD, "next": "/admin/"}
    )
    if response.status_code != 302:
        raise SystemExit("the agent could not log in")
    clients = {"clinic": clinic, "agent": agent, "anonymous": Client(HTTP_HOST="127.0.0.1")}
    pages = {
        page.name: measure(clients[page.who], page, page.url_path(sample), credentials)
        for page in [BASELINE, *PAGES]
    }
    encoded = VetSyncUser.objects.values_list("password", flat=True).first()
    pages["login"].update(login_hashes(encoded, credentials))
    print(json.dumps({"pages": pages}))


def login_hashes(encoded: str, credentials: dict) -> dict:
    """How many PBKDF2 hashes (the users' hasher) one login computes, and its CPU time against
    one hash's: measured alternately, the fastest of each, so both see the same machine."""
    from unittest import mock

    from django.contrib.auth import hashers
    from django.contrib.auth.hashers import check_password
    from django.test import Client

    from bench.pages import by_name

    path = by_name("login").path
    with mock.patch.object(hashers, "pbkdf2", wraps=hashers.pbkdf2) as spy:
        Client(HTTP_HOST="127.0.0.1").post(path, credentials)
    hash_cpu, login_cpu = [], []
    for _ in range(REPEAT + 2):
        started = time.thread_time()
        check_password(credentials["password"], encoded, setter=None)
        hash_cpu.append(time.thread_time() - started)
        started = time.thread_time()
        Client(HTTP_HOST="127.0.0.1").post(path, credentials)
        login_cpu.append(time.thread_time() - started)
    return {
        "hash_calls": spy.call_count,
        "hash_cpu_ms": round(min(hash_cpu) * 1000, 1),
        "login_cpu_ms": round(min(login_cpu) * 1000, 1),
    }


if __name__ == "__main__":
    main()
