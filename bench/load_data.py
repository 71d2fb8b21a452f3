"""Creates the bench database and loads it with COPY: ``python -m bench.load_data --tickets N``.

Drops and creates ``<DATABASE_URL name>_bench``, migrates it with the bench settings, creates
the two VetSync tables there, then streams generated rows into PostgreSQL with
``COPY ... FROM STDIN``: 2,000 clinics and 20,000 VetSync users, the local mirror of the
clinics and of the users that "have logged in" (5 per clinic), an agent, the tickets (one
clinic holds min(10,000, N/10) of them), one team response for half the tickets and their
events. The secondary indexes and foreign keys of the three big tables are dropped for the
load and re-created from their own catalogue definitions afterwards; then VACUUM ANALYZE.

Every VetSync user has the same password hash (one ``make_password`` of BENCH_PASSWORD with
Django's default hasher, computed once): logging in costs exactly what it costs in production.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

import psycopg
from psycopg import sql

from bench import generate
from bench.env import (
    AGENT_USERNAME,
    BENCH_PASSWORD,
    ROOT,
    WORK_DIR,
    Progress,
    bench_database_url,
    bench_environment,
    database_name,
    libpq_url,
    maintenance_url,
    python,
)
from bench.texts import clinic_name, person_name

CLINICS = 2_000
USERS_PER_CLINIC = 10
MIRRORED_PER_CLINIC = 5
BIG_CLINIC_MAX = 10_000
# The counts tickets/services.py keeps (tickets/counts.py), counted again after a bulk change.
RECOUNT = (
    "DELETE FROM tickets_ticketcount",
    "INSERT INTO tickets_ticketcount (clinic_id, area, state, count) "
    "SELECT clinic_id, area, state, COUNT(*) FROM tickets_ticket "
    "WHERE deleted_at IS NULL GROUP BY clinic_id, area, state",
)
BIG_TABLES = ("tickets_ticket", "tickets_ticketresponse", "tickets_ticketevent")
# Loaded with their secondary indexes dropped too (a one-to-one key: no sequence to reset).
INDEXED_TABLES = (*BIG_TABLES, "reports_tickettiming")
DATASET_FILE = WORK_DIR / "dataset.json"
CHUNK = 5_000


def clinic_rut(clinic: int) -> str:
    from stdnum.cl import rut

    number = str(76_000_000 + clinic)
    return f"{number}-{rut.calc_check_digit(number)}"


def user_rut(user: int) -> str:
    from stdnum.cl import rut

    number = str(10_000_000 + user * 37)
    return f"{number}-{rut.calc_check_digit(number)}"


def recreate_database(url: str) -> None:
    name = database_name(url)
    with psycopg.connect(libpq_url(maintenance_url(url)), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [python(), "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )


def copy_rows(conn: psycopg.Connection, table: str, columns: str, rows, progress: Progress):
    """Stream text rows into COPY, a chunk at a time."""
    statement = f"COPY {table} ({columns}) FROM STDIN"
    buffer: list[str] = []
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            buffer.append(row)
            if len(buffer) >= CHUNK:
                copy.write("".join(buffer))
                progress.advance(len(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
            progress.advance(len(buffer))
    progress.close()


def load(conn, table: str, columns: str, rows, total: int) -> None:
    copy_rows(conn, table, columns, rows, Progress(table, total))


def vetsync_clinic_rows():
    for clinic in range(1, CLINICS + 1):
        active = "f" if clinic % 97 == 0 else "t"
        yield f"{clinic}\t{clinic_rut(clinic)}\t{clinic_name(clinic)}\t{active}\n"


def vetsync_user_rows(password_hash: str):
    for clinic in range(1, CLINICS + 1):
        for k in range(USERS_PER_CLINIC):
            user = (clinic - 1) * USERS_PER_CLINIC + k + 1
            active = "f" if user % 23 == 0 and user != 1 else "t"
            yield (
                f"{user}\t{clinic}\t{user_rut(user)}\t{person_name(user)}\t"
                f"usuario{user}@clinica{clinic}.cl\t{password_hash}\t{active}\n"
            )


def local_clinic_rows(now: str):
    for clinic in range(1, CLINICS + 1):
        yield f"{clinic}\t{clinic}\t{clinic_rut(clinic)}\t{clinic_name(clinic)}\t{now}\n"


def local_user_rows(now: str):
    """The local mirror of the first MIRRORED_PER_CLINIC users of each clinic."""
    for clinic in range(1, CLINICS + 1):
        for k in range(MIRRORED_PER_CLINIC):
            local = (clinic - 1) * MIRRORED_PER_CLINIC + k + 1
            user = (clinic - 1) * USERS_PER_CLINIC + k + 1
            yield (
                f"{local}\t!\tf\tvetsync-{clinic}-{user}\t\t\t"
                f"usuario{user}@clinica{clinic}.cl\tf\tt\t{now}\t{user}\t{user_rut(user)}\t"
                f"{person_name(user)}\t{clinic}\n"
            )


USER_COLUMNS = (
    "id, password, is_superuser, username, first_name, last_name, email, is_staff, "
    "is_active, date_joined, vetsync_id, rut, full_name, clinic_id"
)


def drop_secondary(conn: psycopg.Connection) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Drop the plain indexes and the foreign keys of the big tables; return their definitions."""
    indexes = conn.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(INDEXED_TABLES)],
    ).fetchall()
    foreign_keys = conn.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
        """,
        [list(INDEXED_TABLES)],
    ).fetchall()
    for table, name, _definition in foreign_keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    for _definition, name in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return [definition for definition, _name in indexes], foreign_keys


def restore_secondary(conn, indexes: list[str], foreign_keys) -> None:
    progress = Progress("indexes, foreign keys", len(indexes) + len(foreign_keys))
    conn.execute("SET maintenance_work_mem = '512MB'")
    for definition in indexes:
        conn.execute(definition)
        progress.advance()
    for table, name, definition in foreign_keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                sql.Identifier(table), sql.Identifier(name)
            )
            + sql.SQL(definition)
        )
        progress.advance()
    progress.close()


def reset_sequences(conn: psycopg.Connection, tables: list[str]) -> None:
    for table in tables:
        conn.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "(SELECT coalesce(max(id), 0) + 1 FROM {}), false)"
            ).format(sql.Identifier(table)),
            [table],
        )


def load_all(url: str, tickets: int) -> dict:
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(BENCH_PASSWORD)  # once: every user shares it
    now = generate.ts(time.time())
    big_clinic = min(BIG_CLINIC_MAX, max(1, tickets // 10))
    agent_id = CLINICS * MIRRORED_PER_CLINIC + 1
    plan = generate.Plan(total=tickets)
    with psycopg.connect(libpq_url(url)) as conn:
        indexes, foreign_keys = drop_secondary(conn)
        load(conn, "vetsync_clinic", "id, rut, name, is_active", vetsync_clinic_rows(), CLINICS)
        load(
            conn,
            "vetsync_user",
            "id, clinic_id, rut, full_name, email, password, is_active",
            vetsync_user_rows(password_hash),
            CLINICS * USERS_PER_CLINIC,
        )
        load(
            conn,
            "accounts_clinic",
            "id, vetsync_id, rut, name, synced_at",
            local_clinic_rows(now),
            CLINICS,
        )
        load(
            conn, "accounts_user", USER_COLUMNS, local_user_rows(now), CLINICS * MIRRORED_PER_CLINIC
        )
        conn.execute(
            "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined, rut, full_name) "
            "VALUES (%s, %s, true, %s, 'Agente', 'Bench', 'agente@smartautomate.cl', true, "
            "true, now(), '', 'Agente Bench')",
            [agent_id, make_password(BENCH_PASSWORD), AGENT_USERNAME],
        )
        rows = generate.ticket_rows(
            plan, clinics=CLINICS, mirrored_per_clinic=MIRRORED_PER_CLINIC, big_clinic=big_clinic
        )
        load(conn, "tickets_ticket", generate.TICKET_COLUMNS, rows, tickets)
        # The per-clinic counts that tickets/services.py keeps (tickets/counts.py), counted once
        # after the load.
        for statement in RECOUNT:
            conn.execute(statement)
        load(
            conn,
            "tickets_ticketdaysequence",
            "day, last_number",
            (f"{day.isoformat()}\t{n}\n" for day, n in plan.day_last_number.items()),
            len(plan.day_last_number),
        )
        load(
            conn,
            "tickets_ticketresponse",
            generate.RESPONSE_COLUMNS,
            generate.response_rows(plan, agent_id=agent_id),
            plan.responses,
        )
        load(
            conn,
            "tickets_ticketevent",
            generate.EVENT_COLUMNS,
            generate.event_rows(plan, agent_id=agent_id),
            generate.event_total(plan),
        )
        # The reports' per-ticket times and met flags (reports/services.py keeps them; `manage.py
        # rebuild_report_timings` computes them again from the tickets, more slowly). The
        # columns are generate.TIMING_COLUMNS, written in the order timing_rows writes them.
        load(
            conn,
            "reports_tickettiming",
            generate.TIMING_COLUMNS,
            generate.timing_rows(plan),
            tickets,
        )
        restore_secondary(conn, indexes, foreign_keys)
        reset_sequences(
            conn,
            [
                "vetsync_clinic",
                "vetsync_user",
                "accounts_clinic",
                "accounts_user",
                *BIG_TABLES,
            ],
        )
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        sys.stderr.write("  VACUUM ANALYZE\n")
        conn.execute("VACUUM ANALYZE")
    return {
        "tickets": tickets,
        "responses": plan.responses,
        "big_clinic_id": 1,
        "big_clinic_tickets": plan.big_clinic_total,
        "clinic_rut": clinic_rut(1),
        "user_rut": user_rut(1),
        "agent_username": AGENT_USERNAME,
        "loaded_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.tickets < 10:
        parser.error("--tickets must be at least 10")
    started = time.monotonic()
    env = bench_environment()
    url = bench_database_url()
    sys.stderr.write(f"Creating {database_name(url)} and migrating it...\n")
    recreate_database(url)
    migrate(env)
    os.environ.update(env)
    import django

    django.setup()
    from accounts.vetsync_schema import create_vetsync_tables

    create_vetsync_tables()
    from django.db import connections

    connections.close_all()
    sys.stderr.write(f"Loading {args.tickets:,} tickets...\n")
    dataset = load_all(url, args.tickets)
    dataset["load_seconds"] = round(time.monotonic() - started, 1)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    DATASET_FILE.write_text(json.dumps(dataset, indent=2) + "\n")
    sys.stderr.write(f"Loaded in {dataset['load_seconds']} s.\n")
    return dataset


if __name__ == "__main__":
    main()
