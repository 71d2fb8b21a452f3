"""The suite's own Django, on the stack's database: it seeds the accounts the load logs in with,
runs the periodic retry_notifications (the cron of a real deployment), and audits what the
load left behind. Imported after ``setup(stack)``."""

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import django

PASSWORD = "Resiliencia.2026"


def setup(env: dict) -> None:
    os.environ.update(env)
    django.setup()


def now():
    from django.utils import timezone

    return timezone.now()


@dataclass
class Accounts:
    users: list[dict] = field(default_factory=list)
    agents: list[dict] = field(default_factory=list)


def _rut(number: int) -> str:
    from stdnum.cl import rut

    return f"{number}-{rut.calc_check_digit(str(number))}"


def seed(*, clinics: int = 2, users_per_clinic: int = 3, agents: int = 2) -> Accounts:
    """VetSync clinics and users (bare bcrypt hashes, as PHP writes them) and agents."""
    import bcrypt
    from django.contrib.auth.models import Group

    from accounts.agents import AGENTS_GROUP
    from accounts.models import User, VetSyncClinic, VetSyncUser
    from accounts.vetsync_schema import create_vetsync_tables
    from vetsync_support.db_router import vetsync_writes_allowed

    create_vetsync_tables()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    result = Accounts()
    with vetsync_writes_allowed():
        for c in range(clinics):
            clinic = VetSyncClinic.objects.create(
                rut=_rut(76_100_000 + c), name=f"Clínica Resiliencia {c + 1}"
            )
            for u in range(users_per_clinic):
                user = VetSyncUser.objects.create(
                    clinic=clinic,
                    rut=_rut(15_000_000 + 100 * c + u),
                    full_name=f"Usuaria {c + 1}.{u + 1}",
                    email=f"usuaria{c + 1}.{u + 1}@resiliencia.cl",
                    password=hashed,
                )
                result.users.append(
                    {"clinic_rut": clinic.rut, "user_rut": user.rut, "password": PASSWORD}
                )
    group = Group.objects.get(name=AGENTS_GROUP)
    for a in range(agents):
        agent = User.objects.create_user(
            username=f"agente{a + 1}",
            password=PASSWORD,
            email=f"agente{a + 1}@smartautomate.cl",
            first_name="Agente",
            last_name=str(a + 1),
            is_staff=True,
        )
        agent.groups.add(group)
        result.agents.append({"username": agent.username, "password": PASSWORD})
    return result


class Cron(threading.Thread):
    """retry_notifications every few seconds, as a deployment's cron or systemd timer would."""

    def __init__(self, every: float = 2):
        super().__init__(daemon=True)
        self.every = every
        self.stop_event = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections, connections

        from notifications.services import notification_requeue_due

        while not self.stop_event.wait(self.every):
            try:
                notification_requeue_due()
            except Exception:  # the database may be restarting: next time
                connections.close_all()
            finally:
                close_old_connections()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(10)


def tickets_check(record, since) -> dict:
    """Tickets the load submitted, against what the database holds."""
    from django.db import connections

    from scripts.resilience.load import DETAIL_MARK, MARK_RE
    from tickets.models import Ticket, TicketEvent

    connections.close_all()  # the database may have restarted
    tickets = list(
        Ticket.objects.filter(detail__startswith=DETAIL_MARK, created_at__gte=since).values_list(
            "pk", "code", "detail"
        )
    )
    marks = Counter()
    codes = set()
    for _pk, code, detail in tickets:
        match = MARK_RE.search(detail)
        if match and match.group(1) in record.submitted:
            marks[match.group(1)] += 1
            codes.add(code)
    ids = [pk for pk, _code, _detail in tickets]
    with_event = set(
        TicketEvent.objects.filter(ticket_id__in=ids, kind=TicketEvent.Kind.CREATED).values_list(
            "ticket_id", flat=True
        )
    )
    return {
        "tickets_answered_302": len(record.created),
        "tickets_found": sum(marks.values()),
        "lost_tickets": sum(1 for code in record.created.values() if code not in codes),
        "duplicate_tickets": sum(count - 1 for count in marks.values() if count > 1),
        "half_written_tickets": len(set(ids) - with_event),
        "forms_never_answered": len(record.submitted - set(record.created)),
    }


def notifications_check(stack, since, *, timeout: float = 240) -> dict:
    """Wait until every notification of the scenario has left the pending state, then count the
    sink's messages for each (by its Message-ID)."""
    from django.db import connections

    from notifications.models import Notification
    from notifications.tasks import message_id

    connections.close_all()
    deadline = time.monotonic() + timeout
    rows = Notification.objects.filter(created_at__gte=since)
    while rows.filter(status=Notification.Status.PENDING).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    messages = stack.mail_messages()
    received = Counter(m["message_id"] for m in messages if m["accepted"])
    notifications = list(rows)
    ids = {message_id(n) for n in notifications}
    counts = [received.get(message_id(n), 0) for n in notifications]
    return {
        # Messages the sink held and then did not accept because the sender (a worker killed
        # mid-send) hung up: sent again later, and counted once in "delivered".
        "sends_cut_by_a_kill": sum(
            1 for m in messages if not m["accepted"] and m["message_id"] in ids
        ),
        "notifications_retried": sum(1 for n in notifications if n.attempts > 1),
        "notifications_expected": len(notifications),
        "notifications_delivered": sum(1 for count in counts if count >= 1),
        "notifications_duplicated": sum(count - 1 for count in counts if count > 1),
        "notifications_failed": sum(
            1 for n in notifications if n.status == Notification.Status.FAILED
        ),
    }
